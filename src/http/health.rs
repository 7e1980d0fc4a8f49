//! Liveness and readiness probes for load balancers and orchestrators.

use poem::http::StatusCode;
use poem::web::{Data, Json};
use poem::{IntoResponse, handler};
use serde_json::json;

use crate::state::AppState;

/// The process is up.
#[handler]
pub async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

/// The process can serve requests: the database answers.
#[handler]
pub async fn readyz(state: Data<&AppState>) -> impl IntoResponse {
    if crate::db::is_ready(&state.db).await {
        Json(json!({"status": "ready"})).with_status(StatusCode::OK)
    } else {
        Json(json!({"status": "database unavailable"})).with_status(StatusCode::SERVICE_UNAVAILABLE)
    }
}
