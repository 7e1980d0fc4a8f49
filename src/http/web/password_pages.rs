//! The forgotten-password pages: ask for a reset link, then choose a new password with it.

use poem::http::StatusCode;
use poem::web::Path;
use poem::{Response, handler};
use serde::{Deserialize, Serialize};

use super::{CsrfForm, PageContext, has_csrf};
use crate::domain::Password;
use crate::services::password_reset;

#[derive(Serialize, Default)]
struct ResetPage {
    email: String,
    token: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

has_csrf!(ForgotForm);

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

has_csrf!(ResetForm);

#[handler]
pub async fn forgot_form(ctx: PageContext) -> Response {
    ctx.render(StatusCode::OK, "password_forgot.html", ResetPage::default())
}

#[handler]
pub async fn forgot(ctx: PageContext, CsrfForm(form): CsrfForm<ForgotForm>) -> Response {
    let key = format!("reset:{}", form.email);
    if let Err(e) = ctx.state.throttle.check(Some(&key), ctx.client_ip) {
        return ctx.app_error(e);
    }
    let base = ctx.state.settings.base_url();
    match password_reset::request(&ctx.state.db, &form.email, &base, ctx.client_ip).await {
        Ok(()) => {
            let page = ResetPage {
                notice: Some(ctx.text("reset_requested")),
                ..Default::default()
            };
            ctx.render(StatusCode::OK, "password_forgot.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn reset_form(ctx: PageContext, Path(token): Path<String>) -> Response {
    match password_reset::check(&ctx.state.db, &token).await {
        Ok(()) => {
            let page = ResetPage {
                token,
                ..Default::default()
            };
            ctx.render(StatusCode::OK, "password_reset.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn reset(
    ctx: PageContext,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Response {
    if let Err(e) = ctx.state.throttle.check(None, ctx.client_ip) {
        return ctx.app_error(e);
    }
    let password = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(message) => {
            let page = ResetPage {
                token,
                error: Some(ctx.msg(&message)),
                ..Default::default()
            };
            return ctx.render(StatusCode::BAD_REQUEST, "password_reset.html", page);
        }
    };
    let result = password_reset::complete(
        &ctx.state.db,
        &ctx.state.hasher,
        &token,
        password,
        ctx.client_ip,
    )
    .await;
    match result {
        Ok(()) => {
            let page = serde_json::json!({
                "notice": ctx.text("reset_done"),
                "email": "",
                "next": "",
            });
            ctx.render(StatusCode::OK, "login.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}
