//! A company's sensitive-names list: its admins read and replace it; its members' redaction
//! hints use it on the server and never see it. Nothing here logs an entry.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use entity::sensitive_name;

use crate::domain::SensitiveNames;
use crate::error::{AppError, AppResult};
use crate::policy::{Viewer, sensitive_names_company};

/// The entries of company `org`, in the order the admin wrote them.
async fn entries(db: &impl ConnectionTrait, org: i64) -> AppResult<Vec<String>> {
    Ok(sensitive_name::Entity::find()
        .select_only()
        .column(sensitive_name::Column::Name)
        .filter(sensitive_name::Column::OrganizationId.eq(org))
        .order_by_asc(sensitive_name::Column::Id)
        .into_tuple::<String>()
        .all(db)
        .await?)
}

/// The list, for the company's own admins.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
) -> AppResult<Vec<String>> {
    let org = sensitive_names_company(viewer, org)?;
    entries(db, org).await
}

/// Replaces the whole list in one transaction; returns it as stored.
pub async fn replace(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: Option<i64>,
    names: &SensitiveNames,
) -> AppResult<Vec<String>> {
    let org = sensitive_names_company(viewer, org)?;
    let txn = crate::db::begin_write(db).await?;
    sensitive_name::Entity::delete_many()
        .filter(sensitive_name::Column::OrganizationId.eq(org))
        .exec(&txn)
        .await?;
    if !names.names().is_empty() {
        let now = Utc::now();
        let rows = names.names().iter().map(|n| sensitive_name::ActiveModel {
            organization_id: Set(org),
            name: Set(n.clone()),
            name_key: Set(SensitiveNames::key(n)),
            created_at: Set(now),
            ..Default::default()
        });
        if let Err(e) = sensitive_name::Entity::insert_many(rows).exec(&txn).await {
            // Two admins saving at once: the unique index keeps one list.
            return Err(match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                    AppError::conflict("sensitive_names_changed")
                }
                _ => e.into(),
            });
        }
    }
    txn.commit().await?;
    Ok(names.names().to_vec())
}

/// The list the viewer's redaction hints use: their current company's, or none. For the
/// server only: the viewer sees at most the hints in their own text.
pub async fn for_hints(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<String>> {
    match viewer.user().and_then(|u| u.organization_id) {
        Some(org) => entries(db, org).await,
        None => Ok(Vec::new()),
    }
}
