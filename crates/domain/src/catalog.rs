//! Reference lists shipped with the product: the Gemeinden of Kanton Solothurn (BFS numbers, 2026), countries
//! and languages. They are public facts, embedded at build time from `data/`, so the binary stands alone.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use crate::sortierung;

/// BFS number of a Swiss Gemeinde (eCH-0007 municipalityId).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct BfsNr(u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BfsError {
    #[error("Bitte eine Gemeinde des Kantons Solothurn wählen.")]
    NotInCanton,
}

impl BfsNr {
    /// Accepts only Gemeinden of the canton's list.
    pub fn parse(input: &str) -> Result<Self, BfsError> {
        let number: u16 = input.trim().parse().map_err(|_| BfsError::NotInCanton)?;
        Self::known(number).ok_or(BfsError::NotInCanton)
    }

    /// The BFS number if it belongs to a Gemeinde of the canton.
    pub fn known(number: u16) -> Option<Self> {
        GEMEINDEN.contains_key(&BfsNr(number)).then_some(BfsNr(number))
    }

    pub fn get(self) -> u16 {
        self.0
    }

    pub fn gemeinde(self) -> Option<&'static Gemeinde> {
        GEMEINDEN.get(&self)
    }

    /// Gemeinde name, or the bare number if the list does not know it.
    pub fn name(self) -> String {
        self.gemeinde().map_or_else(|| self.0.to_string(), |g| g.name.clone())
    }
}

impl fmt::Display for BfsNr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Gemeinde of Kanton Solothurn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeinde {
    pub bfs: BfsNr,
    pub name: String,
    pub bezirk: String,
}

static GEMEINDEN: LazyLock<BTreeMap<BfsNr, Gemeinde>> = LazyLock::new(|| {
    rows(include_str!("../../../data/so-gemeinden-2026.csv"))
        .filter_map(|row| {
            let bfs = BfsNr(row.first()?.parse().ok()?);
            Some((bfs, Gemeinde { bfs, name: row.get(1)?.clone(), bezirk: row.get(2)?.clone() }))
        })
        .collect()
});

/// All Gemeinden, ordered by BFS number.
pub fn gemeinden() -> impl Iterator<Item = &'static Gemeinde> {
    GEMEINDEN.values()
}

static GEMEINDEN_NACH_NAME: LazyLock<Vec<&'static Gemeinde>> = LazyLock::new(|| {
    let mut list: Vec<&'static Gemeinde> = GEMEINDEN.values().collect();
    sortierung::nach_deutsch(&mut list, |g| g.name.as_str());
    list
});

/// All Gemeinden in German alphabetical order, as people look for them in a list.
pub fn gemeinden_nach_name() -> impl Iterator<Item = &'static Gemeinde> {
    GEMEINDEN_NACH_NAME.iter().copied()
}

/// A code with its German name (countries, languages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeName {
    pub code: String,
    pub name: String,
}

static COUNTRIES: LazyLock<Vec<CodeName>> = LazyLock::new(|| code_list(include_str!("../../../data/countries.csv")));
static LANGUAGES: LazyLock<Vec<CodeName>> = LazyLock::new(|| code_list(include_str!("../../../data/languages.csv")));

/// Countries by ISO 3166-1 alpha-2 code, ordered by German name.
pub fn countries() -> &'static [CodeName] {
    &COUNTRIES
}

/// Languages by ISO 639-1 (else 639-3) code, ordered by German name.
pub fn languages() -> &'static [CodeName] {
    &LANGUAGES
}

pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|c| c.code == code).map(|c| c.name.as_str())
}

pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|c| c.code == code).map(|c| c.name.as_str())
}

fn code_list(text: &str) -> Vec<CodeName> {
    let mut list: Vec<CodeName> =
        rows(text).filter_map(|row| Some(CodeName { code: row.first()?.clone(), name: row.get(1)?.clone() })).collect();
    sortierung::nach_deutsch(&mut list, |c| c.name.as_str());
    list
}

/// Data rows of an embedded CSV file: header and `#` comment lines skipped.
fn rows(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(Result::ok)
        .map(|record| record.iter().map(|field| field.trim().to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_104_gemeinden_of_2026() {
        assert_eq!(gemeinden().count(), 104);
        assert_eq!(BfsNr::parse("2581").map(BfsNr::name), Ok("Olten".to_owned()));
        assert_eq!(BfsNr::parse("351"), Err(BfsError::NotInCanton));
    }

    #[test]
    fn code_lists_are_loaded_and_named_in_german() {
        assert!(countries().len() > 200);
        assert_eq!(country_name("CH"), Some("Schweiz"));
        assert_eq!(country_name("ER"), Some("Eritrea"));
        assert_eq!(language_name("ti"), Some("Tigrinya"));
        assert!(languages().len() >= 50);
    }

    #[test]
    fn countries_and_gemeinden_are_in_german_order() {
        let position = |name: &str| countries().iter().position(|c| c.name == name).unwrap_or_else(|| panic!("{name}"));
        assert!(position("Afghanistan") < position("Ägypten"));
        assert!(position("Ägypten") < position("Albanien"));
        assert!(position("Äthiopien") < position("Australien"));
        assert!(position("Oman") < position("Österreich"));
        assert!(position("Österreich") < position("Pakistan"));
        assert!(position("Türkei") < position("Tuvalu"));
        let names: Vec<&str> = gemeinden_nach_name().map(|g| g.name.as_str()).collect();
        assert_eq!(names.len(), 104);
        assert!(names.windows(2).all(|pair| sortierung::deutsch(pair[0], pair[1]).is_lt()));
    }
}
