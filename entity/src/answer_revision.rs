//! An earlier text of an edited answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub answer_id: i64,
    pub editor_id: Option<i64>,
    pub body_md: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
