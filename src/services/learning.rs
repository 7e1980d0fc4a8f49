//! A member's learning: opening and completing lessons, the knowledge check scored on the
//! server, spaced review (Leitner boxes), bookmarks, ratings, and trainer statistics.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use entity::{bookmark, check_answer, lesson, lesson_progress, lesson_rating, review_item};

use crate::domain::Msg;
use crate::domain::lesson::{CheckKind, CheckQuestion};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::lessons::{self, OpenQuestion, PublishedLesson};

/// The highest Leitner box; a question there comes back every `interval_days(MAX_BOX)` days.
pub const MAX_BOX: i32 = 5;

/// Days until a question in `box_number` is due again: 1, 2, 4, 8, 16.
pub fn interval_days(box_number: i32) -> i64 {
    1_i64 << (box_number.clamp(1, MAX_BOX) - 1)
}

/// Next box after an answer: wrong starts over (due tomorrow), right moves one box up.
pub fn next_box(current: Option<i32>, correct: bool) -> i32 {
    match (current, correct) {
        (_, false) => 1,
        (None, true) => 2,
        (Some(b), true) => (b + 1).min(MAX_BOX),
    }
}

fn learner(viewer: &Viewer) -> AppResult<i64> {
    if !policy::may_learn(viewer) {
        return Err(AppError::Unauthenticated);
    }
    viewer.user().map(|u| u.id).ok_or(AppError::Unauthenticated)
}

/// The lesson as the viewer may read it; a lesson that is not published is not found.
async fn readable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    lesson_id: i64,
) -> AppResult<PublishedLesson> {
    lessons::published(db, viewer, &lesson_id.to_string()).await
}

/// A member's state on one lesson.
#[derive(Clone, Debug, Default)]
pub struct MyLessonState {
    pub opened: bool,
    pub completed: bool,
    pub check_correct: Option<i32>,
    pub check_total: Option<i32>,
    pub bookmarked: bool,
    pub rating: Option<i32>,
    pub feedback: Option<String>,
}

pub async fn my_state(
    db: &impl ConnectionTrait,
    user_id: i64,
    lesson_id: i64,
) -> AppResult<MyLessonState> {
    let progress = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?;
    let bookmarked = bookmark::Entity::find()
        .filter(bookmark::Column::UserId.eq(user_id))
        .filter(bookmark::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?
        .is_some();
    let rating = lesson_rating::Entity::find()
        .filter(lesson_rating::Column::UserId.eq(user_id))
        .filter(lesson_rating::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?;
    Ok(MyLessonState {
        opened: progress.is_some(),
        completed: progress.as_ref().is_some_and(|p| p.completed_at.is_some()),
        check_correct: progress.as_ref().and_then(|p| p.check_correct),
        check_total: progress.as_ref().and_then(|p| p.check_total),
        bookmarked,
        rating: rating.as_ref().map(|r| r.stars),
        feedback: rating.and_then(|r| r.feedback),
    })
}

async fn upsert_progress(
    db: &impl ConnectionTrait,
    user_id: i64,
    lesson_id: i64,
) -> AppResult<lesson_progress::Model> {
    let existing = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?;
    if let Some(p) = existing {
        return Ok(p);
    }
    lesson_progress::Entity::insert(lesson_progress::ActiveModel {
        user_id: Set(user_id),
        lesson_id: Set(lesson_id),
        opened_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        lesson_progress::Column::UserId,
        lesson_progress::Column::LessonId,
    ])
    .exec(db)
    .await?;
    lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("progress row vanished")))
}

/// Records that the viewer opened a lesson (the first time counts).
pub async fn open(db: &impl ConnectionTrait, viewer: &Viewer, lesson_id: i64) -> AppResult<()> {
    let user = learner(viewer)?;
    readable(db, viewer, lesson_id).await?;
    upsert_progress(db, user, lesson_id).await?;
    Ok(())
}

/// Marks a published lesson completed; completing again keeps the first date.
pub async fn complete(db: &impl ConnectionTrait, viewer: &Viewer, lesson_id: i64) -> AppResult<()> {
    let user = learner(viewer)?;
    readable(db, viewer, lesson_id).await?;
    let p = upsert_progress(db, user, lesson_id).await?;
    if p.completed_at.is_none() {
        let mut row: lesson_progress::ActiveModel = p.into();
        row.completed_at = Set(Some(Utc::now()));
        row.update(db).await?;
    }
    Ok(())
}

/// One answer to a question: the chosen option positions (0-based).
#[derive(Clone, Debug)]
pub struct Answer {
    pub question_key: String,
    pub selected: Vec<usize>,
}

/// The verdict on one answer, with every option's explanation.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub question_key: String,
    pub question: String,
    pub correct: bool,
    pub selected: Vec<usize>,
    pub correct_options: Vec<usize>,
    pub options: Vec<(String, String)>,
    pub next_review: NaiveDate,
}

fn judge(q: &CheckQuestion, selected: &[usize]) -> AppResult<bool> {
    let mut chosen = selected.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(AppError::Invalid(
            Msg::new("check_choose_one").arg("question", &q.question),
        ));
    }
    if let Some(bad) = chosen.iter().find(|&&i| i >= q.options.len()) {
        return Err(AppError::Invalid(
            Msg::new("check_option_missing")
                .arg("option", bad)
                .arg("count", q.options.len()),
        ));
    }
    if q.kind == CheckKind::Single && chosen.len() != 1 {
        return Err(AppError::invalid("check_exactly_one"));
    }
    let right: Vec<usize> = q
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.correct)
        .map(|(i, _)| i)
        .collect();
    Ok(chosen == right)
}

fn verdict(
    q: &CheckQuestion,
    selected: &[usize],
    correct: bool,
    next_review: NaiveDate,
) -> Verdict {
    Verdict {
        question_key: q.key.clone(),
        question: q.question.clone(),
        correct,
        selected: selected.to_vec(),
        correct_options: q
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i)
            .collect(),
        options: q
            .options
            .iter()
            .map(|o| (o.text.clone(), o.explanation.clone()))
            .collect(),
        next_review,
    }
}

async fn record_answer(
    db: &impl ConnectionTrait,
    user: i64,
    lesson_id: i64,
    q: &CheckQuestion,
    selected: &[usize],
    correct: bool,
    today: NaiveDate,
) -> AppResult<NaiveDate> {
    let now = Utc::now();
    check_answer::ActiveModel {
        user_id: Set(user),
        lesson_id: Set(lesson_id),
        question_key: Set(q.key.clone()),
        selected: Set(selected
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        correct: Set(correct),
        answered_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let existing = review_item::Entity::find()
        .filter(review_item::Column::UserId.eq(user))
        .filter(review_item::Column::LessonId.eq(lesson_id))
        .filter(review_item::Column::QuestionKey.eq(q.key.as_str()))
        .one(db)
        .await?;
    let new_box = next_box(existing.as_ref().map(|r| r.leitner_box), correct);
    let due = today + Duration::days(interval_days(new_box));
    match existing {
        Some(item) => {
            let mut row: review_item::ActiveModel = item.into();
            row.leitner_box = Set(new_box);
            row.due_on = Set(due);
            row.last_reviewed_at = Set(now);
            row.update(db).await?;
        }
        None => {
            review_item::ActiveModel {
                user_id: Set(user),
                lesson_id: Set(lesson_id),
                question_key: Set(q.key.clone()),
                leitner_box: Set(new_box),
                due_on: Set(due),
                last_reviewed_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(due)
}

/// Scores a knowledge check on the server. Every question must be answered once; nothing is
/// stored unless the whole submission is valid.
pub async fn answer_check(
    db: &DatabaseConnection,
    viewer: &Viewer,
    lesson_id: i64,
    answers: &[Answer],
    today: NaiveDate,
) -> AppResult<Vec<Verdict>> {
    let user = learner(viewer)?;
    let lesson = readable(db, viewer, lesson_id).await?;
    if lesson.check.is_empty() {
        return Err(AppError::conflict("check_none"));
    }
    let mut judged = Vec::new();
    for q in &lesson.check {
        let mut matching = answers.iter().filter(|a| a.question_key == q.key);
        let Some(a) = matching.next() else {
            return Err(AppError::Invalid(
                Msg::new("check_unanswered").arg("question", &q.question),
            ));
        };
        if matching.next().is_some() {
            return Err(AppError::Invalid(
                Msg::new("check_answered_twice").arg("question", &q.question),
            ));
        }
        judged.push((q, a.selected.clone(), judge(q, &a.selected)?));
    }
    if let Some(unknown) = answers
        .iter()
        .find(|a| !lesson.check.iter().any(|q| q.key == a.question_key))
    {
        return Err(AppError::Invalid(
            Msg::new("check_unknown_question").arg("key", &unknown.question_key),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut verdicts = Vec::new();
    for (q, selected, correct) in &judged {
        let due = record_answer(&txn, user, lesson_id, q, selected, *correct, today).await?;
        verdicts.push(verdict(q, selected, *correct, due));
    }
    let p = upsert_progress(&txn, user, lesson_id).await?;
    let mut row: lesson_progress::ActiveModel = p.into();
    row.check_correct = Set(Some(judged.iter().filter(|(_, _, c)| *c).count() as i32));
    row.check_total = Set(Some(judged.len() as i32));
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(verdicts)
}

/// A question due for review.
#[derive(Clone, Debug)]
pub struct DueQuestion {
    pub lesson_id: i64,
    pub lesson_slug: String,
    pub lesson_title: String,
    pub question: OpenQuestion,
    pub leitner_box: i32,
    pub due_on: NaiveDate,
}

/// Questions due today or earlier, oldest due first, from lessons the viewer may still read.
pub async fn due_reviews(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    today: NaiveDate,
) -> AppResult<Vec<DueQuestion>> {
    let user = learner(viewer)?;
    let items = review_item::Entity::find()
        .filter(review_item::Column::UserId.eq(user))
        .filter(review_item::Column::DueOn.lte(today))
        .order_by_asc(review_item::Column::DueOn)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for item in items {
        let Ok(lesson) = readable(db, viewer, item.lesson_id).await else {
            continue;
        };
        if let Some(q) = lesson
            .open_questions()
            .into_iter()
            .find(|q| q.key == item.question_key)
        {
            out.push(DueQuestion {
                lesson_id: lesson.lesson_id,
                lesson_slug: lesson.slug.clone(),
                lesson_title: lesson.title.clone(),
                question: q,
                leitner_box: item.leitner_box,
                due_on: item.due_on,
            });
        }
    }
    Ok(out)
}

/// Answers one review question and moves it between boxes.
pub async fn answer_review(
    db: &DatabaseConnection,
    viewer: &Viewer,
    lesson_id: i64,
    question_key: &str,
    selected: &[usize],
    today: NaiveDate,
) -> AppResult<Verdict> {
    let user = learner(viewer)?;
    let lesson = readable(db, viewer, lesson_id).await?;
    let q = lesson
        .check
        .iter()
        .find(|q| q.key == question_key)
        .ok_or(AppError::NotFound)?;
    let correct = judge(q, selected)?;
    let txn = crate::db::begin_write(db).await?;
    let due = record_answer(&txn, user, lesson_id, q, selected, correct, today).await?;
    txn.commit().await?;
    Ok(verdict(q, selected, correct, due))
}

pub async fn set_bookmark(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    lesson_id: i64,
    on: bool,
) -> AppResult<()> {
    let user = learner(viewer)?;
    readable(db, viewer, lesson_id).await?;
    if on {
        bookmark::Entity::insert(bookmark::ActiveModel {
            user_id: Set(user),
            lesson_id: Set(lesson_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([bookmark::Column::UserId, bookmark::Column::LessonId])
        .exec(db)
        .await?;
    } else {
        bookmark::Entity::delete_many()
            .filter(bookmark::Column::UserId.eq(user))
            .filter(bookmark::Column::LessonId.eq(lesson_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

pub const MAX_FEEDBACK: usize = 2000;

/// Rates a lesson 1 to 5 stars with optional feedback; rating again replaces the rating.
pub async fn rate(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    lesson_id: i64,
    stars: i32,
    feedback: Option<&str>,
) -> AppResult<()> {
    let user = learner(viewer)?;
    if !(1..=5).contains(&stars) {
        return Err(AppError::invalid("rating_stars"));
    }
    let feedback = feedback
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_owned);
    if feedback
        .as_ref()
        .is_some_and(|f| f.chars().count() > MAX_FEEDBACK)
    {
        return Err(AppError::Invalid(
            Msg::new("rating_feedback_too_long").arg("max", MAX_FEEDBACK),
        ));
    }
    readable(db, viewer, lesson_id).await?;
    lesson_rating::Entity::insert(lesson_rating::ActiveModel {
        user_id: Set(user),
        lesson_id: Set(lesson_id),
        stars: Set(stars),
        feedback: Set(feedback),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            lesson_rating::Column::UserId,
            lesson_rating::Column::LessonId,
        ])
        .update_columns([
            lesson_rating::Column::Stars,
            lesson_rating::Column::Feedback,
            lesson_rating::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// What trainers learn about a lesson: counts and averages, and feedback without who gave it.
#[derive(Clone, Debug, Default)]
pub struct LessonStats {
    pub opened: u64,
    pub completed: u64,
    pub ratings: u64,
    pub average_rating: Option<f64>,
    pub stars: [u64; 5],
    pub average_check_score: Option<f64>,
    pub feedback: Vec<(i32, String)>,
}

pub async fn stats(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    lesson_id: i64,
) -> AppResult<LessonStats> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::NotFound);
    }
    lesson::Entity::find_by_id(lesson_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let progress = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::LessonId.eq(lesson_id))
        .all(db)
        .await?;
    let ratings = lesson_rating::Entity::find()
        .filter(lesson_rating::Column::LessonId.eq(lesson_id))
        .order_by_desc(lesson_rating::Column::UpdatedAt)
        .all(db)
        .await?;
    let mut s = LessonStats {
        opened: progress.len() as u64,
        completed: progress.iter().filter(|p| p.completed_at.is_some()).count() as u64,
        ratings: ratings.len() as u64,
        ..Default::default()
    };
    if !ratings.is_empty() {
        s.average_rating =
            Some(ratings.iter().map(|r| f64::from(r.stars)).sum::<f64>() / ratings.len() as f64);
    }
    for r in &ratings {
        if let Some(slot) = s.stars.get_mut((r.stars - 1).clamp(0, 4) as usize) {
            *slot += 1;
        }
        if let Some(f) = &r.feedback {
            s.feedback.push((r.stars, f.clone()));
        }
    }
    let scored: Vec<f64> = progress
        .iter()
        .filter_map(|p| match (p.check_correct, p.check_total) {
            (Some(c), Some(t)) if t > 0 => Some(f64::from(c) / f64::from(t)),
            _ => None,
        })
        .collect();
    if !scored.is_empty() {
        s.average_check_score = Some(scored.iter().sum::<f64>() / scored.len() as f64);
    }
    Ok(s)
}

/// The overview on "my learning".
#[derive(Clone, Debug, Default)]
pub struct MyLearning {
    pub in_progress: Vec<PublishedLesson>,
    pub completed: Vec<PublishedLesson>,
    pub bookmarks: Vec<PublishedLesson>,
    pub due_reviews: u64,
}

pub async fn my_learning(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    today: NaiveDate,
) -> AppResult<MyLearning> {
    let user = learner(viewer)?;
    let progress = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user))
        .order_by_desc(lesson_progress::Column::OpenedAt)
        .all(db)
        .await?;
    let marks = bookmark::Entity::find()
        .filter(bookmark::Column::UserId.eq(user))
        .order_by_desc(bookmark::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = MyLearning {
        due_reviews: review_item::Entity::find()
            .filter(review_item::Column::UserId.eq(user))
            .filter(review_item::Column::DueOn.lte(today))
            .count(db)
            .await?,
        ..Default::default()
    };
    for p in progress {
        let Ok(l) = readable(db, viewer, p.lesson_id).await else {
            continue;
        };
        if p.completed_at.is_some() {
            out.completed.push(l);
        } else {
            out.in_progress.push(l);
        }
    }
    for b in marks {
        if let Ok(l) = readable(db, viewer, b.lesson_id).await {
            out.bookmarks.push(l);
        }
    }
    Ok(out)
}

/// Lesson ids the user has completed, for path progress.
pub async fn completed_ids(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<i64>> {
    Ok(lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::CompletedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.lesson_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leitner_boxes_grow_on_right_answers_and_reset_on_wrong_ones() {
        assert_eq!(next_box(None, false), 1);
        assert_eq!(next_box(None, true), 2);
        assert_eq!(next_box(Some(2), true), 3);
        assert_eq!(next_box(Some(MAX_BOX), true), MAX_BOX);
        assert_eq!(next_box(Some(4), false), 1);
        let days: Vec<i64> = (1..=5).map(interval_days).collect();
        assert_eq!(days, vec![1, 2, 4, 8, 16]);
    }
}
