//! The people of a company, as the company sees them: name, e-mail and teams. Never their
//! handle, posts, last visit or anything else of the community.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{team_member, user};

use super::managed_company;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;
use crate::services::audit::{self, Event, Record};

#[derive(Clone, Debug)]
pub struct CompanyMember {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
}

pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
) -> AppResult<Vec<CompanyMember>> {
    let org = managed_company(viewer, org)?;
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org))
        .filter(user::Column::Status.ne("deleted"))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|u| CompanyMember {
            id: u.id,
            email: u.email,
            name: u.display_name,
            role: Role::from_key(&u.role).unwrap_or(Role::Member),
        })
        .collect())
}

/// Removes a member from the company: the seat is free, the person keeps their account and
/// their (pseudonymous) posts as an individual, and is signed out everywhere.
pub async fn remove(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: Option<i64>,
    user_id: i64,
) -> AppResult<()> {
    let org = managed_company(viewer, org)?;
    let txn = crate::db::begin_write(db).await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .filter(|u| u.organization_id == Some(org))
        .ok_or(AppError::NotFound)?;
    if viewer.user().is_some_and(|me| me.id == u.id) {
        return Err(AppError::conflict("member_remove_self"));
    }
    let team_ids: Vec<i64> = super::teams::list(&txn, viewer, Some(org))
        .await?
        .into_iter()
        .map(|(t, _)| t.id)
        .collect();
    team_member::Entity::delete_many()
        .filter(team_member::Column::UserId.eq(u.id))
        .filter(team_member::Column::TeamId.is_in(team_ids))
        .exec(&txn)
        .await?;
    let mut row: user::ActiveModel = u.into();
    row.organization_id = Set(None);
    row.role = Set(Role::Member.key().into());
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    super::memberships::company_changed(&txn, user_id, None).await?;
    let detail = format!("left company {org}");
    let removed = Record::new(
        Event::MemberRemoved,
        viewer.user().map(|u| u.id),
        Some(user_id),
        &detail,
    );
    audit::record(&txn, removed).await?;
    txn.commit().await?;
    Ok(())
}
