//! Sign-in, registration and sign-out pages.

use poem::http::StatusCode;
use poem::web::Redirect;
use poem::{IntoResponse, Response, handler};
use serde::{Deserialize, Serialize};

use super::context::safe_next;
use super::{CsrfForm, PageContext, has_csrf};
use crate::domain::{Email, Handle, Msg, Password};
use crate::error::AppError;
use crate::http::cookies;
use crate::services::{accounts, sessions};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

has_csrf!(LoginForm);

#[derive(Serialize, Default)]
struct FormPage {
    next: String,
    email: String,
    handle: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[handler]
pub async fn login_form(
    ctx: PageContext,
    poem::web::Query(q): poem::web::Query<NextQuery>,
) -> Response {
    let page = FormPage {
        next: safe_next(q.next.as_deref()),
        ..Default::default()
    };
    ctx.render(StatusCode::OK, "login.html", page)
}

#[handler]
pub async fn login(ctx: PageContext, CsrfForm(form): CsrfForm<LoginForm>) -> Response {
    let t = ctx.state.templates.catalog.dictionary(ctx.locale);
    let fail = |status, key: &str| {
        let page = FormPage {
            email: form.email.clone(),
            error: t.get(key).cloned(),
            ..Default::default()
        };
        ctx.render(status, "login.html", page)
    };
    if form.email.len() > Email::MAX_LEN || form.password.len() > 4 * Password::MAX_LEN {
        return fail(StatusCode::BAD_REQUEST, "login_failed");
    }
    if let Err(e) = ctx.state.throttle.check(Some(&form.email), ctx.client_ip) {
        return ctx.app_error(e);
    }
    let user = match accounts::authenticate(
        &ctx.state.db,
        &ctx.state.hasher,
        &form.email,
        &form.password,
        ctx.client_ip,
    )
    .await
    {
        Ok(u) => u,
        Err(AppError::BadCredentials) => return fail(StatusCode::UNAUTHORIZED, "login_failed"),
        Err(e) => {
            tracing::error!(error = ?e, "sign-in failed");
            return fail(StatusCode::INTERNAL_SERVER_ERROR, "error_internal");
        }
    };
    let issued = async {
        if let Some(previous) = &ctx.session_token {
            sessions::revoke(&ctx.state.db, previous).await?;
        }
        sessions::issue(&ctx.state.db, &ctx.state.settings.session, user.id).await
    }
    .await;
    match issued {
        Ok(issued) => {
            let mut resp = Redirect::see_other(safe_next(form.next.as_deref())).into_response();
            let s = &ctx.state.settings;
            ctx.set_cookie(
                &mut resp,
                cookies::session(&issued.token, s.secure_cookies(), s.session.absolute_hours),
            );
            resp
        }
        Err(e) => {
            tracing::error!(error = ?e, "issuing a session failed");
            fail(StatusCode::INTERNAL_SERVER_ERROR, "error_internal")
        }
    }
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    handle: String,
}

has_csrf!(RegisterForm);

#[handler]
pub async fn register_form(ctx: PageContext) -> Response {
    ctx.render(StatusCode::OK, "register.html", FormPage::default())
}

#[handler]
pub async fn register(ctx: PageContext, CsrfForm(form): CsrfForm<RegisterForm>) -> Response {
    let invalid = |message: Msg| {
        let page = FormPage {
            email: form.email.clone(),
            handle: form.handle.clone(),
            error: Some(ctx.msg(&message)),
            ..Default::default()
        };
        ctx.render(StatusCode::BAD_REQUEST, "register.html", page)
    };
    if let Err(e) = ctx.state.throttle.check(None, ctx.client_ip) {
        return ctx.app_error(e);
    }
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(m) => return invalid(m),
    };
    let password = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(m) => return invalid(m),
    };
    let handle = if form.handle.trim().is_empty() {
        None
    } else {
        match Handle::parse(&form.handle) {
            Ok(h) => Some(h),
            Err(m) => return invalid(m),
        }
    };
    match accounts::register(
        &ctx.state.db,
        &ctx.state.hasher,
        email,
        password,
        handle,
        Some(ctx.locale),
        &ctx.state.settings.base_url(),
    )
    .await
    {
        Ok(_) => {
            let t = ctx.state.templates.catalog.dictionary(ctx.locale);
            let page = FormPage {
                email: form.email.clone(),
                notice: t.get("register_done").cloned(),
                ..Default::default()
            };
            ctx.render(StatusCode::OK, "login.html", page)
        }
        Err(AppError::Conflict(m)) => {
            let page = FormPage {
                email: form.email.clone(),
                handle: form.handle.clone(),
                error: Some(ctx.msg(&m)),
                ..Default::default()
            };
            ctx.render(StatusCode::CONFLICT, "register.html", page)
        }
        Err(e) => {
            tracing::error!(error = ?e, "registration failed");
            ctx.error_page(StatusCode::INTERNAL_SERVER_ERROR, "error_internal")
        }
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

has_csrf!(LogoutForm);

#[handler]
pub async fn logout(ctx: PageContext, CsrfForm(_): CsrfForm<LogoutForm>) -> Response {
    if let Some(token) = &ctx.session_token
        && let Err(e) = sessions::revoke(&ctx.state.db, token).await
    {
        tracing::error!(error = ?e, "sign-out failed");
        return ctx.error_page(StatusCode::INTERNAL_SERVER_ERROR, "error_internal");
    }
    let mut resp = Redirect::see_other("/login").into_response();
    ctx.set_cookie(
        &mut resp,
        cookies::clear_session(ctx.state.settings.secure_cookies()),
    );
    // Lessons kept for offline reading (and the service worker keeping them) go with the
    // session: the next person on this device finds nothing.
    resp.headers_mut().insert(
        "clear-site-data",
        poem::http::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    resp
}
