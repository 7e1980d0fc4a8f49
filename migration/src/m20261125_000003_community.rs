//! The confidential Q&A: threads, tags, answers with history, comments, helpful votes, flags,
//! the moderation log, notifications with settings, the mail outbox, and the search outbox.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<Alias>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    m.create_index(stmt.to_owned()).await
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Threads::Table)
                .col(id(Threads::Id))
                .col(ColumnDef::new(Threads::AuthorId).big_integer().not_null())
                .col(ColumnDef::new(Threads::Title).string_len(200).not_null())
                .col(ColumnDef::new(Threads::BodyMd).text().not_null())
                .col(ColumnDef::new(Threads::BodyHtml).text().not_null())
                .col(ColumnDef::new(Threads::Topic).string_len(40).not_null())
                .col(ColumnDef::new(Threads::Language).string_len(5).not_null())
                .col(
                    ColumnDef::new(Threads::Visibility)
                        .string_len(20)
                        .not_null(),
                )
                // The author's company when asking, and now: members of either never see a
                // `not_my_company` thread.
                .col(ColumnDef::new(Threads::AskedInOrgId).big_integer().null())
                .col(ColumnDef::new(Threads::AuthorOrgId).big_integer().null())
                .col(ColumnDef::new(Threads::Status).string_len(20).not_null())
                .col(
                    ColumnDef::new(Threads::Locked)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Threads::Hidden)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Threads::AcceptedAnswerId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Threads::AnswerCount)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(Threads::ClaimedBy).big_integer().null())
                .col(ts_null(Threads::ClaimedAt))
                .col(ts_null(Threads::ClosedAt))
                .col(
                    ColumnDef::new(Threads::EditedByModerator)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ts_null(Threads::DeletedAt))
                .col(ts(Threads::CreatedAt))
                .col(ts(Threads::UpdatedAt))
                .col(ts(Threads::LastActivityAt))
                .foreign_key(&mut fk(
                    "fk_threads_author",
                    (Threads::Table, Threads::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_threads_visibility",
            Threads::Table,
            vec![a("visibility"), a("id")],
            false,
        )
        .await?;
        index(
            m,
            "idx_threads_author",
            Threads::Table,
            vec![a("author_id")],
            false,
        )
        .await?;
        index(
            m,
            "idx_threads_topic",
            Threads::Table,
            vec![a("topic"), a("id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ThreadTags::Table)
                .col(id(ThreadTags::Id))
                .col(
                    ColumnDef::new(ThreadTags::ThreadId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ThreadTags::Tag).string_len(40).not_null())
                .foreign_key(&mut fk(
                    "fk_thread_tags_thread",
                    (ThreadTags::Table, ThreadTags::ThreadId),
                    (Threads::Table, Threads::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_thread_tag",
            ThreadTags::Table,
            vec![a("thread_id"), a("tag")],
            true,
        )
        .await?;
        index(
            m,
            "idx_thread_tags_tag",
            ThreadTags::Table,
            vec![a("tag")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Answers::Table)
                .col(id(Answers::Id))
                .col(ColumnDef::new(Answers::ThreadId).big_integer().not_null())
                .col(ColumnDef::new(Answers::AuthorId).big_integer().not_null())
                .col(ColumnDef::new(Answers::BodyMd).text().not_null())
                .col(ColumnDef::new(Answers::BodyHtml).text().not_null())
                .col(
                    ColumnDef::new(Answers::HelpfulCount)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(Answers::Hidden)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Answers::EditedByModerator)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ts_null(Answers::DeletedAt))
                .col(ts(Answers::CreatedAt))
                .col(ts(Answers::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_answers_thread",
                    (Answers::Table, Answers::ThreadId),
                    (Threads::Table, Threads::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_answers_author",
                    (Answers::Table, Answers::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_answers_thread",
            Answers::Table,
            vec![a("thread_id")],
            false,
        )
        .await?;
        index(
            m,
            "idx_answers_author",
            Answers::Table,
            vec![a("author_id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AnswerRevisions::Table)
                .col(id(AnswerRevisions::Id))
                .col(
                    ColumnDef::new(AnswerRevisions::AnswerId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AnswerRevisions::EditorId)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(AnswerRevisions::BodyMd).text().not_null())
                .col(ts(AnswerRevisions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_answer_revisions_answer",
                    (AnswerRevisions::Table, AnswerRevisions::AnswerId),
                    (Answers::Table, Answers::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Comments::Table)
                .col(id(Comments::Id))
                .col(ColumnDef::new(Comments::AnswerId).big_integer().not_null())
                .col(ColumnDef::new(Comments::AuthorId).big_integer().not_null())
                .col(ColumnDef::new(Comments::Body).string_len(2000).not_null())
                .col(
                    ColumnDef::new(Comments::Hidden)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ts_null(Comments::DeletedAt))
                .col(ts(Comments::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_comments_answer",
                    (Comments::Table, Comments::AnswerId),
                    (Answers::Table, Answers::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_comments_author",
                    (Comments::Table, Comments::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_comments_answer",
            Comments::Table,
            vec![a("answer_id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Votes::Table)
                .col(id(Votes::Id))
                .col(ColumnDef::new(Votes::AnswerId).big_integer().not_null())
                .col(ColumnDef::new(Votes::UserId).big_integer().not_null())
                .col(ts(Votes::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_votes_answer",
                    (Votes::Table, Votes::AnswerId),
                    (Answers::Table, Answers::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_votes_user",
                    (Votes::Table, Votes::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_vote",
            Votes::Table,
            vec![a("answer_id"), a("user_id")],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Flags::Table)
                .col(id(Flags::Id))
                .col(ColumnDef::new(Flags::TargetKind).string_len(20).not_null())
                .col(ColumnDef::new(Flags::TargetId).big_integer().not_null())
                .col(ColumnDef::new(Flags::ThreadId).big_integer().not_null())
                .col(ColumnDef::new(Flags::ReporterId).big_integer().not_null())
                .col(ColumnDef::new(Flags::Reason).string_len(1000).not_null())
                .col(ColumnDef::new(Flags::Status).string_len(20).not_null())
                .col(ColumnDef::new(Flags::ResolvedBy).big_integer().null())
                .col(ts_null(Flags::ResolvedAt))
                .col(ts(Flags::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_flags_reporter",
                    (Flags::Table, Flags::ReporterId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_flags_thread",
                    (Flags::Table, Flags::ThreadId),
                    (Threads::Table, Threads::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "uq_flag_reporter",
            Flags::Table,
            vec![a("target_kind"), a("target_id"), a("reporter_id")],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ModerationLog::Table)
                .col(id(ModerationLog::Id))
                .col(
                    ColumnDef::new(ModerationLog::ModeratorId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(ModerationLog::Action)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ModerationLog::TargetKind)
                        .string_len(20)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ModerationLog::TargetId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ModerationLog::Reason)
                        .string_len(1000)
                        .not_null(),
                )
                .col(ts(ModerationLog::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(id(Notifications::Id))
                .col(
                    ColumnDef::new(Notifications::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Notifications::Kind)
                        .string_len(40)
                        .not_null(),
                )
                .col(ColumnDef::new(Notifications::ThreadId).big_integer().null())
                .col(ColumnDef::new(Notifications::AnswerId).big_integer().null())
                .col(ts_null(Notifications::ReadAt))
                .col(ts(Notifications::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_notifications_user",
                    (Notifications::Table, Notifications::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_notifications_user",
            Notifications::Table,
            vec![a("user_id"), a("id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NotificationSettings::Table)
                .col(id(NotificationSettings::Id))
                .col(
                    ColumnDef::new(NotificationSettings::UserId)
                        .big_integer()
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(NotificationSettings::EmailAnswers)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(NotificationSettings::EmailAccepted)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(NotificationSettings::EmailComments)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(NotificationSettings::EmailCoach)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(NotificationSettings::EmailModeration)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .foreign_key(&mut fk(
                    "fk_notification_settings_user",
                    (NotificationSettings::Table, NotificationSettings::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MailOutbox::Table)
                .col(id(MailOutbox::Id))
                .col(ColumnDef::new(MailOutbox::UserId).big_integer().null())
                .col(
                    ColumnDef::new(MailOutbox::ToEmail)
                        .string_len(254)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(MailOutbox::Subject)
                        .string_len(300)
                        .not_null(),
                )
                .col(ColumnDef::new(MailOutbox::Body).text().not_null())
                .col(ColumnDef::new(MailOutbox::Kind).string_len(40).not_null())
                .col(ColumnDef::new(MailOutbox::ThreadId).big_integer().null())
                .col(ColumnDef::new(MailOutbox::Status).string_len(20).not_null())
                .col(
                    ColumnDef::new(MailOutbox::Attempts)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(MailOutbox::LastError)
                        .string_len(1000)
                        .null(),
                )
                .col(ts(MailOutbox::CreatedAt))
                .col(ts_null(MailOutbox::SentAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_mail_outbox_status",
            MailOutbox::Table,
            vec![a("status"), a("id")],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SearchOutbox::Table)
                .col(id(SearchOutbox::Id))
                .col(
                    ColumnDef::new(SearchOutbox::EntityKind)
                        .string_len(20)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SearchOutbox::EntityId)
                        .big_integer()
                        .not_null(),
                )
                .col(ts(SearchOutbox::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SearchOutbox::Table.into_iden(),
            MailOutbox::Table.into_iden(),
            NotificationSettings::Table.into_iden(),
            Notifications::Table.into_iden(),
            ModerationLog::Table.into_iden(),
            Flags::Table.into_iden(),
            Votes::Table.into_iden(),
            Comments::Table.into_iden(),
            AnswerRevisions::Table.into_iden(),
            Answers::Table.into_iden(),
            ThreadTags::Table.into_iden(),
            Threads::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
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
enum Threads {
    Table,
    Id,
    AuthorId,
    Title,
    BodyMd,
    BodyHtml,
    Topic,
    Language,
    Visibility,
    AskedInOrgId,
    AuthorOrgId,
    Status,
    Locked,
    Hidden,
    AcceptedAnswerId,
    AnswerCount,
    ClaimedBy,
    ClaimedAt,
    ClosedAt,
    EditedByModerator,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
    LastActivityAt,
}

#[derive(DeriveIden)]
enum ThreadTags {
    Table,
    Id,
    ThreadId,
    Tag,
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    Id,
    ThreadId,
    AuthorId,
    BodyMd,
    BodyHtml,
    HelpfulCount,
    Hidden,
    EditedByModerator,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnswerRevisions {
    Table,
    Id,
    AnswerId,
    EditorId,
    BodyMd,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    AnswerId,
    AuthorId,
    Body,
    Hidden,
    DeletedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
    AnswerId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Flags {
    Table,
    Id,
    TargetKind,
    TargetId,
    ThreadId,
    ReporterId,
    Reason,
    Status,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ModerationLog {
    Table,
    Id,
    ModeratorId,
    Action,
    TargetKind,
    TargetId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    ThreadId,
    AnswerId,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    Id,
    UserId,
    EmailAnswers,
    EmailAccepted,
    EmailComments,
    EmailCoach,
    EmailModeration,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    UserId,
    ToEmail,
    Subject,
    Body,
    Kind,
    ThreadId,
    Status,
    Attempts,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum SearchOutbox {
    Table,
    Id,
    EntityKind,
    EntityId,
    CreatedAt,
}
