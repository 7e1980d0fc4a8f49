//! Bad requests of every kind get a 4xx in the one JSON error shape, never a 500.

use crate::helpers::{Backend, error_code, spawn_app};
use crate::on_both_databases;

async fn malformed_requests_get_the_json_error_shape(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let send = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for (body, content_type, expected, why) in [
        ("{not json", "application/json", 400, "malformed JSON"),
        ("[]", "application/json", 400, "JSON of the wrong type"),
        (
            "{\"email\": [\"x\"], \"password\": \"x\"}",
            "application/json",
            400,
            "a field of the wrong type",
        ),
        ("email=a", "text/plain", 415, "a body that is not JSON"),
    ] {
        let (status, code, message) = error_code(send(body, content_type).await.unwrap()).await;
        assert_eq!(status, expected, "{why}: {code} {message}");
    }
}
on_both_databases!(malformed_requests_get_the_json_error_shape);

#[tokio::test]
async fn unknown_api_routes_and_missing_credentials_get_the_json_error_shape() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let (status, code, _) = error_code(
        app.client
            .get(app.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let (status, code, _) =
        error_code(app.client.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let (status, code, _) =
        error_code(app.get_with_token("/api/v1/me", "forged-token").await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_auth_operations() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/auth/register", "post"),
        ("/auth/login", "post"),
        ("/auth/logout", "post"),
        ("/me", "get"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(
            op.is_object(),
            "{method} {path} is missing from the document"
        );
        assert!(
            op["responses"]["400"].is_object() || method == "get",
            "{path}: 400 undocumented"
        );
    }
    assert!(doc["components"]["securitySchemes"]["BearerAuth"].is_object());
    let docs = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let big = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let resp = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_code(resp).await;
    assert_eq!((status, code.as_str()), (413, "payload_too_large"));
}

#[tokio::test]
async fn repeated_sign_in_attempts_are_throttled_with_a_clear_wait() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let email = crate::helpers::unique_email("target");
    let mut last = None;
    for _ in 0..11 {
        last = Some(app.login(&email, "wrong wrong wrong").await);
    }
    let (status, code, message) = error_code(last.unwrap()).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
    assert!(message.contains("try again in"), "{message}");
}

#[tokio::test]
async fn slow_clients_are_cut_off_idle_connections_closed_and_slow_bodies_answered_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Request limit 1 s, so the idle limit is 6 s (never below the request limit + 5).
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |s| {
        s.http.idle_timeout_secs = 1;
        s.http.request_timeout_secs = 1;
    })
    .await
    .unwrap();
    let addr = app.address.trim_start_matches("http://").to_owned();

    // A body that never arrives: 408 in the one JSON error shape, after about a second.
    let mut stalled = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stalled
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
        )
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut chunk = [0u8; 1024];
        while let Ok(n) = stalled.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}}") {
                break;
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"request_timeout\""), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));

    // Headers that never finish: the connection is closed after the idle limit.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), slow.read(&mut buf))
        .await
        .expect("the server closed the idle connection within 20 s");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(started.elapsed() >= std::time::Duration::from_secs(5));
}
