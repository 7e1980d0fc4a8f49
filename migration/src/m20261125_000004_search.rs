//! What search needs besides its index: the anonymous search log (content gaps) and the
//! synonym groups trainers maintain.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No user id, on purpose: trainers learn what is searched, never who searched it.
        m.create_table(
            Table::create()
                .table(SearchLog::Table)
                .col(
                    ColumnDef::new(SearchLog::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(SearchLog::Query).string_len(200).not_null())
                .col(ColumnDef::new(SearchLog::Results).integer().not_null())
                .col(
                    ColumnDef::new(SearchLog::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_search_log_created")
                .table(SearchLog::Table)
                .col(SearchLog::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SearchSynonyms::Table)
                .col(
                    ColumnDef::new(SearchSynonyms::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SearchSynonyms::Phrases)
                        .string_len(1000)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SearchSynonyms::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SearchSynonyms::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SearchLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SearchLog {
    Table,
    Id,
    Query,
    Results,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SearchSynonyms {
    Table,
    Id,
    Phrases,
    CreatedAt,
}
