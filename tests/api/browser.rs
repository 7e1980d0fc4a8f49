//! Browser tests: real headless Chromium driven through chromedriver (Debian's `chromium` and
//! `chromium-driver`). Skipped loudly where those are missing; required when `CI=true`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{Backend, PASSWORD, in_ci, spawn_app, unique_email};

/// A chromedriver process and a browser session; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find(binary: &str, candidates: &[&str]) -> Option<String> {
    std::env::var(binary.to_uppercase().replace('-', "_"))
        .ok()
        .into_iter()
        .chain(candidates.iter().map(|s| s.to_string()))
        .find(|p| std::path::Path::new(p).exists())
}

/// Starts chromedriver and a headless Chromium, or returns `None` after saying why.
pub async fn start_browser() -> Option<Browser> {
    let driver_bin = find(
        "chromedriver",
        &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"],
    );
    let chrome_bin = find(
        "chromium",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let (Some(driver_bin), Some(chrome_bin)) = (driver_bin, chrome_bin) else {
        if in_ci() {
            panic!(
                "CI=true but chromium/chromedriver are missing: the browser tests must run in CI"
            );
        }
        eprintln!(
            "!!! SKIPPED browser test: install Debian's chromium and chromium-driver to run it"
        );
        return None;
    };
    let port = free_port();
    let driver = Command::new(driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chrome_bin,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=390,844",
                     "--lang=de-DE"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return Some(Browser { client, driver }),
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("cannot start a browser session: {last_error:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.expect(css);
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("click");
}

/// Opens the menu when it is folded (on the phone); on wide screens its links are shown.
pub async fn open_menu(client: &Client) {
    let button = client
        .find(Locator::Css("#menu-button"))
        .await
        .expect("menu");
    if button.is_displayed().await.unwrap_or(false)
        && client.find(Locator::Css("#menu[open]")).await.is_err()
    {
        button.click().await.expect("open the menu");
    }
}

pub async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
}

#[tokio::test]
async fn a_person_registers_signs_in_and_signs_out_in_a_real_browser() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let c = &browser.client;
    let email = unique_email("browser");

    c.goto(&app.url("/register")).await.unwrap();
    fill(c, "#email", &email).await;
    fill(c, "#password", PASSWORD).await;
    fill(c, "#handle", "browser-seller").await;
    click(c, "#register-submit").await;

    wait_for(c, "#login-form").await;
    fill(c, "#email", &email).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#login-submit").await;

    wait_for(c, "#who").await;
    open_menu(c).await;
    let who = c
        .find(Locator::Css("#who"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        who.contains("browser-seller"),
        "signed in as the new handle, got {who:?}"
    );

    open_menu(c).await;
    click(c, "#logout").await;
    wait_for(c, "#login-form").await;
    assert!(c.find(Locator::Css("#who")).await.is_err(), "signed out");
    let _ = browser.client.clone().close().await;
}

pub async fn sign_in(c: &Client, app: &crate::helpers::TestApp, email: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    fill(c, "#email", email).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#login-submit").await;
    wait_for(c, "#who").await;
}

#[tokio::test]
async fn a_member_completes_a_lesson_and_its_check_and_the_path_progress_moves() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    let email = unique_email("learner");
    assert_eq!(app.register(&email, PASSWORD).await.status(), 202);
    let c = &browser.client;
    sign_in(c, &app, &email).await;

    c.goto(&app.url("/paths/abschluss-in-7-tagen"))
        .await
        .unwrap();
    assert!(
        wait_for(c, "#path-progress")
            .await
            .text()
            .await
            .unwrap()
            .starts_with("0 / ")
    );
    click(c, "#follow").await;
    wait_for(c, "#follow").await;
    let first = c.find(Locator::Css("ol.cards .lesson-link")).await.unwrap();
    first.click().await.unwrap();

    wait_for(c, "#check-form").await;
    // Answer every question with its first option.
    for fieldset in c
        .find_all(Locator::Css("#check-form fieldset"))
        .await
        .unwrap()
    {
        fieldset
            .find(Locator::Css("input"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    click(c, "#check-submit").await;
    let score = wait_for(c, "#check-score").await.text().await.unwrap();
    assert!(score.contains(" / "), "the check was scored: {score}");
    assert!(
        c.find(Locator::Css(".verdict")).await.is_ok(),
        "explanations are shown"
    );

    click(c, "#complete").await;
    wait_for(c, "#completed").await;

    c.goto(&app.url("/paths/abschluss-in-7-tagen"))
        .await
        .unwrap();
    let progress = wait_for(c, "#path-progress").await.text().await.unwrap();
    assert!(
        progress.starts_with("1 / "),
        "the path progress moved: {progress}"
    );
    c.goto(&app.url("/learning")).await.unwrap();
    let card = wait_for(c, ".path-progress").await.text().await.unwrap();
    assert!(card.contains("1 /"), "my learning shows the path: {card}");
    let _ = browser.client.clone().close().await;
}

async fn sign_out(c: &Client) {
    open_menu(c).await;
    click(c, "#logout").await;
    wait_for(c, "#login-form").await;
}

async fn email_of(app: &crate::helpers::TestApp, token: &str) -> String {
    app.get_json("/api/v1/me", token).await["email"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_not_my_company_question_is_answered_across_companies_and_stays_invisible_to_colleagues()
{
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let acme = crate::leaks::company(&app, "Acme").await;
    let bolt = crate::leaks::company(&app, "Bolt").await;
    let member = sellerbase::domain::Role::Member;
    let asker_token = app.user_with_role(member, Some(acme)).await;
    let colleague_token = app.user_with_role(member, Some(acme)).await;
    let outsider_token = app.user_with_role(member, Some(bolt)).await;
    let (asker, colleague, outsider) = (
        email_of(&app, &asker_token).await,
        email_of(&app, &colleague_token).await,
        email_of(&app, &outsider_token).await,
    );
    let asker_handle = app.get_json("/api/v1/me", &asker_token).await["handle"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = &browser.client;
    let title = "Ich verliere Deals immer an der Abschlussfrage";

    sign_in(c, &app, &asker).await;
    c.goto(&app.url("/threads/new")).await.unwrap();
    click(c, "#visibility-not_my_company").await;
    fill(c, "#title", title).await;
    fill(
        c,
        "#body",
        "Sobald ich nach dem Auftrag frage, weicht der Kunde aus.",
    )
    .await;
    c.find(Locator::Css("#topic option[value=closing]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(c, "#tags", "abschlussfrage-geheim").await;
    click(c, "#ask-submit").await;
    let shown = wait_for(c, "#thread-title").await.text().await.unwrap();
    assert_eq!(shown, title);
    let url = c.current_url().await.unwrap();
    let thread_path = url.path().to_owned();
    sign_out(c).await;

    sign_in(c, &app, &outsider).await;
    c.goto(&app.url("/threads")).await.unwrap();
    c.find(Locator::LinkText(title))
        .await
        .expect("the outsider finds the question")
        .click()
        .await
        .unwrap();
    fill(
        c,
        "#answer-body",
        "Stellen Sie vorher eine Testfrage: Was fehlt Ihnen noch zur Entscheidung?",
    )
    .await;
    click(c, "#answer-submit").await;
    wait_for(c, ".answer").await;
    sign_out(c).await;

    sign_in(c, &app, &asker).await;
    c.goto(&app.url(&thread_path)).await.unwrap();
    click(c, ".accept").await;
    let accepted = wait_for(c, ".accepted-mark").await.text().await.unwrap();
    assert!(!accepted.is_empty());
    sign_out(c).await;

    sign_in(c, &app, &colleague).await;
    for page in [
        "/threads",
        "/threads?list=unanswered",
        "/tags",
        &format!("/u/{asker_handle}"),
        "/notifications",
    ] {
        c.goto(&app.url(page)).await.unwrap();
        let html = c.source().await.unwrap();
        assert!(
            !html.contains("Abschlussfrage") && !html.contains("abschlussfrage-geheim"),
            "the colleague sees the question on {page}"
        );
    }
    c.goto(&app.url("/threads?tag=abschlussfrage-geheim"))
        .await
        .unwrap();
    let html = c.source().await.unwrap();
    assert!(
        !html.contains(title) && !html.contains("thread-list"),
        "the tag page lists nothing for the colleague"
    );
    c.goto(&app.url(&thread_path)).await.unwrap();
    let html = c.source().await.unwrap();
    assert!(
        !html.contains(title),
        "the colleague cannot open the question"
    );
    let _ = browser.client.clone().close().await;
}

#[tokio::test]
async fn a_company_admin_enrolls_by_csv_and_the_dashboard_shows_the_assigned_lesson_completed() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    sellerbase::services::demo::import_starter_pack(&app.db)
        .await
        .unwrap();
    let org = crate::leaks::company(&app, "Ostwind").await;
    let admin_token = app
        .user_with_role(sellerbase::domain::Role::CompanyAdmin, Some(org))
        .await;
    let admin = email_of(&app, &admin_token).await;
    let resp = app
        .call(
            reqwest::Method::POST,
            "/api/v1/company/teams",
            &admin_token,
            Some(serde_json::json!({"name": "Innendienst"})),
        )
        .await;
    let team = resp.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let lesson = app
        .get_json("/api/v1/lessons/einwand-zu-teuer", &admin_token)
        .await["id"]
        .as_i64()
        .unwrap();
    let due = (chrono::Utc::now().date_naive() + chrono::Duration::days(5)).to_string();
    let c = &browser.client;

    sign_in(c, &app, &admin).await;
    c.goto(&app.url("/company")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.csv");
    std::fs::write(
        &file,
        "email,name,team\nnina@ostwind.example,Nina Roth,Innendienst\n",
    )
    .unwrap();
    c.find(Locator::Css("#csv-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    click(c, "#csv-submit").await;
    let report = wait_for(c, "#csv-report").await.text().await.unwrap();
    assert!(report.contains("nina@ostwind.example"), "{report}");
    assert!(
        c.find(Locator::Css("#csv-report .row-created"))
            .await
            .is_ok(),
        "the row was created: {report}"
    );
    let resp = app
        .call(
            reqwest::Method::POST,
            "/api/v1/company/assignments",
            &admin_token,
            Some(serde_json::json!({"lesson_id": lesson, "team_id": team, "due_on": due})),
        )
        .await;
    assert_eq!(resp.status(), 201);
    sign_out(c).await;

    let token = crate::companies::link_token(&app, "nina@ostwind.example", "invitation").await;
    c.goto(&app.url(&format!("/invitations/{token}")))
        .await
        .unwrap();
    fill(c, "#password", PASSWORD).await;
    fill(c, "#handle", "nina-sells").await;
    click(c, "#accept-submit").await;
    let assigned = wait_for(c, "#assigned").await.text().await.unwrap();
    assert!(
        assigned.contains("0 / 1"),
        "the assigned lesson is listed: {assigned}"
    );
    click(c, ".assignment-link").await;
    click(c, "#complete").await;
    wait_for(c, "#completed").await;
    sign_out(c).await;

    sign_in(c, &app, &admin).await;
    c.goto(&app.url("/company")).await.unwrap();
    let row = wait_for(c, "tr[data-email='nina@ostwind.example'] .completed")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        row.trim(),
        "1 / 1",
        "the dashboard shows the completed lesson"
    );
    let page = c.source().await.unwrap();
    assert!(
        !page.contains("nina-sells"),
        "the company never sees the handle"
    );
    let _ = browser.client.clone().close().await;
}
