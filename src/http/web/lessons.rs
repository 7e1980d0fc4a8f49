//! Lesson pages for members: the library by topic and path, reading a lesson with its check,
//! completing, bookmarking and rating.

use chrono::Utc;
use poem::http::StatusCode;
use poem::web::{Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CsrfForm, FormPairs, PageContext, SignedIn, has_csrf};
use crate::domain::{Locale, Topic};
use crate::services::learning::{self, Answer, Verdict};
use crate::services::lessons::{self, LessonFilter, PublishedLesson};
use crate::services::paths;

/// A lesson as a card in lists.
pub fn card(l: &PublishedLesson, locale: Locale) -> Value {
    json!({
        "id": l.lesson_id,
        "slug": l.slug,
        "title": l.title,
        "summary": l.summary,
        "topic": l.topic.key(),
        "topic_label": l.topic.label(locale),
        "language": l.language.as_str(),
        "tags": l.tags,
        "minutes": l.reading_minutes,
    })
}

pub fn topics(locale: Locale) -> Vec<Value> {
    Topic::ALL
        .iter()
        .map(|t| json!({"key": t.key(), "label": t.label(locale)}))
        .collect()
}

#[derive(Deserialize)]
pub struct LibraryQuery {
    topic: Option<String>,
    language: Option<String>,
}

#[handler]
pub async fn library(Query(q): Query<LibraryQuery>, ctx: SignedIn) -> Response {
    let topic = q
        .topic
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| Topic::parse(t).ok());
    let language = q.language.as_deref().and_then(Locale::parse);
    let viewer = ctx.viewer();
    let filter = LessonFilter {
        topic,
        language,
        ..Default::default()
    };
    let lessons = match lessons::library(&ctx.state.db, &viewer, &filter).await {
        Ok(l) => l,
        Err(e) => return ctx.app_error(e),
    };
    let all_paths = match paths::list(&ctx.state.db, &viewer).await {
        Ok(p) => p,
        Err(e) => return ctx.app_error(e),
    };
    let page = json!({
        "lessons": lessons.iter().map(|l| card(l, ctx.locale)).collect::<Vec<_>>(),
        "topics": topics(ctx.locale),
        "topic": topic.map(|t| t.key()),
        "language": language.map(|l| l.as_str()),
        "paths": all_paths.iter().map(|p| json!({"slug": p.slug, "title": p.title, "description": p.description, "percent": p.percent(), "count": p.lessons.len()})).collect::<Vec<_>>(),
    });
    ctx.render(StatusCode::OK, "library.html", page)
}

fn verdicts_json(verdicts: &[Verdict]) -> Vec<Value> {
    verdicts
        .iter()
        .map(|v| {
            json!({
                "key": v.question_key,
                "question": v.question,
                "correct": v.correct,
                "next_review": v.next_review.to_string(),
                "options": v.options.iter().enumerate().map(|(i, (text, explanation))| json!({
                    "text": text, "explanation": explanation,
                    "correct": v.correct_options.contains(&i), "selected": v.selected.contains(&i),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

async fn lesson_page(
    ctx: &SignedIn,
    slug: &str,
    status: StatusCode,
    verdicts: Option<&[Verdict]>,
) -> Response {
    let user = ctx.user();
    let viewer = ctx.viewer();
    let l = match lessons::published(&ctx.state.db, &viewer, slug).await {
        Ok(l) => l,
        Err(e) => return ctx.app_error(e),
    };
    if let Err(e) = learning::open(&ctx.state.db, &viewer, l.lesson_id).await {
        return ctx.app_error(e);
    }
    let me = match learning::my_state(&ctx.state.db, user.id, l.lesson_id).await {
        Ok(m) => m,
        Err(e) => return ctx.app_error(e),
    };
    let related = lessons::related(&ctx.state.db, &viewer, &l)
        .await
        .unwrap_or_default();
    let questions: Vec<Value> = l
        .open_questions()
        .iter()
        .map(|q| json!({"key": q.key, "question": q.question, "multiple": q.kind == crate::domain::lesson::CheckKind::Multiple, "options": q.options}))
        .collect();
    let page = json!({
        "lesson": card(&l, ctx.locale),
        "body_html": l.body_html,
        "takeaways": l.takeaways,
        "author": l.author_handle,
        "questions": questions,
        "verdicts": verdicts.map(verdicts_json),
        "score": verdicts.map(|v| json!({"correct": v.iter().filter(|x| x.correct).count(), "total": v.len()})),
        "me": {"completed": me.completed, "bookmarked": me.bookmarked, "rating": me.rating, "feedback": me.feedback,
               "check_correct": me.check_correct, "check_total": me.check_total},
        "related": related.iter().map(|r| card(r, ctx.locale)).collect::<Vec<_>>(),
    });
    ctx.render(status, "lesson.html", page)
}

#[handler]
pub async fn show(Path(slug): Path<String>, ctx: SignedIn) -> Response {
    lesson_page(&ctx, &slug, StatusCode::OK, None).await
}

#[handler]
pub async fn check(
    Path(slug): Path<String>,
    // Checkbox groups repeat their name, which typed form extraction cannot express.
    CsrfForm(FormPairs(pairs)): CsrfForm<FormPairs>,
    ctx: SignedIn,
) -> Response {
    let viewer = ctx.viewer();
    let l = match lessons::published(&ctx.state.db, &viewer, &slug).await {
        Ok(l) => l,
        Err(e) => return ctx.app_error(e),
    };
    let answers: Vec<Answer> = l
        .check
        .iter()
        .map(|q| Answer {
            question_key: q.key.clone(),
            selected: pairs
                .iter()
                .filter(|(k, _)| *k == format!("q_{}", q.key))
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
        })
        .collect();
    match learning::answer_check(
        &ctx.state.db,
        &viewer,
        l.lesson_id,
        &answers,
        Utc::now().date_naive(),
    )
    .await
    {
        Ok(verdicts) => lesson_page(&ctx, &slug, StatusCode::OK, Some(&verdicts)).await,
        Err(crate::error::AppError::Invalid(_)) => {
            let mut resp = lesson_page(&ctx, &slug, StatusCode::BAD_REQUEST, None).await;
            resp.headers_mut().insert(
                "x-form-error",
                poem::http::HeaderValue::from_static("check"),
            );
            resp
        }
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

has_csrf!(CsrfOnly);

async fn after_action(
    ctx: &PageContext,
    slug: &str,
    result: crate::error::AppResult<()>,
) -> Response {
    match result {
        Ok(()) => Redirect::see_other(format!("/lessons/{slug}")).into_response(),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn complete(
    ctx: PageContext,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Response {
    let viewer = ctx.viewer();
    let result = match lessons::published(&ctx.state.db, &viewer, &slug).await {
        Ok(l) => learning::complete(&ctx.state.db, &viewer, l.lesson_id).await,
        Err(e) => Err(e),
    };
    after_action(&ctx, &slug, result).await
}

#[derive(Deserialize)]
pub struct BookmarkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    on: String,
}

has_csrf!(BookmarkForm);

#[handler]
pub async fn bookmark(
    ctx: PageContext,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<BookmarkForm>,
) -> Response {
    let viewer = ctx.viewer();
    let result = match lessons::published(&ctx.state.db, &viewer, &slug).await {
        Ok(l) => learning::set_bookmark(&ctx.state.db, &viewer, l.lesson_id, form.on == "1").await,
        Err(e) => Err(e),
    };
    after_action(&ctx, &slug, result).await
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    stars: String,
    #[serde(default)]
    feedback: String,
}

has_csrf!(RateForm);

#[handler]
pub async fn rate(
    ctx: PageContext,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Response {
    let viewer = ctx.viewer();
    let stars = form.stars.parse::<i32>().unwrap_or(0);
    let result = match lessons::published(&ctx.state.db, &viewer, &slug).await {
        Ok(l) => {
            learning::rate(
                &ctx.state.db,
                &viewer,
                l.lesson_id,
                stars,
                Some(&form.feedback),
            )
            .await
        }
        Err(e) => Err(e),
    };
    after_action(&ctx, &slug, result).await
}
