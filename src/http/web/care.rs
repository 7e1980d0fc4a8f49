//! Pages for coaches and moderators, notifications, and the member's own settings.

use poem::http::StatusCode;
use poem::web::{Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use serde_json::json;

use super::community::thread_json;
use super::{CsrfForm, PageContext, SignedIn, has_csrf};
use crate::error::AppError;
use crate::services::accounts::{self, ProfileChanges};
use crate::services::community::coaching;
use crate::services::community::moderation::{self, Action, Target};
use crate::services::notifications::{self, Settings};

#[handler]
pub async fn coach_queue(ctx: SignedIn) -> Response {
    match coaching::queue(&ctx.state.db, &ctx.viewer()).await {
        Ok(items) => {
            let rows: Vec<_> = items
                .iter()
                .map(|i| json!({"thread": thread_json(&i.thread, &ctx), "waiting_minutes": i.waiting_minutes, "claimed_by": i.claimed_by}))
                .collect();
            ctx.render(StatusCode::OK, "coach.html", json!({"items": rows}))
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

has_csrf!(CsrfOnly);

#[handler]
pub async fn coach_action(
    ctx: PageContext,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Response {
    let viewer = ctx.viewer();
    let result = match action.as_str() {
        "claim" => coaching::claim(&ctx.state.db, &viewer, id).await,
        "close" => coaching::close(&ctx.state.db, &viewer, id).await,
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Redirect::see_other("/coach").into_response(),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn moderation_queue(ctx: SignedIn) -> Response {
    let viewer = ctx.viewer();
    let (items, log) = match (
        moderation::queue(&ctx.state.db, &viewer).await,
        moderation::log(&ctx.state.db, &viewer).await,
    ) {
        (Ok(i), Ok(l)) => (i, l),
        (Err(e), _) | (_, Err(e)) => return ctx.app_error(e),
    };
    let page = json!({
        "items": items.iter().map(|i| json!({
            "target": i.target_kind, "target_id": i.target_id, "thread_id": i.thread_id, "thread_title": i.thread_title,
            "excerpt": i.excerpt, "hidden": i.hidden, "reasons": i.reasons,
        })).collect::<Vec<_>>(),
        "log": log.iter().take(50).map(|l| json!({
            "action": l.action, "target": l.target_kind, "target_id": l.target_id, "reason": l.reason,
            "at": l.created_at.format("%Y-%m-%d %H:%M").to_string(),
        })).collect::<Vec<_>>(),
    });
    ctx.render(StatusCode::OK, "moderation.html", page)
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    body: Option<String>,
    back: Option<String>,
}

has_csrf!(ModerateForm);

#[handler]
pub async fn moderate(ctx: PageContext, CsrfForm(form): CsrfForm<ModerateForm>) -> Response {
    let base = ctx.state.settings.base_url();
    let result = async {
        let target = Target::parse(&form.target, form.target_id)?;
        let action = Action::parse(&form.action, form.body.as_deref())?;
        moderation::act(
            &ctx.state.db,
            &ctx.viewer(),
            target,
            action,
            &form.reason,
            &base,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => Redirect::see_other(super::context::safe_next(
            form.back.as_deref().or(Some("/moderation")),
        ))
        .into_response(),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn notifications_page(ctx: SignedIn) -> Response {
    match notifications::list(&ctx.state.db, &ctx.viewer(), 50).await {
        Ok(items) => {
            let rows: Vec<_> = notifications::grouped(&items)
                .iter()
                .map(|n| json!({"kind": super::format::notification_kind(n.kind.key(), n.count), "count": n.count,
                                 "href": super::format::notification_href(n.thread_id, n.lesson_id), "title": n.title, "read": n.read,
                                 "at": super::format::date(ctx.locale, n.latest_at.date_naive())}))
                .collect();
            ctx.render(StatusCode::OK, "notifications.html", json!({"items": rows}))
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn notifications_read(ctx: PageContext, CsrfForm(_): CsrfForm<CsrfOnly>) -> Response {
    match notifications::mark_read(&ctx.state.db, &ctx.viewer(), None).await {
        Ok(()) => Redirect::see_other("/notifications").into_response(),
        Err(e) => ctx.app_error(e),
    }
}

async fn settings_page(
    ctx: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let user = ctx.user();
    let row = match entity::user::Entity::find_by_id(user.id)
        .one(&ctx.state.db)
        .await
    {
        Ok(Some(r)) => r,
        Ok(None) => return ctx.error_page(StatusCode::NOT_FOUND, "error_not_found"),
        Err(e) => return ctx.app_error(e.into()),
    };
    let n = match notifications::settings(&ctx.state.db, user.id).await {
        Ok(n) => n,
        Err(e) => return ctx.app_error(e),
    };
    let page = json!({
        "handle": row.handle, "display_name": row.display_name, "show_name": row.show_name, "show_company": row.show_company,
        "email_answers": n.email_answers, "email_accepted": n.email_accepted, "email_comments": n.email_comments,
        "email_coach": n.email_coach, "email_moderation": n.email_moderation,
        "notice": notice, "error": error,
    });
    ctx.render(status, "settings.html", page)
}

use sea_orm::EntityTrait;

#[handler]
pub async fn settings(ctx: SignedIn) -> Response {
    settings_page(&ctx, StatusCode::OK, None, None).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    display_name: String,
    show_name: Option<String>,
    show_company: Option<String>,
    email_answers: Option<String>,
    email_accepted: Option<String>,
    email_comments: Option<String>,
    email_coach: Option<String>,
    email_moderation: Option<String>,
}

has_csrf!(SettingsForm);

#[handler]
pub async fn save_settings(CsrfForm(form): CsrfForm<SettingsForm>, ctx: SignedIn) -> Response {
    let viewer = ctx.viewer();
    let changes = ProfileChanges {
        handle: Some(form.handle.clone()),
        display_name: Some(form.display_name.clone()),
        show_name: Some(form.show_name.is_some()),
        show_company: Some(form.show_company.is_some()),
        locale: None,
    };
    let result = async {
        accounts::update_profile(&ctx.state.db, &viewer, changes).await?;
        let s = Settings {
            email_answers: form.email_answers.is_some(),
            email_accepted: form.email_accepted.is_some(),
            email_comments: form.email_comments.is_some(),
            email_coach: form.email_coach.is_some(),
            email_moderation: form.email_moderation.is_some(),
        };
        notifications::save_settings(&ctx.state.db, &viewer, s).await
    }
    .await;
    match result {
        Ok(()) => settings_page(&ctx, StatusCode::OK, Some(ctx.text("settings_saved")), None).await,
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            settings_page(&ctx, StatusCode::BAD_REQUEST, None, Some(ctx.msg(&m))).await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn export(ctx: SignedIn) -> Response {
    match crate::services::privacy::export(&ctx.state.db, &ctx.viewer()).await {
        Ok(data) => Response::builder()
            .content_type("application/json")
            .header(
                "content-disposition",
                "attachment; filename=\"sellerbase-export.json\"",
            )
            .body(serde_json::to_string_pretty(&data).unwrap_or_default()),
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm_email: String,
    delete_posts: Option<String>,
}

has_csrf!(DeleteForm);

#[handler]
pub async fn delete_account(CsrfForm(form): CsrfForm<DeleteForm>, ctx: SignedIn) -> Response {
    if form.confirm_email.trim().to_lowercase() != ctx.user().email {
        return settings_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            None,
            Some(ctx.text("delete_confirm_mismatch")),
        )
        .await;
    }
    match crate::services::privacy::delete_account(
        &ctx.state.db,
        &ctx.viewer(),
        form.delete_posts.is_some(),
    )
    .await
    {
        Ok(()) => {
            let mut resp = Redirect::see_other("/").into_response();
            ctx.set_cookie(
                &mut resp,
                crate::http::cookies::clear_session(ctx.state.settings.secure_cookies()),
            );
            resp
        }
        Err(e) => ctx.app_error(e),
    }
}
