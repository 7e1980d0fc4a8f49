//! SCIM 2.0 user provisioning for a company's identity provider: create, list, filter by
//! userName, read, deactivate (`active: false`) and delete, authorised by a per-company bearer
//! token of which only a hash is stored.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use entity::{organization, user};

use super::{company, managed_company, seats_used};
use crate::domain::{Email, Password, Role};
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;
use crate::services::accounts::{self, NewUser};
use crate::services::audit::{self, Event, Record};
use crate::services::passwords::Hasher;
use crate::services::tokens::{random_token, token_hash};

/// Creates (or replaces) the company's SCIM token; it is shown once.
pub async fn new_token(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
) -> AppResult<String> {
    let org = managed_company(viewer, org)?;
    let token = format!("scim_{}", random_token());
    let mut row: organization::ActiveModel = company(db, org).await?.into();
    row.scim_token_hash = Set(Some(token_hash(&token)));
    row.update(db).await?;
    Ok(token)
}

/// The company a SCIM bearer token belongs to.
pub async fn company_of_token(db: &impl ConnectionTrait, token: &str) -> AppResult<i64> {
    organization::Entity::find()
        .filter(organization::Column::ScimTokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .map(|o| o.id)
        .ok_or(AppError::Unauthenticated)
}

/// A SCIM user of the company.
#[derive(Clone, Debug)]
pub struct ScimUser {
    pub id: i64,
    pub user_name: String,
    pub display_name: Option<String>,
    pub active: bool,
}

fn scim_user(u: &user::Model, org: i64) -> ScimUser {
    ScimUser {
        id: u.id,
        user_name: u.email.clone(),
        display_name: u.display_name.clone(),
        active: u.organization_id == Some(org),
    }
}

/// The one filter identity providers use to find a user: `userName eq "value"`.
pub fn parse_filter(filter: &str) -> AppResult<String> {
    let f = filter.trim();
    let rest = f
        .strip_prefix("userName")
        .or_else(|| f.strip_prefix("username"))
        .map(str::trim_start);
    let value = rest
        .and_then(|r| r.strip_prefix("eq").or_else(|| r.strip_prefix("EQ")))
        .map(str::trim)
        .and_then(|v| v.strip_prefix('"')?.strip_suffix('"'));
    value.map(str::to_owned).ok_or_else(|| {
        AppError::Invalid(format!(
            "unsupported filter {f:?}; only userName eq \"...\" is supported"
        ))
    })
}

pub async fn list(
    db: &impl ConnectionTrait,
    org: i64,
    filter: Option<&str>,
    start_index: u64,
    count: u64,
) -> AppResult<(u64, Vec<ScimUser>)> {
    let mut q = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org))
        .filter(user::Column::Status.ne("deleted"));
    if let Some(f) = filter.filter(|f| !f.trim().is_empty()) {
        let name = parse_filter(f)?;
        q = q.filter(user::Column::Email.eq(name.trim().to_lowercase()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(user::Column::Id)
        .offset(start_index.saturating_sub(1))
        .limit(count.min(200))
        .all(db)
        .await?;
    Ok((total, rows.iter().map(|u| scim_user(u, org)).collect()))
}

pub async fn get(db: &impl ConnectionTrait, org: i64, id: i64) -> AppResult<ScimUser> {
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.organization_id == Some(org))
        .ok_or(AppError::NotFound)?;
    Ok(scim_user(&u, org))
}

/// Provisions a member; an address that has an account already is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    hasher: &Hasher,
    org: i64,
    user_name: &str,
    display_name: Option<&str>,
) -> AppResult<ScimUser> {
    let email = Email::parse(user_name).map_err(AppError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let seats = company(&txn, org).await?.seat_count.max(0) as u64;
    if seats_used(&txn, org).await? + 1 > seats {
        return Err(AppError::Conflict(format!("all {seats} seats are taken")));
    }
    let new = NewUser {
        email,
        // Provisioned people sign in through a password reset; nobody knows this one.
        password: Password::parse(&random_token()).map_err(AppError::Invalid)?,
        handle: None,
        display_name: display_name.map(|d| d.trim().chars().take(100).collect()),
        role: Role::Member,
        organization_id: Some(org),
        locale: None,
    };
    let created = accounts::create_user(&txn, hasher, new)
        .await
        .map_err(AppError::from)?;
    txn.commit().await?;
    Ok(ScimUser {
        id: created.id,
        user_name: created.email,
        display_name: created.display_name,
        active: true,
    })
}

/// `active: false` or DELETE: the person leaves the company (the seat is free); their account
/// and pseudonymous posts stay theirs.
pub async fn deactivate(db: &DatabaseConnection, org: i64, id: i64) -> AppResult<ScimUser> {
    let txn = crate::db::begin_write(db).await?;
    let u = user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|u| u.organization_id == Some(org))
        .ok_or(AppError::NotFound)?;
    let user_name = u.email.clone();
    let display_name = u.display_name.clone();
    let mut row: user::ActiveModel = u.into();
    row.organization_id = Set(None);
    row.role = Set(Role::Member.key().into());
    row.updated_at = Set(chrono::Utc::now());
    row.update(&txn).await?;
    entity::team_member::Entity::delete_many()
        .filter(entity::team_member::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    super::memberships::company_changed(&txn, id, None).await?;
    let detail = format!("left company {org} (SCIM)");
    let removed = Record::new(Event::MemberRemoved, None, Some(id), &detail);
    audit::record(&txn, removed).await?;
    txn.commit().await?;
    Ok(ScimUser {
        id,
        user_name,
        display_name,
        active: false,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_filter;

    #[test]
    fn only_username_equality_filters_are_understood() {
        assert_eq!(
            parse_filter("userName eq \"anna@x.de\"").unwrap(),
            "anna@x.de"
        );
        assert!(parse_filter("displayName eq \"Anna\"").is_err());
        assert!(parse_filter("userName co \"anna\"").is_err());
        assert!(parse_filter("userName eq anna").is_err());
    }
}
