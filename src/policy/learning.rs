//! Lessons and learning: who reads, writes and publishes lessons, and which are in the library.

use super::Viewer;

/// Workflow states of a lesson's working copy.
pub mod lesson_status {
    pub const DRAFT: &str = "draft";
    pub const IN_REVIEW: &str = "in_review";
    pub const PUBLISHED: &str = "published";
    pub const ARCHIVED: &str = "archived";
}

/// Members (and company admins, who assign learning) read a lesson's published revision while
/// it is not archived. Trainers also see working copies of every lesson.
pub fn may_read_published_lesson(viewer: &Viewer, status: &str, has_published: bool) -> bool {
    viewer.user().is_some() && has_published && status != lesson_status::ARCHIVED
        || viewer.is_trainer() && has_published
}

/// The published revision of every lesson in the library (published, not archived), as a
/// subquery: the SQL form of [`may_read_published_lesson`] for lists. Trainers reach archived
/// lessons through the editor, not the library.
pub fn library_revisions() -> sea_orm::sea_query::SelectStatement {
    use entity::lesson::{Column as L, Entity as Lessons};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let mut visible = Query::select();
    visible
        .column(L::PublishedRevisionId)
        .from(Lessons)
        .and_where(Expr::col(L::PublishedRevisionId).is_not_null())
        .and_where(Expr::col(L::Status).ne(lesson_status::ARCHIVED));
    visible
}

/// Whether a lesson is in the search index: a published revision of a lesson that is not
/// archived (every signed-in person may then find it, see [`lesson_acl`]).
pub fn lesson_is_searchable(status: &str, has_published: bool) -> bool {
    has_published && status != lesson_status::ARCHIVED
}

/// Only trainers (and platform admins) write and see working copies of lessons.
pub fn may_author_lessons(viewer: &Viewer) -> bool {
    viewer.is_trainer()
}

/// Reviewing means someone else looks at it: the author cannot approve their own lesson,
/// unless a platform admin does it.
pub fn may_publish_lesson(viewer: &Viewer, author_id: Option<i64>) -> bool {
    viewer.is_platform_admin() || (viewer.is_trainer() && viewer.user().map(|u| u.id) != author_id)
}

/// Learning records (progress, answers, bookmarks, ratings) belong to signed-in people.
pub fn may_learn(viewer: &Viewer) -> bool {
    viewer.user().is_some()
}

/// A step in a lesson's review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonAction {
    Submit,
    Publish,
    RequestChanges,
    Archive,
    Restore,
}

impl LessonAction {
    /// The path segment and form id of the step (`request-changes`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Publish => "publish",
            Self::RequestChanges => "request-changes",
            Self::Archive => "archive",
            Self::Restore => "restore",
        }
    }
}

/// The steps a viewer may take on a lesson in `status`: a draft is submitted, a lesson in
/// review is published or sent back by someone other than its author, anything but an
/// archived lesson can be archived, an archived one restored.
pub fn lesson_actions(viewer: &Viewer, status: &str, author_id: Option<i64>) -> Vec<LessonAction> {
    if !may_author_lessons(viewer) {
        return Vec::new();
    }
    let reviewer = may_publish_lesson(viewer, author_id);
    match status {
        lesson_status::DRAFT => vec![LessonAction::Submit, LessonAction::Archive],
        lesson_status::IN_REVIEW if reviewer => vec![
            LessonAction::Publish,
            LessonAction::RequestChanges,
            LessonAction::Archive,
        ],
        lesson_status::IN_REVIEW | lesson_status::PUBLISHED => vec![LessonAction::Archive],
        _ => vec![LessonAction::Restore],
    }
}

/// The accounts that review lessons (every trainer and platform admin who is active).
pub fn lesson_reviewer_condition() -> sea_orm::Condition {
    use crate::domain::{Role, UserStatus};
    use entity::user::Column as U;
    use sea_orm::ColumnTrait;
    sea_orm::Condition::all()
        .add(U::Role.is_in([Role::Trainer.key(), Role::PlatformAdmin.key()]))
        .add(U::Status.eq(UserStatus::Active.key()))
}
