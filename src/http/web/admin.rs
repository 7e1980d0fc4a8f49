//! The platform admin's page: companies with their seats, creating companies and naming their
//! company admins.

use poem::http::StatusCode;
use poem::{Response, handler};
use sea_orm::{EntityTrait, QueryOrder};
use serde::Deserialize;
use serde_json::json;

use super::{CsrfForm, PageContext, SignedIn, has_csrf};
use crate::error::AppError;
use crate::services::companies::{self, invitations};

async fn page(
    ctx: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    if !ctx.can().administer_platform {
        return ctx.error_page(StatusCode::FORBIDDEN, "error_forbidden");
    }
    let rows = match entity::organization::Entity::find()
        .order_by_asc(entity::organization::Column::Name)
        .all(&ctx.state.db)
        .await
    {
        Ok(r) => r,
        Err(e) => return ctx.app_error(e.into()),
    };
    let mut list = Vec::new();
    for c in rows {
        let used = companies::seats_used(&ctx.state.db, c.id)
            .await
            .unwrap_or(0);
        list.push(json!({"id": c.id, "name": c.name, "seats": c.seat_count, "used": used}));
    }
    ctx.render(
        status,
        "admin.html",
        json!({"companies": list, "notice": notice, "error": error}),
    )
}

#[handler]
pub async fn companies_page(ctx: SignedIn) -> Response {
    page(&ctx, StatusCode::OK, None, None).await
}

#[derive(Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    seats: String,
}

#[handler]
pub async fn create_company(CsrfForm(form): CsrfForm<CompanyForm>, ctx: SignedIn) -> Response {
    let seats = form.seats.trim().parse::<i32>().unwrap_or(-1);
    match companies::create_company(&ctx.state.db, &ctx.viewer(), &form.name, seats).await {
        Ok(c) => page(&ctx, StatusCode::OK, Some(c.name), None).await,
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            page(&ctx, StatusCode::BAD_REQUEST, None, Some(ctx.msg(&m))).await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct AdminForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    company_id: i64,
    #[serde(default)]
    email: String,
}

#[handler]
pub async fn name_admin(CsrfForm(form): CsrfForm<AdminForm>, ctx: SignedIn) -> Response {
    match invitations::invite_admin(
        &ctx.state.db,
        &ctx.viewer(),
        form.company_id,
        &form.email,
        &ctx.state.settings.base_url(),
    )
    .await
    {
        Ok(_) => page(&ctx, StatusCode::OK, Some(form.email.clone()), None).await,
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            page(&ctx, StatusCode::BAD_REQUEST, None, Some(ctx.msg(&m))).await
        }
        Err(e) => ctx.app_error(e),
    }
}

has_csrf!(CompanyForm, AdminForm);

#[derive(Deserialize)]
pub struct SecurityQuery {
    kind: Option<String>,
    before: Option<i64>,
}

/// The security audit log for platform admins, newest first, 100 per page.
#[handler]
pub async fn security_page(
    ctx: PageContext,
    poem::web::Query(q): poem::web::Query<SecurityQuery>,
) -> Response {
    use crate::services::audit;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => match audit::Event::parse(k) {
            Ok(e) => Some(e),
            Err(e) => return ctx.app_error(e),
        },
        None => None,
    };
    let events = match audit::list(&ctx.state.db, &ctx.viewer(), kind, q.before, 100).await {
        Ok(e) => e,
        Err(e) => return ctx.app_error(e),
    };
    let next = (events.len() == 100)
        .then(|| events.last().map(|e| e.id))
        .flatten();
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "kind": e.kind, "actor": e.actor_id, "subject": e.subject_id,
                "client": e.client, "detail": e.detail,
                "at": e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            })
        })
        .collect();
    let kinds: Vec<&str> = audit::Event::ALL.iter().map(|e| e.key()).collect();
    ctx.render(
        StatusCode::OK,
        "admin_security.html",
        json!({"events": rows, "kinds": kinds, "kind": kind.map(|k| k.key()), "next": next}),
    )
}
