//! HTTP assembly: the JSON API, the web pages, health checks, static files and middleware.

pub mod api;
pub mod cookies;
pub mod error;
mod health;
pub mod idle;
pub mod language;
mod middleware;
mod scim;
mod validation;
pub mod web;

use poem::endpoint::EmbeddedFilesEndpoint;
use poem::{Endpoint, EndpointExt, Route};

use crate::state::AppState;

/// Static assets of `frontend/static`, compiled into the binary.
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/frontend/static"]
struct StaticAssets;

/// Builds the whole application endpoint.
pub fn app(state: AppState) -> impl Endpoint + 'static {
    let api = api::service(state.settings.public_url.as_deref());
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    Route::new()
        // Bodies: 1 MiB for the API, 2 MiB for pages (CSV uploads); bigger is a 413.
        .nest(
            "/api/v1",
            api.around(middleware::api_body_limit)
                .around(middleware::json_errors),
        )
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .nest("/scim/v2", scim::routes())
        .at("/healthz", poem::get(health::healthz))
        .at("/readyz", poem::get(health::readyz))
        .at("/metrics", poem::get(health::metrics))
        .nest("/static", EmbeddedFilesEndpoint::<StaticAssets>::new())
        .at("/sw.js", poem::get(service_worker))
        .nest("/", web::routes().around(middleware::page_body_limit))
        .with(poem::middleware::CatchPanic::new())
        .around(middleware::request_timeout)
        .around(middleware::forget_sessions_after_writes)
        .around(middleware::security_headers)
        .around(middleware::cache_policy)
        .around(middleware::request_id)
        .data(state)
}

/// The service worker, served from the root so that it may look after every page (offline
/// reading of kept lessons); never cached by the browser, so updates arrive at once.
#[poem::handler]
fn service_worker() -> poem::Response {
    match StaticAssets::get("sw.js") {
        Some(file) => poem::Response::builder()
            .content_type("application/javascript; charset=utf-8")
            .body(file.data.into_owned()),
        None => poem::Response::builder()
            .status(poem::http::StatusCode::NOT_FOUND)
            .finish(),
    }
}
