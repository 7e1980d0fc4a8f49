//! A question in a member's spaced-review schedule (Leitner box and due day).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub lesson_id: i64,
    pub question_key: String,
    #[sea_orm(column_name = "box")]
    pub leitner_box: i32,
    pub due_on: Date,
    pub last_reviewed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
