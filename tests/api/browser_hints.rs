//! Redaction hints in a real browser: typing a question shows what could identify someone,
//! "entfernen" puts a neutral placeholder in its place, and the rest can be ignored.

use std::time::Duration;

use fantoccini::{Client, Locator};
use reqwest::Method;
use serde_json::json;

use crate::browser::{fill, sign_in, start_browser, wait_for};
use crate::helpers::{Backend, spawn_app};
use crate::leaks::company;
use sellerbase::domain::Role;

/// The hints listed under the question's text, each with the words of its button.
/// The list is redrawn while the person types; a line that went stale mid-read is read again
/// on the next round of [`until`].
async fn hint_lines(c: &Client) -> Vec<String> {
    let mut lines = Vec::new();
    let Ok(items) = c.find_all(Locator::Css("#body + .hints li")).await else {
        return lines;
    };
    for li in items {
        let (Ok(what), Ok(button)) = (
            li.find(Locator::Css("span")).await,
            li.find(Locator::Css("button")).await,
        ) else {
            return Vec::new();
        };
        let (Ok(what), Ok(button)) = (what.text().await, button.text().await) else {
            return Vec::new();
        };
        lines.push(format!("{what} | {button}"));
    }
    lines
}

/// Waits (at most 10 s) until `done` holds for the hint list.
async fn until(c: &Client, what: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let lines = hint_lines(c).await;
        if done(&lines) {
            return lines;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: the hints are {lines:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn typing_shows_hints_and_removing_one_leaves_a_placeholder() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let org = company(&app, "Acme").await;
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let resp = app
        .call(
            Method::PUT,
            "/api/v1/company/sensitive-names",
            &admin,
            Some(json!({"names": ["Falke"]})),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let (email, _) = app.account_with_role(Role::Member, Some(org)).await;
    let c = &browser.client;
    sign_in(c, &app, &email).await;
    c.goto(&app.url("/language?to=de&next=/threads/new"))
        .await
        .unwrap();
    wait_for(c, "#hint-texts").await;
    fill(
        c,
        "#body",
        "Frau Keller will für Projekt Falke 10 % Rabatt. Ruf sie unter 0171 2345678 an?",
    )
    .await;
    let lines = until(c, "all four", |l| l.len() == 4).await;
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let _ = c
        .execute(
            "document.querySelector('#body + .hints').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await;
    if std::fs::create_dir_all(&shots).is_ok()
        && let Ok(png) = c.screenshot().await
    {
        let _ = std::fs::write(shots.join("hints-ask-de.png"), png);
    }

    assert_eq!(
        lines,
        [
            "Frau Keller (Name) | entfernen",
            "Falke (vertraulich) | entfernen",
            "10 % (Betrag) | entfernen",
            "0171 2345678 (Telefon) | entfernen"
        ]
    );
    let intro = c
        .find(Locator::Css("#body + .hints p"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(intro, "Das könnte jemanden erkennbar machen:");
    // One tap takes the name out; the other hints stay until the author decides.
    c.find(Locator::Css("#body + .hints li button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let body = c.find(Locator::Css("#body")).await.unwrap();
    assert_eq!(
        body.prop("value").await.unwrap().as_deref(),
        Some("[Name] will für Projekt Falke 10 % Rabatt. Ruf sie unter 0171 2345678 an?")
    );
    let lines = until(c, "the name gone", |l| l.len() == 3).await;
    assert_eq!(
        lines,
        [
            "Falke (vertraulich) | entfernen",
            "10 % (Betrag) | entfernen",
            "0171 2345678 (Telefon) | entfernen"
        ]
    );
    let _ = browser.client.clone().close().await;
}
