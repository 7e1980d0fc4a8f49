//! The leak matrix, continued: redaction, counts of what the viewer may see, and former
//! colleagues and removed members, for every role (`leaks::VIEWERS`).

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::community::{answer, ask};
use crate::helpers::{Backend, TestApp, error_code, spawn_app};
use crate::leaks::{VIEWERS, Who, World, build_world, company};
use crate::on_both_databases;
use sellerbase::domain::Role;

async fn act(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.call(
        Method::POST,
        "/api/v1/moderation/actions",
        token,
        Some(body),
    )
    .await
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    match token {
        Some(t) => app.call(Method::GET, path, t, None).await,
        None => reqwest::Client::new()
            .get(app.url(path))
            .send()
            .await
            .unwrap(),
    }
}

/// Every stored text of the answer's revisions.
async fn revision_texts(app: &TestApp, answer_id: i64) -> String {
    entity::answer_revision::Entity::find()
        .filter(entity::answer_revision::Column::AnswerId.eq(answer_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.body_md)
        .collect::<Vec<_>>()
        .join("|")
}

fn found_thread(results: &Value, id: i64) -> bool {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["kind"] == "thread" && h["id"] == id)
}

async fn a_redaction_destroys_the_replaced_text_everywhere(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = build_world(&app).await;
    let (asker, trainer) = (w.token(Who::Asker).unwrap(), w.token(Who::Trainer).unwrap());
    let outsider = w.token(Who::Outsider).unwrap();
    let thread = w.thread_ids[0];
    let secret = "Zuckermandl";
    let a = answer(
        &app,
        outsider,
        thread,
        &format!("Bei {secret} GmbH hat Rabatt geholfen."),
    )
    .await;
    // The author edited once before (that version names the customer too).
    let resp = app
        .call(
            Method::PUT,
            &format!("/api/v1/answers/{a}"),
            outsider,
            Some(json!({"body": format!("Bei {secret} hat Rabatt geholfen, 15 Prozent.")})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    app.wait_for_index().await;
    assert!(found_thread(
        &app.get_json(&format!("/api/v1/search?q={secret}"), asker)
            .await,
        thread
    ));

    let resp = act(
        &app,
        trainer,
        json!({"target": "answer", "target_id": a, "action": "edit",
        "body": "Beim Kunden hat ein Rabatt geholfen.", "reason": "Kundenname entfernt"}),
    )
    .await;
    assert_eq!(resp.status(), 204);
    app.wait_for_index().await;

    assert!(
        !revision_texts(&app, a).await.contains(secret),
        "no stored revision keeps the removed text"
    );
    for who in VIEWERS {
        let token = w.token(who);
        let history = get(&app, token, &format!("/api/v1/answers/{a}/history")).await;
        let status = history.status().as_u16();
        let text = history.text().await.unwrap();
        assert!(
            !text.contains(secret),
            "{who:?}: history leaks the redacted text"
        );
        match who {
            // The author (the outsider here) and the moderators see that it was edited.
            Who::Outsider | Who::Trainer | Who::PlatformAdmin => {
                assert_eq!(status, 200, "{who:?}: history");
                let entries: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(entries[0]["replaced_by"], "moderator", "{who:?}");
                assert_eq!(entries[0]["redacted"], true, "{who:?}");
                assert!(
                    entries
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|e| e["body"].is_null())
                );
            }
            Who::Anonymous => assert_eq!(status, 401),
            _ => assert_eq!(status, 404, "{who:?}: history is not theirs"),
        }
        let Some(token) = token else { continue };
        let detail = get(&app, Some(token), &format!("/api/v1/threads/{thread}")).await;
        assert!(
            !detail.text().await.unwrap().contains(secret),
            "{who:?}: thread"
        );
        let search = get(&app, Some(token), &format!("/api/v1/search?q={secret}")).await;
        let search_text = search.text().await.unwrap();
        assert!(!search_text.contains(secret), "{who:?}: search snippet");
        if let Ok(found) = serde_json::from_str::<Value>(&search_text)
            && found.get("hits").is_some()
        {
            assert!(
                !found_thread(&found, thread),
                "{who:?}: no hit for the removed word"
            );
        }
        let suggest = get(
            &app,
            Some(token),
            &format!("/api/v1/search/suggest?q={secret}"),
        )
        .await;
        assert!(
            !suggest.text().await.unwrap().contains(secret),
            "{who:?}: suggestion"
        );
    }
    let mails = entity::mail_outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        mails
            .iter()
            .all(|m| !m.body.contains(secret) && !m.subject.contains(secret))
    );

    // The author removes the old text of their own edit.
    let b = answer(&app, outsider, thread, "Frau Obermaier wollte 20 Prozent.").await;
    let resp = app
        .call(
            Method::PUT,
            &format!("/api/v1/answers/{b}"),
            outsider,
            Some(json!({"body": "Die Kundin wollte 20 Prozent.", "remove_old_text": true})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert!(!revision_texts(&app, b).await.contains("Obermaier"));
    let history = app
        .get_json(&format!("/api/v1/answers/{b}/history"), outsider)
        .await;
    assert_eq!(history[0]["replaced_by"], "author");
    assert_eq!(history[0]["redacted"], true);

    // A redaction of a post that is gone or not visible answers as a missing post, and
    // changes nothing.
    let deleted = answer(&app, outsider, thread, "Wird gelöscht.").await;
    assert_eq!(
        act(&app, trainer, json!({"target": "answer", "target_id": deleted, "action": "delete", "reason": "test delete"})).await.status(),
        204
    );
    let coaches_answer = answer(&app, trainer, w.thread_ids[2], "Nur für Coaches.").await;
    let missing = a + 10_000;
    let platform_admin = w.token(Who::PlatformAdmin).unwrap();
    for (target, token, what) in [
        (deleted, trainer, "a deleted answer"),
        (missing, trainer, "an answer that never existed"),
        (
            coaches_answer,
            platform_admin,
            "an answer in a thread the moderator may not see",
        ),
    ] {
        let (status, code, _) = error_code(
            act(
                &app,
                token,
                json!({"target": "answer", "target_id": target, "action": "edit",
                "body": "Neu", "reason": "Name entfernt"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (404, "not_found"), "{what}");
    }
    assert!(
        revision_texts(&app, deleted).await.is_empty(),
        "nothing half-written"
    );
    assert!(revision_texts(&app, coaches_answer).await.is_empty());
}
on_both_databases!(a_redaction_destroys_the_replaced_text_everywhere);

async fn thread_answer_count(app: &TestApp, token: &str, path: &str, id: i64) -> Option<i64> {
    let page = app.get_json(path, token).await;
    let items = page.get("items").unwrap_or(&page);
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .map(|t| t["answer_count"].as_i64().unwrap())
}

async fn every_answer_count_counts_what_the_viewer_may_see(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = build_world(&app).await;
    let (trainer, outsider) = (
        w.token(Who::Trainer).unwrap(),
        w.token(Who::Outsider).unwrap(),
    );
    let individual = w.token(Who::Individual).unwrap();
    let thread = w.thread_ids[0];
    let only_hidden = ask(
        &app,
        individual,
        "Nur eine versteckte Antwort hier",
        "community",
    )
    .await;
    answer(&app, outsider, thread, "Sichtbar").await;
    let hidden = answer(&app, outsider, thread, "Versteckt").await;
    let deleted = answer(&app, individual, thread, "Gelöscht").await;
    let hidden_alone = answer(&app, outsider, only_hidden, "Allein versteckt").await;
    for (id, action) in [
        (hidden, "hide"),
        (deleted, "delete"),
        (hidden_alone, "hide"),
    ] {
        let resp = act(
            &app,
            trainer,
            json!({"target": "answer", "target_id": id, "action": action, "reason": "Testgrund"}),
        )
        .await;
        assert_eq!(resp.status(), 204);
    }
    for who in VIEWERS {
        let Some(token) = w.token(who) else { continue };
        if who == Who::CompanyAdmin {
            continue;
        }
        // Members see the one visible answer; the author of the hidden one and moderators
        // see two; nobody counts the deleted one.
        let expected = match who {
            Who::Outsider | Who::Trainer | Who::PlatformAdmin => 2,
            _ => 1,
        };
        let in_thread = app
            .get_json(&format!("/api/v1/threads/{thread}"), token)
            .await;
        assert_eq!(
            in_thread["answers"].as_array().unwrap().len() as i64,
            expected,
            "{who:?}: answers shown"
        );
        assert_eq!(
            in_thread["answer_count"], expected,
            "{who:?}: count in the thread"
        );
        for path in [
            "/api/v1/threads?limit=50",
            "/api/v1/threads?topic=relationship",
        ] {
            assert_eq!(
                thread_answer_count(&app, token, path, thread).await,
                Some(expected),
                "{who:?}: {path}"
            );
        }
        let profile = app
            .get_json(&format!("/api/v1/users/{}", w.asker_handle), token)
            .await;
        let on_profile = profile["threads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == thread)
            .map(|t| t["answer_count"].as_i64().unwrap());
        assert_eq!(on_profile, Some(expected), "{who:?}: profile");
        // "Unanswered" means: no answer this viewer could read.
        let unanswered = thread_answer_count(
            &app,
            token,
            "/api/v1/threads?list=unanswered&limit=50",
            only_hidden,
        )
        .await;
        let sees_hidden = matches!(who, Who::Outsider | Who::Trainer | Who::PlatformAdmin);
        assert_eq!(
            unanswered.is_some(),
            !sees_hidden,
            "{who:?}: unanswered filter"
        );
    }
}
on_both_databases!(every_answer_count_counts_what_the_viewer_may_see);

fn not_my_company(w: &World) -> i64 {
    w.thread_ids[1]
}

async fn former_colleagues_and_removed_members_never_read_hidden_from_my_company(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = build_world(&app).await;
    let thread = not_my_company(&w);
    let admin = w.token(Who::CompanyAdmin).unwrap();
    let asker = w.token(Who::Asker).unwrap();
    let acme = app.get_json("/api/v1/me", admin).await["organization_id"]
        .as_i64()
        .unwrap();
    let other = company(&app, "Cobalt").await;

    // A colleague at Acme is removed by the company admin.
    let (colleague_email, colleague) = app.account_with_role(Role::Member, Some(acme)).await;
    let members = app.get_json("/api/v1/company/members", admin).await;
    let colleague_id = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == colleague_email.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .call(
            Method::DELETE,
            &format!("/api/v1/company/members/{colleague_id}"),
            admin,
            None,
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(
        get(&app, Some(&colleague), "/api/v1/me").await.status(),
        401,
        "removing a member ends their sessions at once"
    );
    // Signed in again, now on their own: the question stays hidden from them everywhere.
    let again = app
        .token_of(&colleague_email, crate::helpers::PASSWORD)
        .await;
    app.wait_for_index().await;
    let missing = get(&app, Some(&again), "/api/v1/threads/999999")
        .await
        .text()
        .await
        .unwrap();
    let detail = get(&app, Some(&again), &format!("/api/v1/threads/{thread}")).await;
    assert_eq!(
        detail.status(),
        404,
        "a former colleague sees no 'hidden from my company'"
    );
    assert_eq!(detail.text().await.unwrap(), missing);
    let list = app.get_json("/api/v1/threads?limit=50", &again).await;
    assert!(!list.to_string().contains(&w.titles[1]), "list");
    let found = app
        .get_json("/api/v1/search?q=Verloren%20Abschluss&per_page=50", &again)
        .await;
    assert!(!found_thread(&found, thread), "search");
    assert_eq!(
        found["total"], 1,
        "search total: the one visible community thread only"
    );

    // The asker moves to another company: Acme people stay excluded, Cobalt people too.
    let acme_member = app.user_with_role(Role::Member, Some(acme)).await;
    sellerbase::services::companies::memberships::company_changed(
        &app.db,
        app.get_json("/api/v1/me", asker).await["id"]
            .as_i64()
            .unwrap(),
        Some(other),
    )
    .await
    .unwrap();
    let cobalt_member = app.user_with_role(Role::Member, Some(other)).await;
    app.wait_for_index().await;
    for (token, who) in [(&acme_member, "Acme"), (&cobalt_member, "Cobalt")] {
        assert_eq!(
            get(&app, Some(token), &format!("/api/v1/threads/{thread}"))
                .await
                .status(),
            404,
            "{who}: a colleague of the author then or now"
        );
        let found = app
            .get_json("/api/v1/search?q=Verloren%20Abschluss&per_page=50", token)
            .await;
        assert!(!found_thread(&found, thread), "{who}: search");
    }
    // Someone who never worked with the author still sees it.
    let outsider = w.token(Who::Outsider).unwrap();
    assert_eq!(
        get(&app, Some(outsider), &format!("/api/v1/threads/{thread}"))
            .await
            .status(),
        200
    );
}
on_both_databases!(former_colleagues_and_removed_members_never_read_hidden_from_my_company);

async fn suspending_an_account_ends_its_sessions_at_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = build_world(&app).await;
    let admin = w.token(Who::PlatformAdmin).unwrap();
    let (email, seller) = app.account_with_role(Role::Member, None).await;
    let id = app.get_json("/api/v1/me", &seller).await["id"]
        .as_i64()
        .unwrap();
    let set = |token: String, id: i64, status: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::PUT,
                &format!("/api/v1/admin/users/{id}/status"),
                &token,
                Some(json!({"status": status})),
            )
            .await
        }
    };
    let resp = set(admin.to_owned(), id, "suspended").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "suspended");
    assert_eq!(
        get(&app, Some(&seller), "/api/v1/me").await.status(),
        401,
        "the suspended person's session ended"
    );
    let again = app.token_of(&email, crate::helpers::PASSWORD).await;
    let thread = w.thread_ids[0];
    assert_eq!(
        get(&app, Some(&again), &format!("/api/v1/threads/{thread}"))
            .await
            .status(),
        200,
        "suspended accounts still read"
    );
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            &format!("/api/v1/threads/{thread}/answers"),
            &again,
            Some(json!({"body": "Darf ich nicht"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "but never write");
    assert_eq!(set(admin.to_owned(), id, "active").await.status(), 200);

    // Bad input: another status, oneself, an unknown account, someone who is not an admin.
    let me = app.get_json("/api/v1/me", admin).await["id"]
        .as_i64()
        .unwrap();
    for (token, target, status, expected, what) in [
        (
            admin,
            id,
            "deleted",
            400,
            "deleting is the person's own decision",
        ),
        (admin, me, "suspended", 409, "not oneself"),
        (admin, id + 10_000, "suspended", 404, "unknown account"),
        (
            w.token(Who::Trainer).unwrap(),
            id,
            "suspended",
            403,
            "trainers do not suspend",
        ),
    ] {
        let resp = set(token.to_owned(), target, status).await;
        assert_eq!(resp.status().as_u16(), expected, "{what}");
    }
}
on_both_databases!(suspending_an_account_ends_its_sessions_at_once);
