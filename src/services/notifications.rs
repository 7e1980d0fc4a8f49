//! Notifications in the app and by e-mail. The recipient's right to see the thread is checked
//! when a notification is created, when it is listed or counted, and again when its e-mail is
//! delivered. E-mails carry no content of the conversation, only a link.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use entity::{mail_outbox, notification, notification_setting, thread, user};

use crate::error::{AppError, AppResult};
use crate::policy::{self, ThreadFacts, Viewer};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Someone answered my thread.
    Answer,
    /// The asker accepted my answer.
    Accepted,
    /// Someone commented on my answer.
    Comment,
    /// A coach answered my coach question.
    CoachReply,
    /// A moderator acted on my post.
    Moderation,
    /// Assigned learning is due soon.
    Assignment,
    /// The company assigned me learning.
    Assigned,
    /// A report I made was handled by the moderators.
    ReportResolved,
    /// A trainer submitted a lesson for review (to the other trainers).
    ReviewRequested,
    /// The reviewer wants changes to my lesson (with their comment).
    ChangesRequested,
    /// My lesson was published.
    LessonPublished,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Self::Answer,
        Self::Accepted,
        Self::Comment,
        Self::CoachReply,
        Self::Moderation,
        Self::Assignment,
        Self::Assigned,
        Self::ReportResolved,
        Self::ReviewRequested,
        Self::ChangesRequested,
        Self::LessonPublished,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Accepted => "accepted",
            Self::Comment => "comment",
            Self::CoachReply => "coach_reply",
            Self::Moderation => "moderation",
            Self::Assignment => "assignment",
            Self::Assigned => "assigned",
            Self::ReportResolved => "report_resolved",
            Self::ReviewRequested => "review_requested",
            Self::ChangesRequested => "changes_requested",
            Self::LessonPublished => "lesson_published",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    fn subject(self) -> &'static str {
        match self {
            Self::Answer => "New answer to your question / Neue Antwort auf Ihre Frage",
            Self::Accepted => "Your answer was accepted / Ihre Antwort wurde angenommen",
            Self::Comment => "New comment on your answer / Neuer Kommentar zu Ihrer Antwort",
            Self::CoachReply => "A coach replied / Ein Coach hat geantwortet",
            Self::Moderation => {
                "A moderator reviewed your post / Ein Moderator hat Ihren Beitrag geprüft"
            }
            Self::Assignment => "Learning due soon / Lernaufgabe bald fällig",
            Self::Assigned => "New learning for you / Neue Lernaufgabe für dich",
            Self::ReportResolved => "Your report was handled / Deine Meldung wurde bearbeitet",
            Self::ReviewRequested => "A lesson waits for review / Eine Lektion wartet auf Prüfung",
            Self::ChangesRequested => {
                "Changes requested for your lesson / Änderungswunsch zu deiner Lektion"
            }
            Self::LessonPublished => "Your lesson is published / Deine Lektion ist veröffentlicht",
        }
    }
}

/// E-mail preferences; in-app notifications are always on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub email_answers: bool,
    pub email_accepted: bool,
    pub email_comments: bool,
    pub email_coach: bool,
    pub email_moderation: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            email_answers: true,
            email_accepted: true,
            email_comments: true,
            email_coach: true,
            email_moderation: true,
        }
    }
}

impl Settings {
    fn wants_email(&self, kind: Kind) -> bool {
        match kind {
            Kind::Answer => self.email_answers,
            Kind::Accepted => self.email_accepted,
            Kind::Comment => self.email_comments,
            Kind::CoachReply => self.email_coach,
            Kind::Moderation => self.email_moderation,
            Kind::Assignment | Kind::Assigned => true,
            Kind::ReportResolved => self.email_moderation,
            // Trainers see lesson work on their start page; no e-mail for it.
            Kind::ReviewRequested | Kind::ChangesRequested | Kind::LessonPublished => false,
        }
    }
}

pub async fn settings(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Settings> {
    Ok(notification_setting::Entity::find()
        .filter(notification_setting::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .map_or_else(Settings::default, |s| Settings {
            email_answers: s.email_answers,
            email_accepted: s.email_accepted,
            email_comments: s.email_comments,
            email_coach: s.email_coach,
            email_moderation: s.email_moderation,
        }))
}

pub async fn save_settings(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    s: Settings,
) -> AppResult<()> {
    let user_id = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    notification_setting::Entity::insert(notification_setting::ActiveModel {
        user_id: Set(user_id),
        email_answers: Set(s.email_answers),
        email_accepted: Set(s.email_accepted),
        email_comments: Set(s.email_comments),
        email_coach: Set(s.email_coach),
        email_moderation: Set(s.email_moderation),
        ..Default::default()
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(notification_setting::Column::UserId)
            .update_columns([
                notification_setting::Column::EmailAnswers,
                notification_setting::Column::EmailAccepted,
                notification_setting::Column::EmailComments,
                notification_setting::Column::EmailCoach,
                notification_setting::Column::EmailModeration,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The viewer a user id would be, for checking what they may see.
pub async fn viewer_of(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Option<Viewer>> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(Viewer::User(
        crate::services::accounts::current_user(db, &u).await?,
    )))
}

/// Notifies `recipient` about `thread_id`, in the app and (if wanted) by e-mail, but only when
/// the recipient may see the thread. Nobody is notified about their own action.
pub async fn notify(
    db: &impl ConnectionTrait,
    actor_id: i64,
    recipient_id: i64,
    kind: Kind,
    thread_id: i64,
    answer_id: Option<i64>,
    public_url: &str,
) -> AppResult<()> {
    if actor_id == recipient_id {
        return Ok(());
    }
    let Some(recipient) = viewer_of(db, recipient_id).await? else {
        return Ok(());
    };
    let Some(t) = thread::Entity::find_by_id(thread_id).one(db).await? else {
        return Ok(());
    };
    if !policy::may_see_thread(&recipient, &ThreadFacts::of(&t)) {
        return Ok(());
    }
    let now = Utc::now();
    notification::ActiveModel {
        user_id: Set(recipient_id),
        kind: Set(kind.key().into()),
        thread_id: Set(Some(thread_id)),
        answer_id: Set(answer_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if settings(db, recipient_id).await?.wants_email(kind) {
        let email = recipient
            .user()
            .map(|u| u.email.clone())
            .unwrap_or_default();
        let link = format!("{}/threads/{thread_id}", public_url.trim_end_matches('/'));
        let body = format!(
            "Hallo,\n\nes gibt Neuigkeiten in der sellerbase-Community: {link}\n\nHello,\n\nthere is news for you in the sellerbase community: {link}\n\n\
             Du bekommst diese E-Mail, weil du Benachrichtigungen eingeschaltet hast. Einstellungen: {}/settings\n",
            public_url.trim_end_matches('/')
        );
        mail_outbox::ActiveModel {
            user_id: Set(Some(recipient_id)),
            to_email: Set(email),
            subject: Set(kind.subject().into()),
            body: Set(body),
            kind: Set(kind.key().into()),
            thread_id: Set(Some(thread_id)),
            status: Set("pending".into()),
            attempts: Set(0),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A notification as shown to its recipient.
#[derive(Clone, Debug)]
pub struct NotificationView {
    pub id: i64,
    pub kind: Kind,
    pub thread_id: Option<i64>,
    pub thread_title: Option<String>,
    /// For notifications about a lesson in review (trainers only): its id and working title.
    pub lesson_id: Option<i64>,
    pub lesson_title: Option<String>,
    pub answer_id: Option<i64>,
    pub read: bool,
    pub created_at: chrono::DateTime<Utc>,
}

fn visible_notifications(viewer: &Viewer, user_id: i64) -> sea_orm::Select<notification::Entity> {
    let visible_threads = thread::Entity::find()
        .select_only()
        .column(thread::Column::Id)
        .filter(policy::thread_condition(viewer))
        .into_query();
    // Lesson work (drafts in review) is for trainers only, also after a role change.
    let lessons = if policy::may_author_lessons(viewer) {
        sea_orm::Condition::all()
    } else {
        sea_orm::Condition::all().add(notification::Column::LessonId.is_null())
    };
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(lessons)
        .filter(
            sea_orm::Condition::any()
                .add(notification::Column::ThreadId.is_null())
                .add(notification::Column::ThreadId.in_subquery(visible_threads)),
        )
}

/// The newest notifications about threads the viewer may (still) see.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    limit: u64,
) -> AppResult<Vec<NotificationView>> {
    let user_id = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    let rows = visible_notifications(viewer, user_id)
        .order_by_desc(notification::Column::Id)
        .limit(limit.clamp(1, 100))
        .all(db)
        .await?;
    let thread_ids: Vec<i64> = rows.iter().filter_map(|n| n.thread_id).collect();
    let threads = thread::Entity::find()
        .filter(thread::Column::Id.is_in(thread_ids))
        .all(db)
        .await?;
    let lesson_ids: Vec<i64> = rows.iter().filter_map(|n| n.lesson_id).collect();
    let lessons = entity::lesson::Entity::find()
        .filter(entity::lesson::Column::Id.is_in(lesson_ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: Kind::from_key(&n.kind).unwrap_or(Kind::Answer),
            thread_title: n
                .thread_id
                .and_then(|id| threads.iter().find(|t| t.id == id))
                .map(|t| t.title.clone()),
            thread_id: n.thread_id,
            lesson_title: n
                .lesson_id
                .and_then(|id| lessons.iter().find(|l| l.id == id))
                .map(|l| l.title.clone()),
            lesson_id: n.lesson_id,
            answer_id: n.answer_id,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        })
        .collect())
}

/// Notifications of one kind about one thread, together: "3 new answers" instead of three
/// lines. Newest group first; read only when every notification in it is read.
#[derive(Clone, Debug)]
pub struct NotificationGroup {
    pub kind: Kind,
    pub thread_id: Option<i64>,
    pub lesson_id: Option<i64>,
    /// The thread's or the lesson's title.
    pub title: Option<String>,
    pub count: usize,
    pub read: bool,
    pub latest_at: chrono::DateTime<Utc>,
}

pub fn grouped(items: &[NotificationView]) -> Vec<NotificationGroup> {
    let mut out: Vec<NotificationGroup> = Vec::new();
    for n in items {
        // Notifications without a thread (assignments) stay one line each.
        let same = out.iter_mut().find(|g| {
            n.thread_id.is_some()
                && g.thread_id == n.thread_id
                && g.kind == n.kind
                && g.read == n.read
        });
        match same {
            Some(g) => g.count += 1,
            None => out.push(NotificationGroup {
                kind: n.kind,
                thread_id: n.thread_id,
                lesson_id: n.lesson_id,
                title: n.thread_title.clone().or_else(|| n.lesson_title.clone()),
                count: 1,
                read: n.read,
                latest_at: n.created_at,
            }),
        }
    }
    out
}

pub async fn unread_count(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<u64> {
    let user_id = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    Ok(visible_notifications(viewer, user_id)
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks the given notifications (or all, when `ids` is `None`) of the viewer read.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: Option<&[i64]>,
) -> AppResult<()> {
    let user_id = viewer.user().ok_or(AppError::Unauthenticated)?.id;
    let mut update = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        update = update.filter(notification::Column::Id.is_in(ids.to_vec()));
    }
    update.exec(db).await?;
    Ok(())
}

/// Opening a thread reads its notifications: marks the viewer's unread ones about it read and
/// returns how many.
pub async fn mark_thread_read(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    thread_id: i64,
) -> AppResult<u64> {
    let Some(user) = viewer.user() else {
        return Ok(0);
    };
    let done = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notification::Column::UserId.eq(user.id))
        .filter(notification::Column::ThreadId.eq(thread_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// Tells a trainer about work on a lesson (review requested, changes requested, published),
/// in the app only; nobody is told about their own action, and only trainers get these.
pub async fn notify_about_lesson(
    db: &impl ConnectionTrait,
    actor_id: i64,
    recipient_id: i64,
    kind: Kind,
    lesson_id: i64,
) -> AppResult<()> {
    if actor_id == recipient_id {
        return Ok(());
    }
    let Some(recipient) = viewer_of(db, recipient_id).await? else {
        return Ok(());
    };
    if !policy::may_author_lessons(&recipient) {
        return Ok(());
    }
    notification::ActiveModel {
        user_id: Set(recipient_id),
        kind: Set(kind.key().into()),
        lesson_id: Set(Some(lesson_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Tells a member about learning their company assigned them (in the app; the reminder before
/// the due date also comes by e-mail).
pub async fn notify_assigned(
    db: &impl ConnectionTrait,
    user_id: i64,
    assignment_id: i64,
) -> AppResult<()> {
    notification::ActiveModel {
        user_id: Set(user_id),
        kind: Set(Kind::Assigned.key().into()),
        answer_id: Set(Some(assignment_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reminds a member of assigned learning (no thread involved).
pub async fn notify_assignment(
    db: &impl ConnectionTrait,
    user_id: i64,
    assignment_id: i64,
    public_url: &str,
) -> AppResult<()> {
    let Some(recipient) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(());
    };
    let now = Utc::now();
    notification::ActiveModel {
        user_id: Set(user_id),
        kind: Set(Kind::Assignment.key().into()),
        thread_id: Set(None),
        answer_id: Set(Some(assignment_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let link = format!("{}/learning", public_url.trim_end_matches('/'));
    mail_outbox::ActiveModel {
        user_id: Set(Some(user_id)),
        to_email: Set(recipient.email),
        subject: Set(Kind::Assignment.subject().into()),
        body: Set(format!("Hallo,\n\neine Lernaufgabe ist bald fällig: {link}\n\nHello,\n\nassigned learning is due soon: {link}\n")),
        kind: Set(Kind::Assignment.key().into()),
        thread_id: Set(None),
        status: Set("pending".into()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
