//! The error type every service returns; the HTTP layer turns it into a status and a stable code.

/// Why a service call failed. The message of `Invalid`, `Conflict` and `Forbidden` is shown to
/// the user, so it must never carry internal details; `Unexpected` is logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    /// Also used for resources the viewer may not see: they do not exist for them.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
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
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
