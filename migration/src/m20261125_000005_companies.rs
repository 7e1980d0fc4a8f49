//! Companies enrolling teams: invitations, teams, assigned learning with reminders, SCIM
//! tokens, and e-mail verification of individual accounts.

use sea_orm_migration::prelude::*;

use crate::columns::{fk, id};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(
                    ColumnDef::new(Organizations::ScimTokenHash)
                        .string_len(64)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(
                    ColumnDef::new(Users::EmailVerifiedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Teams::Table)
                .col(id(Teams::Id))
                .col(
                    ColumnDef::new(Teams::OrganizationId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Teams::Name).string_len(100).not_null())
                .col(
                    ColumnDef::new(Teams::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_teams_org",
                    (Teams::Table, Teams::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_team_name")
                .table(Teams::Table)
                .col(Teams::OrganizationId)
                .col(Teams::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TeamMembers::Table)
                .col(id(TeamMembers::Id))
                .col(ColumnDef::new(TeamMembers::TeamId).big_integer().not_null())
                .col(ColumnDef::new(TeamMembers::UserId).big_integer().not_null())
                .foreign_key(&mut fk(
                    "fk_team_members_team",
                    (TeamMembers::Table, TeamMembers::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_team_members_user",
                    (TeamMembers::Table, TeamMembers::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_team_member")
                .table(TeamMembers::Table)
                .col(TeamMembers::TeamId)
                .col(TeamMembers::UserId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(id(Invitations::Id))
                .col(
                    ColumnDef::new(Invitations::OrganizationId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Invitations::Email)
                        .string_len(254)
                        .not_null(),
                )
                .col(ColumnDef::new(Invitations::Name).string_len(100).null())
                .col(
                    ColumnDef::new(Invitations::Teams)
                        .string_len(1000)
                        .not_null(),
                )
                .col(ColumnDef::new(Invitations::Role).string_len(20).not_null())
                .col(
                    ColumnDef::new(Invitations::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Invitations::InvitedBy).big_integer().null())
                .col(
                    ColumnDef::new(Invitations::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Invitations::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Invitations::AcceptedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    "fk_invitations_org",
                    (Invitations::Table, Invitations::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_invitation_email")
                .table(Invitations::Table)
                .col(Invitations::OrganizationId)
                .col(Invitations::Email)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Assignments::Table)
                .col(id(Assignments::Id))
                .col(
                    ColumnDef::new(Assignments::OrganizationId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Assignments::PathId).big_integer().null())
                .col(ColumnDef::new(Assignments::LessonId).big_integer().null())
                .col(ColumnDef::new(Assignments::TeamId).big_integer().null())
                .col(ColumnDef::new(Assignments::UserId).big_integer().null())
                .col(ColumnDef::new(Assignments::DueOn).date().not_null())
                .col(ColumnDef::new(Assignments::CreatedBy).big_integer().null())
                .col(
                    ColumnDef::new(Assignments::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_assignments_org",
                    (Assignments::Table, Assignments::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AssignmentReminders::Table)
                .col(id(AssignmentReminders::Id))
                .col(
                    ColumnDef::new(AssignmentReminders::AssignmentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AssignmentReminders::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AssignmentReminders::SentAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    "fk_reminders_assignment",
                    (
                        AssignmentReminders::Table,
                        AssignmentReminders::AssignmentId,
                    ),
                    (Assignments::Table, Assignments::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_reminder")
                .table(AssignmentReminders::Table)
                .col(AssignmentReminders::AssignmentId)
                .col(AssignmentReminders::UserId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EmailVerifications::Table)
                .col(id(EmailVerifications::Id))
                .col(
                    ColumnDef::new(EmailVerifications::UserId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EmailVerifications::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(EmailVerifications::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EmailVerifications::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut fk(
                    "fk_email_verifications_user",
                    (EmailVerifications::Table, EmailVerifications::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            EmailVerifications::Table.into_iden(),
            AssignmentReminders::Table.into_iden(),
            Assignments::Table.into_iden(),
            Invitations::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            Teams::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::EmailVerifiedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .drop_column(Organizations::ScimTokenHash)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    ScimTokenHash,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    OrganizationId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    Id,
    TeamId,
    UserId,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    OrganizationId,
    Email,
    Name,
    Teams,
    Role,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    OrganizationId,
    PathId,
    LessonId,
    TeamId,
    UserId,
    DueOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AssignmentReminders {
    Table,
    Id,
    AssignmentId,
    UserId,
    SentAt,
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
}
