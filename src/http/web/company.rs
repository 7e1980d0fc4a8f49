//! The company admin area: dashboard with CSV export, invitations (one by one or CSV upload
//! with the row report), teams, assignments and the sensitive-names list; plus invitation
//! acceptance and e-mail verification pages.

use chrono::{NaiveDate, Utc};
use poem::http::StatusCode;
use poem::web::{Multipart, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CsrfForm, PageContext, SignedIn, has_csrf};
use crate::domain::SensitiveNames;
use crate::error::AppError;
use crate::http::cookies;
use crate::services::companies::invitations::{self, InviteInput, RowOutcome, UploadReport};
use crate::services::companies::{assignments, dashboard, members, sensitive_names, teams};
use crate::services::{lessons, paths, sessions, verification};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// What the sensitive-names form shows instead of the stored list: the admin's own text,
/// after it was refused.
type NamesDraft<'a> = Option<&'a str>;

async fn company_page(
    ctx: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    report: Option<&UploadReport>,
    names_draft: NamesDraft<'_>,
) -> Response {
    let viewer = ctx.viewer();
    let db = &ctx.state.db;
    let d = match dashboard::dashboard(db, &viewer, None, today()).await {
        Ok(d) => d,
        Err(e) => return ctx.app_error(e),
    };
    let team_list = teams::list(db, &viewer, None).await.unwrap_or_default();
    let people = members::list(db, &viewer, None).await.unwrap_or_default();
    let pending = invitations::pending(db, &viewer, None)
        .await
        .unwrap_or_default();
    let names = match names_draft {
        Some(draft) => draft.to_owned(),
        None => sensitive_names::list(db, &viewer, None)
            .await
            .unwrap_or_default()
            .join("\n"),
    };
    let all_paths = paths::list(db, &viewer).await.unwrap_or_default();
    let all_lessons = lessons::library(db, &viewer, &Default::default())
        .await
        .unwrap_or_default();
    let page = json!({
        "company": d.company,
        "seats": d.seats,
        "seats_used": d.seats_used,
        "seats_free": i64::from(d.seats) - d.seats_used as i64,
        "pending_count": d.pending_invitations,
        "teams": d.teams.iter().map(|t| json!({"name": t.name, "members": t.members, "assigned": t.assigned_lessons, "completed": t.completed_lessons, "overdue": t.overdue})).collect::<Vec<_>>(),
        "members": d.members.iter().map(|m| json!({
            "id": m.user_id, "email": m.email, "name": m.name, "teams": m.teams.join(", "), "assigned": m.assigned_lessons,
            "completed": m.completed_lessons, "score": m.check_score.map(|s| format!("{:.0} %", s * 100.0)), "overdue": m.overdue,
        })).collect::<Vec<_>>(),
        "team_options": team_list.iter().map(|(t, _)| json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
        "people": people.iter().map(|p| json!({"id": p.id, "email": p.email, "name": p.name})).collect::<Vec<_>>(),
        "pending": pending.iter().map(|i| json!({"id": i.id, "email": i.email, "expired": i.expires_at <= Utc::now()})).collect::<Vec<_>>(),
        "paths": all_paths.iter().map(|p| json!({"id": p.id, "title": p.title})).collect::<Vec<_>>(),
        "lessons": all_lessons.iter().map(|l| json!({"id": l.lesson_id, "title": l.title})).collect::<Vec<_>>(),
        "today": today().to_string(),
        "sensitive_names": names,
        "notice": notice,
        "error": error,
        "report": report.map(|r| json!({
            "applied": r.applied,
            "rows": r.rows.iter().map(|row| {
                let (outcome, reason) = match &row.outcome {
                    RowOutcome::Created => ("created", None),
                    RowOutcome::Skipped(w) => ("skipped", Some(ctx.msg(w))),
                    RowOutcome::Failed(w) => ("failed", Some(ctx.msg(w))),
                };
                json!({"line": row.line, "email": row.email, "outcome": outcome, "reason": reason})
            }).collect::<Vec<_>>(),
        })),
    });
    ctx.render(status, "company.html", page)
}

#[handler]
pub async fn overview(ctx: SignedIn) -> Response {
    company_page(&ctx, StatusCode::OK, None, None, None, None).await
}

async fn outcome(ctx: &SignedIn, result: Result<String, AppError>) -> Response {
    match result {
        Ok(notice) => company_page(ctx, StatusCode::OK, Some(notice), None, None, None).await,
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            company_page(
                ctx,
                StatusCode::BAD_REQUEST,
                None,
                Some(ctx.msg(&m)),
                None,
                None,
            )
            .await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    team: String,
}

has_csrf!(InviteForm);

#[handler]
pub async fn invite(CsrfForm(form): CsrfForm<InviteForm>, ctx: SignedIn) -> Response {
    let input = InviteInput {
        email: form.email.clone(),
        name: form.name.clone(),
        teams: vec![form.team.clone()],
    };
    let result = invitations::invite(
        &ctx.state.db,
        &ctx.viewer(),
        None,
        &input,
        &ctx.state.settings.base_url(),
    )
    .await
    .map(|_| ctx.text("company_invited"));
    outcome(&ctx, result).await
}

/// The CSV upload arrives as a file (multipart), so it works without JavaScript.
///
/// Multipart is not a url-encoded form, so `CsrfForm` does not fit: the anti-CSRF value is
/// checked here, and sign-in after it (a file too large is reported before either).
#[handler]
pub async fn upload(ctx: PageContext, mut multipart: Multipart) -> Response {
    let mut csrf = String::new();
    let mut csv = String::new();
    let mut too_large = false;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => match field.bytes().await {
                Ok(bytes) if bytes.len() <= 1_000_000 => {
                    csv = String::from_utf8_lossy(&bytes).into_owned()
                }
                _ => {
                    too_large = true;
                    break;
                }
            },
            _ => {}
        }
    }
    if !too_large && !ctx.form_csrf_ok(&csrf) {
        return ctx.error_page(StatusCode::FORBIDDEN, "error_csrf");
    }
    let ctx = match SignedIn::check(ctx) {
        Ok(ctx) => ctx,
        Err(redirect) => return redirect,
    };
    if too_large {
        return company_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            None,
            Some(ctx.text("company_csv_too_large")),
            None,
            None,
        )
        .await;
    }
    match invitations::upload(
        &ctx.state.db,
        &ctx.viewer(),
        None,
        &csv,
        &ctx.state.settings.base_url(),
    )
    .await
    {
        Ok(report) => {
            let status = if report.applied {
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            };
            company_page(&ctx, status, None, None, Some(&report), None).await
        }
        Err(AppError::Invalid(m)) => {
            company_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                None,
                Some(ctx.msg(&m)),
                None,
                None,
            )
            .await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

has_csrf!(TeamForm);

#[handler]
pub async fn create_team(CsrfForm(form): CsrfForm<TeamForm>, ctx: SignedIn) -> Response {
    let result = teams::create(&ctx.state.db, &ctx.viewer(), None, &form.name)
        .await
        .map(|t| t.name);
    outcome(&ctx, result).await
}

#[derive(Deserialize)]
pub struct MembershipForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    team_id: i64,
    #[serde(default)]
    user_id: i64,
}

has_csrf!(MembershipForm);

#[handler]
pub async fn add_to_team(CsrfForm(form): CsrfForm<MembershipForm>, ctx: SignedIn) -> Response {
    let result = teams::set_member(
        &ctx.state.db,
        &ctx.viewer(),
        None,
        form.team_id,
        form.user_id,
        true,
    )
    .await
    .map(|()| ctx.text("settings_saved"));
    outcome(&ctx, result).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    team_id: i64,
    #[serde(default)]
    due_on: String,
}

has_csrf!(AssignForm);

#[handler]
pub async fn assign(CsrfForm(form): CsrfForm<AssignForm>, ctx: SignedIn) -> Response {
    let parsed = (|| {
        let due_on = NaiveDate::parse_from_str(&form.due_on, "%Y-%m-%d")
            .map_err(|_| AppError::invalid("assign_choose_due_date"))?;
        let (kind, id) = form
            .what
            .split_once(':')
            .ok_or_else(|| AppError::invalid("assign_choose_what"))?;
        let id: i64 = id
            .parse()
            .map_err(|_| AppError::invalid("assign_choose_what"))?;
        let (path_id, lesson_id) = if kind == "path" {
            (Some(id), None)
        } else {
            (None, Some(id))
        };
        Ok::<_, AppError>(assignments::AssignInput {
            path_id,
            lesson_id,
            team_id: Some(form.team_id),
            user_ids: Vec::new(),
            due_on,
        })
    })();
    let result = match parsed {
        Ok(input) => assignments::assign(&ctx.state.db, &ctx.viewer(), None, &input, today())
            .await
            .map(|_| ctx.text("company_assigned")),
        Err(e) => Err(e),
    };
    outcome(&ctx, result).await
}

#[derive(Deserialize)]
pub struct SensitiveNamesForm {
    #[serde(default)]
    csrf: String,
    /// One name per line; blank lines are left out.
    #[serde(default)]
    names: String,
}

has_csrf!(SensitiveNamesForm);

#[handler]
pub async fn save_sensitive_names(
    CsrfForm(form): CsrfForm<SensitiveNamesForm>,
    ctx: SignedIn,
) -> Response {
    let viewer = ctx.viewer();
    if let Err(e) = crate::policy::sensitive_names_company(&viewer, None) {
        return ctx.app_error(e);
    }
    let lines: Vec<String> = form
        .names
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let result = match SensitiveNames::parse(&lines) {
        Ok(list) => sensitive_names::replace(&ctx.state.db, &viewer, None, &list).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    match result {
        Ok(_) => {
            let notice = ctx.text("company_sensitive_names_saved");
            company_page(&ctx, StatusCode::OK, Some(notice), None, None, None).await
        }
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            let error = Some(ctx.msg(&m));
            company_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                None,
                error,
                None,
                Some(&form.names),
            )
            .await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn dashboard_csv(ctx: SignedIn) -> Response {
    match dashboard::export_csv(&ctx.state.db, &ctx.viewer(), None, today()).await {
        Ok(csv) => Response::builder()
            .content_type("text/csv; charset=utf-8")
            .header(
                "content-disposition",
                "attachment; filename=\"learning-progress.csv\"",
            )
            .body(csv),
        Err(e) => ctx.app_error(e),
    }
}

fn invitation_value(i: &invitations::InvitationInfo, signed_in_as: Option<&str>) -> Value {
    json!({"company": i.company, "email": i.email, "has_account": i.has_account, "signed_in_as": signed_in_as})
}

#[handler]
pub async fn invitation(ctx: PageContext, Path(token): Path<String>) -> Response {
    match invitations::info(&ctx.state.db, &token).await {
        Ok(i) => {
            let me = ctx.session.as_ref().map(|s| s.user.email.clone());
            ctx.render(StatusCode::OK, "invitation.html", json!({"token": token, "invitation": invitation_value(&i, me.as_deref()), "error": Value::Null}))
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    handle: String,
}

has_csrf!(AcceptForm);

#[handler]
pub async fn accept(
    ctx: PageContext,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> Response {
    if let Err(e) = ctx
        .state
        .throttle
        .check(Some(&format!("invitation:{token}")), ctx.client_ip)
    {
        return ctx.app_error(e);
    }
    let result = invitations::accept(
        &ctx.state.db,
        &ctx.state.hasher,
        &ctx.viewer(),
        &token,
        Some(&form.password),
        Some(&form.handle),
    )
    .await;
    match result {
        Ok(user) => {
            // New accounts are signed in right away; the link proved the address.
            match sessions::issue(&ctx.state.db, &ctx.state.settings.session, user.id).await {
                Ok(issued) => {
                    let mut resp = Redirect::see_other("/learning").into_response();
                    let s = &ctx.state.settings;
                    ctx.set_cookie(
                        &mut resp,
                        cookies::session(
                            &issued.token,
                            s.secure_cookies(),
                            s.session.absolute_hours,
                        ),
                    );
                    resp
                }
                Err(e) => ctx.app_error(e),
            }
        }
        Err(AppError::Invalid(m) | AppError::Forbidden(m)) => {
            match invitations::info(&ctx.state.db, &token).await {
                Ok(i) => {
                    let me = ctx.session.as_ref().map(|s| s.user.email.clone());
                    ctx.render(StatusCode::BAD_REQUEST, "invitation.html", json!({"token": token, "invitation": invitation_value(&i, me.as_deref()), "error": ctx.msg(&m)}))
                }
                Err(e) => ctx.app_error(e),
            }
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn verify(ctx: PageContext, Path(token): Path<String>) -> Response {
    match verification::verify(&ctx.state.db, &token).await {
        // Confirmed: on to asking (or signing in first), with the good news on that page.
        Ok(()) => {
            // A read that wrote: sessions checked a moment ago still say "not confirmed".
            ctx.state.sessions.forget_all();
            let to = if ctx.session.is_some() { "/" } else { "/login" };
            ctx.redirect_with_flash(to, "flash_email_confirmed")
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user_id: i64,
}

has_csrf!(RemoveForm);

#[handler]
pub async fn remove_member(CsrfForm(form): CsrfForm<RemoveForm>, ctx: SignedIn) -> Response {
    let result = members::remove(&ctx.state.db, &ctx.viewer(), None, form.user_id)
        .await
        .map(|()| ctx.text("company_removed"));
    outcome(&ctx, result).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    invitation_id: i64,
}

has_csrf!(RevokeForm);

#[handler]
pub async fn revoke_invitation(CsrfForm(form): CsrfForm<RevokeForm>, ctx: SignedIn) -> Response {
    let result = invitations::revoke(&ctx.state.db, &ctx.viewer(), None, form.invitation_id)
        .await
        .map(|()| ctx.text("company_revoked"));
    outcome(&ctx, result).await
}

#[handler]
pub async fn remove_from_team(CsrfForm(form): CsrfForm<MembershipForm>, ctx: SignedIn) -> Response {
    let result = teams::set_member(
        &ctx.state.db,
        &ctx.viewer(),
        None,
        form.team_id,
        form.user_id,
        false,
    )
    .await
    .map(|()| ctx.text("settings_saved"));
    outcome(&ctx, result).await
}
