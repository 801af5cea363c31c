//! One-time form tokens (issue 10, ADR 0023): every form a logged-in user sends carries a random token, made
//! when the page is rendered ([`new_form_token`], nothing is stored then). The page middleware claims it before
//! the save runs. The first send writes the claim; a second send of the same form (Back, then Speichern, a
//! double click, the same page open twice) finds it claimed and is led to where the first one went instead of
//! saving again. A save the records refuse gives the token back, so the corrected form can be sent.
//!
//! Claiming is one `INSERT … ON CONFLICT DO NOTHING` on the unique token: of two sends at once the database
//! lets exactly one insert, on both backends. Claims are kept a week, enough for any Back button; each claim
//! deletes the older ones.

use crate::entity::form_token;
use crate::konten::accounts::random_token;
use crate::{Store, StoreError};
use chrono::Duration;
use iim_domain::Actor;
use iim_domain::regeln::FormularRegel;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter};

/// How long a claim is kept: a form sent again within this time is recognised.
const AUFBEWAHRUNG_TAGE: i64 = 7;

/// The longest page path a claim remembers; longer ones are not remembered (the second send is told that the
/// form was sent, without a link).
const MAX_RECORD_LEN: usize = 500;

/// A fresh token for one form on a page.
pub fn new_form_token() -> String {
    random_token()
}

/// Whether `token` has the shape [`new_form_token`] gives; anything else is refused unread.
fn well_formed(token: &str) -> bool {
    (20..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Store {
    /// Claims `token` for the actor's send of a form. A token claimed before by the same user is
    /// [`StoreError::AlreadySaved`] with the page the first send led to (empty while unknown); a malformed
    /// token or another user's is refused ([`FormularRegel::Abgelaufen`]).
    pub async fn claim_form_token(&self, actor: &Actor, token: &str) -> Result<(), StoreError> {
        if !well_formed(token) {
            return Err(StoreError::regel(FormularRegel::Abgelaufen));
        }
        let now = self.clock.now();
        form_token::Entity::delete_many()
            .filter(form_token::Column::CreatedAt.lt(now - Duration::days(AUFBEWAHRUNG_TAGE)))
            .exec(&self.db)
            .await?;
        let claim = form_token::ActiveModel {
            id: NotSet,
            token: Set(token.to_owned()),
            user_id: Set(actor.user_id),
            created_at: Set(now),
            record: Set(None),
        };
        let inserted = form_token::Entity::insert(claim)
            .on_conflict(OnConflict::column(form_token::Column::Token).do_nothing().to_owned())
            .exec_without_returning(&self.db)
            .await?;
        if inserted == 1 {
            return Ok(());
        }
        match form_token::Entity::find().filter(form_token::Column::Token.eq(token)).one(&self.db).await? {
            Some(claim) if claim.user_id == actor.user_id => {
                Err(StoreError::AlreadySaved { record: claim.record.unwrap_or_default() })
            }
            _ => Err(StoreError::regel(FormularRegel::Abgelaufen)),
        }
    }

    /// Remembers the page the send of `token` led to, for a second send of the same form.
    pub async fn name_form_record(&self, actor: &Actor, token: &str, record: &str) -> Result<(), StoreError> {
        if record.len() > MAX_RECORD_LEN {
            return Ok(());
        }
        form_token::Entity::update_many()
            .col_expr(form_token::Column::Record, Expr::value(record.to_owned()))
            .filter(form_token::Column::Token.eq(token))
            .filter(form_token::Column::UserId.eq(actor.user_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Gives back the actor's claim of `token` after a save the records refused (nothing was stored), so the
    /// corrected form can be sent with it.
    pub async fn release_form_token(&self, actor: &Actor, token: &str) -> Result<(), StoreError> {
        form_token::Entity::delete_many()
            .filter(form_token::Column::Token.eq(token))
            .filter(form_token::Column::UserId.eq(actor.user_id))
            .filter(form_token::Column::Record.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
