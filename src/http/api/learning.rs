//! A member's learning: progress, the knowledge check, spaced review, bookmarks and ratings.

use chrono::Utc;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::lesson_views::*;
use super::security::Auth;
use crate::http::error::ApiResult;
use crate::services::learning::{self, Answer};
use crate::services::paths;
use crate::state::AppState;

pub struct LearningApi;

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum CheckResponse {
    #[oai(status = 200)]
    Ok(Json<CheckResultView>),
}

#[derive(ApiResponse)]
enum ReviewsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<DueQuestionView>>),
}

#[derive(ApiResponse)]
enum VerdictResponse {
    #[oai(status = 200)]
    Ok(Json<VerdictView>),
}

#[derive(ApiResponse)]
enum MyLearningResponse {
    #[oai(status = 200)]
    Ok(Json<MyLearningView>),
}

fn selected(raw: &[u32]) -> Vec<usize> {
    raw.iter().map(|&i| i as usize).collect()
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Learning")]
impl LearningApi {
    /// Record that the viewer opened a published lesson.
    #[oai(path = "/lessons/:id/open", method = "post")]
    async fn open(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        learning::open(&state.db, &auth.viewer(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Mark a published lesson completed.
    #[oai(path = "/lessons/:id/complete", method = "post")]
    async fn complete(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        learning::complete(&state.db, &auth.viewer(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Answer the knowledge check: every question once. Scored on the server; the answer
    /// shows every option's explanation and schedules the questions for review.
    #[oai(path = "/lessons/:id/check", method = "post")]
    async fn check(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<CheckRequest>,
    ) -> ApiResult<CheckResponse> {
        let answers: Vec<Answer> = body
            .answers
            .iter()
            .map(|a| Answer {
                question_key: a.question_key.clone(),
                selected: selected(&a.selected),
            })
            .collect();
        let today = Utc::now().date_naive();
        let verdicts =
            learning::answer_check(&state.db, &auth.viewer(), id.0, &answers, today).await?;
        let correct = verdicts.iter().filter(|v| v.correct).count() as u32;
        Ok(CheckResponse::Ok(Json(CheckResultView {
            correct,
            total: verdicts.len() as u32,
            verdicts: verdicts.iter().map(VerdictView::from).collect(),
        })))
    }

    /// Save a lesson for later.
    #[oai(path = "/lessons/:id/bookmark", method = "put")]
    async fn bookmark(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        learning::set_bookmark(&state.db, &auth.viewer(), id.0, true).await?;
        Ok(Done::NoContent)
    }

    /// Remove a bookmark.
    #[oai(path = "/lessons/:id/bookmark", method = "delete")]
    async fn unbookmark(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<Done> {
        learning::set_bookmark(&state.db, &auth.viewer(), id.0, false).await?;
        Ok(Done::NoContent)
    }

    /// Rate a lesson 1 to 5 stars with optional feedback. Authors see averages and
    /// feedback, never who gave which rating.
    #[oai(path = "/lessons/:id/rating", method = "put")]
    async fn rate(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<RatingWrite>,
    ) -> ApiResult<Done> {
        learning::rate(
            &state.db,
            &auth.viewer(),
            id.0,
            body.stars,
            body.feedback.as_deref(),
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// Questions due for review today.
    #[oai(path = "/me/reviews", method = "get", tag = "ApiTags::Learning")]
    async fn reviews(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<ReviewsResponse> {
        let due = learning::due_reviews(&state.db, &auth.viewer(), Utc::now().date_naive()).await?;
        Ok(ReviewsResponse::Ok(Json(
            due.iter().map(DueQuestionView::from).collect(),
        )))
    }

    /// Answer a review question; right moves it to a later box, wrong brings it back tomorrow.
    #[oai(path = "/me/reviews/:lesson_id/:question_key", method = "post")]
    async fn answer_review(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        lesson_id: Path<i64>,
        #[oai(validator(max_length = 40))] question_key: Path<String>,
        body: Json<ReviewAnswerWrite>,
    ) -> ApiResult<VerdictResponse> {
        let today = Utc::now().date_naive();
        let v = learning::answer_review(
            &state.db,
            &auth.viewer(),
            lesson_id.0,
            &question_key.0,
            &selected(&body.selected),
            today,
        )
        .await?;
        Ok(VerdictResponse::Ok(Json((&v).into())))
    }

    /// Lessons in progress and completed, bookmarks, due reviews and followed paths.
    #[oai(path = "/me/learning", method = "get")]
    async fn my_learning(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<MyLearningResponse> {
        let viewer = auth.viewer();
        let mine = learning::my_learning(&state.db, &viewer, Utc::now().date_naive()).await?;
        let followed = paths::followed(&state.db, &viewer).await?;
        Ok(MyLearningResponse::Ok(Json(MyLearningView {
            in_progress: mine
                .in_progress
                .iter()
                .map(LessonSummaryView::from)
                .collect(),
            completed: mine.completed.iter().map(LessonSummaryView::from).collect(),
            bookmarks: mine.bookmarks.iter().map(LessonSummaryView::from).collect(),
            due_reviews: mine.due_reviews,
            paths: followed.iter().map(LearningPathView::from).collect(),
        })))
    }
}
