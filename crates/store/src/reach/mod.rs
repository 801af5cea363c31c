//! Which records each role reaches: for every guarded table, the rows an actor reaches with each
//! [`iim_domain::Scope`] of the permission matrix, as one SQL condition. This folder is the only place
//! where a scope becomes a query; [`crate::guard::Guard`] applies it to every read and change. A data
//! protection officer reads it together with the matrix (`iim_domain::access`); ARCHITECTURE.md has the
//! same as a table. One file per Bereich.

mod angebote;
mod fallfuehrung;
mod mentoring;
pub(crate) mod start_integration;
pub(crate) mod steuerung;

use iim_domain::{Actor, Scope};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, IntoSimpleExpr};

/// `column IN (the BFS numbers of the Gemeinden the scope reaches)`, or true for the whole canton. Own and
/// Organisation reach the Gemeinden of the actor's organisation (for a Gemeinde its own and, as Leitgemeinde,
/// its members'; for a Sozialregion its Gemeinden), Region those of the actor's Sozialregion.
pub(crate) fn in_gemeinden(column: impl ColumnTrait, actor: &Actor, scope: Scope) -> SimpleExpr {
    match actor.gemeinden_in(scope) {
        None => everything(),
        Some(gemeinden) => column.is_in(gemeinden.iter().map(|b| i32::from(b.get()))),
    }
}

/// The condition that holds for every row (canton scope).
pub(crate) fn everything() -> SimpleExpr {
    Expr::value(true).into_simple_expr()
}
