//! The search page: one box over lessons and threads, with facets and pages.

use poem::http::StatusCode;
use poem::web::Query;
use poem::{Response, handler};
use serde::Deserialize;
use serde_json::json;

use super::SignedIn;
use crate::domain::Topic;
use crate::services::search::queries::{self, SearchParams};

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    kind: Option<String>,
    topic: Option<String>,
    language: Option<String>,
    page: Option<u32>,
}

#[handler]
pub async fn search(Query(p): Query<SearchQuery>, ctx: SignedIn) -> Response {
    let params = match SearchParams::parse(
        &p.q,
        p.kind.as_deref(),
        p.topic.as_deref(),
        p.language.as_deref(),
        p.page,
        Some(10),
    ) {
        Ok(params) => params,
        Err(e) => return ctx.app_error(e),
    };
    let results = match queries::search(
        &ctx.state.search_log,
        &ctx.state.search,
        &ctx.viewer(),
        &params,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return ctx.app_error(e),
    };
    let topic_label = |key: &str| {
        Topic::parse(key)
            .map(|t| t.label(ctx.locale).to_owned())
            .unwrap_or_else(|_| key.to_owned())
    };
    let page = json!({
        "q": params.text,
        "kind": p.kind,
        "topic": p.topic,
        "language": p.language,
        "total": results.total,
        "page": params.page,
        "more": results.total > params.page * params.per_page,
        "hits": results.hits.iter().map(|h| json!({
            "kind": h.kind.key(),
            "url": match h.kind { search_index::Kind::Lesson => format!("/lessons/{}", h.slug), search_index::Kind::Thread => format!("/threads/{}", h.id) },
            "title": h.title,
            "snippet_html": h.snippet_html,
            "topic_label": topic_label(&h.topic),
            "language": h.language,
        })).collect::<Vec<_>>(),
        "facets": {
            "kind": results.facets.kind.iter().map(|(k, n)| json!({"key": k, "count": n})).collect::<Vec<_>>(),
            "topic": results.facets.topic.iter().map(|(k, n)| json!({"key": k, "label": topic_label(k), "count": n})).collect::<Vec<_>>(),
            "language": results.facets.language.iter().map(|(k, n)| json!({"key": k, "count": n})).collect::<Vec<_>>(),
        },
    });
    ctx.render(StatusCode::OK, "search.html", page)
}
