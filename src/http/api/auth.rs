//! Registration, sign-in, sign-out and the current account.

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::ApiTags;
use super::security::Auth;
use super::views::{MeView, MessageView};
use crate::domain::{Email, Handle, Locale, Password};
use crate::error::AppError;
use crate::http::cookies;
use crate::http::error::ApiResult;
use crate::services::{accounts, password_reset, sessions};
use crate::state::AppState;

pub struct AuthApi;

/// A new individual account.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct RegisterRequest {
    /// Required; a missing value is reported by name like any other invalid value.
    #[oai(default, validator(max_length = 254))]
    email: String,
    /// 12 to 128 characters, not one of the commonly used passwords.
    #[oai(default, validator(min_length = 12, max_length = 128))]
    password: String,
    /// Pseudonym, 3 to 30 characters; generated when left out.
    #[oai(validator(max_length = 30))]
    handle: Option<String>,
    /// `de` or `en`.
    #[oai(validator(max_length = 5))]
    locale: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct LoginRequest {
    #[oai(validator(max_length = 254))]
    email: String,
    #[oai(validator(max_length = 128))]
    password: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct LoginView {
    /// Bearer token for scripts; browsers use the cookie set with this answer.
    token: String,
    csrf_token: String,
    user: MeView,
}

#[derive(ApiResponse)]
enum RegisterResponse {
    /// Accepted. The answer is the same whether or not the address already had an account.
    #[oai(status = 202)]
    Accepted(Json<MessageView>),
}

#[derive(ApiResponse)]
enum LoginResponse {
    /// Signed in; the session cookie is set.
    #[oai(status = 200)]
    Ok(Json<LoginView>, #[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum LogoutResponse {
    /// Signed out; the session has ended and the cookie is cleared.
    #[oai(status = 204)]
    LoggedOut(#[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum MeResponse {
    #[oai(status = 200)]
    Ok(Json<MeView>),
}

/// The client's address as this server sees it (configure the proxy to pass it through).
pub fn client_ip(req: &poem::Request) -> Option<std::net::IpAddr> {
    req.remote_addr().as_socket_addr().map(|a| a.ip())
}

pub const REGISTER_ACCEPTED: &str = "If this address has no account yet, it has been created and you can sign in now; \
     confirm it with the link we sent before you post in the community.";

#[derive(ApiResponse)]
enum VerifyResponse {
    /// The address is confirmed.
    #[oai(status = 204)]
    Verified,
}

#[derive(ApiResponse)]
enum ExportResponse {
    /// Everything of yours, as JSON.
    #[oai(status = 200)]
    Ok(Json<serde_json::Value>),
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct DeleteRequest {
    /// Your e-mail address again, to confirm.
    #[oai(validator(max_length = 254))]
    confirm_email: String,
    /// Also delete your questions, answers and comments (otherwise they stay, as "former member").
    #[oai(default)]
    delete_posts: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct ResetRequest {
    #[oai(validator(max_length = 254))]
    email: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct ResetConfirmRequest {
    /// The token from the e-mailed link.
    #[oai(validator(max_length = 80))]
    token: String,
    /// The new password, 12 to 128 characters, not a commonly used one.
    #[oai(validator(min_length = 12, max_length = 128))]
    password: String,
}

#[derive(ApiResponse)]
enum ResetResponse {
    /// Accepted. The answer is the same whether or not the address has an account.
    #[oai(status = 202)]
    Accepted(Json<MessageView>),
}

#[derive(ApiResponse)]
enum ResetConfirmResponse {
    /// The password is changed; every session of the account has ended.
    #[oai(status = 204)]
    Changed,
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Ask for a password reset link by e-mail.
    #[oai(path = "/auth/password-reset", method = "post")]
    async fn request_reset(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        body: Json<ResetRequest>,
    ) -> ApiResult<ResetResponse> {
        let key = format!("reset:{}", body.email);
        state.throttle.check(Some(&key), client_ip(req))?;
        password_reset::request(
            &state.db,
            &body.email,
            &state.settings.base_url(),
            client_ip(req),
        )
        .await?;
        Ok(ResetResponse::Accepted(Json(MessageView {
            message: password_reset::REQUESTED.into(),
        })))
    }

    /// Choose a new password with the token of a reset link (once, within an hour).
    #[oai(path = "/auth/password-reset/confirm", method = "post")]
    async fn confirm_reset(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        body: Json<ResetConfirmRequest>,
    ) -> ApiResult<ResetConfirmResponse> {
        state.throttle.check(None, client_ip(req))?;
        let password = Password::parse(&body.password).map_err(AppError::Invalid)?;
        password_reset::complete(
            &state.db,
            &state.hasher,
            &body.token,
            password,
            client_ip(req),
        )
        .await?;
        Ok(ResetConfirmResponse::Changed)
    }

    /// Create an individual member account.
    #[oai(path = "/auth/register", method = "post")]
    async fn register(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        body: Json<RegisterRequest>,
    ) -> ApiResult<RegisterResponse> {
        state.throttle.check(None, client_ip(req))?;
        let email = Email::parse(&body.email).map_err(AppError::Invalid)?;
        let password = Password::parse(&body.password).map_err(AppError::Invalid)?;
        let handle = body
            .handle
            .as_deref()
            .filter(|h| !h.trim().is_empty())
            .map(Handle::parse)
            .transpose()
            .map_err(AppError::Invalid)?;
        let locale = match body.locale.as_deref() {
            Some(raw) => {
                Some(Locale::parse(raw).ok_or_else(|| AppError::invalid("locale_de_or_en"))?)
            }
            None => None,
        };
        accounts::register(
            &state.db,
            &state.hasher,
            email,
            password,
            handle,
            locale,
            &state.settings.base_url(),
        )
        .await?;
        Ok(RegisterResponse::Accepted(Json(MessageView {
            message: REGISTER_ACCEPTED.into(),
        })))
    }

    /// Sign in with e-mail and password. Any previous session of this client ends.
    #[oai(path = "/auth/login", method = "post")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<LoginResponse> {
        state.throttle.check(Some(&body.email), client_ip(req))?;
        let user = accounts::authenticate(
            &state.db,
            &state.hasher,
            &body.email,
            &body.password,
            client_ip(req),
        )
        .await?;
        if let Some(previous) = cookies::read(req, cookies::SESSION) {
            sessions::revoke(&state.db, &previous).await?;
        }
        let issued = sessions::issue(&state.db, &state.settings.session, user.id).await?;
        let cookie = cookies::session(
            &issued.token,
            state.settings.secure_cookies(),
            state.settings.session.absolute_hours,
        );
        let view = LoginView {
            token: issued.token.clone(),
            csrf_token: issued.csrf_token.clone(),
            user: MeView::new(&user, &issued.csrf_token),
        };
        Ok(LoginResponse::Ok(Json(view), cookie.to_string()))
    }

    /// Sign out: ends the presented session.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<LogoutResponse> {
        let auth = auth.into_inner();
        sessions::revoke(&state.db, &auth.token).await?;
        let cookie = cookies::clear_session(state.settings.secure_cookies());
        Ok(LogoutResponse::LoggedOut(cookie.to_string()))
    }

    /// Confirm the e-mail address with the token from the verification link.
    #[oai(path = "/auth/verify", method = "post")]
    async fn verify(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 80))] token: poem_openapi::param::Query<String>,
    ) -> ApiResult<VerifyResponse> {
        crate::services::verification::verify(&state.db, &token.0).await?;
        Ok(VerifyResponse::Verified)
    }

    /// Download everything of yours (GDPR): profile, posts, votes cast, learning, ratings,
    /// notifications.
    #[oai(path = "/me/export", method = "get", tag = "ApiTags::Account")]
    async fn export(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<ExportResponse> {
        let data = crate::services::privacy::export(&state.db, &auth.viewer()).await?;
        Ok(ExportResponse::Ok(Json(data)))
    }

    /// Delete your account: personal data is erased, posts stay as "former member" unless you
    /// delete them too, and every session ends.
    #[oai(path = "/me/delete", method = "post", tag = "ApiTags::Account")]
    async fn delete_account(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<DeleteRequest>,
    ) -> ApiResult<LogoutResponse> {
        let viewer = auth.viewer();
        let email = viewer.user().map(|u| u.email.clone()).unwrap_or_default();
        if body.confirm_email.trim().to_lowercase() != email {
            return Err(AppError::invalid("delete_confirm_email").into());
        }
        crate::services::privacy::delete_account(&state.db, &viewer, body.delete_posts).await?;
        let cookie = cookies::clear_session(state.settings.secure_cookies());
        Ok(LogoutResponse::LoggedOut(cookie.to_string()))
    }

    /// The signed-in account.
    #[oai(path = "/me", method = "get", tag = "ApiTags::Account")]
    async fn me(&self, auth: Auth) -> ApiResult<MeResponse> {
        let auth = auth.into_inner();
        Ok(MeResponse::Ok(Json(MeView::new(
            &auth.session.user,
            &auth.session.csrf_token,
        ))))
    }
}
