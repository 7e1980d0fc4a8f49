//! Password reset, password rules, the security audit log and role changes, throttling of
//! reset and invitation links.

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, PASSWORD, TestApp, error_code, hidden_csrf, spawn_app, unique_email,
};
use crate::on_both_databases;
use sellerbase::domain::Role;

const NEW_PASSWORD: &str = "a brand new sentence to remember";

/// The newest reset link token mailed to `email`.
async fn reset_token(app: &TestApp, email: &str) -> Option<String> {
    crate::helpers::mailed_token(app, email, "password_reset").await
}

async fn signed_up(app: &TestApp, prefix: &str) -> (String, String) {
    let email = unique_email(prefix);
    assert_eq!(app.register(&email, PASSWORD).await.status(), 202);
    let resp = app.login(&email, PASSWORD).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    (email, body["token"].as_str().unwrap().to_owned())
}

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap()
}

async fn confirm_reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/password-reset/confirm"))
        .json(&json!({"token": token, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn a_password_reset_link_works_once_within_the_hour_and_ends_all_sessions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (email, old_session) = signed_up(&app, "forgetful").await;

    // The same answer whether or not the address has an account; mail only for the account.
    let known = request_reset(&app, &email).await;
    assert_eq!(known.status(), 202);
    let known: Value = known.json().await.unwrap();
    let stranger = unique_email("nobody");
    let unknown = request_reset(&app, &stranger).await;
    assert_eq!(unknown.status(), 202);
    assert_eq!(known, unknown.json::<Value>().await.unwrap());
    assert!(reset_token(&app, &stranger).await.is_none());
    let token = reset_token(&app, &email).await.expect("a reset mail");

    // Only the hash is stored.
    let stored = entity::password_reset::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, token);
    assert_eq!(
        stored[0].token_hash,
        sellerbase::services::tokens::token_hash(&token)
    );

    // Bad input: a common password, an unknown token.
    let (status, code, message) =
        error_code(confirm_reset(&app, &token, "Password2024!").await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_input"), "{message}");
    assert!(message.contains("attackers try first"), "{message}");
    let (status, _, _) = error_code(confirm_reset(&app, &"0".repeat(64), NEW_PASSWORD).await).await;
    assert_eq!(status, 404);

    assert_eq!(
        confirm_reset(&app, &token, NEW_PASSWORD).await.status(),
        204
    );
    assert_eq!(
        app.get_with_token("/api/v1/me", &old_session)
            .await
            .status(),
        401
    );
    assert_eq!(app.login(&email, PASSWORD).await.status(), 401);
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status(), 200);
    // Once only.
    let (status, code, _) =
        error_code(confirm_reset(&app, &token, "yet another good sentence").await).await;
    assert_eq!((status, code.as_str()), (409, "conflict"));

    // Expired links are refused.
    assert_eq!(request_reset(&app, &email).await.status(), 202);
    let late = reset_token(&app, &email).await.unwrap();
    let row = entity::password_reset::Entity::find()
        .filter(
            entity::password_reset::Column::TokenHash
                .eq(sellerbase::services::tokens::token_hash(&late)),
        )
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: entity::password_reset::ActiveModel = row.into();
    row.expires_at = sea_orm::ActiveValue::Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    sea_orm::ActiveModelTrait::update(row, &app.db)
        .await
        .unwrap();
    let (status, _, message) =
        error_code(confirm_reset(&app, &late, "yet another good sentence").await).await;
    assert_eq!(status, 409);
    assert!(message.contains("expired"), "{message}");
}
on_both_databases!(a_password_reset_link_works_once_within_the_hour_and_ends_all_sessions);

#[tokio::test]
async fn reset_requests_and_invitation_links_are_throttled() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let email = unique_email("target");
    let mut last = None;
    for _ in 0..11 {
        last = Some(request_reset(&app, &email).await);
    }
    let (status, code, message) = error_code(last.unwrap()).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
    assert!(message.contains("try again in"), "{message}");

    let token = "f".repeat(64);
    let mut last = None;
    for _ in 0..11 {
        last = Some(
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
                .json(&json!({"password": PASSWORD}))
                .send()
                .await
                .unwrap(),
        );
    }
    let (status, code, _) = error_code(last.unwrap()).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"));
}

#[tokio::test]
async fn common_passwords_are_refused_at_registration() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    for weak in ["qwerty123456", "Baseball1234", "aaaaaaaaaaaa"] {
        let (status, code, message) =
            error_code(app.register(&unique_email("weak"), weak).await).await;
        assert_eq!((status, code.as_str()), (400, "invalid_input"), "{weak}");
        assert!(message.contains("attackers try first"), "{message}");
    }
}

async fn events(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let body = app
        .get_json(&format!("/api/v1/admin/security-events{query}"), token)
        .await;
    body.as_array().unwrap().clone()
}

async fn platform_admins_read_the_security_log_and_change_roles(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let admin = app.user_with_role(Role::PlatformAdmin, None).await;
    let (email, member) = signed_up(&app, "audited").await;
    let me = app.get_json("/api/v1/me", &member).await;
    let id = me["id"].as_i64().unwrap();
    assert_eq!(
        app.login(&email, "not the right password").await.status(),
        401
    );
    assert_eq!(
        app.login(&unique_email("ghost"), "not the right password")
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_with_token("/api/v1/me/export", &member)
            .await
            .status(),
        200
    );

    let all = events(&app, &admin, "").await;
    let has = |kind: &str, subject: Option<i64>| {
        all.iter()
            .any(|e| e["kind"] == kind && subject.is_none_or(|s| e["subject_id"] == s))
    };
    assert!(has("sign_in", Some(id)));
    assert!(has("sign_in_failed", Some(id)));
    assert!(
        all.iter()
            .any(|e| e["kind"] == "sign_in_failed" && e["subject_id"].is_null())
    );
    assert!(has("export", Some(id)));
    assert!(
        all.iter()
            .all(|e| e["client"].is_null() || e["client"] == "127.0.0.1" || e["kind"] == "export")
    );
    let failed = events(&app, &admin, "?kind=sign_in_failed").await;
    assert!(failed.len() >= 2 && failed.iter().all(|e| e["kind"] == "sign_in_failed"));
    let page = events(&app, &admin, "?limit=1").await;
    assert_eq!(page.len(), 1);
    let before = page[0]["id"].as_i64().unwrap();
    let next = events(&app, &admin, &format!("?limit=1&before={before}")).await;
    assert!(next[0]["id"].as_i64().unwrap() < before);

    // Only platform admins read it.
    let resp = app
        .get_with_token("/api/v1/admin/security-events", &member)
        .await;
    assert_eq!(resp.status(), 403);
    let resp = reqwest::get(app.url("/api/v1/admin/security-events"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let (status, _, _) = error_code(
        app.get_with_token("/api/v1/admin/security-events?kind=gossip", &admin)
            .await,
    )
    .await;
    assert_eq!(status, 400);

    // Role changes: by platform admins, recorded, never one's own, company admins need a company.
    let set = |token: String, user: i64, role: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::PUT,
                &format!("/api/v1/admin/users/{user}/role"),
                &token,
                Some(json!({"role": role})),
            )
            .await
        }
    };
    assert_eq!(
        set(member.clone(), id, "platform_admin").await.status(),
        403
    );
    let resp = set(admin.clone(), id, "trainer").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["role"], "trainer");
    assert_eq!(app.get_json("/api/v1/me", &member).await["role"], "trainer");
    let changed = events(&app, &admin, "?kind=role_changed").await;
    assert_eq!(changed[0]["subject_id"], id);
    assert_eq!(changed[0]["detail"], "member -> trainer");
    let admin_id = app.get_json("/api/v1/me", &admin).await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(set(admin.clone(), admin_id, "member").await.status(), 409);
    assert_eq!(set(admin.clone(), id, "company_admin").await.status(), 400);
    assert_eq!(set(admin.clone(), id, "emperor").await.status(), 400);
    assert_eq!(set(admin.clone(), 999_999, "member").await.status(), 404);
}
on_both_databases!(platform_admins_read_the_security_log_and_change_roles);

#[tokio::test]
async fn the_reset_pages_lead_from_the_sign_in_form_to_a_new_password() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let (email, _) = signed_up(&app, "pages").await;
    let client = crate::helpers::browser();
    let login = crate::helpers::page_text(&client, &app, "/login").await;
    assert!(login.contains("href=\"/password/forgot\""));
    let page = crate::helpers::page_text(&client, &app, "/password/forgot").await;
    let csrf = hidden_csrf(&page);
    let resp = client
        .post(app.url("/password/forgot"))
        .form(&[("csrf", csrf.as_str()), ("email", email.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("id=\"reset-notice\""));
    let token = reset_token(&app, &email).await.unwrap();
    let form = client
        .get(app.url(&format!("/password/reset/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let csrf = hidden_csrf(&form.text().await.unwrap());
    let weak = client
        .post(app.url(&format!("/password/reset/{token}")))
        .form(&[("csrf", csrf.as_str()), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 400);
    let done = client
        .post(app.url(&format!("/password/reset/{token}")))
        .form(&[("csrf", csrf.as_str()), ("password", NEW_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("id=\"login-form\""));
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status(), 200);
    let used = client
        .get(app.url(&format!("/password/reset/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 409);
    let unknown = client
        .get(app.url(&format!("/password/reset/{}", "a".repeat(64))))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn registering_through_the_page_sends_the_verification_link() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let client = crate::helpers::browser();
    let page = crate::helpers::page_text(&client, &app, "/register").await;
    let csrf = hidden_csrf(&page);
    let email = unique_email("webby");
    let resp = client
        .post(app.url("/register"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("handle", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mail = entity::mail_outbox::Entity::find()
        .filter(entity::mail_outbox::Column::ToEmail.eq(email.as_str()))
        .filter(entity::mail_outbox::Column::Kind.eq("verification"))
        .one(&app.db)
        .await
        .unwrap();
    assert!(
        mail.is_some(),
        "no verification mail after registering through the page"
    );
}

#[tokio::test]
async fn the_security_log_page_is_for_platform_admins_only() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let (email, _) = signed_up(&app, "watched").await;
    assert_eq!(
        app.login(&email, "wrong password again").await.status(),
        401
    );
    let (admin_email, _) = app.account_with_role(Role::PlatformAdmin, None).await;
    let (admin, _) = crate::helpers::signed_in_client(&app, &admin_email).await;
    let page = admin.get(app.url("/admin/security")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"security-events\""));
    assert!(html.contains("sign_in_failed") && html.contains("wrong password"));
    let filtered =
        crate::helpers::page_text(&admin, &app, "/admin/security?kind=sign_in_failed").await;
    assert!(!filtered.contains("<td>sign_in</td>"));
    let bad = admin
        .get(app.url("/admin/security?kind=gossip"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let (member, _) = crate::helpers::signed_in_client(&app, &email).await;
    let refused = member.get(app.url("/admin/security")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}
