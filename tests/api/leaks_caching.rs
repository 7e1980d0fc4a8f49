//! The leak matrix, caching: no answer that depends on the viewer may be kept by a shared
//! proxy or the browser's back-button store; static files stay cacheable.

use reqwest::Method;

use crate::helpers::{Backend, browser, signed_in_client, spawn_app};
use crate::leaks::{VIEWERS, build_world};
use crate::on_both_databases;

fn assert_not_stored(resp: &reqwest::Response, what: &str) {
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(header("cache-control"), "no-store", "{what}: Cache-Control");
    let vary = header("vary").to_lowercase();
    assert!(
        vary.contains("cookie") && vary.contains("authorization"),
        "{what}: Vary is {vary:?}"
    );
}

async fn no_viewer_dependent_answer_may_be_cached(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = build_world(&app).await;
    let thread = w.thread_ids[0];
    for who in VIEWERS {
        for path in [
            format!("/api/v1/threads/{thread}"),
            "/api/v1/threads".to_owned(),
            "/api/v1/me".to_owned(),
            "/api/v1/notifications".to_owned(),
            "/api/v1/search?q=Verloren".to_owned(),
            "/api/v1/lessons".to_owned(),
        ] {
            let resp = match w.token(who) {
                Some(token) => app.call(Method::GET, &path, token, None).await,
                None => reqwest::Client::new()
                    .get(app.url(&path))
                    .send()
                    .await
                    .unwrap(),
            };
            assert_not_stored(&resp, &format!("{who:?} GET {path}"));
        }
    }

    // Pages of a signed-in person, and the sign-in form with its anti-CSRF value.
    let (email, _) = app
        .account_with_role(sellerbase::domain::Role::Member, None)
        .await;
    let (client, _) = signed_in_client(&app, &email).await;
    for path in [
        "/",
        format!("/threads/{thread}").as_str(),
        "/search?q=Abschluss",
    ] {
        let resp = client.get(app.url(path)).send().await.unwrap();
        assert_not_stored(&resp, &format!("signed-in page {path}"));
    }
    let resp = browser().get(app.url("/login")).send().await.unwrap();
    assert_not_stored(&resp, "sign-in page");

    // Static files are the same for everyone.
    let resp = browser()
        .get(app.url("/static/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cache = resp.headers()["cache-control"].to_str().unwrap();
    assert!(
        cache.starts_with("public") && cache.contains("max-age="),
        "static files are cacheable: {cache}"
    );
}
on_both_databases!(no_viewer_dependent_answer_may_be_cached);
