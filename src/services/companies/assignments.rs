//! Assigned learning: a company assigns a learning path or a lesson to a team or to members,
//! with a due date; members see what is assigned to them; reminders go out before the date.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

use entity::{
    assignment, assignment_reminder, learning_path, lesson, path_lesson, team, team_member, user,
};

use super::managed_company;
use crate::domain::Msg;
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;
use crate::services::learning;

/// What to assign, to whom, by when.
#[derive(Clone, Debug)]
pub struct AssignInput {
    pub path_id: Option<i64>,
    pub lesson_id: Option<i64>,
    pub team_id: Option<i64>,
    pub user_ids: Vec<i64>,
    pub due_on: NaiveDate,
}

pub async fn assign(
    db: &DatabaseConnection,
    viewer: &Viewer,
    org: Option<i64>,
    input: &AssignInput,
    today: NaiveDate,
) -> AppResult<Vec<i64>> {
    let org = managed_company(viewer, org)?;
    match (input.path_id, input.lesson_id) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(AppError::invalid("assign_path_or_lesson"));
        }
        (Some(p), None) => {
            learning_path::Entity::find_by_id(p)
                .one(db)
                .await?
                .ok_or_else(|| AppError::invalid("assign_no_such_path"))?;
        }
        (None, Some(l)) => {
            let l = lesson::Entity::find_by_id(l)
                .one(db)
                .await?
                .ok_or_else(|| AppError::invalid("assign_no_such_lesson"))?;
            if l.published_revision_id.is_none() {
                return Err(AppError::invalid("assign_unpublished_lesson"));
            }
        }
    }
    if input.due_on < today {
        return Err(AppError::invalid("assign_due_in_past"));
    }
    if input.team_id.is_none() && input.user_ids.is_empty() {
        return Err(AppError::invalid("assign_to_whom"));
    }
    if let Some(t) = input.team_id {
        team::Entity::find_by_id(t)
            .one(db)
            .await?
            .filter(|t| t.organization_id == org)
            .ok_or_else(|| AppError::invalid("assign_unknown_team"))?;
    }
    for u in &input.user_ids {
        user::Entity::find_by_id(*u)
            .one(db)
            .await?
            .filter(|x| x.organization_id == Some(org))
            .ok_or_else(|| AppError::Invalid(Msg::new("assign_not_a_member").arg("id", u)))?;
    }
    let txn = crate::db::begin_write(db).await?;
    let mut ids = Vec::new();
    let targets: Vec<(Option<i64>, Option<i64>)> = match input.team_id {
        Some(t) => vec![(Some(t), None)],
        None => input.user_ids.iter().map(|u| (None, Some(*u))).collect(),
    };
    for (team_id, user_id) in targets {
        let row = assignment::ActiveModel {
            organization_id: Set(org),
            path_id: Set(input.path_id),
            lesson_id: Set(input.lesson_id),
            team_id: Set(team_id),
            user_id: Set(user_id),
            due_on: Set(input.due_on),
            created_by: Set(viewer.user().map(|u| u.id)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for person in assignees(&txn, &row).await? {
            crate::services::notifications::notify_assigned(&txn, person, row.id).await?;
        }
        ids.push(row.id);
    }
    txn.commit().await?;
    Ok(ids)
}

/// The lesson ids an assignment asks for.
pub async fn lessons_of(db: &impl ConnectionTrait, a: &assignment::Model) -> AppResult<Vec<i64>> {
    match (a.path_id, a.lesson_id) {
        (Some(p), _) => Ok(path_lesson::Entity::find()
            .filter(path_lesson::Column::PathId.eq(p))
            .order_by_asc(path_lesson::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|pl| pl.lesson_id)
            .collect()),
        (None, Some(l)) => Ok(vec![l]),
        (None, None) => Ok(Vec::new()),
    }
}

/// The people an assignment is for.
pub async fn assignees(db: &impl ConnectionTrait, a: &assignment::Model) -> AppResult<Vec<i64>> {
    let ids = match (a.team_id, a.user_id) {
        (Some(t), _) => team_member::Entity::find()
            .filter(team_member::Column::TeamId.eq(t))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect(),
        (None, Some(u)) => vec![u],
        (None, None) => Vec::new(),
    };
    // Only people still in the company.
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::OrganizationId.eq(a.organization_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// One assignment of the viewer with their progress.
#[derive(Clone, Debug)]
pub struct MyAssignment {
    pub id: i64,
    pub title: String,
    pub path_slug: Option<String>,
    pub lesson_slug: Option<String>,
    pub due_on: NaiveDate,
    pub completed: usize,
    pub total: usize,
    pub overdue: bool,
}

pub async fn title_of(
    db: &impl ConnectionTrait,
    a: &assignment::Model,
) -> AppResult<(String, Option<String>, Option<String>)> {
    if let Some(p) = a.path_id {
        let p = learning_path::Entity::find_by_id(p).one(db).await?;
        return Ok(p.map_or((String::new(), None, None), |p| {
            (p.title, Some(p.slug), None)
        }));
    }
    if let Some(l) = a.lesson_id {
        let l = lesson::Entity::find_by_id(l).one(db).await?;
        return Ok(l.map_or((String::new(), None, None), |l| {
            (l.title, None, Some(l.slug))
        }));
    }
    Ok((String::new(), None, None))
}

/// What the viewer's company assigned to them, soonest due first.
pub async fn mine(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    today: NaiveDate,
) -> AppResult<Vec<MyAssignment>> {
    let me = viewer.user().ok_or(AppError::Unauthenticated)?;
    let Some(org) = me.organization_id else {
        return Ok(Vec::new());
    };
    let my_teams: Vec<i64> = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    let rows = assignment::Entity::find()
        .filter(assignment::Column::OrganizationId.eq(org))
        .filter(
            sea_orm::Condition::any()
                .add(assignment::Column::UserId.eq(me.id))
                .add(assignment::Column::TeamId.is_in(my_teams)),
        )
        .order_by_asc(assignment::Column::DueOn)
        .all(db)
        .await?;
    let done = learning::completed_ids(db, me.id).await?;
    let mut out = Vec::new();
    for a in rows {
        let lessons = lessons_of(db, &a).await?;
        let completed = lessons.iter().filter(|l| done.contains(l)).count();
        let (title, path_slug, lesson_slug) = title_of(db, &a).await?;
        out.push(MyAssignment {
            id: a.id,
            title,
            path_slug,
            lesson_slug,
            due_on: a.due_on,
            completed,
            total: lessons.len(),
            overdue: a.due_on < today && completed < lessons.len(),
        });
    }
    Ok(out)
}

/// How many days before the due date reminders go out.
pub const REMIND_DAYS: i64 = 2;

/// Sends one reminder per assignee for assignments due within `REMIND_DAYS` and not done yet.
/// Returns how many reminders were sent.
pub async fn send_reminders(
    db: &DatabaseConnection,
    today: NaiveDate,
    base_url: &str,
) -> AppResult<usize> {
    let due = assignment::Entity::find()
        .filter(assignment::Column::DueOn.lte(today + Duration::days(REMIND_DAYS)))
        .filter(assignment::Column::DueOn.gte(today))
        .all(db)
        .await?;
    let mut sent = 0;
    for a in due {
        let lessons = lessons_of(db, &a).await?;
        for user_id in assignees(db, &a).await? {
            let done = learning::completed_ids(db, user_id).await?;
            if lessons.iter().all(|l| done.contains(l)) {
                continue;
            }
            let inserted = assignment_reminder::Entity::insert(assignment_reminder::ActiveModel {
                assignment_id: Set(a.id),
                user_id: Set(user_id),
                sent_at: Set(Utc::now()),
                ..Default::default()
            })
            .on_conflict_do_nothing_on([
                assignment_reminder::Column::AssignmentId,
                assignment_reminder::Column::UserId,
            ])
            .exec(db)
            .await?;
            if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
                crate::services::notifications::notify_assignment(db, user_id, a.id, base_url)
                    .await?;
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Runs reminders every `interval` until the process ends.
pub async fn run_reminders(
    db: DatabaseConnection,
    base_url: String,
    interval: std::time::Duration,
) {
    loop {
        if let Err(e) = send_reminders(&db, Utc::now().date_naive(), &base_url).await {
            tracing::error!(error = %e, "assignment reminders failed");
        }
        tokio::time::sleep(interval).await;
    }
}
