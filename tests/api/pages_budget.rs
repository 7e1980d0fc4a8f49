//! The page-weight budget, checked on what a phone downloads: a signed-in page's HTML with its
//! style sheets and scripts stays under 100 KB, and no script blocks rendering.
//!
//! Pages are sent uncompressed on purpose: compressing a page that carries the form's
//! anti-CSRF value next to text a visitor can put there (a search query) would open it to
//! BREACH-style guessing. So the budget counts the bytes as sent.

use crate::helpers::{Backend, signed_in_client_with, spawn_app};
use sellerbase::services::demo::DEMO_PASSWORD;

const BUDGET: usize = 100 * 1024;

/// `src`/`href` values of the tags named `tag` that carry `attr`.
fn assets(html: &str, tag: &str, attr: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let end = after.find('>').unwrap_or(after.len());
        let element = after[..end].to_owned();
        let key = format!("{attr}=\"");
        if let Some(at) = element.find(&key) {
            let value = &element[at + key.len()..];
            let value = value[..value.find('"').unwrap_or(value.len())].to_owned();
            out.push((value, element.clone()));
        }
        rest = &after[end..];
    }
    out
}

#[tokio::test]
async fn signed_in_pages_stay_under_100_kb_and_never_block_rendering() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    app.seed_demo_world().await;
    let (client, _) = signed_in_client_with(&app, "jonas@nordlicht.example", DEMO_PASSWORD).await;
    let thread = "/threads/1";
    for path in [
        "/",
        "/threads",
        thread,
        "/lessons",
        "/lessons/einwand-zu-teuer",
        "/search?q=Einwand",
        "/learning",
    ] {
        let resp = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let html = resp.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&html).to_string();
        let mut total = html.len();
        let head = &text[..text.find("</head>").unwrap_or(text.len())];
        for (src, element) in assets(&text, "script", "src") {
            assert!(
                element.contains(" defer")
                    || element.contains(" async")
                    || !head.contains(&element),
                "{path}: {element} blocks rendering"
            );
            total += client
                .get(app.url(&src))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .len();
        }
        for (href, element) in assets(&text, "link", "href") {
            if element.contains("stylesheet") {
                total += client
                    .get(app.url(&href))
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap()
                    .len();
            }
        }
        println!("{path}: {total} bytes");
        assert!(total < BUDGET, "{path}: {total} bytes, budget {BUDGET}");
    }
}
