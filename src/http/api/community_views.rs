//! Response and request shapes of the community operations. Authors appear as personas:
//! a handle, plus name and company only when they chose to show them.

use chrono::{DateTime, Utc};
use poem_openapi::Object;

use crate::services::community::threads::{AnswerView, CommentView, ThreadDetail, ThreadSummary};
use crate::services::people::Persona;

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonaView {
    pub handle: String,
    pub name: Option<String>,
    pub company: Option<String>,
    pub is_coach: bool,
}

impl From<&Persona> for PersonaView {
    fn from(p: &Persona) -> Self {
        Self {
            handle: p.handle.clone(),
            name: p.name.clone(),
            company: p.company.clone(),
            is_coach: p.is_coach,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ThreadSummaryView {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub topic: String,
    pub language: String,
    /// `community`, `not_my_company` or `coaches`.
    pub visibility: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub tags: Vec<String>,
    pub answer_count: i32,
    pub has_accepted_answer: bool,
    pub locked: bool,
    pub hidden: bool,
    pub author: PersonaView,
    pub is_mine: bool,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

impl From<&ThreadSummary> for ThreadSummaryView {
    fn from(t: &ThreadSummary) -> Self {
        Self {
            id: t.id,
            title: t.title.clone(),
            excerpt: t.excerpt.clone(),
            topic: t.topic.key().into(),
            language: t.language.as_str().into(),
            visibility: t.visibility.key().into(),
            status: t.status.clone(),
            tags: t.tags.clone(),
            answer_count: t.answer_count,
            has_accepted_answer: t.has_accepted,
            locked: t.locked,
            hidden: t.hidden,
            author: (&t.author).into(),
            is_mine: t.is_mine,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ThreadPageView {
    pub items: Vec<ThreadSummaryView>,
    /// Pass as `before` to get the next page; absent on the last page.
    pub next_cursor: Option<i64>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CommentViewOut {
    pub id: i64,
    pub author: PersonaView,
    pub body: String,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&CommentView> for CommentViewOut {
    fn from(c: &CommentView) -> Self {
        Self {
            id: c.id,
            author: (&c.author).into(),
            body: c.body.clone(),
            hidden: c.hidden,
            created_at: c.created_at,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerViewOut {
    pub id: i64,
    pub author: PersonaView,
    pub is_mine: bool,
    pub body: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub helpful_count: i32,
    pub voted_by_me: bool,
    pub accepted: bool,
    pub hidden: bool,
    pub edited: bool,
    pub edited_by_moderator: bool,
    pub comments: Vec<CommentViewOut>,
    pub created_at: DateTime<Utc>,
}

impl From<&AnswerView> for AnswerViewOut {
    fn from(a: &AnswerView) -> Self {
        Self {
            id: a.id,
            author: (&a.author).into(),
            is_mine: a.is_mine,
            body: a.body_md.clone(),
            body_html: a.body_html.clone(),
            helpful_count: a.helpful_count,
            voted_by_me: a.voted_by_me,
            accepted: a.accepted,
            hidden: a.hidden,
            edited: a.edited,
            edited_by_moderator: a.edited_by_moderator,
            comments: a.comments.iter().map(CommentViewOut::from).collect(),
            created_at: a.created_at,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ThreadDetailView {
    #[oai(flatten)]
    pub summary: ThreadSummaryView,
    pub body: String,
    pub body_html: String,
    pub edited_by_moderator: bool,
    /// Accepted first, then most helpful, then oldest.
    pub answers: Vec<AnswerViewOut>,
    pub may_accept: bool,
    pub may_answer: bool,
    pub claimed_by: Option<String>,
}

impl From<&ThreadDetail> for ThreadDetailView {
    fn from(d: &ThreadDetail) -> Self {
        Self {
            summary: (&d.summary).into(),
            body: d.body_md.clone(),
            body_html: d.body_html.clone(),
            edited_by_moderator: d.edited_by_moderator,
            answers: d.answers.iter().map(AnswerViewOut::from).collect(),
            may_accept: d.may_accept,
            may_answer: d.may_answer,
            claimed_by: d.claimed_by.clone(),
        }
    }
}

/// A new question.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AskRequest {
    /// 8 to 200 characters.
    #[oai(validator(max_length = 200, pattern = r"\S"))]
    pub title: String,
    /// Markdown, 1 to 20,000 characters.
    #[oai(validator(max_length = 20000, pattern = r"\S"))]
    pub body: String,
    /// One of the nine topics.
    #[oai(validator(
        pattern = r"^(relationship|needs_analysis|presentation|negotiation|closing|follow_up|prospecting|social_selling|self_management)$"
    ))]
    pub topic: String,
    /// `de` or `en`.
    #[oai(validator(pattern = r"^(de|en)$"))]
    pub language: String,
    /// `community` (every member), `not_my_company` (every member except people of your own
    /// company) or `coaches` (only the coaches).
    #[oai(validator(pattern = r"^(community|not_my_company|coaches)$"))]
    pub visibility: String,
    /// At most 5 tags of 2 to 30 characters.
    #[oai(default, validator(max_items = 5))]
    pub tags: Vec<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CreatedView {
    pub id: i64,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct BodyRequest {
    /// Markdown, 1 to 20,000 characters.
    #[oai(validator(max_length = 20000, pattern = r"\S"))]
    pub body: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct EditAnswerRequest {
    /// Markdown, 1 to 20,000 characters.
    #[oai(validator(max_length = 20000, pattern = r"\S"))]
    pub body: String,
    /// Destroy the replaced text and every earlier version (for a customer's name, a price):
    /// the history then only says that the answer was edited.
    #[oai(default)]
    pub remove_old_text: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CommentRequest {
    /// 1 to 2,000 characters.
    #[oai(validator(max_length = 2000, pattern = r"\S"))]
    pub body: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AcceptRequest {
    pub answer_id: i64,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct HelpfulView {
    pub helpful_count: i32,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RevisionOut {
    /// The earlier text; absent when it was removed (redacted).
    pub body: Option<String>,
    pub redacted: bool,
    pub replaced_at: DateTime<Utc>,
    /// Who replaced it: `author` or `moderator`.
    pub replaced_by: String,
}

impl From<crate::services::community::answers::Revision> for RevisionOut {
    fn from(r: crate::services::community::answers::Revision) -> Self {
        Self {
            redacted: r.body_md.is_none(),
            body: r.body_md,
            replaced_at: r.replaced_at,
            replaced_by: r.replaced_by.key().into(),
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TagCountView {
    pub tag: String,
    pub count: i64,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TopicCountView {
    pub topic: String,
    pub count: i64,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CoachQueueItemView {
    pub thread: ThreadSummaryView,
    pub waiting_minutes: i64,
    pub claimed_by: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct FlagRequest {
    /// `thread`, `answer` or `comment`.
    #[oai(validator(pattern = r"^(thread|answer|comment)$"))]
    pub target: String,
    pub target_id: i64,
    /// 3 to 1,000 characters.
    #[oai(validator(max_length = 1000, pattern = r"\S"))]
    pub reason: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ModerationRequest {
    /// `thread`, `answer` or `comment`.
    #[oai(validator(pattern = r"^(thread|answer|comment)$"))]
    pub target: String,
    pub target_id: i64,
    /// `hide`, `unhide`, `lock`, `unlock`, `delete`, `edit` or `dismiss`.
    #[oai(validator(pattern = r"^(hide|unhide|lock|unlock|delete|edit|dismiss)$"))]
    pub action: String,
    /// Why; kept in the audit log.
    #[oai(validator(max_length = 1000))]
    pub reason: String,
    /// The new text, for `edit`.
    #[oai(validator(max_length = 20000))]
    pub body: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct FlagQueueItemView {
    pub target: String,
    pub target_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub excerpt: String,
    pub hidden: bool,
    pub reasons: Vec<String>,
    pub first_reported: DateTime<Utc>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ModerationLogView {
    pub moderator_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub target_id: i64,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationOut {
    pub id: i64,
    /// `answer`, `accepted`, `comment`, `coach_reply`, `moderation`, `assignment`,
    /// `assigned`, `report_resolved`, `review_requested`, `changes_requested` or
    /// `lesson_published`.
    pub kind: String,
    pub thread_id: Option<i64>,
    pub thread_title: Option<String>,
    /// For lesson work (trainers): the lesson and its working title.
    pub lesson_id: Option<i64>,
    pub lesson_title: Option<String>,
    pub answer_id: Option<i64>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationListView {
    pub unread: u64,
    pub items: Vec<NotificationOut>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MarkReadRequest {
    /// Notification ids; all when left out.
    #[oai(validator(max_items = 100))]
    pub ids: Option<Vec<i64>>,
}

/// Which notifications also come by e-mail (in-app ones always do).
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationSettingsView {
    pub email_answers: bool,
    pub email_accepted: bool,
    pub email_comments: bool,
    pub email_coach: bool,
    pub email_moderation: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ProfileView {
    pub persona: PersonaView,
    pub threads: Vec<ThreadSummaryView>,
    pub answered: Vec<ThreadSummaryView>,
}

/// What others see of me.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ProfileUpdate {
    /// New pseudonym, 3 to 30 characters.
    #[oai(validator(max_length = 30))]
    pub handle: Option<String>,
    /// Real name, shown only with `show_name`.
    #[oai(validator(max_length = 100))]
    pub display_name: Option<String>,
    pub show_name: Option<bool>,
    pub show_company: Option<bool>,
    #[oai(validator(max_length = 5))]
    pub locale: Option<String>,
}
