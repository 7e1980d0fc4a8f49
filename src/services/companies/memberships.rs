//! Company memberships with their time span. Joining and leaving are recorded here, so that
//! "hidden from my company" can keep hiding a question from everyone who was a colleague, and
//! leaving ends the person's sessions at once.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use entity::{org_membership, thread};

use crate::error::AppResult;
use crate::policy::{format_org_set, parse_org_set};
use crate::services::{outbox, sessions};

/// Records that `user_id` belongs to `org` from now on (nothing when they already do).
pub async fn joined(db: &impl ConnectionTrait, user_id: i64, org: i64) -> AppResult<()> {
    let open = org_membership::Entity::find()
        .filter(org_membership::Column::UserId.eq(user_id))
        .filter(org_membership::Column::OrganizationId.eq(org))
        .filter(org_membership::Column::LeftAt.is_null())
        .one(db)
        .await?;
    if open.is_none() {
        org_membership::ActiveModel {
            user_id: Set(user_id),
            organization_id: Set(org),
            joined_at: Set(Utc::now()),
            left_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Keeps the id the company's identity provider knows an invited person by, once they joined.
pub async fn set_scim_id(
    db: &impl ConnectionTrait,
    user_id: i64,
    org: i64,
    scim_id: &str,
) -> AppResult<()> {
    org_membership::Entity::update_many()
        .col_expr(org_membership::Column::ScimId, Expr::value(scim_id))
        .filter(org_membership::Column::UserId.eq(user_id))
        .filter(org_membership::Column::OrganizationId.eq(org))
        .filter(org_membership::Column::LeftAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every open membership of `user_id` except in `keep`; returns whether one ended.
async fn left_all_but(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<i64>,
) -> AppResult<bool> {
    let mut q = org_membership::Entity::update_many()
        .col_expr(org_membership::Column::LeftAt, Expr::value(Utc::now()))
        .filter(org_membership::Column::UserId.eq(user_id))
        .filter(org_membership::Column::LeftAt.is_null());
    if let Some(org) = keep {
        q = q.filter(org_membership::Column::OrganizationId.ne(org));
    }
    Ok(q.exec(db).await?.rows_affected > 0)
}

/// Someone joined (`Some`) or left (`None`) a company. Their questions now also hide from
/// the new colleagues (the companies of before stay excluded), and whoever left a company is
/// signed out everywhere: their session belonged to the company's seat.
pub async fn company_changed(
    db: &impl ConnectionTrait,
    user_id: i64,
    org: Option<i64>,
) -> AppResult<()> {
    if left_all_but(db, user_id, org).await? {
        sessions::revoke_all(db, user_id).await?;
    }
    if let Some(org) = org {
        joined(db, user_id, org).await?;
    }
    let threads = thread::Entity::find()
        .filter(thread::Column::AuthorId.eq(user_id))
        .all(db)
        .await?;
    for t in threads {
        let id = t.id;
        let mut orgs = parse_org_set(&t.author_orgs);
        orgs.extend(org);
        let mut row: thread::ActiveModel = t.into();
        row.author_org_id = Set(org);
        row.author_orgs = Set(format_org_set(&orgs));
        row.update(db).await?;
        outbox::enqueue(db, outbox::THREAD, id).await?;
    }
    Ok(())
}
