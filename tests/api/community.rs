//! The Q&A through the API: asking, answering, votes, accepting, editing, comments, the coach
//! queue, moderation, pagination, and bad input.

use reqwest::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, spawn_app};
use crate::on_both_databases;

pub async fn ask(app: &TestApp, token: &str, title: &str, visibility: &str) -> i64 {
    let resp = app
        .call(
            Method::POST,
            "/api/v1/threads",
            token,
            Some(json!({
                "title": title, "body": "Mein Kunde sagt **zu teuer**.", "topic": "negotiation",
                "language": "de", "visibility": visibility, "tags": ["Preis", "einwand"]
            })),
        )
        .await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

pub async fn answer(app: &TestApp, token: &str, thread: i64, body: &str) -> i64 {
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{thread}/answers"),
            token,
            Some(json!({"body": body})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn vote(app: &TestApp, token: &str, id: i64) -> reqwest::Response {
    app.call(
        Method::PUT,
        &format!("/api/v1/answers/{id}/helpful"),
        token,
        None,
    )
    .await
}

async fn answers_are_voted_accepted_and_ordered(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (asker, a, b, c) = (
        app.member().await,
        app.member().await,
        app.member().await,
        app.member().await,
    );
    let t = ask(&app, &asker, "Wie reagiere ich auf zu teuer?", "community").await;
    let first = answer(&app, &a, t, "Erste Antwort").await;
    let second = answer(&app, &b, t, "Zweite Antwort").await;
    let third = answer(&app, &c, t, "Dritte Antwort").await;

    assert_eq!(vote(&app, &asker, second).await.status(), 200);
    assert_eq!(vote(&app, &a, second).await.status(), 200);
    let (status, code, message) = error_code(vote(&app, &a, second).await).await;
    assert_eq!(
        (status, code.as_str()),
        (409, "conflict"),
        "voting twice: {message}"
    );
    let (status, _, message) = error_code(vote(&app, &b, second).await).await;
    assert_eq!(status, 403, "voting on one's own answer: {message}");

    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &asker).await;
    let order: Vec<i64> = detail["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![second, first, third],
        "most helpful first, then oldest"
    );
    assert_eq!(detail["answer_count"], 3);

    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{t}/accept"),
            &a,
            Some(json!({"answer_id": third})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "accepting in someone else's thread");
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{t}/accept"),
            &asker,
            Some(json!({"answer_id": third})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &asker).await;
    assert_eq!(
        detail["answers"][0]["id"], third,
        "the accepted answer comes first"
    );
    assert_eq!(detail["status"], "answered");
    let other = ask(&app, &a, "Noch eine Frage zum Preis", "community").await;
    let foreign = answer(&app, &b, other, "Antwort dort").await;
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{t}/accept"),
            &asker,
            Some(json!({"answer_id": foreign})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "an answer of another thread");

    let unanswered = app
        .get_json("/api/v1/threads?list=unanswered", &asker)
        .await;
    assert!(
        unanswered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["answer_count"] == 0)
    );
    let mine = app.get_json("/api/v1/threads?list=mine", &asker).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
}
on_both_databases!(answers_are_voted_accepted_and_ordered);

async fn answers_keep_their_history_and_take_comments(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (asker, helper, stranger) = (app.member().await, app.member().await, app.member().await);
    let t = ask(&app, &asker, "Was tun bei keine Zeit?", "community").await;
    let a = answer(&app, &helper, t, "Erste Fassung").await;
    let (status, _, _) = error_code(
        app.call(
            Method::PUT,
            &format!("/api/v1/answers/{a}"),
            &stranger,
            Some(json!({"body": "Fremd"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "only the author edits");
    assert_eq!(
        app.call(
            Method::PUT,
            &format!("/api/v1/answers/{a}"),
            &helper,
            Some(json!({"body": "Zweite Fassung"}))
        )
        .await
        .status(),
        204
    );
    let history = app
        .get_json(&format!("/api/v1/answers/{a}/history"), &helper)
        .await;
    assert_eq!(history[0]["body"], "Erste Fassung");
    assert_eq!(history[0]["replaced_by"], "author");
    let resp = app
        .call(
            Method::GET,
            &format!("/api/v1/answers/{a}/history"),
            &asker,
            None,
        )
        .await;
    assert_eq!(
        resp.status(),
        404,
        "earlier versions are the author's and the moderators'"
    );
    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &asker).await;
    assert_eq!(detail["answers"][0]["body"], "Zweite Fassung");
    assert_eq!(detail["answers"][0]["edited"], true);

    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/answers/{a}/comments"),
            &asker,
            Some(json!({"body": "Danke, hilft!"}))
        )
        .await
        .status(),
        201
    );
    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &asker).await;
    assert_eq!(detail["answers"][0]["comments"][0]["body"], "Danke, hilft!");
}
on_both_databases!(answers_keep_their_history_and_take_comments);

async fn bad_community_input_is_refused_and_nothing_half_written(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let asker = app.member().await;
    let base = json!({"title": "Eine gute Frage zum Preis", "body": "Text", "topic": "negotiation", "language": "de", "visibility": "community", "tags": []});
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    let cases = [
        (with("title", json!("")), "title must not be empty"),
        (with("title", json!("kurz")), "at least 8"),
        (with("title", json!("x".repeat(201))), "title"),
        (with("body", json!("   ")), "body must not be empty"),
        (with("body", json!("x".repeat(20_001))), "body"),
        (with("topic", json!("haggling")), "unknown topic"),
        (with("visibility", json!("public")), "visibility"),
        (with("tags", json!(["<script>"])), "tag"),
        (with("tags", json!(["a", "b", "c", "d", "e", "f"])), "tags"),
    ];
    for (body, text) in cases {
        let (status, _, message) = error_code(
            app.call(Method::POST, "/api/v1/threads", &asker, Some(body))
                .await,
        )
        .await;
        assert_eq!(status, 400, "{text}: {message}");
        assert!(message.contains(text), "expected {text:?} in {message:?}");
    }
    assert_eq!(
        entity::thread::Entity::find().count(&app.db).await.unwrap(),
        0,
        "nothing was stored"
    );
    assert_eq!(
        entity::search_outbox::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "no half-written outbox rows"
    );

    let t = ask(&app, &asker, "Eine gute Frage zum Preis", "community").await;
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{t}/answers"),
            &asker,
            Some(json!({"body": ""})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "an empty answer");
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{t}/answers"),
            &asker,
            Some(json!({"body": "x".repeat(20_001)})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "an over-long answer");
    let (status, _, _) = error_code(
        app.call(Method::GET, "/api/v1/threads?list=popular", &asker, None)
            .await,
    )
    .await;
    assert_eq!(status, 400, "an unknown list");
    let (status, _, _) = error_code(
        app.call(Method::GET, "/api/v1/threads?limit=500", &asker, None)
            .await,
    )
    .await;
    assert_eq!(status, 400, "a page size above the cap");

    // Locked threads take no answers; suspended members cannot post.
    let trainer = app.trainer().await;
    let resp = app.call(Method::POST, "/api/v1/moderation/actions", &trainer, Some(json!({"target": "thread", "target_id": t, "action": "lock", "reason": "done here"}))).await;
    assert_eq!(resp.status(), 204);
    let helper = app.member().await;
    let (status, _, message) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{t}/answers"),
            &helper,
            Some(json!({"body": "Spät"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "answering a locked thread: {message}");
    assert!(message.contains("locked"));
    let me = app.get_json("/api/v1/me", &helper).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE users SET status = 'suspended' WHERE id = {}",
            me["id"]
        ))
        .await
        .unwrap();
    let (status, _, message) = error_code(
        app.call(Method::POST, "/api/v1/threads", &helper, Some(base.clone()))
            .await,
    )
    .await;
    assert_eq!(status, 403, "posting while suspended");
    assert!(message.contains("suspended"), "{message}");
    assert_eq!(
        app.call(Method::GET, &format!("/api/v1/threads/{t}"), &helper, None)
            .await
            .status(),
        200,
        "suspended members still read"
    );
    assert_eq!(
        entity::answer::Entity::find()
            .filter(entity::answer::Column::ThreadId.eq(t))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
on_both_databases!(bad_community_input_is_refused_and_nothing_half_written);

async fn lists_are_paginated_with_a_cursor(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let asker = app.member().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            ask(
                &app,
                &asker,
                &format!("Frage Nummer {i} zum Preis"),
                "community",
            )
            .await,
        );
    }
    let first = app.get_json("/api/v1/threads?limit=3", &asker).await;
    let page1: Vec<i64> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page1, vec![ids[6], ids[5], ids[4]]);
    let cursor = first["next_cursor"].as_i64().unwrap();
    let second = app
        .get_json(&format!("/api/v1/threads?limit=3&before={cursor}"), &asker)
        .await;
    let page2: Vec<i64> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page2, vec![ids[3], ids[2], ids[1]]);
    let third = app
        .get_json(
            &format!("/api/v1/threads?limit=3&before={}", second["next_cursor"]),
            &asker,
        )
        .await;
    assert_eq!(third["items"].as_array().unwrap().len(), 1);
    assert!(third["next_cursor"].is_null());
}
on_both_databases!(lists_are_paginated_with_a_cursor);

async fn coaches_work_a_queue_of_private_questions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (asker, coach, other_coach, member) = (
        app.member().await,
        app.trainer().await,
        app.trainer().await,
        app.member().await,
    );
    let first = ask(&app, &asker, "Ich traue mich nicht zu fragen", "coaches").await;
    let second = ask(&app, &asker, "Zweite private Frage an Coaches", "coaches").await;
    ask(
        &app,
        &asker,
        "Eine öffentliche Frage zum Preis",
        "community",
    )
    .await;
    let queue = app.get_json("/api/v1/coach/queue", &coach).await;
    let ids: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["thread"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![first, second],
        "oldest first, coach questions only"
    );
    assert!(queue[0]["waiting_minutes"].as_i64().unwrap() >= 0);
    assert_eq!(
        app.call(Method::GET, "/api/v1/coach/queue", &member, None)
            .await
            .status(),
        403
    );

    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/coach/threads/{first}/claim"),
            &coach,
            None
        )
        .await
        .status(),
        204
    );
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/coach/threads/{first}/claim"),
            &other_coach,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "claimed by another coach");
    answer(&app, &coach, first, "Hier ist mein Rat.").await;
    let notes = app.get_json("/api/v1/notifications", &asker).await;
    assert_eq!(notes["items"][0]["kind"], "coach_reply");
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/coach/threads/{first}/close"),
            &coach,
            None
        )
        .await
        .status(),
        204
    );
    let queue = app.get_json("/api/v1/coach/queue", &coach).await;
    assert_eq!(
        queue.as_array().unwrap().len(),
        1,
        "closed questions leave the queue"
    );
    assert_eq!(queue[0]["claimed_by"], Value::Null);
}
on_both_databases!(coaches_work_a_queue_of_private_questions);

async fn moderators_act_on_reports_and_every_action_is_logged(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (asker, reporter, moderator) =
        (app.member().await, app.member().await, app.trainer().await);
    let t = ask(&app, &asker, "Eine Frage mit Werbung darin", "community").await;
    let a = answer(&app, &reporter, t, "Eine normale Antwort").await;
    let flag = |kind: &str, id: i64, reason: &str| {
        app.call(
            Method::POST,
            "/api/v1/flags",
            &reporter,
            Some(json!({"target": kind, "target_id": id, "reason": reason})),
        )
    };
    assert_eq!(flag("thread", t, "Werbung").await.status(), 204);
    assert_eq!(
        flag("thread", t, "Werbung").await.status(),
        409,
        "reporting twice"
    );
    assert_eq!(
        flag("thread", t, "x").await.status(),
        400,
        "a reason of one character"
    );
    let (status, _, _) = error_code(flag("post", t, "Werbung").await).await;
    assert_eq!(status, 400);
    let queue = app.get_json("/api/v1/moderation/queue", &moderator).await;
    assert_eq!(queue[0]["thread_id"], t);
    assert_eq!(queue[0]["reasons"], json!(["Werbung"]));
    assert_eq!(
        app.call(Method::GET, "/api/v1/moderation/queue", &asker, None)
            .await
            .status(),
        403
    );

    let act = |action: &str, kind: &str, id: i64, body: Option<&str>| {
        app.call(Method::POST, "/api/v1/moderation/actions", &moderator, Some(json!({
            "target": kind, "target_id": id, "action": action, "reason": "Richtlinie 3", "body": body
        })))
    };
    assert_eq!(
        act("edit", "thread", t, Some("Eine Frage ohne Werbung"))
            .await
            .status(),
        204
    );
    let detail = app
        .get_json(&format!("/api/v1/threads/{t}"), &reporter)
        .await;
    assert_eq!(
        (
            detail["body"].as_str(),
            detail["edited_by_moderator"].as_bool()
        ),
        (Some("Eine Frage ohne Werbung"), Some(true))
    );
    assert!(
        app.get_json("/api/v1/moderation/queue", &moderator)
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "the reports are resolved"
    );

    assert_eq!(act("hide", "answer", a, None).await.status(), 204);
    let seen_by_asker = app.get_json(&format!("/api/v1/threads/{t}"), &asker).await;
    assert!(
        seen_by_asker["answers"].as_array().unwrap().is_empty(),
        "hidden answers are gone for members"
    );
    let seen_by_author = app
        .get_json(&format!("/api/v1/threads/{t}"), &reporter)
        .await;
    assert_eq!(
        seen_by_author["answers"][0]["hidden"], true,
        "the author still sees it, marked hidden"
    );
    assert_eq!(act("unhide", "answer", a, None).await.status(), 204);
    assert_eq!(act("delete", "answer", a, None).await.status(), 204);
    assert!(
        app.get_json(&format!("/api/v1/threads/{t}"), &moderator)
            .await["answers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (status, _, _) = error_code(act("lock", "answer", a, None).await).await;
    assert!(matches!(status, 400 | 404));
    let (status, _, _) = error_code(act("explode", "thread", t, None).await).await;
    assert_eq!(status, 400);

    let log = app.get_json("/api/v1/moderation/log", &moderator).await;
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["delete", "unhide", "hide", "edit"],
        "who, what, when, why: every action"
    );
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|l| l["reason"] == "Richtlinie 3" && l["moderator_id"].is_i64())
    );
    let notes = app.get_json("/api/v1/notifications", &asker).await;
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "moderation"),
        "the author learns the outcome"
    );
}
on_both_databases!(moderators_act_on_reports_and_every_action_is_logged);

async fn authors_stay_pseudonymous_unless_they_opt_in(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let company = crate::leaks::company(&app, "Nordwind").await;
    let asker = app
        .user_with_role(sellerbase::domain::Role::Member, Some(company))
        .await;
    let reader = app.member().await;
    let resp = app
        .call(
            Method::PUT,
            "/api/v1/me/profile",
            &asker,
            Some(json!({"handle": "quiet-closer", "display_name": "Erika Muster"})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let t = ask(
        &app,
        &asker,
        "Wie frage ich nach dem Abschluss?",
        "community",
    )
    .await;
    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &reader).await;
    assert_eq!(
        detail["author"],
        json!({"handle": "quiet-closer", "is_coach": false}),
        "absent, not null: nothing about the person is sent"
    );
    app.call(
        Method::PUT,
        "/api/v1/me/profile",
        &asker,
        Some(json!({"show_name": true, "show_company": true})),
    )
    .await;
    let detail = app.get_json(&format!("/api/v1/threads/{t}"), &reader).await;
    assert_eq!(detail["author"]["name"], "Erika Muster");
    assert_eq!(detail["author"]["company"], "Nordwind");
    let other = app.member().await;
    let me = app.get_json("/api/v1/me", &other).await;
    let (status, _, _) = error_code(
        app.call(
            Method::PUT,
            "/api/v1/me/profile",
            &other,
            Some(json!({"handle": "quiet-closer"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "handles are unique");
    assert_ne!(me["handle"], "quiet-closer");
}
on_both_databases!(authors_stay_pseudonymous_unless_they_opt_in);
