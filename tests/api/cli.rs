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
        String::from_utf8_lossy(&first.stdout).contains("created 29"),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let second = sellerbase(dir.path())
        .args(["import-lessons", starter])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("created 0, updated 0, unchanged 29"));

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
    assert_eq!(
        std::fs::read_dir(exported.path().join("lessons"))
            .unwrap()
            .count(),
        26
    );
    let reimport = sellerbase(dir.path())
        .arg("import-lessons")
        .arg(exported.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&reimport.stdout).contains("created 0, updated 0, unchanged 29"),
        "an export imports as unchanged"
    );
}
