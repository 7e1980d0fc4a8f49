//! Companies through the API: enrolling a team by CSV, invitations and seats, teams,
//! assignments and the dashboard (which reveals nothing of the community), removing members,
//! SCIM, e-mail verification, and members owning their data.

use chrono::{Duration, Utc};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::community::ask;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, spawn_app};
use crate::lessons::published_lesson;
use crate::on_both_databases;
use sellerbase::domain::Role;

/// The newest link token for `email` in the mail outbox (`/invitations/…` or `/verify/…`).
pub async fn link_token(app: &TestApp, email: &str, kind: &str) -> String {
    crate::helpers::mailed_token(app, email, kind)
        .await
        .unwrap_or_else(|| panic!("no {kind} mail to {email}"))
}

async fn company_with_admin(app: &TestApp, seats: i32) -> (i64, String) {
    let platform = app.user_with_role(Role::PlatformAdmin, None).await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/companies",
            &platform,
            Some(json!({"name": "Nordwind Vertrieb", "seats": seats})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let org = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (org, app.user_with_role(Role::CompanyAdmin, Some(org)).await)
}

async fn enrolling_by_csv_assigning_and_the_dashboard(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (org, admin) = company_with_admin(&app, 3).await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/company/teams",
            &admin,
            Some(json!({"name": "Außendienst Nord"})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let team = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let csv = "email,name,team\nanna@nordwind.example,Anna Berg,Außendienst Nord\nben@nordwind.example,Ben Kurz,Außendienst Nord\n";
    let report = app
        .call(
            Method::POST,
            "/api/v1/company/invitations/csv",
            &admin,
            Some(json!({"csv": csv})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        (report["applied"].as_bool(), report["created"].as_i64()),
        (Some(true), Some(2)),
        "{report}"
    );
    assert_eq!(report["rows"][0]["line"], 2);
    let again = app
        .call(
            Method::POST,
            "/api/v1/company/invitations/csv",
            &admin,
            Some(json!({"csv": csv})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        (again["created"].as_i64(), again["skipped"].as_i64()),
        (Some(0), Some(2)),
        "re-uploading creates nothing twice: {again}"
    );
    assert_eq!(again["rows"][0]["reason"], "already invited");

    // Anna accepts and becomes a member of the team.
    let token = link_token(&app, "anna@nordwind.example", "invitation").await;
    let info = app
        .get_json_anonymous(&format!("/api/v1/invitations/{token}"))
        .await;
    assert_eq!(info["company"], "Nordwind Vertrieb");
    let resp = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
        .json(&json!({"password": PASSWORD, "handle": "anna-sells"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let again = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, _, message) = error_code(again).await;
    assert_eq!(status, 409, "a used invitation: {message}");
    let anna = app.token_of("anna@nordwind.example", PASSWORD).await;
    let teams = app.get_json("/api/v1/company/teams", &admin).await;
    assert_eq!(teams[0]["member_ids"].as_array().unwrap().len(), 1);

    // Seats: 3 seats, Anna plus Ben's pending invitation use two; one more fits, then no more.
    let invite = |email: &str| json!({"email": email});
    assert_eq!(
        app.call(
            Method::POST,
            "/api/v1/company/invitations",
            &admin,
            Some(invite("cem@nordwind.example"))
        )
        .await
        .status(),
        201
    );
    let (status, _, message) = error_code(
        app.call(
            Method::POST,
            "/api/v1/company/invitations",
            &admin,
            Some(invite("dora@nordwind.example")),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert!(message.contains("seats"), "{message}");

    // Assigned learning shows up for the member, and progress on the dashboard.
    let (author, reviewer) = (app.trainer().await, app.trainer().await);
    let lesson = published_lesson(&app, &author, &reviewer, "Zugewiesene Lektion").await;
    let due = (Utc::now().date_naive() + Duration::days(7)).to_string();
    let resp = app
        .call(
            Method::POST,
            "/api/v1/company/assignments",
            &admin,
            Some(json!({"lesson_id": lesson, "team_id": team, "due_on": due})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let mine = app.get_json("/api/v1/me/assignments", &anna).await;
    assert_eq!(
        (mine[0]["title"].as_str(), mine[0]["completed"].as_i64()),
        (Some("Zugewiesene Lektion"), Some(0))
    );
    let before = app.get_json("/api/v1/company/dashboard", &admin).await;
    assert_eq!(
        (
            before["seats"].as_i64(),
            before["seats_used"].as_i64(),
            before["pending_invitations"].as_i64()
        ),
        (Some(3), Some(3), Some(2))
    );
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{lesson}/complete"),
        &anna,
        None,
    )
    .await;
    let after = app.get_json("/api/v1/company/dashboard", &admin).await;
    let row = after["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "anna@nordwind.example")
        .unwrap()
        .clone();
    assert_eq!(
        (
            row["assigned_lessons"].as_i64(),
            row["completed_lessons"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(after["teams"][0]["completed_lessons"], 1);
    let csv = app
        .call(Method::GET, "/api/v1/company/dashboard.csv", &admin, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("email,name,teams,assigned_lessons")
            && csv.contains("anna@nordwind.example,Anna Berg,Außendienst Nord,1,1"),
        "{csv}"
    );
    let _ = org;
}
on_both_databases!(enrolling_by_csv_assigning_and_the_dashboard);

async fn bad_company_input_is_refused_and_nothing_half_done(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (org, admin) = company_with_admin(&app, 2).await;
    app.call(
        Method::POST,
        "/api/v1/company/teams",
        &admin,
        Some(json!({"name": "Team A"})),
    )
    .await;
    let upload = |csv: &str| {
        app.call(
            Method::POST,
            "/api/v1/company/invitations/csv",
            &admin,
            Some(json!({"csv": csv})),
        )
    };
    let r = upload("a@x.example,A,Team A\nnot-an-email,B,Team A\n")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(r["applied"], false);
    assert_eq!(r["rows"][1]["outcome"], "failed");
    assert!(r["rows"][1]["reason"].as_str().unwrap().contains("e-mail"));
    assert_eq!(
        r["rows"][0]["outcome"], "skipped",
        "nothing of a broken upload is created"
    );
    let r = upload("a@x.example,A,Team Z\n")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        r["rows"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("unknown team"),
        "{r}"
    );
    let r = upload("a@x.example,A,\nA@x.example,A2,\n")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        (r["applied"].as_bool(), r["created"].as_i64()),
        (Some(true), Some(1)),
        "duplicate e-mails: {r}"
    );
    assert_eq!(r["rows"][1]["reason"], "repeats an earlier row");
    let r = upload("b@x.example,,\nc@x.example,,\nd@x.example,,\n")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(r["applied"], false, "more invitations than seats");
    assert!(r["rows"][0]["reason"].as_str().unwrap().contains("seats"));
    assert_eq!(
        app.get_json("/api/v1/company/invitations", &admin)
            .await
            .as_array()
            .unwrap()
            .len(),
        1,
        "only the one good upload created anything"
    );
    let (status, _, _) = error_code(upload("").await).await;
    assert_eq!(status, 400, "an empty file");

    // An expired invitation, and one for an account that must confirm by signing in.
    let token = link_token(&app, "a@x.example", "invitation").await;
    app.db
        .execute_unprepared("UPDATE invitations SET expires_at = '2020-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    let (status, _, message) = error_code(
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
            .json(&json!({"password": PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 409);
    assert!(message.contains("expired"), "{message}");
    let individual = app.member().await;
    let email = app.get_json("/api/v1/me", &individual).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.call(
            Method::POST,
            "/api/v1/company/invitations",
            &admin,
            Some(json!({"email": email}))
        )
        .await
        .status(),
        201
    );
    let token = link_token(&app, &email, "invitation").await;
    let anonymous = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.status(),
        403,
        "an existing account confirms by signing in"
    );
    let stranger = app.member().await;
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/invitations/{token}/accept"),
            &stranger,
            Some(json!({}))
        )
        .await
        .status(),
        403,
        "someone else's invitation"
    );
    assert_eq!(
        app.call(
            Method::POST,
            &format!("/api/v1/invitations/{token}/accept"),
            &individual,
            Some(json!({}))
        )
        .await
        .status(),
        200,
        "linked after confirming"
    );
    assert_eq!(
        app.get_json("/api/v1/me", &individual).await["organization_id"],
        org
    );

    // Other companies' admins, and members, cannot manage this company.
    let (other, other_admin) = company_with_admin(&app, 5).await;
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/api/v1/company/members?company={org}"),
            &other_admin,
            None
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.call(Method::GET, "/api/v1/company/dashboard", &individual, None)
            .await
            .status(),
        403
    );
    let _ = other;
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            "/api/v1/company/assignments",
            &admin,
            Some(json!({"due_on": "2020-01-01", "user_ids": []})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "an assignment needs a path or a lesson");
}
on_both_databases!(bad_company_input_is_refused_and_nothing_half_done);

async fn company_admins_learn_nothing_about_the_community(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (org, admin) = company_with_admin(&app, 5).await;
    let seller = app.user_with_role(Role::Member, Some(org)).await;
    let handle = app.get_json("/api/v1/me", &seller).await["handle"]
        .as_str()
        .unwrap()
        .to_owned();
    let read_all = || async {
        let mut out = Vec::new();
        for path in [
            "/api/v1/company/dashboard",
            "/api/v1/company/members",
            "/api/v1/company/teams",
            "/api/v1/company/invitations",
        ] {
            out.push(app.get_json(path, &admin).await.to_string());
        }
        out.push(
            app.call(Method::GET, "/api/v1/company/dashboard.csv", &admin, None)
                .await
                .text()
                .await
                .unwrap(),
        );
        out
    };
    let before = read_all().await;
    let t = ask(
        &app,
        &seller,
        "Heimliche Frage über meinen Chef",
        "community",
    )
    .await;
    let helper = app.member().await;
    app.call(
        Method::POST,
        &format!("/api/v1/threads/{t}/answers"),
        &helper,
        Some(json!({"body": "Antwort"})),
    )
    .await;
    let after = read_all().await;
    assert_eq!(
        before, after,
        "nothing a company admin reads changes when a member posts or is notified"
    );
    for text in &after {
        assert!(
            !text.contains(&handle)
                && !text.contains("Heimliche")
                && !text.contains("last_seen")
                && !text.contains("thread"),
            "{text}"
        );
    }
    for path in [
        "/api/v1/threads",
        "/api/v1/tags",
        "/api/v1/topics/counts",
        &format!("/api/v1/threads/{t}"),
        &format!("/api/v1/users/{handle}"),
        "/api/v1/notifications",
    ] {
        let status = app
            .call(Method::GET, path, &admin, None)
            .await
            .status()
            .as_u16();
        assert!(
            matches!(status, 403 | 404) || (path == "/api/v1/notifications" && status == 200),
            "{path}: {status}"
        );
    }
    let notes = app.get_json("/api/v1/notifications", &admin).await;
    assert_eq!(notes["unread"], 0);
}
on_both_databases!(company_admins_learn_nothing_about_the_community);

async fn removing_a_member_frees_the_seat_and_keeps_the_account(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (org, admin) = company_with_admin(&app, 1).await;
    let (seller_email, seller) = app.account_with_role(Role::Member, Some(org)).await;
    let me = app.get_json("/api/v1/me", &seller).await;
    let t = ask(
        &app,
        &seller,
        "Eine Frage vor dem Wechsel",
        "not_my_company",
    )
    .await;
    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            "/api/v1/company/invitations",
            &admin,
            Some(json!({"email": "new@x.example"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "no free seat");
    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/api/v1/company/members/{}", me["id"]),
            &admin,
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.call(
            Method::POST,
            "/api/v1/company/invitations",
            &admin,
            Some(json!({"email": "new@x.example"}))
        )
        .await
        .status(),
        201,
        "the seat is free"
    );
    assert_eq!(
        app.call(Method::GET, "/api/v1/me", &seller, None)
            .await
            .status(),
        401,
        "removing a member ends their sessions"
    );
    let seller = app.token_of(&seller_email, crate::helpers::PASSWORD).await;
    let me = app.get_json("/api/v1/me", &seller).await;
    assert!(me["organization_id"].is_null(), "an individual now");
    assert_eq!(
        app.get_json(&format!("/api/v1/threads/{t}"), &seller).await["id"],
        t,
        "posts stay"
    );
    let colleague = app.user_with_role(Role::Member, Some(org)).await;
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/api/v1/threads/{t}"),
            &colleague,
            None
        )
        .await
        .status(),
        404,
        "former colleagues still do not see it"
    );
}
on_both_databases!(removing_a_member_frees_the_seat_and_keeps_the_account);

async fn an_identity_provider_provisions_and_removes_members_with_scim(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_org, admin) = company_with_admin(&app, 2).await;
    let token = app
        .call(Method::POST, "/api/v1/company/scim-token", &admin, None)
        .await
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let scim = |method: Method, path: &str, bearer: Option<&str>, body: Option<Value>| {
        let mut req = reqwest::Client::new().request(method, app.url(&format!("/scim/v2{path}")));
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send()
    };
    assert_eq!(
        scim(Method::GET, "/Users", None, None)
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        scim(Method::GET, "/Users", Some("scim_wrong"), None)
            .await
            .unwrap()
            .status(),
        401
    );
    let user = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "eva@nordwind.example", "name": {"givenName": "Eva", "familyName": "Stern"}, "active": true});
    let resp = scim(Method::POST, "/Users", Some(&token), Some(user.clone()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["content-type"], "application/scim+json");
    let created: Value = resp.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (created["userName"].as_str(), created["active"].as_bool()),
        (Some("eva@nordwind.example"), Some(true))
    );
    assert_eq!(
        scim(Method::POST, "/Users", Some(&token), Some(user))
            .await
            .unwrap()
            .status(),
        409,
        "no duplicates"
    );
    let found: Value = scim(
        Method::GET,
        "/Users?filter=userName%20eq%20%22eva@nordwind.example%22",
        Some(&token),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(
        (
            found["totalResults"].as_i64(),
            found["Resources"][0]["id"].as_str()
        ),
        (Some(1), Some(id.as_str()))
    );
    let none: Value = scim(
        Method::GET,
        "/Users?filter=userName%20eq%20%22nobody@x.example%22",
        Some(&token),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(none["totalResults"], 0);
    let bad = scim(
        Method::GET,
        "/Users?filter=displayName%20co%20%22Eva%22",
        Some(&token),
        None,
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["scimType"],
        "invalidFilter"
    );
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    let resp = scim(
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(&token),
        Some(patch),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["active"], false);
    assert_eq!(
        scim(Method::GET, &format!("/Users/{id}"), Some(&token), None)
            .await
            .unwrap()
            .status(),
        404,
        "deactivated people left the company"
    );
    let second = scim(
        Method::POST,
        "/Users",
        Some(&token),
        Some(json!({"userName": "finn@nordwind.example"})),
    )
    .await
    .unwrap()
    .json::<Value>()
    .await
    .unwrap();
    let second_id = second["id"].as_str().unwrap().to_owned();
    assert_eq!(
        scim(
            Method::DELETE,
            &format!("/Users/{second_id}"),
            Some(&token),
            None
        )
        .await
        .unwrap()
        .status(),
        204
    );
    let listed: Value = scim(Method::GET, "/Users", Some(&token), None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listed["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"eva@nordwind.example") && !names.contains(&"finn@nordwind.example"),
        "{names:?}"
    );
    assert_eq!(
        listed["totalResults"].as_u64().unwrap() as usize,
        names.len(),
        "only the company admin remains"
    );
}
on_both_databases!(an_identity_provider_provisions_and_removes_members_with_scim);

async fn individuals_verify_their_address_before_posting(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let email = crate::helpers::unique_email("solo");
    assert_eq!(app.register(&email, PASSWORD).await.status(), 202);
    let token = app.token_of(&email, PASSWORD).await;
    let body = json!({"title": "Meine erste Frage hier", "body": "Text", "topic": "closing", "language": "de", "visibility": "community"});
    let (status, _, message) = error_code(
        app.call(Method::POST, "/api/v1/threads", &token, Some(body.clone()))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    assert!(message.contains("confirm"), "{message}");
    let link = link_token(&app, &email, "verification").await;
    let verify = || {
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/auth/verify?token={link}")))
            .send()
    };
    assert_eq!(verify().await.unwrap().status(), 204);
    assert_eq!(verify().await.unwrap().status(), 409, "links work once");
    assert_eq!(
        app.call(Method::POST, "/api/v1/threads", &token, Some(body))
            .await
            .status(),
        201
    );
    let unknown = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/auth/verify?token={}", "0".repeat(64))))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
on_both_databases!(individuals_verify_their_address_before_posting);

async fn members_export_their_data_and_delete_their_account(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (member, other, trainer) = (app.member().await, app.member().await, app.trainer().await);
    let me = app.get_json("/api/v1/me", &member).await;
    let mine = ask(&app, &member, "Meine eigene Frage zum Export", "community").await;
    let theirs = ask(&app, &other, "Fremde Frage mit Antwort", "community").await;
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{theirs}/answers"),
            &member,
            Some(json!({"body": "Meine Antwort"})),
        )
        .await;
    let answer = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let their_answer = app
        .call(
            Method::POST,
            &format!("/api/v1/threads/{mine}/answers"),
            &other,
            Some(json!({"body": "Deren geheimer Text"})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::PUT,
        &format!("/api/v1/answers/{their_answer}/helpful"),
        &member,
        None,
    )
    .await;
    let _ = answer;
    let export = app.get_json("/api/v1/me/export", &member).await;
    assert_eq!(export["profile"]["email"], me["email"]);
    assert_eq!(
        export["threads"][0]["title"],
        "Meine eigene Frage zum Export"
    );
    assert_eq!(export["answers"][0]["body"], "Meine Antwort");
    assert_eq!(export["votes_cast"].as_array().unwrap().len(), 1);
    assert!(
        !export.to_string().contains("Deren geheimer Text"),
        "nothing of anybody else's text"
    );
    assert!(!export.to_string().contains("password"), "no secrets");

    let (status, _, _) = error_code(
        app.call(
            Method::POST,
            "/api/v1/me/delete",
            &member,
            Some(json!({"confirm_email": "wrong@x.example"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "the deletion is confirmed with the address");
    let resp = app
        .call(
            Method::POST,
            "/api/v1/me/delete",
            &member,
            Some(json!({"confirm_email": me["email"]})),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(
        app.call(Method::GET, "/api/v1/me", &member, None)
            .await
            .status(),
        401,
        "sessions ended"
    );
    assert_eq!(
        app.login(me["email"].as_str().unwrap(), PASSWORD)
            .await
            .status(),
        401,
        "the account is gone"
    );
    let thread = app
        .get_json(&format!("/api/v1/threads/{mine}"), &trainer)
        .await;
    assert_eq!(
        thread["author"]["handle"], "former-member",
        "posts stay as former member"
    );
    assert!(!thread.to_string().contains(me["handle"].as_str().unwrap()));
}
on_both_databases!(members_export_their_data_and_delete_their_account);

async fn reminders_go_out_once_before_the_due_date(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_org, admin) = company_with_admin(&app, 5).await;
    let seller = app.user_with_role(Role::Member, Some(_org)).await;
    let seller_id = app.get_json("/api/v1/me", &seller).await["id"]
        .as_i64()
        .unwrap();
    let (author, reviewer) = (app.trainer().await, app.trainer().await);
    let lesson = published_lesson(&app, &author, &reviewer, "Bald fällige Lektion").await;
    let today = Utc::now().date_naive();
    let due = (today + Duration::days(10)).to_string();
    app.call(
        Method::POST,
        "/api/v1/company/assignments",
        &admin,
        Some(json!({"lesson_id": lesson, "user_ids": [seller_id], "due_on": due})),
    )
    .await;
    let send = |day| {
        sellerbase::services::companies::assignments::send_reminders(
            &app.db,
            day,
            "http://localhost",
        )
    };
    assert_eq!(send(today).await.unwrap(), 0, "not due soon yet");
    assert_eq!(
        send(today + Duration::days(9)).await.unwrap(),
        1,
        "two days before"
    );
    assert_eq!(
        send(today + Duration::days(9)).await.unwrap(),
        0,
        "only once"
    );
    let notes = app.get_json("/api/v1/notifications", &seller).await;
    assert_eq!(notes["items"][0]["kind"], "assignment");
    let other = app.user_with_role(Role::Member, Some(_org)).await;
    let other_id = app.get_json("/api/v1/me", &other).await["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        "/api/v1/company/assignments",
        &admin,
        Some(json!({"lesson_id": lesson, "user_ids": [other_id], "due_on": due})),
    )
    .await;
    app.call(
        Method::POST,
        &format!("/api/v1/lessons/{lesson}/complete"),
        &other,
        None,
    )
    .await;
    assert_eq!(
        send(today + Duration::days(9)).await.unwrap(),
        0,
        "no reminder for finished learning"
    );
}
on_both_databases!(reminders_go_out_once_before_the_due_date);
