//! A member's public face in the community: persona and activity, filtered by the same access
//! policy as everything else, so a profile never reveals a thread its viewer may not see.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use entity::{answer, thread, user};

use super::threads::{self, ThreadSummary};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Viewer};
use crate::services::people::{self, Persona};

#[derive(Clone, Debug)]
pub struct Profile {
    pub persona: Persona,
    pub threads: Vec<ThreadSummary>,
    /// Threads the person answered, as far as the viewer may see them and the answer.
    pub answered: Vec<ThreadSummary>,
}

pub async fn profile(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    handle: &str,
) -> AppResult<Profile> {
    policy::may_browse_community(viewer).map_err(|_| AppError::NotFound)?;
    let u = user::Entity::find()
        .filter(user::Column::Handle.eq(handle))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // Company admins are not part of the community; they have no public face.
    if !Role::from_key(&u.role).is_some_and(policy::has_community_face) {
        return Err(AppError::NotFound);
    }
    let persona = people::personas(db, &[u.id])
        .await?
        .remove(&u.id)
        .ok_or(AppError::NotFound)?;
    let own = thread::Entity::find()
        .filter(policy::thread_condition(viewer))
        .filter(thread::Column::AuthorId.eq(u.id))
        .order_by_desc(thread::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let answered_ids = answer::Entity::find()
        .select_only()
        .column(answer::Column::ThreadId)
        .filter(answer::Column::AuthorId.eq(u.id))
        .filter(policy::answer_condition(viewer))
        .into_query();
    let answered = thread::Entity::find()
        .filter(policy::thread_condition(viewer))
        .filter(thread::Column::Id.in_subquery(answered_ids))
        .order_by_desc(thread::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    Ok(Profile {
        persona,
        threads: threads::summaries(db, viewer, own).await?,
        answered: threads::summaries(db, viewer, answered).await?,
    })
}
