//! Steuerung: the Gemeindeorganisation and the yearly Selbstdeklaration. Both are reached through their
//! Gemeinde: an Integrationsbeauftragte reaches the own Gemeinde and, as Leitgemeinde, its members; the
//! Kanton all. The record of a Gemeindeorganisation is the Gemeinde itself (its organisation, numbered by
//! BFS number), because what is recorded about it may not exist yet.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Gemeinde (organisation of kind Gemeinde, for Gemeindeorganisation) | the organisation's Gemeinden | same | the Gemeinden of the Sozialregion | all Gemeinden |
//! | Selbstdeklaration | Gemeinde in the organisation's Gemeinden | same | Gemeinde in the Sozialregion | all |

use super::in_gemeinden;
use crate::OrganisationKind;
use crate::entity::{organisation, selbstdeklaration};
use crate::guard::Guarded;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ExprTrait};

impl Guarded for organisation::Entity {
    const RESOURCE: Resource = Resource::Gemeindeorganisation;

    /// A Gemeinde is named by its BFS number, in the address and in the log.
    fn id_column() -> organisation::Column {
        organisation::Column::BfsNr
    }

    /// The BFS number column is an `integer`: a number beyond its range names no Gemeinde.
    fn is_record(id: i64) -> SimpleExpr {
        match i32::try_from(id) {
            Ok(bfs) => organisation::Column::BfsNr.eq(bfs),
            Err(_) => Expr::value(false),
        }
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        gemeinden(actor, scope)
    }
}

impl Guarded for selbstdeklaration::Entity {
    const RESOURCE: Resource = Resource::Selbstdeklaration;

    fn id_column() -> selbstdeklaration::Column {
        selbstdeklaration::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(selbstdeklaration::Column::GemeindeBfs, actor, scope)
    }
}

/// The Gemeinden (organisations of kind Gemeinde) `scope` reaches, also those without any record yet: the
/// overview of the Selbstdeklaration lists every Gemeinde, begun or not.
pub(crate) fn gemeinden(actor: &Actor, scope: Scope) -> SimpleExpr {
    organisation::Column::Kind.eq(OrganisationKind::Gemeinde.code()).and(in_gemeinden(
        organisation::Column::BfsNr,
        actor,
        scope,
    ))
}
