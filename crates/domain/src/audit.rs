//! The access log's vocabulary: what happened to which record, and whether it was allowed.

use crate::access::{Action, Actor, Channel, Resource};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "erlaubt",
            Outcome::Denied => "verweigert",
        }
    }
}

/// One line of the append-only access log (DSV Art. 4: who, what, when, how).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_username: String,
    pub actor_organisation_id: Option<i64>,
    pub channel: Channel,
    pub action: String,
    pub resource: String,
    pub record_id: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl AuditEntry {
    /// An entry for `actor` doing `action` on one record (or a list when `record_id` is `None`).
    pub fn of(
        actor: &Actor,
        action: Action,
        resource: Resource,
        record_id: Option<String>,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            occurred_at: at,
            actor_user_id: Some(actor.user_id),
            actor_username: actor.username.clone(),
            actor_organisation_id: Some(actor.organisation_id),
            channel: actor.channel,
            action: action.code().to_owned(),
            resource: resource.code().to_owned(),
            record_id,
            outcome,
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}
