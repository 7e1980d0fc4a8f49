//! Security: password reset links (only token hashes) and the security audit log.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SecurityEvents {
    Table,
    Id,
    Kind,
    ActorId,
    SubjectId,
    Client,
    Detail,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PasswordResets::Table)
                .col(id(PasswordResets::Id))
                .col(
                    ColumnDef::new(PasswordResets::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PasswordResets::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(PasswordResets::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PasswordResets::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(PasswordResets::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_password_resets_user",
                    (PasswordResets::Table, PasswordResets::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Actor and subject are plain numbers, not foreign keys: the log outlives deleted
        // accounts, and it never holds what anyone wrote.
        m.create_table(
            Table::create()
                .table(SecurityEvents::Table)
                .col(id(SecurityEvents::Id))
                .col(
                    ColumnDef::new(SecurityEvents::Kind)
                        .string_len(40)
                        .not_null(),
                )
                .col(ColumnDef::new(SecurityEvents::ActorId).big_integer().null())
                .col(
                    ColumnDef::new(SecurityEvents::SubjectId)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(SecurityEvents::Client).string_len(64).null())
                .col(
                    ColumnDef::new(SecurityEvents::Detail)
                        .string_len(300)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SecurityEvents::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_security_events_kind")
                .table(SecurityEvents::Table)
                .col(SecurityEvents::Kind)
                .col(SecurityEvents::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SecurityEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(PasswordResets::Table).to_owned())
            .await
    }
}
