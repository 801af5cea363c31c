//! Mentoring-Pools. A pool is a Sozialregion: its coordinators reach the mentors, mentees and tandems of
//! the region's Gemeinden. A tandem carries the Gemeinde of its mentee, so it stays in the pool after a
//! mentor or mentee is deleted. Check-ins are read and written only through their tandem.
//!
//! | Table | Own | Organisation | Region | Canton |
//! |---|---|---|---|---|
//! | Mentor | Gemeinde in the organisation's Gemeinden | same | Gemeinde in the Sozialregion | all |
//! | Mentee | same as Mentor | same | same | all |
//! | Tandem | same as Mentor | same | same | all |

use super::in_gemeinden;
use crate::entity::{mentoring_mentee, mentoring_mentor, mentoring_tandem};
use crate::guard::Guarded;
use iim_domain::{Actor, Resource, Scope};
use sea_orm::sea_query::SimpleExpr;

impl Guarded for mentoring_mentor::Entity {
    const RESOURCE: Resource = Resource::Mentoring;

    fn id_column() -> mentoring_mentor::Column {
        mentoring_mentor::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(mentoring_mentor::Column::GemeindeBfs, actor, scope)
    }
}

impl Guarded for mentoring_mentee::Entity {
    const RESOURCE: Resource = Resource::Mentoring;

    fn id_column() -> mentoring_mentee::Column {
        mentoring_mentee::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(mentoring_mentee::Column::GemeindeBfs, actor, scope)
    }
}

impl Guarded for mentoring_tandem::Entity {
    const RESOURCE: Resource = Resource::Mentoring;

    fn id_column() -> mentoring_tandem::Column {
        mentoring_tandem::Column::Id
    }

    fn reach(actor: &Actor, scope: Scope) -> SimpleExpr {
        in_gemeinden(mentoring_tandem::Column::GemeindeBfs, actor, scope)
    }
}
