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

/// Platform administration (the security log, role changes) is for platform admins only;
/// `what` completes the refusal: "only platform admins {what}".
pub fn may_administer_platform(viewer: &Viewer, what: &str) -> Result<(), crate::error::AppError> {
    match viewer {
        Viewer::Anonymous => Err(crate::error::AppError::Unauthenticated),
        v if v.is_platform_admin() => Ok(()),
        _ => Err(crate::error::AppError::Forbidden(format!(
            "only platform admins {what}"
        ))),
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

/// The facts about a thread that decide who may see it.
#[derive(Clone, Debug)]
pub struct ThreadFacts {
    pub author_id: i64,
    pub visibility: crate::domain::community::Visibility,
    /// The author's company when asking and now.
    pub asked_in_org_id: Option<i64>,
    pub author_org_id: Option<i64>,
    pub hidden: bool,
    pub deleted: bool,
}

impl ThreadFacts {
    pub fn of(t: &entity::thread::Model) -> Self {
        Self {
            author_id: t.author_id,
            visibility: crate::domain::community::Visibility::parse(&t.visibility)
                .unwrap_or(crate::domain::community::Visibility::Coaches),
            asked_in_org_id: t.asked_in_org_id,
            author_org_id: t.author_org_id,
            hidden: t.hidden,
            deleted: t.deleted_at.is_some(),
        }
    }
}

impl Viewer {
    /// Trainers moderate; platform admins run the installation and moderate too.
    pub fn is_moderator(&self) -> bool {
        matches!(self.role(), Some(Role::Trainer | Role::PlatformAdmin))
    }
}

/// THE rule of the community. Company admins never see any post; `coaches` threads are for
/// trainers and the author only; `not_my_company` threads are invisible to members of the
/// author's company (then and now); hidden posts only for moderators and the author;
/// deleted posts for nobody.
pub fn may_see_thread(viewer: &Viewer, t: &ThreadFacts) -> bool {
    use crate::domain::community::Visibility;
    let Some(u) = viewer.user() else { return false };
    if t.deleted {
        return false;
    }
    if u.id == t.author_id {
        return true;
    }
    match u.role {
        Role::CompanyAdmin => false,
        Role::Trainer => true,
        Role::PlatformAdmin => t.visibility != Visibility::Coaches,
        Role::Member => {
            !t.hidden
                && match t.visibility {
                    Visibility::Community => true,
                    Visibility::Coaches => false,
                    Visibility::NotMyCompany => match u.organization_id {
                        None => true,
                        Some(org) => t.asked_in_org_id != Some(org) && t.author_org_id != Some(org),
                    },
                }
        }
    }
}

/// The same rule as a SQL condition on the `threads` table, so that lists, counts and
/// pagination are filtered inside the query and never reveal a thread.
pub fn thread_condition(viewer: &Viewer) -> sea_orm::Condition {
    use entity::thread::Column as T;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, Condition};
    let nothing = Condition::all().add(Expr::val(1).eq(0));
    let Some(u) = viewer.user() else {
        return nothing;
    };
    let alive = T::DeletedAt.is_null();
    let own = T::AuthorId.eq(u.id);
    let rule = match u.role {
        Role::CompanyAdmin => return nothing,
        Role::Trainer => Condition::all(),
        Role::PlatformAdmin => Condition::all().add(T::Visibility.ne("coaches")),
        Role::Member => {
            let not_my_company = match u.organization_id {
                None => Condition::all().add(T::Visibility.eq("not_my_company")),
                Some(org) => Condition::all()
                    .add(T::Visibility.eq("not_my_company"))
                    .add(
                        Condition::any()
                            .add(T::AskedInOrgId.is_null())
                            .add(T::AskedInOrgId.ne(org)),
                    )
                    .add(
                        Condition::any()
                            .add(T::AuthorOrgId.is_null())
                            .add(T::AuthorOrgId.ne(org)),
                    ),
            };
            Condition::all().add(T::Hidden.eq(false)).add(
                Condition::any()
                    .add(T::Visibility.eq("community"))
                    .add(not_my_company),
            )
        }
    };
    Condition::all()
        .add(alive)
        .add(Condition::any().add(own).add(rule))
}

/// Hidden answers and comments are shown to moderators and their own author only.
pub fn may_see_post(viewer: &Viewer, author_id: i64, hidden: bool, deleted: bool) -> bool {
    !deleted
        && (!hidden || viewer.is_moderator() || viewer.user().is_some_and(|u| u.id == author_id))
}

/// Posting needs an active account that takes part in the community.
pub fn may_post(viewer: &Viewer) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    let Some(u) = viewer.user() else {
        return Err(AppError::Unauthenticated);
    };
    if u.role == Role::CompanyAdmin {
        return Err(AppError::Forbidden(
            "company admins manage seats and learning; they do not post in the community".into(),
        ));
    }
    if u.status != UserStatus::Active {
        return Err(AppError::Forbidden(
            "your account is suspended; you cannot post".into(),
        ));
    }
    if !u.email_verified {
        return Err(AppError::Forbidden(
            "confirm your e-mail address first: follow the link we sent you".into(),
        ));
    }
    Ok(())
}

/// Reading the community at all (lists, tags, profiles): everyone but company admins.
pub fn may_browse_community(viewer: &Viewer) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    match viewer.role() {
        None => Err(AppError::Unauthenticated),
        Some(Role::CompanyAdmin) => Err(AppError::Forbidden(
            "company admins do not see the community".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// The principals a viewer searches with; the index admits a document when they meet its
/// [`thread_acl`] or [`lesson_acl`]. Company admins carry no community principal at all.
pub fn search_principals(viewer: &Viewer) -> Vec<String> {
    let Some(u) = viewer.user() else {
        return Vec::new();
    };
    let mut out = vec!["signed-in".to_owned(), format!("user:{}", u.id)];
    match u.role {
        Role::Member => {
            out.push("role:member".into());
            if let Some(org) = u.organization_id {
                out.push(format!("member-org:{org}"));
            }
        }
        Role::Trainer => out.push("role:trainer".into()),
        Role::PlatformAdmin => out.push("role:platform_admin".into()),
        Role::CompanyAdmin => {}
    }
    out
}

/// The same rule as [`may_see_thread`], written as index tokens (see `search_index::Acl`).
pub fn thread_acl(t: &ThreadFacts) -> search_index::Acl {
    use crate::domain::community::Visibility;
    let mut acl = search_index::Acl {
        strong: vec![format!("user:{}", t.author_id), "role:trainer".into()],
        ..Default::default()
    };
    if t.visibility != Visibility::Coaches {
        acl.strong.push("role:platform_admin".into());
        if !t.hidden {
            acl.weak.push("role:member".into());
        }
    }
    if t.visibility == Visibility::NotMyCompany {
        for org in [t.asked_in_org_id, t.author_org_id].into_iter().flatten() {
            acl.deny.push(format!("member-org:{org}"));
        }
    }
    acl
}

/// Published lessons are for everyone signed in.
pub fn lesson_acl() -> search_index::Acl {
    search_index::Acl {
        weak: vec!["signed-in".into()],
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::community::Visibility;
    use crate::domain::{Role, UserStatus};
    use crate::services::accounts::CurrentUser;

    fn user(id: i64, role: Role, org: Option<i64>) -> Viewer {
        Viewer::User(CurrentUser {
            id,
            email: format!("{id}@x.de"),
            handle: format!("h{id}"),
            display_name: None,
            role,
            organization_id: org,
            locale: None,
            status: UserStatus::Active,
            email_verified: true,
        })
    }

    /// The index filter and the detail rule agree for every viewer and every kind of thread.
    #[test]
    fn the_search_acl_admits_exactly_whom_the_policy_admits() {
        let viewers = [
            Viewer::Anonymous,
            user(1, Role::Member, Some(10)),
            user(2, Role::Member, Some(10)),
            user(3, Role::Member, Some(20)),
            user(4, Role::Member, None),
            user(5, Role::CompanyAdmin, Some(10)),
            user(6, Role::Trainer, None),
            user(7, Role::PlatformAdmin, None),
        ];
        let mut checked = 0;
        for visibility in Visibility::ALL {
            for hidden in [false, true] {
                for (asked, now) in [
                    (Some(10), Some(10)),
                    (Some(10), Some(20)),
                    (None, Some(10)),
                    (None, None),
                ] {
                    let facts = ThreadFacts {
                        author_id: 1,
                        visibility,
                        asked_in_org_id: asked,
                        author_org_id: now,
                        hidden,
                        deleted: false,
                    };
                    let acl = thread_acl(&facts);
                    for v in &viewers {
                        assert_eq!(
                            acl.admits(&search_principals(v)),
                            may_see_thread(v, &facts),
                            "{v:?} on {facts:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 2 * 4 * 8);
    }

    #[test]
    fn lessons_are_found_by_everyone_signed_in_and_nobody_else() {
        assert!(lesson_acl().admits(&search_principals(&user(5, Role::CompanyAdmin, Some(1)))));
        assert!(!lesson_acl().admits(&search_principals(&Viewer::Anonymous)));
    }
}
