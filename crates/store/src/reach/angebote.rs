//! Angebotsplattform. An offer belongs to the organisation that keeps it; the Kanton moderates all.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Angebot | kept by the actor's organisation | same | same | all |

use super::everything;
use crate::entity::angebot;
use crate::guard::Guarded;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::SimpleExpr;

impl Guarded for angebot::Entity {
    const RESOURCE: Resource = Resource::Angebot;

    fn id_column() -> angebot::Column {
        angebot::Column::Id
    }

    /// Offers are kept by organisations, not by Gemeinden: a wider scope than the own organisation is the
    /// Kanton's.
    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        match scope {
            Scope::Own | Scope::Organisation | Scope::Region => {
                angebot::Column::OrganisationId.eq(actor.organisation_id)
            }
            Scope::Canton => everything(),
        }
    }
}
