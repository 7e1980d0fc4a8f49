//! The leak test matrix: for every viewer (the asker, a colleague from the asker's company,
//! a member of another company, an individual, the asker's company admin, a trainer, a
//! platform admin, anonymous) and every kind of thread (community, not_my_company, coaches,
//! hidden), every place that can show content must show exactly what the policy allows and
//! answer 404 otherwise. Later features add their vectors here.

use chrono::Utc;
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::on_both_databases;
use sellerbase::domain::Role;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Asker,
    Colleague,
    Outsider,
    Individual,
    CompanyAdmin,
    Trainer,
    PlatformAdmin,
    Anonymous,
}

pub const VIEWERS: [Who; 8] = [
    Who::Asker,
    Who::Colleague,
    Who::Outsider,
    Who::Individual,
    Who::CompanyAdmin,
    Who::Trainer,
    Who::PlatformAdmin,
    Who::Anonymous,
];

/// Threads of the asker: (visibility, topic, tag, hidden by a moderator).
pub const THREADS: [(&str, &str, &str, bool); 4] = [
    ("community", "relationship", "tag-community", false),
    ("not_my_company", "negotiation", "tag-notmycompany", false),
    ("coaches", "closing", "tag-coaches", false),
    ("community", "follow_up", "tag-hidden", true),
];

/// Who may see which of `THREADS`.
pub fn expected(who: Who) -> [bool; 4] {
    match who {
        Who::Asker => [true, true, true, true],
        Who::Colleague => [true, false, false, false],
        Who::Outsider | Who::Individual => [true, true, false, false],
        Who::CompanyAdmin | Who::Anonymous => [false, false, false, false],
        Who::Trainer => [true, true, true, true],
        Who::PlatformAdmin => [true, true, false, true],
    }
}

pub struct World {
    pub tokens: Vec<(Who, Option<String>)>,
    pub asker_handle: String,
    pub thread_ids: Vec<i64>,
    pub titles: Vec<String>,
}

impl World {
    pub fn token(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, t)| t.as_deref())
    }
}

pub async fn company(app: &TestApp, name: &str) -> i64 {
    entity::organization::ActiveModel {
        name: Set(name.into()),
        slug: Set(format!(
            "{}-{:x}",
            name.to_lowercase(),
            sellerbase::services::tokens::random_u64()
        )),
        seat_count: Set(10),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

pub async fn build_world(app: &TestApp) -> World {
    let a = company(app, "Acme").await;
    let b = company(app, "Bolt").await;
    let asker = app.user_with_role(Role::Member, Some(a)).await;
    let mut tokens = vec![
        (
            Who::Colleague,
            Some(app.user_with_role(Role::Member, Some(a)).await),
        ),
        (
            Who::Outsider,
            Some(app.user_with_role(Role::Member, Some(b)).await),
        ),
        (
            Who::Individual,
            Some(app.user_with_role(Role::Member, None).await),
        ),
        (
            Who::CompanyAdmin,
            Some(app.user_with_role(Role::CompanyAdmin, Some(a)).await),
        ),
        (
            Who::Trainer,
            Some(app.user_with_role(Role::Trainer, None).await),
        ),
        (
            Who::PlatformAdmin,
            Some(app.user_with_role(Role::PlatformAdmin, None).await),
        ),
        (Who::Anonymous, None),
    ];
    let asker_handle = app.get_json("/api/v1/me", &asker).await["handle"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut thread_ids = Vec::new();
    let mut titles = Vec::new();
    for (i, (visibility, topic, tag, hidden)) in THREADS.iter().enumerate() {
        let title = format!("Verloren beim Abschluss Fall{i} zum Thema {topic}");
        let resp = app
            .call(
                Method::POST,
                "/api/v1/threads",
                &asker,
                Some(json!({
                    "title": title, "body": format!("Geheimer Inhalt {i}"), "topic": topic,
                    "language": "de", "visibility": visibility, "tags": [tag]
                })),
            )
            .await;
        assert_eq!(resp.status(), 201, "asking {visibility}");
        let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        if *hidden {
            let trainer = tokens
                .iter()
                .find(|(w, _)| *w == Who::Trainer)
                .unwrap()
                .1
                .clone()
                .unwrap();
            let resp = app
                .call(Method::POST, "/api/v1/moderation/actions", &trainer, Some(json!({
                    "target": "thread", "target_id": id, "action": "hide", "reason": "off-topic test"
                })))
                .await;
            assert_eq!(resp.status(), 204);
        }
        thread_ids.push(id);
        titles.push(title);
    }
    tokens.insert(0, (Who::Asker, Some(asker)));
    World {
        tokens,
        asker_handle,
        thread_ids,
        titles,
    }
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    match token {
        Some(t) => app.call(Method::GET, path, t, None).await,
        None => reqwest::Client::new()
            .get(app.url(path))
            .send()
            .await
            .unwrap(),
    }
}

fn ids_in(page: &Value) -> Vec<i64> {
    let items = page.get("items").unwrap_or(page);
    items
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn no_thread_leaks_through_any_listed_vector(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.mail.interval_ms = 3_600_000).await else {
        return;
    };
    let w = build_world(&app).await;
    let nonexistent = w.thread_ids.iter().max().unwrap() + 1000;
    app.wait_for_index().await;

    for who in VIEWERS {
        let token = w.token(who);
        let allowed = expected(who);
        let community_closed = matches!(who, Who::CompanyAdmin | Who::Anonymous);

        // Lists, counts and profiles: the viewer either may not browse at all, or sees exactly
        // the allowed threads.
        let list = get(&app, token, "/api/v1/threads?limit=50").await;
        let tags = get(&app, token, "/api/v1/tags").await;
        let topics = get(&app, token, "/api/v1/topics/counts").await;
        let profile = get(&app, token, &format!("/api/v1/users/{}", w.asker_handle)).await;
        if community_closed {
            assert!(matches!(list.status().as_u16(), 401 | 403), "{who:?}: list");
            assert!(matches!(tags.status().as_u16(), 401 | 403), "{who:?}: tags");
            assert!(
                matches!(topics.status().as_u16(), 401 | 403),
                "{who:?}: topics"
            );
            assert!(
                matches!(profile.status().as_u16(), 401 | 404),
                "{who:?}: profile"
            );
        } else {
            let listed = ids_in(&list.json::<Value>().await.unwrap());
            let tag_counts: Value = tags.json().await.unwrap();
            let topic_counts: Value = topics.json().await.unwrap();
            let profile: Value = profile.json().await.unwrap();
            let on_profile = ids_in(&profile["threads"]);
            for (i, (_, topic, tag, _)) in THREADS.iter().enumerate() {
                let id = w.thread_ids[i];
                let can = allowed[i];
                assert_eq!(listed.contains(&id), can, "{who:?} thread {i}: newest list");
                let tag_count = tag_counts
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["tag"] == *tag)
                    .map_or(0, |t| t["count"].as_i64().unwrap());
                assert_eq!(tag_count, i64::from(can), "{who:?} thread {i}: tag count");
                let topic_count = topic_counts
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["topic"] == *topic)
                    .unwrap()["count"]
                    .as_i64()
                    .unwrap();
                assert_eq!(
                    topic_count,
                    i64::from(can),
                    "{who:?} thread {i}: topic count"
                );
                let by_tag =
                    ids_in(&app_get_json(&app, token, &format!("/api/v1/threads?tag={tag}")).await);
                assert_eq!(by_tag.contains(&id), can, "{who:?} thread {i}: tag page");
                let by_topic = ids_in(
                    &app_get_json(&app, token, &format!("/api/v1/threads?topic={topic}")).await,
                );
                assert_eq!(
                    by_topic.contains(&id),
                    can,
                    "{who:?} thread {i}: topic page"
                );
                assert_eq!(
                    on_profile.contains(&id),
                    can,
                    "{who:?} thread {i}: profile activity"
                );
                let similar = ids_in(
                    &app_get_json(
                        &app,
                        token,
                        &format!("/api/v1/threads/similar?title=Verloren%20Abschluss%20Fall{i}"),
                    )
                    .await,
                );
                assert_eq!(
                    similar.contains(&id),
                    can,
                    "{who:?} thread {i}: similar questions"
                );
            }
        }

        // Search: results, totals, facets, suggestions and similar questions.
        app.wait_for_index().await;
        if token.is_none() {
            assert_eq!(
                get(&app, token, "/api/v1/search?q=Verloren").await.status(),
                401
            );
        } else {
            let found = app_get_json(
                &app,
                token,
                "/api/v1/search?q=Verloren%20Abschluss&per_page=50",
            )
            .await;
            let hits: Vec<i64> = found["hits"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|h| h["kind"] == "thread")
                .map(|h| h["id"].as_i64().unwrap())
                .collect();
            let visible = allowed.iter().filter(|a| **a).count() as i64;
            assert_eq!(
                found["total"].as_i64().unwrap(),
                visible,
                "{who:?}: search total counts only visible threads"
            );
            assert_eq!(
                found["facets"]["kind"]["thread"].as_i64().unwrap_or(0),
                visible,
                "{who:?}: search facets"
            );
            let text = found.to_string();
            for (i, id) in w.thread_ids.iter().enumerate() {
                assert_eq!(
                    hits.contains(id),
                    allowed[i],
                    "{who:?} thread {i}: search results"
                );
                if !allowed[i] {
                    assert!(
                        !text.contains(&format!("Geheimer Inhalt {i}")),
                        "{who:?} thread {i}: a snippet leaks"
                    );
                }
                let suggest = app_get_json(
                    &app,
                    token,
                    &format!("/api/v1/search/suggest?q=Verloren%20beim%20Abschluss%20Fall{i}"),
                )
                .await;
                let suggested = suggest
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["id"] == *id && s["kind"] == "thread");
                assert_eq!(suggested, allowed[i], "{who:?} thread {i}: autocomplete");
            }
            let page2 = app_get_json(
                &app,
                token,
                "/api/v1/search?q=Verloren%20Abschluss&per_page=1&page=2",
            )
            .await;
            assert_eq!(
                page2["total"].as_i64().unwrap(),
                visible,
                "{who:?}: pagination keeps the visible total"
            );
        }

        // Details and every action on an invisible thread answer exactly like a thread that
        // does not exist.
        for (i, id) in w.thread_ids.iter().enumerate() {
            let resp = get(&app, token, &format!("/api/v1/threads/{id}")).await;
            let status = resp.status().as_u16();
            if allowed[i] {
                assert_eq!(status, 200, "{who:?} thread {i}: detail");
                continue;
            }
            if token.is_none() {
                assert_eq!(status, 401, "anonymous thread {i}");
                continue;
            }
            let body = resp.text().await.unwrap();
            let missing = get(&app, token, &format!("/api/v1/threads/{nonexistent}"))
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(status, 404, "{who:?} thread {i}: detail must be 404");
            assert_eq!(
                body, missing,
                "{who:?} thread {i}: the 404 is the same as for a thread that never existed"
            );
            let t = token.unwrap();
            let answer = app
                .call(
                    Method::POST,
                    &format!("/api/v1/threads/{id}/answers"),
                    t,
                    Some(json!({"body": "x"})),
                )
                .await;
            assert!(
                matches!(answer.status().as_u16(), 403 | 404),
                "{who:?} thread {i}: answering"
            );
            let flag = app
                .call(
                    Method::POST,
                    "/api/v1/flags",
                    t,
                    Some(json!({"target": "thread", "target_id": id, "reason": "spam spam"})),
                )
                .await;
            assert_eq!(flag.status(), 404, "{who:?} thread {i}: flagging");
            let accept = app
                .call(
                    Method::POST,
                    &format!("/api/v1/threads/{id}/accept"),
                    t,
                    Some(json!({"answer_id": 1})),
                )
                .await;
            assert!(
                matches!(accept.status().as_u16(), 403 | 404),
                "{who:?} thread {i}: accepting"
            );
        }
    }
}
on_both_databases!(no_thread_leaks_through_any_listed_vector);

async fn app_get_json(app: &TestApp, token: Option<&str>, path: &str) -> Value {
    let resp = get(app, token, path).await;
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.json().await.unwrap()
}

async fn notifications_and_emails_reach_only_people_who_may_see_the_thread(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| s.mail.interval_ms = 3_600_000).await else {
        return;
    };
    let w = build_world(&app).await;
    let asker = w.token(Who::Asker).unwrap();
    let outsider = w.token(Who::Outsider).unwrap();
    let colleague = w.token(Who::Colleague).unwrap();
    let trainer = w.token(Who::Trainer).unwrap();
    let (community, not_my_company, coaches) = (w.thread_ids[0], w.thread_ids[1], w.thread_ids[2]);

    // The outsider answers the not_my_company question; the asker is told.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{not_my_company}/answers"),
            outsider,
            Some(json!({"body": "Fragen Sie nach dem Maßstab."})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let outsider_answer = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // A coach answers the coach question.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{coaches}/answers"),
            trainer,
            Some(json!({"body": "Coach-Antwort"})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    // The colleague answers the community question; then a moderator hides that thread and
    // the asker comments on the colleague's answer: the colleague can no longer see the thread
    // and must not be notified.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{community}/answers"),
            colleague,
            Some(json!({"body": "Kollegenantwort"})),
        )
        .await;
    let colleague_answer = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.call(Method::POST, "/api/v1/moderation/actions", trainer, Some(json!({"target": "thread", "target_id": community, "action": "hide", "reason": "test hide"}))).await;
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/answers/{colleague_answer}/comments"),
            asker,
            Some(json!({"body": "Danke!"})),
        )
        .await;
    assert_eq!(resp.status(), 201);

    let mine = app_get_json(&app, Some(asker), "/api/v1/notifications").await;
    let kinds: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"answer") && kinds.contains(&"coach_reply"),
        "{kinds:?}"
    );
    assert!(mine["unread"].as_u64().unwrap() >= 2);
    let colleague_notes = app_get_json(&app, Some(colleague), "/api/v1/notifications").await;
    assert_eq!(
        colleague_notes["unread"], 0,
        "no notification about a thread the colleague cannot see"
    );
    assert!(
        colleague_notes["items"].as_array().unwrap().is_empty(),
        "{colleague_notes}"
    );

    // The asker accepts the outsider's answer: the outsider is told.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{not_my_company}/accept"),
            asker,
            Some(json!({"answer_id": outsider_answer})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    let theirs = app_get_json(&app, Some(outsider), "/api/v1/notifications").await;
    assert_eq!(theirs["items"][0]["kind"], "accepted");

    // A queued e-mail about a thread that becomes invisible before delivery is dropped;
    // delivered e-mails carry no content of the conversation.
    app.call(Method::POST, "/api/v1/moderation/actions", trainer, Some(json!({"target": "thread", "target_id": not_my_company, "action": "hide", "reason": "test hide"}))).await;
    let dir = tempfile::tempdir().unwrap();
    let transport = sellerbase::services::mail::Transport::Folder(dir.path().to_path_buf());
    sellerbase::services::mail::deliver_pending(&app.db, &transport, "sb <no-reply@example.com>")
        .await
        .unwrap();
    let mails: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!mails.is_empty(), "some mail was delivered");
    for mail in &mails {
        for secret in w.titles.iter().map(String::as_str).chain([
            "Geheimer Inhalt",
            "Maßstab",
            "Coach-Antwort",
            "Danke",
        ]) {
            assert!(
                !mail.contains(secret),
                "an e-mail leaks {secret:?}:\n{mail}"
            );
        }
    }
    let to_outsider = mails.iter().filter(|m| m.contains("accepted")).count();
    assert_eq!(
        to_outsider, 0,
        "the mail about the hidden thread was dropped at delivery"
    );

    // Reading notifications marks them read.
    let resp = app
        .call(
            Method::POST,
            "/api/v1/notifications/read",
            asker,
            Some(json!({})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(
        app_get_json(&app, Some(asker), "/api/v1/notifications").await["unread"],
        0
    );
}
on_both_databases!(notifications_and_emails_reach_only_people_who_may_see_the_thread);
