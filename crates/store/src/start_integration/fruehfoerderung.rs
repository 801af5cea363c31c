//! Frühe Sprachförderung: the track of each child from birth to the Kindergarten, and the figures per
//! Gemeinde and entry year.
//!
//! A child's track is reached through the child's Wohngemeinde, exactly like the person: an
//! Integrationsbeauftragte sees the children of its Gemeinde and of the Gemeinden it leads (Leitgemeindemodell).
//! Reads, changes and refused attempts are logged like persons. A birth imported from the register starts the
//! track once ([`start_from_register`]); other children are taken in by hand.
//!
//! The entry and assessment dates are not stored: they follow from the birth date (which can be corrected on
//! the person) and the configured rule, so they are computed when read. A Gemeinde accompanies some hundreds
//! of children at most, so the list is computed, filtered, sorted and paginated in memory after one query for
//! the tracks in scope. The figures count what is stored (level, entry year and Gemeinde at the time it was
//! recorded), so a later change of the rule or a move does not rewrite past years.

use crate::agenda::{Abschnitt, Dringlichkeit, Termin, Verweis};
use crate::entity::{fruehfoerderung, fruehfoerderung_kontakt, person, user};
use crate::fallfuehrung::persons::person_data;
use crate::guard::Guard;
use crate::reach::start_integration::{child_reach, kennzahlen_reach};
use crate::{Page, PageWindow, Store, StoreError, begin_write, is_unique_violation};
use chrono::{DateTime, Days, NaiveDate, Utc};
use iim_domain::fruehfoerderung::{
    Abklaerung, AbklaerungErgebnis, Aenderung, Eingabe, Empfehlung, Faelligkeit, Kennzahl, KindergartenRegel, Kontakt,
    Kontaktart, Kontext, Phase, StandBeimEintritt, Teilnahme, Termine, Verstaendigung, aufnahme_moeglich,
};
use iim_domain::person::Choice;
use iim_domain::regeln::StartIntegrationRegel;
use iim_domain::{Action, Actor, BfsNr, PartialDate, PersonData, Resource};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// How a child came into the track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quelle {
    /// A birth delivered by the population register.
    Register,
    /// Entered by the Integrationsbeauftragte.
    Erfasst,
}

impl Quelle {
    fn code(self) -> &'static str {
        match self {
            Quelle::Register => "register",
            Quelle::Erfasst => "erfasst",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Quelle::Register => "Geburt aus dem Einwohnerregister",
            Quelle::Erfasst => "von Hand aufgenommen",
        }
    }
}

/// An information contact with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KontaktEintrag {
    pub kontakt: Kontakt,
    pub erfasst_von: String,
}

/// A child's whole track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fruehfoerderung {
    pub id: i64,
    pub person_id: i64,
    pub nachname: String,
    pub vornamen: String,
    pub geburtsdatum: PartialDate,
    pub wohngemeinde: BfsNr,
    /// The languages of the child's person record (a hint for confirming the family language).
    pub sprachen_person: Vec<String>,
    pub quelle: Quelle,
    /// Confirmed by the Integrationsbeauftragte; `None` until then.
    pub familiensprachen: Option<Vec<String>>,
    pub familiensprache_am: Option<NaiveDate>,
    pub geburtskontakt: Option<Kontakt>,
    /// Information contacts during the first two years, oldest first.
    pub kontakte: Vec<KontaktEintrag>,
    pub termine: Termine,
    pub abklaerung: Option<Abklaerung>,
    pub empfehlung: Option<Empfehlung>,
    pub teilnahme: Option<Teilnahme>,
    pub eintritt: Option<StandBeimEintritt>,
    /// Where the level at entry counts (the Wohngemeinde when it was recorded).
    pub eintritt_gemeinde: Option<BfsNr>,
    pub phase: Phase,
    pub faelligkeit: Faelligkeit,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// One line of the list of children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindZeile {
    pub id: i64,
    pub nachname: String,
    pub vornamen: String,
    pub geburtsdatum: PartialDate,
    pub wohngemeinde: BfsNr,
    pub termine: Termine,
    pub abklaerung_am: Option<NaiveDate>,
    pub phase: Phase,
    pub faelligkeit: Faelligkeit,
}

/// Which children the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KinderFilter {
    /// Tracks still open (family language to confirm, or accompanied).
    #[default]
    Offen,
    /// Assessment planned within the next three months and not yet recorded.
    Faellig,
    /// Assessment planned before today and not yet recorded.
    Ueberfaellig,
    /// Every child, closed tracks included.
    Alle,
}

impl KinderFilter {
    pub const ALL: [KinderFilter; 4] =
        [KinderFilter::Offen, KinderFilter::Faellig, KinderFilter::Ueberfaellig, KinderFilter::Alle];

    pub fn code(self) -> &'static str {
        match self {
            KinderFilter::Offen => "offen",
            KinderFilter::Faellig => "faellig",
            KinderFilter::Ueberfaellig => "ueberfaellig",
            KinderFilter::Alle => "alle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KinderFilter::Offen => "alle offenen",
            KinderFilter::Faellig => "Abklärung fällig in den nächsten 3 Monaten",
            KinderFilter::Ueberfaellig => "Abklärung überfällig",
            KinderFilter::Alle => "alle, auch abgeschlossene",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    fn passt(self, zeile: &KindZeile) -> bool {
        match self {
            KinderFilter::Offen => zeile.phase.offen(),
            KinderFilter::Faellig => zeile.faelligkeit == Faelligkeit::Bald,
            KinderFilter::Ueberfaellig => zeile.faelligkeit == Faelligkeit::Ueberfaellig,
            KinderFilter::Alle => true,
        }
    }
}

/// Filter and page of the list of children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KinderQuery {
    pub gemeinde: Option<BfsNr>,
    pub filter: KinderFilter,
    pub page: u64,
    pub per_page: u64,
}

/// The figure of one Gemeinde and Kindergarten entry year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KennzahlZeile {
    pub gemeinde: BfsNr,
    pub jahr: i32,
    pub kennzahl: Kennzahl,
}

const MAX_PER_PAGE: u64 = 200;

impl Store {
    /// Uses `regel` for the Kindergarten entry dates (configuration; the default is Solothurn's).
    pub fn with_kindergarten_regel(mut self, regel: KindergartenRegel) -> Self {
        self.kindergarten = regel;
        self
    }

    pub fn kindergarten_regel(&self) -> KindergartenRegel {
        self.kindergarten
    }

    /// The children in the actor's scope, filtered, sorted by the planned assessment (then by name), one page.
    /// Logged with the children shown.
    pub async fn list_kinder(&self, actor: &Actor, query: &KinderQuery) -> Result<Page<KindZeile>, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Read, None).await?;
        let mut zeilen = self.kinder_in_scope(&guard, query.gemeinde).await?;
        zeilen.retain(|zeile| query.filter.passt(zeile));
        let window = PageWindow::new(query.page, query.per_page, MAX_PER_PAGE);
        let PageWindow { page, per_page } = window;
        let total = zeilen.len() as u64;
        let items: Vec<KindZeile> = zeilen
            .into_iter()
            .skip(usize::try_from(window.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(per_page).unwrap_or(usize::MAX))
            .collect();
        let shown: Vec<String> = items.iter().map(|k| k.id.to_string()).collect();
        let gemeinde = query.gemeinde.map(|g| g.name()).unwrap_or_else(|| "alle".to_owned());
        let detail = format!(
            "Liste Frühförderung, Filter {}, Gemeinde {gemeinde}, Seite {page}, angezeigt: {}",
            query.filter.code(),
            shown.join(",")
        );
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// The start page's assessments: planned before today or within `tage` days and not yet recorded, of
    /// open tracks, the earliest first; the first `zeilen` of them, logged with the children shown.
    pub(crate) async fn agenda_fruehfoerderung(
        &self,
        actor: &Actor,
        tage: u64,
        zeilen: usize,
    ) -> Result<Abschnitt, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Read, None).await?;
        let today = self.clock.today();
        let horizon = today.checked_add_days(Days::new(tage)).unwrap_or(NaiveDate::MAX);
        let mut kinder = self.kinder_in_scope(&guard, None).await?;
        kinder.retain(|k| k.phase.offen() && k.abklaerung_am.is_none() && k.termine.abklaerung <= horizon);
        let total = kinder.len() as u64;
        let termine: Vec<Termin> = kinder
            .into_iter()
            .take(zeilen)
            .map(|k| Termin {
                verweis: Verweis::Kind(k.id),
                person_name: format!("{}, {}", k.nachname, k.vornamen),
                was: "Abklärung der Deutschkenntnisse".to_owned(),
                datum: k.termine.abklaerung,
                dringlichkeit: if k.termine.abklaerung < today {
                    Dringlichkeit::Ueberfaellig
                } else {
                    Dringlichkeit::Faellig
                },
            })
            .collect();
        if termine.is_empty() {
            return Ok(Abschnitt::aus(termine, total));
        }
        let shown: Vec<String> = termine
            .iter()
            .filter_map(|t| match t.verweis {
                Verweis::Kind(id) => Some(id.to_string()),
                _ => None,
            })
            .collect();
        let detail = format!("Startseite Frühförderung, angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), Abschnitt::aus(termine, total)).await
    }

    /// Every child the guard reaches (of one Gemeinde, if given) with the dates computed for today, sorted by
    /// the planned assessment, then by name.
    async fn kinder_in_scope(
        &self,
        guard: &Guard<'_, fruehfoerderung::Entity>,
        gemeinde: Option<BfsNr>,
    ) -> Result<Vec<KindZeile>, StoreError> {
        let mut select = guard.select().find_also_related(person::Entity);
        if let Some(gemeinde) = gemeinde {
            select = select.filter(person::Column::WohngemeindeBfs.eq(i32::from(gemeinde.get())));
        }
        let today = self.clock.today();
        let mut zeilen = Vec::new();
        for (row, person) in select.all(&self.db).await? {
            let person =
                person.ok_or_else(|| StoreError::Corrupt(format!("Frühförderung {}: Person fehlt", row.id)))?;
            let data = person_data(&person, today)?;
            let termine = self.kindergarten.termine(data.geburtsdatum);
            let phase = phase_of(&row);
            zeilen.push(KindZeile {
                id: row.id,
                nachname: data.nachname.as_str().to_owned(),
                vornamen: data.vornamen.as_str().to_owned(),
                geburtsdatum: data.geburtsdatum,
                wohngemeinde: data.wohngemeinde,
                termine,
                abklaerung_am: row.abklaerung_am,
                phase,
                faelligkeit: faelligkeit_of(&row, phase, termine, today),
            });
        }
        zeilen.sort_by(|a, b| {
            (a.termine.abklaerung, &a.nachname, &a.vornamen, a.id).cmp(&(
                b.termine.abklaerung,
                &b.nachname,
                &b.vornamen,
                b.id,
            ))
        });
        Ok(zeilen)
    }

    /// One child's track, if within the actor's scope; the read is logged, and so is an attempt outside.
    pub async fn get_kind(&self, actor: &Actor, id: i64) -> Result<Fruehfoerderung, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let person = child_of(&self.db, &row).await?;
        let kind = self.track_from_rows(&self.db, row, &person).await?;
        guard.logged(Some(id), None, kind).await
    }

    /// Takes a person of the register into the track by hand (a child the register did not deliver). The
    /// person must live in the actor's scope, be young enough and not be in the track yet. Refusals name the
    /// field `person_id`; a person outside the scope is refused like one that does not exist, and logged.
    pub async fn kind_aufnehmen(&self, actor: &Actor, person_id: i64) -> Result<Fruehfoerderung, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Create, None).await?;
        let txn = begin_write(&self.db).await?;
        let kind = self.take_into_track(&txn, &guard, person_id).await?;
        txn.commit().await?;
        Ok(kind)
    }

    /// [`Store::kind_aufnehmen`] inside the caller's transaction.
    async fn take_into_track(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        guard: &Guard<'_, fruehfoerderung::Entity>,
        person_id: i64,
    ) -> Result<Fruehfoerderung, StoreError> {
        let today = self.clock.today();
        let now = self.clock.now();
        let reached = child_reach(guard.actor(), guard.scope());
        let Some(person) = person::Entity::find_by_id(person_id).filter(reached).one(txn).await? else {
            if person::Entity::find_by_id(person_id).one(txn).await?.is_some() {
                let detail = format!("Aufnahme von Person {person_id}: ausserhalb des Zuständigkeitsgebiets");
                let refused = guard.refuse(None, &detail).await;
                if !matches!(refused, StoreError::NotFound) {
                    return Err(refused);
                }
            }
            return Err(StoreError::regel(StartIntegrationRegel::KindUnbekannt));
        };
        let data = person_data(&person, today)?;
        if let Err(eintritt) = aufnahme_moeglich(data.geburtsdatum, &self.kindergarten, today) {
            return Err(StoreError::regel(StartIntegrationRegel::KindImKindergartenalter { eintritt }));
        }
        let existing =
            fruehfoerderung::Entity::find().filter(fruehfoerderung::Column::PersonId.eq(person_id)).one(txn).await?;
        if let Some(existing) = existing {
            return Err(StoreError::regel(StartIntegrationRegel::KindBereitsBegleitet(Some(existing.id))));
        }
        let inserted = match new_row(person_id, Quelle::Erfasst, guard.actor().user_id, now).insert(txn).await {
            Ok(row) => row,
            Err(error) if is_unique_violation(&error) => {
                return Err(StoreError::regel(StartIntegrationRegel::KindBereitsBegleitet(None)));
            }
            Err(error) => return Err(error.into()),
        };
        guard.log_change(txn, inserted.id, Some(format!("Kind (Person {person_id}) von Hand aufgenommen"))).await?;
        self.track_from_rows(txn, inserted, &person).await
    }

    /// Registers a new person (a child the register did not deliver) through the Personenregister and takes it
    /// into the track, in one transaction: if taking it in fails, no person is left behind. The child is
    /// checked first, so a refused track costs no write at all.
    pub async fn neues_kind_aufnehmen(&self, actor: &Actor, data: PersonData) -> Result<Fruehfoerderung, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Create, None).await?;
        if let Err(eintritt) = aufnahme_moeglich(data.geburtsdatum, &self.kindergarten, self.clock.today()) {
            return Err(StoreError::regel(StartIntegrationRegel::GeburtsdatumImKindergartenalter { eintritt }));
        }
        let txn = begin_write(&self.db).await?;
        let person = self.insert_person(&txn, actor, data).await?;
        let kind = self.take_into_track(&txn, &guard, person.id).await?;
        txn.commit().await?;
        Ok(kind)
    }

    /// Records one section of the track (or adds an information contact), checked against the child's birth
    /// date, today and the entry rule. Stored and logged in one transaction.
    pub async fn fruehfoerderung_aendern(
        &self,
        actor: &Actor,
        id: i64,
        eingabe: &Eingabe,
    ) -> Result<Fruehfoerderung, StoreError> {
        let guard = self.guard::<fruehfoerderung::Entity>(actor, Action::Update, Some(id)).await?;
        let today = self.clock.today();
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let person = child_of(&txn, &row).await?;
        let data = person_data(&person, today)?;
        let kontext = Kontext { geburt: data.geburtsdatum, heute: today, regel: self.kindergarten };
        let aenderung = eingabe.check(&kontext).map_err(StoreError::Invalid)?;
        let abschnitt = aenderung.abschnitt();
        let mut active = row.into_active_model();
        match aenderung {
            Aenderung::Familiensprache(sprachen) => {
                active.familiensprachen = Set(Some(sprachen.join(",")));
                active.familiensprache_am = Set(Some(today));
            }
            Aenderung::Geburtskontakt(kontakt) => {
                active.geburtskontakt_am = Set(Some(kontakt.datum));
                active.geburtskontakt_art = Set(Some(kontakt.art.code().to_owned()));
                active.geburtskontakt_notiz = Set(Some(kontakt.notiz));
            }
            Aenderung::Kontakt(kontakt) => {
                fruehfoerderung_kontakt::ActiveModel {
                    id: NotSet,
                    fruehfoerderung_id: Set(id),
                    datum: Set(kontakt.datum),
                    art: Set(kontakt.art.code().to_owned()),
                    notiz: Set(kontakt.notiz),
                    created_at: Set(now),
                    created_by: Set(actor.user_id),
                }
                .insert(&txn)
                .await?;
            }
            Aenderung::Abklaerung(abklaerung) => {
                active.abklaerung_am = Set(Some(abklaerung.datum));
                active.abklaerung_ergebnis = Set(Some(abklaerung.ergebnis.code().to_owned()));
                active.abklaerung_bemerkung = Set(Some(abklaerung.bemerkung));
            }
            Aenderung::Empfehlung(empfehlung) => {
                active.empfehlung_am = Set(Some(empfehlung.datum));
                active.empfehlung = Set(Some(empfehlung.angebot));
            }
            Aenderung::Teilnahme(teilnahme) => {
                active.teilnahme = Set(Some(teilnahme.teilnimmt));
                active.teilnahme_von = Set(teilnahme.von);
                active.teilnahme_bis = Set(teilnahme.bis);
            }
            Aenderung::Eintritt(stand) => {
                active.stand_eintritt = Set(Some(stand.stand.code().to_owned()));
                active.eintritt_jahr = Set(Some(stand.jahr));
                active.eintritt_gemeinde_bfs = Set(Some(i32::from(data.wohngemeinde.get())));
            }
        }
        active.updated_at = Set(now);
        active.updated_by = Set(actor.user_id);
        let updated = active.update(&txn).await?;
        guard.log_change(&txn, id, Some(format!("erfasst: {abschnitt}"))).await?;
        let kind = self.track_from_rows(&txn, updated, &person).await?;
        txn.commit().await?;
        Ok(kind)
    }

    /// Per Gemeinde and Kindergarten entry year: the children with a recorded level and those who can
    /// communicate in German. No personal data, so reading is not logged (a refusal is).
    pub async fn kennzahlen(&self, actor: &Actor) -> Result<Vec<KennzahlZeile>, StoreError> {
        let scope = self.check_permission(actor, Resource::Kennzahlen, Action::Read).await?;
        let select = fruehfoerderung::Entity::find()
            .select_only()
            .column(fruehfoerderung::Column::EintrittGemeindeBfs)
            .column(fruehfoerderung::Column::EintrittJahr)
            .column(fruehfoerderung::Column::StandEintritt)
            .column_as(fruehfoerderung::Column::Id.count(), "anzahl")
            .filter(fruehfoerderung::Column::StandEintritt.is_not_null())
            .filter(fruehfoerderung::Column::EintrittJahr.is_not_null())
            .filter(fruehfoerderung::Column::EintrittGemeindeBfs.is_not_null())
            .group_by(fruehfoerderung::Column::EintrittGemeindeBfs)
            .group_by(fruehfoerderung::Column::EintrittJahr)
            .group_by(fruehfoerderung::Column::StandEintritt)
            .filter(kennzahlen_reach(actor, scope));
        let rows: Vec<(i32, i32, String, i64)> = select.into_tuple().all(&self.db).await?;
        let mut figures: BTreeMap<(i32, BfsNr), Kennzahl> = BTreeMap::new();
        for (bfs, jahr, stand, anzahl) in rows {
            let Some(gemeinde) = u16::try_from(bfs).ok().and_then(BfsNr::known) else { continue };
            let anzahl = u64::try_from(anzahl).unwrap_or_default();
            let figure = figures.entry((jahr, gemeinde)).or_default();
            figure.erfasst += anzahl;
            if Verstaendigung::from_code(&stand) == Some(Verstaendigung::Ja) {
                figure.verstaendigen += anzahl;
            }
        }
        Ok(figures.into_iter().map(|((jahr, gemeinde), kennzahl)| KennzahlZeile { gemeinde, jahr, kennzahl }).collect())
    }

    async fn track_from_rows(
        &self,
        db: &impl ConnectionTrait,
        row: fruehfoerderung::Model,
        person: &person::Model,
    ) -> Result<Fruehfoerderung, StoreError> {
        let today = self.clock.today();
        let data = person_data(person, today)?;
        let kontakt_rows = fruehfoerderung_kontakt::Entity::find()
            .filter(fruehfoerderung_kontakt::Column::FruehfoerderungId.eq(row.id))
            .order_by_asc(fruehfoerderung_kontakt::Column::Datum)
            .order_by_asc(fruehfoerderung_kontakt::Column::Id)
            .all(db)
            .await?;
        let mut user_ids = vec![row.created_by, row.updated_by];
        user_ids.extend(kontakt_rows.iter().map(|k| k.created_by));
        let names = user_names(db, &user_ids).await?;
        let name_of = |id: i64| names.get(&id).cloned().unwrap_or_default();
        let corrupt = |field: &str| StoreError::Corrupt(format!("Frühförderung {}: {field}", row.id));
        let mut kontakte = Vec::new();
        for k in kontakt_rows {
            let art = Kontaktart::from_code(&k.art).ok_or_else(|| corrupt("Kontaktart"))?;
            kontakte.push(KontaktEintrag {
                kontakt: Kontakt { datum: k.datum, art, notiz: k.notiz },
                erfasst_von: name_of(k.created_by),
            });
        }
        let geburtskontakt = match (row.geburtskontakt_am, &row.geburtskontakt_art) {
            (Some(datum), Some(art)) => Some(Kontakt {
                datum,
                art: Kontaktart::from_code(art).ok_or_else(|| corrupt("Kontaktart bei der Geburt"))?,
                notiz: row.geburtskontakt_notiz.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        let abklaerung = match (row.abklaerung_am, &row.abklaerung_ergebnis) {
            (Some(datum), Some(ergebnis)) => Some(Abklaerung {
                datum,
                ergebnis: AbklaerungErgebnis::from_code(ergebnis).ok_or_else(|| corrupt("Ergebnis der Abklärung"))?,
                bemerkung: row.abklaerung_bemerkung.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        let empfehlung = match (row.empfehlung_am, &row.empfehlung) {
            (Some(datum), Some(angebot)) => Some(Empfehlung { datum, angebot: angebot.clone() }),
            _ => None,
        };
        let teilnahme =
            row.teilnahme.map(|teilnimmt| Teilnahme { teilnimmt, von: row.teilnahme_von, bis: row.teilnahme_bis });
        let eintritt = match (&row.stand_eintritt, row.eintritt_jahr) {
            (Some(stand), Some(jahr)) => Some(StandBeimEintritt {
                stand: Verstaendigung::from_code(stand).ok_or_else(|| corrupt("Stand beim Eintritt"))?,
                jahr,
            }),
            _ => None,
        };
        let termine = self.kindergarten.termine(data.geburtsdatum);
        let phase = phase_of(&row);
        Ok(Fruehfoerderung {
            id: row.id,
            person_id: row.person_id,
            nachname: data.nachname.as_str().to_owned(),
            vornamen: data.vornamen.as_str().to_owned(),
            geburtsdatum: data.geburtsdatum,
            wohngemeinde: data.wohngemeinde,
            sprachen_person: data.sprachen.clone(),
            quelle: if row.quelle == Quelle::Register.code() { Quelle::Register } else { Quelle::Erfasst },
            familiensprachen: sprachen_of(&row),
            familiensprache_am: row.familiensprache_am,
            geburtskontakt,
            kontakte,
            termine,
            abklaerung,
            empfehlung,
            teilnahme,
            eintritt,
            eintritt_gemeinde: row.eintritt_gemeinde_bfs.and_then(|b| u16::try_from(b).ok()).and_then(BfsNr::known),
            phase,
            faelligkeit: faelligkeit_of(&row, phase, termine, today),
            created_at: row.created_at,
            created_by: name_of(row.created_by),
            updated_at: row.updated_at,
            updated_by: name_of(row.updated_by),
        })
    }
}

/// The child whose track `row` is.
async fn child_of(db: &impl ConnectionTrait, row: &fruehfoerderung::Model) -> Result<person::Model, StoreError> {
    let person = person::Entity::find_by_id(row.person_id).one(db).await?;
    person.ok_or_else(|| StoreError::Corrupt(format!("Frühförderung {}: Person fehlt", row.id)))
}

/// Starts the track for a child whose birth the register delivered, once: a second delivery of the same
/// birth, or a birth of a child already in the track, changes nothing. Part of the import's transaction and
/// covered by its access-log entry.
pub(crate) async fn start_from_register(
    db: &impl ConnectionTrait,
    person_id: i64,
    importer: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    fruehfoerderung::Entity::insert(new_row(person_id, Quelle::Register, importer, now))
        .on_conflict(OnConflict::column(fruehfoerderung::Column::PersonId).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn new_row(person_id: i64, quelle: Quelle, by: i64, now: DateTime<Utc>) -> fruehfoerderung::ActiveModel {
    fruehfoerderung::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        quelle: Set(quelle.code().to_owned()),
        familiensprachen: Set(None),
        familiensprache_am: Set(None),
        geburtskontakt_am: Set(None),
        geburtskontakt_art: Set(None),
        geburtskontakt_notiz: Set(None),
        abklaerung_am: Set(None),
        abklaerung_ergebnis: Set(None),
        abklaerung_bemerkung: Set(None),
        empfehlung_am: Set(None),
        empfehlung: Set(None),
        teilnahme: Set(None),
        teilnahme_von: Set(None),
        teilnahme_bis: Set(None),
        stand_eintritt: Set(None),
        eintritt_jahr: Set(None),
        eintritt_gemeinde_bfs: Set(None),
        created_at: Set(now),
        created_by: Set(by),
        updated_at: Set(now),
        updated_by: Set(by),
    }
}

fn sprachen_of(row: &fruehfoerderung::Model) -> Option<Vec<String>> {
    row.familiensprachen.as_ref().map(|text| text.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

fn phase_of(row: &fruehfoerderung::Model) -> Phase {
    Phase::aus(sprachen_of(row).as_deref(), row.stand_eintritt.is_some())
}

fn faelligkeit_of(row: &fruehfoerderung::Model, phase: Phase, termine: Termine, today: NaiveDate) -> Faelligkeit {
    Faelligkeit::von(termine.abklaerung, row.abklaerung_am.is_some() || !phase.offen(), today)
}

async fn user_names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}
