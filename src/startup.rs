//! Building and running the server: `Application::build` binds the listener itself, so tests
//! can ask for port 0 and read the real port.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use poem::Server;
use poem::listener::TcpAcceptor;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::http::web::templates::Templates;
use crate::services::passwords::Hasher;
use crate::state::AppState;

pub struct Application {
    acceptor: TcpAcceptor,
    port: u16,
    state: AppState,
    mail: crate::services::mail::Transport,
}

impl Application {
    /// Opens (and migrates) the database, loads templates and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = crate::db::connect(&settings).await?;
        crate::db::migrate(&db).await?;
        Self::build_with(settings, db).await
    }

    /// Like `build`, with an already migrated database.
    pub async fn build_with(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let hasher = Hasher::new(&settings.password_hashing)?;
        let templates = Templates::load()?;
        let smtp = settings
            .mail
            .smtp_url
            .as_ref()
            .map(|s| s.expose().to_owned());
        let mail = crate::services::mail::Transport::from_settings(
            smtp.as_deref(),
            settings.data_dir.join("mail"),
        )
        .context("invalid mail.smtp_url")?;
        let listener = tokio::net::TcpListener::bind(&settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let acceptor = TcpAcceptor::from_tokio(listener)?;
        let search = crate::services::search::SearchHandle::new(&settings.data_dir.join("index"));
        let search_log = crate::services::search::SearchLog::start(
            db.clone(),
            Duration::from_millis(settings.search.log_flush_ms.max(10)),
        );
        let throttle = crate::services::throttle::Throttle::new(
            settings.throttle.per_account_per_minute,
            settings.throttle.per_client_per_minute,
        );
        let sessions = Arc::new(crate::services::session_cache::SessionCache::new(
            Duration::from_millis(settings.session.read_cache_ms),
        ));
        let state = AppState {
            sessions,
            throttle,
            search_log,
            search,
            db,
            settings: Arc::new(settings),
            hasher,
            templates: Arc::new(templates),
        };
        Ok(Self {
            acceptor,
            port,
            state,
            mail,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM; in-flight requests get 10 s to finish. Background work
    /// (mail delivery) runs beside it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.start_background_work();
        let http = &self.state.settings.http;
        // A request's own time limit answers 408 first; the connection's idle limit is for
        // clients that stop talking, so it is never shorter.
        let idle = http.idle_timeout_secs.max(http.request_timeout_secs + 5);
        let acceptor =
            crate::http::idle::IdleTimeoutAcceptor::new(self.acceptor, Duration::from_secs(idle));
        let app = crate::http::app(self.state);
        Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(app, shutdown_signal(), Some(Duration::from_secs(10)))
            .await
    }
}

impl Application {
    fn start_background_work(&self) {
        let settings = &self.state.settings;
        if settings.search.follow {
            let follower = crate::services::search::follower::Follower::new(
                self.state.db.clone(),
                self.state.search.clone(),
            );
            tokio::spawn(follower.run(Duration::from_millis(settings.search.interval_ms.max(10))));
        }
        tokio::spawn(crate::services::companies::assignments::run_reminders(
            self.state.db.clone(),
            settings.base_url(),
            Duration::from_secs(300),
        ));
        tokio::spawn(crate::services::mail::run(
            self.state.db.clone(),
            self.mail.clone(),
            settings.mail.from.clone(),
            Duration::from_millis(settings.mail.interval_ms.max(50)),
        ));
        // The redaction hints' phone-number metadata, loaded before the first author types.
        tokio::task::spawn_blocking(crate::services::hints::warm_up);
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
