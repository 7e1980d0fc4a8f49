//! Searching, suggestions, similar questions, content gaps and synonyms.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use search_index::{Kind, SearchRequest, SearchResults};

use entity::{search_log, search_synonym};

use super::SearchHandle;
use crate::domain::{Locale, Msg, Topic};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};

pub const QUERY_MAX: usize = 200;
pub const PAGE_MAX: usize = 50;

/// What someone searches for, already checked.
#[derive(Clone, Debug, Default)]
pub struct SearchParams {
    pub text: String,
    pub kind: Option<Kind>,
    pub topic: Option<Topic>,
    pub language: Option<Locale>,
    pub page: usize,
    pub per_page: usize,
}

impl SearchParams {
    pub fn parse(
        text: &str,
        kind: Option<&str>,
        topic: Option<&str>,
        language: Option<&str>,
        page: Option<u32>,
        per_page: Option<u32>,
    ) -> AppResult<Self> {
        let text = text.trim();
        if text.chars().count() > QUERY_MAX {
            return Err(AppError::Invalid(
                Msg::new("search_too_long").arg("max", QUERY_MAX),
            ));
        }
        let kind = match kind.filter(|k| !k.is_empty()) {
            Some(k) => {
                Some(Kind::parse(k).ok_or_else(|| AppError::invalid("search_kind_unknown"))?)
            }
            None => None,
        };
        let topic = topic
            .filter(|t| !t.is_empty())
            .map(Topic::parse)
            .transpose()
            .map_err(AppError::Invalid)?;
        let language = match language.filter(|l| !l.is_empty()) {
            Some(l) => {
                Some(Locale::parse(l).ok_or_else(|| AppError::invalid("language_de_or_en"))?)
            }
            None => None,
        };
        let page = Ord::max(page.unwrap_or(1), 1) as usize;
        if page > 100 {
            return Err(AppError::invalid("search_page_range"));
        }
        let per_page = Ord::clamp(per_page.unwrap_or(10), 1, PAGE_MAX as u32) as usize;
        Ok(Self {
            text: text.to_owned(),
            kind,
            topic,
            language,
            page,
            per_page,
        })
    }
}

fn unavailable() -> AppError {
    AppError::Unexpected(anyhow::anyhow!("the search index is not ready"))
}

/// Searches what the viewer may see and logs the query (without who asked) for content gaps.
pub async fn search(
    log: &super::SearchLog,
    handle: &SearchHandle,
    viewer: &Viewer,
    p: &SearchParams,
) -> AppResult<SearchResults> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    if p.text.is_empty() {
        return Ok(SearchResults::default());
    }
    let request = SearchRequest {
        text: p.text.clone(),
        principals: policy::search_principals(viewer),
        kind: p.kind,
        topic: p.topic.map(|t| t.key().to_owned()),
        language: p.language.map(|l| l.as_str().to_owned()),
        offset: (p.page - 1) * p.per_page,
        limit: p.per_page,
    };
    let started = std::time::Instant::now();
    let results = handle
        .run(&p.text, move |index| index.search(&request))
        .await?
        .ok_or_else(unavailable)?;
    handle.metrics().observe_search(started.elapsed());
    if p.page == 1
        && let Some(u) = viewer.user()
    {
        log.record(&p.text, results.total, u.id);
    }
    Ok(results)
}

/// Titles completing what the viewer is typing.
pub async fn suggest(
    handle: &SearchHandle,
    viewer: &Viewer,
    prefix: &str,
) -> AppResult<Vec<(Kind, i64, String)>> {
    if viewer.user().is_none() {
        return Err(AppError::Unauthenticated);
    }
    if prefix.chars().count() > QUERY_MAX {
        return Err(AppError::Invalid(
            Msg::new("search_too_long").arg("max", QUERY_MAX),
        ));
    }
    let principals = policy::search_principals(viewer);
    let text = prefix.to_owned();
    Ok(handle
        .run(prefix, move |index| index.suggest(&text, &principals, 8))
        .await?
        .unwrap_or_default())
}

/// Threads like a question being typed, from the ones the asker may see.
pub async fn similar_threads(
    handle: &SearchHandle,
    viewer: &Viewer,
    title: &str,
) -> AppResult<Vec<(i64, String)>> {
    policy::may_browse_community(viewer)?;
    let request = SearchRequest {
        text: title.chars().take(QUERY_MAX).collect(),
        principals: policy::search_principals(viewer),
        kind: Some(Kind::Thread),
        limit: 5,
        ..Default::default()
    };
    let Some(results) = handle
        .run(title, move |index| index.search(&request))
        .await?
    else {
        return Ok(Vec::new());
    };
    Ok(results.hits.into_iter().map(|h| (h.id, h.title)).collect())
}

/// Queries that at least `K_ANONYMITY` different people searched on one day since `since`.
fn k_anonymous_queries(since: chrono::DateTime<Utc>) -> sea_orm::sea_query::SelectStatement {
    // The searcher is `day:hash`; the day is its first ten characters.
    let day = Expr::cust("substr(searcher, 1, 10)");
    search_log::Entity::find()
        .select_only()
        .column(search_log::Column::Query)
        .filter(search_log::Column::CreatedAt.gte(since))
        .filter(search_log::Column::Searcher.is_not_null())
        .group_by(search_log::Column::Query)
        .group_by(day)
        .having(
            Expr::expr(Expr::col(search_log::Column::Searcher).count_distinct())
                .gte(policy::K_ANONYMITY),
        )
        .into_query()
}

#[derive(Debug, FromQueryResult)]
struct GapRow {
    query: String,
    searches: i64,
    best: i32,
}

/// The most frequent searches of the last 30 days that found nothing or little (at most two
/// results), for trainers deciding which lessons to write next. A search is shown only when at
/// least [`policy::K_ANONYMITY`] different people made it on one day: one person's words (often
/// a customer's or a colleague's name) never appear.
pub async fn content_gaps(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<(String, i64, i32)>> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("gaps_trainers_only"));
    }
    let since = Utc::now() - Duration::days(30);
    let rows = search_log::Entity::find()
        .select_only()
        .column(search_log::Column::Query)
        .column_as(Expr::col(search_log::Column::Id).count(), "searches")
        .column_as(Expr::col(search_log::Column::Results).max(), "best")
        .filter(search_log::Column::CreatedAt.gte(since))
        .filter(search_log::Column::Query.in_subquery(k_anonymous_queries(since)))
        .group_by(search_log::Column::Query)
        .having(Expr::col(search_log::Column::Results).max().lte(2))
        .order_by_desc(Expr::col(search_log::Column::Id).count())
        .limit(50)
        .into_model::<GapRow>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.query, r.searches, r.best))
        .collect())
}

/// The synonym groups trainers maintain.
pub async fn synonyms(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<Vec<String>>> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("synonyms_trainers_only"));
    }
    Ok(search_synonym::Entity::find()
        .order_by_asc(search_synonym::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| serde_json::from_str(&s.phrases).unwrap_or_default())
        .collect())
}

/// Replaces all synonym groups; each group has 2 to 10 phrases of 2 to 60 characters.
pub async fn set_synonyms(
    db: &DatabaseConnection,
    handle: &SearchHandle,
    viewer: &Viewer,
    groups: Vec<Vec<String>>,
) -> AppResult<()> {
    if !policy::may_author_lessons(viewer) {
        return Err(AppError::forbidden("synonyms_trainers_only"));
    }
    if groups.len() > 200 {
        return Err(AppError::Invalid(
            Msg::new("synonym_groups_too_many").arg("max", 200),
        ));
    }
    let mut clean = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let phrases: Vec<String> = g
            .iter()
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        if !(2..=10).contains(&phrases.len()) {
            return Err(AppError::Invalid(
                Msg::new("synonym_group_size").arg("group", i + 1),
            ));
        }
        if let Some(p) = phrases
            .iter()
            .find(|p| p.chars().count() > 60 || p.chars().count() < 2)
        {
            return Err(AppError::Invalid(
                Msg::new("synonym_length").arg("synonym", p),
            ));
        }
        clean.push(phrases);
    }
    let txn = crate::db::begin_write(db).await?;
    search_synonym::Entity::delete_many().exec(&txn).await?;
    for phrases in &clean {
        search_synonym::ActiveModel {
            phrases: Set(
                serde_json::to_string(phrases).map_err(|e| AppError::Unexpected(e.into()))?
            ),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    if let Some(index) = handle.get() {
        index
            .set_synonyms(clean)
            .map_err(|e| AppError::Unexpected(e.into()))?;
    }
    Ok(())
}
