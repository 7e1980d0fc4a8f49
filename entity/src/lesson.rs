//! A lesson's identity, workflow state and working copy (the draft being edited).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub author_id: Option<i64>,
    pub status: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub topic: String,
    pub language: String,
    pub tags: String,
    pub takeaways: String,
    pub check_json: String,
    pub reading_minutes: i32,
    pub published_revision_id: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
