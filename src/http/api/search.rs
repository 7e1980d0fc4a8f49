//! One search box over lessons and threads, suggestions, content gaps and synonyms.

use std::collections::BTreeMap;

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::ApiTags;
use super::security::Auth;
use crate::http::error::ApiResult;
use crate::services::search::queries::{self, SearchParams};
use crate::state::AppState;

pub struct SearchApi;

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct HitView {
    /// `lesson` or `thread`.
    pub kind: String,
    pub id: i64,
    /// Lessons: the slug for `/lessons/{slug}`.
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub language: String,
    /// An excerpt with `<b>` around matches; everything else is escaped.
    pub snippet_html: String,
    pub score: f32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct FacetsView {
    pub kind: BTreeMap<String, u64>,
    pub topic: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct SearchView {
    /// Hits the caller may see, in all pages.
    pub total: u64,
    pub page: u32,
    pub hits: Vec<HitView>,
    pub facets: FacetsView,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct SuggestionView {
    pub kind: String,
    pub id: i64,
    pub title: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct GapView {
    pub query: String,
    pub searches: i64,
    /// The most results any of these searches had.
    pub best_results: i32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct SynonymsView {
    /// Groups of phrases that mean the same, e.g. ["zu teuer", "preiseinwand", "price objection"].
    #[oai(validator(max_items = 200))]
    pub groups: Vec<Vec<String>>,
}

#[derive(ApiResponse)]
enum SearchResponse {
    #[oai(status = 200)]
    Ok(Json<SearchView>),
}

#[derive(ApiResponse)]
enum SuggestResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<SuggestionView>>),
}

#[derive(ApiResponse)]
enum GapsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<GapView>>),
}

#[derive(ApiResponse)]
enum SynonymsResponse {
    #[oai(status = 200)]
    Ok(Json<SynonymsView>),
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Search")]
impl SearchApi {
    /// Search lessons and threads in German and English. Only what the caller may see is
    /// found, counted and faceted.
    #[oai(path = "/search", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 200))] q: Query<String>,
        #[oai(validator(max_length = 10))] kind: Query<Option<String>>,
        #[oai(validator(max_length = 40))] topic: Query<Option<String>>,
        #[oai(validator(max_length = 5))] language: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "50")))] per_page: Query<Option<u32>>,
    ) -> ApiResult<SearchResponse> {
        let params = SearchParams::parse(
            &q.0,
            kind.0.as_deref(),
            topic.0.as_deref(),
            language.0.as_deref(),
            page.0,
            per_page.0,
        )?;
        let r = queries::search(&state.search_log, &state.search, &auth.viewer(), &params).await?;
        Ok(SearchResponse::Ok(Json(SearchView {
            total: r.total as u64,
            page: params.page as u32,
            hits: r
                .hits
                .into_iter()
                .map(|h| HitView {
                    kind: h.kind.key().into(),
                    id: h.id,
                    slug: h.slug,
                    title: h.title,
                    topic: h.topic,
                    language: h.language,
                    snippet_html: h.snippet_html,
                    score: h.score,
                })
                .collect(),
            facets: FacetsView {
                kind: r.facets.kind,
                topic: r.facets.topic,
                language: r.facets.language,
            },
        })))
    }

    /// Titles completing what is being typed.
    #[oai(path = "/search/suggest", method = "get")]
    async fn suggest(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        #[oai(validator(max_length = 200))] q: Query<String>,
    ) -> ApiResult<SuggestResponse> {
        let found = queries::suggest(&state.search, &auth.viewer(), &q.0).await?;
        Ok(SuggestResponse::Ok(Json(
            found
                .into_iter()
                .map(|(kind, id, title)| SuggestionView {
                    kind: kind.key().into(),
                    id,
                    title,
                })
                .collect(),
        )))
    }

    /// Frequent searches of the last 30 days with no or poor results (trainers). Stored
    /// without any user id.
    #[oai(path = "/search/gaps", method = "get")]
    async fn gaps(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<GapsResponse> {
        let rows = queries::content_gaps(&state.db, &auth.viewer()).await?;
        Ok(GapsResponse::Ok(Json(
            rows.into_iter()
                .map(|(query, searches, best_results)| GapView {
                    query,
                    searches,
                    best_results,
                })
                .collect(),
        )))
    }

    /// The synonym groups (trainers).
    #[oai(path = "/search/synonyms", method = "get")]
    async fn get_synonyms(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<SynonymsResponse> {
        let groups = queries::synonyms(&state.db, &auth.viewer()).await?;
        Ok(SynonymsResponse::Ok(Json(SynonymsView { groups })))
    }

    /// Replace the synonym groups (trainers); searches use them at once.
    #[oai(path = "/search/synonyms", method = "put")]
    async fn put_synonyms(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<SynonymsView>,
    ) -> ApiResult<SynonymsResponse> {
        queries::set_synonyms(&state.db, &state.search, &auth.viewer(), body.0.groups).await?;
        let groups = queries::synonyms(&state.db, &auth.viewer()).await?;
        Ok(SynonymsResponse::Ok(Json(SynonymsView { groups })))
    }
}
