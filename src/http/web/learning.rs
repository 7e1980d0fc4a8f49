//! "My learning", today's review and learning paths.

use chrono::Utc;
use poem::http::StatusCode;
use poem::web::{Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use super::lessons::card;
use super::{CsrfForm, FormPairs, PageContext, SignedIn, has_csrf};
use crate::services::learning;
use crate::services::paths::{self, PathView};

fn path_json(p: &PathView, ctx: &PageContext) -> Value {
    json!({
        "id": p.id,
        "slug": p.slug,
        "title": p.title,
        "description": p.description,
        "percent": p.percent(),
        "completed": p.completed(),
        "total": p.lessons.len(),
        "following": p.following,
        "lessons": p.lessons.iter().map(|l| {
            let mut c = card(l, ctx.locale);
            c["done"] = json!(p.completed_lesson_ids.contains(&l.lesson_id));
            c
        }).collect::<Vec<_>>(),
    })
}

#[handler]
pub async fn my_learning(ctx: SignedIn) -> Response {
    let viewer = ctx.viewer();
    let mine = match learning::my_learning(&ctx.state.db, &viewer, Utc::now().date_naive()).await {
        Ok(m) => m,
        Err(e) => return ctx.app_error(e),
    };
    let followed = match paths::followed(&ctx.state.db, &viewer).await {
        Ok(p) => p,
        Err(e) => return ctx.app_error(e),
    };
    let assigned = crate::services::companies::assignments::mine(
        &ctx.state.db,
        &viewer,
        Utc::now().date_naive(),
    )
    .await
    .unwrap_or_default();
    let cards = |ls: &[crate::services::lessons::PublishedLesson]| {
        ls.iter().map(|l| card(l, ctx.locale)).collect::<Vec<_>>()
    };
    let page = json!({
        "in_progress": cards(&mine.in_progress),
        "completed": cards(&mine.completed),
        "bookmarks": cards(&mine.bookmarks),
        "due_reviews": mine.due_reviews,
        "assigned": assigned.iter().map(|a| json!({
            "id": a.id, "title": a.title, "path_slug": a.path_slug, "lesson_slug": a.lesson_slug,
            "due_on": a.due_on.to_string(), "completed": a.completed, "total": a.total, "overdue": a.overdue,
        })).collect::<Vec<_>>(),
        "paths": followed.iter().map(|p| path_json(p, &ctx)).collect::<Vec<_>>(),
    });
    ctx.render(StatusCode::OK, "my_learning.html", page)
}

#[handler]
pub async fn review(ctx: SignedIn) -> Response {
    review_page(&ctx, None).await
}

async fn review_page(ctx: &SignedIn, verdict: Option<Value>) -> Response {
    let due =
        match learning::due_reviews(&ctx.state.db, &ctx.viewer(), Utc::now().date_naive()).await {
            Ok(d) => d,
            Err(e) => return ctx.app_error(e),
        };
    let page = json!({
        "verdict": verdict,
        "due": due.iter().map(|d| json!({
            "lesson_id": d.lesson_id,
            "lesson_slug": d.lesson_slug,
            "lesson_title": d.lesson_title,
            "key": d.question.key,
            "question": d.question.question,
            "multiple": d.question.kind == crate::domain::lesson::CheckKind::Multiple,
            "options": d.question.options,
            "box": d.leitner_box,
        })).collect::<Vec<_>>(),
    });
    ctx.render(StatusCode::OK, "review.html", page)
}

#[handler]
pub async fn answer_review(
    Path((lesson_id, key)): Path<(i64, String)>,
    // Checkbox groups repeat their name, which typed form extraction cannot express.
    CsrfForm(FormPairs(pairs)): CsrfForm<FormPairs>,
    ctx: SignedIn,
) -> Response {
    let selected: Vec<usize> = pairs
        .iter()
        .filter(|(k, _)| k == "option")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match learning::answer_review(
        &ctx.state.db,
        &ctx.viewer(),
        lesson_id,
        &key,
        &selected,
        Utc::now().date_naive(),
    )
    .await
    {
        Ok(v) => {
            let verdict = json!({
                "question": v.question,
                "correct": v.correct,
                "next_review": v.next_review.to_string(),
                "options": v.options.iter().enumerate().map(|(i, (text, explanation))| json!({
                    "text": text, "explanation": explanation,
                    "correct": v.correct_options.contains(&i), "selected": v.selected.contains(&i)
                })).collect::<Vec<_>>(),
            });
            review_page(&ctx, Some(verdict)).await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn path_list(ctx: SignedIn) -> Response {
    match paths::list(&ctx.state.db, &ctx.viewer()).await {
        Ok(all) => {
            let page = json!({"paths": all.iter().map(|p| path_json(p, &ctx)).collect::<Vec<_>>()});
            ctx.render(StatusCode::OK, "paths.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn path_show(Path(slug): Path<String>, ctx: SignedIn) -> Response {
    match paths::get(&ctx.state.db, &ctx.viewer(), &slug).await {
        Ok(p) => ctx.render(
            StatusCode::OK,
            "path.html",
            json!({"path": path_json(&p, &ctx)}),
        ),
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    on: String,
}

has_csrf!(FollowForm);

#[handler]
pub async fn path_follow(
    ctx: PageContext,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Response {
    let viewer = ctx.viewer();
    let result = match paths::get(&ctx.state.db, &viewer, &slug).await {
        Ok(p) => paths::follow(&ctx.state.db, &viewer, p.id, form.on == "1").await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::see_other(format!("/paths/{slug}")).into_response(),
        Err(e) => ctx.app_error(e),
    }
}
