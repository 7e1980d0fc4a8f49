//! Messages speak the reader's language: the API answers in the language `Accept-Language`
//! prefers (German or English, English when it names neither), the pages in the page's
//! language; the error shape and codes stay the same.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, PASSWORD, TestApp, error_code, signed_in_client, spawn_app, unique_email,
};
use crate::on_both_databases;
use sellerbase::domain::Role;

/// Sends a request with an optional bearer token and `Accept-Language`; returns the error.
async fn refused(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    language: Option<&str>,
) -> (u16, String, String) {
    let mut req = reqwest::Client::new().request(method, app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    if let Some(language) = language {
        req = req.header("accept-language", language);
    }
    error_code(req.send().await.unwrap()).await
}

fn question(title: &str, body: &str) -> Value {
    json!({"title": title, "body": body, "topic": "negotiation", "language": "de",
           "visibility": "community", "tags": []})
}

async fn the_api_answers_in_the_language_the_request_prefers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let member = app.member().await;
    let taken =
        |email: String| json!({"email": email, "password": PASSWORD, "handle": "gleicher-name"});
    let first = app
        .post_json("/api/v1/auth/register", &taken(unique_email("m")))
        .await;
    assert_eq!(first.status(), 202);

    type Case = (
        &'static str,
        Method,
        &'static str,
        bool,
        Option<Value>,
        u16,
        &'static str,
    );
    let cases: Vec<(Case, &str, &str)> = vec![
        (
            (
                "a field the document limits (empty body)",
                Method::POST,
                "/api/v1/threads",
                true,
                Some(question("Eine gute Frage zum Preis", "   ")),
                400,
                "invalid_input",
            ),
            "Text darf nicht leer sein.",
            "body must not be empty",
        ),
        (
            (
                "a domain rule (a title that is too short)",
                Method::POST,
                "/api/v1/threads",
                true,
                Some(question("kurz", "Text")),
                400,
                "invalid_input",
            ),
            "Titel braucht mindestens 8 Zeichen.",
            "title must be at least 8 characters",
        ),
        (
            (
                "a domain rule (an unknown topic)",
                Method::GET,
                "/api/v1/threads?topic=haggling",
                true,
                None,
                400,
                "invalid_input",
            ),
            "Das Thema „haggling“ gibt es nicht. Wähl eines von: relationship,",
            "unknown topic \"haggling\"; use one of: relationship,",
        ),
        (
            (
                "a conflict (a handle that is taken)",
                Method::POST,
                "/api/v1/auth/register",
                false,
                None,
                409,
                "conflict",
            ),
            "Dieses Pseudonym ist schon vergeben. Wähl bitte ein anderes.",
            "this handle is already taken, please choose another",
        ),
        (
            (
                "a forbidden action (a member previews a lesson)",
                Method::POST,
                "/api/v1/lessons/preview",
                true,
                Some(json!({"body": "x"})),
                403,
                "forbidden",
            ),
            "Lektionen schreiben nur Trainer.",
            "only trainers write lessons",
        ),
        (
            (
                "no credentials",
                Method::GET,
                "/api/v1/me",
                false,
                None,
                401,
                "unauthorized",
            ),
            "Melde dich bitte zuerst an",
            "sign in first",
        ),
    ];
    for ((why, method, path, signed_in, body, status, code), german, english) in cases {
        let token = signed_in.then_some(member.as_str());
        // The conflict needs a fresh address each time, or it would be a different answer.
        let body =
            body.or_else(|| (path == "/api/v1/auth/register").then(|| taken(unique_email("n"))));
        for (language, expected, other) in [
            (Some("de-DE,de;q=0.9,en;q=0.8"), german, english),
            (Some("en-US,en;q=0.9,de;q=0.5"), english, german),
            (Some("fr-FR,en;q=0.5"), english, german),
            (None, english, german),
        ] {
            let (got_status, got_code, message) =
                refused(&app, method.clone(), path, token, body.clone(), language).await;
            assert_eq!(
                (got_status, got_code.as_str()),
                (status, code),
                "{why} with {language:?}: {message}"
            );
            assert!(
                message.contains(expected) && !message.contains(other),
                "{why} with {language:?}: expected {expected:?}, got {message:?}"
            );
        }
    }
}
on_both_databases!(the_api_answers_in_the_language_the_request_prefers);

async fn german_pages_show_german_messages_and_english_pages_english_ones(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (email, token) = app.account_with_role(Role::Member, None).await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/threads",
            &token,
            Some(question(
                "Wie reagiere ich auf zu teuer?",
                "Mein Kunde sagt das oft.",
            )),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let thread = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (client, csrf) = signed_in_client(&app, &email).await;
    let ask = |title: &'static str| {
        let csrf = csrf.clone();
        let client = client.clone();
        let url = app.url("/threads");
        async move {
            let form = [
                ("csrf", csrf.as_str()),
                ("title", title),
                ("body", "Mein Kunde sagt zu teuer."),
                ("topic", "negotiation"),
                ("language", "de"),
                ("visibility", "community"),
                ("tags", ""),
            ];
            let resp = client.post(url).form(&form).send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };
    let answer = |body: &'static str| {
        let csrf = csrf.clone();
        let client = client.clone();
        let url = app.url(&format!("/threads/{thread}/answers"));
        async move {
            let form = [("csrf", csrf.as_str()), ("body", body)];
            let resp = client.post(url).form(&form).send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };

    for (what, (status, html), german, english) in [
        (
            "the ask form with an empty title",
            ask("").await,
            "Titel darf nicht leer sein.",
            "must not be empty",
        ),
        (
            "the ask form with a short title",
            ask("kurz").await,
            "Titel braucht mindestens 8 Zeichen.",
            "at least 8 characters",
        ),
        (
            "the answer form with an empty answer",
            answer("   ").await,
            "Text darf nicht leer sein.",
            "must not be empty",
        ),
    ] {
        assert_eq!(status, 400, "{what}");
        assert!(html.contains("<html lang=\"de\">"), "{what}: a German page");
        assert!(
            html.contains(german) && !html.contains(english),
            "{what}: expected {german:?} and no English in the page"
        );
    }

    let switched = client
        .get(app.url("/language?to=en&next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 303);
    let (status, html) = answer("   ").await;
    assert_eq!(status, 400);
    assert!(html.contains("<html lang=\"en\">"), "an English page");
    assert!(
        html.contains("body must not be empty") && !html.contains("darf nicht leer"),
        "the English page shows the English message"
    );
}
on_both_databases!(german_pages_show_german_messages_and_english_pages_english_ones);
