//! The review of lessons: submitting, requesting changes (always with a comment), publishing,
//! who is told about each step, the last decision, and which steps a lesson's state allows.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{lesson, lesson_review, user};

use crate::domain::Msg;
use crate::error::{AppError, AppResult};
use crate::policy::{self, LessonAction, Viewer};
use crate::services::lessons::{self, WorkingLesson};
use crate::services::notifications::{self, Kind};
use crate::services::people;

const CHANGES_REQUESTED: &str = "changes_requested";
const PUBLISHED: &str = "published";
const COMMENT_MAX: usize = 2000;

/// A reviewer's comment: what should change, in 3 to 2,000 characters.
fn parse_comment(raw: &str) -> AppResult<String> {
    let comment = raw.trim();
    let length = comment.chars().count();
    if length < 3 {
        return Err(AppError::invalid("review_comment_required"));
    }
    if length > COMMENT_MAX {
        return Err(AppError::Invalid(
            Msg::new("review_comment_too_long").arg("max", COMMENT_MAX),
        ));
    }
    Ok(comment.to_owned())
}

async fn record(
    db: &impl ConnectionTrait,
    lesson_id: i64,
    reviewer: Option<i64>,
    outcome: &str,
    comment: Option<String>,
) -> AppResult<()> {
    lesson_review::ActiveModel {
        lesson_id: Set(lesson_id),
        reviewer_id: Set(reviewer),
        outcome: Set(outcome.into()),
        comment: Set(comment),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Draft -> in review; every other trainer is told that a lesson waits for review.
pub async fn submit(db: &DatabaseConnection, viewer: &Viewer, id: i64) -> AppResult<WorkingLesson> {
    let txn = crate::db::begin_write(db).await?;
    let w = lessons::submit(&txn, viewer, id).await?;
    let me = viewer.user().map_or(0, |u| u.id);
    let reviewers = user::Entity::find()
        .filter(policy::lesson_reviewer_condition())
        .all(&txn)
        .await?;
    for r in reviewers {
        notifications::notify_about_lesson(&txn, me, r.id, Kind::ReviewRequested, id).await?;
    }
    txn.commit().await?;
    Ok(w)
}

/// In review -> draft, with the reviewer's comment for the author.
pub async fn request_changes(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    comment: &str,
) -> AppResult<WorkingLesson> {
    let comment = parse_comment(comment)?;
    let txn = crate::db::begin_write(db).await?;
    let author = lesson::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .author_id;
    if policy::may_author_lessons(viewer) && !policy::may_publish_lesson(viewer, author) {
        return Err(AppError::forbidden("review_own_lesson"));
    }
    let w = lessons::request_changes(&txn, viewer, id).await?;
    let me = viewer.user().map(|u| u.id);
    record(&txn, id, me, CHANGES_REQUESTED, Some(comment)).await?;
    if let (Some(author), Some(me)) = (author, me) {
        notifications::notify_about_lesson(&txn, me, author, Kind::ChangesRequested, id).await?;
    }
    txn.commit().await?;
    Ok(w)
}

/// In review -> published by another trainer; the author is told.
pub async fn publish(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    let txn = crate::db::begin_write(db).await?;
    let w = lessons::publish(&txn, viewer, id).await?;
    let me = viewer.user().map(|u| u.id);
    record(&txn, id, me, PUBLISHED, None).await?;
    if let (Some(author), Some(me)) = (w.author_id, me) {
        notifications::notify_about_lesson(&txn, me, author, Kind::LessonPublished, id).await?;
    }
    txn.commit().await?;
    Ok(w)
}

/// The last request for changes of a lesson that is a draft again: what the reviewer wants.
#[derive(Clone, Debug)]
pub struct ChangeRequest {
    pub reviewer: Option<String>,
    pub comment: String,
    pub at: DateTime<Utc>,
}

pub async fn open_change_request(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    w: &WorkingLesson,
) -> AppResult<Option<ChangeRequest>> {
    if !policy::may_author_lessons(viewer) || w.status != policy::lesson_status::DRAFT {
        return Ok(None);
    }
    let last = lesson_review::Entity::find()
        .filter(lesson_review::Column::LessonId.eq(w.id))
        .order_by_desc(lesson_review::Column::Id)
        .one(db)
        .await?;
    let Some(r) = last.filter(|r| r.outcome == CHANGES_REQUESTED) else {
        return Ok(None);
    };
    let reviewer = match r.reviewer_id {
        Some(id) => people::personas(db, &[id])
            .await?
            .remove(&id)
            .map(|p| p.handle),
        None => None,
    };
    Ok(Some(ChangeRequest {
        reviewer,
        comment: r.comment.unwrap_or_default(),
        at: r.created_at,
    }))
}

/// The steps this viewer may take on the lesson in its state.
pub fn actions(viewer: &Viewer, w: &WorkingLesson) -> Vec<LessonAction> {
    policy::lesson_actions(viewer, &w.status, w.author_id)
}
