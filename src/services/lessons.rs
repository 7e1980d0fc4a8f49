//! Lessons: authoring, the review workflow (draft -> in review -> published -> archived),
//! kept revisions, and what members read.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use entity::{lesson, lesson_revision, user};

use crate::domain::lesson::{CheckKind, CheckQuestion, LessonContent, LessonInput};
use crate::domain::{Locale, Msg, Topic};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer, lesson_status as status};

/// Content of a published revision as members see it.
#[derive(Clone, Debug)]
pub struct PublishedLesson {
    pub lesson_id: i64,
    pub slug: String,
    pub revision: i32,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body_html: String,
    pub topic: Topic,
    pub language: Locale,
    pub tags: Vec<String>,
    pub takeaways: Vec<String>,
    pub check: Vec<CheckQuestion>,
    pub reading_minutes: i32,
    pub published_at: DateTime<Utc>,
    pub author_handle: Option<String>,
}

/// A question without its answers, for members who have not answered yet.
#[derive(Clone, Debug)]
pub struct OpenQuestion {
    pub key: String,
    pub question: String,
    pub kind: CheckKind,
    pub options: Vec<String>,
}

impl PublishedLesson {
    pub fn open_questions(&self) -> Vec<OpenQuestion> {
        self.check
            .iter()
            .map(|q| OpenQuestion {
                key: q.key.clone(),
                question: q.question.clone(),
                kind: q.kind,
                options: q.options.iter().map(|o| o.text.clone()).collect(),
            })
            .collect()
    }
}

/// The working copy with its workflow state, for trainers.
#[derive(Clone, Debug)]
pub struct WorkingLesson {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub author_id: Option<i64>,
    pub content: LessonContent,
    pub published_revision: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

fn split_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Unexpected(e.into()))
}

fn topic_of(key: &str) -> AppResult<Topic> {
    Topic::parse(key).map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored topic: {e}")))
}

fn check_of(json: &str) -> AppResult<Vec<CheckQuestion>> {
    serde_json::from_str(json)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored check: {e}")))
}

fn working_of(m: &lesson::Model, published_revision: Option<i32>) -> AppResult<WorkingLesson> {
    Ok(WorkingLesson {
        id: m.id,
        slug: m.slug.clone(),
        status: m.status.clone(),
        author_id: m.author_id,
        content: LessonContent {
            title: m.title.clone(),
            summary: m.summary.clone(),
            body_md: m.body_md.clone(),
            topic: topic_of(&m.topic)?,
            language: Locale::parse(&m.language).unwrap_or_default(),
            tags: split_list(&m.tags),
            takeaways: split_list(&m.takeaways),
            check: check_of(&m.check_json)?,
            reading_minutes: m.reading_minutes,
        },
        published_revision,
        updated_at: m.updated_at,
    })
}

fn published_of(
    l: &lesson::Model,
    r: &lesson_revision::Model,
    author_handle: Option<String>,
) -> AppResult<PublishedLesson> {
    Ok(PublishedLesson {
        lesson_id: l.id,
        slug: l.slug.clone(),
        revision: r.number,
        title: r.title.clone(),
        summary: r.summary.clone(),
        body_md: r.body_md.clone(),
        body_html: r.body_html.clone(),
        topic: topic_of(&r.topic)?,
        language: Locale::parse(&r.language).unwrap_or_default(),
        tags: split_list(&r.tags),
        takeaways: split_list(&r.takeaways),
        check: check_of(&r.check_json)?,
        reading_minutes: r.reading_minutes,
        published_at: l.published_at.unwrap_or(r.created_at),
        author_handle,
    })
}

/// Slugs: lowercase ASCII letters, digits and hyphens, made from the title when not given.
pub fn slugify(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.trim().to_lowercase().chars() {
        let mapped = match c {
            'ä' => "ae".to_owned(),
            'ö' => "oe".to_owned(),
            'ü' => "ue".to_owned(),
            'ß' => "ss".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        };
        out.push_str(&mapped);
    }
    let mut slug = out
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    slug.truncate(70);
    slug.trim_end_matches('-').to_owned()
}

fn require_author(viewer: &Viewer) -> AppResult<i64> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("lesson_write_trainers_only"));
    }
    viewer.user().map(|u| u.id).ok_or(AppError::Unauthenticated)
}

async fn find_lesson(db: &impl ConnectionTrait, id: i64) -> AppResult<lesson::Model> {
    lesson::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn revision_number(db: &impl ConnectionTrait, m: &lesson::Model) -> AppResult<Option<i32>> {
    match m.published_revision_id {
        Some(id) => Ok(lesson_revision::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.number)),
        None => Ok(None),
    }
}

/// Creates a draft. The slug is taken from the title unless given; a taken slug is a conflict.
pub async fn create(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    slug: Option<&str>,
    input: LessonInput,
) -> AppResult<WorkingLesson> {
    let author = require_author(viewer)?;
    let content = LessonContent::parse(input).map_err(AppError::Invalid)?;
    let slug = slugify(slug.unwrap_or(&content.title));
    if slug.is_empty() {
        return Err(AppError::invalid("slug_needs_letters"));
    }
    insert_working(db, &slug, Some(author), &content).await
}

pub(crate) async fn insert_working(
    db: &impl ConnectionTrait,
    slug: &str,
    author: Option<i64>,
    content: &LessonContent,
) -> AppResult<WorkingLesson> {
    let now = Utc::now();
    let row = lesson::ActiveModel {
        slug: Set(slug.to_owned()),
        author_id: Set(author),
        status: Set(status::DRAFT.into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..content_columns(content)?
    };
    match row.insert(db).await {
        Ok(m) => working_of(&m, None),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Err(AppError::Conflict(
                Msg::new("lesson_slug_taken").arg("slug", slug),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn content_columns(c: &LessonContent) -> AppResult<lesson::ActiveModel> {
    Ok(lesson::ActiveModel {
        title: Set(c.title.clone()),
        summary: Set(c.summary.clone()),
        body_md: Set(c.body_md.clone()),
        topic: Set(c.topic.key().into()),
        language: Set(c.language.as_str().into()),
        tags: Set(to_json(&c.tags)?),
        takeaways: Set(to_json(&c.takeaways)?),
        check_json: Set(to_json(&c.check)?),
        reading_minutes: Set(c.reading_minutes),
        ..Default::default()
    })
}

/// Replaces the working copy. Any change sends the lesson back to draft, so a changed text
/// is reviewed again; the published revision stays visible meanwhile.
pub async fn update(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
    input: LessonInput,
) -> AppResult<WorkingLesson> {
    require_author(viewer)?;
    let content = LessonContent::parse(input).map_err(AppError::Invalid)?;
    let existing = find_lesson(db, id).await?;
    if existing.status == status::ARCHIVED {
        return Err(AppError::conflict("lesson_archived"));
    }
    let mut row = content_columns(&content)?;
    row.id = Set(id);
    row.status = Set(status::DRAFT.into());
    row.updated_at = Set(Utc::now());
    let m = row.update(db).await?;
    working_of(&m, revision_number(db, &m).await?)
}

async fn transition(
    db: &impl ConnectionTrait,
    id: i64,
    from: &[&str],
    to: &str,
    refusal: Msg,
) -> AppResult<lesson::Model> {
    let m = find_lesson(db, id).await?;
    if !from.contains(&m.status.as_str()) {
        return Err(AppError::Conflict(
            Msg::new("lesson_state_refused")
                .arg_msg("refusal", refusal)
                .arg_msg("status", status_name(&m.status)),
        ));
    }
    let mut row: lesson::ActiveModel = m.into();
    row.status = Set(to.into());
    row.updated_at = Set(Utc::now());
    let m = row.update(db).await?;
    crate::services::outbox::enqueue(db, crate::services::outbox::LESSON, m.id).await?;
    Ok(m)
}

/// A workflow state in words.
fn status_name(state: &str) -> Msg {
    match state {
        status::DRAFT => Msg::new("lesson_status_draft"),
        status::IN_REVIEW => Msg::new("lesson_status_in_review"),
        status::PUBLISHED => Msg::new("lesson_status_published"),
        _ => Msg::new("lesson_status_archived"),
    }
}

/// A workflow step taken by a trainer: the lesson moves from one of `from` to `to`.
async fn move_to(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
    from: &[&str],
    to: &str,
    refusal: Msg,
) -> AppResult<WorkingLesson> {
    require_author(viewer)?;
    let m = transition(db, id, from, to, refusal).await?;
    working_of(&m, revision_number(db, &m).await?)
}

/// Draft -> in review.
pub async fn submit(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    move_to(
        db,
        viewer,
        id,
        &[status::DRAFT],
        status::IN_REVIEW,
        Msg::new("lesson_submit_drafts_only"),
    )
    .await
}

/// In review -> draft, when the reviewer wants changes.
pub async fn request_changes(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    move_to(
        db,
        viewer,
        id,
        &[status::IN_REVIEW],
        status::DRAFT,
        Msg::new("lesson_send_back_review_only"),
    )
    .await
}

/// Any state -> archived: members no longer see it; progress and ratings are kept.
pub async fn archive(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    move_to(
        db,
        viewer,
        id,
        &[status::DRAFT, status::IN_REVIEW, status::PUBLISHED],
        status::ARCHIVED,
        Msg::new("lesson_archived_already"),
    )
    .await
}

/// Archived -> draft.
pub async fn restore(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    move_to(
        db,
        viewer,
        id,
        &[status::ARCHIVED],
        status::DRAFT,
        Msg::new("lesson_restore_archived_only"),
    )
    .await
}

/// In review -> published by a reviewer other than the author: the working copy becomes a
/// new kept revision that members see from now on.
/// In review -> published (inside the caller's transaction; `lesson_review::publish` records
/// the decision and tells the author).
pub(crate) async fn publish(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    require_author(viewer)?;
    let m = find_lesson(db, id).await?;
    if !policy::may_publish_lesson(viewer, m.author_id) {
        return Err(AppError::forbidden("lesson_publish_own"));
    }
    if m.status != status::IN_REVIEW {
        return Err(AppError::Conflict(
            Msg::new("lesson_publish_not_in_review").arg_msg("status", status_name(&m.status)),
        ));
    }
    publish_working_copy(db, m, viewer.user().map(|u| u.id)).await
}

/// Turns the working copy into the next revision; used by review and by the importer.
pub(crate) async fn publish_working_copy(
    db: &impl ConnectionTrait,
    m: lesson::Model,
    published_by: Option<i64>,
) -> AppResult<WorkingLesson> {
    let last = lesson_revision::Entity::find()
        .filter(lesson_revision::Column::LessonId.eq(m.id))
        .order_by_desc(lesson_revision::Column::Number)
        .one(db)
        .await?
        .map_or(0, |r| r.number);
    let now = Utc::now();
    let revision = lesson_revision::ActiveModel {
        lesson_id: Set(m.id),
        number: Set(last + 1),
        title: Set(m.title.clone()),
        summary: Set(m.summary.clone()),
        body_md: Set(m.body_md.clone()),
        body_html: Set(crate::markdown::render(&m.body_md)),
        topic: Set(m.topic.clone()),
        language: Set(m.language.clone()),
        tags: Set(m.tags.clone()),
        takeaways: Set(m.takeaways.clone()),
        check_json: Set(m.check_json.clone()),
        reading_minutes: Set(m.reading_minutes),
        published_by: Set(published_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut row: lesson::ActiveModel = m.into();
    row.status = Set(status::PUBLISHED.into());
    row.published_revision_id = Set(Some(revision.id));
    row.published_at = Set(Some(now));
    row.updated_at = Set(now);
    let m = row.update(db).await?;
    crate::services::outbox::enqueue(db, crate::services::outbox::LESSON, m.id).await?;
    working_of(&m, Some(revision.number))
}

/// The working copy, for trainers.
pub async fn working(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<WorkingLesson> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::NotFound);
    }
    let m = find_lesson(db, id).await?;
    working_of(&m, revision_number(db, &m).await?)
}

/// Every lesson's working copy with its state, for the trainer overview.
pub async fn all_working(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<WorkingLesson>> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("lesson_drafts_trainers_only"));
    }
    let rows = lesson::Entity::find()
        .order_by_desc(lesson::Column::UpdatedAt)
        .all(db)
        .await?;
    rows.iter().map(|m| working_of(m, None)).collect()
}

/// Numbers and dates of every kept revision, newest first.
pub async fn revisions(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> AppResult<Vec<(i32, String, DateTime<Utc>)>> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::NotFound);
    }
    find_lesson(db, id).await?;
    let rows = lesson_revision::Entity::find()
        .filter(lesson_revision::Column::LessonId.eq(id))
        .order_by_desc(lesson_revision::Column::Number)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.number, r.title, r.created_at))
        .collect())
}

/// Finds a lesson by id or slug, as the viewer may read it; otherwise not found.
pub async fn published(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id_or_slug: &str,
) -> AppResult<PublishedLesson> {
    let found = match id_or_slug.parse::<i64>() {
        Ok(id) => lesson::Entity::find_by_id(id).one(db).await?,
        Err(_) => {
            lesson::Entity::find()
                .filter(lesson::Column::Slug.eq(id_or_slug))
                .one(db)
                .await?
        }
    };
    let Some(m) = found else {
        return Err(AppError::NotFound);
    };
    published_for(db, viewer, m).await
}

pub(crate) async fn published_for(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    m: lesson::Model,
) -> AppResult<PublishedLesson> {
    let Some(revision_id) = m.published_revision_id else {
        return Err(AppError::NotFound);
    };
    if !policy::may_read_published_lesson(viewer, &m.status, true) {
        return Err(AppError::NotFound);
    }
    let r = lesson_revision::Entity::find_by_id(revision_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let author = match m.author_id {
        Some(a) => user::Entity::find_by_id(a).one(db).await?.map(|u| u.handle),
        None => None,
    };
    published_of(&m, &r, author)
}

/// Filters of the library.
#[derive(Clone, Debug, Default)]
pub struct LessonFilter {
    pub topic: Option<Topic>,
    pub language: Option<Locale>,
    pub tag: Option<String>,
    pub ids: Option<Vec<i64>>,
}

/// Published, not archived lessons the viewer may read, newest first.
pub async fn library(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: &LessonFilter,
) -> AppResult<Vec<PublishedLesson>> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    let mut visible = policy::library_revisions();
    if let Some(ids) = &filter.ids {
        visible.and_where(Expr::col(lesson::Column::Id).is_in(ids.clone()));
    }
    let mut query =
        lesson_revision::Entity::find().filter(lesson_revision::Column::Id.in_subquery(visible));
    if let Some(t) = filter.topic {
        query = query.filter(lesson_revision::Column::Topic.eq(t.key()));
    }
    if let Some(l) = filter.language {
        query = query.filter(lesson_revision::Column::Language.eq(l.as_str()));
    }
    if let Some(tag) = &filter.tag {
        // Tags are stored as a JSON list; the quoted form matches whole tags only.
        query = query.filter(
            lesson_revision::Column::Tags
                .contains(format!("\"{}\"", tag.to_lowercase().replace('"', ""))),
        );
    }
    let revisions = query
        .order_by_desc(lesson_revision::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let lesson_ids: Vec<i64> = revisions.iter().map(|r| r.lesson_id).collect();
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(lesson_ids))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in &revisions {
        if let Some(l) = lessons.iter().find(|l| l.id == r.lesson_id) {
            out.push(published_of(l, r, None)?);
        }
    }
    Ok(out)
}

/// Up to five other lessons on the same topic or sharing tags, most shared tags first. Only
/// the few columns the score needs are read for every candidate; the five winners are then
/// loaded whole (through `library`, so the same visibility rules apply).
pub async fn related(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    lesson: &PublishedLesson,
) -> AppResult<Vec<PublishedLesson>> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    let visible = policy::library_revisions();
    let candidates: Vec<(i64, String, String, String, String)> = lesson_revision::Entity::find()
        .filter(lesson_revision::Column::Id.in_subquery(visible))
        .filter(lesson_revision::Column::LessonId.ne(lesson.lesson_id))
        .select_only()
        .column(lesson_revision::Column::LessonId)
        .column(lesson_revision::Column::Title)
        .column(lesson_revision::Column::Topic)
        .column(lesson_revision::Column::Language)
        .column(lesson_revision::Column::Tags)
        .limit(2_000)
        .into_tuple()
        .all(db)
        .await?;
    let mut scored: Vec<(usize, String, i64)> = candidates
        .into_iter()
        .map(|(id, title, topic, language, tags)| {
            let shared = split_list(&tags)
                .iter()
                .filter(|t| lesson.tags.contains(t))
                .count();
            let score = shared * 2
                + usize::from(topic == lesson.topic.key()) * 3
                + usize::from(language == lesson.language.as_str());
            (score, title, id)
        })
        .filter(|(score, _, _)| *score >= 3)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(5);
    let ids: Vec<i64> = scored.iter().map(|s| s.2).collect();
    let filter = LessonFilter {
        ids: Some(ids.clone()),
        ..Default::default()
    };
    let mut found = library(db, viewer, &filter).await?;
    found.sort_by_key(|l| ids.iter().position(|id| *id == l.lesson_id));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_made_readable_and_safe() {
        assert_eq!(
            slugify("„Zu teuer!“ – Preiseinwände behandeln"),
            "zu-teuer-preiseinwaende-behandeln"
        );
        assert_eq!(slugify("  ---  "), "");
        assert_eq!(slugify("Größe & Maß"), "groesse-mass");
    }
}
