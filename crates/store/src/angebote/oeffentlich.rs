//! Offers of the Angebotsplattform as the public sees them: published and still valid. Reading public offers
//! needs no actor and writes no access-log entry, because an offer holds no personal data (ADR 0012).
//! Keeping offers (drafts, submission, moderation) is in `angebote_verwaltung.rs`.

use crate::entity::{angebot, angebot_ort};
use crate::{Store, StoreError, decode, decode_optional};
use chrono::{DateTime, Utc};
use iim_domain::angebot::{AngebotData, AngebotStatus, Kategorie, Ort, Tageszeit, Zielgruppe};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::sprache::Niveau;
use iim_domain::{BfsNr, Choice};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// An offer with its owner and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Angebot {
    pub id: i64,
    pub organisation_id: i64,
    /// The name of the owning organisation, shown as the provider.
    pub anbieter: String,
    pub status: AngebotStatus,
    pub data: AngebotData,
    pub rueckweisung: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub veroeffentlicht_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Every published offer that is still valid today, by id. An offer whose stored data cannot be read
    /// (an unknown code) is left out and named in the operator log: one broken row must not take the public
    /// search, which is built from this list at start, or the open-data export down with it. The provider's
    /// own list and the Kanton's Prüfliste still report it as corrupt.
    pub async fn published_offers(&self) -> Result<Vec<Angebot>, StoreError> {
        let rows = angebot::Entity::find()
            .filter(angebot::Column::Status.eq(AngebotStatus::Veroeffentlicht.code()))
            .filter(angebot::Column::GueltigBis.gte(self.clock.today()))
            .order_by_asc(angebot::Column::Id)
            .all(&self.db)
            .await?;
        let mut places = self.places_of(&self.db, &rows).await?;
        let mut offers = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.id;
            match self.offer_of(row, &mut places) {
                Ok(offer) => offers.push(offer),
                Err(error) => tracing::error!(angebot = id, %error, "published offer left out: stored data unreadable"),
            }
        }
        Ok(offers)
    }

    /// One offer as the public may see it: published (valid or expired since). Anything else is not found.
    pub async fn public_offer(&self, id: i64) -> Result<Angebot, StoreError> {
        let row = angebot::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let offer = self.offers_from_rows(&self.db, vec![row]).await?.remove(0);
        match offer.status {
            AngebotStatus::Veroeffentlicht | AngebotStatus::Abgelaufen => Ok(offer),
            _ => Err(StoreError::NotFound),
        }
    }

    /// The offers of `rows` with their places and owners, in the order given. An offer published but past its
    /// validity date reads as expired.
    pub(crate) async fn offers_from_rows(
        &self,
        db: &impl ConnectionTrait,
        rows: Vec<angebot::Model>,
    ) -> Result<Vec<Angebot>, StoreError> {
        let mut places = self.places_of(db, &rows).await?;
        rows.into_iter().map(|row| self.offer_of(row, &mut places)).collect()
    }

    /// The places of the offers `rows`, by offer id, in their order.
    async fn places_of(
        &self,
        db: &impl ConnectionTrait,
        rows: &[angebot::Model],
    ) -> Result<HashMap<i64, Vec<Ort>>, StoreError> {
        let mut places: HashMap<i64, Vec<Ort>> = HashMap::new();
        for chunk in rows.chunks(1000) {
            let found = angebot_ort::Entity::find()
                .filter(angebot_ort::Column::AngebotId.is_in(chunk.iter().map(|r| r.id)))
                .order_by_asc(angebot_ort::Column::Position)
                .all(db)
                .await?;
            for place in found {
                if let Some(gemeinde) = u16::try_from(place.gemeinde_bfs).ok().and_then(BfsNr::known) {
                    places.entry(place.angebot_id).or_default().push(Ort { gemeinde, adresse: place.adresse });
                }
            }
        }
        Ok(places)
    }

    /// One stored offer with its places (taken out of `places`) and owner.
    fn offer_of(&self, row: angebot::Model, places: &mut HashMap<i64, Vec<Ort>>) -> Result<Angebot, StoreError> {
        let mut status = decode("Angebotsstatus", &row.status, AngebotStatus::from_code)?;
        if status == AngebotStatus::Veroeffentlicht && row.gueltig_bis < self.clock.today() {
            status = AngebotStatus::Abgelaufen;
        }
        Ok(Angebot {
            id: row.id,
            organisation_id: row.organisation_id,
            anbieter: self.directory().get(row.organisation_id).map(|o| o.name.clone()).unwrap_or_default(),
            status,
            data: data_of(&row, places.remove(&row.id).unwrap_or_default())?,
            rueckweisung: row.rueckweisung,
            version: row.version,
            updated_at: row.updated_at,
            veroeffentlicht_at: row.veroeffentlicht_at,
        })
    }
}

fn data_of(row: &angebot::Model, orte: Vec<Ort>) -> Result<AngebotData, StoreError> {
    Ok(AngebotData {
        titel: row.titel.clone(),
        beschreibung: row.beschreibung.clone(),
        kategorie: decode("Angebotskategorie", &row.kategorie, Kategorie::from_code)?,
        handlungsfeld: decode("Handlungsfeld", &row.handlungsfeld, Handlungsfeld::from_code)?,
        zielgruppen: codes(&row.zielgruppen).filter_map(Zielgruppe::from_code).collect(),
        niveau_von: decode_optional("Niveau", row.niveau_von.as_deref(), Niveau::from_code)?,
        niveau_bis: decode_optional("Niveau", row.niveau_bis.as_deref(), Niveau::from_code)?,
        sprachen: codes(&row.sprachen).map(str::to_owned).collect(),
        orte,
        tageszeiten: codes(&row.tageszeiten).filter_map(Tageszeit::from_code).collect(),
        zeitplan: row.zeitplan.clone(),
        beginn: row.beginn,
        ende: row.ende,
        preis_rappen: row.preis_rappen,
        subventioniert: row.subventioniert,
        kinderbetreuung: row.kinderbetreuung,
        barrierefrei: row.barrierefrei,
        anmeldung: row.anmeldung.clone(),
        anmeldung_link: row.anmeldung_link.clone(),
        gueltig_bis: row.gueltig_bis,
    })
}

/// Comma-separated codes as stored.
pub(crate) fn codes(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|code| !code.is_empty())
}
