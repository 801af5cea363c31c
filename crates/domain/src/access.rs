//! Who may do what: the permission matrix (role × resource × action → scope) and the caller's reach.
//!
//! This is the only place that decides access. The storage layer asks [`Actor::scope_for`] before every
//! read or change and turns the scope into a record filter; handlers never decide access themselves.

use crate::catalog::BfsNr;
use std::collections::BTreeSet;

/// Roles from the canton's model (DOMAIN.md, "Who works with the system").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Fallfuehrung,
    Leitung,
    Integrationsbeauftragte,
    Anbieter,
    Kanton,
    Migrationsamt,
    Admin,
    /// Coordination of the Mentoring-Pool of a Sozialregion.
    Koordination,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Fallfuehrung,
        Role::Leitung,
        Role::Integrationsbeauftragte,
        Role::Anbieter,
        Role::Kanton,
        Role::Migrationsamt,
        Role::Admin,
        Role::Koordination,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Fallfuehrung => "fallfuehrung",
            Role::Leitung => "leitung",
            Role::Integrationsbeauftragte => "integrationsbeauftragte",
            Role::Anbieter => "anbieter",
            Role::Kanton => "kanton",
            Role::Migrationsamt => "migrationsamt",
            Role::Admin => "admin",
            Role::Koordination => "koordination",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Fallfuehrung => "Fallführung",
            Role::Leitung => "Leitung Sozialdienst",
            Role::Integrationsbeauftragte => "Integrationsbeauftragte/r",
            Role::Anbieter => "Anbieter",
            Role::Kanton => "Kanton",
            Role::Migrationsamt => "Migrationsamt",
            Role::Admin => "Administration",
            Role::Koordination => "Koordination Mentoring",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code.trim())
    }
}

/// What is being accessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// A person of the Personenregister (personal data).
    Person,
    /// A dossier of the Durchgehende Fallführung with its assessments and timeline (personal data).
    Dossier,
    /// The access log (who read or changed personal data).
    AuditLog,
    /// User accounts (log entries about logins and account changes; managed with `iim user` for now).
    User,
    /// Personal API tokens.
    ApiToken,
    /// An order to a provider (Praxisassessment, vertiefte Potenzialerfassung, Integrationscoaching), seen
    /// from the provider's side: only what the provider needs to do the job and report back.
    Auftrag,
    /// A dossier transfer on Wohnortwechsel, seen from the receiving Stelle before it accepts.
    Uebergabe,
    /// The Massnahmen catalogue kept by the Kanton (no personal data; everyone reads it).
    Massnahmenkatalog,
    /// A Neuzuzüger from abroad (start.integration) with invitation status and Erstinformationsgespräch.
    Neuzuzueger,
    /// A delivery of the population register (eCH-0020) and its import report.
    RegisterImport,
    /// A Fordern case: the Gemeinde's hand-over to the Migrationsamt and its decision.
    Fordern,
    /// A child in the frühe Sprachförderung track (personal data of the child).
    Fruehfoerderung,
    /// Figures per Gemeinde without personal data (frühe Sprachförderung goal, counts).
    Kennzahlen,
    /// How a Gemeinde runs start.integration: model, Leitgemeinde contract, strategic lead.
    Gemeindeorganisation,
    /// The yearly Selbstdeklaration of a Gemeinde to the Kanton, and the questionnaire.
    Selbstdeklaration,
    /// An offer of the Angebotsplattform, maintained by its organisation and published by the Kanton
    /// (published offers are public and need no permission to read).
    Angebot,
    /// The Mentoring-Pool of a Sozialregion: volunteer mentors with their vetting, the referred mentees,
    /// tandems, check-ins and the pool's figures (personal data of volunteers and Neuzuzüger).
    Mentoring,
    /// A referral of a mentee to the Mentoring-Pool, made with the person's consent (creating only: the
    /// referrer never reads the pool).
    MentoringZuweisung,
    /// A Sozialregion's existing caseload taken over from its Excel list (persons and dossiers in bulk).
    CaseloadImport,
}

impl Resource {
    pub fn code(self) -> &'static str {
        match self {
            Resource::Person => "person",
            Resource::Dossier => "dossier",
            Resource::AuditLog => "audit_log",
            Resource::User => "user",
            Resource::ApiToken => "api_token",
            Resource::Auftrag => "auftrag",
            Resource::Uebergabe => "uebergabe",
            Resource::Massnahmenkatalog => "massnahmenkatalog",
            Resource::Neuzuzueger => "neuzuzueger",
            Resource::RegisterImport => "register_import",
            Resource::Fordern => "fordern",
            Resource::Fruehfoerderung => "fruehfoerderung",
            Resource::Kennzahlen => "kennzahlen",
            Resource::Gemeindeorganisation => "gemeindeorganisation",
            Resource::Selbstdeklaration => "selbstdeklaration",
            Resource::Angebot => "angebot",
            Resource::Mentoring => "mentoring",
            Resource::MentoringZuweisung => "mentoring_zuweisung",
            Resource::CaseloadImport => "caseload_import",
        }
    }

    /// Every code under which the append-only access log holds entries of this resource: today's code first,
    /// then codes of earlier versions (entries are never rewritten, so a renamed resource keeps its old code
    /// in old entries: `zuzug` became `neuzuzueger` in issue 10).
    pub fn logged_codes(self) -> Vec<&'static str> {
        let mut codes = vec![self.code()];
        if self == Resource::Neuzuzueger {
            codes.push("zuzug");
        }
        codes
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
    /// Hand a record to another responsible person (a dossier to another case worker).
    Assign,
    /// Approve what needs a second signature (closing where configured, Integrationscoaching) or override
    /// a rule with a reason (entry criteria of a measure).
    Approve,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Assign => "assign",
            Action::Approve => "approve",
        }
    }
}

/// How far a permission reaches, from narrow to wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Records the user is responsible for (a dossier: its responsible case worker).
    Own,
    /// Records of the user's organisation: for a Gemeinde its own and its Leitgemeinde members' residents,
    /// for a Sozialregion the residents of its Gemeinden, for a log the entries of its staff.
    Organisation,
    /// Records of the Sozialregion the user's organisation belongs to.
    Region,
    /// The whole canton.
    Canton,
}

/// The permission matrix. A missing row means "no access". Keep it small and readable: it is what a data
/// protection officer reviews.
const MATRIX: &[(Role, Resource, &[Action], Scope)] = {
    use Action::*;
    use Resource::*;
    use Role::*;
    &[
        (Fallfuehrung, Person, &[Read, Create, Update], Scope::Region),
        (Leitung, Person, &[Read, Create, Update], Scope::Region),
        (Integrationsbeauftragte, Person, &[Read, Create, Update], Scope::Organisation),
        (Fallfuehrung, Dossier, &[Read, Update], Scope::Own),
        (Fallfuehrung, Dossier, &[Create], Scope::Organisation),
        (Leitung, Dossier, &[Read, Create, Update, Assign, Approve], Scope::Organisation),
        (Fallfuehrung, Uebergabe, &[Read, Update], Scope::Organisation),
        (Leitung, Uebergabe, &[Read, Update], Scope::Organisation),
        (Anbieter, Auftrag, &[Read, Update], Scope::Organisation),
        (Kanton, Massnahmenkatalog, &[Update], Scope::Canton),
        (Integrationsbeauftragte, Neuzuzueger, &[Read, Update], Scope::Organisation),
        (Integrationsbeauftragte, RegisterImport, &[Read, Create], Scope::Organisation),
        (Admin, RegisterImport, &[Read, Create], Scope::Canton),
        (Integrationsbeauftragte, Fordern, &[Read, Create], Scope::Organisation),
        (Migrationsamt, Fordern, &[Read, Update], Scope::Canton),
        (Integrationsbeauftragte, Fruehfoerderung, &[Read, Create, Update], Scope::Organisation),
        (Integrationsbeauftragte, Kennzahlen, &[Read], Scope::Organisation),
        (Kanton, Kennzahlen, &[Read], Scope::Canton),
        (Integrationsbeauftragte, Gemeindeorganisation, &[Read, Update], Scope::Organisation),
        (Kanton, Gemeindeorganisation, &[Read, Update], Scope::Canton),
        (Admin, Gemeindeorganisation, &[Read, Update], Scope::Canton),
        (Integrationsbeauftragte, Selbstdeklaration, &[Read, Update], Scope::Organisation),
        (Kanton, Selbstdeklaration, &[Read, Create, Update], Scope::Canton),
        (Anbieter, Angebot, &[Read, Create, Update], Scope::Organisation),
        (Integrationsbeauftragte, Angebot, &[Read, Create, Update], Scope::Organisation),
        (Kanton, Angebot, &[Read, Create, Update, Approve], Scope::Canton),
        (Koordination, Mentoring, &[Read, Update], Scope::Organisation),
        (Integrationsbeauftragte, MentoringZuweisung, &[Create], Scope::Organisation),
        (Fallfuehrung, MentoringZuweisung, &[Create], Scope::Region),
        (Leitung, CaseloadImport, &[Read, Create], Scope::Organisation),
        (Admin, CaseloadImport, &[Read, Create], Scope::Canton),
        (Leitung, AuditLog, &[Read], Scope::Organisation),
        (Kanton, AuditLog, &[Read], Scope::Canton),
        (Fallfuehrung, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Leitung, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Integrationsbeauftragte, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Anbieter, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Kanton, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Migrationsamt, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Koordination, ApiToken, &[Read, Create, Delete], Scope::Own),
        (Admin, ApiToken, &[Read, Create, Delete], Scope::Canton),
    ]
};

/// The widest scope any of `roles` grants for `action` on `resource`.
pub fn granted_scope(roles: &[Role], resource: Resource, action: Action) -> Option<Scope> {
    MATRIX
        .iter()
        .filter(|(role, res, actions, _)| roles.contains(role) && *res == resource && actions.contains(&action))
        .map(|(_, _, _, scope)| *scope)
        .max()
}

/// How a request reached us; recorded in the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Ui,
    Api,
    Cli,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Ui => "ui",
            Channel::Api => "api",
            Channel::Cli => "cli",
        }
    }
}

/// The Gemeinden an organisation answers for, and those of its Sozialregion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jurisdiction {
    pub organisation: BTreeSet<BfsNr>,
    pub region: BTreeSet<BfsNr>,
}

/// An authenticated caller: a user of an organisation with roles, reaching us through one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub roles: Vec<Role>,
    pub jurisdiction: Jurisdiction,
    pub channel: Channel,
}

/// Refusal of an action the caller's roles do not allow at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Ihre Rolle erlaubt diese Aktion nicht.")]
pub struct Denied {
    pub resource: Resource,
    pub action: Action,
    /// Whether the roles may read this kind of record at all. Where they may not, a route that names a
    /// record answers "not found", so that record numbers reveal nothing.
    pub may_read: bool,
}

impl Actor {
    /// The scope of this actor for an action, or [`Denied`].
    pub fn scope_for(&self, resource: Resource, action: Action) -> Result<Scope, Denied> {
        granted_scope(&self.roles, resource, action).ok_or_else(|| Denied {
            resource,
            action,
            may_read: granted_scope(&self.roles, resource, Action::Read).is_some(),
        })
    }

    pub fn may(&self, resource: Resource, action: Action) -> bool {
        self.scope_for(resource, action).is_ok()
    }

    /// The Gemeinden whose residents a scope reaches; `None` means every Gemeinde (canton scope).
    pub fn gemeinden_in(&self, scope: Scope) -> Option<&BTreeSet<BfsNr>> {
        match scope {
            Scope::Own | Scope::Organisation => Some(&self.jurisdiction.organisation),
            Scope::Region => Some(&self.jurisdiction.region),
            Scope::Canton => None,
        }
    }

    /// Whether a resident of `gemeinde` lies within `scope`.
    pub fn reaches_gemeinde(&self, scope: Scope, gemeinde: BfsNr) -> bool {
        self.gemeinden_in(scope).is_none_or(|set| set.contains(&gemeinde))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_worker_has_region_scope_on_persons_but_no_log_access() {
        let roles = [Role::Fallfuehrung];
        assert_eq!(granted_scope(&roles, Resource::Person, Action::Update), Some(Scope::Region));
        assert_eq!(granted_scope(&roles, Resource::AuditLog, Action::Read), None);
    }

    #[test]
    fn provider_migrationsamt_and_admin_see_no_persons() {
        for role in [Role::Anbieter, Role::Migrationsamt, Role::Admin, Role::Kanton] {
            assert_eq!(granted_scope(&[role], Resource::Person, Action::Read), None, "{role:?}");
        }
    }

    #[test]
    fn case_worker_keeps_own_dossiers_and_leitung_sees_the_whole_stelle() {
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Dossier, Action::Read), Some(Scope::Own));
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Dossier, Action::Create), Some(Scope::Organisation));
        assert_eq!(granted_scope(&[Role::Leitung], Resource::Dossier, Action::Read), Some(Scope::Organisation));
        assert_eq!(granted_scope(&[Role::Leitung], Resource::Dossier, Action::Assign), Some(Scope::Organisation));
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Dossier, Action::Assign), None);
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Dossier, Action::Approve), None);
        assert_eq!(granted_scope(&[Role::Leitung], Resource::Dossier, Action::Approve), Some(Scope::Organisation));
        for role in [Role::Anbieter, Role::Integrationsbeauftragte, Role::Kanton, Role::Migrationsamt, Role::Admin] {
            assert_eq!(granted_scope(&[role], Resource::Dossier, Action::Read), None, "{role:?}");
        }
    }

    #[test]
    fn a_provider_reaches_only_orders_addressed_to_its_organisation() {
        assert_eq!(granted_scope(&[Role::Anbieter], Resource::Auftrag, Action::Update), Some(Scope::Organisation));
        assert_eq!(granted_scope(&[Role::Anbieter], Resource::Dossier, Action::Read), None);
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Auftrag, Action::Read), None);
    }

    #[test]
    fn the_migrationsamt_reaches_only_fordern_cases() {
        assert_eq!(granted_scope(&[Role::Migrationsamt], Resource::Fordern, Action::Update), Some(Scope::Canton));
        for resource in [Resource::Person, Resource::Neuzuzueger, Resource::Dossier, Resource::Fruehfoerderung] {
            assert_eq!(granted_scope(&[Role::Migrationsamt], resource, Action::Read), None, "{resource:?}");
        }
        assert_eq!(granted_scope(&[Role::Integrationsbeauftragte], Resource::Fordern, Action::Update), None);
    }

    #[test]
    fn offers_are_kept_by_their_organisation_and_published_by_the_kanton() {
        assert_eq!(granted_scope(&[Role::Anbieter], Resource::Angebot, Action::Update), Some(Scope::Organisation));
        assert_eq!(granted_scope(&[Role::Anbieter], Resource::Angebot, Action::Approve), None);
        assert_eq!(granted_scope(&[Role::Kanton], Resource::Angebot, Action::Approve), Some(Scope::Canton));
        assert_eq!(granted_scope(&[Role::Fallfuehrung], Resource::Angebot, Action::Update), None);
    }

    #[test]
    fn the_widest_scope_of_several_roles_wins() {
        let roles = [Role::Leitung, Role::Kanton];
        assert_eq!(granted_scope(&roles, Resource::AuditLog, Action::Read), Some(Scope::Canton));
    }

    #[test]
    fn the_coordinator_reaches_the_pool_and_referrers_only_create_referrals() {
        let koordination = [Role::Koordination];
        assert_eq!(granted_scope(&koordination, Resource::Mentoring, Action::Update), Some(Scope::Organisation));
        assert_eq!(granted_scope(&koordination, Resource::Person, Action::Read), None);
        assert_eq!(granted_scope(&koordination, Resource::Dossier, Action::Read), None);
        let ib = [Role::Integrationsbeauftragte];
        assert_eq!(granted_scope(&ib, Resource::MentoringZuweisung, Action::Create), Some(Scope::Organisation));
        assert_eq!(
            granted_scope(&[Role::Fallfuehrung], Resource::MentoringZuweisung, Action::Create),
            Some(Scope::Region)
        );
        for role in [Role::Integrationsbeauftragte, Role::Fallfuehrung, Role::Leitung, Role::Kanton, Role::Admin] {
            assert_eq!(granted_scope(&[role], Resource::Mentoring, Action::Read), None, "{role:?}");
        }
    }

    #[test]
    fn every_role_code_round_trips() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }
}
