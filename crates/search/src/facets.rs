//! The facets of the public search: what can be filtered by, the values each offer has, and their labels.
//! Within one facet the chosen values are alternatives (Olten or Trimbach); different facets narrow together.

use crate::SearchOffer;
use iim_domain::angebot::{Kategorie, Tageszeit, Zielgruppe};
use iim_domain::catalog;
use iim_domain::sprache::Niveau;
use iim_domain::{BfsNr, Choice};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Kategorie,
    Region,
    Gemeinde,
    Sprache,
    Niveau,
    Zielgruppe,
    Kosten,
    Tageszeit,
}

/// Price bands and the subsidy; an offer can be in a band and subsidised at once.
const KOSTEN: &[(&str, &str)] = &[
    ("kostenlos", "kostenlos"),
    ("bis_100", "bis Fr. 100"),
    ("ueber_100", "über Fr. 100"),
    ("subventioniert", "subventioniert"),
];

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Kategorie,
        Facet::Region,
        Facet::Gemeinde,
        Facet::Sprache,
        Facet::Niveau,
        Facet::Zielgruppe,
        Facet::Kosten,
        Facet::Tageszeit,
    ];

    /// The name of the URL parameter.
    pub fn code(self) -> &'static str {
        match self {
            Facet::Kategorie => "kategorie",
            Facet::Region => "region",
            Facet::Gemeinde => "gemeinde",
            Facet::Sprache => "sprache",
            Facet::Niveau => "niveau",
            Facet::Zielgruppe => "zielgruppe",
            Facet::Kosten => "kosten",
            Facet::Tageszeit => "tageszeit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Facet::Kategorie => "Kategorie",
            Facet::Region => "Region",
            Facet::Gemeinde => "Gemeinde",
            Facet::Sprache => "Kurs- oder Beratungssprache",
            Facet::Niveau => "Sprachniveau",
            Facet::Zielgruppe => "Zielgruppe",
            Facet::Kosten => "Kosten",
            Facet::Tageszeit => "Tageszeit",
        }
    }

    pub fn from_code(code: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|facet| facet.code() == code)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The values an offer has for this facet.
    pub fn values_of(self, offer: &SearchOffer) -> Vec<String> {
        let data = &offer.data;
        let mut values: Vec<String> = match self {
            Facet::Kategorie => vec![data.kategorie.code().to_owned()],
            Facet::Region => offer.regionen.iter().filter(|r| !r.is_empty()).cloned().collect(),
            Facet::Gemeinde => data.orte.iter().map(|ort| ort.gemeinde.to_string()).collect(),
            Facet::Sprache => data.sprachen.clone(),
            Facet::Niveau => levels(data.niveau_von, data.niveau_bis),
            Facet::Zielgruppe => data.zielgruppen.iter().map(|z| z.code().to_owned()).collect(),
            Facet::Kosten => cost_values(data.preis_rappen, data.subventioniert),
            Facet::Tageszeit => data.tageszeiten.iter().map(|t| t.code().to_owned()).collect(),
        };
        values.sort();
        values.dedup();
        values
    }

    /// The German label of a value; unknown values show as given.
    pub fn value_label(self, value: &str) -> String {
        let label = match self {
            Facet::Kategorie => Kategorie::from_code(value).map(|k| k.label().to_owned()),
            Facet::Region => Some(value.to_owned()),
            Facet::Gemeinde => BfsNr::parse(value).ok().map(BfsNr::name),
            Facet::Sprache => catalog::language_name(value).map(str::to_owned),
            Facet::Niveau => Niveau::from_code(value).map(|n| n.label().to_owned()),
            Facet::Zielgruppe => Zielgruppe::from_code(value).map(|z| z.label().to_owned()),
            Facet::Kosten => KOSTEN.iter().find(|(code, _)| *code == value).map(|(_, label)| (*label).to_owned()),
            Facet::Tageszeit => Tageszeit::from_code(value).map(|t| t.label().to_owned()),
        };
        label.unwrap_or_else(|| value.to_owned())
    }

    /// Where a value stands in the list: the order of the choices, or else by label.
    pub(crate) fn rank(self, value: &str) -> usize {
        let position = match self {
            Facet::Kategorie => Kategorie::ALL.iter().position(|k| k.code() == value),
            Facet::Niveau => Niveau::ALL.iter().position(|n| n.code() == value),
            Facet::Zielgruppe => Zielgruppe::ALL.iter().position(|z| z.code() == value),
            Facet::Kosten => KOSTEN.iter().position(|(code, _)| *code == value),
            Facet::Tageszeit => Tageszeit::ALL.iter().position(|t| t.code() == value),
            Facet::Region | Facet::Gemeinde | Facet::Sprache => Some(0),
        };
        position.unwrap_or(usize::MAX)
    }
}

fn levels(von: Option<Niveau>, bis: Option<Niveau>) -> Vec<String> {
    let (Some(von), bis) = (von.or(bis), bis.or(von)) else { return Vec::new() };
    let bis = bis.unwrap_or(von);
    Niveau::ALL.iter().filter(|n| **n >= von && **n <= bis).map(|n| n.code().to_owned()).collect()
}

fn cost_values(rappen: i64, subventioniert: bool) -> Vec<String> {
    let band = match rappen {
        0 => "kostenlos",
        1..=10_000 => "bis_100",
        _ => "ueber_100",
    };
    let mut values = vec![band.to_owned()];
    if subventioniert {
        values.push("subventioniert".to_owned());
    }
    values
}

/// Facet values as small numbers, so that counting is an array increment rather than a string lookup.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    values: [Vec<String>; 8],
    ids: [HashMap<String, u32>; 8],
}

impl Dictionary {
    fn intern(&mut self, facet: Facet, value: String) -> u32 {
        let index = facet.index();
        if let Some(id) = self.ids[index].get(&value) {
            return *id;
        }
        let id = u32::try_from(self.values[index].len()).unwrap_or(u32::MAX);
        self.values[index].push(value.clone());
        self.ids[index].insert(value, id);
        id
    }

    pub(crate) fn value(&self, facet: Facet, id: usize) -> &str {
        self.values[facet.index()].get(id).map(String::as_str).unwrap_or_default()
    }

    pub(crate) fn contains(&self, facet: Facet, value: &str) -> bool {
        self.ids[facet.index()].contains_key(value)
    }

    pub(crate) fn len(&self, facet: Facet) -> usize {
        self.values[facet.index()].len()
    }
}

/// An offer's values for every facet, kept beside the index so filtering and counting need no lookup.
#[derive(Debug, Clone, Default)]
pub(crate) struct FacetValues([Vec<u32>; 8]);

impl FacetValues {
    pub(crate) fn of(offer: &SearchOffer, dictionary: &mut Dictionary) -> Self {
        let mut values: [Vec<u32>; 8] = Default::default();
        for facet in Facet::ALL {
            values[facet.index()] = facet.values_of(offer).into_iter().map(|v| dictionary.intern(facet, v)).collect();
        }
        Self(values)
    }

    pub(crate) fn get(&self, facet: Facet) -> &[u32] {
        &self.0[facet.index()]
    }
}

/// The chosen filter values, per facet, as given and as numbers (a value no offer has matches nothing).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    chosen: [Vec<String>; 8],
    ids: [Vec<u32>; 8],
}

impl Filters {
    pub(crate) fn new(chosen: &[(Facet, String)], dictionary: &Dictionary) -> Self {
        let mut filters = Filters::default();
        for (facet, value) in chosen {
            let index = facet.index();
            if !filters.chosen[index].contains(value) {
                filters.chosen[index].push(value.clone());
                filters.ids[index].push(dictionary.ids[index].get(value).copied().unwrap_or(u32::MAX));
            }
        }
        filters
    }

    pub(crate) fn chosen(&self, facet: Facet) -> &[String] {
        &self.chosen[facet.index()]
    }

    /// The facets whose filter an offer fails, one bit per facet (an offer counts for a facet when it fails
    /// only that one).
    pub(crate) fn failed(&self, values: &FacetValues) -> u8 {
        let mut failed = 0;
        for facet in Facet::ALL {
            let ids = &self.ids[facet.index()];
            if !ids.is_empty() && !values.get(facet).iter().any(|v| ids.contains(v)) {
                failed |= 1 << facet.index();
            }
        }
        failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_range_covers_the_levels_between() {
        assert_eq!(levels(Some(Niveau::A1), Some(Niveau::B1)), vec!["A1", "A2", "B1"]);
        assert_eq!(levels(None, Some(Niveau::B2)), vec!["B2"]);
        assert!(levels(None, None).is_empty());
    }

    #[test]
    fn costs_fall_into_one_band_plus_the_subsidy() {
        assert_eq!(cost_values(0, false), vec!["kostenlos"]);
        assert_eq!(cost_values(10_000, true), vec!["bis_100", "subventioniert"]);
        assert_eq!(cost_values(10_001, false), vec!["ueber_100"]);
        assert_eq!(Facet::Kosten.value_label("ueber_100"), "über Fr. 100");
        assert_eq!(Facet::from_code("tageszeit"), Some(Facet::Tageszeit));
    }
}
