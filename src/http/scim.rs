//! SCIM 2.0 (`/scim/v2/Users`) for identity providers, authorised by the company's bearer
//! token. Answers and errors use SCIM's own JSON shapes.

use poem::http::StatusCode;
use poem::web::{Data, Json, Path, Query};
use poem::{IntoResponse, Request, Response, Route, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::AppError;
use crate::services::companies::scim::{self, ScimUser};
use crate::state::AppState;

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

pub fn routes() -> Route {
    Route::new().at("/Users", poem::get(list).post(create)).at(
        "/Users/:id",
        poem::get(get).patch(patch).delete(delete).put(replace),
    )
}

fn error(status: StatusCode, detail: &str, scim_type: Option<&str>) -> Response {
    let mut body =
        json!({"schemas": [ERROR_SCHEMA], "status": status.as_u16().to_string(), "detail": detail});
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    scim_json(status, body)
}

fn scim_json(status: StatusCode, body: Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/scim+json")
        .body(body.to_string())
}

/// SCIM clients are machines: their messages stay English (`Display` of a message).
fn app_error(e: AppError) -> Response {
    match e {
        AppError::Invalid(m) if m.key() == "scim_filter_unsupported" => error(
            StatusCode::BAD_REQUEST,
            &m.to_string(),
            Some("invalidFilter"),
        ),
        AppError::Invalid(m) => error(
            StatusCode::BAD_REQUEST,
            &m.to_string(),
            Some("invalidValue"),
        ),
        AppError::Conflict(m) => error(StatusCode::CONFLICT, &m.to_string(), Some("uniqueness")),
        AppError::NotFound => error(StatusCode::NOT_FOUND, "no such user in this company", None),
        AppError::Unauthenticated | AppError::BadCredentials => error(
            StatusCode::UNAUTHORIZED,
            "a valid SCIM bearer token is required",
            None,
        ),
        AppError::Forbidden(m) => error(StatusCode::FORBIDDEN, &m.to_string(), None),
        AppError::RateLimited(_) => error(StatusCode::TOO_MANY_REQUESTS, "too many requests", None),
        AppError::Unexpected(cause) => {
            tracing::error!(error = ?cause, "SCIM request failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error", None)
        }
    }
}

async fn company(req: &Request, state: &AppState) -> Result<i64, Response> {
    let token = req
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| app_error(AppError::Unauthenticated))?;
    scim::company_of_token(&state.db, token)
        .await
        .map_err(app_error)
}

fn user_json(u: &ScimUser, base: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA],
        "id": u.id,
        "userName": u.user_name,
        "displayName": u.display_name,
        "name": {"formatted": u.display_name},
        "emails": [{"value": u.user_name, "primary": true}],
        "active": u.active,
        "meta": {"resourceType": "User", "location": format!("{base}/scim/v2/Users/{}", u.id)},
    })
}

#[derive(Deserialize)]
struct ListQuery {
    filter: Option<String>,
    #[serde(rename = "startIndex")]
    start_index: Option<u64>,
    count: Option<u64>,
}

#[handler]
async fn list(req: &Request, state: Data<&AppState>, Query(q): Query<ListQuery>) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let start = q.start_index.unwrap_or(1).max(1);
    match scim::list(
        &state.db,
        org,
        q.filter.as_deref(),
        start,
        q.count.unwrap_or(100),
    )
    .await
    {
        Ok((total, users)) => {
            let base = state.settings.base_url();
            scim_json(
                StatusCode::OK,
                json!({
                    "schemas": [LIST_SCHEMA],
                    "totalResults": total,
                    "startIndex": start,
                    "itemsPerPage": users.len(),
                    "Resources": users.iter().map(|u| user_json(u, &base)).collect::<Vec<_>>(),
                }),
            )
        }
        Err(e) => app_error(e),
    }
}

#[handler]
async fn get(req: &Request, state: Data<&AppState>, Path(id): Path<String>) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    match scim::get(&state.db, org, &id).await {
        Ok(u) => scim_json(StatusCode::OK, user_json(&u, &state.settings.base_url())),
        Err(e) => app_error(e),
    }
}

fn display_name(body: &Value) -> Option<String> {
    body["displayName"].as_str().map(str::to_owned).or_else(|| {
        let n = &body["name"];
        n["formatted"].as_str().map(str::to_owned).or_else(|| {
            let parts: Vec<&str> = [n["givenName"].as_str(), n["familyName"].as_str()]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    })
}

#[handler]
async fn create(
    req: &Request,
    state: Data<&AppState>,
    body: poem::Result<Json<Value>>,
) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body must be a SCIM User in JSON",
            Some("invalidSyntax"),
        );
    };
    let Some(user_name) = body["userName"].as_str() else {
        return error(
            StatusCode::BAD_REQUEST,
            "userName is required",
            Some("invalidValue"),
        );
    };
    match scim::create(
        &state.db,
        &state.hasher,
        org,
        user_name,
        display_name(&body).as_deref(),
        &state.settings.base_url(),
    )
    .await
    {
        Ok(u) => scim_json(
            StatusCode::CREATED,
            user_json(&u, &state.settings.base_url()),
        ),
        Err(e) => app_error(e),
    }
}

/// `active: false` in a PATCH (either `path: "active"` or a value object) deactivates.
fn wants_inactive(body: &Value) -> Result<bool, &'static str> {
    let ops = body["Operations"]
        .as_array()
        .ok_or("Operations are required")?;
    let mut inactive = false;
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("").to_ascii_lowercase();
        if kind != "replace" && kind != "add" {
            return Err("only replace and add operations are supported");
        }
        let value = &op["value"];
        let active = match op["path"].as_str() {
            Some(p) if p.eq_ignore_ascii_case("active") => value
                .as_bool()
                .or_else(|| value.as_str().map(|s| s.eq_ignore_ascii_case("true"))),
            Some(_) => None,
            None => value["active"].as_bool(),
        };
        if active == Some(false) {
            inactive = true;
        }
    }
    Ok(inactive)
}

#[handler]
async fn patch(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    body: poem::Result<Json<Value>>,
) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body must be a SCIM PatchOp in JSON",
            Some("invalidSyntax"),
        );
    };
    if !body["schemas"]
        .as_array()
        .is_some_and(|s| s.iter().any(|v| v == PATCH_SCHEMA))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "schemas must name the PatchOp message",
            Some("invalidSyntax"),
        );
    }
    let result = match wants_inactive(&body) {
        Err(m) => return error(StatusCode::BAD_REQUEST, m, Some("invalidValue")),
        Ok(true) => scim::deactivate(&state.db, org, &id).await,
        Ok(false) => scim::get(&state.db, org, &id).await,
    };
    match result {
        Ok(u) => scim_json(StatusCode::OK, user_json(&u, &state.settings.base_url())),
        Err(e) => app_error(e),
    }
}

#[handler]
async fn replace(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    body: poem::Result<Json<Value>>,
) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body must be a SCIM User in JSON",
            Some("invalidSyntax"),
        );
    };
    let result = if body["active"].as_bool() == Some(false) {
        scim::deactivate(&state.db, org, &id).await
    } else {
        scim::get(&state.db, org, &id).await
    };
    match result {
        Ok(u) => scim_json(StatusCode::OK, user_json(&u, &state.settings.base_url())),
        Err(e) => app_error(e),
    }
}

#[handler]
async fn delete(req: &Request, state: Data<&AppState>, Path(id): Path<String>) -> Response {
    let org = match company(req, &state).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    match scim::deactivate(&state.db, org, &id).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => app_error(e),
    }
}
