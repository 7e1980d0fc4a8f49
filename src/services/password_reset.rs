//! Password reset by e-mail link: single use, valid for an hour, only a hash of the token is
//! stored, and the answer to a request is the same whether or not the address has an account.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};

use entity::{mail_outbox, password_reset, user};

use crate::domain::{Email, Password, UserStatus};
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Event, Record};
use crate::services::passwords::Hasher;
use crate::services::sessions;
use crate::services::tokens::{random_token, token_hash};

pub const VALID_MINUTES: i64 = 60;

/// What every reset request is told.
pub const REQUESTED: &str = "If an account uses this address, we have sent it a link to choose a new password. \
     The link is valid for one hour and works once.";

/// Sends a reset link when `email` belongs to an account that may sign in; does nothing
/// (visibly the same) otherwise.
pub async fn request(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    base_url: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<()> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_ref()))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if account.status == UserStatus::Deleted.key() {
        return Ok(());
    }
    let token = random_token();
    let now = Utc::now();
    let txn = db.begin().await?;
    password_reset::ActiveModel {
        user_id: Set(account.id),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(now + Duration::minutes(VALID_MINUTES)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = format!("{}/password/reset/{token}", base_url.trim_end_matches('/'));
    mail_outbox::ActiveModel {
        user_id: Set(Some(account.id)),
        to_email: Set(account.email.clone()),
        subject: Set("Neues Passwort für sellerbase / New password for sellerbase".into()),
        body: Set(format!(
            "Hallo,\n\nmit diesem Link wählen Sie ein neues Passwort (eine Stunde gültig, nur einmal): {link}\n\
             Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.\n\n\
             Hello,\n\nchoose a new password with this link (valid for one hour, once): {link}\n\
             If you did not ask for this, ignore this e-mail.\n"
        )),
        kind: Set("password_reset".into()),
        thread_id: Set(None),
        status: Set("pending".into()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Record::new(
            Event::PasswordResetRequested,
            None,
            Some(account.id),
            "reset link sent",
        )
        .from(client),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether a reset link can still be used (for showing the form).
pub async fn check(db: &impl sea_orm::ConnectionTrait, token: &str) -> AppResult<()> {
    usable(db, token).await.map(|_| ())
}

async fn usable(
    db: &impl sea_orm::ConnectionTrait,
    token: &str,
) -> AppResult<password_reset::Model> {
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if reset.used_at.is_some() {
        return Err(AppError::conflict("reset_link_used"));
    }
    if reset.expires_at <= Utc::now() {
        return Err(AppError::conflict("reset_link_expired"));
    }
    Ok(reset)
}

/// Sets the new password, uses up every open link of the account and ends all its sessions.
pub async fn complete(
    db: &sea_orm::DatabaseConnection,
    hasher: &Hasher,
    token: &str,
    password: Password,
    client: Option<std::net::IpAddr>,
) -> AppResult<()> {
    usable(db, token).await?;
    let hash = hasher.hash(password.expose()).await?;
    let txn = crate::db::begin_write(db).await?;
    // Checked again inside the transaction: two uses of one link cannot both succeed.
    let reset = usable(&txn, token).await?;
    let now = Utc::now();
    password_reset::Entity::update_many()
        .col_expr(
            password_reset::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(password_reset::Column::UserId.eq(reset.user_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    user::ActiveModel {
        id: Set(reset.user_id),
        password_hash: Set(hash),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    sessions::revoke_all(&txn, reset.user_id).await?;
    audit::record(
        &txn,
        Record::new(
            Event::PasswordReset,
            Some(reset.user_id),
            Some(reset.user_id),
            "password changed by reset link",
        )
        .from(client),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
