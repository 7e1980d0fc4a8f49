//! A question asked in the community, with its visibility and moderation state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub topic: String,
    pub language: String,
    pub visibility: String,
    pub asked_in_org_id: Option<i64>,
    pub author_org_id: Option<i64>,
    /// Every company the author belonged to from asking on, as `,3,17,`: a "hidden from my
    /// company" question stays hidden from all their people (`policy::may_see_thread`).
    pub author_orgs: String,
    pub status: String,
    pub locked: bool,
    pub hidden: bool,
    pub accepted_answer_id: Option<i64>,
    pub answer_count: i32,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub edited_by_moderator: bool,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_activity_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
