//! Companies: seats, invitations (single and CSV), teams, assignments, the learning dashboard,
//! members, SCIM tokens and the sensitive-names list; accepting invitations; the member's
//! assigned learning.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::ApiTags;
use super::security::{Auth, MaybeAuth};
use crate::domain::SensitiveNames;
use crate::http::error::ApiResult;
use crate::http::language::words;
use crate::services::companies::invitations::{self, InviteInput, RowOutcome};
use crate::services::companies::{
    self as companies, assignments, dashboard, members, scim, sensitive_names, teams,
};
use crate::state::AppState;

pub struct CompanyApi;

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CompanyCreate {
    #[oai(validator(max_length = 200))]
    pub name: String,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub seats: i32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CompanyView {
    pub id: i64,
    pub name: String,
    pub seats: i32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct SeatsUpdate {
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub seats: i32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AdminInvite {
    #[oai(validator(max_length = 254))]
    pub email: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct InviteRequest {
    #[oai(validator(max_length = 254))]
    pub email: String,
    #[oai(default, validator(max_length = 100))]
    pub name: String,
    /// Team names of the company.
    #[oai(default, validator(max_items = 20))]
    pub teams: Vec<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CsvUpload {
    /// Lines of `email,name,team` (a header line is optional; several teams with `;`).
    #[oai(validator(max_length = 500000))]
    pub csv: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RowView {
    pub line: u32,
    pub email: String,
    /// `created`, `skipped` or `failed`.
    pub outcome: String,
    pub reason: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct UploadView {
    /// False when any row failed: then nothing was created.
    pub applied: bool,
    pub created: u32,
    pub skipped: u32,
    pub failed: u32,
    pub rows: Vec<RowView>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub expired: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MemberView {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TeamView {
    pub id: i64,
    pub name: String,
    pub member_ids: Vec<i64>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TeamCreate {
    #[oai(validator(max_length = 100))]
    pub name: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AssignRequest {
    pub path_id: Option<i64>,
    pub lesson_id: Option<i64>,
    pub team_id: Option<i64>,
    #[oai(default, validator(max_items = 500))]
    pub user_ids: Vec<i64>,
    pub due_on: NaiveDate,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct IdsView {
    pub ids: Vec<i64>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MemberProgressView {
    pub user_id: i64,
    pub email: String,
    pub name: Option<String>,
    pub teams: Vec<String>,
    pub assigned_lessons: u32,
    pub completed_lessons: u32,
    pub check_score: Option<f64>,
    pub overdue: u32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TeamProgressView {
    pub name: String,
    pub members: u32,
    pub assigned_lessons: u32,
    pub completed_lessons: u32,
    pub overdue: u32,
}

/// Learning progress only; nothing of the community.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct DashboardView {
    pub company: String,
    pub seats: i32,
    pub seats_used: u64,
    pub seats_free: i64,
    pub pending_invitations: u32,
    pub teams: Vec<TeamProgressView>,
    pub members: Vec<MemberProgressView>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TokenView {
    /// Shown once; only a hash is stored.
    pub token: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct InvitationInfoView {
    pub company: String,
    pub email: String,
    /// The address has an account: sign in as it to accept.
    pub has_account: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AcceptInvitationRequest {
    /// For a new account: 12 to 128 characters.
    #[oai(validator(max_length = 128))]
    pub password: Option<String>,
    #[oai(validator(max_length = 30))]
    pub handle: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MyAssignmentView {
    pub id: i64,
    pub title: String,
    pub path_slug: Option<String>,
    pub lesson_slug: Option<String>,
    pub due_on: NaiveDate,
    pub completed: u32,
    pub total: u32,
    pub overdue: bool,
}

/// A company's sensitive names: customers, projects and products that its members' redaction
/// hints mark while they write.
#[derive(Object, Debug)]
pub struct SensitiveNamesView {
    /// The entries, in the order they were written.
    pub names: Vec<String>,
}

#[derive(Object, Debug)]
pub struct SensitiveNamesUpdate {
    /// The whole new list: at most 500 entries of 2 to 80 characters each (trimmed), none
    /// twice whatever its case. An empty list clears it.
    pub names: Vec<String>,
}

#[derive(ApiResponse)]
enum SensitiveNamesResponse {
    /// The list as stored.
    #[oai(status = 200)]
    Ok(Json<SensitiveNamesView>),
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum CompanyCreated {
    #[oai(status = 201)]
    Created(Json<CompanyView>),
}

#[derive(ApiResponse)]
enum InviteCreated {
    /// Invited; the link went out by e-mail.
    #[oai(status = 201)]
    Created,
}

#[derive(ApiResponse)]
enum UploadResponse {
    /// The report; `applied` says whether anything was created.
    #[oai(status = 200)]
    Ok(Json<UploadView>),
}

#[derive(ApiResponse)]
enum InvitationsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<InvitationView>>),
}

#[derive(ApiResponse)]
enum MembersResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<MemberView>>),
}

#[derive(ApiResponse)]
enum TeamsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<TeamView>>),
}

#[derive(ApiResponse)]
enum TeamCreated {
    #[oai(status = 201)]
    Created(Json<TeamView>),
}

#[derive(ApiResponse)]
enum AssignedResponse {
    #[oai(status = 201)]
    Created(Json<IdsView>),
}

#[derive(ApiResponse)]
enum DashboardResponse {
    #[oai(status = 200)]
    Ok(Json<DashboardView>),
}

#[derive(ApiResponse)]
enum CsvResponse {
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(PlainText<String>),
}

#[derive(ApiResponse)]
enum TokenResponse {
    #[oai(status = 201)]
    Created(Json<TokenView>),
}

#[derive(ApiResponse)]
enum InfoResponse {
    #[oai(status = 200)]
    Ok(Json<InvitationInfoView>),
}

#[derive(ApiResponse)]
enum AcceptResponse {
    /// Accepted; sign in (new accounts) or continue (existing ones).
    #[oai(status = 200)]
    Ok(Json<MemberView>),
}

#[derive(ApiResponse)]
enum MyAssignmentsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<MyAssignmentView>>),
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Companies")]
impl CompanyApi {
    /// Create a company with a number of seats (platform admins).
    #[oai(path = "/companies", method = "post")]
    async fn create_company(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<CompanyCreate>,
    ) -> ApiResult<CompanyCreated> {
        let c =
            companies::create_company(&state.db, &auth.viewer(), &body.name, body.seats).await?;
        Ok(CompanyCreated::Created(Json(CompanyView {
            id: c.id,
            name: c.name,
            seats: c.seat_count,
        })))
    }

    /// Change a company's seats (platform admins); never below the seats in use.
    #[oai(path = "/companies/:id/seats", method = "put")]
    async fn set_seats(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<SeatsUpdate>,
    ) -> ApiResult<Done> {
        companies::set_seats(&state.db, &auth.viewer(), id.0, body.seats).await?;
        Ok(Done::NoContent)
    }

    /// Name a company admin (platform admins): an account of the company becomes admin, anyone
    /// else is invited as admin.
    #[oai(path = "/companies/:id/admins", method = "post")]
    async fn add_admin(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<AdminInvite>,
    ) -> ApiResult<Done> {
        invitations::invite_admin(
            &state.db,
            &auth.viewer(),
            id.0,
            &body.email,
            &state.settings.base_url(),
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// Seats, invitations and learning progress per team and member (company admins; platform
    /// admins pass `company`). Nothing of the community.
    #[oai(path = "/company/dashboard", method = "get")]
    async fn dashboard(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<DashboardResponse> {
        let d = dashboard::dashboard(&state.db, &auth.viewer(), company.0, today()).await?;
        Ok(DashboardResponse::Ok(Json(DashboardView {
            company: d.company.clone(),
            seats: d.seats,
            seats_used: d.seats_used,
            seats_free: i64::from(d.seats) - d.seats_used as i64,
            pending_invitations: d.pending_invitations as u32,
            teams: d
                .teams
                .iter()
                .map(|t| TeamProgressView {
                    name: t.name.clone(),
                    members: t.members as u32,
                    assigned_lessons: t.assigned_lessons as u32,
                    completed_lessons: t.completed_lessons as u32,
                    overdue: t.overdue as u32,
                })
                .collect(),
            members: d
                .members
                .iter()
                .map(|m| MemberProgressView {
                    user_id: m.user_id,
                    email: m.email.clone(),
                    name: m.name.clone(),
                    teams: m.teams.clone(),
                    assigned_lessons: m.assigned_lessons as u32,
                    completed_lessons: m.completed_lessons as u32,
                    check_score: m.check_score,
                    overdue: m.overdue as u32,
                })
                .collect(),
        })))
    }

    /// The dashboard's per-member progress as CSV.
    #[oai(path = "/company/dashboard.csv", method = "get")]
    async fn dashboard_csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<CsvResponse> {
        let csv = dashboard::export_csv(&state.db, &auth.viewer(), company.0, today()).await?;
        Ok(CsvResponse::Ok(PlainText(csv)))
    }

    /// The people of the company: name, e-mail, role. Never handles or activity.
    #[oai(path = "/company/members", method = "get")]
    async fn members(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<MembersResponse> {
        let rows = members::list(&state.db, &auth.viewer(), company.0).await?;
        Ok(MembersResponse::Ok(Json(
            rows.into_iter()
                .map(|m| MemberView {
                    id: m.id,
                    email: m.email,
                    name: m.name,
                    role: m.role.key().into(),
                })
                .collect(),
        )))
    }

    /// Remove a member: the seat is free; the person keeps their account as an individual.
    #[oai(path = "/company/members/:id", method = "delete")]
    async fn remove_member(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        company: Query<Option<i64>>,
    ) -> ApiResult<Done> {
        members::remove(&state.db, &auth.viewer(), company.0, id.0).await?;
        Ok(Done::NoContent)
    }

    /// Invite one person by e-mail.
    #[oai(path = "/company/invitations", method = "post")]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
        body: Json<InviteRequest>,
    ) -> ApiResult<InviteCreated> {
        let input = InviteInput {
            email: body.email.clone(),
            name: body.name.clone(),
            teams: body.teams.clone(),
        };
        invitations::invite(
            &state.db,
            &auth.viewer(),
            company.0,
            &input,
            &state.settings.base_url(),
        )
        .await?;
        Ok(InviteCreated::Created)
    }

    /// Invite many from CSV (`email,name,team`). Members and pending invitations are skipped;
    /// a broken row, an unknown team or too few seats rejects the whole upload.
    #[oai(path = "/company/invitations/csv", method = "post")]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
        body: Json<CsvUpload>,
    ) -> ApiResult<UploadResponse> {
        let report = invitations::upload(
            &state.db,
            &auth.viewer(),
            company.0,
            &body.csv,
            &state.settings.base_url(),
        )
        .await?;
        let count = |f: fn(&RowOutcome) -> bool| {
            report.rows.iter().filter(|r| f(&r.outcome)).count() as u32
        };
        Ok(UploadResponse::Ok(Json(UploadView {
            applied: report.applied,
            created: if report.applied {
                count(|o| *o == RowOutcome::Created)
            } else {
                0
            },
            skipped: count(|o| matches!(o, RowOutcome::Skipped(_))),
            failed: count(|o| matches!(o, RowOutcome::Failed(_))),
            rows: report
                .rows
                .iter()
                .map(|r| {
                    let (outcome, reason) = match &r.outcome {
                        RowOutcome::Created => ("created", None),
                        RowOutcome::Skipped(w) => ("skipped", Some(words(w))),
                        RowOutcome::Failed(w) => ("failed", Some(words(w))),
                    };
                    RowView {
                        line: r.line as u32,
                        email: r.email.clone(),
                        outcome: outcome.into(),
                        reason,
                    }
                })
                .collect(),
        })))
    }

    /// Pending invitations.
    #[oai(path = "/company/invitations", method = "get")]
    async fn pending(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<InvitationsResponse> {
        let rows = invitations::pending(&state.db, &auth.viewer(), company.0).await?;
        let now = chrono::Utc::now();
        Ok(InvitationsResponse::Ok(Json(
            rows.into_iter()
                .map(|i| InvitationView {
                    id: i.id,
                    email: i.email,
                    name: i.name,
                    expires_at: i.expires_at,
                    expired: i.expires_at <= now,
                })
                .collect(),
        )))
    }

    /// Withdraw a pending invitation.
    #[oai(path = "/company/invitations/:id", method = "delete")]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        company: Query<Option<i64>>,
    ) -> ApiResult<Done> {
        invitations::revoke(&state.db, &auth.viewer(), company.0, id.0).await?;
        Ok(Done::NoContent)
    }

    /// Teams with their members' ids.
    #[oai(path = "/company/teams", method = "get")]
    async fn teams(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<TeamsResponse> {
        let rows = teams::list(&state.db, &auth.viewer(), company.0).await?;
        Ok(TeamsResponse::Ok(Json(
            rows.into_iter()
                .map(|(t, ids)| TeamView {
                    id: t.id,
                    name: t.name,
                    member_ids: ids,
                })
                .collect(),
        )))
    }

    /// Create a team.
    #[oai(path = "/company/teams", method = "post")]
    async fn create_team(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
        body: Json<TeamCreate>,
    ) -> ApiResult<TeamCreated> {
        let t = teams::create(&state.db, &auth.viewer(), company.0, &body.name).await?;
        Ok(TeamCreated::Created(Json(TeamView {
            id: t.id,
            name: t.name,
            member_ids: Vec::new(),
        })))
    }

    /// Put a member into a team.
    #[oai(path = "/company/teams/:team_id/members/:user_id", method = "put")]
    async fn add_to_team(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        team_id: Path<i64>,
        user_id: Path<i64>,
        company: Query<Option<i64>>,
    ) -> ApiResult<Done> {
        teams::set_member(
            &state.db,
            &auth.viewer(),
            company.0,
            team_id.0,
            user_id.0,
            true,
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// Take a member out of a team.
    #[oai(path = "/company/teams/:team_id/members/:user_id", method = "delete")]
    async fn remove_from_team(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        team_id: Path<i64>,
        user_id: Path<i64>,
        company: Query<Option<i64>>,
    ) -> ApiResult<Done> {
        teams::set_member(
            &state.db,
            &auth.viewer(),
            company.0,
            team_id.0,
            user_id.0,
            false,
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// Assign a learning path or a lesson to a team or to members, due on a date.
    #[oai(path = "/company/assignments", method = "post")]
    async fn assign(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
        body: Json<AssignRequest>,
    ) -> ApiResult<AssignedResponse> {
        let input = assignments::AssignInput {
            path_id: body.path_id,
            lesson_id: body.lesson_id,
            team_id: body.team_id,
            user_ids: body.user_ids.clone(),
            due_on: body.due_on,
        };
        let ids =
            assignments::assign(&state.db, &auth.viewer(), company.0, &input, today()).await?;
        Ok(AssignedResponse::Created(Json(IdsView { ids })))
    }

    /// A new SCIM bearer token for the company's identity provider; the old one stops working.
    #[oai(path = "/company/scim-token", method = "post")]
    async fn scim_token(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<TokenResponse> {
        let token = scim::new_token(&state.db, &auth.viewer(), company.0).await?;
        Ok(TokenResponse::Created(Json(TokenView { token })))
    }

    /// The company's sensitive names (customers, projects, products), which its members'
    /// redaction hints mark while they write. Only the company's own admins read the list:
    /// not its members, not other companies, not even platform admins.
    #[oai(path = "/company/sensitive-names", method = "get")]
    async fn sensitive_names(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
    ) -> ApiResult<SensitiveNamesResponse> {
        let names = sensitive_names::list(&state.db, &auth.viewer(), company.0).await?;
        Ok(SensitiveNamesResponse::Ok(Json(SensitiveNamesView {
            names,
        })))
    }

    /// Replace the company's sensitive-names list as a whole (its own company admins only).
    #[oai(path = "/company/sensitive-names", method = "put")]
    async fn replace_sensitive_names(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        company: Query<Option<i64>>,
        body: Json<SensitiveNamesUpdate>,
    ) -> ApiResult<SensitiveNamesResponse> {
        let viewer = auth.viewer();
        // Who may keep the list is decided before the entries are judged.
        crate::policy::sensitive_names_company(&viewer, company.0)?;
        let list = SensitiveNames::parse(&body.names).map_err(crate::error::AppError::Invalid)?;
        let names = sensitive_names::replace(&state.db, &viewer, company.0, &list).await?;
        Ok(SensitiveNamesResponse::Ok(Json(SensitiveNamesView {
            names,
        })))
    }

    /// What an invitation link is for.
    #[oai(path = "/invitations/:token", method = "get")]
    async fn invitation(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        #[oai(validator(max_length = 80))] token: Path<String>,
    ) -> ApiResult<InfoResponse> {
        state.throttle.check(None, super::auth::client_ip(req))?;
        let i = invitations::info(&state.db, &token.0).await?;
        Ok(InfoResponse::Ok(Json(InvitationInfoView {
            company: i.company,
            email: i.email,
            has_account: i.has_account,
        })))
    }

    /// Accept an invitation: new people choose a password; people with an account under the
    /// invited address must be signed in as it to confirm.
    #[oai(path = "/invitations/:token/accept", method = "post")]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: MaybeAuth,
        #[oai(validator(max_length = 80))] token: Path<String>,
        req: &poem::Request,
        body: Json<AcceptInvitationRequest>,
    ) -> ApiResult<AcceptResponse> {
        let key = format!("invitation:{}", token.0);
        state
            .throttle
            .check(Some(&key), super::auth::client_ip(req))?;
        let u = invitations::accept(
            &state.db,
            &state.hasher,
            &auth.viewer(),
            &token.0,
            body.password.as_deref(),
            body.handle.as_deref(),
        )
        .await?;
        Ok(AcceptResponse::Ok(Json(MemberView {
            id: u.id,
            email: u.email,
            name: u.display_name,
            role: u.role.key().into(),
        })))
    }

    /// Learning my company assigned to me, soonest due first.
    #[oai(path = "/me/assignments", method = "get", tag = "ApiTags::Learning")]
    async fn my_assignments(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<MyAssignmentsResponse> {
        let rows = assignments::mine(&state.db, &auth.viewer(), today()).await?;
        Ok(MyAssignmentsResponse::Ok(Json(
            rows.into_iter()
                .map(|a| MyAssignmentView {
                    id: a.id,
                    title: a.title,
                    path_slug: a.path_slug,
                    lesson_slug: a.lesson_slug,
                    due_on: a.due_on,
                    completed: a.completed as u32,
                    total: a.total as u32,
                    overdue: a.overdue,
                })
                .collect(),
        )))
    }
}
