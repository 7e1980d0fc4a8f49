//! Registration, sign-in, the current account and sign-out through the JSON API.

use serde_json::json;

use crate::helpers::{Backend, PASSWORD, error_code, spawn_app, spawn_app_with, unique_email};
use crate::on_both_databases;

async fn a_member_registers_signs_in_reads_me_and_is_refused_after_signing_out(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("anna");

    let resp = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": email, "password": PASSWORD, "handle": "closer-anna"}),
        )
        .await;
    assert_eq!(resp.status(), 202);

    let resp = app.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(
        resp.status(),
        200,
        "sign-in with the address in other case works"
    );
    let cookie = resp
        .headers()
        .get("set-cookie")
        .expect("session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("sb_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "no Secure flag over plain http: {cookie}"
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(body["user"]["handle"], "closer-anna");
    assert_eq!(body["user"]["role"], "member");
    assert!(body["user"].get("password_hash").is_none());

    // The cookie alone authenticates a read.
    let me: serde_json::Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], email);
    // So does the bearer token.
    let resp = app.get_with_token("/api/v1/me", &token).await;
    assert_eq!(resp.status(), 200);

    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);

    let (status, code, _) = error_code(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(
        (status, code.as_str()),
        (401, "unauthorized"),
        "the ended session is refused"
    );
    let resp = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(
        resp.status(),
        401,
        "the cookie of the ended session is refused too"
    );
}
on_both_databases!(a_member_registers_signs_in_reads_me_and_is_refused_after_signing_out);

async fn a_wrong_password_and_an_unknown_address_get_the_same_answer(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("ben");
    assert_eq!(app.register(&email, PASSWORD).await.status(), 202);

    let wrong = error_code(app.login(&email, "not the right passphrase").await).await;
    let unknown = error_code(app.login(&unique_email("nobody"), PASSWORD).await).await;
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong.1, "invalid_credentials");
    assert_eq!(
        wrong, unknown,
        "the answers must not reveal whether an account exists"
    );
}
on_both_databases!(a_wrong_password_and_an_unknown_address_get_the_same_answer);

async fn registering_a_taken_address_answers_like_a_new_one_and_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("cara");
    let first = app.register(&email, PASSWORD).await;
    assert_eq!(first.status(), 202);
    let first: serde_json::Value = first.json().await.unwrap();
    let second = app.register(&email, "another fine passphrase").await;
    assert_eq!(second.status(), 202);
    let second: serde_json::Value = second.json().await.unwrap();
    assert_eq!(first, second, "no account enumeration through registration");
    assert_eq!(
        app.login(&email, PASSWORD).await.status(),
        200,
        "the original password still works"
    );
    assert_eq!(
        app.login(&email, "another fine passphrase").await.status(),
        401
    );
}
on_both_databases!(registering_a_taken_address_answers_like_a_new_one_and_changes_nothing);

async fn bad_registration_input_gets_a_clear_4xx_and_stores_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let long = "x".repeat(300);
    let cases = [
        (
            json!({"email": "not-an-address", "password": PASSWORD}),
            "invalid_input",
            "e-mail",
            "an address without @",
        ),
        (
            json!({"email": format!("{long}@example.com"), "password": PASSWORD}),
            "invalid_input",
            "email",
            "an over-long address",
        ),
        (
            json!({"email": unique_email("d"), "password": "short"}),
            "invalid_input",
            "at least 12",
            "a short password",
        ),
        (
            json!({"email": unique_email("d"), "password": "y".repeat(129)}),
            "invalid_input",
            "password",
            "an over-long password",
        ),
        (
            json!({"email": unique_email("d"), "password": PASSWORD, "handle": "<script>"}),
            "invalid_input",
            "handle",
            "a handle with markup",
        ),
        (
            json!({"email": unique_email("d"), "password": PASSWORD, "locale": "fr"}),
            "invalid_input",
            "de or en",
            "an unknown language",
        ),
        (
            json!({"password": PASSWORD}),
            "invalid_input",
            "e-mail",
            "a missing address",
        ),
    ];
    for (body, expected_code, expected_text, why) in cases {
        let resp = app.post_json("/api/v1/auth/register", &body).await;
        let (status, code, message) = error_code(resp).await;
        assert_eq!(status, 400, "{why}: expected 400");
        assert_eq!(code, expected_code, "{why}");
        assert!(
            message.to_lowercase().contains(expected_text),
            "{why}: unclear message {message:?}"
        );
        if let Some(email) = body.get("email").and_then(|e| e.as_str()) {
            assert_ne!(
                app.login(email, PASSWORD).await.status(),
                200,
                "{why}: an account was stored"
            );
        }
    }
}
on_both_databases!(bad_registration_input_gets_a_clear_4xx_and_stores_nothing);

async fn a_handle_that_is_taken_is_a_conflict(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let body =
        |email: String| json!({"email": email, "password": PASSWORD, "handle": "same-handle"});
    assert_eq!(
        app.post_json("/api/v1/auth/register", &body(unique_email("e")))
            .await
            .status(),
        202
    );
    let (status, code, message) = error_code(
        app.post_json("/api/v1/auth/register", &body(unique_email("f")))
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (409, "conflict"));
    assert!(message.contains("handle"), "{message}");
}
on_both_databases!(a_handle_that_is_taken_is_a_conflict);

async fn cookie_authenticated_changes_need_the_csrf_header(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("gina");
    app.register(&email, PASSWORD).await;
    let body: serde_json::Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();

    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_code(resp).await;
    assert_eq!((status, code.as_str()), (403, "csrf_failed"));
    assert_eq!(
        app.client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );

    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(
        app.client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
on_both_databases!(cookie_authenticated_changes_need_the_csrf_header);

async fn signing_in_again_rotates_the_session(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("hugo");
    app.register(&email, PASSWORD).await;
    let first: serde_json::Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    let second: serde_json::Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    assert_ne!(first["token"], second["token"]);
    let old = app
        .get_with_token("/api/v1/me", first["token"].as_str().unwrap())
        .await;
    assert_eq!(
        old.status(),
        401,
        "the session this client had before signing in again has ended"
    );
    let new = app
        .get_with_token("/api/v1/me", second["token"].as_str().unwrap())
        .await;
    assert_eq!(new.status(), 200);
}
on_both_databases!(signing_in_again_rotates_the_session);

async fn an_idle_session_expires(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.session.idle_minutes = 0).await else {
        return;
    };
    let email = unique_email("ida");
    app.register(&email, PASSWORD).await;
    let body: serde_json::Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    let resp = app
        .get_with_token("/api/v1/me", body["token"].as_str().unwrap())
        .await;
    assert_eq!(resp.status(), 401);
}
on_both_databases!(an_idle_session_expires);

/// Ends `token`'s session in the database directly, as another instance signing out would.
async fn end_session_elsewhere(app: &crate::helpers::TestApp, token: &str) {
    use sea_orm::ConnectionTrait;
    let hash = sellerbase::services::tokens::token_hash(token);
    app.db
        .execute_unprepared(&format!("DELETE FROM sessions WHERE token_hash = '{hash}'"))
        .await
        .unwrap();
}

async fn a_session_ended_elsewhere_is_refused_by_writes_at_once_and_by_reads_within_a_second(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Reads may reuse a session checked a moment ago, for at most `read_cache_ms`.
    let reader = app.member().await;
    assert_eq!(
        app.get_with_token("/api/v1/me", &reader).await.status(),
        200
    );
    end_session_elsewhere(&app, &reader).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    assert_eq!(
        app.get_with_token("/api/v1/me", &reader).await.status(),
        401,
        "a read after read_cache_ms looks at the database again"
    );

    // Writes always look at the database.
    let writer = app.member().await;
    assert_eq!(
        app.get_with_token("/api/v1/me", &writer).await.status(),
        200
    );
    end_session_elsewhere(&app, &writer).await;
    let resp = app
        .call(
            reqwest::Method::POST,
            "/api/v1/threads",
            &writer,
            Some(json!({
                "title": "Wie verhandle ich Rabatte?", "body": "Frage", "topic": "negotiation",
                "language": "de", "visibility": "community", "tags": []
            })),
        )
        .await;
    assert_eq!(resp.status(), 401, "the write was refused at once");
}
on_both_databases!(
    a_session_ended_elsewhere_is_refused_by_writes_at_once_and_by_reads_within_a_second
);

#[tokio::test]
async fn secure_cookies_are_set_when_the_public_address_is_https() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.public_url = Some("https://sellerbase.example".into())
    })
    .await
    .unwrap();
    let email = unique_email("jan");
    app.register(&email, PASSWORD).await;
    let resp = app.login(&email, PASSWORD).await;
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}
