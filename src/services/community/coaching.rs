//! "Ask a coach": the trainers' queue of open coach questions, claiming and closing.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use entity::thread;

use super::threads::{self, STATUS_CLOSED, ThreadSummary};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::outbox;
use crate::services::people;

#[derive(Clone, Debug)]
pub struct QueueItem {
    pub thread: ThreadSummary,
    pub waiting_minutes: i64,
    pub claimed_by: Option<String>,
}

/// Open coach questions, oldest first, with how long each has been waiting.
pub async fn queue(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<QueueItem>> {
    policy::coach_id(viewer)?;
    let rows = thread::Entity::find()
        .filter(policy::coach_queue_condition(viewer))
        .filter(thread::Column::Status.ne(STATUS_CLOSED))
        .order_by_asc(thread::Column::CreatedAt)
        .all(db)
        .await?;
    let claimers = people::personas(
        db,
        &rows.iter().filter_map(|t| t.claimed_by).collect::<Vec<_>>(),
    )
    .await?;
    let info: Vec<(DateTime<Utc>, Option<i64>)> =
        rows.iter().map(|t| (t.created_at, t.claimed_by)).collect();
    let summaries = threads::summaries(db, viewer, rows).await?;
    let now = Utc::now();
    Ok(summaries
        .into_iter()
        .zip(info)
        .map(|(s, (created, claimed))| QueueItem {
            thread: s,
            waiting_minutes: (now - created).num_minutes(),
            claimed_by: claimed.map(|c| people::persona_of(&claimers, c).handle),
        })
        .collect())
}

async fn coach_thread(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<thread::Model> {
    let t = threads::visible(db, viewer, id).await?;
    if !policy::is_coach_question(&policy::ThreadFacts::of(&t)) {
        return Err(AppError::conflict("coach_not_a_coach_question"));
    }
    Ok(t)
}

/// A coach takes a question so that others know it is being handled.
pub async fn claim(db: &impl ConnectionTrait, viewer: &Viewer, id: i64) -> AppResult<()> {
    let me = policy::coach_id(viewer)?;
    let t = coach_thread(db, viewer, id).await?;
    match t.claimed_by {
        Some(other) if other != me => {
            return Err(AppError::conflict("coach_claimed_by_other"));
        }
        Some(_) => return Ok(()),
        None => {}
    }
    if t.status == STATUS_CLOSED {
        return Err(AppError::conflict("coach_question_closed"));
    }
    let mut row: thread::ActiveModel = t.into();
    row.claimed_by = Set(Some(me));
    row.claimed_at = Set(Some(Utc::now()));
    row.update(db).await?;
    Ok(())
}

/// A coach closes a handled question; it leaves the queue.
pub async fn close(db: &impl ConnectionTrait, viewer: &Viewer, id: i64) -> AppResult<()> {
    policy::coach_id(viewer)?;
    let t = coach_thread(db, viewer, id).await?;
    if t.status == STATUS_CLOSED {
        return Err(AppError::conflict("coach_question_closed_already"));
    }
    let mut row: thread::ActiveModel = t.into();
    row.status = Set(STATUS_CLOSED.into());
    row.closed_at = Set(Some(Utc::now()));
    let t = row.update(db).await?;
    outbox::enqueue(db, outbox::THREAD, t.id).await?;
    Ok(())
}
