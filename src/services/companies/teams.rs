//! Teams inside a company; a member can be in several.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use entity::{team, team_member, user};

use super::managed_company;
use crate::domain::Msg;
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;

pub async fn find_by_name(
    db: &impl ConnectionTrait,
    org: i64,
    name: &str,
) -> AppResult<Option<team::Model>> {
    Ok(team::Entity::find()
        .filter(team::Column::OrganizationId.eq(org))
        .filter(team::Column::Name.eq(name.trim()))
        .one(db)
        .await?)
}

pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
) -> AppResult<Vec<(team::Model, Vec<i64>)>> {
    let org = managed_company(viewer, org)?;
    let teams = team::Entity::find()
        .filter(team::Column::OrganizationId.eq(org))
        .order_by_asc(team::Column::Name)
        .all(db)
        .await?;
    let members = team_member::Entity::find()
        .filter(team_member::Column::TeamId.is_in(teams.iter().map(|t| t.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    Ok(teams
        .into_iter()
        .map(|t| {
            let ids = members
                .iter()
                .filter(|m| m.team_id == t.id)
                .map(|m| m.user_id)
                .collect();
            (t, ids)
        })
        .collect())
}

pub async fn create(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
    name: &str,
) -> AppResult<team::Model> {
    let org = managed_company(viewer, org)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid("team_name_length"));
    }
    if find_by_name(db, org, name).await?.is_some() {
        return Err(AppError::Conflict(
            Msg::new("team_exists").arg("name", name),
        ));
    }
    Ok(team::ActiveModel {
        organization_id: Set(org),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub(crate) async fn add_member_unchecked(
    db: &impl ConnectionTrait,
    team_id: i64,
    user_id: i64,
) -> AppResult<()> {
    team_member::Entity::insert(team_member::ActiveModel {
        team_id: Set(team_id),
        user_id: Set(user_id),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([team_member::Column::TeamId, team_member::Column::UserId])
    .exec(db)
    .await?;
    Ok(())
}

async fn team_of(db: &impl ConnectionTrait, org: i64, team_id: i64) -> AppResult<team::Model> {
    team::Entity::find_by_id(team_id)
        .one(db)
        .await?
        .filter(|t| t.organization_id == org)
        .ok_or(AppError::NotFound)
}

/// Puts a member of the company into a team (or takes them out).
pub async fn set_member(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
    team_id: i64,
    user_id: i64,
    on: bool,
) -> AppResult<()> {
    let org = managed_company(viewer, org)?;
    team_of(db, org, team_id).await?;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.organization_id == Some(org))
        .ok_or(AppError::NotFound)?;
    if on {
        add_member_unchecked(db, team_id, u.id).await
    } else {
        team_member::Entity::delete_many()
            .filter(team_member::Column::TeamId.eq(team_id))
            .filter(team_member::Column::UserId.eq(u.id))
            .exec(db)
            .await?;
        Ok(())
    }
}
