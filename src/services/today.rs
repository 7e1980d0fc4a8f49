//! "Today": what needs the signed-in person now, gathered for the start page (and the API).
//! Every part comes from the service that owns it, so the same access rules apply.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::error::AppResult;
use crate::policy::{Capabilities, Viewer};
use crate::services::community::{coaching, moderation, threads};
use crate::services::companies::{assignments, dashboard};
use crate::services::learning;
use crate::services::lessons::{self, PublishedLesson, WorkingLesson};
use crate::services::notifications::{self, NotificationGroup};

/// How many of each kind the start page shows; the full lists are one tap away.
const SHOWN: usize = 5;

/// Work of a trainer: lessons waiting for review, coach questions, reports.
#[derive(Clone, Debug, Default)]
pub struct TrainerToday {
    pub in_review: Vec<WorkingLesson>,
    pub coach_questions: usize,
    pub open_reports: usize,
}

/// A company admin's glance at seats and learning.
#[derive(Clone, Debug, Default)]
pub struct CompanyToday {
    pub company: String,
    pub seats: i32,
    pub seats_used: u64,
    pub pending_invitations: usize,
    pub members_overdue: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Today {
    pub can: Capabilities,
    /// Unread notifications (answers to my questions, coach replies, …) grouped per thread,
    /// newest first.
    pub news: Vec<NotificationGroup>,
    pub unread: u64,
    pub due_reviews: u64,
    /// Assigned learning not yet completed, soonest due first.
    pub assignments: Vec<assignments::MyAssignment>,
    /// Lessons opened and not finished, most recent first.
    pub continue_reading: Vec<PublishedLesson>,
    /// My questions, newest first.
    pub my_questions: Vec<threads::ThreadSummary>,
    pub trainer: Option<TrainerToday>,
    pub company: Option<CompanyToday>,
}

pub async fn today(db: &impl ConnectionTrait, viewer: &Viewer, day: NaiveDate) -> AppResult<Today> {
    let can = Capabilities::of(viewer);
    let mut out = Today {
        can,
        ..Default::default()
    };
    if can.community {
        let unread: Vec<_> = notifications::list(db, viewer, 50)
            .await?
            .into_iter()
            .filter(|n| !n.read)
            .collect();
        out.news = notifications::grouped(&unread)
            .into_iter()
            .take(SHOWN)
            .collect();
        out.unread = notifications::unread_count(db, viewer).await?;
        let mine = threads::ListQuery {
            kind: threads::ListKind::Mine,
            limit: Some(SHOWN as u64),
            ..Default::default()
        };
        out.my_questions = threads::list(db, viewer, &mine).await?.0;
    }
    if can.learn {
        let learning = learning::my_learning(db, viewer, day).await?;
        out.due_reviews = learning.due_reviews;
        out.continue_reading = learning.in_progress.into_iter().take(3).collect();
        out.assignments = assignments::mine(db, viewer, day)
            .await?
            .into_iter()
            .filter(|a| a.completed < a.total)
            .take(SHOWN)
            .collect();
    }
    if can.author_lessons {
        let in_review = lessons::all_working(db, viewer)
            .await?
            .into_iter()
            .filter(|l| l.status == crate::policy::lesson_status::IN_REVIEW)
            .take(SHOWN)
            .collect();
        out.trainer = Some(TrainerToday {
            in_review,
            coach_questions: if can.coach {
                coaching::queue(db, viewer).await?.len()
            } else {
                0
            },
            open_reports: if can.moderate {
                moderation::queue(db, viewer).await?.len()
            } else {
                0
            },
        });
    }
    if can.manage_company {
        let d = dashboard::dashboard(db, viewer, None, day).await?;
        out.company = Some(CompanyToday {
            members_overdue: d.members.iter().filter(|m| m.overdue > 0).count(),
            company: d.company,
            seats: d.seats,
            seats_used: d.seats_used,
            pending_invitations: d.pending_invitations,
        });
    }
    Ok(out)
}
