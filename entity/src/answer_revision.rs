//! An earlier text of an edited answer, or, once redacted, only the fact that it was edited
//! and by whom (role).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub answer_id: i64,
    pub editor_id: Option<i64>,
    /// Empty once redacted: a redaction destroys the replaced text.
    pub body_md: String,
    pub redacted: bool,
    /// `author` or `moderator`.
    pub editor_role: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
