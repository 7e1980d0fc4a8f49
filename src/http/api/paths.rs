//! Learning paths: ordered lessons with a goal, and following them.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::lesson_views::*;
use super::security::Auth;
use crate::http::error::ApiResult;
use crate::services::paths::{self, PathInput};
use crate::state::AppState;

pub struct PathsApi;

#[derive(ApiResponse)]
enum PathListResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<LearningPathView>>),
}

#[derive(ApiResponse)]
enum PathResponse {
    #[oai(status = 200)]
    Ok(Json<LearningPathView>),
}

#[derive(ApiResponse)]
enum PathCreatedResponse {
    #[oai(status = 201)]
    Created(Json<LearningPathView>),
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

fn input(w: &PathWrite) -> PathInput {
    PathInput {
        slug: w.slug.clone(),
        title: w.title.clone(),
        description: w.description.clone(),
        language: w.language.clone(),
        lessons: w.lessons.clone(),
    }
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Paths")]
impl PathsApi {
    /// Every learning path with the viewer's progress.
    #[oai(path = "/paths", method = "get")]
    async fn list(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<PathListResponse> {
        let all = paths::list(&state.db, &auth.viewer()).await?;
        Ok(PathListResponse::Ok(Json(
            all.iter().map(LearningPathView::from).collect(),
        )))
    }

    /// A path by id or slug; progress is the share of its lessons the viewer completed.
    #[oai(path = "/paths/:path", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 80))] path: Path<String>,
    ) -> ApiResult<PathResponse> {
        let p = paths::get(&state.db, &auth.viewer(), &path.0).await?;
        Ok(PathResponse::Ok(Json((&p).into())))
    }

    /// Create a path (trainers).
    #[oai(path = "/paths", method = "post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<PathWrite>,
    ) -> ApiResult<PathCreatedResponse> {
        let p = paths::create(&state.db, &auth.viewer(), &input(&body)).await?;
        Ok(PathCreatedResponse::Created(Json((&p).into())))
    }

    /// Replace a path's title, description and lessons (trainers).
    #[oai(path = "/paths/:id", method = "put")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<PathWrite>,
    ) -> ApiResult<PathResponse> {
        let p = paths::update(&state.db, &auth.viewer(), id.0, &input(&body)).await?;
        Ok(PathResponse::Ok(Json((&p).into())))
    }

    /// Follow a path.
    #[oai(path = "/paths/:id/follow", method = "put")]
    async fn follow(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        paths::follow(&state.db, &auth.viewer(), id.0, true).await?;
        Ok(Done::NoContent)
    }

    /// Stop following a path.
    #[oai(path = "/paths/:id/follow", method = "delete")]
    async fn unfollow(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        paths::follow(&state.db, &auth.viewer(), id.0, false).await?;
        Ok(Done::NoContent)
    }
}
