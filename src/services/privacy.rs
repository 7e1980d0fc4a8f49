//! Members own their data (GDPR): an export of everything of their own, and deleting the
//! account (personal data erased, posts kept as "former member" or deleted, sessions ended,
//! the search index refreshed).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

use entity::{
    answer, bookmark, check_answer, comment, email_verification, lesson, lesson_progress,
    lesson_rating, notification, notification_setting, organization, path_follow, review_item,
    session, team_member, thread, user, vote,
};

use crate::error::{AppError, AppResult};
use crate::policy::{self, ThreadFacts, Viewer};
use crate::services::audit::{self, Event, Record};
use crate::services::{notifications, outbox};

/// Everything of the viewer's own, as JSON. Of other people's content only what the viewer may
/// see anyway appears (the title of a thread they answered or voted in).
pub async fn export(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Value> {
    let me = viewer.user().ok_or(AppError::Unauthenticated)?;
    let exported = Record::new(Event::Export, Some(me.id), Some(me.id), "own data (GDPR)");
    audit::record(db, exported).await?;
    let u = user::Entity::find_by_id(me.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let company = match u.organization_id {
        Some(o) => organization::Entity::find_by_id(o)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let title_if_visible = |t: Option<thread::Model>| {
        t.filter(|t| policy::may_see_thread(viewer, &ThreadFacts::of(t)))
            .map(|t| t.title)
    };
    let threads = thread::Entity::find()
        .filter(thread::Column::AuthorId.eq(me.id))
        .order_by_asc(thread::Column::Id)
        .all(db)
        .await?;
    let mut answers = Vec::new();
    for a in answer::Entity::find()
        .filter(answer::Column::AuthorId.eq(me.id))
        .order_by_asc(answer::Column::Id)
        .all(db)
        .await?
    {
        let t = thread::Entity::find_by_id(a.thread_id).one(db).await?;
        answers.push(json!({"id": a.id, "thread_id": a.thread_id, "thread_title": title_if_visible(t), "body": a.body_md, "created_at": a.created_at, "deleted": a.deleted_at.is_some()}));
    }
    let comments: Vec<Value> = comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| json!({"id": c.id, "answer_id": c.answer_id, "body": c.body, "created_at": c.created_at}))
        .collect();
    let mut votes = Vec::new();
    for v in vote::Entity::find()
        .filter(vote::Column::UserId.eq(me.id))
        .all(db)
        .await?
    {
        let t = match answer::Entity::find_by_id(v.answer_id).one(db).await? {
            Some(a) => thread::Entity::find_by_id(a.thread_id).one(db).await?,
            None => None,
        };
        votes.push(json!({"answer_id": v.answer_id, "thread_title": title_if_visible(t), "created_at": v.created_at}));
    }
    let lesson_title = |id: i64| async move {
        lesson::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .map(|l| l.title)
    };
    let mut progress = Vec::new();
    for p in lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(me.id))
        .all(db)
        .await?
    {
        progress.push(json!({"lesson": lesson_title(p.lesson_id).await, "opened_at": p.opened_at, "completed_at": p.completed_at, "check_correct": p.check_correct, "check_total": p.check_total}));
    }
    let mut ratings = Vec::new();
    for r in lesson_rating::Entity::find()
        .filter(lesson_rating::Column::UserId.eq(me.id))
        .all(db)
        .await?
    {
        ratings.push(json!({"lesson": lesson_title(r.lesson_id).await, "stars": r.stars, "feedback": r.feedback}));
    }
    let mut bookmarks = Vec::new();
    for b in bookmark::Entity::find()
        .filter(bookmark::Column::UserId.eq(me.id))
        .all(db)
        .await?
    {
        bookmarks
            .push(json!({"lesson": lesson_title(b.lesson_id).await, "created_at": b.created_at}));
    }
    let notes: Vec<Value> = notifications::list(db, viewer, 100)
        .await?
        .into_iter()
        .map(|n| json!({"kind": n.kind.key(), "thread_title": n.thread_title, "read": n.read, "created_at": n.created_at}))
        .collect();
    let settings = notifications::settings(db, me.id).await?;
    Ok(json!({
        "exported_at": Utc::now(),
        "profile": {
            "email": u.email, "handle": u.handle, "display_name": u.display_name, "show_name": u.show_name,
            "show_company": u.show_company, "locale": u.locale, "role": u.role, "company": company,
            "email_verified": u.email_verified_at.is_some(), "created_at": u.created_at,
        },
        "threads": threads.iter().map(|t| json!({
            "id": t.id, "title": t.title, "body": t.body_md, "topic": t.topic, "language": t.language,
            "visibility": t.visibility, "created_at": t.created_at, "deleted": t.deleted_at.is_some(),
        })).collect::<Vec<_>>(),
        "answers": answers,
        "comments": comments,
        "votes_cast": votes,
        "lesson_progress": progress,
        "ratings": ratings,
        "bookmarks": bookmarks,
        "notifications": notes,
        "notification_settings": {
            "email_answers": settings.email_answers, "email_accepted": settings.email_accepted,
            "email_comments": settings.email_comments, "email_coach": settings.email_coach,
            "email_moderation": settings.email_moderation,
        },
    }))
}

/// Deletes the viewer's account: personal data is erased, posts stay as "former member" (or
/// are deleted when `delete_posts`), sessions end, and the index forgets what it must.
pub async fn delete_account(
    db: &DatabaseConnection,
    viewer: &Viewer,
    delete_posts: bool,
) -> AppResult<()> {
    let me = viewer.user().ok_or(AppError::Unauthenticated)?;
    let txn = crate::db::begin_write(db).await?;
    let now = Utc::now();
    let own_threads = thread::Entity::find()
        .filter(thread::Column::AuthorId.eq(me.id))
        .all(&txn)
        .await?;
    let answered: Vec<i64> = answer::Entity::find()
        .filter(answer::Column::AuthorId.eq(me.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.thread_id)
        .collect();
    if delete_posts {
        thread::Entity::update_many()
            .col_expr(
                thread::Column::DeletedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(thread::Column::AuthorId.eq(me.id))
            .exec(&txn)
            .await?;
        answer::Entity::update_many()
            .col_expr(
                answer::Column::DeletedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(answer::Column::AuthorId.eq(me.id))
            .exec(&txn)
            .await?;
        comment::Entity::update_many()
            .col_expr(
                comment::Column::DeletedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(comment::Column::AuthorId.eq(me.id))
            .exec(&txn)
            .await?;
    }
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    notification_setting::Entity::delete_many()
        .filter(notification_setting::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    email_verification::Entity::delete_many()
        .filter(email_verification::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    team_member::Entity::delete_many()
        .filter(team_member::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    lesson_progress::Entity::delete_many()
        .filter(lesson_progress::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    check_answer::Entity::delete_many()
        .filter(check_answer::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    review_item::Entity::delete_many()
        .filter(review_item::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    bookmark::Entity::delete_many()
        .filter(bookmark::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    path_follow::Entity::delete_many()
        .filter(path_follow::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    lesson_rating::Entity::update_many()
        .col_expr(
            lesson_rating::Column::Feedback,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(lesson_rating::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    entity::mail_outbox::Entity::delete_many()
        .filter(entity::mail_outbox::Column::UserId.eq(me.id))
        .filter(entity::mail_outbox::Column::Status.eq("pending"))
        .exec(&txn)
        .await?;
    crate::services::companies::memberships::company_changed(&txn, me.id, None).await?;
    let row = user::ActiveModel {
        id: Set(me.id),
        email: Set(format!("deleted-{}@deleted.invalid", me.id)),
        password_hash: Set("!deleted".into()),
        handle: Set(format!("former-member-{}", me.id)),
        display_name: Set(None),
        organization_id: Set(None),
        show_name: Set(false),
        show_company: Set(false),
        locale: Set(None),
        status: Set("deleted".into()),
        email_verified_at: Set(None),
        updated_at: Set(now),
        ..Default::default()
    };
    row.update(&txn).await?;
    let mut touched: Vec<i64> = own_threads.iter().map(|t| t.id).chain(answered).collect();
    touched.sort_unstable();
    touched.dedup();
    for t in touched {
        outbox::enqueue(&txn, outbox::THREAD, t).await?;
    }
    let detail = if delete_posts {
        "account and posts"
    } else {
        "account; posts kept as former member"
    };
    audit::record(
        &txn,
        Record::new(Event::AccountDeleted, Some(me.id), Some(me.id), detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
