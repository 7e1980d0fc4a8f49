//! Every failure is a page of the layout in the reader's language with a way back; confirming
//! the e-mail address and asking before confirming lose nothing and say what to do.

use crate::helpers::{
    Backend, PASSWORD, browser, hidden_csrf, mailed_token, page_text, spawn_app, unique_email,
};
use crate::on_both_databases;

async fn failures_are_pages_in_the_readers_language(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let client = browser();
    for (path, method, status, german) in [
        ("/gibt-es-nicht", "GET", 404, "Diese Seite gibt es nicht."),
        (
            "/threads/abc",
            "GET",
            400,
            "Diese Adresse ist so nicht gültig.",
        ),
        ("/lessons/x/y/z", "GET", 404, "Diese Seite gibt es nicht."),
        (
            "/search",
            "DELETE",
            405,
            "Das geht auf dieser Seite so nicht.",
        ),
    ] {
        let resp = client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "{method} {path}");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}: a page"
        );
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("<header class=\"top\">"),
            "{path}: in the layout"
        );
        assert!(html.contains(german), "{path}: German message, got {html}");
        assert!(html.contains("href=\"/\""), "{path}: a way back");
    }
    let english = client
        .get(app.url("/gibt-es-nicht"))
        .header("cookie", "sb_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("This page does not exist."));
    assert!(!english.contains("Diese Seite"), "one language per page");
}
on_both_databases!(failures_are_pages_in_the_readers_language);

async fn confirming_and_asking_before_confirming_lose_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let client = browser();
    let email = unique_email("fresh");
    let csrf = hidden_csrf(&page_text(&client, &app, "/register").await);
    let page = client
        .post(app.url("/register"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("handle", ""),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Wir haben dir eine E-Mail geschickt"),
        "says to check the mail"
    );

    // Signed in but not confirmed: the ask form says so, and sending keeps every word.
    let csrf = hidden_csrf(&page_text(&client, &app, "/login").await);
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let form = page_text(&client, &app, "/threads/new").await;
    assert!(form.contains("id=\"confirm-first\""));
    let csrf = hidden_csrf(&form);
    let resp = client
        .post(app.url("/threads"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Mein Kunde will immer Rabatt"),
            (
                "body",
                "Ein langer Text, den ich nicht noch einmal schreiben will.",
            ),
            ("topic", "negotiation"),
            ("language", "de"),
            ("visibility", "community"),
            ("tags", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"ask-form\""), "the form again");
    assert!(html.contains("Mein Kunde will immer Rabatt"));
    assert!(html.contains("Ein langer Text, den ich nicht noch einmal schreiben will."));

    // The link confirms and leads on with the good news, not under an error heading.
    let token = mailed_token(&app, &email, "verification").await.unwrap();
    let resp = client
        .get(app.url(&format!("/verify/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let next = resp.headers()["location"].to_str().unwrap().to_owned();
    let page = page_text(&client, &app, &next).await;
    assert!(page.contains("id=\"flash\"") && page.contains("bestätigt"));
    assert!(!page.contains("Das hat nicht geklappt"));
    let form = page_text(&client, &app, "/threads/new").await;
    assert!(!form.contains("id=\"confirm-first\""));
}
on_both_databases!(confirming_and_asking_before_confirming_lose_nothing);
