//! The web pages: language choice, security headers and the form flow without JavaScript.

use crate::helpers::{Backend, PASSWORD, hidden_csrf, spawn_app, unique_email};
use crate::on_both_databases;

#[tokio::test]
async fn pages_follow_the_browser_language_and_the_users_choice() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let get = |lang: &'static str| {
        app.client
            .get(app.url("/login"))
            .header("accept-language", lang)
            .send()
    };
    let de = get("de-DE,de;q=0.9").await.unwrap().text().await.unwrap();
    assert!(
        de.contains("<html lang=\"de\">") && de.contains("Anmelden"),
        "German page expected"
    );
    let en = get("en-GB,en;q=0.9").await.unwrap().text().await.unwrap();
    assert!(
        en.contains("<html lang=\"en\">") && en.contains("Sign in"),
        "English page expected"
    );

    let resp = app
        .client
        .get(app.url("/language?to=en&next=/register"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/register");
    let chosen = get("de-DE").await.unwrap().text().await.unwrap();
    assert!(
        chosen.contains("<html lang=\"en\">"),
        "the chosen language wins over the browser's"
    );

    let resp = app
        .client
        .get(app.url("/language?to=xx"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = app
        .client
        .get(app.url("/language?to=de&next=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["location"], "/", "no open redirect");
}

#[tokio::test]
async fn pages_send_security_headers_and_no_inline_script() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.client.get(app.url("/")).send().await.unwrap();
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert!(resp.headers().contains_key("referrer-policy"));
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("name=\"viewport\""),
        "phone-friendly viewport"
    );
    assert!(!html.contains("<script>"), "no inline script");
    let css = app
        .client
        .get(app.url("/static/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
}

async fn the_forms_register_sign_in_and_sign_out(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = unique_email("form");
    let page = app
        .client
        .get(app.url("/register"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden_csrf(&page);

    let resp = app
        .client
        .post(app.url("/register"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("handle", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let resp = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", "wrong wrong wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.text().await.unwrap().contains("form-error"));

    let resp = app
        .client
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
    let home = app
        .client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("id=\"logout\""), "signed in");

    let resp = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "a forged form is refused");
    let resp = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let home = app
        .client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("id=\"logout\""), "signed out");
}
on_both_databases!(the_forms_register_sign_in_and_sign_out);

#[tokio::test]
async fn a_form_without_its_csrf_cookie_is_refused() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let resp = reqwest::Client::new()
        .post(app.url("/login"))
        .form(&[
            ("csrf", "x".repeat(64).as_str()),
            ("email", "a@b.de"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}
