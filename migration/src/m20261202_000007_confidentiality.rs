//! Confidentiality: company memberships with their time span (for "hidden from my company"),
//! redacted answer revisions, and the rotating keys that make the search log k-anonymous
//! without storing who searched.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    OrganizationId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrgMemberships {
    Table,
    Id,
    UserId,
    OrganizationId,
    JoinedAt,
    LeftAt,
}

#[derive(DeriveIden)]
enum Threads {
    Table,
    AuthorOrgs,
}

#[derive(DeriveIden)]
enum AnswerRevisions {
    Table,
    Redacted,
    EditorRole,
}

#[derive(DeriveIden)]
enum SearchLog {
    Table,
    Searcher,
}

#[derive(DeriveIden)]
enum SearchLogKeys {
    Table,
    Day,
    Secret,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrgMemberships::Table)
                .col(id(OrgMemberships::Id))
                .col(
                    ColumnDef::new(OrgMemberships::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OrgMemberships::OrganizationId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OrgMemberships::JoinedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OrgMemberships::LeftAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    "fk_org_memberships_user",
                    (OrgMemberships::Table, OrgMemberships::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_org_memberships_organization",
                    (OrgMemberships::Table, OrgMemberships::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_org_memberships_user", OrgMemberships::UserId),
            ("idx_org_memberships_org", OrgMemberships::OrganizationId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(OrgMemberships::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        // Everyone in a company now has been in it since their account was made, as far as
        // the database knows.
        let backfill = Query::insert()
            .into_table(OrgMemberships::Table)
            .columns([
                OrgMemberships::UserId,
                OrgMemberships::OrganizationId,
                OrgMemberships::JoinedAt,
            ])
            .select_from(
                Query::select()
                    .columns([Users::Id, Users::OrganizationId, Users::CreatedAt])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::OrganizationId).is_not_null())
                    .to_owned(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        m.exec_stmt(backfill).await?;

        m.alter_table(
            Table::alter()
                .table(Threads::Table)
                .add_column(
                    ColumnDef::new(Threads::AuthorOrgs)
                        .string_len(2000)
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        // The companies known so far: where the author asked and where they are now.
        m.get_connection()
            .execute_unprepared(
                "UPDATE threads SET author_orgs = \
                 CASE WHEN asked_in_org_id IS NULL THEN '' ELSE ',' || asked_in_org_id || ',' END \
                 || CASE WHEN author_org_id IS NULL OR author_org_id = asked_in_org_id THEN '' \
                 ELSE CASE WHEN asked_in_org_id IS NULL THEN ',' ELSE '' END || author_org_id || ',' END",
            )
            .await?;

        m.alter_table(
            Table::alter()
                .table(AnswerRevisions::Table)
                .add_column(
                    ColumnDef::new(AnswerRevisions::Redacted)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AnswerRevisions::Table)
                .add_column(
                    ColumnDef::new(AnswerRevisions::EditorRole)
                        .string_len(20)
                        .null(),
                )
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter()
                .table(SearchLog::Table)
                .add_column(ColumnDef::new(SearchLog::Searcher).string_len(32).null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SearchLogKeys::Table)
                .col(
                    ColumnDef::new(SearchLogKeys::Day)
                        .string_len(10)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SearchLogKeys::Secret)
                        .string_len(64)
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SearchLogKeys::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(SearchLog::Table)
                .drop_column(SearchLog::Searcher)
                .to_owned(),
        )
        .await?;
        for col in [AnswerRevisions::EditorRole, AnswerRevisions::Redacted] {
            m.alter_table(
                Table::alter()
                    .table(AnswerRevisions::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Threads::Table)
                .drop_column(Threads::AuthorOrgs)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(OrgMemberships::Table).to_owned())
            .await?;
        Ok(())
    }
}
