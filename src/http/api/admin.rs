//! Platform administration: the security audit log and role changes.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::ApiTags;
use super::security::Auth;
use crate::domain::{Role, UserStatus};
use crate::error::AppError;
use crate::http::error::ApiResult;
use crate::services::{accounts, audit};
use crate::state::AppState;

pub struct AdminApi;

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct SecurityEventView {
    id: i64,
    /// `sign_in`, `sign_in_failed`, `password_reset_requested`, `password_reset`,
    /// `role_changed`, `export`, `account_deleted`, `member_removed` or `moderation`.
    kind: String,
    /// Who acted (absent for failed sign-ins and system actions).
    actor_id: Option<i64>,
    /// Whose account it concerned.
    subject_id: Option<i64>,
    /// The client address.
    client: Option<String>,
    detail: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct RoleRequest {
    /// `member`, `trainer`, `company_admin` or `platform_admin`.
    #[oai(validator(pattern = r"^(member|trainer|company_admin|platform_admin)$"))]
    role: String,
}

#[derive(Object, Debug)]
struct StatusRequest {
    /// `active` or `suspended` (reads only; all sessions end).
    #[oai(validator(pattern = r"^(active|suspended)$"))]
    status: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct AccountStatusView {
    id: i64,
    email: String,
    status: String,
}

#[derive(ApiResponse)]
enum StatusResponse {
    /// The account with its new status.
    #[oai(status = 200)]
    Ok(Json<AccountStatusView>),
}

#[derive(ApiResponse)]
enum EventsResponse {
    /// Newest first; pass the last id as `before` for the next page.
    #[oai(status = 200)]
    Ok(Json<Vec<SecurityEventView>>),
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
struct AccountRoleView {
    id: i64,
    email: String,
    role: String,
}

#[derive(ApiResponse)]
enum RoleResponse {
    /// The account with its new role.
    #[oai(status = 200)]
    Ok(Json<AccountRoleView>),
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Admin")]
impl AdminApi {
    /// The security audit log (platform admins).
    #[oai(path = "/admin/security-events", method = "get")]
    async fn security_events(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(
            pattern = r"^(sign_in|sign_in_failed|password_reset_requested|password_reset|role_changed|export|account_deleted|member_removed|moderation)$"
        ))]
        kind: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] before: Query<Option<i64>>,
        #[oai(
            default = "default_limit",
            validator(minimum(value = "1"), maximum(value = "200"))
        )]
        limit: Query<u64>,
    ) -> ApiResult<EventsResponse> {
        let kind = kind.0.as_deref().map(audit::Event::parse).transpose()?;
        let events = audit::list(&state.db, &auth.viewer(), kind, before.0, limit.0).await?;
        Ok(EventsResponse::Ok(Json(
            events
                .into_iter()
                .map(|e| SecurityEventView {
                    id: e.id,
                    kind: e.kind,
                    actor_id: e.actor_id,
                    subject_id: e.subject_id,
                    client: e.client,
                    detail: e.detail,
                    at: e.at,
                })
                .collect(),
        )))
    }

    /// Suspend an account or make it active again (platform admins; not their own).
    /// Suspending ends all of the person's sessions at once.
    #[oai(path = "/admin/users/:id/status", method = "put")]
    async fn set_status(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<StatusRequest>,
    ) -> ApiResult<StatusResponse> {
        let status = UserStatus::from_key(&body.status)
            .ok_or_else(|| AppError::invalid("status_active_or_suspended"))?;
        let user = accounts::set_status(&state.db, &auth.viewer(), id.0, status).await?;
        Ok(StatusResponse::Ok(Json(AccountStatusView {
            id: user.id,
            email: user.email,
            status: user.status.key().into(),
        })))
    }

    /// Change someone's role (platform admins; not their own).
    #[oai(path = "/admin/users/:id/role", method = "put")]
    async fn set_role(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<RoleRequest>,
    ) -> ApiResult<RoleResponse> {
        let role = Role::from_key(&body.role).ok_or_else(|| AppError::invalid("role_unknown"))?;
        let user = accounts::set_role(&state.db, &auth.viewer(), id.0, role).await?;
        Ok(RoleResponse::Ok(Json(AccountRoleView {
            id: user.id,
            email: user.email,
            role: user.role.key().into(),
        })))
    }
}

fn default_limit() -> u64 {
    50
}
