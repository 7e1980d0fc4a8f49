//! Turning database rows into index documents, with the access tokens the policy defines.
//! Unpublished or archived lessons and deleted threads have no document.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use search_index::{Change, Doc, Kind};

use entity::{answer, lesson, lesson_revision, thread, thread_tag};

use crate::error::AppResult;
use crate::markdown::plain_text;
use crate::policy::{self, ThreadFacts};
use crate::services::outbox;

/// The change that brings the index in line with the database for one entity.
pub async fn change_for(
    db: &impl ConnectionTrait,
    kind: &str,
    id: i64,
) -> AppResult<Option<Change>> {
    match kind {
        outbox::LESSON => Ok(Some(match lesson_doc(db, id).await? {
            Some(doc) => Change::Upsert(Box::new(doc)),
            None => Change::Delete(Kind::Lesson, id),
        })),
        outbox::THREAD => Ok(Some(match thread_doc(db, id).await? {
            Some(doc) => Change::Upsert(Box::new(doc)),
            None => Change::Delete(Kind::Thread, id),
        })),
        _ => Ok(None),
    }
}

pub async fn lesson_doc(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Doc>> {
    let Some(l) = lesson::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(revision_id) = l
        .published_revision_id
        .filter(|_| policy::lesson_is_searchable(&l.status, true))
    else {
        return Ok(None);
    };
    let Some(r) = lesson_revision::Entity::find_by_id(revision_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(lesson_doc_of(&l, &r)))
}

pub fn lesson_doc_of(l: &lesson::Model, r: &lesson_revision::Model) -> Doc {
    let tags: Vec<String> = serde_json::from_str(&r.tags).unwrap_or_default();
    let takeaways: Vec<String> = serde_json::from_str(&r.takeaways).unwrap_or_default();
    Doc {
        kind: Kind::Lesson,
        id: l.id,
        language: r.language.clone(),
        topic: r.topic.clone(),
        slug: l.slug.clone(),
        title: r.title.clone(),
        tags,
        body: format!(
            "{} {} {}",
            r.summary,
            takeaways.join(" "),
            plain_text(&r.body_md)
        ),
        acl: policy::lesson_acl(),
        accepted: false,
        helpful: 0,
        created: l.published_at.unwrap_or(r.created_at).timestamp().max(0) as u64,
    }
}

pub async fn thread_doc(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Doc>> {
    let Some(t) = thread::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if t.deleted_at.is_some() {
        return Ok(None);
    }
    let tags = thread_tag::Entity::find()
        .filter(thread_tag::Column::ThreadId.eq(t.id))
        .order_by_asc(thread_tag::Column::Id)
        .all(db)
        .await?;
    let answers = answer::Entity::find()
        .filter(answer::Column::ThreadId.eq(t.id))
        .filter(policy::searchable_answer_condition())
        .order_by_asc(answer::Column::Id)
        .all(db)
        .await?;
    Ok(Some(thread_doc_of(
        &t,
        tags.into_iter().map(|g| g.tag).collect(),
        &answers,
    )))
}

/// Hidden and deleted answers are never part of a thread's searchable text.
pub fn thread_doc_of(
    t: &thread::Model,
    tags: Vec<String>,
    visible_answers: &[answer::Model],
) -> Doc {
    let mut body = plain_text(&t.body_md);
    for a in visible_answers {
        body.push(' ');
        body.push_str(&plain_text(&a.body_md));
    }
    Doc {
        kind: Kind::Thread,
        id: t.id,
        language: t.language.clone(),
        topic: t.topic.clone(),
        slug: String::new(),
        title: t.title.clone(),
        tags,
        body,
        acl: policy::thread_acl(&ThreadFacts::of(t)),
        accepted: t.accepted_answer_id.is_some(),
        helpful: visible_answers
            .iter()
            .map(|a| a.helpful_count.max(0) as u64)
            .sum(),
        created: t.created_at.timestamp().max(0) as u64,
    }
}
