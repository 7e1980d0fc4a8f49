//! The company dashboard: seats, pending invitations, and learning progress on assigned
//! learning per team and per member, also as CSV. Nothing about the community: no posts, no
//! handles, no counts, no last-seen, no "active" flag.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use entity::{assignment, lesson_progress};

use super::{assignments, company, invitations, managed_company, members, seats_used, teams};
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;
use crate::services::audit::{self, Event, Record};

#[derive(Clone, Debug)]
pub struct MemberProgress {
    pub user_id: i64,
    pub email: String,
    pub name: Option<String>,
    pub teams: Vec<String>,
    pub assigned_lessons: usize,
    pub completed_lessons: usize,
    /// Share of knowledge-check questions answered right, over the assigned lessons checked.
    pub check_score: Option<f64>,
    pub overdue: usize,
}

#[derive(Clone, Debug)]
pub struct TeamProgress {
    pub name: String,
    pub members: usize,
    pub assigned_lessons: usize,
    pub completed_lessons: usize,
    pub overdue: usize,
}

#[derive(Clone, Debug)]
pub struct Dashboard {
    pub company: String,
    pub seats: i32,
    pub seats_used: u64,
    pub pending_invitations: usize,
    pub teams: Vec<TeamProgress>,
    pub members: Vec<MemberProgress>,
}

pub async fn dashboard(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let org = managed_company(viewer, org)?;
    let c = company(db, org).await?;
    let people = members::list(db, viewer, Some(org)).await?;
    let team_list = teams::list(db, viewer, Some(org)).await?;
    let all = assignment::Entity::find()
        .filter(assignment::Column::OrganizationId.eq(org))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?;
    let mut per_user: std::collections::HashMap<i64, Vec<(i64, NaiveDate)>> =
        std::collections::HashMap::new();
    for a in &all {
        let lessons = assignments::lessons_of(db, a).await?;
        for u in assignments::assignees(db, a).await? {
            let entry = per_user.entry(u).or_default();
            for l in &lessons {
                if !entry.iter().any(|(x, _)| x == l) {
                    entry.push((*l, a.due_on));
                }
            }
        }
    }
    let mut member_rows = Vec::new();
    for p in people
        .iter()
        .filter(|p| crate::policy::company_sees_learning_of(p.role))
    {
        let assigned = per_user.get(&p.id).cloned().unwrap_or_default();
        let progress = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.eq(p.id))
            .filter(
                lesson_progress::Column::LessonId
                    .is_in(assigned.iter().map(|(l, _)| *l).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        let completed: Vec<i64> = progress
            .iter()
            .filter(|x| x.completed_at.is_some())
            .map(|x| x.lesson_id)
            .collect();
        let (right, total) = progress.iter().fold((0, 0), |(r, t), x| {
            (
                r + x.check_correct.unwrap_or(0),
                t + x.check_total.unwrap_or(0),
            )
        });
        member_rows.push(MemberProgress {
            user_id: p.id,
            email: p.email.clone(),
            name: p.name.clone(),
            teams: team_list
                .iter()
                .filter(|(_, ids)| ids.contains(&p.id))
                .map(|(t, _)| t.name.clone())
                .collect(),
            assigned_lessons: assigned.len(),
            completed_lessons: completed.len(),
            check_score: (total > 0).then(|| f64::from(right) / f64::from(total)),
            overdue: assigned
                .iter()
                .filter(|(l, due)| *due < today && !completed.contains(l))
                .count(),
        });
    }
    let team_rows = team_list
        .iter()
        .map(|(t, ids)| {
            let rows: Vec<&MemberProgress> = member_rows
                .iter()
                .filter(|m| ids.contains(&m.user_id))
                .collect();
            TeamProgress {
                name: t.name.clone(),
                members: rows.len(),
                assigned_lessons: rows.iter().map(|m| m.assigned_lessons).sum(),
                completed_lessons: rows.iter().map(|m| m.completed_lessons).sum(),
                overdue: rows.iter().map(|m| m.overdue).sum(),
            }
        })
        .collect();
    let pending = invitations::pending(db, viewer, Some(org)).await?.len();
    Ok(Dashboard {
        company: c.name,
        seats: c.seat_count,
        seats_used: seats_used(db, org).await?,
        pending_invitations: pending,
        teams: team_rows,
        members: member_rows,
    })
}

/// A cell that a spreadsheet will not run as a formula.
fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// The per-member progress as a CSV download, recorded in the security log.
pub async fn export_csv(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    org: Option<i64>,
    today: NaiveDate,
) -> AppResult<String> {
    let d = dashboard(db, viewer, org, today).await?;
    let csv = to_csv(&d).map_err(AppError::Unexpected)?;
    let detail = format!("learning progress CSV of {}", d.company);
    let exported = Record::new(Event::Export, viewer.user().map(|u| u.id), None, &detail);
    audit::record(db, exported).await?;
    Ok(csv)
}

/// The per-member progress as CSV.
pub fn to_csv(d: &Dashboard) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "email",
        "name",
        "teams",
        "assigned_lessons",
        "completed_lessons",
        "check_score_percent",
        "overdue",
    ])?;
    for m in &d.members {
        w.write_record([
            cell(&m.email),
            cell(m.name.as_deref().unwrap_or_default()),
            cell(&m.teams.join(";")),
            m.assigned_lessons.to_string(),
            m.completed_lessons.to_string(),
            m.check_score
                .map(|s| format!("{:.0}", s * 100.0))
                .unwrap_or_default(),
            m.overdue.to_string(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
