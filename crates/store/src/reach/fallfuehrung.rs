//! Durchgehende Fallführung.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Person | Wohngemeinde in the organisation's Gemeinden | same | Wohngemeinde in the Sozialregion | all |
//! | Dossier | the actor is the responsible case worker | kept by the actor's Stelle | same as Organisation | all |
//! | Auftrag (provider side) | addressed to the actor's organisation and released | same | same | released |
//! | Uebergabe (incoming) | addressed to the actor's Stelle | same | same | all |
//! | Caseload import (rows taken over from a list) | – | imported for the actor's Stelle | same | all |
//!
//! The rows that belong to one dossier (orders seen by the Stelle, closing requests, participations, move
//! proposals, family links) are reached with their dossier: they are read and changed only through the
//! guarded dossier, or filtered by the dossier's reach (the worklist, `fallfuehrung::pendenzen`).

use super::{everything, in_gemeinden};
use crate::entity::{auftrag, caseload_zeile, dossier, person, uebergabe};
use crate::guard::Guarded;
use iim_domain::auftrag::AuftragStatus;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{ExprTrait, SimpleExpr};

impl Guarded for person::Entity {
    const RESOURCE: Resource = Resource::Person;

    fn id_column() -> person::Column {
        person::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(person::Column::WohngemeindeBfs, actor, scope)
    }
}

impl Guarded for dossier::Entity {
    const RESOURCE: Resource = Resource::Dossier;

    fn id_column() -> dossier::Column {
        dossier::Column::Id
    }

    /// A dossier is reached by its Stelle, not by the person's Wohngemeinde: after a move it stays with
    /// the Stelle until the transfer is accepted.
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        match scope {
            Scope::Own => dossier::Column::ResponsibleUserId.eq(actor.user_id),
            Scope::Organisation | Scope::Region => dossier::Column::StelleId.eq(actor.organisation_id),
            Scope::Canton => everything(),
        }
    }
}

/// The statuses in which the provider sees an order: not while coaching waits for the Leitung, nor once
/// refused.
const RELEASED_TO_PROVIDER: [AuftragStatus; 3] =
    [AuftragStatus::Erteilt, AuftragStatus::ErgebnisEingegangen, AuftragStatus::Erledigt];

impl Guarded for auftrag::Entity {
    const RESOURCE: Resource = Resource::Auftrag;

    fn id_column() -> auftrag::Column {
        auftrag::Column::Id
    }

    /// The provider's side of an order: addressed to the actor's organisation, and released to it.
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        let released = auftrag::Column::Status.is_in(RELEASED_TO_PROVIDER.map(AuftragStatus::code));
        match scope {
            Scope::Own | Scope::Organisation | Scope::Region => {
                auftrag::Column::AnbieterId.eq(actor.organisation_id).and(released)
            }
            Scope::Canton => released,
        }
    }
}

impl Guarded for uebergabe::Entity {
    const RESOURCE: Resource = Resource::Uebergabe;

    fn id_column() -> uebergabe::Column {
        uebergabe::Column::Id
    }

    /// An incoming transfer, reached by the receiving Stelle (the sending Stelle sees it on its dossier).
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        match scope {
            Scope::Own | Scope::Organisation | Scope::Region => uebergabe::Column::AnStelleId.eq(actor.organisation_id),
            Scope::Canton => everything(),
        }
    }
}

impl Guarded for caseload_zeile::Entity {
    const RESOURCE: Resource = Resource::CaseloadImport;

    fn id_column() -> caseload_zeile::Column {
        caseload_zeile::Column::Id
    }

    /// The Leitung takes over the caseload of its own Stelle only; an admin that of any.
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        match scope {
            Scope::Canton => everything(),
            _ => caseload_zeile::Column::StelleId.eq(actor.organisation_id),
        }
    }
}
