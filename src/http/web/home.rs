//! The start page: for signed-in people "today" (what needs them now), for everyone else what
//! sellerbase is.

use chrono::Utc;
use poem::http::StatusCode;
use poem::{Response, handler};
use serde::Serialize;

use super::{PageContext, format};
use crate::domain::Locale;
use crate::services::today::{self, Today};

#[handler]
pub async fn home(ctx: PageContext) -> Response {
    if ctx.session.is_none() {
        return ctx.render(StatusCode::OK, "home.html", ());
    }
    match today::today(&ctx.state.db, &ctx.viewer(), Utc::now().date_naive()).await {
        Ok(t) => ctx.render(StatusCode::OK, "today.html", TodayPage::of(&t, ctx.locale)),
        Err(e) => ctx.app_error(e),
    }
}

/// What the service worker shows without a connection: the lessons kept for offline reading
/// (listed by the page's script from the browser's cache). Nothing personal is in it, since the
/// service worker keeps this page.
#[handler]
pub async fn offline(ctx: PageContext) -> Response {
    ctx.render_standalone(StatusCode::OK, "offline.html")
}

/// One line of "today": a link and what it is about.
#[derive(Serialize)]
struct Item {
    href: String,
    /// A catalogue key for the kind of item.
    kind: String,
    title: String,
    /// Extra words (a due date, progress) already in the page's language.
    meta: String,
    /// How many notifications the line stands for (the text key says "{n} new answers").
    count: usize,
    urgent: bool,
}

#[derive(Serialize)]
struct TrainerPart {
    in_review: Vec<Item>,
    coach_questions: usize,
    open_reports: usize,
}

#[derive(Serialize)]
struct CompanyPart {
    company: String,
    seats: i32,
    seats_used: u64,
    pending_invitations: usize,
    members_overdue: usize,
}

#[derive(Serialize)]
struct TodayPage {
    news: Vec<Item>,
    unread: u64,
    due_reviews: u64,
    assignments: Vec<Item>,
    continue_reading: Vec<Item>,
    my_questions: Vec<Item>,
    trainer: Option<TrainerPart>,
    company: Option<CompanyPart>,
    /// Nothing needs the person: the page says so instead of showing empty boxes.
    all_done: bool,
}

impl TodayPage {
    fn of(t: &Today, locale: Locale) -> Self {
        let news = t
            .news
            .iter()
            .map(|n| Item {
                href: format::notification_href(n.thread_id, n.lesson_id),
                kind: format::notification_kind(n.kind.key(), n.count),
                title: n.title.clone().unwrap_or_default(),
                meta: format::date(locale, n.latest_at.date_naive()),
                count: n.count,
                urgent: false,
            })
            .collect();
        let assignments = t
            .assignments
            .iter()
            .map(|a| Item {
                href: match (&a.path_slug, &a.lesson_slug) {
                    (Some(p), _) => format!("/paths/{p}"),
                    (None, Some(l)) => format!("/lessons/{l}"),
                    (None, None) => "/learning".to_owned(),
                },
                kind: "today_assignment".into(),
                title: a.title.clone(),
                meta: format!(
                    "{} · {}/{}",
                    format::date(locale, a.due_on),
                    a.completed,
                    a.total
                ),
                urgent: a.overdue,
                count: 1,
            })
            .collect();
        let continue_reading = t
            .continue_reading
            .iter()
            .map(|l| Item {
                href: format!("/lessons/{}", l.slug),
                kind: "today_continue".into(),
                title: l.title.clone(),
                meta: format::minutes(locale, l.reading_minutes),
                urgent: false,
                count: 1,
            })
            .collect();
        let my_questions = t
            .my_questions
            .iter()
            .map(|q| Item {
                href: format!("/threads/{}", q.id),
                kind: "today_my_question".into(),
                title: q.title.clone(),
                meta: format::answers(locale, q.answer_count),
                urgent: false,
                count: 1,
            })
            .collect();
        let trainer = t.trainer.as_ref().map(|tr| TrainerPart {
            in_review: tr
                .in_review
                .iter()
                .map(|l| Item {
                    href: format!("/trainer/lessons/{}/edit", l.id),
                    kind: "today_review".into(),
                    title: l.content.title.clone(),
                    meta: format::date(locale, l.updated_at.date_naive()),
                    urgent: false,
                    count: 1,
                })
                .collect(),
            coach_questions: tr.coach_questions,
            open_reports: tr.open_reports,
        });
        let company = t.company.as_ref().map(|c| CompanyPart {
            company: c.company.clone(),
            seats: c.seats,
            seats_used: c.seats_used,
            pending_invitations: c.pending_invitations,
            members_overdue: c.members_overdue,
        });
        let all_done = t.news.is_empty()
            && t.due_reviews == 0
            && t.assignments.is_empty()
            && t.continue_reading.is_empty()
            && trainer
                .as_ref()
                .is_none_or(|tr| tr.in_review.is_empty() && tr.coach_questions == 0);
        Self {
            news,
            unread: t.unread,
            due_reviews: t.due_reviews,
            assignments,
            continue_reading,
            my_questions,
            trainer,
            company,
            all_done,
        }
    }
}
