//! Lessons: the library, reading, authoring and the review workflow.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::lesson_views::*;
use super::security::Auth;
use crate::domain::{Locale, Msg, Topic};
use crate::error::AppError;
use crate::http::error::ApiResult;
use crate::services::learning;
use crate::services::lesson_review;
use crate::services::lessons::{self, LessonFilter};
use crate::state::AppState;

pub struct LessonsApi;

#[derive(ApiResponse)]
enum TopicsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<TopicView>>),
}

#[derive(ApiResponse)]
enum LessonListResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<LessonSummaryView>>),
}

#[derive(ApiResponse)]
enum LessonResponse {
    #[oai(status = 200)]
    Ok(Json<LessonView>),
}

#[derive(ApiResponse)]
enum WorkingResponse {
    #[oai(status = 200)]
    Ok(Json<WorkingLessonView>),
}

#[derive(ApiResponse)]
enum CreatedResponse {
    /// The draft was created.
    #[oai(status = 201)]
    Created(Json<WorkingLessonView>),
}

#[derive(ApiResponse)]
enum WorkingListResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<WorkingLessonView>>),
}

#[derive(ApiResponse)]
enum RevisionsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<RevisionView>>),
}

#[derive(ApiResponse)]
enum PreviewResponse {
    #[oai(status = 200)]
    Ok(Json<PreviewView>),
}

#[derive(ApiResponse)]
enum StatsResponse {
    #[oai(status = 200)]
    Ok(Json<StatsView>),
}

fn parse_topic(raw: Option<&str>) -> Result<Option<Topic>, AppError> {
    raw.filter(|t| !t.is_empty())
        .map(Topic::parse)
        .transpose()
        .map_err(AppError::Invalid)
}

fn parse_language(raw: Option<&str>) -> Result<Option<Locale>, AppError> {
    raw.filter(|l| !l.is_empty())
        .map(|l| Locale::parse(l).ok_or_else(|| AppError::invalid("language_de_or_en")))
        .transpose()
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Lessons")]
impl LessonsApi {
    /// The topic taxonomy: the six phases of a sales conversation and more.
    #[oai(path = "/topics", method = "get")]
    async fn topics(&self, _auth: Auth) -> ApiResult<TopicsResponse> {
        let topics = Topic::ALL
            .iter()
            .map(|t| TopicView {
                key: t.key().into(),
                label_de: t.label_de().into(),
                label_en: t.label_en().into(),
            })
            .collect();
        Ok(TopicsResponse::Ok(Json(topics)))
    }

    /// Published lessons, newest first, filtered by topic, language or tag.
    #[oai(path = "/lessons", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 40))] topic: Query<Option<String>>,
        #[oai(validator(max_length = 5))] language: Query<Option<String>>,
        #[oai(validator(max_length = 40))] tag: Query<Option<String>>,
    ) -> ApiResult<LessonListResponse> {
        let filter = LessonFilter {
            topic: parse_topic(topic.0.as_deref())?,
            language: parse_language(language.0.as_deref())?,
            tag: tag.0.filter(|t| !t.is_empty()),
            ids: None,
        };
        let lessons = lessons::library(&state.db, &auth.viewer(), &filter).await?;
        Ok(LessonListResponse::Ok(Json(
            lessons.iter().map(LessonSummaryView::from).collect(),
        )))
    }

    /// A published lesson by id or slug, with the viewer's progress. The check comes without
    /// its answers.
    #[oai(path = "/lessons/:lesson", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 80))] lesson: Path<String>,
    ) -> ApiResult<LessonResponse> {
        let viewer = auth.viewer();
        let l = lessons::published(&state.db, &viewer, &lesson.0).await?;
        let me = learning::my_state(&state.db, auth.user_id(), l.lesson_id).await?;
        Ok(LessonResponse::Ok(Json(LessonView::new(&l, &me))))
    }

    /// Lessons related by topic and tags.
    #[oai(path = "/lessons/:lesson/related", method = "get")]
    async fn related(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 80))] lesson: Path<String>,
    ) -> ApiResult<LessonListResponse> {
        let viewer = auth.viewer();
        let l = lessons::published(&state.db, &viewer, &lesson.0).await?;
        let related = lessons::related(&state.db, &viewer, &l).await?;
        Ok(LessonListResponse::Ok(Json(
            related.iter().map(LessonSummaryView::from).collect(),
        )))
    }

    /// Every lesson's working copy with its workflow state (trainers).
    #[oai(path = "/trainer/lessons", method = "get")]
    async fn working_list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<WorkingListResponse> {
        let all = lessons::all_working(&state.db, &auth.viewer()).await?;
        Ok(WorkingListResponse::Ok(Json(
            all.iter().map(WorkingLessonView::from).collect(),
        )))
    }

    /// Create a draft (trainers).
    #[oai(path = "/lessons", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<LessonWrite>,
    ) -> ApiResult<CreatedResponse> {
        let w = lessons::create(
            &state.db,
            &auth.viewer(),
            body.slug.as_deref(),
            (&body.0).into(),
        )
        .await?;
        Ok(CreatedResponse::Created(Json((&w).into())))
    }

    /// A lesson's working copy (trainers).
    #[oai(path = "/lessons/:id/working", method = "get")]
    async fn working(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<WorkingResponse> {
        let w = lessons::working(&state.db, &auth.viewer(), id.0).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// Replace the working copy (trainers). The lesson goes back to draft; members keep
    /// seeing the published revision until the change is reviewed.
    #[oai(path = "/lessons/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<LessonWrite>,
    ) -> ApiResult<WorkingResponse> {
        let w = lessons::update(&state.db, &auth.viewer(), id.0, (&body.0).into()).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// Draft -> in review; the other trainers are told.
    #[oai(path = "/lessons/:id/submit", method = "post")]
    async fn submit(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<WorkingResponse> {
        let w = lesson_review::submit(&state.db, &auth.viewer(), id.0).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// In review -> published, by a trainer other than the author (or an admin); the author
    /// is told.
    #[oai(path = "/lessons/:id/publish", method = "post")]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<WorkingResponse> {
        let w = lesson_review::publish(&state.db, &auth.viewer(), id.0).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// In review -> draft, asking the author for changes: the comment (3 to 2,000 characters)
    /// says what should change; the author is told.
    #[oai(path = "/lessons/:id/request-changes", method = "post")]
    async fn request_changes(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<ReviewCommentRequest>,
    ) -> ApiResult<WorkingResponse> {
        let viewer = auth.viewer();
        let w = lesson_review::request_changes(&state.db, &viewer, id.0, &body.comment).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// Hide the lesson from members; progress and ratings are kept.
    #[oai(path = "/lessons/:id/archive", method = "post")]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<WorkingResponse> {
        let w = lessons::archive(&state.db, &auth.viewer(), id.0).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// Archived -> draft.
    #[oai(path = "/lessons/:id/restore", method = "post")]
    async fn restore(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<WorkingResponse> {
        let w = lessons::restore(&state.db, &auth.viewer(), id.0).await?;
        Ok(WorkingResponse::Ok(Json((&w).into())))
    }

    /// Every published revision, newest first (trainers).
    #[oai(path = "/lessons/:id/revisions", method = "get")]
    async fn revisions(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        let rows = lessons::revisions(&state.db, &auth.viewer(), id.0).await?;
        let views = rows
            .into_iter()
            .map(|(number, title, published_at)| RevisionView {
                number,
                title,
                published_at,
            })
            .collect();
        Ok(RevisionsResponse::Ok(Json(views)))
    }

    /// Completions, ratings and anonymous feedback (trainers).
    #[oai(path = "/lessons/:id/stats", method = "get")]
    async fn stats(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<StatsResponse> {
        let s = learning::stats(&state.db, &auth.viewer(), id.0).await?;
        Ok(StatsResponse::Ok(Json((&s).into())))
    }

    /// Render Markdown as the lesson page will show it (the editor's live preview).
    #[oai(path = "/lessons/preview", method = "post")]
    async fn preview(&self, auth: Auth, body: Json<PreviewRequest>) -> ApiResult<PreviewResponse> {
        if !crate::policy::may_author_lessons(&auth.viewer()) {
            return Err(AppError::forbidden("lesson_write_trainers_only").into());
        }
        let minutes = crate::domain::lesson::reading_minutes(&body.body);
        let mut warnings = Vec::new();
        let (refuse, warn) = (
            crate::domain::lesson::REFUSE_MINUTES,
            crate::domain::lesson::WARN_MINUTES,
        );
        if minutes > refuse {
            warnings.push(crate::http::language::words(
                &Msg::new("preview_too_long")
                    .arg("minutes", minutes)
                    .arg("max", refuse),
            ));
        } else if minutes > warn {
            warnings.push(crate::http::language::words(
                &Msg::new("preview_long")
                    .arg("minutes", minutes)
                    .arg("max", warn),
            ));
        }
        Ok(PreviewResponse::Ok(Json(PreviewView {
            html: crate::markdown::render(&body.body),
            reading_minutes: minutes,
            warnings,
        })))
    }
}
