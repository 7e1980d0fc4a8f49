//! The error type every service returns; the HTTP layer turns it into a status and a stable code.

use crate::domain::Msg;

/// Why a service call failed. `Invalid`, `Conflict` and `Forbidden` carry a catalogue message
/// (`crate::messages`) that is shown to the user in their language, so it never carries
/// internal details; `Unexpected` is logged, never shown. `Display` is English, for logs and
/// the command line.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(Msg),
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(Msg),
    /// Also used for resources the viewer may not see: they do not exist for them.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(Msg),
    #[error("too many attempts, try again in {0} s")]
    RateLimited(u64),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Unexpected(anyhow::Error::new(e))
    }
}

impl AppError {
    /// Invalid input, with a message that takes no arguments.
    pub fn invalid(key: &'static str) -> Self {
        Self::Invalid(Msg::new(key))
    }

    /// A conflict with what exists, with a message that takes no arguments.
    pub fn conflict(key: &'static str) -> Self {
        Self::Conflict(Msg::new(key))
    }

    /// Not allowed, with a message that takes no arguments.
    pub fn forbidden(key: &'static str) -> Self {
        Self::Forbidden(Msg::new(key))
    }

    /// What the person reads about this error (never the cause of an unexpected one).
    pub fn message(&self) -> Msg {
        match self {
            Self::Invalid(m) | Self::Forbidden(m) | Self::Conflict(m) => m.clone(),
            Self::Unauthenticated => Msg::new("unauthenticated"),
            Self::BadCredentials => Msg::new("bad_credentials"),
            Self::NotFound => Msg::new("not_found"),
            Self::RateLimited(seconds) => Msg::new("rate_limited").arg("seconds", seconds),
            Self::Unexpected(_) => Msg::new("internal_error"),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
