//! The start page of signed-in people ("today"), confirmations after actions, and
//! notifications that are read by opening their thread and grouped per thread.

use reqwest::Method;
use serde_json::Value;

use crate::community::{answer, ask};
use crate::helpers::{Backend, TestApp, page_text, signed_in_client, spawn_app};
use crate::on_both_databases;
use sellerbase::domain::Role;

fn count_of(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

async fn member_today(app: &TestApp) -> (String, String, reqwest::Client, String) {
    let (email, token) = app.account_with_role(Role::Member, None).await;
    let (client, csrf) = signed_in_client(app, &email).await;
    (email, token, client, csrf)
}

async fn today_shows_what_needs_the_member_and_reading_a_thread_reads_its_news(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, asker, client, csrf) = member_today(&app).await;
    let helper = app.member().await;
    let page = page_text(&client, &app, "/").await;
    assert!(page.contains("id=\"today-done\""), "nothing waits yet");
    assert!(page.contains("id=\"today-ask\"") && page.contains("id=\"today-q\""));
    assert!(
        !page.contains("Unser Versprechen"),
        "no marketing page after sign-in"
    );

    let t = ask(&app, &asker, "Wie frage ich nach dem Budget?", "community").await;
    for body in ["Erste Idee", "Zweite Idee", "Dritte Idee"] {
        answer(&app, &helper, t, body).await;
    }
    let page = page_text(&client, &app, "/").await;
    assert!(page.contains("id=\"today-news\""));
    assert_eq!(
        count_of(&page, "3 neue Antworten"),
        1,
        "three answers to one question are one line"
    );
    assert!(page.contains("Wie frage ich nach dem Budget?"));
    assert!(page.contains("id=\"today-questions\""), "my questions");
    assert!(page.contains("3 Antworten"), "plural of the answer count");
    assert!(page.contains("id=\"unread\">3<"), "badge before reading");

    // Opening the thread reads its notifications: the badge goes down on that very page.
    let page = page_text(&client, &app, &format!("/threads/{t}")).await;
    assert!(!page.contains("id=\"unread\""), "badge gone after reading");
    let notes = app.get_json("/api/v1/notifications", &asker).await;
    assert_eq!(notes["unread"], 0);
    let page = page_text(&client, &app, "/").await;
    assert!(!page.contains("id=\"today-news\""));

    // A confirmation follows each action, once.
    let resp = client
        .post(app.url(&format!("/threads/{t}/answers")))
        .form(&[("csrf", csrf.as_str()), ("body", "Selbst ergänzt")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = page_text(&client, &app, &format!("/threads/{t}")).await;
    assert!(
        page.contains("id=\"flash\""),
        "confirmation after answering"
    );
    assert!(page.contains("Danke! Deine Antwort ist online."));
    let again = page_text(&client, &app, &format!("/threads/{t}")).await;
    assert!(!again.contains("id=\"flash\""), "shown once");
    // A forged confirmation key shows nothing.
    let forged = client
        .get(app.url("/"))
        .header("cookie", "sb_flash=<script>")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!forged.contains("id=\"flash\""));
}
on_both_databases!(today_shows_what_needs_the_member_and_reading_a_thread_reads_its_news);

async fn trainers_and_company_admins_have_their_own_today(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (trainer_email, trainer) = app.account_with_role(Role::Trainer, None).await;
    let lesson = crate::lessons::lesson_body("Die Abschlussfrage im richtigen Moment");
    let resp = app
        .call(Method::POST, "/api/v1/lessons", &trainer, Some(lesson))
        .await;
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{id}/submit"),
            &trainer,
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let (other_email, _) = app.account_with_role(Role::Trainer, None).await;
    let (client, _) = signed_in_client(&app, &other_email).await;
    let page = page_text(&client, &app, "/").await;
    assert!(page.contains("id=\"today-trainer\""));
    assert!(
        page.contains("Die Abschlussfrage im richtigen Moment"),
        "review queue"
    );
    let (client, _) = signed_in_client(&app, &trainer_email).await;
    assert!(
        page_text(&client, &app, "/")
            .await
            .contains("id=\"today-trainer\"")
    );

    let org = crate::leaks::company(&app, "Nordwind").await;
    let (admin_email, _) = app.account_with_role(Role::CompanyAdmin, Some(org)).await;
    let (client, _) = signed_in_client(&app, &admin_email).await;
    let page = page_text(&client, &app, "/").await;
    assert!(page.contains("id=\"today-company\"") && page.contains("Nordwind"));
    assert!(
        !page.contains("id=\"today-ask\""),
        "company admins do not post"
    );
    assert!(!page.contains("href=\"/threads\""), "nor see the community");
}
on_both_databases!(trainers_and_company_admins_have_their_own_today);
