//! Bulk loads for the demo and the benchmarks: many records in batches, bypassing the per-record checks, with
//! one access-log entry for the whole load; and the counts the loaders need.

use super::Operator;
use crate::angebote::verwaltung::{new_row, place_rows};
use crate::audit::insert_entry;
use crate::entity::{angebot, angebot_ort, dossier, dossier_event, hilfsplan_ziel, kurzassessment, person};
use crate::fallfuehrung::dossiers::{answers_json, event_row, goal_row, seed_row};
use crate::fallfuehrung::persons::{active_row, ahv_conflict};
use crate::{DossierSeed, NeuesAngebot, StoreError, begin_write};
use iim_domain::angebot::AngebotStatus;
use iim_domain::dossier::{DossierEvent, KURZASSESSMENT_VERSION};
use iim_domain::{BfsNr, PersonData, Resource};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

impl Operator<'_> {
    /// Bulk load for the demo and the benchmark (operator action, one log entry for the whole load), in batches;
    /// returns the new ids in the order given.
    pub async fn load_offers(&self, offers: &[NeuesAngebot]) -> Result<Vec<i64>, StoreError> {
        let txn = begin_write(&self.store.db).await?;
        let mut ids = Vec::with_capacity(offers.len());
        for chunk in offers.chunks(500) {
            let rows = chunk.iter().map(|offer| {
                let mut row =
                    new_row(offer.organisation_id, offer.status, &offer.data, offer.updated_by, offer.updated_at);
                if offer.status != AngebotStatus::Entwurf {
                    row.eingereicht_at = Set(Some(offer.updated_at));
                }
                if offer.status == AngebotStatus::Veroeffentlicht {
                    row.veroeffentlicht_at = Set(Some(offer.updated_at));
                }
                row
            });
            // Both backends number the rows of one INSERT in the order given, so the sorted keys match it.
            let mut keys = angebot::Entity::insert_many(rows).exec_with_returning_keys(&txn).await?;
            keys.sort_unstable();
            let places: Vec<angebot_ort::ActiveModel> =
                chunk.iter().zip(&keys).flat_map(|(offer, id)| place_rows(*id, &offer.data)).collect();
            for batch in places.chunks(2000) {
                angebot_ort::Entity::insert_many(batch.to_vec()).exec(&txn).await?;
            }
            ids.extend(keys);
        }
        let entry = crate::audit::bulk_load_entry(
            Resource::Angebot,
            None,
            format!("Angebote geladen: {}", offers.len()),
            self.store.clock.now(),
        );
        insert_entry(&txn, &entry).await?;
        txn.commit().await?;
        self.store.refresh_statistics().await?;
        Ok(ids)
    }

    /// Bulk load for the demo and benchmark generator, bypassing the per-record log (operator action:
    /// one log entry for the whole load). `created_by` must be an existing user.
    pub async fn load_persons(&self, created_by: i64, persons: &[PersonData]) -> Result<(), StoreError> {
        let now = self.store.clock.now();
        let txn = crate::begin_write(&self.store.db).await?;
        for chunk in persons.chunks(500) {
            let rows = chunk.iter().map(|data| {
                let mut row = active_row(data);
                row.id = NotSet;
                row.version = Set(1);
                row.created_at = Set(now);
                row.created_by = Set(created_by);
                row.updated_at = Set(now);
                row.updated_by = Set(created_by);
                row
            });
            person::Entity::insert_many(rows).exec(&txn).await.map_err(ahv_conflict)?;
        }
        let entry = crate::audit::bulk_load_entry(
            Resource::Person,
            Some(created_by),
            format!("Demo-Daten: {} Personen geladen", persons.len()),
            now,
        );
        insert_entry(&txn, &entry).await?;
        txn.commit().await?;
        self.store.refresh_statistics().await
    }

    /// Bulk load for the demo and the benchmark (operator action, one log entry for the whole load): dossiers
    /// with their timeline, Kurzassessment and goals, in batches, bypassing the per-record checks.
    pub async fn load_dossiers(&self, seeds: &[DossierSeed]) -> Result<(), StoreError> {
        let txn = begin_write(&self.store.db).await?;
        for chunk in seeds.chunks(500) {
            dossier::Entity::insert_many(chunk.iter().map(seed_row)).exec(&txn).await?;
            let ids: std::collections::HashMap<i64, i64> = dossier::Entity::find()
                .filter(dossier::Column::PersonId.is_in(chunk.iter().map(|seed| seed.person_id)))
                .select_only()
                .column(dossier::Column::PersonId)
                .column(dossier::Column::Id)
                .into_tuple::<(i64, i64)>()
                .all(&txn)
                .await?
                .into_iter()
                .collect();
            let mut events = Vec::new();
            let mut assessments = Vec::new();
            let mut goals = Vec::new();
            for seed in chunk {
                let Some(&id) = ids.get(&seed.person_id) else { continue };
                let by = seed.responsible_user_id;
                events.push(event_row(id, by, DossierEvent::Eroeffnet, None, seed.opened_at));
                if let Some(assessment) = &seed.kurzassessment {
                    events.push(event_row(id, by, DossierEvent::Kurzassessment, None, seed.opened_at));
                    assessments.push(kurzassessment::ActiveModel {
                        id: NotSet,
                        dossier_id: Set(id),
                        form_version: Set(KURZASSESSMENT_VERSION),
                        datum: Set(assessment.datum),
                        answers: Set(answers_json(assessment)),
                        created_at: Set(seed.opened_at),
                        created_by: Set(by),
                    });
                }
                for ziel in &seed.ziele {
                    events.push(event_row(id, by, DossierEvent::ZielErfasst, Some(ziel.ziel.clone()), seed.opened_at));
                    goals.push(goal_row(id, ziel, by, seed.opened_at));
                }
            }
            dossier_event::Entity::insert_many(events).exec(&txn).await?;
            if !assessments.is_empty() {
                kurzassessment::Entity::insert_many(assessments).exec(&txn).await?;
            }
            if !goals.is_empty() {
                hilfsplan_ziel::Entity::insert_many(goals).exec(&txn).await?;
            }
        }
        let entry = crate::audit::bulk_load_entry(
            Resource::Dossier,
            None,
            format!("Demo-Daten: {} Dossiers geladen", seeds.len()),
            self.store.clock.now(),
        );
        insert_entry(&txn, &entry).await?;
        txn.commit().await?;
        self.store.refresh_statistics().await
    }

    /// Every person's id with the Sozialregion of its Wohngemeinde (operator function for bulk loading
    /// dossiers in the demo and the benchmark; carries no names).
    pub async fn person_regions(&self) -> Result<Vec<(i64, Option<i64>)>, StoreError> {
        let directory = self.store.directory();
        let rows: Vec<(i64, i32)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::WohngemeindeBfs)
            .order_by_asc(person::Column::Id)
            .into_tuple()
            .all(&self.store.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, bfs)| {
                let region = u16::try_from(bfs)
                    .ok()
                    .and_then(BfsNr::known)
                    .and_then(|b| directory.region_of_gemeinde(b))
                    .map(|r| r.id);
                (id, region)
            })
            .collect())
    }

    /// Number of persons in the register, all scopes (for operations and benchmarks, no personal data).
    pub async fn count_persons(&self) -> Result<u64, StoreError> {
        Ok(person::Entity::find().count(&self.store.db).await?)
    }
}
