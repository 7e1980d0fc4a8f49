//! Lessons with kept revisions, member progress, check answers, spaced review, bookmarks,
//! ratings and learning paths.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The working copy lives on the lesson; each publication is kept as a revision.
        m.create_table(
            Table::create()
                .table(Lessons::Table)
                .col(id(Lessons::Id))
                .col(
                    ColumnDef::new(Lessons::Slug)
                        .string_len(80)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Lessons::AuthorId).big_integer().null())
                .col(ColumnDef::new(Lessons::Status).string_len(20).not_null())
                .col(ColumnDef::new(Lessons::Title).string_len(200).not_null())
                .col(ColumnDef::new(Lessons::Summary).string_len(500).not_null())
                .col(ColumnDef::new(Lessons::BodyMd).text().not_null())
                .col(ColumnDef::new(Lessons::Topic).string_len(40).not_null())
                .col(ColumnDef::new(Lessons::Language).string_len(5).not_null())
                .col(ColumnDef::new(Lessons::Tags).text().not_null())
                .col(ColumnDef::new(Lessons::Takeaways).text().not_null())
                .col(ColumnDef::new(Lessons::CheckJson).text().not_null())
                .col(ColumnDef::new(Lessons::ReadingMinutes).integer().not_null())
                .col(
                    ColumnDef::new(Lessons::PublishedRevisionId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Lessons::PublishedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Lessons::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Lessons::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_lessons_author")
                        .from(Lessons::Table, Lessons::AuthorId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lessons_status_topic")
                .table(Lessons::Table)
                .col(Lessons::Status)
                .col(Lessons::Topic)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LessonRevisions::Table)
                .col(id(LessonRevisions::Id))
                .col(
                    ColumnDef::new(LessonRevisions::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(LessonRevisions::Number).integer().not_null())
                .col(
                    ColumnDef::new(LessonRevisions::Title)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonRevisions::Summary)
                        .string_len(500)
                        .not_null(),
                )
                .col(ColumnDef::new(LessonRevisions::BodyMd).text().not_null())
                .col(ColumnDef::new(LessonRevisions::BodyHtml).text().not_null())
                .col(
                    ColumnDef::new(LessonRevisions::Topic)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonRevisions::Language)
                        .string_len(5)
                        .not_null(),
                )
                .col(ColumnDef::new(LessonRevisions::Tags).text().not_null())
                .col(ColumnDef::new(LessonRevisions::Takeaways).text().not_null())
                .col(ColumnDef::new(LessonRevisions::CheckJson).text().not_null())
                .col(
                    ColumnDef::new(LessonRevisions::ReadingMinutes)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonRevisions::PublishedBy)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(LessonRevisions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_revisions_lesson",
                    (LessonRevisions::Table, LessonRevisions::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_revisions_lesson_number")
                .table(LessonRevisions::Table)
                .col(LessonRevisions::LessonId)
                .col(LessonRevisions::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LessonProgress::Table)
                .col(id(LessonProgress::Id))
                .col(
                    ColumnDef::new(LessonProgress::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonProgress::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonProgress::OpenedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonProgress::CompletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(LessonProgress::CheckCorrect)
                        .integer()
                        .null(),
                )
                .col(ColumnDef::new(LessonProgress::CheckTotal).integer().null())
                .foreign_key(&mut fk(
                    "fk_progress_user",
                    (LessonProgress::Table, LessonProgress::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_progress_lesson",
                    (LessonProgress::Table, LessonProgress::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_progress_user_lesson")
                .table(LessonProgress::Table)
                .col(LessonProgress::UserId)
                .col(LessonProgress::LessonId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CheckAnswers::Table)
                .col(id(CheckAnswers::Id))
                .col(
                    ColumnDef::new(CheckAnswers::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CheckAnswers::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CheckAnswers::QuestionKey)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CheckAnswers::Selected)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(CheckAnswers::Correct).boolean().not_null())
                .col(
                    ColumnDef::new(CheckAnswers::AnsweredAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_answers_user",
                    (CheckAnswers::Table, CheckAnswers::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_answers_lesson",
                    (CheckAnswers::Table, CheckAnswers::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_answers_user")
                .table(CheckAnswers::Table)
                .col(CheckAnswers::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ReviewItems::Table)
                .col(id(ReviewItems::Id))
                .col(ColumnDef::new(ReviewItems::UserId).big_integer().not_null())
                .col(
                    ColumnDef::new(ReviewItems::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ReviewItems::QuestionKey)
                        .string_len(40)
                        .not_null(),
                )
                .col(ColumnDef::new(ReviewItems::Box).integer().not_null())
                .col(ColumnDef::new(ReviewItems::DueOn).date().not_null())
                .col(
                    ColumnDef::new(ReviewItems::LastReviewedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_review_user",
                    (ReviewItems::Table, ReviewItems::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_review_lesson",
                    (ReviewItems::Table, ReviewItems::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_review_item")
                .table(ReviewItems::Table)
                .col(ReviewItems::UserId)
                .col(ReviewItems::LessonId)
                .col(ReviewItems::QuestionKey)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bookmarks::Table)
                .col(id(Bookmarks::Id))
                .col(ColumnDef::new(Bookmarks::UserId).big_integer().not_null())
                .col(ColumnDef::new(Bookmarks::LessonId).big_integer().not_null())
                .col(
                    ColumnDef::new(Bookmarks::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_bookmarks_user",
                    (Bookmarks::Table, Bookmarks::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_bookmarks_lesson",
                    (Bookmarks::Table, Bookmarks::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_bookmark")
                .table(Bookmarks::Table)
                .col(Bookmarks::UserId)
                .col(Bookmarks::LessonId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LessonRatings::Table)
                .col(id(LessonRatings::Id))
                .col(
                    ColumnDef::new(LessonRatings::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LessonRatings::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(LessonRatings::Stars).integer().not_null())
                .col(
                    ColumnDef::new(LessonRatings::Feedback)
                        .string_len(2000)
                        .null(),
                )
                .col(
                    ColumnDef::new(LessonRatings::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_ratings_user",
                    (LessonRatings::Table, LessonRatings::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_ratings_lesson",
                    (LessonRatings::Table, LessonRatings::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_rating")
                .table(LessonRatings::Table)
                .col(LessonRatings::UserId)
                .col(LessonRatings::LessonId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LearningPaths::Table)
                .col(id(LearningPaths::Id))
                .col(
                    ColumnDef::new(LearningPaths::Slug)
                        .string_len(80)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(LearningPaths::Title)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearningPaths::Description)
                        .string_len(2000)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearningPaths::Language)
                        .string_len(5)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearningPaths::CreatedBy)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(LearningPaths::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(LearningPaths::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_paths_creator")
                        .from(LearningPaths::Table, LearningPaths::CreatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PathLessons::Table)
                .col(id(PathLessons::Id))
                .col(ColumnDef::new(PathLessons::PathId).big_integer().not_null())
                .col(
                    ColumnDef::new(PathLessons::LessonId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PathLessons::Position).integer().not_null())
                .foreign_key(&mut fk(
                    "fk_path_lessons_path",
                    (PathLessons::Table, PathLessons::PathId),
                    (LearningPaths::Table, LearningPaths::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_path_lessons_lesson",
                    (PathLessons::Table, PathLessons::LessonId),
                    (Lessons::Table, Lessons::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_path_lesson")
                .table(PathLessons::Table)
                .col(PathLessons::PathId)
                .col(PathLessons::LessonId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PathFollows::Table)
                .col(id(PathFollows::Id))
                .col(ColumnDef::new(PathFollows::UserId).big_integer().not_null())
                .col(ColumnDef::new(PathFollows::PathId).big_integer().not_null())
                .col(
                    ColumnDef::new(PathFollows::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_follows_user",
                    (PathFollows::Table, PathFollows::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_follows_path",
                    (PathFollows::Table, PathFollows::PathId),
                    (LearningPaths::Table, LearningPaths::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_path_follow")
                .table(PathFollows::Table)
                .col(PathFollows::UserId)
                .col(PathFollows::PathId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PathFollows::Table.into_iden(),
            PathLessons::Table.into_iden(),
            LearningPaths::Table.into_iden(),
            LessonRatings::Table.into_iden(),
            Bookmarks::Table.into_iden(),
            ReviewItems::Table.into_iden(),
            CheckAnswers::Table.into_iden(),
            LessonProgress::Table.into_iden(),
            LessonRevisions::Table.into_iden(),
            Lessons::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    Slug,
    AuthorId,
    Status,
    Title,
    Summary,
    BodyMd,
    Topic,
    Language,
    Tags,
    Takeaways,
    CheckJson,
    ReadingMinutes,
    PublishedRevisionId,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonRevisions {
    Table,
    Id,
    LessonId,
    Number,
    Title,
    Summary,
    BodyMd,
    BodyHtml,
    Topic,
    Language,
    Tags,
    Takeaways,
    CheckJson,
    ReadingMinutes,
    PublishedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    Id,
    UserId,
    LessonId,
    OpenedAt,
    CompletedAt,
    CheckCorrect,
    CheckTotal,
}

#[derive(DeriveIden)]
enum CheckAnswers {
    Table,
    Id,
    UserId,
    LessonId,
    QuestionKey,
    Selected,
    Correct,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum ReviewItems {
    Table,
    Id,
    UserId,
    LessonId,
    QuestionKey,
    Box,
    DueOn,
    LastReviewedAt,
}

#[derive(DeriveIden)]
enum Bookmarks {
    Table,
    Id,
    UserId,
    LessonId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonRatings {
    Table,
    Id,
    UserId,
    LessonId,
    Stars,
    Feedback,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LearningPaths {
    Table,
    Id,
    Slug,
    Title,
    Description,
    Language,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PathLessons {
    Table,
    Id,
    PathId,
    LessonId,
    Position,
}

#[derive(DeriveIden)]
enum PathFollows {
    Table,
    Id,
    UserId,
    PathId,
    CreatedAt,
}
