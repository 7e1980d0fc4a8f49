//! Companies enroll whole sales teams: seats, invitations (one by one or as CSV), teams,
//! assigned learning with reminders, a dashboard of learning progress, SCIM provisioning, and
//! the list of sensitive names that members' redaction hints mark.
//! Nothing here reads or counts anything of the community: company admins never see posts,
//! handles or activity of their members.

pub mod assignments;
pub mod dashboard;
pub mod invitations;
pub mod members;
pub mod memberships;
pub mod scim;
pub mod sensitive_names;
pub mod teams;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use entity::{invitation, organization, user};

use crate::domain::{Msg, Role};
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;

pub use crate::policy::managed_company;

/// Seats in use: members of the company plus pending, unexpired member invitations.
pub async fn seats_used(db: &impl ConnectionTrait, org: i64) -> AppResult<u64> {
    let members = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org))
        .filter(user::Column::Role.eq(Role::Member.key()))
        .filter(user::Column::Status.ne("deleted"))
        .count(db)
        .await?;
    let pending = invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::Role.eq(Role::Member.key()))
        .filter(invitation::Column::ExpiresAt.gt(chrono::Utc::now()))
        .count(db)
        .await?;
    Ok(members + pending)
}

pub async fn company(db: &impl ConnectionTrait, org: i64) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(org)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A platform admin creates a company with a number of seats.
pub async fn create_company(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    name: &str,
    seats: i32,
) -> AppResult<organization::Model> {
    crate::policy::may_administer_platform(viewer, Msg::new("what_create_companies"))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::invalid("company_name_length"));
    }
    if !(0..=100_000).contains(&seats) {
        return Err(AppError::invalid("company_seats_range"));
    }
    let slug = crate::services::lessons::slugify(name);
    let row = organization::ActiveModel {
        name: Set(name.to_owned()),
        slug: Set(format!(
            "{slug}-{:x}",
            crate::services::tokens::random_u64() % 0xffff
        )),
        seat_count: Set(seats),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// A platform admin changes the number of seats; never below the seats in use.
pub async fn set_seats(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: i64,
    seats: i32,
) -> AppResult<()> {
    crate::policy::may_administer_platform(viewer, Msg::new("what_change_seats"))?;
    let c = company(db, org).await?;
    let used = seats_used(db, org).await?;
    if seats < 0 || (seats as u64) < used {
        return Err(AppError::Conflict(
            Msg::new("company_seats_in_use").arg("used", used),
        ));
    }
    let mut row: organization::ActiveModel = c.into();
    row.seat_count = Set(seats);
    row.update(db).await?;
    Ok(())
}
