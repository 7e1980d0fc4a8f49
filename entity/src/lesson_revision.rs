//! One published version of a lesson; every publication is kept.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lesson_id: i64,
    pub number: i32,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body_html: String,
    pub topic: String,
    pub language: String,
    pub tags: String,
    pub takeaways: String,
    pub check_json: String,
    pub reading_minutes: i32,
    pub published_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
