//! A lesson's place in a learning path.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub path_id: i64,
    pub lesson_id: i64,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
