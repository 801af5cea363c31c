//! One-time form tokens (issue 10, ADR 0018): a create form gets a token when it is shown, and the save that
//! creates the record consumes it in the same transaction. A form sent twice (Back, then Speichern, or a
//! double click) thus creates one record; the second attempt learns which record the first one wrote.
//!
//! Consuming is one conditional `UPDATE … WHERE used_at IS NULL`: of two saves at once, the database lets
//! exactly one change the row, on both backends. Tokens belong to the user they were issued to and expire
//! after a day, after which the form has to be loaded again; issuing a token deletes the expired ones, so the
//! table holds about one day of forms.

use crate::entity::form_token;
use crate::konten::accounts::random_token;
use crate::{Store, StoreError};
use chrono::Duration;
use iim_domain::Actor;
use iim_domain::regeln::FormularRegel;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, NotSet, QueryFilter};

/// How long a form may stay open before its token expires.
const GUELTIGKEIT_STUNDEN: i64 = 24;

impl Store {
    /// A new one-time token for a create form the actor is about to fill in.
    pub async fn issue_form_token(&self, actor: &Actor) -> Result<String, StoreError> {
        let expired = self.clock.now() - Duration::hours(GUELTIGKEIT_STUNDEN);
        form_token::Entity::delete_many().filter(form_token::Column::CreatedAt.lt(expired)).exec(&self.db).await?;
        let token = random_token();
        form_token::ActiveModel {
            id: NotSet,
            token: Set(token.clone()),
            user_id: Set(actor.user_id),
            created_at: Set(self.clock.now()),
            used_at: Set(None),
            record: Set(None),
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    /// Consumes `token` in the creating transaction `txn`, naming the `record` the save writes to. A token
    /// used before is [`StoreError::AlreadySaved`] with the first save's record; an unknown, foreign or
    /// expired one asks to load the form again.
    pub(crate) async fn consume_form_token(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        token: &str,
        record: &str,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let mine = || {
            form_token::Column::Token
                .eq(token)
                .and(form_token::Column::UserId.eq(actor.user_id))
                .and(form_token::Column::CreatedAt.gt(now - Duration::hours(GUELTIGKEIT_STUNDEN)))
        };
        let updated = form_token::Entity::update_many()
            .col_expr(form_token::Column::UsedAt, Expr::value(now))
            .col_expr(form_token::Column::Record, Expr::value(record))
            .filter(mine())
            .filter(form_token::Column::UsedAt.is_null())
            .exec(txn)
            .await?;
        if updated.rows_affected == 1 {
            return Ok(());
        }
        match form_token::Entity::find().filter(mine()).one(txn).await? {
            Some(used) => Err(StoreError::AlreadySaved { record: used.record.unwrap_or_default() }),
            None => Err(StoreError::regel(FormularRegel::Abgelaufen)),
        }
    }
}
