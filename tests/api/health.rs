//! Health probes and request ids.

use crate::helpers::{Backend, spawn_app};
use crate::on_both_databases;

async fn health_and_readiness_answer_ok(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let resp = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}
on_both_databases!(health_and_readiness_answer_ok);

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = resp
        .headers()
        .get("x-request-id")
        .expect("x-request-id")
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 16);
    let resp = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["x-request-id"],
        "trace-123",
        "a sane incoming id is kept"
    );
}

async fn metrics_count_routes_searches_and_report_the_outbox_and_pool(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let member = app.member().await;
    app.wait_for_index().await;
    for _ in 0..3 {
        let resp = app.get_with_token("/api/v1/search?q=Preis", &member).await;
        assert_eq!(resp.status(), 200);
    }
    let resp = app
        .client
        .get(app.url("/api/v1/threads/424242"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = resp.text().await.unwrap();
    let search = "sellerbase_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/search\",status=\"200\"} 3";
    assert!(text.contains(search), "{text}");
    assert!(
        text.contains("route=\"/api/v1/threads/:id\",status=\"401\""),
        "{text}"
    );
    assert!(
        !text.contains("424242") && !text.contains("Preis"),
        "no ids or search text in labels"
    );
    assert!(
        text.contains("sellerbase_search_duration_seconds_count{} 3"),
        "{text}"
    );
    assert!(text.contains("\nsellerbase_outbox_lag 0\n"), "{text}");
    let pool = text
        .lines()
        .find(|l| l.starts_with("sellerbase_db_pool_connections "))
        .unwrap();
    assert!(pool.split(' ').nth(1).unwrap().parse::<f64>().unwrap() >= 1.0);
}
on_both_databases!(metrics_count_routes_searches_and_report_the_outbox_and_pool);

#[tokio::test]
async fn metrics_can_require_a_token() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |s| {
        s.metrics_token = Some(sellerbase::config::Secret::new("scrape-secret"));
    })
    .await
    .unwrap();
    let resp = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let resp = app.get_with_token("/metrics", "wrong").await;
    assert_eq!(resp.status(), 401);
    let resp = app.get_with_token("/metrics", "scrape-secret").await;
    assert_eq!(resp.status(), 200);
}
