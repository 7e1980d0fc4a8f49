//! The command line: `serve`, `migrate`, `create-admin`, `seed-demo`, lessons in and out,
//! `reindex`, `backup`/`restore` and the benchmarks.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{Overrides, Settings};
use crate::domain::{Email, Handle, Password, Role};
use crate::services::accounts::{NewUser, create_user};
use crate::services::passwords::Hasher;
use crate::services::{demo, lesson_files};
use crate::startup::Application;

/// sellerbase: the confidential community where B2B sellers learn in the moment of need.
#[derive(Parser, Debug)]
#[command(name = "sellerbase", version, about, long_about = None)]
pub struct Cli {
    /// TOML config file (default: ./sellerbase.toml when it exists). See docs/configuration.md.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the embedded database, search index and local mail [env: SELLERBASE_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL, e.g. postgres://user@host/db; default is SQLite in the data folder [env: SELLERBASE_DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the web server (applies pending migrations first).
    Serve {
        /// Address to listen on [env: SELLERBASE_BIND] [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Fill an empty database with demo companies, people and content, and print the logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a platform administrator. The password is read from standard input.
    CreateAdmin {
        /// E-mail address of the new administrator.
        #[arg(long)]
        email: String,
        /// Pseudonymous handle (default: generated).
        #[arg(long)]
        handle: Option<String>,
    },
    /// Fill an empty database with the demo world and exit.
    SeedDemo,
    /// Write a consistent backup of the embedded database to FILE while the server runs
    /// (PostgreSQL: use pg_dump, see docs/operations.md).
    Backup {
        /// The backup file to create; it must not exist yet.
        file: PathBuf,
    },
    /// Replace the embedded database with a backup (stop the server first); the search index
    /// is rebuilt from it on the next start.
    Restore {
        /// A file written by `backup`.
        file: PathBuf,
    },
    /// Import lessons (DIR/lessons/*.md or DIR/*.md, Markdown with TOML front matter) and
    /// learning paths (DIR/paths/*.toml). Importing the same files again changes nothing; a
    /// broken file is reported with its line and skipped whole.
    ImportLessons {
        /// Folder to read, e.g. content/starter.
        dir: PathBuf,
    },
    /// Benchmark search: indexing, query latency, HTTP throughput, time to searchable, memory,
    /// and PostgreSQL FTS and SQLite FTS5 on the same corpus. Build with --release.
    BenchSearch {
        /// Number of synthetic threads (plus one lesson per 200 threads, at least 50).
        #[arg(long, default_value_t = 100_000)]
        threads: usize,
        /// Queries timed in the search service and on each peer.
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
        /// Concurrent HTTP clients.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Seconds of HTTP load.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// PostgreSQL server for the peer (a temporary database is created and dropped);
        /// defaults to TEST_DATABASE_URL.
        #[arg(long)]
        pg_url: Option<String>,
        /// Measure sellerbase only.
        #[arg(long)]
        skip_peers: bool,
    },
    /// Load test: a mixed workload (70% search and page reads, 20% lesson progress, 10% posts)
    /// from many HTTP clients in rounds, with latency percentiles, errors and memory per round,
    /// then search latency while clients sign in continuously. Build with --release.
    BenchLoad {
        /// Concurrent HTTP clients.
        #[arg(long, default_value_t = 200)]
        clients: usize,
        /// Seconds per round.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Rounds (memory is reported after each).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Clients that search, and clients that sign in, in the hashing phase.
        #[arg(long, default_value_t = 20)]
        login_clients: usize,
    },
    /// Rebuild the search index from the database into a fresh folder and switch to it
    /// atomically; a running server picks it up without stopping.
    Reindex,
    /// Write every published lesson and every path into DIR/lessons and DIR/paths, in the
    /// format import-lessons reads.
    ExportLessons {
        /// Folder to write into (created when missing).
        dir: PathBuf,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let bind = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    let overrides = Overrides {
        bind,
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let settings = Settings::load(cli.config.as_deref(), overrides)?;
    crate::telemetry::init(settings.log_format);
    match cli.command {
        Command::Serve { demo, .. } => serve(settings, demo).await,
        Command::Migrate => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::CreateAdmin { email, handle } => {
            create_admin(settings, &email, handle.as_deref()).await
        }
        Command::ImportLessons { dir } => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            let report = lesson_files::import_dir(&db, &dir).await?;
            print_import(&report);
            if report.failed.is_empty() {
                Ok(())
            } else {
                anyhow::bail!("{} file(s) could not be imported", report.failed.len())
            }
        }
        Command::BenchLoad {
            clients,
            seconds,
            rounds,
            login_clients,
        } => {
            let opts = crate::bench::load::LoadOptions {
                clients,
                seconds,
                rounds,
                login_clients,
            };
            crate::bench::load::run(settings, opts).await
        }
        Command::BenchSearch {
            threads,
            queries,
            clients,
            seconds,
            pg_url,
            skip_peers,
        } => {
            let opts = crate::bench::BenchOptions {
                threads,
                query_rounds: queries,
                clients,
                seconds,
                pg_url,
                skip_peers,
            };
            crate::bench::run(settings, opts).await
        }
        Command::Reindex => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            let started = std::time::Instant::now();
            let index =
                crate::services::search::follower::rebuild(&db, &settings.data_dir.join("index"))
                    .await?;
            println!(
                "Indexed {} documents in {:.1} s into {}.",
                index.num_docs(),
                started.elapsed().as_secs_f64(),
                index.dir().display()
            );
            Ok(())
        }
        Command::ExportLessons { dir } => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            let (lessons, paths) = lesson_files::export_dir(&db, &dir).await?;
            println!(
                "Wrote {lessons} lessons and {paths} learning paths to {}.",
                dir.display()
            );
            Ok(())
        }
        Command::Backup { file } => {
            let bytes = crate::backup::backup(&settings, &file).await?;
            println!("Backup written to {} ({bytes} bytes).", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            crate::backup::restore(&settings, &file).await?;
            println!(
                "Restored {}; the search index is rebuilt when the server starts.",
                file.display()
            );
            Ok(())
        }
        Command::SeedDemo => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            let hasher = Hasher::new(&settings.password_hashing)?;
            seed_everything(&db, &hasher, &settings.base_url()).await
        }
    }
}

async fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    let _lock = crate::backup::lock_for_server(&settings)?;
    let app = Application::build(settings).await?;
    if with_demo {
        let state = app.state();
        seed_everything(&state.db, &state.hasher, &state.settings.base_url()).await?;
    }
    tracing::info!(port = app.port(), "sellerbase is listening");
    println!("sellerbase is running on port {}", app.port());
    app.run_until_stopped().await.context("server failed")
}

async fn seed_everything(
    db: &sea_orm::DatabaseConnection,
    hasher: &Hasher,
    base_url: &str,
) -> anyhow::Result<()> {
    let report = demo::seed(db, hasher).await.map_err(anyhow::Error::new)?;
    let lessons = demo::import_starter_pack(db).await?;
    if report.seeded {
        let threads = demo::seed_threads(db, base_url).await?;
        println!("Demo community: {} threads.", threads.len());
    }
    println!("Starter lessons and paths:");
    print_import(&lessons);
    print_demo(&report);
    Ok(())
}

fn print_import(report: &lesson_files::ImportReport) {
    println!(
        "created {}, updated {}, unchanged {}, skipped {}, failed {}",
        report.created.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.skipped.len(),
        report.failed.len()
    );
    for line in &report.skipped {
        println!("  skipped: {line}");
    }
    for line in &report.failed {
        eprintln!("  failed: {line}");
    }
}

fn print_demo(report: &demo::DemoReport) {
    if report.seeded {
        println!("Demo data created.");
    } else {
        println!("The database already has accounts; demo data was not added again.");
    }
    println!("Demo logins (password for all: {}):", demo::DEMO_PASSWORD);
    for login in &report.logins {
        println!("  {:<32} {}", login.email, login.role);
    }
}

async fn create_admin(settings: Settings, email: &str, handle: Option<&str>) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let handle = handle
        .map(Handle::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    eprintln!(
        "Password for {} (at least {} characters), then Enter:",
        email.as_ref(),
        Password::MIN_LEN
    );
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password")?;
    let password =
        Password::parse(line.trim_end_matches(['\n', '\r'])).map_err(anyhow::Error::msg)?;
    let db = crate::db::connect(&settings).await?;
    crate::db::migrate(&db).await?;
    let hasher = Hasher::new(&settings.password_hashing)?;
    let new = NewUser {
        email,
        password,
        handle,
        display_name: None,
        role: Role::PlatformAdmin,
        organization_id: None,
        locale: None,
    };
    let user = create_user(&db, &hasher, new)
        .await
        .map_err(|e| anyhow::Error::new(crate::error::AppError::from(e)))?;
    println!(
        "Created platform admin {} (handle {}).",
        user.email, user.handle
    );
    Ok(())
}
