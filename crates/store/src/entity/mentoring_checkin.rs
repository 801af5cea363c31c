use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentoring_checkins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tandem_id: i64,
    pub datum: Date,
    pub notiz: String,
    pub erfasst_von: i64,
    pub erfasst_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
