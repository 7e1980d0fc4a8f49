//! Stored XSS: the common payloads in every user-text field are stored and shown as text, never
//! as markup that runs.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, spawn_app};
use sellerbase::domain::Role;

const PAYLOADS: [&str; 5] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "\"><iframe src=javascript:alert(1)>",
    "[link](javascript:alert(1))",
];

fn dangerous(html: &str) -> Option<&'static str> {
    let lower = html.to_lowercase();
    [
        "<script>alert",
        "<img src=x onerror",
        "<svg onload",
        "<iframe src=javascript",
        "href=\"javascript:",
    ]
    .into_iter()
    .find(|p| lower.contains(p))
}

#[tokio::test]
async fn the_common_payloads_never_survive_rendering_in_any_field() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let org = crate::leaks::company(&app, "Xss").await;
    let member = app.user_with_role(Role::Member, Some(org)).await;
    let (author, reviewer) = (app.trainer().await, app.trainer().await);
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let payload = PAYLOADS.join(" ");
    let resp = app
        .call(
            Method::PUT,
            "/api/v1/me/profile",
            &member,
            Some(json!({"display_name": cut(&payload, 100), "show_name": true})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let title = format!("Frage {}", cut(&payload, 150));
    let resp = app.call(Method::POST, "/api/v1/threads", &member, Some(json!({"title": title, "body": payload, "topic": "closing", "language": "de", "visibility": "community"}))).await;
    assert_eq!(resp.status(), 201);
    let thread = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let helper = app.member().await;
    let answer = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{thread}/answers"),
            &helper,
            Some(json!({"body": payload})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/answers/{answer}/comments"),
        &member,
        Some(json!({"body": payload})),
    )
    .await;
    let lesson = json!({
        "title": cut(&payload, 150), "summary": cut(&payload, 200), "body": payload, "topic": "closing", "language": "de",
        "takeaways": [cut(&payload, 200)],
        "check": [{"question": cut(&payload, 150), "kind": "single", "options": [{"text": PAYLOADS[0], "correct": true, "explanation": PAYLOADS[1]}, {"text": PAYLOADS[2], "correct": false}]}]
    });
    let resp = app
        .call(Method::POST, "/api/v1/lessons", &author, Some(lesson))
        .await;
    assert_eq!(resp.status(), 201);
    let lesson_id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{lesson_id}/submit"),
        &author,
        None,
    )
    .await;
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{lesson_id}/publish"),
        &reviewer,
        None,
    )
    .await;
    let slug = app
        .get_json(&format!("/api/v1/lessons/{lesson_id}"), &member)
        .await["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let csv = format!("xss@x.example,\"{}\",\n", PAYLOADS[1]);
    app.call(
        Method::POST,
        "/api/v1/company/invitations/csv",
        &admin,
        Some(json!({"csv": csv})),
    )
    .await;
    app.call(
        Method::PUT,
        &format!("/api/v1/lessons/{lesson_id}/rating"),
        &member,
        Some(json!({"stars": 3, "feedback": payload})),
    )
    .await;
    app.wait_for_index().await;

    pages_as(
        &app,
        &member,
        vec![
            format!("/threads/{thread}"),
            "/threads".into(),
            format!("/lessons/{slug}"),
            "/lessons".into(),
            "/learning".into(),
            "/notifications".into(),
            "/search?q=Frage".into(),
            "/settings".into(),
        ],
    )
    .await;
    pages_as(
        &app,
        &author,
        vec![
            format!("/trainer/lessons/{lesson_id}/edit"),
            format!("/trainer/lessons/{lesson_id}/stats"),
            "/trainer/lessons".into(),
        ],
    )
    .await;
    pages_as(&app, &admin, vec!["/company".into()]).await;
    let api = app
        .get_json(&format!("/api/v1/threads/{thread}"), &member)
        .await;
    for html in [
        api["body_html"].as_str().unwrap(),
        api["answers"][0]["body_html"].as_str().unwrap(),
    ] {
        assert!(dangerous(html).is_none(), "{html}");
    }
    let search = app.get_json("/api/v1/search?q=Frage", &member).await;
    for hit in search["hits"].as_array().unwrap() {
        assert!(
            dangerous(hit["snippet_html"].as_str().unwrap()).is_none(),
            "{hit}"
        );
    }
}

async fn pages_as(app: &crate::helpers::TestApp, token: &str, paths: Vec<String>) {
    let me = app.get_json("/api/v1/me", token).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = login.find(marker).unwrap() + marker.len();
    let csrf = login[start..start + 64].to_owned();
    client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", me.as_str()),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    for path in paths {
        let html = client
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if let Some(found) = dangerous(&html) {
            panic!("{path} renders {found:?} as markup");
        }
        assert!(!html.contains("id=\"login-form\""), "{path}: not signed in");
    }
}

fn cut(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
