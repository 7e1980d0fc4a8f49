//! Lessons through the API: the review workflow, what members see, and bad input.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, spawn_app};
use crate::on_both_databases;

pub fn lesson_body(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "Wie Sie den Preiseinwand in ein Wertgespräch verwandeln.",
        "body": "## Die Situation\n\nDer Kunde sagt **zu teuer**.<script>alert('x')</script>\n\n[klick](javascript:alert(1))",
        "topic": "negotiation",
        "language": "de",
        "tags": ["Preis", "einwand"],
        "takeaways": ["Erst fragen, dann antworten"],
        "check": [
            {"question": "Was tun Sie zuerst?", "kind": "single", "options": [
                {"text": "Rabatt geben", "correct": false, "explanation": "Zu früh."},
                {"text": "Nachfragen", "correct": true, "explanation": "Erst verstehen."}
            ]},
            {"question": "Was hilft?", "kind": "multiple", "options": [
                {"text": "Nutzen zeigen", "correct": true, "explanation": "Ja."},
                {"text": "Kosten des Nichtstuns", "correct": true, "explanation": "Ja."},
                {"text": "Schweigen", "correct": false, "explanation": "Nein."}
            ]}
        ]
    })
}

/// Creates a lesson as `author` and has `reviewer` publish it; returns its id.
pub async fn published_lesson(app: &TestApp, author: &str, reviewer: &str, title: &str) -> i64 {
    let resp = app
        .call(
            Method::POST,
            "/api/v1/lessons",
            author,
            Some(lesson_body(title)),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{id}/submit"),
            author,
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{id}/publish"),
            reviewer,
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    id
}

async fn a_lesson_goes_through_review_and_members_see_only_published_revisions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer, member) = (app.trainer().await, app.trainer().await, app.member().await);

    let resp = app
        .call(
            Method::POST,
            "/api/v1/lessons",
            &author,
            Some(lesson_body("Zu teuer? Gut so.")),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let draft: Value = resp.json().await.unwrap();
    let id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["slug"], "zu-teuer-gut-so");
    assert_eq!(draft["tags"], json!(["preis", "einwand"]));

    let path = format!("/api/v1/lessons/{id}");
    let (status, _, _) = error_code(app.call(Method::GET, &path, &member, None).await).await;
    assert_eq!(status, 404, "a draft does not exist for members");
    let list = app.get_json("/api/v1/lessons", &member).await;
    assert!(list.as_array().unwrap().is_empty(), "drafts are not listed");

    app.call(Method::POST, &format!("{path}/submit"), &author, None)
        .await;
    let (status, code, _) = error_code(
        app.call(Method::POST, &format!("{path}/publish"), &author, None)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (403, "forbidden"),
        "nobody approves their own lesson"
    );
    let (status, _, _) = error_code(
        app.call(Method::POST, &format!("{path}/publish"), &member, None)
            .await,
    )
    .await;
    assert_eq!(status, 403, "members cannot publish");
    let resp = app
        .call(Method::POST, &format!("{path}/publish"), &reviewer, None)
        .await;
    assert_eq!(resp.status(), 200);
    let (status, code, _) = error_code(
        app.call(Method::POST, &format!("{path}/publish"), &reviewer, None)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (409, "conflict"),
        "only lessons in review can be published"
    );

    let seen = app.get_json(&path, &member).await;
    assert_eq!(seen["revision"], 1);
    let html = seen["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>zu teuer</strong>"));
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "sanitised: {html}"
    );
    assert!(seen["check"][0].get("options").is_some());
    assert!(
        !seen.to_string().contains("\"correct\""),
        "the check is sent without its answers"
    );
    let by_slug = app
        .get_json("/api/v1/lessons/zu-teuer-gut-so", &member)
        .await;
    assert_eq!(by_slug["id"], id);

    // An edit is a new working copy; members keep the published revision until it is reviewed.
    let mut changed = lesson_body("Zu teuer? Gut so.");
    changed["summary"] = json!("Neue Fassung");
    let resp = app.call(Method::PUT, &path, &author, Some(changed)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "draft");
    assert_ne!(
        app.get_json(&path, &member).await["summary"],
        "Neue Fassung"
    );
    app.call(Method::POST, &format!("{path}/submit"), &author, None)
        .await;
    app.call(Method::POST, &format!("{path}/publish"), &reviewer, None)
        .await;
    let seen = app.get_json(&path, &member).await;
    assert_eq!(
        (seen["revision"].as_i64(), seen["summary"].as_str()),
        (Some(2), Some("Neue Fassung"))
    );
    let revisions = app.get_json(&format!("{path}/revisions"), &author).await;
    assert_eq!(
        revisions.as_array().unwrap().len(),
        2,
        "every published revision is kept"
    );

    let resp = app
        .call(Method::POST, &format!("{path}/archive"), &reviewer, None)
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        app.call(Method::GET, &path, &member, None).await.status(),
        404,
        "archived lessons are gone for members"
    );
}
on_both_databases!(a_lesson_goes_through_review_and_members_see_only_published_revisions);

async fn bad_lesson_input_is_refused_and_nothing_is_stored(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (trainer, member) = (app.trainer().await, app.member().await);
    let change = |f: &dyn Fn(&mut Value)| {
        let mut body = lesson_body("Titel");
        f(&mut body);
        body
    };
    let cases = [
        (
            change(&|b| b["topic"] = json!("haggling")),
            400,
            "unknown topic",
        ),
        (
            change(&|b| b["body"] = json!("   ")),
            400,
            "body must not be empty",
        ),
        (
            change(&|b| b["check"][0]["options"][1]["correct"] = json!(false)),
            400,
            "no correct option",
        ),
        (
            change(&|b| b["check"][0]["kind"] = json!("essay")),
            400,
            "single or multiple",
        ),
        (change(&|b| b["language"] = json!("fr")), 400, "de or en"),
        (
            change(&|b| b["body"] = json!("wort ".repeat(3200))),
            400,
            "split it",
        ),
        (
            change(&|b| b["title"] = json!("x".repeat(201))),
            400,
            "title",
        ),
    ];
    for (body, expected, text) in cases {
        let (status, _, message) = error_code(
            app.call(Method::POST, "/api/v1/lessons", &trainer, Some(body))
                .await,
        )
        .await;
        assert_eq!(status, expected, "{text}: {message}");
        assert!(message.contains(text), "expected {text:?} in {message:?}");
    }
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            "/api/v1/lessons",
            &member,
            Some(lesson_body("Ich darf nicht")),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "members do not write lessons");
    let all = app.get_json("/api/v1/trainer/lessons", &trainer).await;
    assert!(
        all.as_array().unwrap().is_empty(),
        "nothing was stored: {all}"
    );

    let id = published_lesson(&app, &trainer, &app.trainer().await, "Gültig").await;
    let (status, _, _) = error_code(
        app.call(
            Method::PUT,
            &format!("/api/v1/lessons/{id}"),
            &member,
            Some(lesson_body("Gekapert")),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "members cannot edit");
    for stars in [0, 6] {
        let resp = app
            .call(
                Method::PUT,
                &format!("/api/v1/lessons/{id}/rating"),
                &member,
                Some(json!({"stars": stars})),
            )
            .await;
        let (status, _, _) = error_code(resp).await;
        assert_eq!(status, 400, "{stars} stars");
    }
    let draft = app
        .call(
            Method::POST,
            "/api/v1/lessons",
            &trainer,
            Some(lesson_body("Entwurf")),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{}/complete", draft["id"]),
            &member,
            None,
        )
        .await;
    assert_eq!(
        resp.status(),
        404,
        "an unpublished lesson cannot be completed"
    );
    let mine = app.get_json("/api/v1/me/learning", &member).await;
    assert!(mine["completed"].as_array().unwrap().is_empty());
}
on_both_databases!(bad_lesson_input_is_refused_and_nothing_is_stored);

#[tokio::test]
async fn the_editor_preview_renders_safely_and_warns_about_long_lessons() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let trainer = app.trainer().await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/lessons/preview",
            &trainer,
            Some(json!({"body": "# Hi <img src=x onerror=alert(1)>"})),
        )
        .await;
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["html"].as_str().unwrap().contains("<h1>")
            && !v["html"].as_str().unwrap().contains("onerror")
    );
    let long = app
        .call(
            Method::POST,
            "/api/v1/lessons/preview",
            &trainer,
            Some(json!({"body": "wort ".repeat(2300)})),
        )
        .await;
    let v: Value = long.json().await.unwrap();
    assert_eq!(v["reading_minutes"], 12);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 1);
    let member = app.member().await;
    assert_eq!(
        app.call(
            Method::POST,
            "/api/v1/lessons/preview",
            &member,
            Some(json!({"body": "x"}))
        )
        .await
        .status(),
        403
    );
}

async fn related_lessons_share_the_topic_or_tags_and_never_the_lesson_itself(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    let member = app.member().await;
    let all = app.get_json("/api/v1/lessons", &member).await;
    let all = all.as_array().unwrap().clone();
    assert!(all.len() >= 20);
    let mut with_related = 0;
    for lesson in &all {
        let slug = lesson["slug"].as_str().unwrap();
        let related = app
            .get_json(&format!("/api/v1/lessons/{slug}/related"), &member)
            .await;
        let related = related.as_array().unwrap();
        assert!(related.len() <= 5);
        let tags = |v: &serde_json::Value| -> Vec<String> {
            v["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned())
                .collect()
        };
        let mine = tags(lesson);
        let mut previous = usize::MAX;
        for other in related {
            assert_ne!(
                other["id"], lesson["id"],
                "a lesson is not related to itself"
            );
            let shared = tags(other).iter().filter(|t| mine.contains(t)).count();
            let score = shared * 2
                + usize::from(other["topic"] == lesson["topic"]) * 3
                + usize::from(other["language"] == lesson["language"]);
            assert!(score >= 3, "{slug}: {} is not related", other["slug"]);
            assert!(
                score <= previous,
                "{slug}: related lessons are ordered by closeness"
            );
            previous = score;
        }
        with_related += usize::from(!related.is_empty());
    }
    assert!(
        with_related >= all.len() / 2,
        "most starter lessons have related ones"
    );
}
on_both_databases!(related_lessons_share_the_topic_or_tags_and_never_the_lesson_itself);
