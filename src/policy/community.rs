//! The community: who sees which thread, answer, comment and earlier version, who posts,
//! coaches and moderates, and the same rules as SQL conditions for lists and counts.

use super::Viewer;
use crate::domain::{Role, UserStatus};
use crate::error::AppResult;

/// The coach queue (questions for coaches only) is worked by trainers; returns the coach.
pub fn coach_id(viewer: &Viewer) -> AppResult<i64> {
    use crate::error::AppError;
    match viewer.user() {
        Some(u) if u.role == Role::Trainer => Ok(u.id),
        Some(_) => Err(AppError::forbidden("coach_queue_coaches_only")),
        None => Err(AppError::Unauthenticated),
    }
}

/// Moderation (the report queue, actions, the log) is for moderators; returns the moderator.
pub fn moderator_id(viewer: &Viewer) -> AppResult<i64> {
    use crate::error::AppError;
    match viewer.user() {
        Some(u) if viewer.is_moderator() => Ok(u.id),
        Some(_) => Err(AppError::forbidden("moderators_only")),
        None => Err(AppError::Unauthenticated),
    }
}

/// The coach queue: coaches-only questions the viewer may see (all of them, for a coach).
pub fn coach_queue_condition(viewer: &Viewer) -> sea_orm::Condition {
    use sea_orm::ColumnTrait;
    thread_condition(viewer).add(
        entity::thread::Column::Visibility.eq(crate::domain::community::Visibility::Coaches.key()),
    )
}

/// Whether a thread is a question for the coaches only (the only ones coaches claim).
pub fn is_coach_question(t: &ThreadFacts) -> bool {
    t.visibility == crate::domain::community::Visibility::Coaches
}

/// A reply in a coaches-only thread by a trainer is a coach's reply (its own notification).
pub fn is_coach_reply(viewer: &Viewer, t: &ThreadFacts) -> bool {
    is_coach_question(t) && viewer.is_coach()
}

/// Company admins are not part of the community: they have no public face, no profile and no
/// notifications of it.
pub fn has_community_face(role: Role) -> bool {
    role != Role::CompanyAdmin
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

/// Answers whose text a thread's search document carries: those everyone who may see the
/// thread may read (not hidden, not deleted). Hidden answers are never searchable.
pub fn searchable_answer_condition() -> sea_orm::Condition {
    answer_condition(&Viewer::Anonymous)
}

/// People shown with the coach badge next to their handle.
pub fn is_coach_role(role: Role) -> bool {
    role == Role::Trainer
}

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
        return Err(AppError::forbidden("company_admins_do_not_post"));
    }
    if u.status != UserStatus::Active {
        return Err(AppError::forbidden("suspended_cannot_post"));
    }
    if !u.email_verified {
        return Err(AppError::forbidden("confirm_email_first"));
    }
    Ok(())
}

/// Reading the community at all (lists, tags, profiles): everyone but company admins.
pub fn may_browse_community(viewer: &Viewer) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    match viewer.role() {
        None => Err(AppError::Unauthenticated),
        Some(Role::CompanyAdmin) => Err(AppError::forbidden("company_admins_no_community")),
        Some(_) => Ok(()),
    }
}

/// Redaction hints while writing: for whoever writes in the community. Unconfirmed and
/// suspended people get them too: the hints only read the person's own text.
pub fn may_get_hints(viewer: &Viewer) -> Result<(), crate::error::AppError> {
    may_browse_community(viewer)
}
