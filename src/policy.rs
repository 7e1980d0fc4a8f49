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
