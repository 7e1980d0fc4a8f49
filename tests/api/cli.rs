//! The command line: help, migrate, create-admin, import and export of lessons.

use std::io::Write;
use std::process::{Command, Stdio};

fn sellerbase(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sellerbase"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("SELLERBASE_DATABASE_URL")
        .env("RUST_LOG", "error");
    cmd
}

#[test]
fn help_explains_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_sellerbase"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for command in [
        "serve",
        "migrate",
        "create-admin",
        "seed-demo",
        "import-lessons",
        "export-lessons",
        "reindex",
        "bench-search",
        "backup",
        "restore",
    ] {
        assert!(text.contains(command), "--help misses {command}:\n{text}");
    }
    let serve = Command::new(env!("CARGO_BIN_EXE_sellerbase"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8(serve.stdout).unwrap().contains("--bind"));
}

#[test]
fn create_admin_makes_a_platform_admin_and_refuses_a_short_password() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        sellerbase(dir.path())
            .arg("migrate")
            .status()
            .unwrap()
            .success()
    );
    let run = |password: &str| {
        let mut child = sellerbase(dir.path())
            .args([
                "create-admin",
                "--email",
                "Boss@Example.com",
                "--handle",
                "the-admin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = run("short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let ok = run("a long admin passphrase");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("boss@example.com"));
    let again = run("a long admin passphrase");
    assert!(!again.status.success(), "the address exists already");
}

#[test]
fn lessons_import_idempotently_report_broken_files_and_export_back() {
    let dir = tempfile::tempdir().unwrap();
    let starter = concat!(env!("CARGO_MANIFEST_DIR"), "/content/starter");
    let files = |folder: &str| {
        std::fs::read_dir(std::path::Path::new(starter).join(folder))
            .unwrap()
            .count()
    };
    // Every lesson and every learning path of the starter pack.
    let items = files("lessons") + files("paths");
    let first = sellerbase(dir.path())
        .args(["import-lessons", starter])
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains(&format!("created {items},")),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let second = sellerbase(dir.path())
        .args(["import-lessons", starter])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&second.stdout)
            .contains(&format!("created 0, updated 0, unchanged {items},")),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("bad.md"),
        "+++\nslug = \"x\"\ntitle = \n+++\nText\n",
    )
    .unwrap();
    let out = sellerbase(dir.path())
        .arg("import-lessons")
        .arg(broken.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "a broken file fails the command");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.md:3:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let exported = tempfile::tempdir().unwrap();
    assert!(
        sellerbase(dir.path())
            .arg("export-lessons")
            .arg(exported.path())
            .status()
            .unwrap()
            .success()
    );
    let starter_lessons = files("lessons");
    assert_eq!(
        std::fs::read_dir(exported.path().join("lessons"))
            .unwrap()
            .count(),
        starter_lessons
    );
    let reimport = sellerbase(dir.path())
        .arg("import-lessons")
        .arg(exported.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&reimport.stdout)
            .contains(&format!("created 0, updated 0, unchanged {items},")),
        "an export imports as unchanged: {}",
        String::from_utf8_lossy(&reimport.stdout)
    );
}

async fn emails_in(db_file: &std::path::Path) -> Vec<String> {
    use sea_orm::EntityTrait;
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", db_file.display()))
        .await
        .unwrap();
    let emails = entity::user::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    db.close().await.unwrap();
    emails
}

#[tokio::test]
async fn backup_runs_beside_a_live_server_and_restore_brings_it_back() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    let early = crate::helpers::unique_email("early");
    assert_eq!(
        app.register(&early, crate::helpers::PASSWORD)
            .await
            .status(),
        202
    );
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("it's a backup.db");
    let out = sellerbase(app.data_dir())
        .arg("backup")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(emails_in(&file).await.contains(&early));
    // Never over an existing file.
    let again = sellerbase(app.data_dir())
        .arg("backup")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    // Restore into a stopped installation: later accounts are gone, the index is rebuilt.
    let late = crate::helpers::unique_email("late");
    assert_eq!(
        app.register(&late, crate::helpers::PASSWORD).await.status(),
        202
    );
    let data = tempfile::tempdir().unwrap();
    let live = app.data_dir().join("sellerbase.db");
    let copy = backups.path().join("live-copy.db");
    let out = sellerbase(app.data_dir())
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::copy(&copy, data.path().join("sellerbase.db")).unwrap();
    assert!(live.exists());
    std::fs::create_dir_all(data.path().join("index")).unwrap();
    std::fs::write(data.path().join("index").join("CURRENT"), "v2-1").unwrap();
    assert!(
        emails_in(&data.path().join("sellerbase.db"))
            .await
            .contains(&late)
    );

    // Not while a server holds the data folder.
    let lock = std::fs::File::create(data.path().join("sellerbase.lock")).unwrap();
    lock.try_lock().unwrap();
    let refused = sellerbase(data.path())
        .arg("restore")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop the server"));
    drop(lock);

    // Not from something that is not a sellerbase backup.
    let junk = backups.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let refused = sellerbase(data.path())
        .arg("restore")
        .arg(&junk)
        .output()
        .unwrap();
    assert!(!refused.status.success());

    let out = sellerbase(data.path())
        .arg("restore")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let emails = emails_in(&data.path().join("sellerbase.db")).await;
    assert!(emails.contains(&early) && !emails.contains(&late));
    assert!(!data.path().join("index").join("CURRENT").exists());
}

#[test]
fn backup_and_restore_point_postgresql_users_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let out = sellerbase(dir.path())
        .args([
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "backup",
        ])
        .arg(dir.path().join("x.db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}

/// The README's first command: `serve --demo` brings the whole demo world, not only accounts.
#[tokio::test]
async fn serve_with_demo_brings_lessons_paths_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = crate::crash::start_with(dir.path(), None, &["--demo"]);
    let base = format!("http://127.0.0.1:{port}");
    let login = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({
            "email": "jonas@nordlicht.example",
            "password": sellerbase::services::demo::DEMO_PASSWORD
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token = login.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |path: &'static str| {
        let (base, token) = (base.clone(), token.clone());
        async move {
            reqwest::Client::new()
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let lessons = get("/api/v1/lessons").await;
    assert!(lessons.as_array().unwrap().len() >= 20, "{lessons}");
    let paths = get("/api/v1/paths").await;
    assert!(!paths.as_array().unwrap().is_empty(), "{paths}");
    let threads = get("/api/v1/threads").await;
    assert!(
        !threads["items"].as_array().unwrap().is_empty(),
        "{threads}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
