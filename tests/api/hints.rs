//! Redaction hints while writing: the preview marks the caller's own company's sensitive
//! names (never another company's) and stores nothing; company admins keep the list, which
//! nobody else reads; the pages offer the hints and the list form.

use reqwest::Method;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, signed_in_client, spawn_app};
use crate::leaks::company;
use crate::on_both_databases;
use sellerbase::domain::Role;

const LIST: &str = "/api/v1/company/sensitive-names";

async fn preview(app: &TestApp, token: &str, text: &str) -> reqwest::Response {
    app.call(
        Method::POST,
        "/api/v1/hints",
        token,
        Some(json!({ "text": text })),
    )
    .await
}

/// The hints for `text` as `(kind, text)`.
async fn marks(app: &TestApp, token: &str, text: &str) -> Vec<(String, String)> {
    let resp = preview(app, token, text).await;
    assert_eq!(resp.status(), 200, "preview of {text:?}");
    let body: Value = resp.json().await.unwrap();
    body["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_owned(),
                h["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(kind: &str, text: &str) -> (String, String) {
    (kind.to_owned(), text.to_owned())
}

async fn put_list(app: &TestApp, token: &str, names: &[&str]) -> reqwest::Response {
    app.call(Method::PUT, LIST, token, Some(json!({ "names": names })))
        .await
}

/// A company with its admin (token) and a member (token).
async fn company_with_people(app: &TestApp, name: &str) -> (i64, String, String) {
    let org = company(app, name).await;
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let member = app.user_with_role(Role::Member, Some(org)).await;
    (org, admin, member)
}

async fn the_preview_marks_the_callers_company_list_but_not_another_companys(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, admin_a, member_a) = company_with_people(&app, "Acme").await;
    let (_, admin_b, member_b) = company_with_people(&app, "Bolt").await;
    let resp = put_list(&app, &admin_a, &["Falke", "Zeppelin Süd"]).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(put_list(&app, &admin_b, &["Kranich"]).await.status(), 200);

    let text = "Bei Falke und bei Kranich hat Herr Schulze 10 % verlangt.";
    assert_eq!(
        marks(&app, &member_a, text).await,
        [
            pair("sensitive", "Falke"),
            pair("person", "Herr Schulze"),
            pair("money", "10 %")
        ],
        "company A's member: A's list only"
    );
    assert_eq!(
        marks(&app, &member_b, text).await,
        [
            pair("sensitive", "Kranich"),
            pair("person", "Herr Schulze"),
            pair("money", "10 %")
        ],
        "company B's member: B's list only"
    );
    let individual = app.member().await;
    assert_eq!(
        marks(&app, &individual, text).await,
        [pair("person", "Herr Schulze"), pair("money", "10 %")],
        "no company, no list"
    );
    let trainer = app.trainer().await;
    assert_eq!(marks(&app, &trainer, "Projekt Falke").await, []);

    // Offsets count characters, and the answer holds nothing but spans of the text.
    let text = "Grüße von Zeppelin Süd";
    let resp = preview(&app, &member_a, text).await;
    let raw = resp.text().await.unwrap();
    assert!(!raw.contains("Falke"), "other entries stay hidden: {raw}");
    let body: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        body["hints"],
        json!([{"kind": "sensitive", "start": 10, "end": 22, "text": "Zeppelin Süd"}])
    );

    // Company admins do not write in the community; signing in is needed.
    let (status, _, _) = error_code(preview(&app, &admin_a, text).await).await;
    assert_eq!(status, 403);
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/hints"))
        .json(&json!({ "text": text }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // At most 20,000 characters, refused in the request's language.
    let long = "ä".repeat(20_001);
    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/hints"))
        .bearer_auth(&member_a)
        .header("accept-language", "de")
        .json(&json!({ "text": long }))
        .send()
        .await
        .unwrap();
    let (status, _, message) = error_code(resp).await;
    assert_eq!(status, 400);
    assert!(message.contains("20000"), "{message}");
    assert!(message.contains("höchstens"), "German: {message}");
    assert_eq!(
        preview(&app, &member_a, &"ä".repeat(20_000)).await.status(),
        200
    );
}
on_both_databases!(the_preview_marks_the_callers_company_list_but_not_another_companys);

/// Rows in every table of the database, by table.
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    let backend = app.db.get_database_backend();
    let tables_sql = match backend {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let tables = app
        .db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .unwrap();
    let mut counts = Vec::new();
    for row in tables {
        let name: String = row.try_get("", "name").unwrap();
        let count = app
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{name}\""),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push((name, count.try_get::<i64>("", "n").unwrap()));
    }
    counts
}

async fn a_preview_leaves_no_trace_in_the_database(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, admin, member) = company_with_people(&app, "Acme").await;
    assert_eq!(put_list(&app, &admin, &["Falke"]).await.status(), 200);
    // The first request of a session may note things (the session's use); then count.
    assert_eq!(marks(&app, &member, "warm").await, []);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let before = row_counts(&app).await;
    assert!(
        before.iter().any(|(t, _)| t == "sensitive_names")
            && before.iter().any(|(t, _)| t == "search_log"),
        "the walk sees every table: {before:?}"
    );
    let secret = "Projekt Falke: Herr Zuckermandl, zuckermandl@example.de, 0171 2345678";
    for _ in 0..3 {
        assert_eq!(marks(&app, &member, secret).await.len(), 4);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        row_counts(&app).await,
        before,
        "a preview adds no row anywhere"
    );
    // And no stored text mentions it: the search log (flushed every 20 ms) above all.
    let logged = entity::search_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(logged.is_empty(), "{logged:?}");
}
on_both_databases!(a_preview_leaves_no_trace_in_the_database);

async fn company_admins_keep_their_list_and_bad_entries_are_refused_clearly(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, admin, _) = company_with_people(&app, "Acme").await;
    assert_eq!(app.get_json(LIST, &admin).await, json!({"names": []}));
    let resp = put_list(&app, &admin, &["  Falke ", "Atlas   Pro", "Zeppelin Süd"]).await;
    assert_eq!(resp.status(), 200);
    let stored = json!({"names": ["Falke", "Atlas Pro", "Zeppelin Süd"]});
    assert_eq!(resp.json::<Value>().await.unwrap(), stored);
    assert_eq!(app.get_json(LIST, &admin).await, stored);

    let many: Vec<String> = (0..501).map(|i| format!("Kunde {i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let long = "x".repeat(81);
    let cases: [(&[&str], &str, &str, &str); 5] = [
        (
            &["Falke", ""],
            "Eintrag 2 ist leer",
            "Entry 2 is empty",
            "an empty entry",
        ),
        (
            &[&long],
            "2 bis 80 Zeichen",
            "2 to 80 characters",
            "a too long entry",
        ),
        (
            &["X"],
            "2 bis 80 Zeichen",
            "2 to 80 characters",
            "a too short entry",
        ),
        (
            &["Falke", "FALKE"],
            "zweimal",
            "twice",
            "the same entry in another case",
        ),
        (&many, "höchstens 500", "at most 500", "501 entries"),
    ];
    for (names, german, english, what) in cases {
        for (language, expected) in [("de", german), ("en", english)] {
            let resp = reqwest::Client::new()
                .put(app.url(LIST))
                .bearer_auth(&admin)
                .header("accept-language", language)
                .json(&json!({ "names": names }))
                .send()
                .await
                .unwrap();
            let (status, code, message) = error_code(resp).await;
            assert_eq!(status, 400, "{what} ({language})");
            assert_eq!(code, "invalid_input", "{what}");
            assert!(message.contains(expected), "{what} ({language}): {message}");
        }
    }
    assert_eq!(
        app.get_json(LIST, &admin).await,
        stored,
        "a refused list changes nothing"
    );
    assert!(put_list(&app, &admin, &many[..500]).await.status() == 200);
    assert_eq!(put_list(&app, &admin, &[]).await.status(), 200);
    assert_eq!(app.get_json(LIST, &admin).await, json!({"names": []}));
}
on_both_databases!(company_admins_keep_their_list_and_bad_entries_are_refused_clearly);

async fn nobody_but_the_companys_own_admins_reads_its_list(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (org, admin, member) = company_with_people(&app, "Acme").await;
    let (_, other_admin, other_member) = company_with_people(&app, "Bolt").await;
    assert_eq!(put_list(&app, &admin, &["Falke"]).await.status(), 200);
    let platform = app.user_with_role(Role::PlatformAdmin, None).await;
    let trainer = app.trainer().await;
    let own = format!("{LIST}?company={org}");
    assert_eq!(
        app.get_json(&own, &admin).await,
        json!({"names": ["Falke"]})
    );
    // Another company's admin: the list does not exist for them (and theirs is empty).
    for method in [Method::GET, Method::PUT] {
        let resp = app
            .call(
                method.clone(),
                &own,
                &other_admin,
                Some(json!({"names": []})),
            )
            .await;
        assert_eq!(resp.status(), 404, "{method} as another company's admin");
    }
    assert_eq!(app.get_json(LIST, &other_admin).await, json!({"names": []}));
    // Members (of this company or another), trainers, even platform admins: refused.
    for (who, token) in [
        ("the company's member", &member),
        ("another company's member", &other_member),
        ("a trainer", &trainer),
        ("a platform admin", &platform),
    ] {
        for path in [LIST, own.as_str()] {
            let resp = app.call(Method::GET, path, token, None).await;
            let (status, _, message) = error_code(resp).await;
            assert_eq!(status, 403, "GET {path} as {who}");
            assert!(!message.contains("Falke"));
            let resp = app
                .call(Method::PUT, path, token, Some(json!({"names": ["Weg"]})))
                .await;
            assert_eq!(resp.status(), 403, "PUT {path} as {who}");
        }
    }
    let anonymous = reqwest::Client::new()
        .get(app.url(LIST))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        app.get_json(LIST, &admin).await,
        json!({"names": ["Falke"]}),
        "nobody else changed it"
    );
}
on_both_databases!(nobody_but_the_companys_own_admins_reads_its_list);

/// The e-mail address of the account behind `token`.
async fn email_of(app: &TestApp, token: &str) -> String {
    app.get_json("/api/v1/me", token).await["email"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_company_page_keeps_the_list_one_name_per_line(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, admin, member) = company_with_people(&app, "Acme").await;
    let (client, csrf) = signed_in_client(&app, &email_of(&app, &admin).await).await;
    let page = client
        .get(app.url("/company"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"sensitive-names-form\""),
        "the form is there"
    );

    let resp = client
        .post(app.url("/company/sensitive-names"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("names", "Falke\r\n\r\n  Kranich  \r\n"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"company-notice\""), "saved: {html}");
    assert!(html.contains(">Falke\nKranich</textarea>"), "{html}");
    assert_eq!(
        app.get_json(LIST, &admin).await,
        json!({"names": ["Falke", "Kranich"]})
    );

    // A bad list is refused with the reason, and what was typed stays in the field.
    let resp = client
        .post(app.url("/company/sensitive-names"))
        .form(&[("csrf", csrf.as_str()), ("names", "Falke\nfalke")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"form-error\""), "{html}");
    assert!(html.contains(">Falke\nfalke</textarea>"), "{html}");
    // Without the form's anti-CSRF value nothing changes.
    let resp = client
        .post(app.url("/company/sensitive-names"))
        .form(&[("csrf", "0".repeat(64).as_str()), ("names", "Weg")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // A member cannot save a list through the page either.
    let (as_member, member_csrf) = signed_in_client(&app, &email_of(&app, &member).await).await;
    let resp = as_member
        .post(app.url("/company/sensitive-names"))
        .form(&[("csrf", member_csrf.as_str()), ("names", "Weg")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        app.get_json(LIST, &admin).await,
        json!({"names": ["Falke", "Kranich"]})
    );

    // The ask form offers the hints to the member, with the API's anti-CSRF value.
    let ask = as_member
        .get(app.url("/threads/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ask.contains("id=\"hint-texts\""), "{ask}");
    assert!(ask.contains("data-hints"), "{ask}");
    let api_csrf = ask
        .split("id=\"hint-texts\" hidden data-api-csrf=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert_eq!(api_csrf.len(), 64);
    // The page's script calls the preview with the session cookie and that value.
    let resp = as_member
        .post(app.url("/api/v1/hints"))
        .header("x-csrf-token", api_csrf)
        .json(&json!({"text": "Bei Kranich"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["hints"][0]["kind"], "sensitive");
    let resp = as_member
        .post(app.url("/api/v1/hints"))
        .json(&json!({"text": "Bei Kranich"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        403,
        "a cookie without the CSRF header is refused"
    );
}
on_both_databases!(the_company_page_keeps_the_list_one_name_per_line);
