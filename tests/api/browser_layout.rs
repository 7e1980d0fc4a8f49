//! Phone first, in a real browser: every main page of every role at 390x844 and 1366x900, in
//! German and English, has no sideways scrolling, starts its content near the top on the
//! phone, keeps every tap target at least 44 px, and has no serious or critical accessibility
//! violation by axe-core (WCAG 2.1 A and AA rules, run inside Chromium), and shows no text of
//! the other language's catalogue. Screenshots land in
//! `target/screenshots/` for people to look at.

use fantoccini::{Client, Locator};

use crate::browser::{open_menu, start_browser};
use crate::helpers::{Backend, spawn_app};
use sellerbase::services::demo::DEMO_PASSWORD;

/// Measures the page in the browser: widths, where the content starts, and tap targets that
/// are smaller than 44 px.
const MEASURE: &str = r#"
const main = document.querySelector('main');
const first = main ? Array.from(main.querySelectorAll('*')).find(e => {
  const r = e.getBoundingClientRect();
  return r.height > 0 && r.width > 0 && getComputedStyle(e).visibility !== 'hidden';
}) : null;
const small = Array.from(document.querySelectorAll('a[href], button, summary, input[type=radio], input[type=checkbox], select'))
  .filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    // Links inside running text are exempt (WCAG 2.5.8): only controls and stand-alone links count.
    const inText = e.tagName === 'A' && e.closest('p, li.comment, .snippet, .body, blockquote, td, dd, small, .meta, label');
    if (inText) return false;
    const target = e.closest('label') || e;
    const t = target.getBoundingClientRect();
    return Math.max(r.height, t.height) < 43.5;
  })
  .map(e => e.outerHTML.slice(0, 120));
return {
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  first_top: first ? first.getBoundingClientRect().top + window.scrollY : 0,
  header: document.querySelector('header.top').getBoundingClientRect().height,
  small: small,
};
"#;

/// axe-core's script (`npm ci --prefix tests/browser-deps`; `.ci/run` does it), or `None`
/// after saying why; required when `CI=true`.
fn axe_source() -> Option<String> {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser-deps/node_modules/axe-core/axe.min.js"
        )
        .to_owned()
    });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if crate::helpers::in_ci() => {
            panic!("CI=true but {path} is missing: run npm ci --prefix tests/browser-deps")
        }
        Err(_) => {
            eprintln!(
                "!!! SKIPPED accessibility checks: {path} is missing (npm ci --prefix tests/browser-deps)"
            );
            None
        }
    }
}

/// Serious and critical axe-core violations of the current page, one line each.
async fn accessibility_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .expect("axe-core loads");
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                 .then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                 .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .expect("axe-core runs");
    result
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The texts of the other language that must never show on a page: every catalogue value
/// (interface texts and server messages) that differs between the languages and is long
/// enough to be unmistakable.
fn foreign_texts(lang: &str) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/frontend/i18n");
    let other = if lang == "de" { "en" } else { "de" };
    let load = |name: &str| -> std::collections::BTreeMap<String, toml::Value> {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        toml::from_str(&text).unwrap()
    };
    let mut out = Vec::new();
    for file in ["{}.toml", "messages.{}.toml"] {
        let mine = load(&file.replace("{}", lang));
        for (key, value) in load(&file.replace("{}", other)) {
            let Some(text) = value.as_str() else { continue };
            let same = mine.get(&key).and_then(|v| v.as_str()) == Some(text);
            // Placeholders are filled in on the page; take the part before the first one.
            let fixed = text.split('{').next().unwrap_or_default().trim();
            if !same && fixed.chars().count() >= 14 {
                out.push(fixed.to_owned());
            }
        }
    }
    out
}

async fn sign_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    let field = c.find(Locator::Css("#email")).await.unwrap();
    field.send_keys(email).await.unwrap();
    let field = c.find(Locator::Css("#password")).await.unwrap();
    field.send_keys(DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("#login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#who"))
        .await
        .expect("signed in");
}

async fn sign_out(c: &Client) {
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
        .expect("signed out");
}

fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

#[tokio::test]
async fn every_page_fits_the_phone_and_the_desktop_in_both_languages() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.seed_demo_world().await;
    let c = &browser.client;
    let base = app.address.clone();
    let pages_of = |role: &str| -> Vec<&'static str> {
        let mut pages = vec![
            "/",
            "/lessons",
            "/learning",
            "/search?q=Einwand",
            "/settings",
        ];
        match role {
            "member" => pages.extend(["/threads", "/threads/new", "/notifications", "/paths"]),
            "trainer" => pages.extend(["/threads", "/coach", "/moderation", "/trainer/lessons"]),
            "company_admin" => pages.extend(["/company"]),
            "platform_admin" => pages.extend(["/admin/companies", "/admin/security"]),
            _ => {}
        }
        pages
    };
    let people = [
        ("member", "jonas@nordlicht.example"),
        ("trainer", "mara.coach@sellerbase.example"),
        ("company_admin", "hr@nordlicht.example"),
        ("platform_admin", "admin@sellerbase.example"),
    ];
    let mut problems = Vec::new();
    let shots = screenshot_dir();
    let axe = axe_source();
    assert!(
        foreign_texts("de").len() > 200 && foreign_texts("en").len() > 200,
        "the language check has texts to look for"
    );
    for (width, height, device) in [(390, 844, "phone"), (1366, 900, "desktop")] {
        c.set_window_size(width, height).await.unwrap();
        for lang in ["de", "en"] {
            c.goto(&format!("{base}/language?to={lang}&next=/"))
                .await
                .unwrap();
            for path in ["/", "/login", "/register"] {
                check(
                    c,
                    &base,
                    path,
                    device,
                    lang,
                    "anonymous",
                    &shots,
                    axe.as_deref(),
                    &mut problems,
                )
                .await;
            }
            for (role, email) in people {
                sign_in(c, &base, email).await;
                for path in pages_of(role) {
                    check(
                        c,
                        &base,
                        path,
                        device,
                        lang,
                        role,
                        &shots,
                        axe.as_deref(),
                        &mut problems,
                    )
                    .await;
                }
                if device == "phone" {
                    // The menu opens and every link in it fits.
                    c.goto(&format!("{base}/")).await.unwrap();
                    open_menu(c).await;
                    check_open(
                        c,
                        device,
                        lang,
                        role,
                        "menu",
                        &shots,
                        axe.as_deref(),
                        &mut problems,
                    )
                    .await;
                }
                sign_out(c).await;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layout problems:\n{}",
        problems.join("\n")
    );
    let _ = browser.client.clone().close().await;
}

#[allow(clippy::too_many_arguments)]
async fn check(
    c: &Client,
    base: &str,
    path: &str,
    device: &str,
    lang: &str,
    role: &str,
    shots: &std::path::Path,
    axe: Option<&str>,
    problems: &mut Vec<String>,
) {
    c.goto(&format!("{base}{path}")).await.unwrap();
    check_open(c, device, lang, role, path, shots, axe, problems).await;
}

#[allow(clippy::too_many_arguments)]
async fn check_open(
    c: &Client,
    device: &str,
    lang: &str,
    role: &str,
    what: &str,
    shots: &std::path::Path,
    axe: Option<&str>,
    problems: &mut Vec<String>,
) {
    let m = c.execute(MEASURE, vec![]).await.unwrap();
    let at = format!("{device} {lang} {role} {what}");
    let (scroll, inner) = (m["scroll"].as_f64().unwrap(), m["inner"].as_f64().unwrap());
    if scroll > inner + 0.5 {
        problems.push(format!("{at}: scrolls sideways ({scroll} > {inner})"));
    }
    if device == "phone" {
        let header = m["header"].as_f64().unwrap();
        if header > 64.0 {
            problems.push(format!("{at}: header is {header} px high"));
        }
        let top = m["first_top"].as_f64().unwrap();
        if top > 160.0 {
            problems.push(format!("{at}: content starts at {top} px"));
        }
    }
    for small in m["small"].as_array().unwrap() {
        problems.push(format!("{at}: tap target under 44 px: {small}"));
    }
    // Colours and structure do not change with the width; once per page and language is enough.
    let shown = c
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for foreign in foreign_texts(lang) {
        if shown.contains(&foreign) {
            problems.push(format!("{at}: text of the other language: {foreign:?}"));
        }
    }
    if let (Some(axe), "phone") = (axe, device) {
        for v in accessibility_violations(c, axe).await {
            problems.push(format!("{at}: accessibility: {v}"));
        }
    }
    let name: String = format!("{device}-{lang}-{role}-{what}")
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(shots.join(format!("{name}.png")), png);
    }
}
