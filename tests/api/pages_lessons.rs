//! Lesson pages without a browser: sign-in required, trainer-only pages, the editor's forms.

use reqwest::Method;
use sea_orm::EntityTrait;

use crate::helpers::{Backend, PASSWORD, signed_in_client, spawn_app, unique_email};

#[tokio::test]
async fn lesson_pages_need_a_sign_in_and_trainer_pages_need_a_trainer() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    let resp = app
        .client
        .get(app.url("/lessons/einwand-zu-teuer"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"],
        "/login?next=/lessons/einwand-zu-teuer"
    );

    let email = unique_email("reader");
    app.register(&email, PASSWORD).await;
    let (client, csrf) = signed_in_client(&app, &email).await;
    let html = client
        .get(app.url("/lessons/einwand-zu-teuer"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Preiseinwand") && html.contains("check-form"));
    assert!(
        !html.contains("correct"),
        "the page does not reveal the answers before answering"
    );
    assert_eq!(
        client
            .get(app.url("/lessons/gibt-es-nicht"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client
            .get(app.url("/trainer/lessons"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let resp = client
        .post(app.url("/lessons/einwand-zu-teuer/rate"))
        .form(&[("csrf", csrf.as_str()), ("stars", "9")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        400,
        "a rating outside 1-5 is refused on the page too"
    );
    let resp = client
        .post(app.url("/lessons/einwand-zu-teuer/bookmark"))
        .form(&[("csrf", csrf.as_str()), ("on", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let mine = client
        .get(app.url("/learning"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("id=\"bookmarks\""));
}

#[tokio::test]
async fn a_trainer_writes_a_lesson_in_the_editor_and_another_publishes_it() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let author_token = app.trainer().await;
    let me = app
        .call(Method::GET, "/api/v1/me", &author_token, None)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let author_email = me["email"].as_str().unwrap().to_owned();
    let (author, csrf) = signed_in_client(&app, &author_email).await;

    let form = |title: &str, check: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("title".into(), title.to_owned()),
            ("summary".into(), "Kurz".into()),
            ("topic".into(), "closing".into()),
            ("language".into(), "de".into()),
            ("tags".into(), "abschluss, frage".into()),
            ("takeaways".into(), "Eins\nZwei".into()),
            ("body".into(), "## Text\n\nInhalt".into()),
            ("check".into(), check.to_owned()),
        ]
    };
    let resp = author
        .post(app.url("/trainer/lessons"))
        .form(&form(
            "Die Abschlussfrage",
            "? Wann?\n+ Jetzt | Ja\n- Nie | Nein",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let edit = resp.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = edit.split('/').nth(3).unwrap().parse().unwrap();
    let page = author
        .get(app.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Die Abschlussfrage") && page.contains("+ Jetzt | Ja"));

    let resp = author
        .post(app.url(&edit))
        .form(&form("Die Abschlussfrage", "? Wann?\n- Jetzt\n- Nie"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        400,
        "a check without a correct option is refused"
    );
    // The trainer's pages are German (no language chosen): so is the reason.
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Frage 1 hat keine richtige Antwort"),
        "{html}"
    );
    assert!(!html.contains("no correct option"), "{html}");

    let resp = author
        .post(app.url(&format!("/trainer/lessons/{id}/submit")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = author
        .post(app.url(&format!("/trainer/lessons/{id}/publish")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        403,
        "authors do not publish their own lessons"
    );

    let reviewer_token = app.trainer().await;
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/lessons/{id}/publish"),
            &reviewer_token,
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let stats = author
        .get(app.url(&format!("/trainer/lessons/{id}/stats")))
        .send()
        .await
        .unwrap();
    assert_eq!(stats.status(), 200);
    let member = app.member().await;
    assert_eq!(
        app.call(
            Method::GET,
            "/api/v1/lessons/die-abschlussfrage",
            &member,
            None
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn every_page_renders_in_both_languages() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    let token = app.trainer().await;
    let me = app
        .call(Method::GET, "/api/v1/me", &token, None)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let (client, _) = signed_in_client(&app, me["email"].as_str().unwrap()).await;
    for lang in ["de", "en"] {
        client
            .get(app.url(&format!("/language?to={lang}")))
            .send()
            .await
            .unwrap();
        for path in [
            "/",
            "/lessons",
            "/lessons?topic=closing",
            "/lessons/einwand-zu-teuer",
            "/learning",
            "/review",
            "/paths",
            "/paths/closing-essentials",
            "/trainer/lessons",
            "/trainer/lessons/new",
            "/trainer/lessons/1/edit",
            "/trainer/lessons/1/stats",
        ] {
            let resp = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{lang} {path}");
            let html = resp.text().await.unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
        }
    }
}

#[tokio::test]
async fn the_company_area_is_for_company_admins_and_removes_members() {
    use sellerbase::domain::Role;
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let org = crate::leaks::company(&app, "Westwind").await;
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let seller = app.user_with_role(Role::Member, Some(org)).await;
    let seller_id = app.get_json("/api/v1/me", &seller).await["id"]
        .as_i64()
        .unwrap();
    let admin_email = app.get_json("/api/v1/me", &admin).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let seller_email = app.get_json("/api/v1/me", &seller).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let (as_seller, _) = signed_in_client(&app, &seller_email).await;
    assert_eq!(
        as_seller
            .get(app.url("/company"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (as_admin, csrf) = signed_in_client(&app, &admin_email).await;
    let page = as_admin
        .get(app.url("/company"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&seller_email) && page.contains("remove-member"));
    let resp = as_admin
        .post(app.url("/company/remove"))
        .form(&[("csrf", csrf.as_str()), ("user_id", &seller_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        !resp
            .text()
            .await
            .unwrap()
            .contains(&format!("data-email=\"{seller_email}\""))
    );
    let csv = as_admin
        .get(app.url("/company/progress.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        as_admin
            .get(app.url(&format!("/invitations/{}", "0".repeat(64))))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        as_admin
            .get(app.url(&format!("/verify/{}", "0".repeat(64))))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let signed_out = as_seller.get(app.url("/settings")).send().await.unwrap();
    assert_eq!(
        signed_out.status(),
        303,
        "removing a member ends their sessions"
    );
    let (as_seller, _) = signed_in_client(&app, &seller_email).await;
    let export = as_seller
        .get(app.url("/settings/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        export.status(),
        200,
        "the member, signed in again, downloads their data"
    );
    assert!(export.text().await.unwrap().contains(&seller_email));
}

#[tokio::test]
async fn platform_admins_create_companies_and_name_their_admins_on_a_page() {
    use sellerbase::domain::Role;
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let admin = app.user_with_role(Role::PlatformAdmin, None).await;
    let email = app.get_json("/api/v1/me", &admin).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let (client, csrf) = signed_in_client(&app, &email).await;
    let resp = client
        .post(app.url("/admin/companies"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Südwind GmbH"),
            ("seats", "12"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Südwind GmbH") && html.contains("0 / 12"));
    let bad = client
        .post(app.url("/admin/companies"))
        .form(&[("csrf", csrf.as_str()), ("name", ""), ("seats", "12")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let id = entity::organization::Entity::find()
        .all(&app.db)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let resp = client
        .post(app.url("/admin/company-admins"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("company_id", id.as_str()),
            ("email", "chefin@suedwind.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    crate::companies::link_token(&app, "chefin@suedwind.example", "invitation").await;
    let member = app.member().await;
    let member_email = app.get_json("/api/v1/me", &member).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let (as_member, _) = signed_in_client(&app, &member_email).await;
    assert_eq!(
        as_member
            .get(app.url("/admin/companies"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn company_admins_withdraw_invitations_and_change_teams_on_the_page() {
    use sellerbase::domain::Role;
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let org = crate::leaks::company(&app, "Nordost").await;
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    let seller = app.user_with_role(Role::Member, Some(org)).await;
    let seller_id = app.get_json("/api/v1/me", &seller).await["id"]
        .as_i64()
        .unwrap();
    let team = app
        .call(
            Method::POST,
            "/api/v1/company/teams",
            &admin,
            Some(serde_json::json!({"name": "Key Accounts"})),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::POST,
        "/api/v1/company/invitations",
        &admin,
        Some(serde_json::json!({"email": "weg@nordost.example"})),
    )
    .await;
    let invitation = app.get_json("/api/v1/company/invitations", &admin).await[0]["id"]
        .as_i64()
        .unwrap();
    let email = app.get_json("/api/v1/me", &admin).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let (client, csrf) = signed_in_client(&app, &email).await;
    let form = |pairs: &[(&str, String)]| {
        let mut all = vec![("csrf".to_owned(), csrf.clone())];
        all.extend(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        all
    };
    let resp = client
        .post(app.url("/company/revoke"))
        .form(&form(&[("invitation_id", invitation.to_string())]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        app.get_json("/api/v1/company/invitations", &admin)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let membership = form(&[
        ("team_id", team.to_string()),
        ("user_id", seller_id.to_string()),
    ]);
    assert_eq!(
        client
            .post(app.url("/company/team-members"))
            .form(&membership)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.get_json("/api/v1/company/teams", &admin).await[0]["member_ids"],
        serde_json::json!([seller_id])
    );
    assert_eq!(
        client
            .post(app.url("/company/team-members/remove"))
            .form(&membership)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.get_json("/api/v1/company/teams", &admin).await[0]["member_ids"],
        serde_json::json!([])
    );
}
