//! A person's account: credentials, pseudonymous handle, role and optional company.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    #[sea_orm(unique)]
    pub handle: String,
    pub display_name: Option<String>,
    pub role: String,
    pub organization_id: Option<i64>,
    pub show_name: bool,
    pub show_company: bool,
    pub locale: Option<String>,
    pub status: String,
    pub email_verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
