//! E-mail verification of self-registered accounts: a single-use, expiring link through the
//! mail outbox; only a hash of the token is stored.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use entity::{email_verification, mail_outbox};

use crate::error::{AppError, AppResult};
use crate::services::accounts;
use crate::services::tokens::{random_token, token_hash};

pub const VALID_HOURS: i64 = 48;

/// Queues the verification e-mail for a new account.
pub async fn send(
    db: &impl ConnectionTrait,
    user_id: i64,
    email: &str,
    base_url: &str,
) -> AppResult<()> {
    let token = random_token();
    let now = Utc::now();
    email_verification::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(now + Duration::hours(VALID_HOURS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let link = format!("{}/verify/{token}", base_url.trim_end_matches('/'));
    mail_outbox::ActiveModel {
        user_id: Set(Some(user_id)),
        to_email: Set(email.to_owned()),
        subject: Set("Bitte bestätigen Sie Ihre E-Mail-Adresse / Please confirm your e-mail address".into()),
        body: Set(format!(
            "Hallo,\n\nbitte bestätigen Sie Ihre Adresse für sellerbase ({VALID_HOURS} Stunden gültig): {link}\n\n\
             Hello,\n\nplease confirm your address for sellerbase (valid for {VALID_HOURS} hours): {link}\n"
        )),
        kind: Set("verification".into()),
        thread_id: Set(None),
        status: Set("pending".into()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Follows a verification link: once, before it expires.
pub async fn verify(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    let v = email_verification::Entity::find()
        .filter(email_verification::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if v.used_at.is_some() {
        return Err(AppError::conflict("verify_link_used"));
    }
    if v.expires_at <= Utc::now() {
        return Err(AppError::conflict("verify_link_expired"));
    }
    accounts::mark_verified(db, v.user_id).await?;
    let mut row: email_verification::ActiveModel = v.into();
    row.used_at = Set(Some(Utc::now()));
    row.update(db).await?;
    Ok(())
}
