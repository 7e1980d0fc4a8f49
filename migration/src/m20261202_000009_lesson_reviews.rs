//! The review of lessons: what a reviewer decided and wrote (a request for changes always
//! carries a comment), and notifications that point at a lesson instead of a thread.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LessonReviews {
    Table,
    Id,
    LessonId,
    ReviewerId,
    Outcome,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    LessonId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LessonReviews::Table)
                .col(id(LessonReviews::Id))
                .col(
                    ColumnDef::new(LessonReviews::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonReviews::ReviewerId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(LessonReviews::Outcome)
                        .string_len(30)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonReviews::Comment)
                        .string_len(2000)
                        .null(),
                )
                .col(
                    ColumnDef::new(LessonReviews::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_lesson_reviews_lesson",
                    (LessonReviews::Table, LessonReviews::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lesson_reviews_lesson")
                .table(LessonReviews::Table)
                .col(LessonReviews::LessonId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(ColumnDef::new(Notifications::LessonId).big_integer().null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .drop_column(Notifications::LessonId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(LessonReviews::Table).to_owned())
            .await?;
        Ok(())
    }
}
