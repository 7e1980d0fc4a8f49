//! Flags from members, the moderators' queue, moderation actions and their audit log.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use entity::{answer, comment, flag, moderation_log, thread};

use super::{answers, threads};
use crate::domain::Msg;
use crate::domain::community::{PostBody, parse_reason};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::audit::{self, Event, Record};
use crate::services::notifications::{self, Kind};
use crate::services::outbox;

/// What can be flagged and moderated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Thread(i64),
    Answer(i64),
    Comment(i64),
}

impl Target {
    pub fn parse(kind: &str, id: i64) -> AppResult<Self> {
        match kind {
            "thread" => Ok(Self::Thread(id)),
            "answer" => Ok(Self::Answer(id)),
            "comment" => Ok(Self::Comment(id)),
            other => Err(AppError::Invalid(
                Msg::new("moderation_target_unknown").arg("value", other),
            )),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Thread(_) => "thread",
            Self::Answer(_) => "answer",
            Self::Comment(_) => "comment",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Self::Thread(id) | Self::Answer(id) | Self::Comment(id) => id,
        }
    }
}

/// The target's thread and author, when the viewer may see the target.
async fn locate(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    target: Target,
) -> AppResult<(thread::Model, i64)> {
    match target {
        Target::Thread(id) => {
            let t = threads::visible(db, viewer, id).await?;
            let author = t.author_id;
            Ok((t, author))
        }
        Target::Answer(id) => {
            let (t, a) = answers::visible(db, viewer, id).await?;
            Ok((t, a.author_id))
        }
        Target::Comment(id) => {
            let c = comment::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let (t, _) = answers::visible(db, viewer, c.answer_id).await?;
            if !policy::may_see_post(viewer, c.author_id, c.hidden, c.deleted_at.is_some()) {
                return Err(AppError::NotFound);
            }
            Ok((t, c.author_id))
        }
    }
}

/// A member reports a post to the moderators, once per post.
pub async fn flag(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    target: Target,
    reason: &str,
) -> AppResult<()> {
    let me = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    policy::may_browse_community(viewer).map_err(|_| AppError::NotFound)?;
    let reason = parse_reason(reason).map_err(AppError::Invalid)?;
    let (t, _) = locate(db, viewer, target).await?;
    let inserted = flag::Entity::insert(flag::ActiveModel {
        target_kind: Set(target.kind().into()),
        target_id: Set(target.id()),
        thread_id: Set(t.id),
        reporter_id: Set(me),
        reason: Set(reason),
        status: Set("open".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        flag::Column::TargetKind,
        flag::Column::TargetId,
        flag::Column::ReporterId,
    ])
    .exec(db)
    .await?;
    if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
        return Err(AppError::conflict("report_twice"));
    }
    Ok(())
}

/// Open reports grouped by post, for posts the moderator may see.
#[derive(Clone, Debug)]
pub struct QueueItem {
    pub target_kind: String,
    pub target_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub excerpt: String,
    pub hidden: bool,
    pub reasons: Vec<String>,
    pub first_reported: DateTime<Utc>,
}

pub async fn queue(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<QueueItem>> {
    policy::moderator_id(viewer)?;
    let open = flag::Entity::find()
        .filter(flag::Column::Status.eq("open"))
        .order_by_asc(flag::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let mut items: Vec<QueueItem> = Vec::new();
    for f in open {
        if let Some(item) = items
            .iter_mut()
            .find(|i| i.target_kind == f.target_kind && i.target_id == f.target_id)
        {
            item.reasons.push(f.reason);
            continue;
        }
        let Ok(target) = Target::parse(&f.target_kind, f.target_id) else {
            continue;
        };
        let Ok((t, _)) = locate(db, viewer, target).await else {
            continue;
        };
        let (excerpt, hidden) = match target {
            Target::Thread(_) => (crate::markdown::plain_text(&t.body_md), t.hidden),
            Target::Answer(id) => match answer::Entity::find_by_id(id).one(db).await? {
                Some(a) => (crate::markdown::plain_text(&a.body_md), a.hidden),
                None => continue,
            },
            Target::Comment(id) => match comment::Entity::find_by_id(id).one(db).await? {
                Some(c) => (c.body, c.hidden),
                None => continue,
            },
        };
        items.push(QueueItem {
            target_kind: f.target_kind,
            target_id: f.target_id,
            thread_id: t.id,
            thread_title: t.title,
            excerpt: excerpt.chars().take(300).collect(),
            hidden,
            reasons: vec![f.reason],
            first_reported: f.created_at,
        });
    }
    Ok(items)
}

/// What a moderator can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Hide,
    Unhide,
    Lock,
    Unlock,
    Delete,
    /// Replace the text; the post then shows "edited by moderator".
    Edit(String),
    /// Close the reports without changing the post.
    Dismiss,
}

impl Action {
    pub fn parse(key: &str, body: Option<&str>) -> AppResult<Self> {
        Ok(match key {
            "hide" => Self::Hide,
            "unhide" => Self::Unhide,
            "lock" => Self::Lock,
            "unlock" => Self::Unlock,
            "delete" => Self::Delete,
            "dismiss" => Self::Dismiss,
            "edit" => Self::Edit(
                body.ok_or_else(|| AppError::invalid("moderation_edit_needs_text"))?
                    .to_owned(),
            ),
            other => {
                return Err(AppError::Invalid(
                    Msg::new("moderation_action_unknown").arg("value", other),
                ));
            }
        })
    }

    pub fn key(&self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Unhide => "unhide",
            Self::Lock => "lock",
            Self::Unlock => "unlock",
            Self::Delete => "delete",
            Self::Edit(_) => "edit",
            Self::Dismiss => "dismiss",
        }
    }
}

/// Applies a moderation action with its reason, logs it, resolves the post's open reports and
/// tells the author.
pub async fn act(
    db: &DatabaseConnection,
    viewer: &Viewer,
    target: Target,
    action: Action,
    reason: &str,
    base_url: &str,
) -> AppResult<()> {
    let me = policy::moderator_id(viewer)?;
    let reason = parse_reason(reason).map_err(AppError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let (t, author) = locate(&txn, viewer, target).await?;
    let now = Utc::now();
    match (&action, target) {
        (Action::Lock | Action::Unlock, Target::Thread(_)) => {
            let mut row: thread::ActiveModel = t.clone().into();
            row.locked = Set(action == Action::Lock);
            row.update(&txn).await?;
        }
        (Action::Lock | Action::Unlock, _) => {
            return Err(AppError::invalid("moderation_lock_threads_only"));
        }
        (Action::Dismiss, _) => {}
        (Action::Hide | Action::Unhide | Action::Delete, Target::Thread(_)) => {
            let mut row: thread::ActiveModel = t.clone().into();
            match action {
                Action::Delete => row.deleted_at = Set(Some(now)),
                _ => row.hidden = Set(action == Action::Hide),
            }
            row.update(&txn).await?;
        }
        (Action::Hide | Action::Unhide | Action::Delete, Target::Answer(id)) => {
            let a = answer::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut row: answer::ActiveModel = a.into();
            match action {
                Action::Delete => row.deleted_at = Set(Some(now)),
                _ => row.hidden = Set(action == Action::Hide),
            }
            row.update(&txn).await?;
        }
        (Action::Hide | Action::Unhide | Action::Delete, Target::Comment(id)) => {
            let c = comment::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut row: comment::ActiveModel = c.into();
            match action {
                Action::Delete => row.deleted_at = Set(Some(now)),
                _ => row.hidden = Set(action == Action::Hide),
            }
            row.update(&txn).await?;
        }
        (Action::Edit(text), Target::Thread(_)) => {
            let body = PostBody::parse(text).map_err(AppError::Invalid)?;
            let mut row: thread::ActiveModel = t.clone().into();
            row.body_md = Set(body.as_ref().to_owned());
            row.body_html = Set(crate::markdown::render(body.as_ref()));
            row.edited_by_moderator = Set(true);
            row.updated_at = Set(now);
            row.update(&txn).await?;
        }
        (Action::Edit(text), Target::Answer(id)) => {
            let body = PostBody::parse(text).map_err(AppError::Invalid)?;
            let a = answer::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            // A moderator edits to remove what must not be there: the old text goes.
            let role = answers::Editor::Moderator;
            answers::replace_body(&txn, a, body.as_ref(), Some(me), role, true).await?;
        }
        (Action::Edit(_), Target::Comment(_)) => {
            return Err(AppError::invalid("moderation_comment_no_edit"));
        }
    }
    let detail = format!("{} {} {}", action.key(), target.kind(), target.id());
    audit::record(
        &txn,
        Record::new(Event::Moderation, Some(me), None, &detail),
    )
    .await?;
    moderation_log::ActiveModel {
        moderator_id: Set(Some(me)),
        action: Set(action.key().into()),
        target_kind: Set(target.kind().into()),
        target_id: Set(target.id()),
        reason: Set(reason),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut reporters: Vec<i64> = flag::Entity::find()
        .filter(flag::Column::TargetKind.eq(target.kind()))
        .filter(flag::Column::TargetId.eq(target.id()))
        .filter(flag::Column::Status.eq("open"))
        .all(&txn)
        .await?
        .into_iter()
        .map(|f| f.reporter_id)
        .collect();
    reporters.sort_unstable();
    reporters.dedup();
    flag::Entity::update_many()
        .col_expr(
            flag::Column::Status,
            sea_orm::sea_query::Expr::value("resolved"),
        )
        .col_expr(
            flag::Column::ResolvedBy,
            sea_orm::sea_query::Expr::value(me),
        )
        .col_expr(
            flag::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(flag::Column::TargetKind.eq(target.kind()))
        .filter(flag::Column::TargetId.eq(target.id()))
        .filter(flag::Column::Status.eq("open"))
        .exec(&txn)
        .await?;
    if action != Action::Dismiss {
        notifications::notify(&txn, me, author, Kind::Moderation, t.id, None, base_url).await?;
    }
    // Whoever reported it learns that it was handled (not how), if they still may see it.
    for reporter in reporters {
        let kind = Kind::ReportResolved;
        notifications::notify(&txn, me, reporter, kind, t.id, None, base_url).await?;
    }
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct LogEntry {
    pub moderator_id: Option<i64>,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// The moderation audit log, newest first.
pub async fn log(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<LogEntry>> {
    policy::moderator_id(viewer)?;
    Ok(moderation_log::Entity::find()
        .order_by_desc(moderation_log::Column::Id)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(|l| LogEntry {
            moderator_id: l.moderator_id,
            action: l.action,
            target_kind: l.target_kind,
            target_id: l.target_id,
            reason: l.reason,
            created_at: l.created_at,
        })
        .collect())
}
