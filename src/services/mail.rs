//! Delivering the mail outbox: by SMTP when configured, otherwise into `DATA_DIR/mail/` as
//! `.eml` files so the demo works offline. Before sending, the recipient's right to see the
//! thread is checked again; mail about a thread they can no longer see is dropped.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use entity::{mail_outbox, thread};

use crate::error::{AppError, AppResult};
use crate::policy::{self, ThreadFacts};
use crate::services::notifications::viewer_of;

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

impl Transport {
    /// SMTP from a URL such as `smtps://user:pass@mail.example.com` or
    /// `smtp://mail.example.com:587?tls=required`, else the local folder.
    pub fn from_settings(smtp_url: Option<&str>, folder: PathBuf) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) if !url.is_empty() => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            )),
            _ => Ok(Self::Folder(folder)),
        }
    }
}

/// Delivers up to 50 pending mails; returns how many were sent.
pub async fn deliver_pending(
    db: &DatabaseConnection,
    transport: &Transport,
    from: &str,
) -> AppResult<usize> {
    let pending = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq("pending"))
        .filter(mail_outbox::Column::Attempts.lt(5))
        .order_by_asc(mail_outbox::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut sent = 0;
    for mail in pending {
        // Several instances deliver the same outbox: whoever flips the row from pending to
        // sending owns it, so no mail goes out twice.
        let claimed = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::Status,
                sea_orm::sea_query::Expr::value("sending"),
            )
            .filter(mail_outbox::Column::Id.eq(mail.id))
            .filter(mail_outbox::Column::Status.eq("pending"))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        if !still_allowed(db, &mail).await? {
            let mut row: mail_outbox::ActiveModel = mail.into();
            row.status = Set("dropped".into());
            row.update(db).await?;
            continue;
        }
        let result = send(transport, from, &mail).await;
        let mut row: mail_outbox::ActiveModel = mail.clone().into();
        row.attempts = Set(mail.attempts + 1);
        match result {
            Ok(()) => {
                row.status = Set("sent".into());
                row.sent_at = Set(Some(Utc::now()));
                sent += 1;
            }
            Err(e) => {
                row.status = Set("pending".into());
                tracing::warn!(mail_id = mail.id, error = %e, "mail delivery failed");
                row.last_error = Set(Some(e.to_string().chars().take(900).collect()));
            }
        }
        row.update(db).await?;
    }
    Ok(sent)
}

async fn still_allowed(db: &DatabaseConnection, mail: &mail_outbox::Model) -> AppResult<bool> {
    let Some(thread_id) = mail.thread_id else {
        return Ok(true);
    };
    let Some(user_id) = mail.user_id else {
        return Ok(false);
    };
    let Some(recipient) = viewer_of(db, user_id).await? else {
        return Ok(false);
    };
    let Some(t) = thread::Entity::find_by_id(thread_id).one(db).await? else {
        return Ok(false);
    };
    Ok(policy::may_see_thread(&recipient, &ThreadFacts::of(&t)))
}

async fn send(transport: &Transport, from: &str, mail: &mail_outbox::Model) -> anyhow::Result<()> {
    let from: Mailbox = from.parse()?;
    let to: Mailbox = mail.to_email.parse()?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .body(mail.body.clone())?;
    match transport {
        Transport::Smtp(smtp) => {
            smtp.send(message).await?;
        }
        Transport::Folder(dir) => {
            tokio::fs::create_dir_all(dir).await?;
            tokio::fs::write(dir.join(format!("{:08}.eml", mail.id)), message.formatted()).await?;
        }
    }
    Ok(())
}

/// Runs forever, delivering every `interval`.
pub async fn run(db: DatabaseConnection, transport: Transport, from: String, interval: Duration) {
    loop {
        if let Err(e) = deliver_pending(&db, &transport, &from).await {
            match e {
                AppError::Unexpected(cause) => {
                    tracing::error!(error = ?cause, "mail outbox failed")
                }
                other => tracing::error!(error = %other, "mail outbox failed"),
            }
        }
        tokio::time::sleep(interval).await;
    }
}
