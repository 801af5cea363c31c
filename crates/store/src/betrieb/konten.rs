//! User accounts and API tokens, as the operator manages them from the command line (`iim user`, `iim token`).
//! The checks, hashing and log entries are those of [`crate::konten::accounts`].

use super::Operator;
use crate::audit::insert_entry;
use crate::entity::user;
use crate::konten::accounts::{
    check_password_policy, hash_password, normalise_username, operator_entry, token_entry, valid_username,
};
use crate::{ApiTokenInfo, NewUser, StoreError, UserInfo, is_unique_violation};
use chrono::Duration;
use iim_domain::regeln::KontenRegel;
use iim_domain::{Action, Actor, Channel, FieldErrors, Regel};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder};

impl Operator<'_> {
    /// Creates an account (operator action, from the command line). The password is optional: an account
    /// without one cannot log in until it gets one.
    pub async fn create_user(&self, new: NewUser) -> Result<UserInfo, StoreError> {
        let username = normalise_username(&new.username);
        let mut refusals = Vec::new();
        if !valid_username(&username) {
            refusals.push(KontenRegel::BenutzernameUngueltig);
        }
        if new.display_name.trim().is_empty() {
            refusals.push(KontenRegel::NameFehlt);
        }
        if new.roles.is_empty() {
            refusals.push(KontenRegel::RolleFehlt);
        }
        let organisation = self.store.directory().by_code(&new.organisation_code).cloned();
        if organisation.is_none() {
            refusals.push(KontenRegel::OrganisationUnbekannt { code: new.organisation_code.clone() });
        }
        if let Some(Err(refusal)) = new.password.as_deref().map(check_password_policy) {
            refusals.push(refusal);
        }
        let Some(organisation) = organisation.filter(|_| refusals.is_empty()) else {
            return Err(StoreError::Invalid(field_errors(&refusals)));
        };
        let password_hash = match new.password {
            Some(password) => Some(hash_password(password).await?),
            None => None,
        };
        let now = self.store.clock.now();
        let txn = crate::begin_write(&self.store.db).await?;
        let inserted = user::ActiveModel {
            id: NotSet,
            username: Set(username.clone()),
            display_name: Set(new.display_name.trim().to_owned()),
            organisation_id: Set(organisation.id),
            roles: Set(new.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")),
            password_hash: Set(password_hash),
            disabled: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(error) if is_unique_violation(&error) => {
                return Err(StoreError::regel(KontenRegel::BenutzernameVergeben { benutzername: username }));
            }
            Err(error) => return Err(error.into()),
        };
        insert_entry(&txn, &operator_entry(Action::Create, row.id, "Benutzer angelegt", now)).await?;
        txn.commit().await?;
        Ok(self.store.user_info(&row))
    }

    /// Sets a new password (operator action).
    pub async fn set_password(&self, username: &str, password: &str) -> Result<(), StoreError> {
        check_password_policy(password).map_err(StoreError::regel)?;
        let hash = hash_password(password.to_owned()).await?;
        self.store.change_user(username, "Passwort gesetzt", |row| row.password_hash = Set(Some(hash))).await
    }

    /// Disables or re-enables an account; disabling ends its sessions at once (operator action).
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<(), StoreError> {
        let what = if disabled { "Benutzer gesperrt" } else { "Benutzer entsperrt" };
        self.store.change_user(username, what, |row| row.disabled = Set(disabled)).await
    }

    /// The actor of an active account for an operator command that acts in its name (e.g. `iim import`), with
    /// the account's own roles and Gemeinden; the channel is the command line.
    pub async fn operator_actor(&self, username: &str) -> Result<Actor, StoreError> {
        let username = normalise_username(username);
        let account = user::Entity::find().filter(user::Column::Username.eq(&username)).one(&self.store.db).await?;
        match account.filter(|a| !a.disabled) {
            Some(account) => self.store.actor_for(&account, Channel::Cli),
            None => Err(StoreError::regel(KontenRegel::BenutzerUnbekannt)),
        }
    }

    pub async fn list_users(&self) -> Result<Vec<UserInfo>, StoreError> {
        let rows = user::Entity::find().order_by_asc(user::Column::Username).all(&self.store.db).await?;
        Ok(rows.iter().map(|row| self.store.user_info(row)).collect())
    }

    /// Creates an API token for a user (operator action); the secret is returned once, stored as a digest.
    pub async fn create_api_token(
        &self,
        username: &str,
        name: &str,
        valid_for: Option<Duration>,
    ) -> Result<(ApiTokenInfo, String), StoreError> {
        let account = user::Entity::find()
            .filter(user::Column::Username.eq(normalise_username(username)))
            .one(&self.store.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let now = self.store.clock.now();
        self.store
            .insert_api_token(account.id, &account.username, name, valid_for, |token_id| {
                token_entry(operator_entry(Action::Create, account.id, &format!("API-Token {token_id} erstellt"), now))
            })
            .await
    }

    /// Revokes a token at once (operator action); its next use gets 401.
    pub async fn revoke_api_token(&self, id: i64) -> Result<(), StoreError> {
        let now = self.store.clock.now();
        self.store
            .revoke_token(id, |row| {
                Some(token_entry(operator_entry(
                    Action::Delete,
                    row.user_id,
                    &format!("API-Token {id} widerrufen"),
                    now,
                )))
            })
            .await
    }

    /// All API tokens, or those of one user.
    pub async fn list_api_tokens(&self, username: Option<&str>) -> Result<Vec<ApiTokenInfo>, StoreError> {
        self.store.list_api_tokens(username).await
    }
}

/// All refusals of an account as the field messages of one answer, so the operator sees every mistake at once.
fn field_errors(refusals: &[KontenRegel]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for refusal in refusals {
        errors.add(refusal.feld(), refusal.to_string());
    }
    errors
}
