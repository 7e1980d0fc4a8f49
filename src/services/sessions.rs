//! Login sessions stored in the database, so that several instances share them.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use entity::{session, user};

use crate::config::SessionSettings;
use crate::error::AppResult;
use crate::services::accounts::CurrentUser;
use crate::services::session_cache::SessionCache;
use crate::services::tokens::{random_token, token_hash};

/// A freshly issued session; the token is known only to the client from here on.
pub struct IssuedSession {
    pub token: String,
    pub csrf_token: String,
}

/// A session found for a presented token.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    pub user: CurrentUser,
    pub csrf_token: String,
}

/// Starts a new session for `user_id`. Logging in always issues a new token (rotation); the
/// caller ends the previous session, if any.
pub async fn issue(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    user_id: i64,
) -> AppResult<IssuedSession> {
    let token = random_token();
    let csrf_token = random_token();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(settings.absolute_hours)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(IssuedSession { token, csrf_token })
}

/// Looks a token up; expired sessions (idle or absolute) are deleted and yield `None`. With a
/// `cache` (reads only), a session checked a moment ago is reused without a database query.
pub async fn resolve(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    cache: Option<&SessionCache>,
    token: &str,
) -> AppResult<Option<ActiveSession>> {
    let key = token_hash(token);
    let now = Utc::now();
    let ticket = match cache.map(|c| c.get(&key, now)) {
        Some(Ok(session)) => return Ok(Some(session)),
        Some(Err(ticket)) => Some(ticket),
        None => None,
    };
    // One query for the session and its account: this runs on every signed-in request.
    let Some((row, account)) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(key.clone()))
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let idle_limit = row.last_seen_at + Duration::minutes(settings.idle_minutes);
    if now >= row.expires_at || now >= idle_limit {
        session::Entity::delete_by_id(row.id).exec(db).await?;
        return Ok(None);
    }
    let Some(account) = account else {
        return Ok(None);
    };
    let user = crate::services::accounts::current_user(db, &account).await?;
    let active = ActiveSession {
        user,
        csrf_token: row.csrf_token.clone(),
    };
    // Touch at most once a minute: a write per request would serialise SQLite for nothing.
    let (expires_at, mut last_seen) = (row.expires_at, row.last_seen_at);
    if now > last_seen + TOUCH_EVERY {
        let mut touched: session::ActiveModel = row.into();
        touched.last_seen_at = Set(now);
        touched.update(db).await?;
        last_seen = now;
    }
    if let (Some(cache), Some(ticket)) = (cache, ticket) {
        // Until the session expires, idles out or is due to be touched again.
        let valid_until = (last_seen + TOUCH_EVERY)
            .min(last_seen + Duration::minutes(settings.idle_minutes))
            .min(expires_at);
        cache.put(ticket, key, active.clone(), valid_until);
    }
    Ok(Some(active))
}

/// How often a session's last use is written down.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Ends the session of `token`; unknown tokens are ignored.
pub async fn revoke(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (password change, suspension, deletion).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: i64) -> AppResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
