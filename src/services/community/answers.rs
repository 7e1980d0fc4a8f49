//! Answering, editing with kept history, commenting, helpful votes and accepting.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{answer, answer_revision, comment, thread, vote};

use super::threads::{self, STATUS_ANSWERED};
use crate::domain::community::{CommentBody, PostBody};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::notifications::{self, Kind};
use crate::services::outbox;

/// The answer a viewer may see, with its thread, or not found.
pub async fn visible(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    answer_id: i64,
) -> AppResult<(thread::Model, answer::Model)> {
    let a = answer::Entity::find_by_id(answer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = threads::visible(db, viewer, a.thread_id).await?;
    if !policy::may_see_post(viewer, a.author_id, a.hidden, a.deleted_at.is_some()) {
        return Err(AppError::NotFound);
    }
    Ok((t, a))
}

fn author_id(viewer: &Viewer) -> AppResult<i64> {
    policy::may_post(viewer)?;
    viewer.user().map(|u| u.id).ok_or(AppError::Unauthenticated)
}

pub async fn answer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    thread_id: i64,
    body: &str,
    base_url: &str,
) -> AppResult<i64> {
    let me = author_id(viewer)?;
    let body = PostBody::parse(body).map_err(AppError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let t = threads::visible(&txn, viewer, thread_id).await?;
    if t.locked {
        return Err(AppError::conflict("thread_locked_no_answers"));
    }
    let now = Utc::now();
    let a = answer::ActiveModel {
        thread_id: Set(t.id),
        author_id: Set(me),
        body_md: Set(body.as_ref().to_owned()),
        body_html: Set(crate::markdown::render(body.as_ref())),
        helpful_count: Set(0),
        hidden: Set(false),
        edited_by_moderator: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    thread::Entity::update_many()
        .col_expr(
            thread::Column::AnswerCount,
            Expr::col(thread::Column::AnswerCount).add(1),
        )
        .col_expr(thread::Column::LastActivityAt, Expr::value(now))
        .filter(thread::Column::Id.eq(t.id))
        .exec(&txn)
        .await?;
    let kind = if policy::is_coach_reply(viewer, &policy::ThreadFacts::of(&t)) {
        Kind::CoachReply
    } else {
        Kind::Answer
    };
    notifications::notify(&txn, me, t.author_id, kind, t.id, Some(a.id), base_url).await?;
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(a.id)
}

/// The author edits an answer; the earlier text is kept, unless the author asks to remove it
/// (`redact`): then every earlier text of the answer is destroyed.
pub async fn edit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    answer_id: i64,
    body: &str,
    redact: bool,
) -> AppResult<()> {
    let me = author_id(viewer)?;
    let body = PostBody::parse(body).map_err(AppError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let (t, a) = visible(&txn, viewer, answer_id).await?;
    if a.author_id != me {
        return Err(AppError::forbidden("answer_edit_not_author"));
    }
    if t.locked {
        return Err(AppError::conflict("thread_locked"));
    }
    replace_body(&txn, a, body.as_ref(), Some(me), Editor::Author, redact).await?;
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Who changed the text of a post, as its history tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    Author,
    Moderator,
}

impl Editor {
    pub fn key(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Moderator => "moderator",
        }
    }

    fn parse(key: Option<&str>) -> Self {
        match key {
            Some("moderator") => Self::Moderator,
            _ => Self::Author,
        }
    }
}

/// Stores the new text. The replaced one is kept as a revision, or, with `redact`, destroyed
/// together with every earlier revision: the history then only tells that the answer was
/// edited and by whom (role). The caller reindexes the thread through the outbox, in the
/// same transaction, so the search index forgets the removed text as well.
pub(crate) async fn replace_body(
    db: &impl ConnectionTrait,
    a: answer::Model,
    body: &str,
    editor: Option<i64>,
    role: Editor,
    redact: bool,
) -> AppResult<()> {
    if redact {
        answer_revision::Entity::update_many()
            .col_expr(answer_revision::Column::BodyMd, Expr::value(""))
            .col_expr(answer_revision::Column::Redacted, Expr::value(true))
            .filter(answer_revision::Column::AnswerId.eq(a.id))
            .exec(db)
            .await?;
    }
    answer_revision::ActiveModel {
        answer_id: Set(a.id),
        editor_id: Set(editor),
        body_md: Set(if redact {
            String::new()
        } else {
            a.body_md.clone()
        }),
        redacted: Set(redact),
        editor_role: Set(Some(role.key().into())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let flagged = a.edited_by_moderator || role == Editor::Moderator;
    let mut row: answer::ActiveModel = a.into();
    row.body_md = Set(body.to_owned());
    row.body_html = Set(crate::markdown::render(body));
    row.edited_by_moderator = Set(flagged);
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(())
}

/// One earlier version of an answer: its text, unless it was redacted.
#[derive(Clone, Debug)]
pub struct Revision {
    /// `None` once redacted.
    pub body_md: Option<String>,
    pub replaced_at: chrono::DateTime<Utc>,
    pub replaced_by: Editor,
}

/// Earlier versions of an answer, newest first; for its author and moderators only (others
/// are told it does not exist).
pub async fn history(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    answer_id: i64,
) -> AppResult<Vec<Revision>> {
    let (_, a) = visible(db, viewer, answer_id).await?;
    if !policy::may_see_revisions(viewer, a.author_id) {
        return Err(AppError::NotFound);
    }
    Ok(answer_revision::Entity::find()
        .filter(answer_revision::Column::AnswerId.eq(answer_id))
        .order_by_desc(answer_revision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Revision {
            body_md: (!r.redacted).then_some(r.body_md),
            replaced_at: r.created_at,
            replaced_by: Editor::parse(r.editor_role.as_deref()),
        })
        .collect())
}

pub async fn comment(
    db: &DatabaseConnection,
    viewer: &Viewer,
    answer_id: i64,
    body: &str,
    base_url: &str,
) -> AppResult<i64> {
    let me = author_id(viewer)?;
    let body = CommentBody::parse(body).map_err(AppError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let (t, a) = visible(&txn, viewer, answer_id).await?;
    if t.locked {
        return Err(AppError::conflict("thread_locked_no_comments"));
    }
    let c = comment::ActiveModel {
        answer_id: Set(a.id),
        author_id: Set(me),
        body: Set(body.as_ref().to_owned()),
        hidden: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    notifications::notify(
        &txn,
        me,
        a.author_id,
        Kind::Comment,
        t.id,
        Some(a.id),
        base_url,
    )
    .await?;
    txn.commit().await?;
    Ok(c.id)
}

/// One helpful vote per member and answer, never on one's own answer.
pub async fn vote(db: &DatabaseConnection, viewer: &Viewer, answer_id: i64) -> AppResult<i32> {
    let me = author_id(viewer)?;
    let txn = crate::db::begin_write(db).await?;
    let (t, a) = visible(&txn, viewer, answer_id).await?;
    if a.author_id == me {
        return Err(AppError::forbidden("vote_own_answer"));
    }
    let inserted = vote::Entity::insert(vote::ActiveModel {
        answer_id: Set(a.id),
        user_id: Set(me),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([vote::Column::AnswerId, vote::Column::UserId])
    .exec(&txn)
    .await?;
    if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
        return Err(AppError::conflict("vote_twice"));
    }
    let count = a.helpful_count + 1;
    answer::Entity::update_many()
        .col_expr(
            answer::Column::HelpfulCount,
            Expr::col(answer::Column::HelpfulCount).add(1),
        )
        .filter(answer::Column::Id.eq(a.id))
        .exec(&txn)
        .await?;
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(count)
}

pub async fn unvote(db: &DatabaseConnection, viewer: &Viewer, answer_id: i64) -> AppResult<()> {
    let me = author_id(viewer)?;
    let txn = crate::db::begin_write(db).await?;
    let (t, a) = visible(&txn, viewer, answer_id).await?;
    let deleted = vote::Entity::delete_many()
        .filter(vote::Column::AnswerId.eq(a.id))
        .filter(vote::Column::UserId.eq(me))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::conflict("vote_missing"));
    }
    answer::Entity::update_many()
        .col_expr(
            answer::Column::HelpfulCount,
            Expr::col(answer::Column::HelpfulCount).sub(1),
        )
        .filter(answer::Column::Id.eq(a.id))
        .exec(&txn)
        .await?;
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(())
}

/// The asker accepts one answer of their thread; accepting another replaces it.
pub async fn accept(
    db: &DatabaseConnection,
    viewer: &Viewer,
    thread_id: i64,
    answer_id: i64,
    base_url: &str,
) -> AppResult<()> {
    let me = author_id(viewer)?;
    let txn = crate::db::begin_write(db).await?;
    let t = threads::visible(&txn, viewer, thread_id).await?;
    if t.author_id != me {
        return Err(AppError::forbidden("accept_not_asker"));
    }
    let (at, a) = visible(&txn, viewer, answer_id).await?;
    if at.id != t.id {
        return Err(AppError::invalid("accept_other_thread"));
    }
    if a.author_id == me {
        return Err(AppError::forbidden("accept_own_answer"));
    }
    let mut row: thread::ActiveModel = t.into();
    row.accepted_answer_id = Set(Some(a.id));
    row.status = Set(STATUS_ANSWERED.into());
    row.updated_at = Set(Utc::now());
    let t = row.update(&txn).await?;
    notifications::notify(
        &txn,
        me,
        a.author_id,
        Kind::Accepted,
        t.id,
        Some(a.id),
        base_url,
    )
    .await?;
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(())
}
