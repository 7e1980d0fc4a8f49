//! SCIM 2.0 user provisioning for a company's identity provider: create, list, filter by
//! userName, read, deactivate (`active: false`) and delete, authorised by a per-company bearer
//! token of which only a hash is stored. Resource ids are opaque (`org_memberships.scim_id`,
//! `invitations.scim_id`), and nothing answered tells whether an address has an account.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{invitation, org_membership, organization, user};

use super::{company, managed_company, seats_used};
use crate::domain::{Email, Msg, Password, Role};
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

/// A SCIM user of the company: a member, or a person invited through SCIM who has not
/// accepted yet. Both look alike: the identity provider must not learn which addresses have
/// an account on the platform.
#[derive(Clone, Debug)]
pub struct ScimUser {
    /// Opaque; never an account id.
    pub id: String,
    pub user_name: String,
    pub display_name: Option<String>,
    pub active: bool,
}

fn new_scim_id() -> String {
    random_token()[..32].to_owned()
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
    value
        .map(str::to_owned)
        .ok_or_else(|| AppError::Invalid(Msg::new("scim_filter_unsupported").arg("filter", f)))
}

/// Gives every open membership of `org` a SCIM id (members who joined by invitation or CSV
/// have none until their company's identity provider first asks).
async fn ensure_ids(db: &impl ConnectionTrait, org: i64) -> AppResult<()> {
    let missing = org_membership::Entity::find()
        .filter(org_membership::Column::OrganizationId.eq(org))
        .filter(org_membership::Column::LeftAt.is_null())
        .filter(org_membership::Column::ScimId.is_null())
        .all(db)
        .await?;
    for m in missing {
        let mut row: org_membership::ActiveModel = m.into();
        row.scim_id = Set(Some(new_scim_id()));
        row.update(db).await?;
    }
    Ok(())
}

/// Members and pending SCIM invitations of `org`, in the order they were created.
async fn everyone(db: &impl ConnectionTrait, org: i64) -> AppResult<Vec<ScimUser>> {
    ensure_ids(db, org).await?;
    let members = org_membership::Entity::find()
        .filter(org_membership::Column::OrganizationId.eq(org))
        .filter(org_membership::Column::LeftAt.is_null())
        .find_also_related(user::Entity)
        .order_by_asc(org_membership::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<ScimUser> = members
        .into_iter()
        .filter_map(|(m, u)| {
            let u = u.filter(|u| u.status != "deleted" && u.organization_id == Some(org))?;
            Some(ScimUser {
                id: m.scim_id?,
                user_name: u.email,
                display_name: u.display_name,
                active: true,
            })
        })
        .collect();
    out.extend(pending(db, org).await?.into_iter().map(pending_user));
    Ok(out)
}

/// Open SCIM invitations of `org`.
async fn pending(db: &impl ConnectionTrait, org: i64) -> AppResult<Vec<invitation::Model>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::OrganizationId.eq(org))
        .filter(invitation::Column::ScimId.is_not_null())
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?)
}

fn pending_user(i: invitation::Model) -> ScimUser {
    ScimUser {
        id: i.scim_id.unwrap_or_default(),
        user_name: i.email,
        display_name: i.name,
        active: true,
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    org: i64,
    filter: Option<&str>,
    start_index: u64,
    count: u64,
) -> AppResult<(u64, Vec<ScimUser>)> {
    let wanted = match filter.filter(|f| !f.trim().is_empty()) {
        Some(f) => Some(parse_filter(f)?.trim().to_lowercase()),
        None => None,
    };
    let matching: Vec<ScimUser> = everyone(db, org)
        .await?
        .into_iter()
        .filter(|u| wanted.as_ref().is_none_or(|w| &u.user_name == w))
        .collect();
    let total = matching.len() as u64;
    let page = matching
        .into_iter()
        .skip(usize::try_from(start_index.saturating_sub(1)).unwrap_or(usize::MAX))
        .take(usize::try_from(count.min(200)).unwrap_or(200))
        .collect();
    Ok((total, page))
}

pub async fn get(db: &impl ConnectionTrait, org: i64, id: &str) -> AppResult<ScimUser> {
    everyone(db, org)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)
}

/// Provisions a person. An address without an account gets one in the company at once; an
/// address with an account elsewhere gets an invitation to join, and nothing is attached
/// until its owner accepts. Both answer alike (and take alike long), so the identity
/// provider learns nothing about other accounts. A member or pending person of this company
/// is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    hasher: &Hasher,
    org: i64,
    user_name: &str,
    display_name: Option<&str>,
    base_url: &str,
) -> AppResult<ScimUser> {
    let email = Email::parse(user_name).map_err(AppError::Invalid)?;
    let display_name: Option<String> = display_name
        .map(|d| d.trim().chars().take(100).collect())
        .filter(|d: &String| !d.is_empty());
    let txn = crate::db::begin_write(db).await?;
    if everyone(&txn, org)
        .await?
        .iter()
        .any(|u| u.user_name == email.as_ref())
    {
        return Err(AppError::conflict("scim_user_exists"));
    }
    let seats = company(&txn, org).await?.seat_count.max(0) as u64;
    if seats_used(&txn, org).await? + 1 > seats {
        return Err(AppError::Conflict(
            Msg::new("scim_seats_taken").arg("seats", seats),
        ));
    }
    let scim_id = new_scim_id();
    // Provisioned people sign in through a password reset (or their company's single sign-on);
    // nobody knows this password. It is hashed on both paths, so both take as long.
    let password = Password::parse(&random_token()).map_err(AppError::Invalid)?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_ref()))
        .one(&txn)
        .await?;
    match account {
        Some(_) => {
            hasher.hash(password.expose()).await?;
            super::invitations::invite_for_scim(
                &txn,
                org,
                &email,
                display_name.clone(),
                &scim_id,
                base_url,
            )
            .await?;
        }
        None => {
            let new = NewUser {
                email: email.clone(),
                password,
                handle: None,
                display_name: display_name.clone(),
                role: Role::Member,
                organization_id: Some(org),
                locale: None,
            };
            let created = accounts::create_user(&txn, hasher, new)
                .await
                .map_err(AppError::from)?;
            org_membership::Entity::update_many()
                .col_expr(
                    org_membership::Column::ScimId,
                    sea_orm::sea_query::Expr::value(scim_id.clone()),
                )
                .filter(org_membership::Column::UserId.eq(created.id))
                .filter(org_membership::Column::OrganizationId.eq(org))
                .filter(org_membership::Column::LeftAt.is_null())
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(ScimUser {
        id: scim_id,
        user_name: email.as_ref().to_owned(),
        display_name,
        active: true,
    })
}

/// `active: false` or DELETE: a member leaves the company (the seat is free, they are signed
/// out; their account and pseudonymous posts stay theirs); a pending invitation is withdrawn.
pub async fn deactivate(db: &DatabaseConnection, org: i64, id: &str) -> AppResult<ScimUser> {
    let txn = crate::db::begin_write(db).await?;
    ensure_ids(&txn, org).await?;
    let membership = org_membership::Entity::find()
        .filter(org_membership::Column::OrganizationId.eq(org))
        .filter(org_membership::Column::ScimId.eq(id))
        .filter(org_membership::Column::LeftAt.is_null())
        .find_also_related(user::Entity)
        .one(&txn)
        .await?;
    let gone = match membership {
        Some((m, Some(u))) if u.organization_id == Some(org) => {
            let gone = ScimUser {
                id: id.to_owned(),
                user_name: u.email.clone(),
                display_name: u.display_name.clone(),
                active: false,
            };
            let mut row: user::ActiveModel = u.into();
            row.organization_id = Set(None);
            row.role = Set(Role::Member.key().into());
            row.updated_at = Set(Utc::now());
            row.update(&txn).await?;
            entity::team_member::Entity::delete_many()
                .filter(entity::team_member::Column::UserId.eq(m.user_id))
                .exec(&txn)
                .await?;
            super::memberships::company_changed(&txn, m.user_id, None).await?;
            let detail = format!("left company {org} (SCIM)");
            let removed = Record::new(Event::MemberRemoved, None, Some(m.user_id), &detail);
            audit::record(&txn, removed).await?;
            gone
        }
        _ => {
            let invited = pending(&txn, org)
                .await?
                .into_iter()
                .find(|i| i.scim_id.as_deref() == Some(id))
                .ok_or(AppError::NotFound)?;
            let gone = ScimUser {
                active: false,
                ..pending_user(invited.clone())
            };
            invitation::Entity::delete_by_id(invited.id)
                .exec(&txn)
                .await?;
            gone
        }
    };
    txn.commit().await?;
    Ok(gone)
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
