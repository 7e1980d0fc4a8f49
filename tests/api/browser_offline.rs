//! The installable app in a real browser: a member keeps a lesson, reads it without a
//! connection, sees the offline page (never a thread) elsewhere, answers the knowledge check
//! offline, and after signing out nothing is left on the device.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use fantoccini::{Client, Locator};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::browser::{open_menu, start_browser};
use crate::helpers::{Backend, spawn_app};
use sellerbase::services::demo::DEMO_PASSWORD;

/// The network between the browser and the server: a loopback proxy that can be cut. Cutting
/// refuses new connections and drops open ones, as a dead spot does; the service worker's own
/// requests fail too (Chromium's network emulation would not reach them).
struct Network {
    address: String,
    down: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Network {
    async fn to(server: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let upstream = server.trim_start_matches("http://").to_owned();
        let down = Arc::new(AtomicBool::new(false));
        let (cut, _) = watch::channel(0u64);
        let (flag, cuts) = (down.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let mut cut = cuts.subscribe();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Self { address, down, cut }
    }

    fn set_offline(&self, offline: bool) {
        self.down.store(offline, Ordering::SeqCst);
        if offline {
            self.cut.send_modify(|n| *n += 1);
        }
    }
}

async fn run_async(c: &Client, script: &str) -> serde_json::Value {
    c.execute_async(script, vec![]).await.expect(script)
}

async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_kept_lesson_is_read_offline_and_nothing_stays_after_signing_out() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.seed_demo_world().await;
    let c = &browser.client;
    let network = Network::to(&app.address).await;
    let base = network.address.clone();
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys("jonas@nordlicht.example")
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("#login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#who")).await.unwrap();

    let lesson = format!("{base}/lessons/einwand-zu-teuer");
    c.goto(&lesson).await.unwrap();
    let ready = run_async(
        c,
        "const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true));",
    )
    .await;
    assert_eq!(ready, true, "the service worker is installed");
    // The page is controlled only after a reload.
    c.refresh().await.unwrap();
    let title = text_of(c, "article.lesson h1").await;
    c.wait()
        .for_element(Locator::Css("#keep-offline"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        if !text_of(c, "#keep-status").await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kept = text_of(c, "#keep-status").await;
    let done = c
        .find(Locator::Css("#keep-status"))
        .await
        .unwrap()
        .attr("data-done")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, done, "the confirmation, not the failure");

    network.set_offline(true);
    c.goto(&lesson).await.unwrap();
    assert_eq!(
        text_of(c, "article.lesson h1").await,
        title,
        "the kept lesson reads offline"
    );
    c.goto(&format!("{base}/threads/1")).await.unwrap();
    assert!(
        !text_of(c, "#offline-title").await.is_empty(),
        "a thread is never kept"
    );
    let listed = text_of(c, "#offline-list").await;
    assert!(
        listed.contains(&title),
        "the offline page lists what was kept: {listed:?}"
    );
    let source = c.source().await.unwrap();
    assert!(
        !source.contains("jonas") && !source.contains("name=\"csrf\""),
        "nothing personal"
    );

    // Answering the check offline keeps the answers for later.
    c.goto(&lesson).await.unwrap();
    let questions = c
        .find_all(Locator::Css("#check-form fieldset"))
        .await
        .unwrap();
    assert!(!questions.is_empty(), "the lesson has a knowledge check");
    {
        for q in questions {
            q.find(Locator::Css("input"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
        c.find(Locator::Css("#check-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let queued = c.find(Locator::Css("#check-queued")).await.unwrap();
        let mut shown = false;
        for _ in 0..50 {
            shown = queued.is_displayed().await.unwrap();
            if shown {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(shown, "told that the answers wait");
        let pending = run_async(
            c,
            "arguments[0](localStorage.getItem('sb-pending-checks'));",
        )
        .await;
        assert!(
            pending.as_str().is_some_and(|p| p.contains("check")),
            "{pending}"
        );
    }
    network.set_offline(false);
    // Back online: the next page sends the answers kept offline.
    c.goto(&format!("{base}/")).await.unwrap();
    let mut sent = 0;
    for _ in 0..100 {
        use sea_orm::{EntityTrait, PaginatorTrait};
        sent = entity::check_answer::Entity::find()
            .count(&app.db)
            .await
            .unwrap();
        if sent > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(sent > 0, "the answers given offline arrived");
    let pending = run_async(
        c,
        "arguments[0](localStorage.getItem('sb-pending-checks'));",
    )
    .await;
    assert!(pending.is_null(), "and are no longer kept: {pending}");

    // Signing out leaves nothing: no kept pages, no queued answers.
    c.goto(&format!("{base}/")).await.unwrap();
    open_menu(c).await;
    c.find(Locator::Css("#logout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#login-form"))
        .await
        .unwrap();
    let left = run_async(
        c,
        "const done = arguments[0]; caches.keys().then(k => done(k.length));",
    )
    .await;
    assert_eq!(left, 0, "no cache survives signing out");
    let pending = run_async(
        c,
        "arguments[0](localStorage.getItem('sb-pending-checks'));",
    )
    .await;
    assert!(pending.is_null(), "no queued answers survive signing out");
    let _ = browser.client.clone().close().await;
}
