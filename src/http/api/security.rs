//! How API callers prove who they are: a bearer token or the session cookie (plus the CSRF
//! header on unsafe methods). Both resolve the same database session.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::{ApiKey, Bearer};
use poem_openapi::payload::Json;

use crate::http::error::{ApiError, ErrorBody};
use crate::policy::Viewer;
use crate::services::sessions::{self, ActiveSession};
use crate::state::AppState;

/// The caller of an authenticated operation.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub session: ActiveSession,
    /// The presented token, so that logout can end exactly this session.
    pub token: String,
}

/// A session token from `POST /auth/login`, sent as `Authorization: Bearer <token>`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_bearer")]
pub struct BearerAuth(Authenticated);

/// The `sb_session` cookie set by sign-in. Unsafe methods also need `X-CSRF-Token`.
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "sb_session",
    key_in = "cookie",
    checker = "check_cookie"
)]
pub struct CookieAuth(Authenticated);

/// Either way of signing in.
#[derive(SecurityScheme)]
pub enum Auth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
}

impl Auth {
    pub fn into_inner(self) -> Authenticated {
        match self {
            Self::Bearer(BearerAuth(a)) | Self::Cookie(CookieAuth(a)) => a,
        }
    }

    fn inner(&self) -> &Authenticated {
        match self {
            Self::Bearer(BearerAuth(a)) | Self::Cookie(CookieAuth(a)) => a,
        }
    }

    /// The caller as the access policy sees them.
    pub fn viewer(&self) -> Viewer {
        Viewer::User(self.inner().session.user.clone())
    }

    pub fn csrf_token(&self) -> &str {
        &self.inner().session.csrf_token
    }

    pub fn user_id(&self) -> i64 {
        self.inner().session.user.id
    }
}

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Authenticated> {
    resolve(req, bearer.token).await
}

async fn check_cookie(req: &Request, key: ApiKey) -> poem::Result<Authenticated> {
    let auth = resolve(req, key.key).await?;
    if !crate::http::middleware::is_read(req)
        && req.header("x-csrf-token") != Some(auth.session.csrf_token.as_str())
    {
        return Err(ApiError::Forbidden(Json(ErrorBody::new(
            "csrf_failed",
            crate::http::language::words(&crate::domain::Msg::new("api_csrf_missing")),
        )))
        .into());
    }
    Ok(auth)
}

async fn resolve(req: &Request, token: String) -> poem::Result<Authenticated> {
    let state = req.data::<AppState>().ok_or_else(|| {
        ApiError::from(crate::error::AppError::Unexpected(anyhow::anyhow!(
            "state missing"
        )))
    })?;
    let cache = crate::http::middleware::is_read(req).then_some(&*state.sessions);
    match sessions::resolve(&state.db, &state.settings.session, cache, &token).await {
        Ok(Some(session)) => Ok(Authenticated { session, token }),
        Ok(None) => Err(ApiError::unauthorized().into()),
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// Signed in or not; for operations anyone may call, such as accepting an invitation.
#[derive(SecurityScheme)]
pub enum MaybeAuth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
    #[oai(fallback)]
    Anonymous,
}

impl MaybeAuth {
    pub fn viewer(&self) -> Viewer {
        match self {
            Self::Bearer(BearerAuth(a)) | Self::Cookie(CookieAuth(a)) => {
                Viewer::User(a.session.user.clone())
            }
            Self::Anonymous => Viewer::Anonymous,
        }
    }
}
