//! Lesson review with its notifications, and the notifications members get about reports and
//! assigned learning.

use reqwest::Method;
use serde_json::{Value, json};

use crate::community::ask;
use crate::helpers::{Backend, TestApp, error_code, page_text, signed_in_client, spawn_app};
use crate::lessons::{lesson_body, published_lesson};
use crate::on_both_databases;
use sellerbase::domain::Role;

async fn kinds(app: &TestApp, token: &str) -> Vec<(String, Value)> {
    app.get_json("/api/v1/notifications", token).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap().to_owned(), n.clone()))
        .collect()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> reqwest::Response {
    app.call(Method::POST, path, token, body).await
}

async fn a_review_tells_each_side_and_a_request_for_changes_needs_a_comment(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author_email, author) = app.account_with_role(Role::Trainer, None).await;
    let (reviewer_email, reviewer) = app.account_with_role(Role::Trainer, None).await;
    let admin = app.user_with_role(Role::PlatformAdmin, None).await;
    let member = app.member().await;
    let resp = post(
        &app,
        &author,
        "/api/v1/lessons",
        Some(lesson_body("Nachfassen mit Plan")),
    )
    .await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let submit = format!("/api/v1/lessons/{id}/submit");
    assert_eq!(post(&app, &author, &submit, None).await.status(), 200);

    for (who, token) in [("reviewer", &reviewer), ("platform admin", &admin)] {
        let notes = kinds(&app, token).await;
        let (_, n) = notes
            .iter()
            .find(|(k, _)| k == "review_requested")
            .unwrap_or_else(|| panic!("{who} is asked to review"));
        assert_eq!(n["lesson_id"], id);
        assert_eq!(n["lesson_title"], "Nachfassen mit Plan");
    }
    assert!(
        kinds(&app, &author).await.is_empty(),
        "not told about one's own step"
    );
    assert!(
        kinds(&app, &member).await.is_empty(),
        "members never hear of drafts"
    );

    // The editor offers what the state allows: the author may not publish their own lesson.
    let (as_author, _) = signed_in_client(&app, &author_email).await;
    let (as_reviewer, _) = signed_in_client(&app, &reviewer_email).await;
    let editor = format!("/trainer/lessons/{id}/edit");
    let page = page_text(&as_author, &app, &editor).await;
    assert!(
        !page.contains("id=\"action-publish\"") && !page.contains("id=\"action-request-changes\"")
    );
    assert!(page.contains("id=\"action-archive\"") && !page.contains("id=\"action-submit\""));
    let page = page_text(&as_reviewer, &app, &editor).await;
    assert!(page.contains("id=\"action-publish\"") && page.contains("id=\"review-comment\""));

    // A request for changes needs a comment; the author may not send back their own lesson.
    let changes = format!("/api/v1/lessons/{id}/request-changes");
    for (token, body, status, what) in [
        (&reviewer, json!({"comment": "  "}), 400, "an empty comment"),
        (
            &reviewer,
            json!({"comment": "ok"}),
            400,
            "a comment under 3 characters",
        ),
        (
            &reviewer,
            json!({"comment": "x".repeat(2001)}),
            400,
            "a comment over 2,000 characters",
        ),
        (&reviewer, json!({}), 400, "no comment"),
        (
            &author,
            json!({"comment": "Selbst zurück"}),
            403,
            "the author",
        ),
        (&member, json!({"comment": "Mitglied"}), 403, "a member"),
    ] {
        let (got, _, message) = error_code(post(&app, token, &changes, Some(body)).await).await;
        assert_eq!(got, status, "{what}: {message}");
    }
    let comment = "Bitte ein Beispiel für den zweiten Anruf ergänzen.";
    let resp = post(&app, &reviewer, &changes, Some(json!({"comment": comment}))).await;
    assert_eq!(resp.status(), 200);
    let notes = kinds(&app, &author).await;
    assert!(
        notes
            .iter()
            .any(|(k, n)| k == "changes_requested" && n["lesson_id"] == id)
    );
    let page = page_text(&as_author, &app, &editor).await;
    assert!(
        page.contains("id=\"change-request\"") && page.contains(comment),
        "the author reads why"
    );
    assert!(page.contains("id=\"action-submit\"") && !page.contains("id=\"action-publish\""));

    // Resubmitted and published: the author is told, the comment is gone from the editor.
    assert_eq!(post(&app, &author, &submit, None).await.status(), 200);
    let publish = format!("/api/v1/lessons/{id}/publish");
    assert_eq!(post(&app, &reviewer, &publish, None).await.status(), 200);
    assert!(
        kinds(&app, &author)
            .await
            .iter()
            .any(|(k, _)| k == "lesson_published")
    );
    let page = page_text(&as_author, &app, &editor).await;
    assert!(!page.contains("id=\"change-request\""));

    // Someone who is no longer a trainer no longer sees lesson work.
    let reviewer_id = app.get_json("/api/v1/me", &reviewer).await["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .call(
            Method::PUT,
            &format!("/api/v1/admin/users/{reviewer_id}/role"),
            &admin,
            Some(json!({"role": "member"})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let notes = kinds(&app, &reviewer).await;
    assert!(
        notes.iter().all(|(_, n)| n["lesson_id"].is_null()),
        "{notes:?}"
    );
}
on_both_databases!(a_review_tells_each_side_and_a_request_for_changes_needs_a_comment);

async fn reporters_and_assigned_members_are_told(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (reporter, asker, trainer) = (app.member().await, app.member().await, app.trainer().await);
    let kept = ask(
        &app,
        &asker,
        "Darf ich beim Kunden privat anrufen?",
        "community",
    )
    .await;
    let hidden = ask(
        &app,
        &asker,
        "Werbung für mein eigenes Produkt hier",
        "community",
    )
    .await;
    for t in [kept, hidden] {
        let resp = post(
            &app,
            &reporter,
            "/api/v1/flags",
            Some(json!({"target": "thread", "target_id": t, "reason": "gehört nicht hierher"})),
        )
        .await;
        assert_eq!(resp.status(), 204);
    }
    for (t, action) in [(kept, "dismiss"), (hidden, "hide")] {
        let resp = post(
            &app,
            &trainer,
            "/api/v1/moderation/actions",
            Some(
                json!({"target": "thread", "target_id": t, "action": action, "reason": "geprüft"}),
            ),
        )
        .await;
        assert_eq!(resp.status(), 204);
    }
    let notes = kinds(&app, &reporter).await;
    let resolved: Vec<&Value> = notes
        .iter()
        .filter(|(k, _)| k == "report_resolved")
        .map(|(_, n)| n)
        .collect();
    assert_eq!(
        resolved.len(),
        1,
        "told about the report on the thread they still see: {notes:?}"
    );
    assert_eq!(resolved[0]["thread_id"], kept);

    // A company assigns a lesson: the member is told.
    let reviewer = app.trainer().await;
    let lesson = published_lesson(&app, &trainer, &reviewer, "Einwand Zeit").await;
    let org = crate::leaks::company(&app, "Nordwind").await;
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let seller = app.user_with_role(Role::Member, Some(org)).await;
    let seller_id = app.get_json("/api/v1/me", &seller).await["id"]
        .as_i64()
        .unwrap();
    let due = (chrono::Utc::now().date_naive() + chrono::Duration::days(7)).to_string();
    let resp = post(
        &app,
        &admin,
        "/api/v1/company/assignments",
        Some(json!({"lesson_id": lesson, "user_ids": [seller_id], "due_on": due})),
    )
    .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert!(
        kinds(&app, &seller)
            .await
            .iter()
            .any(|(k, _)| k == "assigned")
    );
}
on_both_databases!(reporters_and_assigned_members_are_told);
