//! A company's sensitive names (customers, projects, products): its admins keep the list, and
//! its members' redaction hints mark the entries while they write. One row per entry; the
//! case-folded key makes an entry unique within its company whatever its case.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SensitiveNames {
    Table,
    Id,
    OrganizationId,
    Name,
    NameKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SensitiveNames::Table)
                .col(id(SensitiveNames::Id))
                .col(
                    ColumnDef::new(SensitiveNames::OrganizationId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SensitiveNames::Name)
                        .string_len(80)
                        .not_null(),
                )
                // Lower case can be longer than the name ("İ" becomes two characters).
                .col(
                    ColumnDef::new(SensitiveNames::NameKey)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SensitiveNames::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_sensitive_names_org",
                    (SensitiveNames::Table, SensitiveNames::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sensitive_names_org_key")
                .table(SensitiveNames::Table)
                .col(SensitiveNames::OrganizationId)
                .col(SensitiveNames::NameKey)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SensitiveNames::Table).to_owned())
            .await
    }
}
