//! Learning paths: ordered lessons with a goal, followed by members. Assigning paths to teams
//! is the companies' business and lives elsewhere; a path does not know who must take it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{learning_path, lesson, path_follow, path_lesson};

use crate::domain::{Locale, Msg};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::learning;
use crate::services::lessons::{self, LessonFilter, PublishedLesson, slugify};

#[derive(Clone, Debug)]
pub struct PathInput {
    pub slug: Option<String>,
    pub title: String,
    pub description: String,
    pub language: String,
    /// Lesson ids or slugs in order.
    pub lessons: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct PathView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub language: Locale,
    /// The lessons of the path that the viewer may read, in order.
    pub lessons: Vec<PublishedLesson>,
    pub completed_lesson_ids: Vec<i64>,
    pub following: bool,
}

impl PathView {
    pub fn completed(&self) -> usize {
        self.lessons
            .iter()
            .filter(|l| self.completed_lesson_ids.contains(&l.lesson_id))
            .count()
    }

    /// Whole percent of the path's lessons completed.
    pub fn percent(&self) -> u32 {
        if self.lessons.is_empty() {
            0
        } else {
            (self.completed() * 100 / self.lessons.len()) as u32
        }
    }
}

async fn view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    p: learning_path::Model,
) -> AppResult<PathView> {
    let members = path_lesson::Entity::find()
        .filter(path_lesson::Column::PathId.eq(p.id))
        .order_by_asc(path_lesson::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i64> = members.iter().map(|m| m.lesson_id).collect();
    let readable = lessons::library(
        db,
        viewer,
        &LessonFilter {
            ids: Some(ids.clone()),
            ..Default::default()
        },
    )
    .await?;
    let ordered = ids
        .iter()
        .filter_map(|id| readable.iter().find(|l| l.lesson_id == *id).cloned())
        .collect();
    let (completed, following) = match viewer.user() {
        Some(u) => (
            learning::completed_ids(db, u.id).await?,
            path_follow::Entity::find()
                .filter(path_follow::Column::UserId.eq(u.id))
                .filter(path_follow::Column::PathId.eq(p.id))
                .one(db)
                .await?
                .is_some(),
        ),
        None => (Vec::new(), false),
    };
    Ok(PathView {
        id: p.id,
        slug: p.slug,
        title: p.title,
        description: p.description,
        language: Locale::parse(&p.language).unwrap_or_default(),
        lessons: ordered,
        completed_lesson_ids: completed,
        following,
    })
}

pub async fn list(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<PathView>> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    let rows = learning_path::Entity::find()
        .order_by_asc(learning_path::Column::Title)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for p in rows {
        out.push(view(db, viewer, p).await?);
    }
    Ok(out)
}

pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id_or_slug: &str,
) -> AppResult<PathView> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    let found = match id_or_slug.parse::<i64>() {
        Ok(id) => learning_path::Entity::find_by_id(id).one(db).await?,
        Err(_) => {
            learning_path::Entity::find()
                .filter(learning_path::Column::Slug.eq(id_or_slug))
                .one(db)
                .await?
        }
    };
    view(db, viewer, found.ok_or(AppError::NotFound)?).await
}

struct CheckedPath {
    title: String,
    description: String,
    language: Locale,
    lesson_ids: Vec<i64>,
}

async fn check(db: &impl ConnectionTrait, input: &PathInput) -> AppResult<CheckedPath> {
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid("path_title_length"));
    }
    if input.description.chars().count() > 2000 {
        return Err(AppError::invalid("path_description_length"));
    }
    let language =
        Locale::parse(&input.language).ok_or_else(|| AppError::invalid("language_de_or_en"))?;
    if input.lessons.is_empty() || input.lessons.len() > 50 {
        return Err(AppError::invalid("path_lesson_count"));
    }
    let mut lesson_ids = Vec::new();
    for reference in &input.lessons {
        let found = match reference.parse::<i64>() {
            Ok(id) => lesson::Entity::find_by_id(id).one(db).await?,
            Err(_) => {
                lesson::Entity::find()
                    .filter(lesson::Column::Slug.eq(reference.as_str()))
                    .one(db)
                    .await?
            }
        };
        let Some(l) = found else {
            return Err(AppError::Invalid(
                Msg::new("lesson_unknown").arg("lesson", reference),
            ));
        };
        if lesson_ids.contains(&l.id) {
            return Err(AppError::Invalid(
                Msg::new("path_lesson_twice").arg("lesson", reference),
            ));
        }
        lesson_ids.push(l.id);
    }
    Ok(CheckedPath {
        title: title.to_owned(),
        description: input.description.trim().to_owned(),
        language,
        lesson_ids,
    })
}

async fn replace_lessons(
    db: &impl ConnectionTrait,
    path_id: i64,
    lesson_ids: &[i64],
) -> AppResult<()> {
    path_lesson::Entity::delete_many()
        .filter(path_lesson::Column::PathId.eq(path_id))
        .exec(db)
        .await?;
    for (position, lesson_id) in lesson_ids.iter().enumerate() {
        path_lesson::ActiveModel {
            path_id: Set(path_id),
            lesson_id: Set(*lesson_id),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates a path, or replaces the one with the same slug when `upsert` (the importer).
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    created_by: Option<i64>,
    input: &PathInput,
    upsert: bool,
) -> AppResult<(i64, bool)> {
    let checked = check(db, input).await?;
    let slug = slugify(input.slug.as_deref().unwrap_or(&checked.title));
    if slug.is_empty() {
        return Err(AppError::invalid("slug_needs_letters"));
    }
    let now = Utc::now();
    let existing = learning_path::Entity::find()
        .filter(learning_path::Column::Slug.eq(slug.as_str()))
        .one(db)
        .await?;
    let (id, created) = match existing {
        Some(_) if !upsert => {
            return Err(AppError::Conflict(
                Msg::new("path_slug_taken").arg("slug", &slug),
            ));
        }
        Some(p) => {
            let mut row: learning_path::ActiveModel = p.into();
            row.title = Set(checked.title);
            row.description = Set(checked.description);
            row.language = Set(checked.language.as_str().into());
            row.updated_at = Set(now);
            (row.update(db).await?.id, false)
        }
        None => {
            let row = learning_path::ActiveModel {
                slug: Set(slug),
                title: Set(checked.title),
                description: Set(checked.description),
                language: Set(checked.language.as_str().into()),
                created_by: Set(created_by),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            (row.insert(db).await?.id, true)
        }
    };
    replace_lessons(db, id, &checked.lesson_ids).await?;
    Ok((id, created))
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: &PathInput,
) -> AppResult<PathView> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("path_create_trainers_only"));
    }
    let txn = crate::db::begin_write(db).await?;
    let (id, _) = save(&txn, viewer.user().map(|u| u.id), input, false).await?;
    txn.commit().await?;
    get(db, viewer, &id.to_string()).await
}

pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i64,
    input: &PathInput,
) -> AppResult<PathView> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("path_edit_trainers_only"));
    }
    let txn = crate::db::begin_write(db).await?;
    let p = learning_path::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let checked = check(&txn, input).await?;
    let mut row: learning_path::ActiveModel = p.into();
    row.title = Set(checked.title);
    row.description = Set(checked.description);
    row.language = Set(checked.language.as_str().into());
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    replace_lessons(&txn, id, &checked.lesson_ids).await?;
    txn.commit().await?;
    get(db, viewer, &id.to_string()).await
}

pub async fn follow(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
    on: bool,
) -> AppResult<()> {
    let user = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    learning_path::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if on {
        path_follow::Entity::insert(path_follow::ActiveModel {
            user_id: Set(user),
            path_id: Set(id),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([path_follow::Column::UserId, path_follow::Column::PathId])
        .exec(db)
        .await?;
    } else {
        path_follow::Entity::delete_many()
            .filter(path_follow::Column::UserId.eq(user))
            .filter(path_follow::Column::PathId.eq(id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Paths the viewer follows, with progress.
pub async fn followed(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<PathView>> {
    Ok(list(db, viewer)
        .await?
        .into_iter()
        .filter(|p| p.following)
        .collect())
}
