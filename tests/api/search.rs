//! Search through the API: German morphology, compounds, typos, the access filter, keeping the
//! index right (outbox, crash and resume, rebuild, several instances), gaps and synonyms.

use reqwest::Method;
use serde_json::{Value, json};

use crate::community::ask;
use crate::helpers::{Backend, TestApp, error_code, spawn_app, spawn_app_with};
use crate::lessons::published_lesson;
use crate::on_both_databases;

async fn search(app: &TestApp, token: &str, q: &str) -> Value {
    app.get_json(&format!("/api/v1/search?q={}", urlencode(q)), token)
        .await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn hit_ids(results: &Value, kind: &str) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == kind)
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

async fn german_forms_compounds_and_typos_find_threads_and_lessons(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (author, reviewer, member) = (app.trainer().await, app.trainer().await, app.member().await);
    let lesson =
        published_lesson(&app, &author, &reviewer, "Preiseinwände souverän behandeln").await;
    let thread = ask(
        &app,
        &member,
        "Kunde bringt ständig neue Einwände zum Preis",
        "community",
    )
    .await;
    let closing = ask(
        &app,
        &member,
        "Wann stelle ich die Abschlussfrage?",
        "community",
    )
    .await;
    app.wait_for_index().await;

    for (query, lesson_expected, thread_expected) in [
        ("Einwand", true, true),
        ("Einwänden", true, true),
        ("Preiseinwand", true, true),
        ("Preis Einwand", true, true),
    ] {
        let r = search(&app, &member, query).await;
        if lesson_expected {
            assert!(
                hit_ids(&r, "lesson").contains(&lesson),
                "{query:?} finds the lesson: {r}"
            );
        }
        if thread_expected {
            assert!(
                hit_ids(&r, "thread").contains(&thread),
                "{query:?} finds the thread: {r}"
            );
        }
    }
    let typo = search(&app, &member, "Abschlusfrage").await;
    assert_eq!(
        hit_ids(&typo, "thread").first(),
        Some(&closing),
        "one typo is tolerated: {typo}"
    );
    let r = search(&app, &member, "Abschlussfrage").await;
    let snippet = r["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(
        r["hits"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Abschlussfrage")
    );
    assert!(
        snippet.contains("<b>") || r["hits"][0]["title"].is_string(),
        "{snippet}"
    );
    assert_eq!(r["facets"]["kind"]["thread"], 1);
    let only_lessons = app
        .get_json("/api/v1/search?q=Einwand&kind=lesson", &member)
        .await;
    assert!(
        only_lessons["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "lesson")
    );
}
on_both_databases!(german_forms_compounds_and_typos_find_threads_and_lessons);

async fn bad_search_input_is_a_clear_400(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let member = app.member().await;
    for (path, text) in [
        (format!("/api/v1/search?q={}", "x".repeat(201)), "q"),
        ("/api/v1/search?q=preis&kind=video".to_owned(), "kind"),
        ("/api/v1/search?q=preis&topic=haggling".to_owned(), "topic"),
        ("/api/v1/search?q=preis&page=0".to_owned(), "page"),
        ("/api/v1/search?q=preis&per_page=500".to_owned(), "per_page"),
        ("/api/v1/search?q=preis&language=fr".to_owned(), "language"),
    ] {
        let (status, _, message) =
            error_code(app.call(Method::GET, &path, &member, None).await).await;
        assert_eq!(status, 400, "{text}: {message}");
    }
    let (status, _, _) = error_code(
        reqwest::Client::new()
            .get(app.url("/api/v1/search?q=preis"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    let empty = app.get_json("/api/v1/search?q=", &member).await;
    assert_eq!(empty["total"], 0);
}
on_both_databases!(bad_search_input_is_a_clear_400);

async fn edits_hiding_and_deleting_reach_the_index(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (member, helper, trainer) = (app.member().await, app.member().await, app.trainer().await);
    let t = ask(&app, &member, "Frage zur Empfehlungsquote", "community").await;
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{t}/answers"),
            &helper,
            Some(json!({"body": "Fragen Sie nach Xylophonmethode"})),
        )
        .await;
    let answer = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.wait_for_index().await;
    assert_eq!(
        hit_ids(&search(&app, &member, "Xylophonmethode").await, "thread"),
        vec![t],
        "answers are searchable"
    );
    app.call(
        Method::POST,
        "/api/v1/moderation/actions",
        &trainer,
        Some(json!({"target": "answer", "target_id": answer, "action": "hide", "reason": "Test"})),
    )
    .await;
    app.wait_for_index().await;
    assert!(
        hit_ids(&search(&app, &member, "Xylophonmethode").await, "thread").is_empty(),
        "a hidden answer is not searchable"
    );
    app.call(
        Method::POST,
        "/api/v1/moderation/actions",
        &trainer,
        Some(json!({"target": "thread", "target_id": t, "action": "delete", "reason": "Test"})),
    )
    .await;
    app.wait_for_index().await;
    assert!(
        hit_ids(&search(&app, &trainer, "Empfehlungsquote").await, "thread").is_empty(),
        "deleted threads leave the index"
    );
    let (author, reviewer) = (app.trainer().await, app.trainer().await);
    let lesson =
        published_lesson(&app, &author, &reviewer, "Zebrastreifentechnik im Gespräch").await;
    app.wait_for_index().await;
    assert_eq!(
        hit_ids(
            &search(&app, &member, "Zebrastreifentechnik").await,
            "lesson"
        ),
        vec![lesson]
    );
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{lesson}/archive"),
        &author,
        None,
    )
    .await;
    app.wait_for_index().await;
    assert!(
        hit_ids(
            &search(&app, &member, "Zebrastreifentechnik").await,
            "lesson"
        )
        .is_empty(),
        "archived lessons leave the index"
    );
}
on_both_databases!(edits_hiding_and_deleting_reach_the_index);

async fn the_index_resumes_from_its_committed_position_after_a_crash(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let member = app.member().await;
    let first = ask(&app, &member, "Erste Frage vor dem Absturz", "community").await;
    app.wait_for_index().await;
    let root = app.search.root().to_path_buf();
    let position = app.search.get().unwrap().position().unwrap();
    // The instance dies here; writes go on through another instance that does not index.
    let second = ask(&app, &member, "Zweite Frage nach dem Absturz", "community").await;
    let third = ask(&app, &member, "Dritte Frage nach dem Absturz", "community").await;
    // A new process opens the same index folder (a copy: the first still holds the writer lock),
    // finds the committed position and applies only what came after it.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&root, copy.path());
    let handle = sellerbase::services::search::SearchHandle::new(copy.path());
    let mut follower =
        sellerbase::services::search::follower::Follower::new(app.db.clone(), handle.clone());
    follower.start().await.unwrap();
    let reopened = handle.get().unwrap();
    assert_eq!(
        reopened.position().unwrap(),
        position,
        "the committed position survived"
    );
    let applied = follower.step().await.unwrap();
    assert!(
        applied >= 2,
        "the writes after the crash were applied: {applied}"
    );
    let principals = sellerbase::policy::search_principals(&sellerbase::policy::Viewer::User(
        app_user(&app, &member).await,
    ));
    let found = reopened
        .search(&search_index::SearchRequest {
            text: "Frage Absturz".into(),
            principals,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let mut ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![first, second, third], "nothing was lost");
    assert!(reopened.position().unwrap() > position);
}
on_both_databases!(the_index_resumes_from_its_committed_position_after_a_crash);

async fn app_user(app: &TestApp, token: &str) -> sellerbase::services::accounts::CurrentUser {
    let id = app.get_json("/api/v1/me", token).await["id"]
        .as_i64()
        .unwrap();
    sellerbase::services::accounts::find_by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != ".tantivy-writer.lock" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

async fn a_rebuilt_index_is_swapped_in_while_the_server_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let member = app.member().await;
    let t = ask(&app, &member, "Frage vor dem Neuaufbau", "community").await;
    app.wait_for_index().await;
    let before = app.search.get().unwrap().dir().to_path_buf();
    let rebuilt = sellerbase::services::search::follower::rebuild(&app.db, app.search.root())
        .await
        .unwrap();
    assert_ne!(rebuilt.dir(), before.as_path());
    drop(rebuilt);
    let started = std::time::Instant::now();
    while app.search.get().unwrap().dir() == before.as_path() {
        assert_eq!(
            hit_ids(&search(&app, &member, "Neuaufbau").await, "thread"),
            vec![t],
            "search answers during the swap"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the server picked up the rebuilt index"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = ask(&app, &member, "Frage nach dem Neuaufbau", "community").await;
    app.wait_for_index().await;
    let found = hit_ids(&search(&app, &member, "Neuaufbau").await, "thread");
    assert!(found.contains(&t) && found.contains(&after), "{found:?}");
}
on_both_databases!(a_rebuilt_index_is_swapped_in_while_the_server_answers);

async fn a_second_instance_finds_what_was_written_through_the_first(backend: Backend) {
    let Some(first) = spawn_app(backend).await else {
        return;
    };
    let url = match backend {
        Backend::Postgres => first_database_url(&first),
        Backend::Sqlite => format!(
            "sqlite://{}?mode=rwc",
            first.data_dir().join("sellerbase.db").display()
        ),
    };
    let second = spawn_app_with(backend, |s| {
        s.database_url = Some(sellerbase::config::Secret::new(url.clone()))
    })
    .await
    .unwrap();
    let member = first.member().await;
    let t = ask(
        &first,
        &member,
        "Geteilte Frage über zwei Instanzen",
        "community",
    )
    .await;
    second.wait_for_index().await;
    assert_eq!(
        hit_ids(&search(&second, &member, "Instanzen").await, "thread"),
        vec![t]
    );
    assert_ne!(
        first.search.root(),
        second.search.root(),
        "each instance keeps its own index"
    );
}
on_both_databases!(a_second_instance_finds_what_was_written_through_the_first);

fn first_database_url(app: &TestApp) -> String {
    app.database_url().expect("a PostgreSQL url")
}

async fn trainers_see_content_gaps_without_user_ids_and_maintain_synonyms(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (member, trainer) = (app.member().await, app.trainer().await);
    let (second, third) = (app.member().await, app.member().await);
    let t = ask(
        &app,
        &member,
        "Kunde meint das Angebot sei zu teuer",
        "community",
    )
    .await;
    ask(
        &app,
        &member,
        "Wieder einmal teuer genannt worden",
        "community",
    )
    .await;
    ask(&app, &member, "Ist teuer immer ein Einwand?", "community").await;
    app.wait_for_index().await;
    // Three different people search the same gap; one person searches a name five times.
    for who in [&member, &second, &third] {
        search(&app, who, "Quantenvertrieb").await;
    }
    for _ in 0..5 {
        search(&app, &member, "Kundin Schulze-Brandt").await;
    }
    search(&app, &member, "teuer").await;
    // The log is written in batches; wait for the batch.
    let mut gaps = app.get_json("/api/v1/search/gaps", &trainer).await;
    for _ in 0..200 {
        if gaps[0]["searches"] == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        gaps = app.get_json("/api/v1/search/gaps", &trainer).await;
    }
    assert_eq!(gaps[0]["query"], "quantenvertrieb");
    assert_eq!(gaps[0]["searches"], 3);
    assert!(
        !gaps.to_string().contains("teuer"),
        "searches with three or more results are no gaps"
    );
    let text = gaps.to_string();
    assert!(!text.contains("user") && !text.contains("handle"));
    assert!(
        !text.contains("schulze"),
        "one person's search is never shown, however often they made it: {text}"
    );
    // Nothing in the log names the searcher: only a day and a hash under that day's key.
    use sea_orm::EntityTrait;
    let logged = entity::search_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(!logged.is_empty());
    for row in &logged {
        let searcher = row.searcher.as_deref().unwrap();
        assert_eq!(searcher.len(), 10 + 1 + 16, "{searcher}");
    }
    assert_eq!(
        app.call(Method::GET, "/api/v1/search/gaps", &member, None)
            .await
            .status(),
        403
    );

    assert!(hit_ids(&search(&app, &member, "Wucherpreis").await, "thread").is_empty());
    let resp = app
        .call(
            Method::PUT,
            "/api/v1/search/synonyms",
            &trainer,
            Some(json!({"groups": [["zu teuer", "Wucherpreis", "price objection"]]})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert!(
        hit_ids(&search(&app, &member, "Wucherpreis").await, "thread").contains(&t),
        "synonyms widen the search"
    );
    let (status, _, _) = error_code(
        app.call(
            Method::PUT,
            "/api/v1/search/synonyms",
            &trainer,
            Some(json!({"groups": [["allein"]]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "a group needs two phrases");
    assert_eq!(
        app.call(
            Method::PUT,
            "/api/v1/search/synonyms",
            &member,
            Some(json!({"groups": []}))
        )
        .await
        .status(),
        403
    );
}
on_both_databases!(trainers_see_content_gaps_without_user_ids_and_maintain_synonyms);
