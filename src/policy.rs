//! The access policy: the one place that decides who may see and do what.
//!
//! Every read of confidential content (lists, details, counts, search, suggestions,
//! notifications, e-mails, exports) asks this module. A resource the viewer may not see is
//! reported as not found.

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
        self.role() == Some(Role::Trainer)
    }

    pub fn is_platform_admin(&self) -> bool {
        self.role() == Some(Role::PlatformAdmin)
    }
}

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
        _ => Err(AppError::Forbidden(
            "only company admins manage a company".into(),
        )),
    }
}

/// The coach queue (questions for coaches only) is worked by trainers; returns the coach.
pub fn coach_id(viewer: &Viewer) -> AppResult<i64> {
    use crate::error::AppError;
    match viewer.user() {
        Some(u) if u.role == Role::Trainer => Ok(u.id),
        Some(_) => Err(AppError::Forbidden(
            "only coaches see the coach queue".into(),
        )),
        None => Err(AppError::Unauthenticated),
    }
}

/// Moderation (the report queue, actions, the log) is for moderators; returns the moderator.
pub fn moderator_id(viewer: &Viewer) -> AppResult<i64> {
    use crate::error::AppError;
    match viewer.user() {
        Some(u) if viewer.is_moderator() => Ok(u.id),
        Some(_) => Err(AppError::Forbidden("only moderators do this".into())),
        None => Err(AppError::Unauthenticated),
    }
}

/// A reply in a coaches-only thread by a trainer is a coach's reply (its own notification).
pub fn is_coach_reply(viewer: &Viewer, t: &ThreadFacts) -> bool {
    t.visibility == crate::domain::community::Visibility::Coaches && viewer.is_coach()
}

/// Company admins are not part of the community: they have no public face, no profile and no
/// notifications of it.
pub fn has_community_face(role: Role) -> bool {
    role != Role::CompanyAdmin
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
    /// Every company the author belonged to from asking on (`threads.author_orgs`).
    pub author_orgs: Vec<i64>,
    pub hidden: bool,
    pub deleted: bool,
}

impl ThreadFacts {
    pub fn of(t: &entity::thread::Model) -> Self {
        Self {
            author_id: t.author_id,
            visibility: crate::domain::community::Visibility::parse(&t.visibility)
                .unwrap_or(crate::domain::community::Visibility::Coaches),
            author_orgs: parse_org_set(&t.author_orgs),
            hidden: t.hidden,
            deleted: t.deleted_at.is_some(),
        }
    }
}

/// A set of companies as stored in a column: `,3,17,` (empty: none). The commas on both sides
/// let SQL test membership with one `LIKE '%,3,%'`.
pub fn parse_org_set(stored: &str) -> Vec<i64> {
    stored.split(',').filter_map(|p| p.parse().ok()).collect()
}

/// `orgs` as stored in a column; see [`parse_org_set`].
pub fn format_org_set(orgs: &[i64]) -> String {
    let mut sorted = orgs.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = sorted.iter().map(i64::to_string).collect();
    format!(",{},", inner.join(","))
}

impl Viewer {
    /// Trainers moderate; platform admins run the installation and moderate too.
    pub fn is_moderator(&self) -> bool {
        matches!(self.role(), Some(Role::Trainer | Role::PlatformAdmin))
    }
}

/// THE rule of the community. Company admins never see any post; `coaches` threads are for
/// trainers and the author only; `not_my_company` threads are invisible to everyone who ever
/// belonged to a company the author belonged to from asking on (colleagues then, now, and
/// those who left since: see `docs/confidentiality.md`); hidden posts only for moderators and
/// the author; deleted posts for nobody.
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
                    Visibility::NotMyCompany => {
                        !u.org_history.iter().any(|o| t.author_orgs.contains(o))
                    }
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
            let mut not_my_company = Condition::all().add(T::Visibility.eq("not_my_company"));
            for org in &u.org_history {
                not_my_company = not_my_company.add(T::AuthorOrgs.not_like(format!("%,{org},%")));
            }
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

/// [`may_see_post`] as a SQL condition on the `answers` table: every count of answers (per
/// thread, "unanswered", profiles) counts what this viewer would see in the thread.
pub fn answer_condition(viewer: &Viewer) -> sea_orm::Condition {
    use entity::answer::Column as A;
    use sea_orm::{ColumnTrait, Condition};
    let alive = Condition::all().add(A::DeletedAt.is_null());
    if viewer.is_moderator() {
        return alive;
    }
    let mut shown = Condition::any().add(A::Hidden.eq(false));
    if let Some(u) = viewer.user() {
        shown = shown.add(A::AuthorId.eq(u.id));
    }
    alive.add(shown)
}

/// The fewest different people behind any figure that trainers or companies see about what
/// people did (content gaps): below it, a figure would be one person's behaviour.
pub const K_ANONYMITY: i64 = 3;

/// Earlier versions of a post are for its author and the moderators: an edit often removes
/// what its author regrets having written.
pub fn may_see_revisions(viewer: &Viewer, author_id: i64) -> bool {
    viewer.is_moderator() || viewer.user().is_some_and(|u| u.id == author_id)
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
            for org in &u.org_history {
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
        for org in &t.author_orgs {
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

    fn user(id: i64, role: Role, org: Option<i64>) -> Viewer {
        user_with_history(id, role, org, org.into_iter().collect())
    }

    fn user_with_history(id: i64, role: Role, org: Option<i64>, history: Vec<i64>) -> Viewer {
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
            org_history: history,
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
            // Left company 10 for 20; left company 30 and is on their own now.
            user_with_history(8, Role::Member, Some(20), vec![10, 20]),
            user_with_history(9, Role::Member, None, vec![30]),
        ];
        let mut checked = 0;
        for visibility in Visibility::ALL {
            for hidden in [false, true] {
                for author_orgs in [vec![10], vec![10, 20], vec![30], vec![]] {
                    let facts = ThreadFacts {
                        author_id: 1,
                        visibility,
                        author_orgs,
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
        assert_eq!(checked, 3 * 2 * 4 * 10);
    }

    /// A former colleague stays excluded from "hidden from my company", whatever company they
    /// are in now; members of other companies see it.
    #[test]
    fn former_colleagues_never_see_a_not_my_company_thread() {
        let facts = ThreadFacts {
            author_id: 1,
            visibility: Visibility::NotMyCompany,
            author_orgs: vec![10],
            hidden: false,
            deleted: false,
        };
        let left_for_other = user_with_history(2, Role::Member, Some(20), vec![10, 20]);
        let left_alone = user_with_history(3, Role::Member, None, vec![10]);
        let stranger = user_with_history(4, Role::Member, Some(20), vec![20]);
        assert!(!may_see_thread(&left_for_other, &facts));
        assert!(!may_see_thread(&left_alone, &facts));
        assert!(may_see_thread(&stranger, &facts));
    }

    /// The navigation of each role, as the policy computes it.
    #[test]
    fn capabilities_follow_the_roles() {
        let of = |role| Capabilities::of(&user(1, role, Some(3)));
        let c = of(Role::Member);
        assert!(c.community && c.learn && !c.coach && !c.moderate && !c.author_lessons);
        assert!(!c.manage_company && !c.administer_platform);
        let c = of(Role::CompanyAdmin);
        assert!(
            !c.community && !c.coach && !c.moderate,
            "company admins see no community"
        );
        assert!(c.learn && c.manage_company && !c.administer_platform);
        let c = of(Role::Trainer);
        assert!(c.community && c.coach && c.moderate && c.author_lessons);
        assert!(!c.manage_company && !c.administer_platform);
        let c = of(Role::PlatformAdmin);
        assert!(c.community && !c.coach && c.moderate && c.author_lessons);
        assert!(c.administer_platform && !c.manage_company);
        assert_eq!(
            Capabilities::of(&Viewer::Anonymous),
            Capabilities::default()
        );
    }

    #[test]
    fn org_sets_round_trip_through_their_column_form() {
        assert_eq!(format_org_set(&[17, 3, 3]), ",3,17,");
        assert_eq!(parse_org_set(",3,17,"), vec![3, 17]);
        assert_eq!(format_org_set(&[]), "");
        assert!(parse_org_set("").is_empty());
    }

    #[test]
    fn lessons_are_found_by_everyone_signed_in_and_nobody_else() {
        assert!(lesson_acl().admits(&search_principals(&user(5, Role::CompanyAdmin, Some(1)))));
        assert!(!lesson_acl().admits(&search_principals(&Viewer::Anonymous)));
    }
}
