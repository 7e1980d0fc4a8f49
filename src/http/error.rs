//! The one JSON error shape of the API, `{"error": {"code": "...", "message": "..."}}`, and the
//! mapping from service errors to it. The message speaks the request's language
//! (`super::language`); internal causes are logged, never sent.

use poem::http::StatusCode;
use poem_openapi::{ApiResponse, Object, payload::Json};

use super::language::words;
use crate::domain::Msg;
use crate::error::AppError;

#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_input`, `not_found`.
    pub code: String,
    /// A human-readable explanation, safe to show to the user, in the language the request's
    /// `Accept-Language` prefers: German (`de`) or English (otherwise).
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}

/// Every error an API operation can answer with.
#[derive(ApiResponse, Debug)]
pub enum ApiError {
    /// The request is malformed or a field is invalid.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Not signed in, or the session has ended.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// Signed in, but not allowed to do this.
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// It does not exist, or the caller may not see it.
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// It conflicts with what exists (duplicate, wrong state).
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The body is larger than the limit (1 MiB).
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// The body is not JSON (send `Content-Type: application/json`), or not the documented type.
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// Too many attempts; try again later.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>),
    /// Something went wrong on the server; the cause is logged.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn unauthorized() -> Self {
        Self::Unauthorized(Json(ErrorBody::new(
            "unauthorized",
            words(&Msg::new("unauthenticated")),
        )))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let message = words(&e.message());
        match e {
            AppError::Invalid(_) => {
                Self::BadRequest(Json(ErrorBody::new("invalid_input", message)))
            }
            AppError::Unauthenticated => Self::unauthorized(),
            AppError::BadCredentials => {
                Self::Unauthorized(Json(ErrorBody::new("invalid_credentials", message)))
            }
            AppError::Forbidden(_) => Self::Forbidden(Json(ErrorBody::new("forbidden", message))),
            AppError::NotFound => Self::NotFound(Json(ErrorBody::new("not_found", message))),
            AppError::Conflict(_) => Self::Conflict(Json(ErrorBody::new("conflict", message))),
            AppError::RateLimited(_) => {
                Self::TooManyRequests(Json(ErrorBody::new("rate_limited", message)))
            }
            AppError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "request failed");
                Self::Internal(Json(ErrorBody::new("internal_error", message)))
            }
        }
    }
}

/// Stable code for a status that poem itself produced (parse errors, unknown routes).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_input",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        402..=499 => "bad_request",
        _ => "internal_error",
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
