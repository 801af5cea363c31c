//! start.integration of the Gemeinden. A Neuzuzüger belongs to the Gemeinde it moved into, a child of the
//! frühe Sprachförderung to its Wohngemeinde; what hangs on them (a hand-over, a possible duplicate) is
//! reached through them. The Migrationsamt reads and decides the hand-overs of the whole canton and nothing
//! else of start.integration.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Neuzuzüger | Gemeinde moved into in the organisation's Gemeinden | same | Gemeinde in the Sozialregion | all |
//! | Fordern-Fall | its Neuzuzüger is reached (as above) | same | same | all (Migrationsamt) |
//! | Mögliches Duplikat | both persons are reached (see Person) | same | same | all |
//! | Register-Lieferung | imported by an account of the actor's organisation | same | same | all (admin) |
//! | Frühförderung | the child's Wohngemeinde in the organisation's Gemeinden | same | Wohngemeinde in the Sozialregion | all |
//! | Kennzahlen (figures of the Frühförderung) | Gemeinde at the entry in the organisation's Gemeinden | same | Gemeinde in the Sozialregion | all |

use super::{everything, in_gemeinden};
use crate::entity::{
    fordern_fall, fruehfoerderung, moegliches_duplikat, neuzuzueger, person, register_lieferung, user,
};
use crate::guard::Guarded;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::sea_query::{ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, EntityName, IntoSimpleExpr};

impl Guarded for neuzuzueger::Entity {
    const RESOURCE: Resource = Resource::Neuzuzueger;

    fn id_column() -> neuzuzueger::Column {
        neuzuzueger::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(neuzuzueger::Column::GemeindeBfs, actor, scope)
    }
}

impl Guarded for fordern_fall::Entity {
    const RESOURCE: Resource = Resource::Fordern;

    fn id_column() -> fordern_fall::Column {
        fordern_fall::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        let reached = Query::select()
            .column(neuzuzueger::Column::Id)
            .from(neuzuzueger::Entity.table_ref())
            .and_where(in_gemeinden(neuzuzueger::Column::GemeindeBfs, actor, scope))
            .to_owned();
        fordern_fall::Column::NeuzuzuegerId.into_simple_expr().in_subquery(reached)
    }
}

/// A pair is decided by someone who reaches both persons (a merge changes both).
impl Guarded for moegliches_duplikat::Entity {
    const RESOURCE: Resource = Resource::Person;

    fn id_column() -> moegliches_duplikat::Column {
        moegliches_duplikat::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        let reached = || {
            Query::select()
                .column(person::Column::Id)
                .from(person::Entity.table_ref())
                .and_where(<person::Entity as Guarded>::reach(actor, scope))
                .to_owned()
        };
        moegliches_duplikat::Column::PersonId
            .into_simple_expr()
            .in_subquery(reached())
            .and(moegliches_duplikat::Column::KandidatId.into_simple_expr().in_subquery(reached()))
    }
}

/// A delivery carries no Gemeinde of its own (one file may concern several); it belongs to whoever imported it.
impl Guarded for register_lieferung::Entity {
    const RESOURCE: Resource = Resource::RegisterImport;

    fn id_column() -> register_lieferung::Column {
        register_lieferung::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        if scope == Scope::Canton {
            return everything();
        }
        let colleagues = Query::select()
            .column(user::Column::Username)
            .from(user::Entity.table_ref())
            .and_where(user::Column::OrganisationId.eq(actor.organisation_id))
            .to_owned();
        register_lieferung::Column::ImportiertVon.into_simple_expr().in_subquery(colleagues)
    }
}

impl Guarded for fruehfoerderung::Entity {
    const RESOURCE: Resource = Resource::Fruehfoerderung;

    fn id_column() -> fruehfoerderung::Column {
        fruehfoerderung::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        let children = Query::select()
            .column(person::Column::Id)
            .from(person::Entity.table_ref())
            .and_where(child_reach(actor, scope))
            .to_owned();
        fruehfoerderung::Column::PersonId.into_simple_expr().in_subquery(children)
    }
}

/// The persons whose track the actor would reach with `scope`: those living in its Gemeinden. Also decides
/// which persons the actor may take into the track.
pub(crate) fn child_reach(actor: &Actor, scope: Scope) -> SimpleExpr {
    in_gemeinden(person::Column::WohngemeindeBfs, actor, scope)
}

/// The figures of the frühe Sprachförderung the actor reaches with `scope`: those of the Gemeinden where the
/// children were when their level at entry was recorded.
pub(crate) fn kennzahlen_reach(actor: &Actor, scope: Scope) -> SimpleExpr {
    in_gemeinden(fruehfoerderung::Column::EintrittGemeindeBfs, actor, scope)
}
