//! Cross-cutting HTTP behaviour: request ids and access logs, security headers, and turning
//! every API failure into the one JSON error shape.

use std::sync::Arc;
use std::time::Instant;

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;

use super::error::{ErrorBody, code_for_status};
use super::language;
use super::validation::plain_validation_message;
use crate::domain::Msg;
use crate::services::tokens::random_token;

/// Gives each request an id (kept from `X-Request-Id` when sane), puts it on every log line
/// of the request through a span, and returns it in the response.
pub async fn request_id<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let id = req
        .header("x-request-id")
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_owned)
        .unwrap_or_else(|| random_token()[..16].to_owned());
    let span =
        tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path());
    let started = Instant::now();
    let metrics = req
        .data::<crate::state::AppState>()
        .map(|s| s.search.metrics().clone());
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    async move {
        let mut resp = match ep.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        if let Some(metrics) = metrics {
            metrics.observe_request(&method, &path, resp.status().as_u16(), started.elapsed());
        }
        tracing::info!(
            status = resp.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request finished"
        );
        if let Ok(v) = HeaderValue::from_str(&id) {
            resp.headers_mut().insert("x-request-id", v);
        }
        Ok(resp)
    }
    .instrument(span)
    .await
}

/// Whether a request only reads (and may be answered with a session checked a moment ago).
pub fn is_read(req: &Request) -> bool {
    matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
}

/// After every write this instance handled, cached sessions are forgotten: the write may have
/// signed someone out, suspended or removed them (`services::session_cache`). Also when the
/// write ends early (timeout, client gone): it may have committed before.
pub async fn forget_sessions_after_writes<E: Endpoint>(
    ep: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let _forget = (!is_read(&req))
        .then(|| req.data::<crate::state::AppState>())
        .flatten()
        .map(|s| ForgetOnDrop(s.sessions.clone()));
    ep.call(req).await.map(IntoResponse::into_response)
}

struct ForgetOnDrop(Arc<crate::services::session_cache::SessionCache>);

impl Drop for ForgetOnDrop {
    fn drop(&mut self) {
        self.0.forget_all();
    }
}

/// Headers that keep the pages out of frames, stop MIME sniffing and forbid inline script.
pub async fn security_headers<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    // The interactive API docs (Swagger UI) need inline script; nothing else does.
    let is_api_docs = req.uri().path().starts_with("/api/docs");
    let mut resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let h = resp.headers_mut();
    let csp = if is_api_docs {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
    } else {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    };
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    Ok(resp)
}

/// Caching that cannot leak: static files are public and long-lived; every other answer may
/// depend on who asks (a signed-in page, an API answer for this viewer, a sign-in form with
/// its CSRF token, a message in the asker's language), so no cache, shared or the browser's
/// back-button store, keeps it.
pub async fn cache_policy<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let cacheable = is_static && resp.status().is_success();
    let h = resp.headers_mut();
    if cacheable {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=604800"),
        );
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        h.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Authorization, Accept-Language"),
        );
    }
    Ok(resp)
}

/// Rewrites any API failure that is not already in the JSON error shape (malformed JSON,
/// failed field validation, unknown route, missing credentials) into it. Server errors never
/// carry their cause to the client. Every message in the request speaks the language its
/// `Accept-Language` prefers (`super::language`).
pub async fn json_errors<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let locale = language::from_accept_language(req.header("accept-language"));
    language::scope(locale, async move {
        match ep.call(req).await {
            Ok(r) => Ok(ensure_json_error(r.into_response(), None)),
            Err(err) => {
                let message = err.to_string();
                Ok(ensure_json_error(err.into_response(), Some(message)))
            }
        }
    })
    .await
}

fn ensure_json_error(resp: Response, message: Option<String>) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let message = if status.is_server_error() {
        tracing::error!(
            status = status.as_u16(),
            cause = message.as_deref().unwrap_or(""),
            "request failed"
        );
        Msg::new("internal_error")
    } else {
        let raw = message.unwrap_or_default();
        plain_validation_message(&raw).unwrap_or_else(|| status_message(status, &raw))
    };
    json_error(status, code_for_status(status), &language::words(&message))
}

/// What a client error that poem itself produced means; the parser's own words (English,
/// technical) are kept as a detail where they help to fix the request.
fn status_message(status: StatusCode, raw: &str) -> Msg {
    let detail = if raw.trim().is_empty() {
        status.canonical_reason().unwrap_or("request failed")
    } else {
        raw.trim()
    };
    match status {
        StatusCode::BAD_REQUEST => Msg::new("request_unreadable").arg("detail", detail),
        StatusCode::UNAUTHORIZED => Msg::new("unauthenticated"),
        StatusCode::FORBIDDEN => Msg::new("request_forbidden"),
        StatusCode::NOT_FOUND => Msg::new("not_found"),
        StatusCode::METHOD_NOT_ALLOWED => Msg::new("method_not_allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => Msg::new("payload_too_large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Msg::new("unsupported_media_type"),
        StatusCode::TOO_MANY_REQUESTS => Msg::new("too_many_requests"),
        _ => Msg::new("request_refused").arg("detail", detail),
    }
}

/// A response in the API's error shape.
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody::new(code, message);
    let json =
        serde_json::json!({"error": {"code": body.error.code, "message": body.error.message}});
    Response::builder()
        .status(status)
        .content_type("application/json; charset=utf-8")
        .body(json.to_string())
}

/// The largest request body the API takes.
pub const API_BODY_LIMIT: usize = 1024 * 1024;
/// The largest request body pages take (CSV uploads).
pub const PAGE_BODY_LIMIT: usize = 2 * 1024 * 1024;

pub async fn api_body_limit<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    body_limit(ep, req, API_BODY_LIMIT).await
}

pub async fn page_body_limit<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    body_limit(ep, req, PAGE_BODY_LIMIT).await
}

/// Refuses bodies above `limit` with 413: at once when the declared length is too big, and
/// while reading when no length was declared (chunked uploads).
async fn body_limit<E: Endpoint>(
    ep: Arc<E>,
    mut req: Request,
    limit: usize,
) -> poem::Result<Response> {
    let too_large = || {
        poem::Error::from_string(
            language::words(&Msg::new("payload_too_large")),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
    };
    let declared = req
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(n) if n > limit => return Err(too_large()),
        Some(_) => {}
        None if req.header("transfer-encoding").is_some() => {
            let bytes = req
                .take_body()
                .into_bytes_limit(limit)
                .await
                .map_err(|_| too_large())?;
            req.set_body(bytes);
        }
        None => {}
    }
    ep.call(req).await.map(IntoResponse::into_response)
}

/// Bounds every request's time (a slow body included): past the limit the client gets 408 and
/// the work is dropped, so a stuck or malicious client cannot hold a worker.
pub async fn request_timeout<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let limit = req
        .data::<crate::state::AppState>()
        .map_or(30, |s| s.settings.http.request_timeout_secs.max(1));
    let locale = language::from_accept_language(req.header("accept-language"));
    match tokio::time::timeout(std::time::Duration::from_secs(limit), ep.call(req)).await {
        Ok(result) => result.map(IntoResponse::into_response),
        Err(_) => Ok(json_error(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            &crate::messages::render(&Msg::new("request_timeout").arg("seconds", limit), locale),
        )),
    }
}
