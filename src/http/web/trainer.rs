//! The trainer's lesson pages: overview with workflow states, the editor with live preview,
//! workflow buttons and statistics.

use poem::http::StatusCode;
use poem::web::{Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use serde_json::json;

use super::lessons::topics;
use super::{CsrfForm, PageContext, SignedIn, has_csrf};
use crate::domain::Msg;
use crate::domain::lesson::{CheckKind, CheckOption, CheckQuestion, LessonInput, QuestionInput};
use crate::error::AppError;
use crate::policy;
use crate::services::lesson_review;
use crate::services::{learning, lessons};

/// The editor writes a knowledge check as text, one line each:
/// `? question` (single choice) or `?? question` (multiple choice), then options as
/// `+ right option | explanation` or `- wrong option | explanation`.
pub fn parse_check_text(text: &str) -> Result<Vec<QuestionInput>, Msg> {
    let mut questions: Vec<QuestionInput> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(q) = line.strip_prefix("??") {
            questions.push(QuestionInput {
                key: None,
                question: q.trim().into(),
                kind: "multiple".into(),
                options: Vec::new(),
            });
        } else if let Some(q) = line.strip_prefix('?') {
            questions.push(QuestionInput {
                key: None,
                question: q.trim().into(),
                kind: "single".into(),
                options: Vec::new(),
            });
        } else if let Some((correct, rest)) = line
            .strip_prefix('+')
            .map(|r| (true, r))
            .or_else(|| line.strip_prefix('-').map(|r| (false, r)))
        {
            let Some(q) = questions.last_mut() else {
                return Err(Msg::new("check_text_option_first").arg("line", n + 1));
            };
            let (option, explanation) = rest.split_once('|').unwrap_or((rest, ""));
            q.options.push(CheckOption {
                text: option.trim().into(),
                correct,
                explanation: explanation.trim().into(),
            });
        } else {
            return Err(Msg::new("check_text_line_start").arg("line", n + 1));
        }
    }
    Ok(questions)
}

pub fn check_text(check: &[CheckQuestion]) -> String {
    let mut out = String::new();
    for q in check {
        out.push_str(if q.kind == CheckKind::Multiple {
            "?? "
        } else {
            "? "
        });
        out.push_str(&q.question);
        out.push('\n');
        for o in &q.options {
            out.push_str(if o.correct { "+ " } else { "- " });
            out.push_str(&o.text);
            if !o.explanation.is_empty() {
                out.push_str(" | ");
                out.push_str(&o.explanation);
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct EditorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    takeaways: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    check: String,
}

has_csrf!(EditorForm);

impl EditorForm {
    fn input(&self) -> Result<LessonInput, Msg> {
        Ok(LessonInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body_md: self.body.clone(),
            topic: self.topic.clone(),
            language: self.language.clone(),
            tags: self
                .tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            takeaways: self
                .takeaways
                .lines()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            check: parse_check_text(&self.check)?,
        })
    }
}

/// The review steps the lesson's state allows and what the reviewer asked for, if anything.
#[derive(Default, serde::Serialize)]
struct Workflow {
    actions: Vec<&'static str>,
    change_request: Option<serde_json::Value>,
}

#[allow(clippy::too_many_arguments)]
fn editor(
    ctx: &PageContext,
    status: StatusCode,
    id: Option<i64>,
    form: &EditorForm,
    state: Option<&str>,
    error: Option<Msg>,
    warnings: Vec<Msg>,
    workflow: Workflow,
) -> Response {
    let warnings: Vec<String> = warnings.iter().map(|w| ctx.msg(w)).collect();
    let page = json!({
        "id": id,
        "form": form,
        "state": state,
        "actions": workflow.actions,
        "change_request": workflow.change_request,
        "error": error.map(|e| ctx.msg(&e)),
        "warnings": warnings,
        "topics": topics(ctx.locale),
        "api_csrf": ctx.api_csrf(),
    });
    ctx.render(status, "trainer_editor.html", page)
}

/// The role check (trainers and platform admins); sign-in is `SignedIn`'s.
fn trainer_only(ctx: &SignedIn) -> Result<(), Response> {
    if policy::may_author_lessons(&ctx.viewer()) {
        Ok(())
    } else {
        Err(ctx.error_page(StatusCode::FORBIDDEN, "error_forbidden"))
    }
}

#[handler]
pub async fn overview(ctx: SignedIn) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    match lessons::all_working(&ctx.state.db, &ctx.viewer()).await {
        Ok(all) => {
            let rows: Vec<_> = all
                .iter()
                .map(|w| json!({"id": w.id, "slug": w.slug, "title": w.content.title, "status": w.status,
                                 "language": w.content.language.as_str(), "topic": w.content.topic.label(ctx.locale),
                                 "minutes": w.content.reading_minutes}))
                .collect();
            ctx.render(
                StatusCode::OK,
                "trainer_lessons.html",
                json!({"lessons": rows}),
            )
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn new_form(ctx: SignedIn) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let form = EditorForm {
        language: ctx.locale.as_str().into(),
        topic: "closing".into(),
        ..Default::default()
    };
    editor(
        &ctx,
        StatusCode::OK,
        None,
        &form,
        None,
        None,
        Vec::new(),
        Workflow::default(),
    )
}

#[handler]
pub async fn create(ctx: SignedIn, CsrfForm(form): CsrfForm<EditorForm>) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let input = match form.input() {
        Ok(i) => i,
        Err(m) => {
            return editor(
                &ctx,
                StatusCode::BAD_REQUEST,
                None,
                &form,
                None,
                Some(m),
                Vec::new(),
                Workflow::default(),
            );
        }
    };
    let slug = Some(form.slug.as_str()).filter(|s| !s.trim().is_empty());
    match lessons::create(&ctx.state.db, &ctx.viewer(), slug, input).await {
        Ok(w) => Redirect::see_other(format!("/trainer/lessons/{}/edit", w.id)).into_response(),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => editor(
            &ctx,
            StatusCode::BAD_REQUEST,
            None,
            &form,
            None,
            Some(m),
            Vec::new(),
            Workflow::default(),
        ),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn edit_form(Path(id): Path<i64>, ctx: SignedIn) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let viewer = ctx.viewer();
    match lessons::working(&ctx.state.db, &viewer, id).await {
        Ok(w) => {
            let change_request =
                match lesson_review::open_change_request(&ctx.state.db, &viewer, &w).await {
                    Ok(r) => r.map(|r| {
                        json!({"reviewer": r.reviewer, "comment": r.comment,
                               "at": super::format::date(ctx.locale, r.at.date_naive())})
                    }),
                    Err(e) => return ctx.app_error(e),
                };
            let workflow = Workflow {
                actions: lesson_review::actions(&viewer, &w)
                    .into_iter()
                    .map(|a| a.key())
                    .collect(),
                change_request,
            };
            let c = &w.content;
            let form = EditorForm {
                csrf: String::new(),
                slug: w.slug.clone(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                topic: c.topic.key().into(),
                language: c.language.as_str().into(),
                tags: c.tags.join(", "),
                takeaways: c.takeaways.join("\n"),
                body: c.body_md.clone(),
                check: check_text(&c.check),
            };
            editor(
                &ctx,
                StatusCode::OK,
                Some(id),
                &form,
                Some(&w.status),
                None,
                c.warnings(),
                workflow,
            )
        }
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn save(
    Path(id): Path<i64>,
    ctx: SignedIn,
    CsrfForm(form): CsrfForm<EditorForm>,
) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let input = match form.input() {
        Ok(i) => i,
        Err(m) => {
            return editor(
                &ctx,
                StatusCode::BAD_REQUEST,
                Some(id),
                &form,
                None,
                Some(m),
                Vec::new(),
                Workflow::default(),
            );
        }
    };
    match lessons::update(&ctx.state.db, &ctx.viewer(), id, input).await {
        Ok(_) => Redirect::see_other(format!("/trainer/lessons/{id}/edit")).into_response(),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => editor(
            &ctx,
            StatusCode::BAD_REQUEST,
            Some(id),
            &form,
            None,
            Some(m),
            Vec::new(),
            Workflow::default(),
        ),
        Err(e) => ctx.app_error(e),
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// The reviewer's comment, for `request-changes`.
    #[serde(default)]
    comment: String,
}

has_csrf!(ActionForm);

#[handler]
pub async fn action(
    Path((id, action)): Path<(i64, String)>,
    ctx: SignedIn,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let (db, viewer) = (&ctx.state.db, ctx.viewer());
    let (result, done) = match action.as_str() {
        "submit" => (
            lesson_review::submit(db, &viewer, id).await,
            "flash_lesson_submitted",
        ),
        "publish" => (
            lesson_review::publish(db, &viewer, id).await,
            "flash_lesson_published",
        ),
        "request-changes" => (
            lesson_review::request_changes(db, &viewer, id, &form.comment).await,
            "flash_changes_requested",
        ),
        "archive" => (
            lessons::archive(db, &viewer, id).await,
            "flash_lesson_archived",
        ),
        "restore" => (
            lessons::restore(db, &viewer, id).await,
            "flash_lesson_restored",
        ),
        _ => (Err(AppError::NotFound), ""),
    };
    match result {
        Ok(_) => ctx.redirect_with_flash(&format!("/trainer/lessons/{id}/edit"), done),
        Err(e) => ctx.app_error(e),
    }
}

#[handler]
pub async fn stats(Path(id): Path<i64>, ctx: SignedIn) -> Response {
    if let Err(r) = trainer_only(&ctx) {
        return r;
    }
    let viewer = ctx.viewer();
    let (w, s) = match (
        lessons::working(&ctx.state.db, &viewer, id).await,
        learning::stats(&ctx.state.db, &viewer, id).await,
    ) {
        (Ok(w), Ok(s)) => (w, s),
        (Err(e), _) | (_, Err(e)) => return ctx.app_error(e),
    };
    let page = json!({
        "id": id,
        "title": w.content.title,
        "opened": s.opened,
        "completed": s.completed,
        "ratings": s.ratings,
        "average": s.average_rating.map(|a| format!("{a:.1}")),
        "check_score": s.average_check_score.map(|a| format!("{:.0}", a * 100.0)),
        "stars": s.stars.iter().enumerate().map(|(i, n)| json!({"stars": i + 1, "count": n})).collect::<Vec<_>>(),
        "feedback": s.feedback.iter().map(|(stars, text)| json!({"stars": stars, "text": text})).collect::<Vec<_>>(),
    });
    ctx.render(StatusCode::OK, "trainer_stats.html", page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_text_format_round_trips() {
        let text = "? Was zuerst?\n- Rabatt | Zu früh\n+ Fragen | Richtig\n\n?? Was hilft?\n+ Nutzen\n+ Ruhe\n- Druck\n";
        let parsed = parse_check_text(text).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].kind, "multiple");
        assert_eq!(parsed[0].options[1].explanation, "Richtig");
        let content = crate::domain::lesson::LessonContent::parse(LessonInput {
            title: "t".into(),
            body_md: "b".into(),
            topic: "closing".into(),
            language: "de".into(),
            check: parsed,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            parse_check_text(&check_text(&content.check)).unwrap().len(),
            2
        );
        assert!(
            parse_check_text("+ orphan")
                .unwrap_err()
                .to_string()
                .contains("line 1")
        );
        assert!(
            parse_check_text("? q\nnonsense")
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
    }
}
