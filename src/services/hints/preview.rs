//! The preview for a signed-in author: the policy decides, the author's company's
//! sensitive-names list is read, [`super::detect`] runs. Nothing is written, logged or sent
//! to the company; the answer carries only spans of the author's own text.

use sea_orm::ConnectionTrait;

use super::{Hint, detect};
use crate::error::AppResult;
use crate::policy::{Viewer, may_get_hints};
use crate::services::companies::sensitive_names;

/// The hints for `text`, written by `viewer`, with byte offsets.
pub async fn preview(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    text: &str,
) -> AppResult<Vec<Hint>> {
    may_get_hints(viewer)?;
    let list = sensitive_names::for_hints(db, viewer).await?;
    Ok(detect(text, &list))
}

/// Loads the phone-number metadata once, so that the first author does not wait for it.
pub fn warm_up() {
    detect("+49 30 1234567", &[]);
}
