//! Walks every operation of the OpenAPI document with each role and checks that the answer
//! matches the access decision written down here. An endpoint added without an entry in
//! `RULES` fails this test, so nothing reaches the API without a policy decision.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_databases;
use sellerbase::domain::Role;

/// Who may call an operation (the policy module decides; this is its expected outcome).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// No account needed (sign-in, registration, reset, invitation links).
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Learners: members, trainers, company admins (who assign lessons) and platform admins.
    /// Search is here too: company admins find lessons, never threads (tests/api/leaks.rs).
    Learner,
    /// The community: members, trainers and platform admins, never company admins.
    Community,
    /// Trainers and platform admins (authoring, moderation, search upkeep).
    Trainer,
    /// Trainers only: the coaches who answer "coaches only" questions.
    Coach,
    /// Company admins (of their company) and platform admins.
    CompanyAdmin,
    /// Company admins of their own company only, not even platform admins: the company's
    /// sensitive-names list (its customers, projects and products).
    OwnCompanyAdmin,
    /// Platform admins only.
    PlatformAdmin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Member,
    Trainer,
    CompanyAdmin,
    PlatformAdmin,
}

impl Rule {
    fn admits(self, who: Who) -> bool {
        use Who::*;
        match self {
            Rule::Public => true,
            Rule::SignedIn | Rule::Learner => who != Anonymous,
            Rule::Community => matches!(who, Member | Trainer | PlatformAdmin),
            Rule::Trainer => matches!(who, Trainer | PlatformAdmin),
            Rule::Coach => who == Trainer,
            Rule::CompanyAdmin => matches!(who, CompanyAdmin | PlatformAdmin),
            Rule::OwnCompanyAdmin => who == CompanyAdmin,
            Rule::PlatformAdmin => who == PlatformAdmin,
        }
    }
}

const RULES: &[(&str, &str, Rule)] = &[
    ("POST", "/auth/password-reset", Rule::Public),
    ("POST", "/auth/password-reset/confirm", Rule::Public),
    ("POST", "/auth/register", Rule::Public),
    ("POST", "/auth/login", Rule::Public),
    ("POST", "/auth/logout", Rule::SignedIn),
    ("POST", "/auth/verify", Rule::Public),
    ("GET", "/me/export", Rule::SignedIn),
    ("POST", "/me/delete", Rule::SignedIn),
    ("GET", "/me", Rule::SignedIn),
    ("GET", "/topics", Rule::Learner),
    ("GET", "/lessons", Rule::Learner),
    ("POST", "/lessons", Rule::Trainer),
    ("GET", "/lessons/{lesson}", Rule::Learner),
    ("GET", "/lessons/{lesson}/related", Rule::Learner),
    ("GET", "/trainer/lessons", Rule::Trainer),
    ("GET", "/lessons/{id}/working", Rule::Trainer),
    ("PUT", "/lessons/{id}", Rule::Trainer),
    ("POST", "/lessons/{id}/submit", Rule::Trainer),
    ("POST", "/lessons/{id}/publish", Rule::Trainer),
    ("POST", "/lessons/{id}/request-changes", Rule::Trainer),
    ("POST", "/lessons/{id}/archive", Rule::Trainer),
    ("POST", "/lessons/{id}/restore", Rule::Trainer),
    ("GET", "/lessons/{id}/revisions", Rule::Trainer),
    ("GET", "/lessons/{id}/stats", Rule::Trainer),
    ("POST", "/lessons/preview", Rule::Trainer),
    ("POST", "/lessons/{id}/open", Rule::Learner),
    ("POST", "/lessons/{id}/complete", Rule::Learner),
    ("POST", "/lessons/{id}/check", Rule::Learner),
    ("PUT", "/lessons/{id}/bookmark", Rule::Learner),
    ("DELETE", "/lessons/{id}/bookmark", Rule::Learner),
    ("PUT", "/lessons/{id}/rating", Rule::Learner),
    ("GET", "/me/reviews", Rule::Learner),
    (
        "POST",
        "/me/reviews/{lesson_id}/{question_key}",
        Rule::Learner,
    ),
    ("GET", "/me/learning", Rule::Learner),
    ("GET", "/paths", Rule::Learner),
    ("POST", "/paths", Rule::Trainer),
    ("GET", "/paths/{path}", Rule::Learner),
    ("PUT", "/paths/{id}", Rule::Trainer),
    ("PUT", "/paths/{id}/follow", Rule::Learner),
    ("DELETE", "/paths/{id}/follow", Rule::Learner),
    ("GET", "/threads", Rule::Community),
    ("POST", "/threads", Rule::Community),
    ("GET", "/threads/{id}", Rule::Community),
    ("GET", "/threads/similar", Rule::Community),
    ("POST", "/threads/{id}/answers", Rule::Community),
    ("POST", "/threads/{id}/accept", Rule::Community),
    ("POST", "/hints", Rule::Community),
    ("PUT", "/answers/{id}", Rule::Community),
    ("GET", "/answers/{id}/history", Rule::Community),
    ("POST", "/answers/{id}/comments", Rule::Community),
    ("PUT", "/answers/{id}/helpful", Rule::Community),
    ("DELETE", "/answers/{id}/helpful", Rule::Community),
    ("GET", "/tags", Rule::Community),
    ("GET", "/topics/counts", Rule::Community),
    ("GET", "/users/{handle}", Rule::Community),
    ("GET", "/coach/queue", Rule::Coach),
    ("POST", "/coach/threads/{id}/claim", Rule::Coach),
    ("POST", "/coach/threads/{id}/close", Rule::Coach),
    ("POST", "/flags", Rule::Community),
    ("GET", "/moderation/queue", Rule::Trainer),
    ("POST", "/moderation/actions", Rule::Trainer),
    ("GET", "/moderation/log", Rule::Trainer),
    ("GET", "/notifications", Rule::SignedIn),
    ("POST", "/notifications/read", Rule::SignedIn),
    ("GET", "/me/notification-settings", Rule::SignedIn),
    ("PUT", "/me/notification-settings", Rule::SignedIn),
    ("PUT", "/me/profile", Rule::SignedIn),
    ("GET", "/search", Rule::Learner),
    ("GET", "/search/suggest", Rule::Learner),
    ("GET", "/search/gaps", Rule::Trainer),
    ("GET", "/search/synonyms", Rule::Trainer),
    ("PUT", "/search/synonyms", Rule::Trainer),
    ("POST", "/companies", Rule::PlatformAdmin),
    ("PUT", "/companies/{id}/seats", Rule::PlatformAdmin),
    ("POST", "/companies/{id}/admins", Rule::PlatformAdmin),
    ("GET", "/company/dashboard", Rule::CompanyAdmin),
    ("GET", "/company/dashboard.csv", Rule::CompanyAdmin),
    ("GET", "/company/members", Rule::CompanyAdmin),
    ("DELETE", "/company/members/{id}", Rule::CompanyAdmin),
    ("POST", "/company/invitations", Rule::CompanyAdmin),
    ("GET", "/company/invitations", Rule::CompanyAdmin),
    ("POST", "/company/invitations/csv", Rule::CompanyAdmin),
    ("DELETE", "/company/invitations/{id}", Rule::CompanyAdmin),
    ("GET", "/company/teams", Rule::CompanyAdmin),
    ("POST", "/company/teams", Rule::CompanyAdmin),
    (
        "PUT",
        "/company/teams/{team_id}/members/{user_id}",
        Rule::CompanyAdmin,
    ),
    (
        "DELETE",
        "/company/teams/{team_id}/members/{user_id}",
        Rule::CompanyAdmin,
    ),
    ("POST", "/company/assignments", Rule::CompanyAdmin),
    ("POST", "/company/scim-token", Rule::CompanyAdmin),
    ("GET", "/company/sensitive-names", Rule::OwnCompanyAdmin),
    ("PUT", "/company/sensitive-names", Rule::OwnCompanyAdmin),
    ("GET", "/invitations/{token}", Rule::Public),
    ("POST", "/invitations/{token}/accept", Rule::Public),
    ("GET", "/me/assignments", Rule::Learner),
    ("GET", "/admin/security-events", Rule::PlatformAdmin),
    ("PUT", "/admin/users/{id}/role", Rule::PlatformAdmin),
    ("PUT", "/admin/users/{id}/status", Rule::PlatformAdmin),
];

/// A concrete path for a templated one: ids and names of things that do not exist.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{token}" => "0".repeat(64),
            "{handle}" | "{lesson}" | "{path}" | "{question_key}" => "nobody-here".into(),
            s if s.starts_with('{') => "987654".into(),
            s => s.into(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Required query parameters get a harmless value.
fn query_for(operation: &Value) -> String {
    let mut pairs = Vec::new();
    for p in operation["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "query" && p["required"] == true {
            pairs.push(format!("{}=x", p["name"].as_str().unwrap_or_default()));
        }
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    url: &str,
    operation: &Value,
) -> u16 {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new().request(method, app.url(&format!("/api/v1{url}")));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let content = &operation["requestBody"]["content"];
    let has = |kind: &str| {
        content
            .as_object()
            .is_some_and(|c| c.keys().any(|k| k.starts_with(kind)))
    };
    if has("application/json") {
        req = req.json(&json!({}));
    } else if has("multipart/form-data") {
        req = req
            .header("content-type", "multipart/form-data; boundary=walk")
            .body("--walk\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nempty\r\n--walk--\r\n");
    } else if has("text/") {
        req = req.header("content-type", "text/plain").body("");
    }
    req.send().await.unwrap().status().as_u16()
}

async fn every_operation_answers_each_role_as_the_policy_decides(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let platform = app.user_with_role(Role::PlatformAdmin, None).await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/companies",
            &platform,
            Some(json!({"name": "Walk GmbH", "seats": 5})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let org = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let people = [
        (Who::Anonymous, None),
        (Who::Member, Some(app.member().await)),
        (Who::Trainer, Some(app.trainer().await)),
        (
            Who::CompanyAdmin,
            Some(app.user_with_role(Role::CompanyAdmin, Some(org)).await),
        ),
        (Who::PlatformAdmin, Some(platform)),
    ];
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut undecided = Vec::new();
    let mut wrong = Vec::new();
    let mut walked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let method = method.to_uppercase();
            let Some(&(_, _, rule)) = RULES.iter().find(|(m, p, _)| *m == method && p == path)
            else {
                undecided.push(format!("{method} {path}"));
                continue;
            };
            // Signing out or deleting would end the walk's own sessions.
            let mut url = format!("{}{}", concrete(path), query_for(operation));
            if path.starts_with("/company/") {
                // Platform admins name the company they act on.
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&format!("company={org}"));
            }
            let has_body = operation.get("requestBody").is_some();
            for (who, token) in &people {
                if matches!((method.as_str(), path.as_str()), ("POST", "/auth/logout"))
                    && token.is_some()
                {
                    continue;
                }
                let status = call(&app, token.as_deref(), &method, &url, operation).await;
                walked += 1;
                let ok = if status >= 500 {
                    false
                } else if rule.admits(*who) {
                    status != 401 && status != 403
                } else if *who == Who::Anonymous {
                    status == 401
                } else {
                    // A malformed body may be refused before the access decision; that
                    // reveals nothing the public document does not say.
                    matches!(status, 403 | 404) || (has_body && matches!(status, 400 | 415 | 422))
                };
                if !ok {
                    wrong.push(format!(
                        "{method} {path} as {who:?}: {status} (rule {rule:?})"
                    ));
                }
            }
        }
    }
    assert!(
        undecided.is_empty(),
        "operations without a policy decision in RULES: {undecided:#?}"
    );
    assert!(
        wrong.is_empty(),
        "answers that contradict the policy:\n{}",
        wrong.join("\n")
    );
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|o| o.as_object().unwrap().len())
        .sum();
    assert_eq!(
        RULES.len(),
        documented,
        "RULES lists operations the document does not have"
    );
    assert!(walked >= documented * 4);
}
on_both_databases!(every_operation_answers_each_role_as_the_policy_decides);
