//! The page extractors: `SignedIn` sends anybody not signed in to the sign-in page and back,
//! `CsrfForm` refuses a form without the page's anti-CSRF value before anything changes.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::Backend;
use crate::helpers::{PASSWORD, TestApp, browser, signed_in_client, spawn_app, unique_email};

const CSRF_DE: &str = "Das Formular ist abgelaufen.";

async fn user_row(app: &TestApp, email: &str) -> entity::user::Model {
    entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn pages_without_a_session_go_to_sign_in_and_come_back() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let client = browser();
    for path in [
        "/learning",
        "/review",
        "/paths",
        "/paths/some-path",
        "/lessons",
        "/lessons/some-lesson",
        "/threads",
        "/threads/new",
        "/threads/1",
        "/answers/1/edit",
        "/tags",
        "/u/someone",
        "/search",
        "/settings",
        "/settings/export",
        "/notifications",
        "/coach",
        "/moderation",
        "/company",
        "/company/progress.csv",
        "/trainer/lessons",
        "/trainer/lessons/new",
        "/trainer/lessons/1/edit",
        "/trainer/lessons/1/stats",
        "/admin/companies",
    ] {
        let resp = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 303, "GET {path}");
        assert_eq!(
            resp.headers()["location"],
            format!("/login?next={path}").as_str(),
            "GET {path}"
        );
    }
    // Sign-in is asked before the form is looked at, as it was.
    let resp = client
        .post(app.url("/threads"))
        .form(&[("csrf", "x".repeat(64).as_str()), ("title", "t")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/login?next=/threads");
}

#[tokio::test]
async fn a_form_with_a_wrong_or_missing_csrf_is_refused_and_changes_nothing() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let email = unique_email("careful");
    app.register(&email, PASSWORD).await;
    let (client, csrf) = signed_in_client(&app, &email).await;
    let before = user_row(&app, &email).await;
    let wrong = "0".repeat(64);
    for sent in [Some(wrong.as_str()), Some(""), None] {
        let mut form = vec![
            ("handle", before.handle.as_str()),
            ("display_name", "Neuer Name"),
        ];
        if let Some(sent) = sent {
            form.push(("csrf", sent));
        }
        let resp = client
            .post(app.url("/settings"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "csrf {sent:?}");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = resp.text().await.unwrap();
        assert!(html.contains(CSRF_DE), "the CSRF page, got {html}");
        assert!(html.contains("<header class=\"top\">"), "in the layout");
        assert_eq!(
            user_row(&app, &email).await.display_name,
            before.display_name,
            "nothing changed (csrf {sent:?})"
        );
    }
    // Forms with repeated names (checkbox groups) are checked the same way.
    let resp = client
        .post(app.url("/review/1/q1"))
        .form(&[("csrf", wrong.as_str()), ("option", "0"), ("option", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.text().await.unwrap().contains(CSRF_DE));

    // The page's own value goes through.
    let resp = client
        .post(app.url("/settings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("handle", before.handle.as_str()),
            ("display_name", "Neuer Name"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        user_row(&app, &email).await.display_name.as_deref(),
        Some("Neuer Name")
    );
}
