//! The access policy: the one place that decides who may see and do what.
//!
//! Every read of confidential content (lists, details, counts, search, suggestions,
//! notifications, e-mails, exports) asks this module. A resource the viewer may not see is
//! reported as not found.

use crate::domain::{Role, UserStatus};
use crate::services::accounts::CurrentUser;

/// Who is asking.
#[derive(Clone, Debug)]
pub enum Viewer {
    Anonymous,
    User(CurrentUser),
}

impl Viewer {
    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Self::Anonymous => None,
            Self::User(u) => Some(u),
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }

    /// Members, trainers and platform admins take part in the community. Company admins
    /// manage seats and learning and are deliberately kept out of every conversation.
    pub fn is_community_participant(&self) -> bool {
        matches!(
            self.role(),
            Some(Role::Member | Role::Trainer | Role::PlatformAdmin)
        )
    }

    /// Suspended accounts may read but not write.
    pub fn may_write(&self) -> bool {
        self.user().is_some_and(|u| u.status == UserStatus::Active)
    }

    pub fn is_trainer(&self) -> bool {
        matches!(self.role(), Some(Role::Trainer | Role::PlatformAdmin))
    }

    pub fn is_platform_admin(&self) -> bool {
        self.role() == Some(Role::PlatformAdmin)
    }
}

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
