//! Schema migrations: every change to the database schema is one file here, applied in order.
//!
//! Migrations never import `entity` and never seed data; they describe tables only.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261125_000001_accounts;
mod m20261125_000002_lessons;
mod m20261125_000003_community;
mod m20261125_000004_search;
mod m20261125_000005_companies;
mod m20261125_000006_security;
mod m20261202_000007_confidentiality;
mod m20261202_000008_scim_ids;
mod m20261202_000009_lesson_reviews;
mod m20261202_000010_sensitive_names;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_accounts::Migration),
            Box::new(m20261125_000002_lessons::Migration),
            Box::new(m20261125_000003_community::Migration),
            Box::new(m20261125_000004_search::Migration),
            Box::new(m20261125_000005_companies::Migration),
            Box::new(m20261125_000006_security::Migration),
            Box::new(m20261202_000007_confidentiality::Migration),
            Box::new(m20261202_000008_scim_ids::Migration),
            Box::new(m20261202_000009_lesson_reviews::Migration),
            Box::new(m20261202_000010_sensitive_names::Migration),
        ]
    }
}
