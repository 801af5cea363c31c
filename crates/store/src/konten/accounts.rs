//! User accounts, passwords, login throttling, server-side sessions and personal API tokens.
//!
//! Secrets are never stored in the clear: passwords as argon2id hashes, session cookies and API tokens as
//! SHA-256 digests (they are long random values, so a fast hash is enough). Sessions live in the database so
//! that several app nodes can share them.

use crate::audit::insert_entry;
use crate::entity::{api_token, login_throttle, session, user};
use crate::{Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use iim_domain::regeln::KontenRegel;
use iim_domain::{Action, Actor, AuditEntry, Channel, Outcome, Resource, Role, Scope};
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel,
    NotSet, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::minutes(60);
/// A session ends after this long whatever happens.
pub const SESSION_MAX: Duration = Duration::hours(12);
/// Failed logins counted within this window...
const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// ...lock one user name for one client address after this many (the person who mistyped, or one guesser;
/// the same user name from other addresses is not affected)...
const MAX_FAILURES_PER_USER_AND_ADDRESS: i32 = 5;
/// ...lock one client address for every user name after this many (behind a trusted proxy the address is
/// the client's own, so the others behind the proxy are not affected)...
const MAX_FAILURES_PER_ADDRESS: i32 = 20;
/// ...lock a user name for every address after this many (guessing from many addresses)...
const MAX_FAILURES_PER_USER: i32 = 50;
/// ...for this long.
const LOCK_DURATION: Duration = Duration::minutes(15);
const MIN_PASSWORD_CHARS: usize = 10;

/// An authenticated browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub actor: Actor,
    pub csrf_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("{}", KontenRegel::ZugangsdatenFalsch)]
    InvalidCredentials,
    #[error("{}", KontenRegel::ZuVieleFehlversuche { minuten: *minutes })]
    Throttled { minutes: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(error: sea_orm::DbErr) -> Self {
        LoginError::Store(error.into())
    }
}

/// A new user account, as the admin enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub organisation_code: String,
    pub roles: Vec<Role>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub has_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Checks a password login. Every attempt is counted before the password is checked, in one transaction
    /// per attempt, so parallel attempts cannot slip past the limits (docs/adr/0019).
    pub async fn login(&self, username: &str, password: &str, client: &str) -> Result<Actor, LoginError> {
        let now = self.clock.now();
        let username = normalise_username(username);
        let counters = throttle_counters(&username, client);
        if let Some(minutes) = self.count_attempt(&counters, now).await? {
            self.log_failed_login(&username, Channel::Ui, "gesperrt nach Fehlversuchen").await?;
            return Err(LoginError::Throttled { minutes });
        }
        let account = user::Entity::find().filter(user::Column::Username.eq(&username)).one(&self.db).await?;
        let stored_hash = account.as_ref().filter(|u| !u.disabled).and_then(|u| u.password_hash.clone());
        let password_ok = verify_password(password.to_owned(), stored_hash).await;
        match account {
            Some(account) if password_ok => {
                self.forget_attempt(&counters).await?;
                let actor = self.actor_for(&account, Channel::Ui)?;
                self.log_event(&actor, "login", None).await?;
                Ok(actor)
            }
            _ => {
                self.lock_exhausted(&counters, now).await?;
                self.log_failed_login(&username, Channel::Ui, "falsches Passwort oder unbekannter Benutzer").await?;
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    /// Counts one attempt on every counter (one upsert each, so parallel attempts never collide on the key)
    /// and decides in the same transaction: `Some(minutes)` when a counter is locked or over its limit.
    async fn count_attempt(&self, counters: &[ThrottleCounter], now: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
        let txn = crate::begin_write(&self.db).await?;
        for counter in counters {
            count_one(&txn, &counter.key, now).await?;
        }
        let keys = counters.iter().map(|c| c.key.clone());
        let rows =
            login_throttle::Entity::find().filter(login_throttle::Column::ThrottleKey.is_in(keys)).all(&txn).await?;
        txn.commit().await?;
        let wait = rows
            .iter()
            .filter_map(|row| {
                let limit = counters.iter().find(|c| c.key == row.throttle_key)?.limit;
                match row.locked_until.filter(|until| *until > now) {
                    Some(until) => Some(until),
                    None => (row.failures > limit).then(|| row.window_started_at + THROTTLE_WINDOW),
                }
            })
            .max();
        Ok(wait.map(|until| (until - now).num_minutes().max(1)))
    }

    /// A failed attempt: every counter that has reached its limit is locked from now on.
    async fn lock_exhausted(&self, counters: &[ThrottleCounter], now: DateTime<Utc>) -> Result<(), StoreError> {
        let txn = crate::begin_write(&self.db).await?;
        for counter in counters {
            login_throttle::Entity::update_many()
                .col_expr(login_throttle::Column::LockedUntil, Expr::val(now + LOCK_DURATION))
                .filter(login_throttle::Column::ThrottleKey.eq(&counter.key))
                .filter(login_throttle::Column::Failures.gte(counter.limit))
                .filter(
                    Condition::any()
                        .add(login_throttle::Column::LockedUntil.is_null())
                        .add(login_throttle::Column::LockedUntil.lte(now)),
                )
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// A successful attempt was no failure: the user name's count from this client starts again, the other
    /// counters take the attempt back.
    async fn forget_attempt(&self, counters: &[ThrottleCounter]) -> Result<(), StoreError> {
        use sea_orm::sea_query::ExprTrait;
        let txn = crate::begin_write(&self.db).await?;
        for counter in counters {
            if counter.reset_on_success {
                login_throttle::Entity::delete_by_id(counter.key.clone()).exec(&txn).await?;
            } else {
                login_throttle::Entity::update_many()
                    .col_expr(login_throttle::Column::Failures, Expr::col(login_throttle::Column::Failures).sub(1))
                    .filter(login_throttle::Column::ThrottleKey.eq(&counter.key))
                    .filter(login_throttle::Column::Failures.gt(0))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Builds the actor for a stored user: roles, organisation and the Gemeinden it answers for.
    pub(crate) fn actor_for(&self, account: &user::Model, channel: Channel) -> Result<Actor, StoreError> {
        let directory = self.directory();
        let organisation = directory
            .get(account.organisation_id)
            .ok_or_else(|| StoreError::Corrupt(format!("Organisation {} fehlt", account.organisation_id)))?;
        Ok(Actor {
            user_id: account.id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            organisation_id: organisation.id,
            organisation_name: organisation.name.clone(),
            roles: parse_roles(&account.roles),
            jurisdiction: directory.jurisdiction(organisation.id),
            channel,
        })
    }

    async fn active_user(&self, user_id: i64) -> Result<Option<user::Model>, StoreError> {
        Ok(user::Entity::find_by_id(user_id).one(&self.db).await?.filter(|u| !u.disabled))
    }

    /// Starts a browser session for a logged-in actor; returns the cookie value (shown once, stored hashed).
    pub async fn start_session(&self, actor: &Actor) -> Result<(String, Session), StoreError> {
        let now = self.clock.now();
        session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(now)).exec(&self.db).await?;
        let token = random_token();
        let csrf_token = random_token();
        session::ActiveModel {
            token_hash: Set(digest(&token)),
            user_id: Set(actor.user_id),
            csrf_token: Set(csrf_token.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + SESSION_MAX),
        }
        .insert(&self.db)
        .await?;
        Ok((token, Session { actor: actor.clone(), csrf_token }))
    }

    /// The session for a cookie value, if it is valid; refreshes its idle timer at most once a minute.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let now = self.clock.now();
        let Some(row) = session::Entity::find_by_id(digest(token)).one(&self.db).await? else {
            return Ok(None);
        };
        if row.expires_at <= now || now - row.last_seen_at > SESSION_IDLE {
            session::Entity::delete_by_id(row.token_hash).exec(&self.db).await?;
            return Ok(None);
        }
        let Some(account) = self.active_user(row.user_id).await? else {
            return Ok(None);
        };
        if now - row.last_seen_at > Duration::minutes(1) {
            let csrf_token = row.csrf_token.clone();
            let mut active = row.into_active_model();
            active.last_seen_at = Set(now);
            active.update(&self.db).await?;
            return Ok(Some(Session { actor: self.actor_for(&account, Channel::Ui)?, csrf_token }));
        }
        Ok(Some(Session { actor: self.actor_for(&account, Channel::Ui)?, csrf_token: row.csrf_token }))
    }

    /// Ends a session (logout).
    pub async fn end_session(&self, token: &str, actor: &Actor) -> Result<(), StoreError> {
        session::Entity::delete_by_id(digest(token)).exec(&self.db).await?;
        self.log_event(actor, "logout", None).await?;
        Ok(())
    }

    /// The actor behind a bearer token, if the token is valid, not revoked, not expired and its user active.
    pub async fn api_actor(&self, secret: &str) -> Result<Option<Actor>, StoreError> {
        let now = self.clock.now();
        let found =
            api_token::Entity::find().filter(api_token::Column::TokenHash.eq(digest(secret))).one(&self.db).await?;
        let Some(token) = found.filter(|t| t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now)) else {
            return Ok(None);
        };
        let Some(account) = self.active_user(token.user_id).await? else {
            return Ok(None);
        };
        if token.last_used_at.is_none_or(|used| now - used > Duration::minutes(1)) {
            let mut active = token.into_active_model();
            active.last_used_at = Set(Some(now));
            active.update(&self.db).await?;
        }
        Ok(Some(self.actor_for(&account, Channel::Api)?))
    }

    pub(crate) async fn change_user(
        &self,
        username: &str,
        what: &str,
        change: impl FnOnce(&mut user::ActiveModel),
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let txn = crate::begin_write(&self.db).await?;
        let row = user::Entity::find()
            .filter(user::Column::Username.eq(normalise_username(username)))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = row.id;
        let mut active = row.into_active_model();
        change(&mut active);
        active.updated_at = Set(now);
        active.update(&txn).await?;
        session::Entity::delete_many().filter(session::Column::UserId.eq(id)).exec(&txn).await?;
        insert_entry(&txn, &operator_entry(Action::Update, id, what, now)).await?;
        txn.commit().await?;
        Ok(())
    }

    pub(crate) fn user_info(&self, row: &user::Model) -> UserInfo {
        UserInfo {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            organisation: self.directory().get(row.organisation_id).map(|o| o.name.clone()).unwrap_or_default(),
            roles: parse_roles(&row.roles),
            disabled: row.disabled,
            has_password: row.password_hash.is_some(),
        }
    }

    /// The caller's own tokens (an admin sees everybody's).
    pub async fn own_api_tokens(&self, actor: &Actor) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let scope = actor.scope_for(Resource::ApiToken, Action::Read)?;
        self.list_api_tokens((scope < Scope::Canton).then_some(actor.username.as_str())).await
    }

    /// Creates a token for the caller itself; `name` says what it is for.
    pub async fn create_own_api_token(
        &self,
        actor: &Actor,
        name: &str,
        valid_for: Option<Duration>,
    ) -> Result<(ApiTokenInfo, String), StoreError> {
        actor.scope_for(Resource::ApiToken, Action::Create)?;
        if name.trim().is_empty() {
            return Err(StoreError::regel(KontenRegel::TokenZweckFehlt));
        }
        let now = self.clock.now();
        self.insert_api_token(actor.user_id, &actor.username, name, valid_for, |token_id| {
            AuditEntry::of(actor, Action::Create, Resource::ApiToken, Some(token_id.to_string()), Outcome::Allowed, now)
        })
        .await
    }

    /// Revokes one of the caller's tokens (an admin: any token). Someone else's token does not exist for it.
    pub async fn revoke_own_api_token(&self, actor: &Actor, id: i64) -> Result<(), StoreError> {
        let scope = actor.scope_for(Resource::ApiToken, Action::Delete)?;
        let now = self.clock.now();
        self.revoke_token(id, |row| {
            (scope == Scope::Canton || row.user_id == actor.user_id).then(|| {
                AuditEntry::of(actor, Action::Delete, Resource::ApiToken, Some(id.to_string()), Outcome::Allowed, now)
            })
        })
        .await
    }

    pub(crate) async fn insert_api_token(
        &self,
        user_id: i64,
        username: &str,
        name: &str,
        valid_for: Option<Duration>,
        entry: impl FnOnce(i64) -> AuditEntry,
    ) -> Result<(ApiTokenInfo, String), StoreError> {
        let now = self.clock.now();
        let secret = format!("iim_{}", random_token());
        let txn = crate::begin_write(&self.db).await?;
        let row = api_token::ActiveModel {
            id: NotSet,
            user_id: Set(user_id),
            name: Set(name.trim().to_owned()),
            token_hash: Set(digest(&secret)),
            created_at: Set(now),
            expires_at: Set(valid_for.map(|d| now + d)),
            revoked_at: Set(None),
            last_used_at: Set(None),
        }
        .insert(&txn)
        .await?;
        insert_entry(&txn, &entry(row.id)).await?;
        txn.commit().await?;
        Ok((token_info(row, username.to_owned()), secret))
    }

    /// Revokes token `id` if `allowed` returns the log entry for it; otherwise the token "does not exist".
    pub(crate) async fn revoke_token(
        &self,
        id: i64,
        allowed: impl FnOnce(&api_token::Model) -> Option<AuditEntry>,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let txn = crate::begin_write(&self.db).await?;
        let row = api_token::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let entry = allowed(&row).ok_or(StoreError::NotFound)?;
        let mut active = row.into_active_model();
        active.revoked_at = Set(Some(now));
        active.update(&txn).await?;
        insert_entry(&txn, &entry).await?;
        txn.commit().await?;
        Ok(())
    }

    pub(crate) async fn list_api_tokens(&self, username: Option<&str>) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let users: std::collections::HashMap<i64, String> =
            user::Entity::find().all(&self.db).await?.into_iter().map(|u| (u.id, u.username)).collect();
        let mut select = api_token::Entity::find().order_by_asc(api_token::Column::Id);
        if let Some(username) = username {
            let wanted = normalise_username(username);
            let ids: Vec<i64> = users.iter().filter(|(_, name)| **name == wanted).map(|(id, _)| *id).collect();
            select = select.filter(api_token::Column::UserId.is_in(ids));
        }
        let rows = select.all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let username = users.get(&row.user_id).cloned().unwrap_or_default();
                token_info(row, username)
            })
            .collect())
    }
}

/// One count of failed logins and its limit.
struct ThrottleCounter {
    key: String,
    limit: i32,
    /// A successful login starts this count again (otherwise it only takes its own attempt back).
    reset_on_success: bool,
}

/// The three counts of a login attempt, sorted by key so that parallel attempts lock the rows in the same
/// order (no deadlock on PostgreSQL).
fn throttle_counters(username: &str, client: &str) -> Vec<ThrottleCounter> {
    let mut counters = vec![
        ThrottleCounter {
            key: format!("user-ip:{username} {client}"),
            limit: MAX_FAILURES_PER_USER_AND_ADDRESS,
            reset_on_success: true,
        },
        ThrottleCounter { key: format!("ip:{client}"), limit: MAX_FAILURES_PER_ADDRESS, reset_on_success: false },
        ThrottleCounter { key: format!("user:{username}"), limit: MAX_FAILURES_PER_USER, reset_on_success: false },
    ];
    counters.sort_by(|a, b| a.key.cmp(&b.key));
    counters
}

/// Adds one attempt to a count in one statement: a new row, or one more in the running window, or a new
/// window when the old one has passed.
async fn count_one(txn: &DatabaseTransaction, key: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    use login_throttle::Column;
    use sea_orm::sea_query::ExprTrait;
    let window_passed = Expr::col((login_throttle::Entity, Column::WindowStartedAt)).lt(now - THROTTLE_WINDOW);
    let failures =
        Expr::case(window_passed.clone(), 1).finally(Expr::col((login_throttle::Entity, Column::Failures)).add(1));
    let window_started =
        Expr::case(window_passed, now).finally(Expr::col((login_throttle::Entity, Column::WindowStartedAt)));
    let on_conflict = OnConflict::column(Column::ThrottleKey)
        .value(Column::Failures, failures)
        .value(Column::WindowStartedAt, window_started)
        .to_owned();
    let first = login_throttle::ActiveModel {
        throttle_key: Set(key.to_owned()),
        failures: Set(1),
        window_started_at: Set(now),
        locked_until: Set(None),
    };
    login_throttle::Entity::insert(first).on_conflict(on_conflict).exec_without_returning(txn).await?;
    Ok(())
}

fn token_info(row: api_token::Model, username: String) -> ApiTokenInfo {
    ApiTokenInfo {
        id: row.id,
        username,
        name: row.name,
        created_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
    }
}

/// The same entry, about an API token.
pub(crate) fn token_entry(entry: AuditEntry) -> AuditEntry {
    AuditEntry { resource: Resource::ApiToken.code().to_owned(), ..entry }
}

/// Log entry for an operator action on a user account, from the command line.
pub(crate) fn operator_entry(action: Action, user_id: i64, detail: &str, now: DateTime<Utc>) -> AuditEntry {
    AuditEntry {
        occurred_at: now,
        actor_user_id: None,
        actor_username: "kommandozeile".to_owned(),
        actor_organisation_id: None,
        channel: Channel::Cli,
        action: action.code().to_owned(),
        resource: Resource::User.code().to_owned(),
        record_id: Some(user_id.to_string()),
        outcome: Outcome::Allowed,
        detail: Some(detail.to_owned()),
    }
}

fn parse_roles(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::from_code).collect()
}

pub(crate) fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub(crate) fn valid_username(username: &str) -> bool {
    (3..=64).contains(&username.chars().count())
        && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

pub(crate) fn check_password_policy(password: &str) -> Result<(), KontenRegel> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(KontenRegel::PasswortZuKurz { mindestens: MIN_PASSWORD_CHARS });
    }
    Ok(())
}

/// 32 random bytes, URL-safe base64.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// argon2id with the crate's recommended parameters, off the async threads (it is deliberately slow).
pub(crate) async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| StoreError::Config(format!("Passwort-Hash: {e}")))
    })
    .await
    .map_err(|e| StoreError::Config(format!("Passwort-Hash: {e}")))?
}

/// Verifies off the async threads. Without a stored hash it still does the work of one verification, so
/// that the answer time does not reveal whether the user name exists.
async fn verify_password(password: String, stored_hash: Option<String>) -> bool {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2XvEA3Xh5gxh6W/i0kZNQ9Gn9TM7kdhqQK0W7dN1Rmw";
    let has_hash = stored_hash.is_some();
    let hash = stored_hash.unwrap_or_else(|| DUMMY.to_owned());
    let verified = tokio::task::spawn_blocking(move || {
        Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()
    })
    .await
    .unwrap_or(false);
    has_hash && verified
}
