//! The community: asking, reading, answering, commenting, voting, accepting, tags and topics.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::community_views::*;
use super::security::Auth;
use crate::domain::{Locale, Topic};
use crate::error::AppError;
use crate::http::error::ApiResult;
use crate::services::community::threads::{self, AskInput, ListKind, ListQuery};
use crate::services::community::{answers, profiles};
use crate::state::AppState;

pub struct CommunityApi;

#[derive(ApiResponse)]
enum PageResponse {
    #[oai(status = 200)]
    Ok(Json<ThreadPageView>),
}

#[derive(ApiResponse)]
enum ThreadResponse {
    #[oai(status = 200)]
    Ok(Json<ThreadDetailView>),
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<CreatedView>),
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum HelpfulResponse {
    #[oai(status = 200)]
    Ok(Json<HelpfulView>),
}

#[derive(ApiResponse)]
enum HistoryResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<RevisionOut>>),
}

#[derive(ApiResponse)]
enum TagsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<TagCountView>>),
}

#[derive(ApiResponse)]
enum TopicCountsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<TopicCountView>>),
}

#[derive(ApiResponse)]
enum SimilarResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<ThreadSummaryView>>),
}

#[derive(ApiResponse)]
enum ProfileResponse {
    #[oai(status = 200)]
    Ok(Json<ProfileView>),
}

fn base_url(state: &AppState) -> String {
    state.settings.base_url()
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Community")]
impl CommunityApi {
    /// Threads the caller may see, newest first. `list` is `newest`, `unanswered` or `mine`;
    /// pages hold at most 50 threads.
    #[oai(path = "/threads", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 12))] list: Query<Option<String>>,
        #[oai(validator(max_length = 40))] topic: Query<Option<String>>,
        #[oai(validator(max_length = 30))] tag: Query<Option<String>>,
        #[oai(validator(max_length = 5))] language: Query<Option<String>>,
        before: Query<Option<i64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "50")))] limit: Query<Option<u64>>,
    ) -> ApiResult<PageResponse> {
        let kind = match list.0.as_deref() {
            None | Some("") | Some("newest") => ListKind::Newest,
            Some("unanswered") => ListKind::Unanswered,
            Some("mine") => ListKind::Mine,
            Some(other) => {
                return Err(AppError::Invalid(
                    crate::domain::Msg::new("thread_list_unknown").arg("value", other),
                )
                .into());
            }
        };
        let q = ListQuery {
            kind,
            topic: topic
                .0
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(Topic::parse)
                .transpose()
                .map_err(AppError::Invalid)?,
            tag: tag.0.filter(|t| !t.is_empty()),
            language: match language.0.as_deref().filter(|l| !l.is_empty()) {
                Some(l) => {
                    Some(Locale::parse(l).ok_or_else(|| AppError::invalid("language_de_or_en"))?)
                }
                None => None,
            },
            before: before.0,
            limit: limit.0,
        };
        let (items, next) = threads::list(&state.db, &auth.viewer(), &q).await?;
        Ok(PageResponse::Ok(Json(ThreadPageView {
            items: items.iter().map(ThreadSummaryView::from).collect(),
            next_cursor: next,
        })))
    }

    /// Ask a question. The visibility decides who may ever see it.
    #[oai(path = "/threads", method = "post")]
    async fn ask(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<AskRequest>,
    ) -> ApiResult<Created> {
        let input = AskInput {
            title: body.title.clone(),
            body: body.body.clone(),
            topic: body.topic.clone(),
            language: body.language.clone(),
            visibility: body.visibility.clone(),
            tags: body.tags.clone(),
        };
        let id = threads::ask(&state.db, &auth.viewer(), input).await?;
        Ok(Created::Created(Json(CreatedView { id })))
    }

    /// A thread with its answers and comments; not found when the caller may not see it.
    #[oai(path = "/threads/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<ThreadResponse> {
        let d = threads::detail(&state.db, &auth.viewer(), id.0).await?;
        Ok(ThreadResponse::Ok(Json((&d).into())))
    }

    /// Visible threads whose titles resemble `title`, to find duplicates before asking.
    #[oai(path = "/threads/similar", method = "get")]
    async fn similar(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 200))] title: Query<String>,
    ) -> ApiResult<SimilarResponse> {
        let found = threads::similar(&state.db, &state.search, &auth.viewer(), &title.0).await?;
        Ok(SimilarResponse::Ok(Json(
            found.iter().map(ThreadSummaryView::from).collect(),
        )))
    }

    /// Answer a thread.
    #[oai(path = "/threads/:id/answers", method = "post")]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<BodyRequest>,
    ) -> ApiResult<Created> {
        let answer_id = answers::answer(
            &state.db,
            &auth.viewer(),
            id.0,
            &body.body,
            &base_url(&state),
        )
        .await?;
        Ok(Created::Created(Json(CreatedView { id: answer_id })))
    }

    /// Accept an answer of your own thread.
    #[oai(path = "/threads/:id/accept", method = "post")]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<AcceptRequest>,
    ) -> ApiResult<Done> {
        answers::accept(
            &state.db,
            &auth.viewer(),
            id.0,
            body.answer_id,
            &base_url(&state),
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// Edit your answer; the earlier text is kept.
    #[oai(path = "/answers/:id", method = "put")]
    async fn edit_answer(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<EditAnswerRequest>,
    ) -> ApiResult<Done> {
        let (text, redact) = (&body.body, body.remove_old_text);
        answers::edit(&state.db, &auth.viewer(), id.0, text, redact).await?;
        Ok(Done::NoContent)
    }

    /// Earlier versions of an edited answer, newest first; for its author and moderators (404
    /// for everyone else). Redacted versions carry no text.
    #[oai(path = "/answers/:id/history", method = "get")]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<HistoryResponse> {
        let rows = answers::history(&state.db, &auth.viewer(), id.0).await?;
        Ok(HistoryResponse::Ok(Json(
            rows.into_iter().map(RevisionOut::from).collect(),
        )))
    }

    /// Comment on an answer.
    #[oai(path = "/answers/:id/comments", method = "post")]
    async fn comment(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<CommentRequest>,
    ) -> ApiResult<Created> {
        let comment_id = answers::comment(
            &state.db,
            &auth.viewer(),
            id.0,
            &body.body,
            &base_url(&state),
        )
        .await?;
        Ok(Created::Created(Json(CreatedView { id: comment_id })))
    }

    /// Mark an answer helpful: once per member, never your own.
    #[oai(path = "/answers/:id/helpful", method = "put")]
    async fn vote(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<HelpfulResponse> {
        let count = answers::vote(&state.db, &auth.viewer(), id.0).await?;
        Ok(HelpfulResponse::Ok(Json(HelpfulView {
            helpful_count: count,
        })))
    }

    /// Take back a helpful mark.
    #[oai(path = "/answers/:id/helpful", method = "delete")]
    async fn unvote(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        answers::unvote(&state.db, &auth.viewer(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Tags with the number of threads the caller may see.
    #[oai(path = "/tags", method = "get")]
    async fn tags(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<TagsResponse> {
        let rows = threads::tag_counts(&state.db, &auth.viewer()).await?;
        Ok(TagsResponse::Ok(Json(
            rows.into_iter()
                .map(|(tag, count)| TagCountView { tag, count })
                .collect(),
        )))
    }

    /// Topics with the number of threads the caller may see.
    #[oai(path = "/topics/counts", method = "get")]
    async fn topic_counts(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<TopicCountsResponse> {
        let rows = threads::topic_counts(&state.db, &auth.viewer()).await?;
        Ok(TopicCountsResponse::Ok(Json(
            rows.into_iter()
                .map(|(t, count)| TopicCountView {
                    topic: t.key().into(),
                    count,
                })
                .collect(),
        )))
    }

    /// A member's persona and the activity the caller may see.
    #[oai(path = "/users/:handle", method = "get")]
    async fn profile(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 30))] handle: Path<String>,
    ) -> ApiResult<ProfileResponse> {
        let p = profiles::profile(&state.db, &auth.viewer(), &handle.0).await?;
        Ok(ProfileResponse::Ok(Json(ProfileView {
            persona: (&p.persona).into(),
            threads: p.threads.iter().map(ThreadSummaryView::from).collect(),
            answered: p.answered.iter().map(ThreadSummaryView::from).collect(),
        })))
    }
}
