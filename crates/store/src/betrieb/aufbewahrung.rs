//! The retention run of the mentoring pools (`iim mentoring aufraeumen`, ADR 0013): it deletes people's data
//! after the retention period, across all pools, so it has no actor.

use super::Operator;
use crate::audit::insert_entry;
use crate::entity::{mentoring_checkin, mentoring_mentee, mentoring_mentor, mentoring_tandem};
use crate::mentoring::system_entry;
use crate::{AufraeumBericht, StoreError, begin_write};
use iim_domain::Choice;
use iim_domain::mentoring::{MentorStatus, aufbewahrung_abgelaufen};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

impl Operator<'_> {
    /// Deletes the data of mentors who left or were not accepted, and of mentees whose tandems all ended,
    /// once their last change is more than `tage` days old. Their tandems stay as anonymous records (dates
    /// and end reason) for the figures; check-ins and the free end text go. Logged with the counts only.
    pub async fn mentoring_aufraeumen(&self, tage: u32) -> Result<AufraeumBericht, StoreError> {
        let today = self.store.clock.today();
        let now = self.store.clock.now();
        let gone: Vec<&str> = MentorStatus::ALL.iter().filter(|s| s.wird_geloescht()).map(|s| s.code()).collect();
        let mentors: Vec<i64> = mentoring_mentor::Entity::find()
            .filter(mentoring_mentor::Column::Status.is_in(gone))
            .all(&self.store.db)
            .await?
            .into_iter()
            .filter(|m| aufbewahrung_abgelaufen(iim_domain::clock::local_date(m.geaendert_at), today, tage))
            .map(|m| m.id)
            .collect();
        let mentees = self.store.expired_mentees(today, tage).await?;
        let txn = begin_write(&self.store.db).await?;
        let tandems: Vec<i64> = mentoring_tandem::Entity::find()
            .filter(
                mentoring_tandem::Column::MentorId
                    .is_in(mentors.clone())
                    .or(mentoring_tandem::Column::MenteeId.is_in(mentees.clone())),
            )
            .select_only()
            .column(mentoring_tandem::Column::Id)
            .into_tuple()
            .all(&txn)
            .await?;
        mentoring_checkin::Entity::delete_many()
            .filter(mentoring_checkin::Column::TandemId.is_in(tandems.clone()))
            .exec(&txn)
            .await?;
        for (column, ids) in
            [(mentoring_tandem::Column::MentorId, &mentors), (mentoring_tandem::Column::MenteeId, &mentees)]
        {
            mentoring_tandem::Entity::update_many()
                .col_expr(column, sea_orm::sea_query::Expr::value(Option::<i64>::None))
                .col_expr(mentoring_tandem::Column::EndText, sea_orm::sea_query::Expr::value(String::new()))
                .filter(column.is_in(ids.clone()))
                .exec(&txn)
                .await?;
        }
        let mentoren = mentoring_mentor::Entity::delete_many()
            .filter(mentoring_mentor::Column::Id.is_in(mentors))
            .exec(&txn)
            .await?
            .rows_affected;
        let mentees = mentoring_mentee::Entity::delete_many()
            .filter(mentoring_mentee::Column::Id.is_in(mentees))
            .exec(&txn)
            .await?
            .rows_affected;
        let bericht = AufraeumBericht { mentoren, mentees, tandems_anonymisiert: tandems.len() as u64 };
        let detail = format!(
            "Aufbewahrungsfrist {tage} Tage: {} Mentor/innen und {} Mentees gelöscht, {} Tandems anonymisiert",
            bericht.mentoren, bericht.mentees, bericht.tandems_anonymisiert
        );
        insert_entry(&txn, &system_entry(now, detail)).await?;
        txn.commit().await?;
        tracing::info!(
            mentoren = bericht.mentoren,
            mentees = bericht.mentees,
            tandems = bericht.tandems_anonymisiert,
            "mentoring retention run"
        );
        Ok(bericht)
    }
}
