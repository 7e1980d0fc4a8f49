//! A member's learning through the API: completing, the check, spaced review, bookmarks,
//! ratings, paths, and what trainers learn from it.

use chrono::{Duration, Utc};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Backend, error_code, spawn_app};
use crate::lessons::published_lesson;
use crate::on_both_databases;

async fn a_member_completes_a_lesson_answers_its_check_and_the_path_progress_moves(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer, member) = (app.trainer().await, app.trainer().await, app.member().await);
    let first = published_lesson(&app, &author, &reviewer, "Erste Lektion").await;
    let second = published_lesson(&app, &author, &reviewer, "Zweite Lektion").await;

    let resp = app
        .call(
            Method::POST,
            "/api/v1/paths",
            &author,
            Some(json!({
                "title": "Preiseinwände souverän", "description": "Zwei Schritte", "language": "de",
                "lessons": [first.to_string(), "zweite-lektion"]
            })),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let path: Value = resp.json().await.unwrap();
    let path_id = path["id"].as_i64().unwrap();
    assert_eq!(path["total_lessons"], 2);
    assert_eq!(
        app.call(
            Method::PUT,
            &format!("/api/v1/paths/{path_id}/follow"),
            &member,
            None
        )
        .await
        .status(),
        204
    );

    let lesson = app
        .get_json(&format!("/api/v1/lessons/{first}"), &member)
        .await;
    let keys: Vec<String> = lesson["check"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/lessons/{first}/open"),
            &member,
            None
        )
        .await
        .status(),
        204
    );

    // A wrong answer to the first question, a right one to the second.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{first}/check"),
            &member,
            Some(json!({"answers": [
                {"question_key": keys[0], "selected": [0]},
                {"question_key": keys[1], "selected": [1, 0]}
            ]})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let result: Value = resp.json().await.unwrap();
    assert_eq!(
        (result["correct"].as_i64(), result["total"].as_i64()),
        (Some(1), Some(2))
    );
    let wrong = &result["verdicts"][0];
    assert_eq!(wrong["correct"], false);
    assert_eq!(
        wrong["options"][1]["correct"], true,
        "the right option is revealed after answering"
    );
    assert_eq!(wrong["options"][0]["explanation"], "Zu früh.");
    let tomorrow = (Utc::now().date_naive() + Duration::days(1)).to_string();
    assert_eq!(
        wrong["next_review"],
        tomorrow.as_str(),
        "a wrong answer comes back tomorrow"
    );
    let in_two_days = (Utc::now().date_naive() + Duration::days(2)).to_string();
    assert_eq!(result["verdicts"][1]["next_review"], in_two_days.as_str());

    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/lessons/{first}/complete"),
            &member,
            None
        )
        .await
        .status(),
        204
    );
    let p = app
        .get_json(&format!("/api/v1/paths/{path_id}"), &member)
        .await;
    assert_eq!(
        (p["completed_lessons"].as_i64(), p["percent"].as_i64()),
        (Some(1), Some(50))
    );
    let mine = app.get_json("/api/v1/me/learning", &member).await;
    assert_eq!(mine["completed"][0]["id"], first);
    assert_eq!(mine["paths"][0]["percent"], 50);
    let state = app
        .get_json(&format!("/api/v1/lessons/{first}"), &member)
        .await["me"]
        .clone();
    assert_eq!(state["completed"], true);
    assert_eq!(
        (
            state["check_correct"].as_i64(),
            state["check_total"].as_i64()
        ),
        (Some(1), Some(2))
    );

    assert_eq!(
        app.call(
            Method::PUT,
            &format!("/api/v1/lessons/{second}/bookmark"),
            &member,
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.call(
            Method::PUT,
            &format!("/api/v1/lessons/{second}/bookmark"),
            &member,
            None
        )
        .await
        .status(),
        204,
        "idempotent"
    );
    let mine = app.get_json("/api/v1/me/learning", &member).await;
    assert_eq!(mine["bookmarks"].as_array().unwrap().len(), 1);
    app.call(
        Method::DELETE,
        &format!("/api/v1/lessons/{second}/bookmark"),
        &member,
        None,
    )
    .await;
    assert!(
        app.get_json("/api/v1/me/learning", &member).await["bookmarks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
on_both_databases!(a_member_completes_a_lesson_answers_its_check_and_the_path_progress_moves);

async fn due_questions_come_back_for_review_and_move_between_boxes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer, member) = (app.trainer().await, app.trainer().await, app.member().await);
    let id = published_lesson(&app, &author, &reviewer, "Review-Lektion").await;
    let lesson = app
        .get_json(&format!("/api/v1/lessons/{id}"), &member)
        .await;
    let keys: Vec<String> = lesson["check"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap().to_owned())
        .collect();
    app.call(Method::POST, &format!("/api/v1/lessons/{id}/check"), &member, Some(json!({"answers": [
        {"question_key": keys[0], "selected": [0]}, {"question_key": keys[1], "selected": [0, 1]}
    ]}))).await;
    assert!(
        app.get_json("/api/v1/me/reviews", &member)
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing is due today"
    );

    // A day passes for the first question.
    let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
    app.db
        .execute_unprepared(&format!(
            "UPDATE review_items SET due_on = '{yesterday}' WHERE question_key = '{}'",
            keys[0]
        ))
        .await
        .unwrap();
    let due = app.get_json("/api/v1/me/reviews", &member).await;
    let due = due.as_array().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["question"]["key"], keys[0].as_str());
    assert_eq!(due[0]["leitner_box"], 1);
    assert!(due[0]["question"].get("correct").is_none());

    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/me/reviews/{id}/{}", keys[0]),
            &member,
            Some(json!({"selected": [1]})),
        )
        .await;
    let verdict: Value = resp.json().await.unwrap();
    assert_eq!(verdict["correct"], true);
    let in_two_days = (Utc::now().date_naive() + Duration::days(2)).to_string();
    assert_eq!(verdict["next_review"], in_two_days.as_str());
    assert!(
        app.get_json("/api/v1/me/reviews", &member)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get_json("/api/v1/me/learning", &member).await["due_reviews"],
        0
    );

    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/me/reviews/{id}/nope"),
            &member,
            Some(json!({"selected": [1]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}
on_both_databases!(due_questions_come_back_for_review_and_move_between_boxes);

async fn bad_check_answers_are_refused_and_nothing_is_recorded(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer, member) = (app.trainer().await, app.trainer().await, app.member().await);
    let id = published_lesson(&app, &author, &reviewer, "Prüfung").await;
    let lesson = app
        .get_json(&format!("/api/v1/lessons/{id}"), &member)
        .await;
    let k: Vec<String> = lesson["check"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap().to_owned())
        .collect();
    let cases = [
        (json!([{"question_key": k[0], "selected": [1]}]), "missing"),
        (
            json!([{"question_key": k[0], "selected": [0, 1]}, {"question_key": k[1], "selected": [0]}]),
            "exactly one",
        ),
        (
            json!([{"question_key": k[0], "selected": [7]}, {"question_key": k[1], "selected": [0]}]),
            "does not exist",
        ),
        (
            json!([{"question_key": k[0], "selected": []}, {"question_key": k[1], "selected": [0]}]),
            "at least one",
        ),
        (
            json!([{"question_key": k[0], "selected": [1]}, {"question_key": k[1], "selected": [0]}, {"question_key": "zzz", "selected": [0]}]),
            "no question",
        ),
    ];
    for (answers, text) in cases {
        let resp = app
            .call(
                Method::POST,
                &format!("/api/v1/lessons/{id}/check"),
                &member,
                Some(json!({"answers": answers})),
            )
            .await;
        let (status, _, message) = error_code(resp).await;
        assert_eq!(status, 400, "{text}");
        assert!(message.contains(text), "expected {text:?} in {message:?}");
    }
    let state = app
        .get_json(&format!("/api/v1/lessons/{id}"), &member)
        .await["me"]
        .clone();
    assert!(state["check_total"].is_null(), "no attempt was recorded");
    assert!(
        app.get_json("/api/v1/me/reviews", &member)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}
on_both_databases!(bad_check_answers_are_refused_and_nothing_is_recorded);

async fn authors_see_averages_and_feedback_but_not_who_rated(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer) = (app.trainer().await, app.trainer().await);
    let id = published_lesson(&app, &author, &reviewer, "Bewertet").await;
    let (a, b) = (app.member().await, app.member().await);
    app.call(
        Method::PUT,
        &format!("/api/v1/lessons/{id}/rating"),
        &a,
        Some(json!({"stars": 5, "feedback": "Sehr hilfreich"})),
    )
    .await;
    app.call(
        Method::PUT,
        &format!("/api/v1/lessons/{id}/rating"),
        &b,
        Some(json!({"stars": 2})),
    )
    .await;
    app.call(
        Method::PUT,
        &format!("/api/v1/lessons/{id}/rating"),
        &b,
        Some(json!({"stars": 4})),
    )
    .await;
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{id}/complete"),
        &a,
        None,
    )
    .await;
    let stats = app
        .get_json(&format!("/api/v1/lessons/{id}/stats"), &author)
        .await;
    assert_eq!(stats["ratings"], 2, "rating again replaces the rating");
    assert_eq!(stats["average_rating"], 4.5);
    assert_eq!(stats["completed"], 1);
    assert_eq!(stats["stars"], json!([0, 0, 0, 1, 1]));
    assert_eq!(
        stats["feedback"],
        json!([{"stars": 5, "text": "Sehr hilfreich"}])
    );
    let text = stats.to_string();
    assert!(
        !text.contains("handle") && !text.contains("user") && !text.contains("email"),
        "{text}"
    );
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/api/v1/lessons/{id}/stats"),
            &a,
            None
        )
        .await
        .status(),
        404
    );
}
on_both_databases!(authors_see_averages_and_feedback_but_not_who_rated);

async fn the_starter_pack_imports_once_and_a_broken_file_is_reported_by_line(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let first = sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    assert!(first.created.len() >= 27, "{first:?}");
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    let second = sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    assert!(
        second.created.is_empty() && second.updated.is_empty(),
        "nothing twice: {second:?}"
    );
    let member = app.member().await;
    let lessons = app.get_json("/api/v1/lessons", &member).await;
    assert!(lessons.as_array().unwrap().len() >= 24);
    let paths = app.get_json("/api/v1/paths", &member).await;
    assert!(paths.as_array().unwrap().len() >= 3);
    let german = app
        .get_json("/api/v1/lessons?language=de&topic=negotiation", &member)
        .await;
    assert!(
        german
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["language"] == "de" && l["topic"] == "negotiation")
    );
    let (status, _, _) = error_code(
        app.call(Method::GET, "/api/v1/lessons?topic=haggling", &member, None)
            .await,
    )
    .await;
    assert_eq!(status, 400);

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lessons")).unwrap();
    std::fs::write(dir.path().join("lessons/good.md"), "+++\nslug = \"eigene-lektion\"\ntitle = \"Eigene Lektion\"\ntopic = \"closing\"\nlanguage = \"de\"\n+++\nText.\n").unwrap();
    std::fs::write(
        dir.path().join("lessons/broken.md"),
        "+++\nslug = \"kaputt\"\ntitle = \"Kaputt\"\ntopic = closing\n+++\nText.\n",
    )
    .unwrap();
    let report = sellerbase::services::lesson_files::import_dir(&app.db, dir.path())
        .await
        .unwrap();
    assert_eq!(report.created, vec!["eigene-lektion"]);
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].contains("broken.md:4:"),
        "file and line: {:?}",
        report.failed
    );
    assert_eq!(
        app.call(Method::GET, "/api/v1/lessons/kaputt", &member, None)
            .await
            .status(),
        404,
        "nothing of the broken file"
    );
}
on_both_databases!(the_starter_pack_imports_once_and_a_broken_file_is_reported_by_line);
