//! Durchgehende Fallführung.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Person | Wohngemeinde in the organisation's Gemeinden | same | Wohngemeinde in the Sozialregion | all |
//! | Dossier | the actor is the responsible case worker | kept by the actor's Stelle | same as Organisation | all |

use super::{everything, in_gemeinden};
use crate::entity::{dossier, person};
use crate::guard::Guarded;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::SimpleExpr;

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
