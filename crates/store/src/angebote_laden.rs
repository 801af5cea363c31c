//! Bulk loading of offers for demo data, tests and the search benchmark. It bypasses the keeping of offers
//! (drafts, submission, moderation) and writes no access-log entry: it is a setup tool, called by the CLI and
//! tests, never by a page.

use crate::entity::{angebot, angebot_ort};
use crate::{Store, StoreError};
use iim_domain::Choice;
use iim_domain::angebot::{AngebotData, AngebotStatus};
use sea_orm::{ActiveValue::NotSet, EntityTrait, Set, TransactionTrait};

/// Offers per transaction.
const CHUNK: usize = 1000;

impl Store {
    /// Stores offers of one owner in the given state, as written by `by_user`; returns their ids in order.
    pub async fn load_offers(
        &self,
        owner_org_id: i64,
        by_user: i64,
        offers: &[AngebotData],
        status: AngebotStatus,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::with_capacity(offers.len());
        for chunk in offers.chunks(CHUNK) {
            let txn = self.db.begin().await?;
            let mut places = Vec::new();
            for data in chunk {
                let id = angebot::Entity::insert(self.offer_row(owner_org_id, by_user, data, status))
                    .exec(&txn)
                    .await?
                    .last_insert_id;
                places.extend(data.orte.iter().enumerate().map(|(position, ort)| angebot_ort::ActiveModel {
                    id: NotSet,
                    angebot_id: Set(id),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                    gemeinde_bfs: Set(i32::from(ort.gemeinde.get())),
                    adresse: Set(ort.adresse.clone()),
                }));
                ids.push(id);
            }
            if !places.is_empty() {
                angebot_ort::Entity::insert_many(places).exec(&txn).await?;
            }
            txn.commit().await?;
        }
        Ok(ids)
    }

    fn offer_row(&self, owner: i64, by_user: i64, data: &AngebotData, status: AngebotStatus) -> angebot::ActiveModel {
        let now = self.clock.now();
        let join = |codes: Vec<&str>| codes.join(",");
        angebot::ActiveModel {
            id: NotSet,
            organisation_id: Set(owner),
            status: Set(status.code().to_owned()),
            titel: Set(data.titel.clone()),
            beschreibung: Set(data.beschreibung.clone()),
            kategorie: Set(data.kategorie.code().to_owned()),
            handlungsfeld: Set(data.handlungsfeld.code().to_owned()),
            zielgruppen: Set(join(data.zielgruppen.iter().map(|z| z.code()).collect())),
            niveau_von: Set(data.niveau_von.map(|n| n.code().to_owned())),
            niveau_bis: Set(data.niveau_bis.map(|n| n.code().to_owned())),
            sprachen: Set(data.sprachen.join(",")),
            tageszeiten: Set(join(data.tageszeiten.iter().map(|t| t.code()).collect())),
            zeitplan: Set(data.zeitplan.clone()),
            beginn: Set(data.beginn),
            ende: Set(data.ende),
            preis_rappen: Set(data.preis_rappen),
            subventioniert: Set(data.subventioniert),
            kinderbetreuung: Set(data.kinderbetreuung),
            barrierefrei: Set(data.barrierefrei),
            anmeldung: Set(data.anmeldung.clone()),
            anmeldung_link: Set(data.anmeldung_link.clone()),
            gueltig_bis: Set(data.gueltig_bis),
            rueckweisung: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            updated_by: Set(by_user),
            eingereicht_at: Set((status != AngebotStatus::Entwurf).then_some(now)),
            veroeffentlicht_at: Set(
                matches!(status, AngebotStatus::Veroeffentlicht | AngebotStatus::Abgelaufen).then_some(now)
            ),
        }
    }
}
