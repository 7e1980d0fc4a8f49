//! Liveness and readiness probes for load balancers and orchestrators, and the Prometheus
//! metrics.

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

/// Prometheus metrics (text exposition format). With `metrics_token` configured, only for
/// requests that present it as a bearer token.
#[handler]
pub async fn metrics(state: Data<&AppState>, req: &poem::Request) -> poem::Response {
    if let Some(token) = &state.settings.metrics_token {
        let presented = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|t| crate::services::tokens::token_hash(t.trim()));
        if presented != Some(crate::services::tokens::token_hash(token.expose())) {
            return Json(json!({"error": {"code": "unauthenticated", "message": "the metrics token is required"}}))
                .with_status(StatusCode::UNAUTHORIZED)
                .into_response();
        }
    }
    let lag = crate::services::search::follower::lag(&state.db, &state.search)
        .await
        .map_or(-1.0, |n| n as f64);
    let docs = state.search.get().map_or(0, |i| i.num_docs()) as f64;
    let (size, idle) = pool_sizes(&state.db);
    let gauges = [
        (
            "sellerbase_outbox_lag",
            "Search outbox rows this instance has not indexed yet (-1: unknown).",
            lag,
        ),
        (
            "sellerbase_search_documents",
            "Documents in this instance's search index.",
            docs,
        ),
        (
            "sellerbase_db_pool_connections",
            "Open database connections.",
            size,
        ),
        (
            "sellerbase_db_pool_idle",
            "Idle database connections.",
            idle,
        ),
    ];
    poem::Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.search.metrics().render(&gauges))
}

fn pool_sizes(db: &sea_orm::DatabaseConnection) -> (f64, f64) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (f64::from(pool.size()), pool.num_idle() as f64)
        }
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (f64::from(pool.size()), pool.num_idle() as f64)
        }
        _ => (0.0, 0.0),
    }
}
