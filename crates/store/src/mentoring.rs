//! Regional Mentoring-Pools: the public sign-up of volunteer mentors, the coordinator's vetting, referrals of
//! mentees by Integrationsbeauftragte and case workers, match suggestions, tandems with check-ins, the
//! pool's figures, and the deletion of people's data after the retention period (ADR 0013).
//!
//! A pool is a Sozialregion: its coordinators are users of the Sozialregion's organisation with the role
//! Koordination, and they reach the mentors, mentees and tandems living in the region's Gemeinden through
//! the `Mentoring` row of the matrix (declared in `reach/mentoring.rs`; a record of another pool is not
//! found, and the attempt logged). Referrers only create (`MentoringZuweisung`) and never read the pool.
//! The public sign-up has no actor: it is limited per client address and logged as «öffentlich».

use crate::audit::insert_entry;
use crate::entity::{login_throttle, mentoring_checkin, mentoring_mentee, mentoring_mentor, mentoring_tandem};
use crate::fallfuehrung::dossiers::user_names;
use crate::start_integration::erstinformation::bfs_of;
use crate::{Page, PageWindow, Store, StoreError, begin_write, decode, decode_optional};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use iim_domain::mentoring::{
    Abklaerung, AbklaerungInput, Anmeldung, CheckinInput, EndGrund, Interesse, MAX_OFFENE_TANDEMS, MentorStatus,
    Profil, TandemStatus, TandemWechselInput, ZuweisungInput, aufbewahrung_abgelaufen, dauer_tage, passung,
};
use iim_domain::regeln::MentoringRegel;
use iim_domain::{Action, Actor, AuditEntry, BfsNr, Channel, Choice, Outcome, Resource, catalog};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

/// Sign-ups accepted per client address within one hour.
pub const MAX_ANMELDUNGEN_PRO_STUNDE: i32 = 5;
const ANMELDUNG_FENSTER: Duration = Duration::hours(1);
const MAX_PER_PAGE: u64 = 100;

/// Refusal of a public sign-up.
#[derive(Debug, thiserror::Error)]
pub enum AnmeldungError {
    #[error("{}", MentoringRegel::ZuVieleAnmeldungen)]
    ZuViele,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AnmeldungError {
    fn from(error: sea_orm::DbErr) -> Self {
        AnmeldungError::Store(error.into())
    }
}

/// Filter of the mentor list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentorQuery {
    pub status: Option<MentorStatus>,
    pub page: u64,
    pub per_page: u64,
}

/// A mentor in the pool's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorZeile {
    pub id: i64,
    pub name: String,
    pub gemeinde: String,
    pub status: MentorStatus,
    pub sprachen: Vec<String>,
    pub angemeldet_at: DateTime<Utc>,
}

/// A mentor with the vetting record and tandems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentor {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub telefon: String,
    pub gemeinde: String,
    pub sprachen: Vec<String>,
    pub verfuegbarkeit: String,
    pub interessen: Vec<&'static str>,
    pub interessen_text: String,
    pub status: MentorStatus,
    pub gespraech_am: Option<NaiveDate>,
    pub notizen: String,
    pub angemeldet_at: DateTime<Utc>,
    pub geaendert_at: DateTime<Utc>,
    pub tandems: Vec<TandemZeile>,
}

/// A referred mentee in the pool's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenteeZeile {
    pub id: i64,
    pub name: String,
    pub gemeinde: String,
    pub sprachen: Vec<String>,
    pub zugewiesen_at: DateTime<Utc>,
    /// The status of the open tandem; `None` while the mentee waits for a match.
    pub tandem: Option<TandemStatus>,
}

/// A mentee with what the referral stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentee {
    pub id: i64,
    pub name: String,
    pub gemeinde: String,
    pub sprachen: Vec<String>,
    pub interessen: Vec<&'static str>,
    pub interessen_text: String,
    pub kontakt: String,
    pub einwilligung_am: NaiveDate,
    pub zugewiesen_at: DateTime<Utc>,
    pub zugewiesen_von: String,
    pub tandems: Vec<TandemZeile>,
}

/// A mentor suggested for a mentee, with the score and the reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vorschlag {
    pub mentor_id: i64,
    pub name: String,
    pub gemeinde: String,
    pub punkte: u32,
    pub gruende: Vec<String>,
    pub offene_tandems: usize,
}

/// A tandem in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TandemZeile {
    pub id: i64,
    pub mentor: String,
    pub mentee: String,
    pub status: TandemStatus,
    pub begonnen_am: Option<NaiveDate>,
    pub beendet_am: Option<NaiveDate>,
}

/// One check-in on a tandem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinEintrag {
    pub datum: NaiveDate,
    pub notiz: String,
    pub erfasst_von: String,
}

/// A tandem with its check-ins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tandem {
    pub id: i64,
    pub mentor_id: Option<i64>,
    pub mentor: String,
    pub mentee_id: Option<i64>,
    pub mentee: String,
    pub gemeinde: String,
    pub status: TandemStatus,
    pub vorgeschlagen_at: DateTime<Utc>,
    pub begonnen_am: Option<NaiveDate>,
    pub beendet_am: Option<NaiveDate>,
    pub end_grund: Option<EndGrund>,
    pub end_text: String,
    pub checkins: Vec<CheckinEintrag>,
}

/// The pool's figures (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolZahlen {
    pub vorgeschlagen: u64,
    pub aktiv: u64,
    pub pausiert: u64,
    pub beendet: u64,
    /// Average length in days of the ended tandems that had started.
    pub dauer_beendet_tage: Option<i64>,
    /// Average length so far in days of the active and paused tandems.
    pub dauer_laufend_tage: Option<i64>,
    pub mentoren_nach_status: Vec<(MentorStatus, u64)>,
    pub wartende_mentees: u64,
}

/// What the retention run deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AufraeumBericht {
    pub mentoren: u64,
    pub mentees: u64,
    pub tandems_anonymisiert: u64,
}

impl Store {
    /// Stores a volunteer's sign-up from the public form as a new mentor of the pool of their Gemeinde;
    /// at most [`MAX_ANMELDUNGEN_PRO_STUNDE`] per client address and hour.
    pub async fn mentor_anmelden(&self, anmeldung: &Anmeldung, client: &str) -> Result<i64, AnmeldungError> {
        let now = self.clock.now();
        let key = format!("mentoring:{client}");
        let txn = begin_write(&self.db).await?;
        let existing = login_throttle::Entity::find_by_id(key.clone()).one(&txn).await?;
        let (count, window_started_at) = match &existing {
            Some(row) if now - row.window_started_at < ANMELDUNG_FENSTER => (row.failures + 1, row.window_started_at),
            _ => (1, now),
        };
        if count > MAX_ANMELDUNGEN_PRO_STUNDE {
            tracing::warn!("mentoring sign-up refused: too many from one address");
            return Err(AnmeldungError::ZuViele);
        }
        let counter = login_throttle::ActiveModel {
            throttle_key: Set(key),
            failures: Set(count),
            window_started_at: Set(window_started_at),
            locked_until: Set(None),
        };
        if existing.is_some() {
            counter.update(&txn).await?;
        } else {
            counter.insert(&txn).await?;
        }
        let mentor = mentoring_mentor::ActiveModel {
            id: NotSet,
            name: Set(anmeldung.name.clone()),
            email: Set(anmeldung.email.clone()),
            telefon: Set(anmeldung.telefon.clone()),
            gemeinde_bfs: Set(i32::from(anmeldung.gemeinde.get())),
            sprachen: Set(anmeldung.sprachen.join(",")),
            verfuegbarkeit: Set(anmeldung.verfuegbarkeit.clone()),
            interessen: Set(codes(&anmeldung.interessen)),
            interessen_text: Set(anmeldung.interessen_text.clone()),
            status: Set(MentorStatus::Neu.code().to_owned()),
            gespraech_am: Set(None),
            notizen: Set(String::new()),
            angemeldet_at: Set(now),
            geaendert_at: Set(now),
            geaendert_von: Set(None),
        }
        .insert(&txn)
        .await?;
        insert_entry(
            &txn,
            &public_entry(mentor.id, now, format!("Anmeldung Mentor/in, Gemeinde {}", anmeldung.gemeinde)),
        )
        .await?;
        txn.commit().await?;
        Ok(mentor.id)
    }

    /// The pool's mentors, newest first, optionally by status; the read is logged with the mentors shown.
    pub async fn list_mentoren(&self, actor: &Actor, query: &MentorQuery) -> Result<Page<MentorZeile>, StoreError> {
        let guard = self.guard::<mentoring_mentor::Entity>(actor, Action::Read, None).await?;
        let mut select = guard.select();
        if let Some(status) = query.status {
            select = select.filter(mentoring_mentor::Column::Status.eq(status.code()));
        }
        let select =
            select.order_by_desc(mentoring_mentor::Column::AngemeldetAt).order_by_desc(mentoring_mentor::Column::Id);
        let window = PageWindow::new(query.page, query.per_page, MAX_PER_PAGE);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select.offset(window.offset()).limit(per_page).all(&self.db).await?;
        let items: Vec<MentorZeile> = rows
            .into_iter()
            .map(|row| {
                Ok(MentorZeile {
                    id: row.id,
                    gemeinde: gemeinde_name(row.gemeinde_bfs),
                    status: mentor_status(&row)?,
                    sprachen: language_names(&row.sprachen),
                    angemeldet_at: row.angemeldet_at,
                    name: row.name,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let detail = list_detail("Mentor/innen", page, items.iter().map(|m| m.id));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// One mentor with the vetting record and tandems; the read is logged.
    pub async fn get_mentor(&self, actor: &Actor, id: i64) -> Result<Mentor, StoreError> {
        let guard = self.guard::<mentoring_mentor::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let tandems = self.tandem_rows(mentoring_tandem::Column::MentorId.eq(id)).await?;
        let mentor = Mentor {
            id: row.id,
            gemeinde: gemeinde_name(row.gemeinde_bfs),
            sprachen: language_names(&row.sprachen),
            interessen: interest_labels(&row.interessen),
            status: mentor_status(&row)?,
            name: row.name,
            email: row.email,
            telefon: row.telefon,
            verfuegbarkeit: row.verfuegbarkeit,
            interessen_text: row.interessen_text,
            gespraech_am: row.gespraech_am,
            notizen: row.notizen,
            angemeldet_at: row.angemeldet_at,
            geaendert_at: row.geaendert_at,
            tandems,
        };
        guard.logged(Some(id), Some("Mentor/in".to_owned()), mentor).await
    }

    /// Records the vetting: status, interview date and notes.
    pub async fn mentor_abklaeren(&self, actor: &Actor, id: i64, input: &AbklaerungInput) -> Result<(), StoreError> {
        let guard = self.guard::<mentoring_mentor::Entity>(actor, Action::Update, Some(id)).await?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let offene = self.open_tandems_of_mentor(&txn, id).await?;
        let Abklaerung { status, gespraech_am, notizen } =
            input.check(self.clock.today(), offene).map_err(StoreError::Invalid)?;
        let mut active = row.into_active_model();
        active.status = Set(status.code().to_owned());
        active.gespraech_am = Set(gespraech_am);
        active.notizen = Set(notizen);
        active.geaendert_at = Set(now);
        active.geaendert_von = Set(Some(actor.user_id));
        active.update(&txn).await?;
        guard.log_change(&txn, id, Some(format!("Abklärung Mentor/in, Status: {}", status.label()))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Refers a mentee to the pool of their Gemeinde, with the person's consent; the referrer's scope must
    /// reach the Gemeinde. Returns the mentee's number.
    pub async fn mentee_zuweisen(&self, actor: &Actor, input: &ZuweisungInput) -> Result<i64, StoreError> {
        let scope = self.check_permission(actor, Resource::MentoringZuweisung, Action::Create).await?;
        let zuweisung = input.check(self.clock.today()).map_err(StoreError::Invalid)?;
        if !actor.reaches_gemeinde(scope, zuweisung.gemeinde) {
            let refused = self.zuweisung_entry(actor, None, Outcome::Denied);
            let detail = format!("Gemeinde {} ausserhalb des Zuständigkeitsgebiets", zuweisung.gemeinde);
            self.log_read(refused.with_detail(detail)).await?;
            return Err(StoreError::regel(MentoringRegel::ZuweisungAusserhalb));
        }
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let mentee = mentoring_mentee::ActiveModel {
            id: NotSet,
            name: Set(zuweisung.name),
            gemeinde_bfs: Set(i32::from(zuweisung.gemeinde.get())),
            sprachen: Set(zuweisung.sprachen.join(",")),
            interessen: Set(codes(&zuweisung.interessen)),
            interessen_text: Set(zuweisung.interessen_text),
            kontakt: Set(zuweisung.kontakt),
            einwilligung_am: Set(zuweisung.einwilligung_am),
            zugewiesen_at: Set(now),
            zugewiesen_von: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        let detail = format!("Zuweisung an den Mentoring-Pool, Gemeinde {}", zuweisung.gemeinde);
        insert_entry(&txn, &self.zuweisung_entry(actor, Some(mentee.id), Outcome::Allowed).with_detail(detail)).await?;
        txn.commit().await?;
        Ok(mentee.id)
    }

    /// The pool's mentees, newest referral first, with the status of their open tandem.
    pub async fn list_mentees(&self, actor: &Actor, page: u64, per_page: u64) -> Result<Page<MenteeZeile>, StoreError> {
        let guard = self.guard::<mentoring_mentee::Entity>(actor, Action::Read, None).await?;
        let select = guard
            .select()
            .order_by_desc(mentoring_mentee::Column::ZugewiesenAt)
            .order_by_desc(mentoring_mentee::Column::Id);
        let window = PageWindow::new(page, per_page, MAX_PER_PAGE);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select.offset(window.offset()).limit(per_page).all(&self.db).await?;
        let mut open: HashMap<i64, TandemStatus> = HashMap::new();
        for tandem in mentoring_tandem::Entity::find()
            .filter(mentoring_tandem::Column::MenteeId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()))
            .filter(mentoring_tandem::Column::Status.ne(TandemStatus::Beendet.code()))
            .all(&self.db)
            .await?
        {
            if let Some(mentee) = tandem.mentee_id {
                open.insert(mentee, tandem_status(&tandem)?);
            }
        }
        let items: Vec<MenteeZeile> = rows
            .into_iter()
            .map(|row| MenteeZeile {
                id: row.id,
                gemeinde: gemeinde_name(row.gemeinde_bfs),
                sprachen: language_names(&row.sprachen),
                zugewiesen_at: row.zugewiesen_at,
                tandem: open.get(&row.id).copied(),
                name: row.name,
            })
            .collect();
        let detail = list_detail("Mentees", page, items.iter().map(|m| m.id));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// One mentee with the referral and tandems; the read is logged.
    pub async fn get_mentee(&self, actor: &Actor, id: i64) -> Result<Mentee, StoreError> {
        let guard = self.guard::<mentoring_mentee::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let tandems = self.tandem_rows(mentoring_tandem::Column::MenteeId.eq(id)).await?;
        let von = user_names(&self.db, std::iter::once(row.zugewiesen_von)).await?;
        let mentee = Mentee {
            id: row.id,
            gemeinde: gemeinde_name(row.gemeinde_bfs),
            sprachen: language_names(&row.sprachen),
            interessen: interest_labels(&row.interessen),
            zugewiesen_von: von.get(&row.zugewiesen_von).cloned().unwrap_or_default(),
            name: row.name,
            interessen_text: row.interessen_text,
            kontakt: row.kontakt,
            einwilligung_am: row.einwilligung_am,
            zugewiesen_at: row.zugewiesen_at,
            tandems,
        };
        guard.logged(Some(id), Some("Mentee".to_owned()), mentee).await
    }

    /// Mentors of the pool who fit a mentee: status «geeignet», fewer than [`MAX_OFFENE_TANDEMS`] open
    /// tandems, best score first; the read is logged with the mentors shown.
    pub async fn vorschlaege(&self, actor: &Actor, mentee_id: i64) -> Result<Vec<Vorschlag>, StoreError> {
        let guard = self.guard::<mentoring_mentee::Entity>(actor, Action::Read, Some(mentee_id)).await?;
        let mentee = guard.find(&self.db, mentee_id).await?;
        let mentors = self
            .guard::<mentoring_mentor::Entity>(actor, Action::Read, None)
            .await?
            .select()
            .filter(mentoring_mentor::Column::Status.eq(MentorStatus::Geeignet.code()))
            .all(&self.db)
            .await?;
        let open = self.open_tandem_counts(&self.db, mentors.iter().map(|m| m.id).collect()).await?;
        let wanted = profil(&mentee.sprachen, &mentee.interessen, mentee.gemeinde_bfs);
        let mut vorschlaege: Vec<Vorschlag> = mentors
            .into_iter()
            .filter(|m| open.get(&m.id).copied().unwrap_or(0) < MAX_OFFENE_TANDEMS)
            .filter_map(|m| {
                let fit = passung(&profil(&m.sprachen, &m.interessen, m.gemeinde_bfs)?, wanted.as_ref()?);
                Some(Vorschlag {
                    mentor_id: m.id,
                    gemeinde: gemeinde_name(m.gemeinde_bfs),
                    punkte: fit.punkte,
                    gruende: fit.gruende,
                    offene_tandems: open.get(&m.id).copied().unwrap_or(0),
                    name: m.name,
                })
            })
            .collect();
        vorschlaege.sort_by(|a, b| {
            b.punkte.cmp(&a.punkte).then(a.offene_tandems.cmp(&b.offene_tandems)).then(a.mentor_id.cmp(&b.mentor_id))
        });
        let shown: Vec<String> = vorschlaege.iter().map(|v| v.mentor_id.to_string()).collect();
        let detail = format!("Vorschläge für Mentee, Mentor/innen angezeigt: {}", shown.join(","));
        guard.logged(Some(mentee_id), Some(detail), vorschlaege).await
    }

    /// The coordinator confirms a suggestion: a tandem «vorgeschlagen» of the mentor and the mentee.
    /// The checks run in the transaction on the locked mentor and mentee (always in this order), so two
    /// proposals for the same person at once cannot both pass them.
    pub async fn tandem_vorschlagen(&self, actor: &Actor, mentee_id: i64, mentor_id: i64) -> Result<i64, StoreError> {
        let mentees = self.guard::<mentoring_mentee::Entity>(actor, Action::Update, Some(mentee_id)).await?;
        let mentors = self.guard::<mentoring_mentor::Entity>(actor, Action::Update, Some(mentor_id)).await?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let mentor = mentors.find_for_change(&txn, mentor_id).await?;
        let mentee = mentees.find_for_change(&txn, mentee_id).await?;
        if mentor_status(&mentor)? != MentorStatus::Geeignet {
            return Err(StoreError::regel(MentoringRegel::MentorNichtGeeignet));
        }
        if self.open_tandems_of_mentor(&txn, mentor_id).await? >= MAX_OFFENE_TANDEMS {
            return Err(StoreError::regel(MentoringRegel::MentorAusgelastet));
        }
        let offen = mentoring_tandem::Entity::find()
            .filter(mentoring_tandem::Column::MenteeId.eq(mentee_id))
            .filter(mentoring_tandem::Column::Status.ne(TandemStatus::Beendet.code()))
            .count(&txn)
            .await?;
        if offen > 0 {
            return Err(StoreError::regel(MentoringRegel::MenteeSchonImTandem));
        }
        let tandem = mentoring_tandem::ActiveModel {
            id: NotSet,
            mentor_id: Set(Some(mentor_id)),
            mentee_id: Set(Some(mentee_id)),
            gemeinde_bfs: Set(mentee.gemeinde_bfs),
            status: Set(TandemStatus::Vorgeschlagen.code().to_owned()),
            vorgeschlagen_at: Set(now),
            begonnen_am: Set(None),
            beendet_am: Set(None),
            end_grund: Set(None),
            end_text: Set(String::new()),
            geaendert_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let detail = format!("Tandem vorgeschlagen: Mentor/in {mentor_id}, Mentee {mentee_id}");
        mentees.log_change(&txn, tandem.id, Some(detail)).await?;
        txn.commit().await?;
        Ok(tandem.id)
    }

    /// The pool's open tandems (proposed, active, paused), oldest first.
    pub async fn offene_tandems(&self, actor: &Actor) -> Result<Vec<TandemZeile>, StoreError> {
        let guard = self.guard::<mentoring_tandem::Entity>(actor, Action::Read, None).await?;
        let rows = guard
            .select()
            .filter(mentoring_tandem::Column::Status.ne(TandemStatus::Beendet.code()))
            .order_by_asc(mentoring_tandem::Column::Id)
            .all(&self.db)
            .await?;
        let items = self.tandem_lines(rows).await?;
        let detail = list_detail("Tandems", 1, items.iter().map(|t| t.id));
        guard.logged(None, Some(detail), items).await
    }

    /// One tandem with its check-ins; the read is logged.
    pub async fn get_tandem(&self, actor: &Actor, id: i64) -> Result<Tandem, StoreError> {
        let guard = self.guard::<mentoring_tandem::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let checkins = mentoring_checkin::Entity::find()
            .filter(mentoring_checkin::Column::TandemId.eq(id))
            .order_by_desc(mentoring_checkin::Column::Datum)
            .order_by_desc(mentoring_checkin::Column::Id)
            .all(&self.db)
            .await?;
        let names = user_names(&self.db, checkins.iter().map(|c| c.erfasst_von)).await?;
        let (mentor, mentee) = self.tandem_names(&row).await?;
        let tandem = Tandem {
            id: row.id,
            mentor_id: row.mentor_id,
            mentor,
            mentee_id: row.mentee_id,
            mentee,
            gemeinde: gemeinde_name(row.gemeinde_bfs),
            status: tandem_status(&row)?,
            vorgeschlagen_at: row.vorgeschlagen_at,
            begonnen_am: row.begonnen_am,
            beendet_am: row.beendet_am,
            end_grund: decode_optional("Endgrund", row.end_grund.as_deref(), EndGrund::from_code)?,
            end_text: row.end_text,
            checkins: checkins
                .into_iter()
                .map(|c| CheckinEintrag {
                    datum: c.datum,
                    erfasst_von: names.get(&c.erfasst_von).cloned().unwrap_or_default(),
                    notiz: c.notiz,
                })
                .collect(),
        };
        guard.logged(Some(id), Some("Tandem".to_owned()), tandem).await
    }

    /// Moves a tandem along its lifecycle: starts it, pauses, resumes or ends it with a reason.
    pub async fn tandem_wechseln(&self, actor: &Actor, id: i64, input: &TandemWechselInput) -> Result<(), StoreError> {
        let guard = self.guard::<mentoring_tandem::Entity>(actor, Action::Update, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let current = tandem_status(&row)?;
        let wechsel = input.check(current, row.begonnen_am, self.clock.today()).map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        let mut active = row.clone().into_active_model();
        active.status = Set(wechsel.status.code().to_owned());
        if wechsel.status == TandemStatus::Aktiv && row.begonnen_am.is_none() {
            active.begonnen_am = Set(Some(wechsel.datum));
        }
        if wechsel.status == TandemStatus::Beendet {
            active.beendet_am = Set(Some(wechsel.datum));
            active.end_grund = Set(wechsel.grund.map(|g| g.code().to_owned()));
            active.end_text = Set(wechsel.grund_text.clone());
        }
        active.geaendert_at = Set(now);
        active.update(&txn).await?;
        let detail =
            format!("Tandem {} → {} am {}", current.label(), wechsel.status.label(), wechsel.datum.format("%d.%m.%Y"));
        guard.log_change(&txn, id, Some(detail)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records a check-in on an open tandem.
    pub async fn checkin_erfassen(&self, actor: &Actor, id: i64, input: &CheckinInput) -> Result<(), StoreError> {
        let guard = self.guard::<mentoring_tandem::Entity>(actor, Action::Update, Some(id)).await?;
        let checkin = input.check(self.clock.today()).map_err(StoreError::Invalid)?;
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        if !tandem_status(&row)?.offen() {
            return Err(StoreError::regel(MentoringRegel::TandemBeendet));
        }
        let now = self.clock.now();
        mentoring_checkin::ActiveModel {
            id: NotSet,
            tandem_id: Set(id),
            datum: Set(checkin.datum),
            notiz: Set(checkin.notiz),
            erfasst_von: Set(actor.user_id),
            erfasst_at: Set(now),
        }
        .insert(&txn)
        .await?;
        guard.log_change(&txn, id, Some("Check-in erfasst".to_owned())).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The pool's figures: tandems by status, average durations, mentors by status, waiting mentees.
    pub async fn pool_zahlen(&self, actor: &Actor) -> Result<PoolZahlen, StoreError> {
        let tandems =
            self.guard::<mentoring_tandem::Entity>(actor, Action::Read, None).await?.select().all(&self.db).await?;
        let today = self.clock.today();
        let mut zahlen = PoolZahlen::default();
        let (mut beendet, mut laufend) = (Vec::new(), Vec::new());
        for tandem in &tandems {
            match tandem_status(tandem)? {
                TandemStatus::Vorgeschlagen => zahlen.vorgeschlagen += 1,
                TandemStatus::Aktiv => zahlen.aktiv += 1,
                TandemStatus::Pausiert => zahlen.pausiert += 1,
                TandemStatus::Beendet => zahlen.beendet += 1,
            }
            match (tandem.begonnen_am, tandem.beendet_am) {
                (Some(start), Some(end)) => beendet.push(dauer_tage(start, end)),
                (Some(start), None) => laufend.push(dauer_tage(start, today)),
                _ => {}
            }
        }
        zahlen.dauer_beendet_tage = average(&beendet);
        zahlen.dauer_laufend_tage = average(&laufend);
        let mentors: Vec<String> = self
            .guard::<mentoring_mentor::Entity>(actor, Action::Read, None)
            .await?
            .select()
            .select_only()
            .column(mentoring_mentor::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await?;
        zahlen.mentoren_nach_status = MentorStatus::ALL
            .iter()
            .map(|status| (*status, mentors.iter().filter(|code| code.as_str() == status.code()).count() as u64))
            .collect();
        let mentees: Vec<i64> = self
            .guard::<mentoring_mentee::Entity>(actor, Action::Read, None)
            .await?
            .select()
            .select_only()
            .column(mentoring_mentee::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut busy: Vec<i64> = Vec::new();
        for tandem in &tandems {
            if tandem_status(tandem)?.offen() {
                busy.extend(tandem.mentee_id);
            }
        }
        zahlen.wartende_mentees = mentees.iter().filter(|id| !busy.contains(id)).count() as u64;
        Ok(zahlen)
    }

    /// Mentees without an open tandem whose last tandem ended more than `tage` days ago.
    pub(crate) async fn expired_mentees(&self, today: NaiveDate, tage: u32) -> Result<Vec<i64>, StoreError> {
        let tandems = mentoring_tandem::Entity::find()
            .filter(mentoring_tandem::Column::MenteeId.is_not_null())
            .all(&self.db)
            .await?;
        let mut last_end: HashMap<i64, Option<NaiveDate>> = HashMap::new();
        for tandem in tandems {
            let Some(mentee) = tandem.mentee_id else { continue };
            let end = if tandem_status(&tandem)?.offen() {
                None
            } else {
                Some(tandem.beendet_am.unwrap_or_else(|| iim_domain::clock::local_date(tandem.geaendert_at)))
            };
            let slot = last_end.entry(mentee).or_insert(end);
            *slot = match (*slot, end) {
                (Some(a), Some(b)) => Some(Ord::max(a, b)),
                _ => None,
            };
        }
        Ok(last_end
            .into_iter()
            .filter_map(|(mentee, end)| end.filter(|end| aufbewahrung_abgelaufen(*end, today, tage)).map(|_| mentee))
            .collect())
    }

    async fn open_tandems_of_mentor(&self, db: &impl ConnectionTrait, mentor_id: i64) -> Result<usize, StoreError> {
        Ok(self.open_tandem_counts(db, vec![mentor_id]).await?.get(&mentor_id).copied().unwrap_or(0))
    }

    async fn open_tandem_counts(
        &self,
        db: &impl ConnectionTrait,
        mentor_ids: Vec<i64>,
    ) -> Result<HashMap<i64, usize>, StoreError> {
        let rows: Vec<Option<i64>> = mentoring_tandem::Entity::find()
            .filter(mentoring_tandem::Column::MentorId.is_in(mentor_ids))
            .filter(mentoring_tandem::Column::Status.ne(TandemStatus::Beendet.code()))
            .select_only()
            .column(mentoring_tandem::Column::MentorId)
            .into_tuple()
            .all(db)
            .await?;
        let mut counts = HashMap::new();
        for id in rows.into_iter().flatten() {
            *counts.entry(id).or_insert(0) += 1;
        }
        Ok(counts)
    }

    async fn tandem_rows(&self, filter: sea_orm::sea_query::SimpleExpr) -> Result<Vec<TandemZeile>, StoreError> {
        let rows = mentoring_tandem::Entity::find()
            .filter(filter)
            .order_by_desc(mentoring_tandem::Column::Id)
            .all(&self.db)
            .await?;
        self.tandem_lines(rows).await
    }

    async fn tandem_lines(&self, rows: Vec<mentoring_tandem::Model>) -> Result<Vec<TandemZeile>, StoreError> {
        let mentors = names(
            &self.db,
            mentoring_mentor::Entity::find()
                .filter(mentoring_mentor::Column::Id.is_in(rows.iter().filter_map(|r| r.mentor_id).collect::<Vec<_>>()))
                .select_only()
                .column(mentoring_mentor::Column::Id)
                .column(mentoring_mentor::Column::Name),
        )
        .await?;
        let mentees = names(
            &self.db,
            mentoring_mentee::Entity::find()
                .filter(mentoring_mentee::Column::Id.is_in(rows.iter().filter_map(|r| r.mentee_id).collect::<Vec<_>>()))
                .select_only()
                .column(mentoring_mentee::Column::Id)
                .column(mentoring_mentee::Column::Name),
        )
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(TandemZeile {
                    id: row.id,
                    mentor: name_or_deleted(row.mentor_id.and_then(|id| mentors.get(&id))),
                    mentee: name_or_deleted(row.mentee_id.and_then(|id| mentees.get(&id))),
                    status: tandem_status(&row)?,
                    begonnen_am: row.begonnen_am,
                    beendet_am: row.beendet_am,
                })
            })
            .collect()
    }

    async fn tandem_names(&self, row: &mentoring_tandem::Model) -> Result<(String, String), StoreError> {
        let line = self.tandem_lines(vec![row.clone()]).await?.remove(0);
        Ok((line.mentor, line.mentee))
    }

    /// The log entry of a referral: the referrer creates and never reads the pool.
    fn zuweisung_entry(&self, actor: &Actor, mentee: Option<i64>, outcome: Outcome) -> AuditEntry {
        let record = mentee.map(|id| id.to_string());
        AuditEntry::of(actor, Action::Create, Resource::MentoringZuweisung, record, outcome, self.clock.now())
    }
}

/// The detail of a list's read entry: which records were shown.
fn list_detail(what: &str, page: u64, ids: impl Iterator<Item = i64>) -> String {
    let shown: Vec<String> = ids.map(|id| id.to_string()).collect();
    format!("Liste {what}, Seite {page}, angezeigt: {}", shown.join(","))
}

async fn names<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = select.into_tuple().all(db).await?;
    Ok(rows.into_iter().collect())
}

fn name_or_deleted(name: Option<&String>) -> String {
    name.cloned().unwrap_or_else(|| "(gelöscht)".to_owned())
}

fn average(days: &[i64]) -> Option<i64> {
    let count = i64::try_from(days.len()).ok().filter(|n| *n > 0)?;
    Some(days.iter().sum::<i64>() / count)
}

fn profil(sprachen: &str, interessen: &str, bfs: i32) -> Option<Profil> {
    Some(Profil {
        sprachen: split(sprachen).map(str::to_owned).collect(),
        interessen: split(interessen).filter_map(Interesse::from_code).collect(),
        gemeinde: bfs_of(bfs)?,
    })
}

fn codes(interessen: &[Interesse]) -> String {
    interessen.iter().map(|i| i.code()).collect::<Vec<_>>().join(",")
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|c| !c.is_empty())
}

fn language_names(codes: &str) -> Vec<String> {
    split(codes).map(|code| catalog::language_name(code).unwrap_or(code).to_owned()).collect()
}

fn interest_labels(codes: &str) -> Vec<&'static str> {
    split(codes).filter_map(Interesse::from_code).map(Interesse::label).collect()
}

fn gemeinde_name(bfs: i32) -> String {
    bfs_of(bfs).map(BfsNr::name).unwrap_or_default()
}

/// The stored status of a mentor; an unknown code is a corrupt row, never a default.
fn mentor_status(row: &mentoring_mentor::Model) -> Result<MentorStatus, StoreError> {
    decode("Mentorstatus", &row.status, MentorStatus::from_code)
}

/// The stored status of a tandem; an unknown code is a corrupt row, never a default.
fn tandem_status(row: &mentoring_tandem::Model) -> Result<TandemStatus, StoreError> {
    decode("Tandemstatus", &row.status, TandemStatus::from_code)
}

/// The log entry of a sign-up from the public form: nobody is logged in.
fn public_entry(mentor_id: i64, at: DateTime<Utc>, detail: String) -> AuditEntry {
    AuditEntry {
        occurred_at: at,
        actor_user_id: None,
        actor_username: "öffentlich".to_owned(),
        actor_organisation_id: None,
        channel: Channel::Ui,
        action: Action::Create.code().to_owned(),
        resource: Resource::Mentoring.code().to_owned(),
        record_id: Some(mentor_id.to_string()),
        outcome: Outcome::Allowed,
        detail: Some(detail),
    }
}

/// The log entry of the retention run (an operator command or the server start).
pub(crate) fn system_entry(at: DateTime<Utc>, detail: String) -> AuditEntry {
    AuditEntry {
        occurred_at: at,
        actor_user_id: None,
        actor_username: "system".to_owned(),
        actor_organisation_id: None,
        channel: Channel::Cli,
        action: Action::Delete.code().to_owned(),
        resource: Resource::Mentoring.code().to_owned(),
        record_id: None,
        outcome: Outcome::Allowed,
        detail: Some(detail),
    }
}
