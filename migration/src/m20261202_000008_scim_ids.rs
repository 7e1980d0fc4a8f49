//! SCIM resource ids that reveal nothing: an opaque id per company membership and per pending
//! SCIM invitation, so that an identity provider cannot tell a new account from an invited
//! existing one (or count the platform's accounts from sequential ids).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgMemberships {
    Table,
    ScimId,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    ScimId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrgMemberships::Table)
                .add_column(ColumnDef::new(OrgMemberships::ScimId).string_len(40).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Invitations::Table)
                .add_column(ColumnDef::new(Invitations::ScimId).string_len(40).null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_org_memberships_scim_id")
                .table(OrgMemberships::Table)
                .col(OrgMemberships::ScimId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_invitations_scim_id")
                .table(Invitations::Table)
                .col(Invitations::ScimId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (index, table) in [
            ("idx_invitations_scim_id", Invitations::Table.into_iden()),
            (
                "idx_org_memberships_scim_id",
                OrgMemberships::Table.into_iden(),
            ),
        ] {
            m.drop_index(Index::drop().name(index).table(table).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Invitations::Table)
                .drop_column(Invitations::ScimId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrgMemberships::Table)
                .drop_column(OrgMemberships::ScimId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
