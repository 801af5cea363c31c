//! Organisations: Kanton offices, Sozialregionen, Gemeinden and providers, and which Gemeinden each answers
//! for. The Gemeinden come from the BFS list built into the domain; which Sozialregion and Leitgemeinde a
//! Gemeinde belongs to is configuration ([`RegionMapping`], a CSV file an admin maintains), because no
//! public list says so. The directory is small and read on every request, so it lives in memory and is
//! reloaded after each change.

use crate::entity::organisation;
use crate::{Store, StoreError};
use iim_domain::{BfsNr, Jurisdiction, catalog};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    Kanton,
    Sozialregion,
    Gemeinde,
    Anbieter,
}

impl OrganisationKind {
    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Kanton => "kanton",
            OrganisationKind::Sozialregion => "sozialregion",
            OrganisationKind::Gemeinde => "gemeinde",
            OrganisationKind::Anbieter => "anbieter",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [Self::Kanton, Self::Sozialregion, Self::Gemeinde, Self::Anbieter].into_iter().find(|k| k.code() == code)
    }
}

/// An organisation as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInfo {
    pub id: i64,
    pub code: String,
    pub kind: OrganisationKind,
    pub name: String,
    pub bfs: Option<BfsNr>,
    pub sozialregion_id: Option<i64>,
    pub leitgemeinde_id: Option<i64>,
}

/// The Kanton offices that always exist.
pub const KANTON_OFFICES: [(&str, &str); 3] = [
    ("aso", "Amt für soziale Sicherheit (ASO)"),
    ("ags", "Amt für Gesellschaft und Soziales, Koordinationsstelle Integration"),
    ("migrationsamt", "Migrationsamt"),
];

/// One row of the mapping file: a Gemeinde, its Sozialregion and, optionally, its Leitgemeinde.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRow {
    pub bfs: BfsNr,
    pub sozialregion: String,
    pub leitgemeinde: Option<BfsNr>,
}

/// Which Sozialregion (and Leitgemeinde) each Gemeinde of the canton belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionMapping {
    rows: Vec<MappingRow>,
}

/// The example mapping shipped with the product (clearly labelled as example inside the file).
pub const EXAMPLE_MAPPING_CSV: &str = include_str!("../../../data/gemeinde-sozialregion.example.csv");

impl RegionMapping {
    /// Reads `bfs_nr,gemeinde,sozialregion,leitgemeinde_bfs`; `#` lines are comments. Every Gemeinde of the
    /// canton must appear exactly once; a Leitgemeinde must lie in the same Sozialregion.
    pub fn parse(csv_text: &str) -> Result<Self, StoreError> {
        let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(csv_text.as_bytes());
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(format!("Zeile {line}: {error}"));
                    continue;
                }
            };
            let field = |i: usize| record.get(i).map(str::trim).unwrap_or_default();
            let Ok(bfs) = BfsNr::parse(field(0)) else {
                problems.push(format!("Zeile {line}: «{}» ist keine BFS-Nummer einer Solothurner Gemeinde", field(0)));
                continue;
            };
            if field(2).is_empty() {
                problems.push(format!("Zeile {line}: Sozialregion fehlt"));
                continue;
            }
            let leitgemeinde = match field(3) {
                "" => None,
                text => match BfsNr::parse(text) {
                    Ok(leit) => Some(leit),
                    Err(_) => {
                        problems.push(format!("Zeile {line}: Leitgemeinde «{text}» unbekannt"));
                        continue;
                    }
                },
            };
            rows.push(MappingRow { bfs, sozialregion: field(2).to_owned(), leitgemeinde });
        }
        let mapping = Self { rows };
        problems.extend(mapping.consistency_problems());
        if problems.is_empty() {
            Ok(mapping)
        } else {
            Err(StoreError::Config(format!("Zuordnung Gemeinden–Sozialregionen: {}", problems.join("; "))))
        }
    }

    pub fn example() -> Result<Self, StoreError> {
        Self::parse(EXAMPLE_MAPPING_CSV)
    }

    fn consistency_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut region_of = BTreeMap::new();
        for row in &self.rows {
            if region_of.insert(row.bfs, row.sozialregion.as_str()).is_some() {
                problems.push(format!("Gemeinde {} kommt mehrfach vor", row.bfs));
            }
        }
        let missing: Vec<String> =
            catalog::gemeinden().filter(|g| !region_of.contains_key(&g.bfs)).map(|g| g.bfs.to_string()).collect();
        if !missing.is_empty() {
            problems.push(format!("es fehlen die Gemeinden {}", missing.join(", ")));
        }
        let members: BTreeSet<BfsNr> =
            self.rows.iter().filter(|row| row.leitgemeinde.is_some()).map(|row| row.bfs).collect();
        for row in &self.rows {
            let Some(leit) = row.leitgemeinde else { continue };
            if leit == row.bfs {
                problems.push(format!("Gemeinde {} kann nicht ihre eigene Leitgemeinde sein", row.bfs));
            } else if members.contains(&leit) {
                problems.push(format!(
                    "Leitgemeinde {leit} von {} ist selbst Mitglied einer Leitgemeinde; eine Leitgemeinde kann nicht Mitglied sein",
                    row.bfs
                ));
            }
            if region_of.get(&leit) != Some(&row.sozialregion.as_str()) {
                problems.push(format!("Leitgemeinde {leit} von {} liegt nicht in derselben Sozialregion", row.bfs));
            }
        }
        problems
    }

    pub fn rows(&self) -> &[MappingRow] {
        &self.rows
    }

    /// The Sozialregion names, sorted.
    pub fn regions(&self) -> BTreeSet<&str> {
        self.rows.iter().map(|row| row.sozialregion.as_str()).collect()
    }
}

/// Stable code of a Sozialregion from its name: `Sozialregion Untergäu` → `sr-untergaeu`.
pub fn region_code(name: &str) -> String {
    let short = name.trim().trim_start_matches("Sozialregion").trim();
    let mut code = String::from("sr-");
    for c in short.to_lowercase().chars() {
        match c {
            'ä' => code.push_str("ae"),
            'ö' => code.push_str("oe"),
            'ü' => code.push_str("ue"),
            c if c.is_ascii_alphanumeric() => code.push(c),
            _ if !code.ends_with('-') => code.push('-'),
            _ => {}
        }
    }
    code.trim_end_matches('-').to_owned()
}

/// Code of the organisation standing for a Gemeinde.
pub fn gemeinde_code(bfs: BfsNr) -> String {
    format!("gde-{bfs}")
}

/// All organisations in memory, with the Gemeinden each answers for.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    organisations: BTreeMap<i64, OrganisationInfo>,
    by_code: HashMap<String, i64>,
}

impl Directory {
    fn from_rows(rows: Vec<organisation::Model>) -> Self {
        let mut directory = Self::default();
        for row in rows {
            let Some(kind) = OrganisationKind::from_code(&row.kind) else {
                tracing::warn!(code = %row.code, kind = %row.kind, "organisation of unknown kind ignored");
                continue;
            };
            let bfs = row.bfs_nr.and_then(|n| u16::try_from(n).ok()).and_then(BfsNr::known);
            directory.by_code.insert(row.code.clone(), row.id);
            directory.organisations.insert(
                row.id,
                OrganisationInfo {
                    id: row.id,
                    code: row.code,
                    kind,
                    name: row.name,
                    bfs,
                    sozialregion_id: row.sozialregion_id,
                    leitgemeinde_id: row.leitgemeinde_id,
                },
            );
        }
        directory
    }

    pub fn get(&self, id: i64) -> Option<&OrganisationInfo> {
        self.organisations.get(&id)
    }

    pub fn by_code(&self, code: &str) -> Option<&OrganisationInfo> {
        self.by_code.get(code).and_then(|id| self.organisations.get(id))
    }

    pub fn all(&self) -> impl Iterator<Item = &OrganisationInfo> {
        self.organisations.values()
    }

    /// Gemeinden belonging to a Sozialregion.
    pub fn gemeinden_of_region(&self, region_id: i64) -> BTreeSet<BfsNr> {
        self.all().filter(|o| o.sozialregion_id == Some(region_id)).filter_map(|o| o.bfs).collect()
    }

    /// The Sozialregion a Gemeinde belongs to.
    pub fn region_of_gemeinde(&self, bfs: BfsNr) -> Option<&OrganisationInfo> {
        let gemeinde = self.all().find(|o| o.bfs == Some(bfs))?;
        self.get(gemeinde.sozialregion_id?)
    }

    /// What an organisation answers for: a Sozialregion its Gemeinden; a Gemeinde itself and the members
    /// it leads (Leitgemeindemodell), within the region of its Sozialregion; others nothing by Gemeinde.
    pub fn jurisdiction(&self, organisation_id: i64) -> Jurisdiction {
        let Some(organisation) = self.get(organisation_id) else {
            return Jurisdiction::default();
        };
        match organisation.kind {
            OrganisationKind::Sozialregion => {
                let gemeinden = self.gemeinden_of_region(organisation.id);
                Jurisdiction { organisation: gemeinden.clone(), region: gemeinden }
            }
            OrganisationKind::Gemeinde => {
                let own = organisation.bfs.into_iter();
                let members = self.all().filter(|o| o.leitgemeinde_id == Some(organisation.id)).filter_map(|o| o.bfs);
                Jurisdiction {
                    organisation: own.chain(members).collect(),
                    region: organisation.sozialregion_id.map(|r| self.gemeinden_of_region(r)).unwrap_or_default(),
                }
            }
            OrganisationKind::Kanton | OrganisationKind::Anbieter => Jurisdiction::default(),
        }
    }
}

impl Store {
    /// The current directory snapshot.
    pub fn directory(&self) -> Arc<Directory> {
        match self.directory.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub(crate) async fn reload_directory(&self) -> Result<(), StoreError> {
        let rows = organisation::Entity::find().all(&self.db).await?;
        let fresh = Arc::new(Directory::from_rows(rows));
        match self.directory.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}

/// Inserts or updates an organisation by code; the Leitgemeinde link is set separately afterwards.
pub(crate) async fn upsert(
    db: &impl sea_orm::ConnectionTrait,
    code: &str,
    kind: OrganisationKind,
    name: &str,
    bfs: Option<BfsNr>,
    sozialregion_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, StoreError> {
    let existing = organisation::Entity::find().filter(organisation::Column::Code.eq(code)).one(db).await?;
    let mut row = organisation::ActiveModel {
        id: NotSet,
        code: Set(code.to_owned()),
        kind: Set(kind.code().to_owned()),
        name: Set(name.to_owned()),
        bfs_nr: Set(bfs.map(|b| i32::from(b.get()))),
        sozialregion_id: Set(sozialregion_id),
        leitgemeinde_id: Set(None),
        updated_at: Set(now),
        anbieter_typ: NotSet,
        abschluss_genehmigung: NotSet,
    };
    match existing {
        Some(current) => {
            row.id = Set(current.id);
            Ok(row.update(db).await?.id)
        }
        None => Ok(row.insert(db).await?.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_mapping_covers_all_gemeinden_in_13_regions() {
        let mapping = RegionMapping::example().unwrap();
        assert_eq!(mapping.rows().len(), 104);
        assert_eq!(mapping.regions().len(), 13);
    }

    #[test]
    fn mapping_with_missing_gemeinde_is_refused_with_its_number() {
        let text: String =
            EXAMPLE_MAPPING_CSV.lines().filter(|l| !l.starts_with("2581,")).collect::<Vec<_>>().join("\n");
        let error = RegionMapping::parse(&text).unwrap_err().to_string();
        assert!(error.contains("2581"), "{error}");
    }

    #[test]
    fn a_leitgemeinde_cannot_itself_be_a_member_nor_lead_itself() {
        // Welschenrohr-Gänsbrunnen (2430) leads Herbetswil (2424); making 2430 a member of Balsthal (2422) too
        // would chain the Leitgemeinden.
        let chained = EXAMPLE_MAPPING_CSV.replace(
            "2430,Welschenrohr-Gänsbrunnen,Sozialregion Thal,",
            "2430,Welschenrohr-Gänsbrunnen,Sozialregion Thal,2422",
        );
        let error = RegionMapping::parse(&chained).unwrap_err().to_string();
        assert!(error.contains("Leitgemeinde 2430 von 2424 ist selbst Mitglied einer Leitgemeinde"), "{error}");
        let own =
            EXAMPLE_MAPPING_CSV.replace("2422,Balsthal,Sozialregion Thal,", "2422,Balsthal,Sozialregion Thal,2422");
        let error = RegionMapping::parse(&own).unwrap_err().to_string();
        assert!(error.contains("Gemeinde 2422 kann nicht ihre eigene Leitgemeinde sein"), "{error}");
    }

    #[test]
    fn region_codes_are_ascii_slugs() {
        assert_eq!(region_code("Sozialregion Untergäu"), "sr-untergaeu");
        assert_eq!(region_code("Sozialregion Wasseramt Süd"), "sr-wasseramt-sued");
    }
}
