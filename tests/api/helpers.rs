//! Test harness: `spawn_app` with a fresh database and data folder, and a client per app.

use std::sync::Once;

use sea_orm::{ConnectionTrait, Database};
use sellerbase::config::{Secret, Settings};
use sellerbase::domain::{Email, Password, Role};
use sellerbase::services::accounts::{NewUser, create_user};
use sellerbase::startup::Application;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one async test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test]
            async fn on_postgres() {
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    };
}

pub struct TestApp {
    pub address: String,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    /// The app's own database handle, for arranging what the API cannot (roles, clocks).
    pub db: sea_orm::DatabaseConnection,
    pub search: sellerbase::services::search::SearchHandle,
    hasher: sellerbase::services::passwords::Hasher,
    _data_dir: tempfile::TempDir,
    postgres: Option<PostgresDb>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            sellerbase::telemetry::init(sellerbase::config::LogFormat::Text);
        }
    });
}

/// Starts the app on `backend`, or returns `None` (after saying so loudly) when PostgreSQL is
/// not configured on a developer machine. In CI a missing PostgreSQL fails the test.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(
    backend: Backend,
    tweak: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    init_logging();
    let data_dir = tempfile::tempdir().expect("temporary folder");
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        ..Settings::default()
    };
    settings.search.log_flush_ms = 20;
    let postgres = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let db = fresh_postgres_database().await?;
            settings.database_url = Some(Secret::new(db.url()));
            Some(db)
        }
    };
    tweak(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("the application builds");
    let port = app.port();
    let db = app.state().db.clone();
    let hasher = app.state().hasher.clone();
    let search = app.state().search.clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    Some(TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        db,
        search,
        hasher,
        _data_dir: data_dir,
        postgres,
    })
}

async fn fresh_postgres_database() -> Option<PostgresDb> {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        if in_ci() {
            panic!("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI");
        }
        eprintln!(
            "!!! SKIPPED on PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run this test there"
        );
        return None;
    };
    let name = format!("sellerbase_test_{:016x}", rand_u64());
    let admin = Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL: {e}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    Some(PostgresDb { admin_url, name })
}

impl PostgresDb {
    fn url(&self) -> String {
        let base = self
            .admin_url
            .rsplit_once('/')
            .map_or(self.admin_url.as_str(), |(b, _)| b);
        format!("{base}/{}", self.name)
    }
}

impl Drop for PostgresDb {
    fn drop(&mut self) {
        // Best effort: drop the per-test PostgreSQL database on a separate thread, since the
        // test's runtime is shutting down.
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// A database for a test that runs the binary itself: `None` inside means the embedded
/// SQLite database of the data folder. Dropping it drops a PostgreSQL database.
pub struct ScratchDatabase(Option<PostgresDb>);

impl ScratchDatabase {
    pub fn url(&self) -> Option<String> {
        self.0.as_ref().map(PostgresDb::url)
    }
}

/// A fresh database on `backend`, or `None` when PostgreSQL is not available (outside CI).
pub async fn scratch_database(backend: Backend) -> Option<ScratchDatabase> {
    match backend {
        Backend::Sqlite => Some(ScratchDatabase(None)),
        Backend::Postgres => fresh_postgres_database()
            .await
            .map(|db| ScratchDatabase(Some(db))),
    }
}

fn rand_u64() -> u64 {
    sellerbase::services::tokens::random_u64()
}

/// A unique e-mail address for this test run.
pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{:x}@example.com", rand_u64())
}

pub const PASSWORD: &str = "a long and good passphrase";

impl TestApp {
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// The PostgreSQL database of this app, when it runs on one.
    pub fn database_url(&self) -> Option<String> {
        self.postgres.as_ref().map(PostgresDb::url)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn register(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/register",
            &serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs `email` in through the API and returns the session token.
    pub async fn token_of(&self, email: &str, password: &str) -> String {
        let resp = self.login(email, password).await;
        assert_eq!(resp.status(), 200, "signing in as {email}");
        let body: serde_json::Value = resp.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// Creates an account with `role` (and company) directly and signs it in; returns the token.
    pub async fn user_with_role(&self, role: Role, organization_id: Option<i64>) -> String {
        self.account_with_role(role, organization_id).await.1
    }

    /// Like [`TestApp::user_with_role`], returning the address too.
    pub async fn account_with_role(
        &self,
        role: Role,
        organization_id: Option<i64>,
    ) -> (String, String) {
        let email = unique_email(role.key());
        let new = NewUser {
            email: Email::parse(&email).unwrap(),
            password: Password::parse(PASSWORD).unwrap(),
            handle: None,
            display_name: None,
            role,
            organization_id,
            locale: None,
        };
        create_user(&self.db, &self.hasher, new).await.unwrap();
        // A fresh client: signing in through the shared cookie jar would end its session.
        let resp = reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let body: serde_json::Value = resp.json().await.unwrap();
        (email, body["token"].as_str().unwrap().to_owned())
    }

    /// The demo world of `serve --demo`: companies, people (password `DEMO_PASSWORD`), the
    /// starter lessons and paths, and the demo threads.
    pub async fn seed_demo_world(&self) {
        sellerbase::services::demo::seed(&self.db, &self.hasher)
            .await
            .unwrap();
        sellerbase::services::demo::import_starter_pack(&self.db)
            .await
            .unwrap();
        sellerbase::services::demo::seed_threads(&self.db, &self.address)
            .await
            .unwrap();
    }

    pub async fn member(&self) -> String {
        self.user_with_role(Role::Member, None).await
    }

    pub async fn trainer(&self) -> String {
        self.user_with_role(Role::Trainer, None).await
    }

    /// Sends `method path` with a bearer token and an optional JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut req = reqwest::Client::new()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get_json(&self, path: &str, token: &str) -> serde_json::Value {
        let resp = self.call(reqwest::Method::GET, path, token, None).await;
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().await.unwrap()
    }

    /// Waits until this instance's index has applied every outbox row (at most 20 s).
    pub async fn wait_for_index(&self) {
        let started = std::time::Instant::now();
        loop {
            let ready = self.search.get().is_some();
            let lag = sellerbase::services::search::follower::lag(&self.db, &self.search)
                .await
                .unwrap();
            if ready && lag == 0 {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the index did not catch up (lag {lag})"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn get_json_anonymous(&self, path: &str) -> serde_json::Value {
        let resp = reqwest::Client::new()
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().await.unwrap()
    }

    pub async fn get_with_token(&self, path: &str, token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }
}

/// Asserts the one JSON error shape and returns the code.
pub async fn error_code(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("errors are JSON");
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {body}"));
    let message = body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.message in {body}"));
    assert!(!message.is_empty(), "empty error message");
    (status, code.to_owned(), message.to_owned())
}

/// The anti-CSRF value of the first form on a page.
pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..start + 64].to_owned()
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The HTML of `path` as `client` sees it.
pub async fn page_text(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The token of the newest link of `kind` (`invitation`, `verification`, `password_reset`)
/// mailed to `email`, if any.
pub async fn mailed_token(app: &TestApp, email: &str, kind: &str) -> Option<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mail = entity::mail_outbox::Entity::find()
        .filter(entity::mail_outbox::Column::ToEmail.eq(email))
        .filter(entity::mail_outbox::Column::Kind.eq(kind))
        .order_by_desc(entity::mail_outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()?;
    let marker = match kind {
        "invitation" => "/invitations/",
        "password_reset" => "/password/reset/",
        _ => "/verify/",
    };
    let start = mail.body.find(marker)? + marker.len();
    Some(mail.body[start..start + 64].to_owned())
}

/// A browser-like client (cookies, no redirects) signed in through the form; with the form's
/// anti-CSRF value.
pub async fn signed_in_client(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    signed_in_client_with(app, email, PASSWORD).await
}

/// [`signed_in_client`] with another password (the demo world's people).
pub async fn signed_in_client_with(
    app: &TestApp,
    email: &str,
    password: &str,
) -> (reqwest::Client, String) {
    let client = browser();
    let page = page_text(&client, app, "/login").await;
    let csrf = hidden_csrf(&page);
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    (client, csrf)
}
