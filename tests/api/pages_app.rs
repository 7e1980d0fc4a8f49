//! The installable app over HTTP: manifest and icons, the service worker at the root, an
//! offline page that carries nothing personal, and a sign-out that clears the device.

use crate::helpers::{Backend, browser, page_text, signed_in_client, spawn_app};
use crate::on_both_databases;
use sellerbase::domain::Role;

async fn the_app_installs_and_signing_out_clears_the_device(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let client = browser();
    let resp = client
        .get(app.url("/static/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let manifest: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        let bytes = client
            .get(app.url(src))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        if icon["type"] == "image/png" {
            assert!(bytes.starts_with(b"\x89PNG"), "{src} is a PNG");
        }
    }
    let sw = client.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.status(), 200);
    assert!(
        sw.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/javascript")
    );
    assert_eq!(
        sw.headers()["cache-control"],
        "no-store",
        "updates arrive at once"
    );

    let (email, _) = app.account_with_role(Role::Member, None).await;
    let (client, csrf) = signed_in_client(&app, &email).await;
    let layout = page_text(&client, &app, "/").await;
    assert!(layout.contains("rel=\"manifest\""));
    let offline = page_text(&client, &app, "/offline").await;
    assert!(offline.contains("id=\"offline-list\""));
    assert!(
        !offline.contains(&email) && !offline.contains("name=\"csrf\""),
        "nothing personal"
    );
    let resp = client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["clear-site-data"], "\"cache\", \"storage\"");
}
on_both_databases!(the_app_installs_and_signing_out_clears_the_device);
