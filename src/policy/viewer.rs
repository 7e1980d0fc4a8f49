//! Who is asking: the signed-in person as services see them, or nobody.

use super::is_coach_role;
use crate::domain::{Locale, Role, UserStatus};
use crate::error::AppResult;

/// The signed-in person as services see them; built from the row, never the row itself.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub locale: Option<Locale>,
    pub status: UserStatus,
    pub email_verified: bool,
    /// Every company the person ever belonged to, the current one included.
    pub org_history: Vec<i64>,
}

impl CurrentUser {
    /// `org_history`: the companies of the person's memberships (see `org_memberships`); the
    /// current company is added when missing.
    pub fn from_model(m: &entity::user::Model, mut org_history: Vec<i64>) -> AppResult<Self> {
        org_history.extend(m.organization_id);
        org_history.sort_unstable();
        org_history.dedup();
        let role = Role::from_key(&m.role)
            .ok_or_else(|| anyhow::anyhow!("user {} has unknown role {:?}", m.id, m.role))?;
        let status = UserStatus::from_key(&m.status)
            .ok_or_else(|| anyhow::anyhow!("user {} has unknown status {:?}", m.id, m.status))?;
        Ok(Self {
            id: m.id,
            email: m.email.clone(),
            handle: m.handle.clone(),
            display_name: m.display_name.clone(),
            role,
            organization_id: m.organization_id,
            locale: m.locale.as_deref().and_then(Locale::parse),
            status,
            email_verified: m.email_verified_at.is_some(),
            org_history,
        })
    }
}

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

    /// Coaches answer the coaches-only questions; that is a trainer's job.
    pub fn is_coach(&self) -> bool {
        self.role().is_some_and(is_coach_role)
    }

    pub fn is_platform_admin(&self) -> bool {
        self.role() == Some(Role::PlatformAdmin)
    }
}

impl Viewer {
    /// Trainers moderate; platform admins run the installation and moderate too.
    pub fn is_moderator(&self) -> bool {
        matches!(self.role(), Some(Role::Trainer | Role::PlatformAdmin))
    }
}
