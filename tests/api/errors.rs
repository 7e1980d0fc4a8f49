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
