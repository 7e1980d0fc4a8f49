//! Asking, listing and reading threads.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use entity::{answer, comment, thread, thread_tag, vote};

use crate::domain::community::{PostBody, ThreadTitle, Visibility, parse_tags};
use crate::domain::{Locale, Topic};
use crate::error::{AppError, AppResult};
use crate::policy::{self, ThreadFacts, Viewer};
use crate::services::outbox;
use crate::services::people::{self, Persona, persona_of};

pub const STATUS_OPEN: &str = "open";
pub const STATUS_ANSWERED: &str = "answered";
pub const STATUS_CLOSED: &str = "closed";
pub const PAGE_DEFAULT: u64 = 20;
pub const PAGE_MAX: u64 = 50;

/// A question as the asker wrote it, unchecked.
#[derive(Clone, Debug, Default)]
pub struct AskInput {
    pub title: String,
    pub body: String,
    pub topic: String,
    pub language: String,
    pub visibility: String,
    pub tags: Vec<String>,
}

/// The thread a viewer may see, or not found.
pub async fn visible(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<thread::Model> {
    let t = thread::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if policy::may_see_thread(viewer, &ThreadFacts::of(&t)) {
        Ok(t)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn ask(db: &DatabaseConnection, viewer: &Viewer, input: AskInput) -> AppResult<i64> {
    policy::may_post(viewer)?;
    let author = viewer.user().ok_or(AppError::Unauthenticated)?;
    let title = ThreadTitle::parse(&input.title).map_err(AppError::Invalid)?;
    let body = PostBody::parse(&input.body).map_err(AppError::Invalid)?;
    let topic = Topic::parse(&input.topic).map_err(AppError::Invalid)?;
    let language =
        Locale::parse(&input.language).ok_or_else(|| AppError::invalid("language_de_or_en"))?;
    let visibility = Visibility::parse(&input.visibility).map_err(AppError::Invalid)?;
    let tags = parse_tags(&input.tags).map_err(AppError::Invalid)?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let t = thread::ActiveModel {
        author_id: Set(author.id),
        title: Set(title.as_ref().to_owned()),
        body_md: Set(body.as_ref().to_owned()),
        body_html: Set(crate::markdown::render(body.as_ref())),
        topic: Set(topic.key().into()),
        language: Set(language.as_str().into()),
        visibility: Set(visibility.key().into()),
        asked_in_org_id: Set(author.organization_id),
        author_org_id: Set(author.organization_id),
        author_orgs: Set(policy::format_org_set(
            &author.organization_id.into_iter().collect::<Vec<_>>(),
        )),
        status: Set(STATUS_OPEN.into()),
        locked: Set(false),
        hidden: Set(false),
        answer_count: Set(0),
        edited_by_moderator: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        last_activity_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for tag in tags {
        thread_tag::ActiveModel {
            thread_id: Set(t.id),
            tag: Set(tag),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    outbox::enqueue(&txn, outbox::THREAD, t.id).await?;
    txn.commit().await?;
    Ok(t.id)
}

/// A thread in a list.
#[derive(Clone, Debug)]
pub struct ThreadSummary {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub topic: Topic,
    pub language: Locale,
    pub visibility: Visibility,
    pub status: String,
    pub tags: Vec<String>,
    pub answer_count: i32,
    pub has_accepted: bool,
    pub locked: bool,
    pub hidden: bool,
    pub author: Persona,
    pub is_mine: bool,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

async fn tags_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<thread_tag::Model>> {
    Ok(thread_tag::Entity::find()
        .filter(thread_tag::Column::ThreadId.is_in(ids.to_vec()))
        .order_by_asc(thread_tag::Column::Id)
        .all(db)
        .await?)
}

/// Answers per thread as the viewer would see them in each thread (never hidden answers of
/// others for members, never deleted ones).
async fn visible_answer_counts(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    thread_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, i32>> {
    if thread_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i64, i64)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::ThreadId)
        .column_as(Expr::col(answer::Column::Id).count(), "count")
        .filter(answer::Column::ThreadId.is_in(thread_ids.to_vec()))
        .filter(policy::answer_condition(viewer))
        .group_by(answer::Column::ThreadId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, i32::try_from(n).unwrap_or(i32::MAX)))
        .collect())
}

pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: Vec<thread::Model>,
) -> AppResult<Vec<ThreadSummary>> {
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let tags = tags_of(db, &ids).await?;
    let answer_counts = visible_answer_counts(db, viewer, &ids).await?;
    let authors =
        people::personas(db, &rows.iter().map(|t| t.author_id).collect::<Vec<_>>()).await?;
    let me = viewer.user().map(|u| u.id);
    Ok(rows
        .into_iter()
        .map(|t| {
            let plain = crate::markdown::plain_text(&t.body_md);
            ThreadSummary {
                id: t.id,
                excerpt: plain.chars().take(200).collect(),
                topic: Topic::parse(&t.topic).unwrap_or(Topic::Closing),
                language: Locale::parse(&t.language).unwrap_or_default(),
                visibility: Visibility::parse(&t.visibility).unwrap_or(Visibility::Coaches),
                status: t.status.clone(),
                tags: tags
                    .iter()
                    .filter(|g| g.thread_id == t.id)
                    .map(|g| g.tag.clone())
                    .collect(),
                answer_count: answer_counts.get(&t.id).copied().unwrap_or(0),
                has_accepted: t.accepted_answer_id.is_some(),
                locked: t.locked,
                hidden: t.hidden,
                author: persona_of(&authors, t.author_id),
                is_mine: me == Some(t.author_id),
                created_at: t.created_at,
                last_activity_at: t.last_activity_at,
                title: t.title,
            }
        })
        .collect())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListKind {
    #[default]
    Newest,
    Unanswered,
    Mine,
}

#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub kind: ListKind,
    pub topic: Option<Topic>,
    pub tag: Option<String>,
    pub language: Option<Locale>,
    /// Show threads older than this id (the `next_cursor` of the previous page).
    pub before: Option<i64>,
    pub limit: Option<u64>,
}

/// One page of threads the viewer may see, newest first, and the cursor of the next page.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    q: &ListQuery,
) -> AppResult<(Vec<ThreadSummary>, Option<i64>)> {
    policy::may_browse_community(viewer)?;
    let limit = q.limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
    let mut query = thread::Entity::find().filter(policy::thread_condition(viewer));
    match q.kind {
        ListKind::Newest => {}
        ListKind::Unanswered => {
            let answered = answer::Entity::find()
                .select_only()
                .column(answer::Column::ThreadId)
                .filter(policy::answer_condition(viewer))
                .into_query();
            query = query.filter(thread::Column::Id.not_in_subquery(answered));
        }
        ListKind::Mine => {
            query = query.filter(thread::Column::AuthorId.eq(viewer.user().map_or(0, |u| u.id)))
        }
    }
    if let Some(t) = q.topic {
        query = query.filter(thread::Column::Topic.eq(t.key()));
    }
    if let Some(l) = q.language {
        query = query.filter(thread::Column::Language.eq(l.as_str()));
    }
    if let Some(tag) = &q.tag {
        let tagged = thread_tag::Entity::find()
            .select_only()
            .column(thread_tag::Column::ThreadId)
            .filter(thread_tag::Column::Tag.eq(tag.trim().to_lowercase()))
            .into_query();
        query = query.filter(thread::Column::Id.in_subquery(tagged));
    }
    if let Some(before) = q.before {
        query = query.filter(thread::Column::Id.lt(before));
    }
    let mut rows = query
        .order_by_desc(thread::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|t| t.id)
    } else {
        None
    };
    Ok((summaries(db, viewer, rows).await?, next))
}

#[derive(Debug, FromQueryResult)]
struct KeyCount {
    key: String,
    count: i64,
}

/// Tags with the number of threads the viewer may see; hidden threads are never counted.
pub async fn tag_counts(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<(String, i64)>> {
    policy::may_browse_community(viewer)?;
    let visible_ids = thread::Entity::find()
        .select_only()
        .column(thread::Column::Id)
        .filter(policy::thread_condition(viewer))
        .into_query();
    let rows = thread_tag::Entity::find()
        .select_only()
        .column_as(thread_tag::Column::Tag, "key")
        .column_as(Expr::col(thread_tag::Column::Id).count(), "count")
        .filter(thread_tag::Column::ThreadId.in_subquery(visible_ids))
        .group_by(thread_tag::Column::Tag)
        .order_by_asc(thread_tag::Column::Tag)
        .into_model::<KeyCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.count)).collect())
}

/// Topics with the number of threads the viewer may see.
pub async fn topic_counts(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<(Topic, i64)>> {
    policy::may_browse_community(viewer)?;
    let rows = thread::Entity::find()
        .select_only()
        .column_as(thread::Column::Topic, "key")
        .column_as(Expr::col(thread::Column::Id).count(), "count")
        .filter(policy::thread_condition(viewer))
        .group_by(thread::Column::Topic)
        .into_model::<KeyCount>()
        .all(db)
        .await?;
    Ok(Topic::ALL
        .iter()
        .map(|t| {
            (
                *t,
                rows.iter()
                    .find(|r| r.key == t.key())
                    .map_or(0, |r| r.count),
            )
        })
        .collect())
}

/// A comment as shown under an answer.
#[derive(Clone, Debug)]
pub struct CommentView {
    pub id: i64,
    pub author: Persona,
    pub body: String,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// An answer as shown in a thread.
#[derive(Clone, Debug)]
pub struct AnswerView {
    pub id: i64,
    pub author: Persona,
    pub is_mine: bool,
    pub body_md: String,
    pub body_html: String,
    pub helpful_count: i32,
    pub voted_by_me: bool,
    pub accepted: bool,
    pub hidden: bool,
    pub edited: bool,
    pub edited_by_moderator: bool,
    pub comments: Vec<CommentView>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct ThreadDetail {
    pub summary: ThreadSummary,
    pub body_md: String,
    pub body_html: String,
    pub edited_by_moderator: bool,
    pub answers: Vec<AnswerView>,
    pub may_accept: bool,
    pub may_answer: bool,
    pub claimed_by: Option<String>,
}

/// A thread with its answers (accepted first, then most helpful, then oldest) and comments,
/// as far as the viewer may see them.
pub async fn detail(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<ThreadDetail> {
    policy::may_browse_community(viewer).map_err(|_| AppError::NotFound)?;
    let t = visible(db, viewer, id).await?;
    let me = viewer.user().map(|u| u.id);
    let all_answers = answer::Entity::find()
        .filter(answer::Column::ThreadId.eq(t.id))
        .order_by_asc(answer::Column::Id)
        .all(db)
        .await?;
    let answers: Vec<answer::Model> = all_answers
        .into_iter()
        .filter(|a| policy::may_see_post(viewer, a.author_id, a.hidden, a.deleted_at.is_some()))
        .collect();
    let answer_ids: Vec<i64> = answers.iter().map(|a| a.id).collect();
    let comments: Vec<comment::Model> = comment::Entity::find()
        .filter(comment::Column::AnswerId.is_in(answer_ids.clone()))
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| policy::may_see_post(viewer, c.author_id, c.hidden, c.deleted_at.is_some()))
        .collect();
    let my_votes: Vec<i64> = match me {
        Some(uid) => vote::Entity::find()
            .filter(vote::Column::UserId.eq(uid))
            .filter(vote::Column::AnswerId.is_in(answer_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|v| v.answer_id)
            .collect(),
        None => Vec::new(),
    };
    let revised: Vec<i64> = entity::answer_revision::Entity::find()
        .filter(
            entity::answer_revision::Column::AnswerId
                .is_in(answers.iter().map(|a| a.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.answer_id)
        .collect();
    let mut people_ids: Vec<i64> = answers.iter().map(|a| a.author_id).collect();
    people_ids.extend(comments.iter().map(|c| c.author_id));
    people_ids.extend(t.claimed_by);
    let personas = people::personas(db, &people_ids).await?;
    let mut views: Vec<AnswerView> = answers
        .into_iter()
        .map(|a| AnswerView {
            id: a.id,
            author: persona_of(&personas, a.author_id),
            is_mine: me == Some(a.author_id),
            body_md: a.body_md,
            body_html: a.body_html,
            helpful_count: a.helpful_count,
            voted_by_me: my_votes.contains(&a.id),
            accepted: t.accepted_answer_id == Some(a.id),
            hidden: a.hidden,
            edited: revised.contains(&a.id),
            edited_by_moderator: a.edited_by_moderator,
            comments: comments
                .iter()
                .filter(|c| c.answer_id == a.id)
                .map(|c| CommentView {
                    id: c.id,
                    author: persona_of(&personas, c.author_id),
                    body: c.body.clone(),
                    hidden: c.hidden,
                    created_at: c.created_at,
                })
                .collect(),
            created_at: a.created_at,
        })
        .collect();
    views.sort_by(|x, y| {
        y.accepted
            .cmp(&x.accepted)
            .then(y.helpful_count.cmp(&x.helpful_count))
            .then(x.created_at.cmp(&y.created_at))
            .then(x.id.cmp(&y.id))
    });
    let claimed_by = t.claimed_by.map(|c| persona_of(&personas, c).handle);
    let may_accept = me == Some(t.author_id);
    let may_answer = !t.locked && policy::may_post(viewer).is_ok();
    let (body_md, body_html, edited_by_moderator) = (
        t.body_md.clone(),
        t.body_html.clone(),
        t.edited_by_moderator,
    );
    let summary = summaries(db, viewer, vec![t])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(ThreadDetail {
        summary,
        body_md,
        body_html,
        edited_by_moderator,
        answers: views,
        may_accept,
        may_answer,
        claimed_by,
    })
}

/// Threads the viewer may see that resemble `title`, for "similar questions" while asking:
/// from the search index, or by shared title words while the index is not ready.
pub async fn similar(
    db: &impl ConnectionTrait,
    search: &crate::services::search::SearchHandle,
    viewer: &Viewer,
    title: &str,
) -> AppResult<Vec<ThreadSummary>> {
    policy::may_browse_community(viewer)?;
    if search.get().is_some() {
        let found =
            crate::services::search::queries::similar_threads(search, viewer, title).await?;
        let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
        let rows = thread::Entity::find()
            .filter(policy::thread_condition(viewer))
            .filter(thread::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?;
        let ordered = ids
            .iter()
            .filter_map(|id| rows.iter().find(|t| t.id == *id).cloned())
            .collect();
        return summaries(db, viewer, ordered).await;
    }
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .take(6)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = sea_orm::Condition::any();
    for w in &words {
        any = any
            .add(Expr::expr(Func::lower(Expr::col(thread::Column::Title))).like(format!("%{w}%")));
    }
    let rows = thread::Entity::find()
        .filter(policy::thread_condition(viewer))
        .filter(any)
        .order_by_desc(thread::Column::Id)
        .limit(5)
        .all(db)
        .await?;
    summaries(db, viewer, rows).await
}
