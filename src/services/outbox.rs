//! The search outbox: every content change records which document must be re-indexed, in the
//! same transaction as the change, so the index can never miss one.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use entity::search_outbox;

use crate::error::AppResult;

pub const LESSON: &str = "lesson";
pub const THREAD: &str = "thread";

/// Records that `kind`/`id` changed; the indexer re-reads it from the database.
pub async fn enqueue(db: &impl ConnectionTrait, kind: &str, id: i64) -> AppResult<()> {
    search_outbox::ActiveModel {
        entity_kind: Set(kind.to_owned()),
        entity_id: Set(id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
