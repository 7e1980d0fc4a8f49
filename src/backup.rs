//! Online backup and restore of the embedded SQLite database. PostgreSQL deployments use
//! `pg_dump`/`pg_restore` instead (docs/operations.md). The search index is not backed up: it
//! is derived, and rebuilt from the restored database on the next start.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::config::Settings;

const DB_FILE: &str = "sellerbase.db";
const LOCK_FILE: &str = "sellerbase.lock";

fn embedded_only(settings: &Settings, what: &str) -> anyhow::Result<PathBuf> {
    if settings.database_url.is_some() {
        bail!(
            "`{what}` works on the embedded SQLite database; for PostgreSQL use pg_dump and \
             pg_restore (see docs/operations.md)"
        );
    }
    Ok(settings.data_dir.join(DB_FILE))
}

/// Held by a running server on the embedded database, so that `restore` cannot pull the
/// database from under it.
pub struct ServerLock(#[allow(dead_code)] File);

pub fn lock_for_server(settings: &Settings) -> anyhow::Result<Option<ServerLock>> {
    if settings.database_url.is_some() {
        return Ok(None);
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let file = File::create(settings.data_dir.join(LOCK_FILE))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(ServerLock(file))),
        Err(_) => bail!(
            "another sellerbase server or restore is using {}",
            settings.data_dir.display()
        ),
    }
}

fn sql_string(path: &Path) -> anyhow::Result<String> {
    let text = path
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    Ok(format!("'{}'", text.replace('\'', "''")))
}

/// Writes a consistent copy of the live database to `target` (`VACUUM INTO`: one read
/// transaction, so writes that go on meanwhile are either wholly in it or not at all).
pub async fn backup(settings: &Settings, target: &Path) -> anyhow::Result<u64> {
    let source = embedded_only(settings, "backup")?;
    if !source.exists() {
        bail!("there is no database at {} to back up", source.display());
    }
    if target.exists() {
        bail!(
            "{} exists already; choose a new file name",
            target.display()
        );
    }
    let db = crate::db::connect(settings).await?;
    db.execute_unprepared(&format!("VACUUM INTO {}", sql_string(target)?))
        .await
        .with_context(|| format!("cannot write the backup to {}", target.display()))?;
    check(target).await?;
    Ok(std::fs::metadata(target)?.len())
}

/// Opens a backup read-only and checks that it is an intact sellerbase database.
async fn check(file: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let db: DatabaseConnection = Database::connect(url)
        .await
        .with_context(|| format!("{} is not a readable SQLite database", file.display()))?;
    let backend = db.get_database_backend();
    let integrity = db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "PRAGMA integrity_check",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    if integrity.as_deref() != Some("ok") {
        bail!("{} is damaged (integrity check failed)", file.display());
    }
    let migrations = db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT COUNT(*) FROM seaql_migrations",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<i64>(0).ok());
    if migrations.unwrap_or(0) == 0 {
        bail!("{} is not a sellerbase database", file.display());
    }
    db.close().await?;
    Ok(())
}

/// Replaces the embedded database with the backup `source` while no server runs, and drops
/// the search index so that the next start rebuilds it from the restored data.
pub async fn restore(settings: &Settings, source: &Path) -> anyhow::Result<()> {
    let target = embedded_only(settings, "restore")?;
    if !source.exists() {
        bail!("there is no backup at {}", source.display());
    }
    check(source).await?;
    let _lock = lock_for_server(settings).context("stop the server before restoring")?;
    let staging = settings.data_dir.join(format!("{DB_FILE}.restoring"));
    std::fs::copy(source, &staging).with_context(|| format!("cannot copy {}", source.display()))?;
    File::open(&staging)?.sync_all()?;
    for stale in ["-wal", "-shm"] {
        let path = settings.data_dir.join(format!("{DB_FILE}{stale}"));
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    std::fs::rename(&staging, &target)?;
    let current = settings.data_dir.join("index").join("CURRENT");
    if current.exists() {
        std::fs::remove_file(current)?;
    }
    // Apply migrations a newer version may have added since the backup was taken.
    let db = crate::db::connect(settings).await?;
    crate::db::migrate(&db).await?;
    Ok(())
}
