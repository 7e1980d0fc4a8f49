//! The security audit log: sign-ins, failed sign-ins, password resets, role changes, exports,
//! deletions and moderation. It records who did what to whom and from where, never what
//! anyone wrote, and only platform admins read it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use entity::security_event;

use crate::domain::Msg;
use crate::error::{AppError, AppResult};
use crate::policy::Viewer;

/// The kinds of security event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    SignIn,
    SignInFailed,
    PasswordResetRequested,
    PasswordReset,
    RoleChanged,
    Export,
    AccountDeleted,
    MemberRemoved,
    Moderation,
    StatusChanged,
}

impl Event {
    pub const ALL: [Self; 10] = [
        Self::SignIn,
        Self::SignInFailed,
        Self::PasswordResetRequested,
        Self::PasswordReset,
        Self::RoleChanged,
        Self::Export,
        Self::AccountDeleted,
        Self::MemberRemoved,
        Self::Moderation,
        Self::StatusChanged,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordReset => "password_reset",
            Self::RoleChanged => "role_changed",
            Self::Export => "export",
            Self::AccountDeleted => "account_deleted",
            Self::MemberRemoved => "member_removed",
            Self::Moderation => "moderation",
            Self::StatusChanged => "status_changed",
        }
    }

    pub fn parse(key: &str) -> AppResult<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.key() == key)
            .ok_or_else(|| AppError::Invalid(Msg::new("audit_kind_unknown").arg("kind", key)))
    }
}

/// One event to record.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    pub event: Event,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub client: Option<std::net::IpAddr>,
    /// Short and free of content: e.g. "member -> trainer", "hide thread 12".
    pub detail: &'a str,
}

impl<'a> Record<'a> {
    pub fn new(event: Event, actor: Option<i64>, subject: Option<i64>, detail: &'a str) -> Self {
        Self {
            event,
            actor,
            subject,
            client: None,
            detail,
        }
    }

    pub fn from(mut self, client: Option<std::net::IpAddr>) -> Self {
        self.client = client;
        self
    }
}

/// Writes an event, inside the caller's transaction when there is one.
pub async fn record(db: &impl ConnectionTrait, r: Record<'_>) -> AppResult<()> {
    security_event::ActiveModel {
        kind: Set(r.event.key().into()),
        actor_id: Set(r.actor),
        subject_id: Set(r.subject),
        client: Set(r.client.map(|c| c.to_string())),
        detail: Set(r.detail.chars().take(300).collect()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One event as platform admins read it.
#[derive(Clone, Debug)]
pub struct EventView {
    pub id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub client: Option<String>,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// The newest events first, optionally of one kind, before the cursor `before` (an event id).
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    kind: Option<Event>,
    before: Option<i64>,
    limit: u64,
) -> AppResult<Vec<EventView>> {
    crate::policy::may_administer_platform(viewer, Msg::new("what_read_security_log"))?;
    let mut q = security_event::Entity::find()
        .order_by_desc(security_event::Column::Id)
        .limit(limit.clamp(1, 200));
    if let Some(kind) = kind {
        q = q.filter(security_event::Column::Kind.eq(kind.key()));
    }
    if let Some(before) = before {
        q = q.filter(security_event::Column::Id.lt(before));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            kind: e.kind,
            actor_id: e.actor_id,
            subject_id: e.subject_id,
            client: e.client,
            detail: e.detail,
            at: e.created_at,
        })
        .collect())
}
