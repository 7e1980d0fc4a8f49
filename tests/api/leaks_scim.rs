//! The leak matrix, SCIM: a company's identity provider cannot tell whether an address has an
//! account on the platform, and no account joins a company without its owner's consent.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, mailed_token, spawn_app};
use crate::leaks::company;
use crate::on_both_databases;
use sellerbase::domain::Role;

async fn scim_token(app: &TestApp, org: i64) -> String {
    let admin = app.user_with_role(Role::CompanyAdmin, Some(org)).await;
    app.call(Method::POST, "/api/v1/company/scim-token", &admin, None)
        .await
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn scim(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(&format!("/scim/v2{path}")))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The answer with what necessarily differs (the id and the address) taken out.
fn shape(user: &Value) -> Value {
    let mut u = user.clone();
    for key in ["id", "userName", "emails", "meta"] {
        u.as_object_mut().unwrap().remove(key);
    }
    u
}

async fn scim_never_reveals_whether_an_address_has_an_account(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let acme = company(&app, "Acme").await;
    let bolt = company(&app, "Bolt").await;
    let token = scim_token(&app, acme).await;
    let (individual_email, individual) = app.account_with_role(Role::Member, None).await;
    let (bolt_email, bolt_member) = app.account_with_role(Role::Member, Some(bolt)).await;
    let new_email = crate::helpers::unique_email("new");

    let mut created = Vec::new();
    for email in [&new_email, &individual_email, &bolt_email] {
        let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": email, "name": {"givenName": "Eva", "familyName": "Stern"}, "active": true});
        let (status, user) = scim(&app, &token, Method::POST, "/Users", Some(body)).await;
        assert_eq!(status, 201, "{email}: created like a new person");
        let id = user["id"].as_str().unwrap().to_owned();
        assert!(
            id.len() >= 32 && id.parse::<i64>().is_err(),
            "ids are opaque, never account numbers: {id}"
        );
        created.push((email.clone(), id, user));
    }
    for (email, id, user) in &created {
        assert_eq!(shape(user), shape(&created[0].2), "{email}: same answer");
        let (status, got) = scim(&app, &token, Method::GET, &format!("/Users/{id}"), None).await;
        assert_eq!(
            (status, shape(&got)),
            (200, shape(user)),
            "{email}: read back"
        );
        let filter = format!("/Users?filter=userName%20eq%20%22{email}%22");
        let (_, found) = scim(&app, &token, Method::GET, &filter, None).await;
        assert_eq!(found["totalResults"], 1, "{email}: listed");
        assert_eq!(found["Resources"][0]["id"], id.as_str());
        // A second creation is a conflict for all three alike.
        let body = json!({"userName": email});
        let (status, err) = scim(&app, &token, Method::POST, "/Users", Some(body)).await;
        assert_eq!(
            (status, err["scimType"].as_str()),
            (409, Some("uniqueness")),
            "{email}"
        );
    }

    // Nothing is attached without consent: the individual and the Bolt member are where they
    // were, and each got an invitation to confirm.
    let me = app.get_json("/api/v1/me", &individual).await;
    assert!(
        me["organization_id"].is_null(),
        "the individual was not moved"
    );
    let me = app.get_json("/api/v1/me", &bolt_member).await;
    assert_eq!(me["organization_id"], bolt, "the Bolt member was not moved");
    let invited = mailed_token(&app, &individual_email, "invitation")
        .await
        .expect("the owner of the existing account is asked");
    assert!(
        mailed_token(&app, &bolt_email, "invitation")
            .await
            .is_some()
    );

    // Another company's identity provider knows none of these ids.
    let bolt_token = scim_token(&app, bolt).await;
    for (_, id, _) in &created {
        let (status, _) = scim(
            &app,
            &bolt_token,
            Method::GET,
            &format!("/Users/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 404);
    }

    // The individual accepts: now a member of Acme, under the id the provider already knows.
    let resp = app
        .call(
            Method::POST,
            &format!("/api/v1/invitations/{invited}/accept"),
            &individual,
            Some(json!({})),
        )
        .await;
    assert_eq!(
        resp.status(),
        200,
        "accepting with the account's own session"
    );
    let relogin = app
        .token_of(&individual_email, crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        app.get_json("/api/v1/me", &relogin).await["organization_id"],
        acme
    );
    let individual_id = &created[1].1;
    let (status, got) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{individual_id}"),
        None,
    )
    .await;
    assert_eq!((status, got["active"].as_bool()), (200, Some(true)));

    // The Bolt member's invitation is withdrawn by the provider: gone, and they stay at Bolt.
    let bolt_id = &created[2].1;
    let (status, _) = scim(
        &app,
        &token,
        Method::DELETE,
        &format!("/Users/{bolt_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{bolt_id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.get_json("/api/v1/me", &bolt_member).await["organization_id"],
        bolt
    );
}
on_both_databases!(scim_never_reveals_whether_an_address_has_an_account);
