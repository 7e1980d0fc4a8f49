//! Community pages: the thread list with filters, asking, a thread with its answers, and the
//! forms to answer, comment, vote, accept, edit and report.

use poem::http::StatusCode;
use poem::web::{Path, Query};
use poem::{Response, handler};
use serde::Deserialize;
use serde_json::{Value, json};

use super::lessons::topics;
use super::{CsrfForm, PageContext, SignedIn, has_csrf};
use crate::domain::Topic;
use crate::domain::community::Visibility;
use crate::error::AppError;
use crate::services::community::moderation::{self, Target};
use crate::services::community::threads::{
    self, AnswerView, AskInput, ListKind, ListQuery, ThreadSummary,
};
use crate::services::community::{answers, profiles};
use crate::services::people::Persona;

pub fn persona_json(p: &Persona) -> Value {
    json!({"handle": p.handle, "name": p.name, "company": p.company, "is_coach": p.is_coach})
}

pub fn thread_json(t: &ThreadSummary, ctx: &PageContext) -> Value {
    json!({
        "id": t.id,
        "title": t.title,
        "excerpt": t.excerpt,
        "topic": t.topic.key(),
        "topic_label": t.topic.label(ctx.locale),
        "language": t.language.as_str(),
        "visibility": t.visibility.key(),
        "status": t.status,
        "tags": t.tags,
        "answers": t.answer_count,
        "accepted": t.has_accepted,
        "locked": t.locked,
        "hidden": t.hidden,
        "author": persona_json(&t.author),
        "mine": t.is_mine,
        "created": t.created_at.format("%Y-%m-%d %H:%M").to_string(),
    })
}

fn answer_json(a: &AnswerView) -> Value {
    json!({
        "id": a.id,
        "author": persona_json(&a.author),
        "mine": a.is_mine,
        "body_html": a.body_html,
        "helpful": a.helpful_count,
        "voted": a.voted_by_me,
        "accepted": a.accepted,
        "hidden": a.hidden,
        "edited": a.edited,
        "edited_by_moderator": a.edited_by_moderator,
        "created": a.created_at.format("%Y-%m-%d %H:%M").to_string(),
        "comments": a.comments.iter().map(|c| json!({
            "author": persona_json(&c.author), "body": c.body, "hidden": c.hidden,
            "created": c.created_at.format("%Y-%m-%d %H:%M").to_string()
        })).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize)]
pub struct ListParams {
    list: Option<String>,
    topic: Option<String>,
    tag: Option<String>,
    before: Option<i64>,
}

#[handler]
pub async fn list(Query(p): Query<ListParams>, ctx: SignedIn) -> Response {
    let kind = match p.list.as_deref() {
        Some("unanswered") => ListKind::Unanswered,
        Some("mine") => ListKind::Mine,
        _ => ListKind::Newest,
    };
    let topic = p
        .topic
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| Topic::parse(t).ok());
    let tag = p.tag.clone().filter(|t| !t.is_empty());
    let q = ListQuery {
        kind,
        topic,
        tag: tag.clone(),
        language: None,
        before: p.before,
        limit: Some(20),
    };
    let (items, next) = match threads::list(&ctx.state.db, &ctx.viewer(), &q).await {
        Ok(r) => r,
        Err(e) => return ctx.app_error(e),
    };
    let page = json!({
        "threads": items.iter().map(|t| thread_json(t, &ctx)).collect::<Vec<_>>(),
        "next": next,
        "list": p.list.unwrap_or_else(|| "newest".into()),
        "topic": topic.map(|t| t.key()),
        "tag": tag,
        "topics": topics(ctx.locale),
    });
    ctx.render(StatusCode::OK, "threads.html", page)
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    tags: String,
}

has_csrf!(AskForm);

fn ask_page(
    ctx: &PageContext,
    status: StatusCode,
    form: &AskForm,
    error: Option<String>,
) -> Response {
    let page = json!({
        "form": form,
        "error": error,
        "topics": topics(ctx.locale),
        "visibilities": Visibility::ALL.iter().map(|v| v.key()).collect::<Vec<_>>(),
        "api_csrf": ctx.api_csrf(),
        "confirm_first": ctx.session.as_ref().is_some_and(|s| !s.user.email_verified),
    });
    ctx.render(status, "ask.html", page)
}

#[handler]
pub async fn ask_form(ctx: SignedIn) -> Response {
    let form = AskForm {
        language: ctx.locale.as_str().into(),
        visibility: "not_my_company".into(),
        ..Default::default()
    };
    ask_page(&ctx, StatusCode::OK, &form, None)
}

#[handler]
pub async fn ask(ctx: SignedIn, CsrfForm(form): CsrfForm<AskForm>) -> Response {
    let input = AskInput {
        title: form.title.clone(),
        body: form.body.clone(),
        topic: form.topic.clone(),
        language: form.language.clone(),
        visibility: form.visibility.clone(),
        tags: form
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match threads::ask(&ctx.state.db, &ctx.viewer(), input).await {
        Ok(id) => ctx.redirect_with_flash(&format!("/threads/{id}"), "flash_question_posted"),
        // Whatever went wrong, the question written so far stays in the form.
        Err(AppError::Invalid(m)) => {
            ask_page(&ctx, StatusCode::BAD_REQUEST, &form, Some(ctx.msg(&m)))
        }
        Err(AppError::Forbidden(m)) => {
            ask_page(&ctx, StatusCode::FORBIDDEN, &form, Some(ctx.msg(&m)))
        }
        Err(e) => ctx.app_error(e),
    }
}

async fn thread_page(
    ctx: &SignedIn,
    id: i64,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    match threads::detail(&ctx.state.db, &ctx.viewer(), id).await {
        Ok(d) => {
            let page = json!({
                "thread": thread_json(&d.summary, ctx),
                "body_html": d.body_html,
                "edited_by_moderator": d.edited_by_moderator,
                "answers": d.answers.iter().map(answer_json).collect::<Vec<_>>(),
                "may_accept": d.may_accept,
                "may_answer": d.may_answer,
                "claimed_by": d.claimed_by,
                "is_moderator": ctx.can().moderate,
                "is_coach": ctx.can().coach,
                "error": error,
                "api_csrf": ctx.api_csrf(),
            });
            ctx.render(status, "thread.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn show(Path(id): Path<i64>, mut ctx: SignedIn) -> Response {
    // Reading the thread reads its notifications; only a thread the viewer may see has any.
    if ctx.session.is_some()
        && threads::visible(&ctx.state.db, &ctx.viewer(), id)
            .await
            .is_ok()
    {
        match crate::services::notifications::mark_thread_read(&ctx.state.db, &ctx.viewer(), id)
            .await
        {
            Ok(read) => ctx.unread = ctx.unread.saturating_sub(read),
            Err(e) => return ctx.app_error(e),
        }
    }
    thread_page(&ctx, id, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

has_csrf!(TextForm);

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    /// The checkbox "remove the old text" (present only when ticked).
    #[serde(default)]
    remove_old_text: Option<String>,
}

has_csrf!(EditForm);

/// Runs a form action on a thread and goes back to it; invalid input re-renders the thread
/// with the reason.
async fn thread_action(
    ctx: &SignedIn,
    thread_id: i64,
    result: crate::error::AppResult<()>,
    done: &str,
) -> Response {
    match result {
        Ok(()) => ctx.redirect_with_flash(&format!("/threads/{thread_id}"), done),
        Err(AppError::Invalid(m) | AppError::Conflict(m) | AppError::Forbidden(m)) => {
            thread_page(ctx, thread_id, StatusCode::BAD_REQUEST, Some(ctx.msg(&m))).await
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn answer(
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TextForm>,
    ctx: SignedIn,
) -> Response {
    let base = ctx.state.settings.base_url();
    let result = answers::answer(&ctx.state.db, &ctx.viewer(), id, &form.body, &base)
        .await
        .map(|_| ());
    thread_action(&ctx, id, result, "flash_answer_posted").await
}

#[handler]
pub async fn comment(
    Path((id, answer_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<TextForm>,
    ctx: SignedIn,
) -> Response {
    let base = ctx.state.settings.base_url();
    let result = answers::comment(&ctx.state.db, &ctx.viewer(), answer_id, &form.body, &base)
        .await
        .map(|_| ());
    thread_action(&ctx, id, result, "flash_comment_posted").await
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    on: String,
}

has_csrf!(VoteForm);

#[handler]
pub async fn vote(
    Path((id, answer_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<VoteForm>,
    ctx: SignedIn,
) -> Response {
    let viewer = ctx.viewer();
    let result = if form.on == "1" {
        answers::vote(&ctx.state.db, &viewer, answer_id)
            .await
            .map(|_| ())
    } else {
        answers::unvote(&ctx.state.db, &viewer, answer_id).await
    };
    thread_action(&ctx, id, result, "flash_vote_saved").await
}

#[handler]
pub async fn accept(
    Path((id, answer_id)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<VoteForm>,
    ctx: SignedIn,
) -> Response {
    let base = ctx.state.settings.base_url();
    let result = answers::accept(&ctx.state.db, &ctx.viewer(), id, answer_id, &base).await;
    thread_action(&ctx, id, result, "flash_answer_accepted").await
}

#[derive(Deserialize)]
pub struct FlagForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    reason: String,
}

has_csrf!(FlagForm);

#[handler]
pub async fn flag(
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FlagForm>,
    ctx: SignedIn,
) -> Response {
    let result = match Target::parse(&form.target, form.target_id) {
        Ok(target) => moderation::flag(&ctx.state.db, &ctx.viewer(), target, &form.reason).await,
        Err(e) => Err(e),
    };
    thread_action(&ctx, id, result, "flash_reported").await
}

#[handler]
pub async fn edit_answer_form(Path(answer_id): Path<i64>, ctx: SignedIn) -> Response {
    match answers::visible(&ctx.state.db, &ctx.viewer(), answer_id).await {
        Ok((t, a))
            if ctx
                .session
                .as_ref()
                .is_some_and(|s| s.user.id == a.author_id) =>
        {
            let history = answers::history(&ctx.state.db, &ctx.viewer(), answer_id)
                .await
                .unwrap_or_default();
            let page = json!({
                "thread_id": t.id, "thread_title": t.title, "answer_id": a.id, "body": a.body_md,
                "api_csrf": ctx.api_csrf(),
                "history": history.iter().map(|r| json!({
                    "body": r.body_md, "by_moderator": r.replaced_by == answers::Editor::Moderator,
                    "at": r.replaced_at.format("%Y-%m-%d %H:%M").to_string(),
                })).collect::<Vec<_>>(),
            });
            ctx.render(StatusCode::OK, "answer_edit.html", page)
        }
        Ok(_) => ctx.error_page(StatusCode::FORBIDDEN, "error_forbidden"),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn edit_answer(
    Path(answer_id): Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
    ctx: SignedIn,
) -> Response {
    let viewer = ctx.viewer();
    let thread_id = match answers::visible(&ctx.state.db, &viewer, answer_id).await {
        Ok((t, _)) => t.id,
        Err(e) => return ctx.app_error(e),
    };
    let redact = form.remove_old_text.is_some();
    let result = answers::edit(&ctx.state.db, &viewer, answer_id, &form.body, redact).await;
    thread_action(&ctx, thread_id, result, "flash_answer_edited").await
}

#[handler]
pub async fn tags(ctx: SignedIn) -> Response {
    match threads::tag_counts(&ctx.state.db, &ctx.viewer()).await {
        Ok(rows) => {
            let page = json!({"tags": rows.iter().map(|(tag, count)| json!({"tag": tag, "count": count})).collect::<Vec<_>>()});
            ctx.render(StatusCode::OK, "tags.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn profile(Path(handle): Path<String>, ctx: SignedIn) -> Response {
    match profiles::profile(&ctx.state.db, &ctx.viewer(), &handle).await {
        Ok(p) => {
            let page = json!({
                "persona": persona_json(&p.persona),
                "threads": p.threads.iter().map(|t| thread_json(t, &ctx)).collect::<Vec<_>>(),
                "answered": p.answered.iter().map(|t| thread_json(t, &ctx)).collect::<Vec<_>>(),
            });
            ctx.render(StatusCode::OK, "profile.html", page)
        }
        Err(e) => ctx.app_error(e),
    }
}
