//! Company management, platform administration, the capabilities that drive the navigation,
//! and the k-anonymity of aggregates.

use super::{Viewer, may_author_lessons, may_browse_community, may_learn};
use crate::domain::Role;
use crate::error::AppResult;

/// The company the viewer may manage: their own as company admin, any as platform admin.
/// Another company's id answers as if it did not exist.
pub fn managed_company(viewer: &Viewer, requested: Option<i64>) -> AppResult<i64> {
    use crate::error::AppError;
    let u = viewer.user().ok_or(AppError::Unauthenticated)?;
    match (u.role, u.organization_id, requested) {
        (Role::CompanyAdmin, Some(own), None) => Ok(own),
        (Role::CompanyAdmin, Some(own), Some(r)) if r == own => Ok(own),
        (Role::PlatformAdmin, _, Some(r)) => Ok(r),
        (Role::CompanyAdmin, _, Some(_)) => Err(AppError::NotFound),
        _ => Err(AppError::forbidden("company_admins_only")),
    }
}

/// The company whose sensitive-names list (customers, projects, products) the viewer keeps:
/// their own, as its company admin. Not even a platform admin reads a company's list; another
/// company's id answers as if it did not exist. Members never read it either: their redaction
/// hints use it on the server (`may_get_hints`).
pub fn sensitive_names_company(viewer: &Viewer, requested: Option<i64>) -> AppResult<i64> {
    if viewer.is_platform_admin() {
        return Err(crate::error::AppError::forbidden(
            "sensitive_names_own_admins_only",
        ));
    }
    managed_company(viewer, requested)
}

/// What a viewer may reach, as one value: the navigation, the page controls and the API's
/// `/me` are built from it, so no template or handler decides by role itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Capabilities {
    /// Threads, tags, profiles, notifications.
    pub community: bool,
    /// Lessons, paths, own learning.
    pub learn: bool,
    /// The coaches-only queue.
    pub coach: bool,
    /// Writing and reviewing lessons, content gaps, synonyms.
    pub author_lessons: bool,
    /// Reports, moderation actions and their log.
    pub moderate: bool,
    /// Seats, invitations, teams, assignments and the learning dashboard of one company.
    pub manage_company: bool,
    /// Companies, roles and the security log.
    pub administer_platform: bool,
}

impl Capabilities {
    pub fn of(viewer: &Viewer) -> Self {
        if viewer.user().is_none() {
            return Self::default();
        }
        Self {
            community: may_browse_community(viewer).is_ok(),
            learn: may_learn(viewer),
            coach: viewer.is_coach(),
            author_lessons: may_author_lessons(viewer),
            moderate: viewer.is_moderator(),
            manage_company: viewer.role() == Some(Role::CompanyAdmin),
            administer_platform: viewer.is_platform_admin(),
        }
    }
}

/// Whether an account may be given `role`: a company admin manages their own company, so only
/// people of a company can be one.
pub fn may_hold_role(role: Role, organization_id: Option<i64>) -> bool {
    role != Role::CompanyAdmin || organization_id.is_some()
}

/// Whose learning progress a company's dashboard shows: its members' (the seats), never its
/// admins'. Never anything of the community.
pub fn company_sees_learning_of(role: Role) -> bool {
    role == Role::Member
}

/// Platform administration (the security log, role changes) is for platform admins only;
/// `what` completes the refusal: "only platform admins {what}".
pub fn may_administer_platform(
    viewer: &Viewer,
    what: crate::domain::Msg,
) -> Result<(), crate::error::AppError> {
    match viewer {
        Viewer::Anonymous => Err(crate::error::AppError::Unauthenticated),
        v if v.is_platform_admin() => Ok(()),
        _ => Err(crate::error::AppError::Forbidden(
            crate::domain::Msg::new("platform_admins_only").arg_msg("what", what),
        )),
    }
}

/// The fewest different people behind any figure that trainers or companies see about what
/// people did (content gaps): below it, a figure would be one person's behaviour.
pub const K_ANONYMITY: i64 = 3;
