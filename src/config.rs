//! Typed settings: documented defaults, overridden by a TOML file, then by environment variables.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Everything the server needs to start. See `docs/configuration.md`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server listens on; port 0 picks a free port.
    pub bind: String,
    /// Folder for the embedded SQLite database, the search index and the local mail folder.
    pub data_dir: PathBuf,
    /// `postgres://...` or `sqlite://...`; empty means SQLite in `data_dir`.
    pub database_url: Option<Secret>,
    /// The address users reach the platform at; `https://` turns on `Secure` cookies.
    pub public_url: Option<String>,
    /// `text` (default) or `json` log lines.
    pub log_format: LogFormat,
    pub http: HttpSettings,
    pub session: SessionSettings,
    pub password_hashing: HashingSettings,
    pub mail: MailSettings,
    pub search: SearchSettings,
    /// Sign-in, registration and invitation attempts per minute, per account and per client.
    pub throttle: ThrottleSettings,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Text,
            http: HttpSettings::default(),
            session: SessionSettings::default(),
            password_hashing: HashingSettings::default(),
            mail: MailSettings::default(),
            search: SearchSettings::default(),
            throttle: ThrottleSettings::default(),
            metrics_token: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Limits for slow or stuck clients.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// A connection that sends and receives nothing for this long is closed (slow headers,
    /// idle keep-alive); at least `request_timeout_secs` + 5.
    pub idle_timeout_secs: u64,
    /// A request that takes longer than this (including reading a slow body) is answered
    /// with 408 and dropped.
    pub request_timeout_secs: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 60,
            request_timeout_secs: 30,
        }
    }
}

/// Session lifetimes: a session ends after `idle_minutes` without use, and always after
/// `absolute_hours`. Reads may reuse a session this instance checked less than
/// `read_cache_ms` ago (0 turns that off; see `services::session_cache`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
    pub read_cache_ms: u64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_minutes: 60 * 24 * 3,
            absolute_hours: 24 * 30,
            read_cache_ms: 1_000,
        }
    }
}

/// argon2id cost; the defaults are OWASP's recommendation (19 MiB, 2 passes, 1 lane).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HashingSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashingSettings {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Outgoing e-mail: SMTP when `smtp_url` is set, otherwise `.eml` files in `DATA_DIR/mail`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// e.g. `smtps://user:pass@mail.example.com` or `smtp://relay:25`.
    pub smtp_url: Option<Secret>,
    pub from: String,
    /// How often the outbox is delivered, in milliseconds.
    pub interval_ms: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "sellerbase <no-reply@sellerbase.local>".into(),
            interval_ms: 1000,
        }
    }
}

/// The search index follows the outbox every `interval_ms`; `follow = false` stops it (for
/// tests of crash recovery and for maintenance).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    pub follow: bool,
    pub interval_ms: u64,
    /// How often the anonymous search log is written, in milliseconds.
    pub log_flush_ms: u64,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            follow: true,
            interval_ms: 100,
            log_flush_ms: 1000,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleSettings {
    pub per_account_per_minute: u32,
    pub per_client_per_minute: u32,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            per_account_per_minute: 10,
            per_client_per_minute: 60,
        }
    }
}

/// A value that must never be printed (database URLs carry passwords).
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Overrides given on the command line; they win over file and environment.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

impl Settings {
    /// Reads `file` (or `./sellerbase.toml` when present), then `SELLERBASE_*` variables,
    /// then the command-line overrides.
    pub fn load(file: Option<&Path>, overrides: Overrides) -> anyhow::Result<Self> {
        let mut settings = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("sellerbase.toml").exists() => {
                Self::from_file(Path::new("sellerbase.toml"))?
            }
            None => Self::default(),
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        settings.apply(overrides);
        Ok(settings)
    }

    fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = var("SELLERBASE_BIND") {
            self.bind = v;
        }
        if let Some(v) = var("SELLERBASE_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = var("SELLERBASE_DATABASE_URL").filter(|v| !v.is_empty()) {
            self.database_url = Some(Secret::new(v));
        }
        if let Some(v) = var("SELLERBASE_METRICS_TOKEN").filter(|v| !v.is_empty()) {
            self.metrics_token = Some(Secret::new(v));
        }
        if let Some(v) = var("SELLERBASE_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = var("SELLERBASE_SMTP_URL").filter(|v| !v.is_empty()) {
            self.mail.smtp_url = Some(Secret::new(v));
        }
        if let Some(v) = var("SELLERBASE_MAIL_FROM") {
            self.mail.from = v;
        }
        if let Some(v) = var("SELLERBASE_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "json" => LogFormat::Json,
                "text" => LogFormat::Text,
                other => anyhow::bail!("SELLERBASE_LOG_FORMAT must be text or json, not {other:?}"),
            };
        }
        Ok(())
    }

    fn apply(&mut self, overrides: Overrides) {
        if let Some(v) = overrides.bind {
            self.bind = v;
        }
        if let Some(v) = overrides.data_dir {
            self.data_dir = v;
        }
        if let Some(v) = overrides.database_url {
            self.database_url = Some(Secret::new(v));
        }
    }

    /// The address links in e-mails point to.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// Cookies get `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_defaults_and_flags_override_the_environment() {
        let mut s = Settings::default();
        s.apply_env(|name| match name {
            "SELLERBASE_BIND" => Some("0.0.0.0:9000".into()),
            "SELLERBASE_DATA_DIR" => Some("/tmp/x".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.bind, "0.0.0.0:9000");
        s.apply(Overrides {
            bind: Some("127.0.0.1:1".into()),
            ..Default::default()
        });
        assert_eq!(s.bind, "127.0.0.1:1");
        assert_eq!(s.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn an_unknown_log_format_is_refused() {
        let mut s = Settings::default();
        let err = s.apply_env(|n| (n == "SELLERBASE_LOG_FORMAT").then(|| "xml".into()));
        assert!(err.is_err());
    }

    #[test]
    fn a_file_with_an_unknown_key_is_refused() {
        assert!(toml::from_str::<Settings>("bindd = \"x\"").is_err());
        let s: Settings =
            toml::from_str("bind = \"127.0.0.1:1\"\n[session]\nidle_minutes = 5").unwrap();
        assert_eq!(s.session.idle_minutes, 5);
        assert_eq!(s.session.absolute_hours, 24 * 30);
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("postgres://u:pw@h/db");
        assert_eq!(format!("{s:?}"), "[redacted]");
    }
}
