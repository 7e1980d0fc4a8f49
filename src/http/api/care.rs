//! Coaching, moderation, notifications and the own profile.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use super::community_views::*;
use super::security::Auth;
use super::views::MeView;
use crate::http::error::ApiResult;
use crate::services::accounts::{self, ProfileChanges};
use crate::services::community::coaching;
use crate::services::community::moderation::{self, Action, Target};
use crate::services::notifications::{self, Settings};
use crate::state::AppState;

pub struct CareApi;

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum CoachQueueResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<CoachQueueItemView>>),
}

#[derive(ApiResponse)]
enum FlagQueueResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<FlagQueueItemView>>),
}

#[derive(ApiResponse)]
enum LogResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<ModerationLogView>>),
}

#[derive(ApiResponse)]
enum NotificationsResponse {
    #[oai(status = 200)]
    Ok(Json<NotificationListView>),
}

#[derive(ApiResponse)]
enum SettingsResponse {
    #[oai(status = 200)]
    Ok(Json<NotificationSettingsView>),
}

#[derive(ApiResponse)]
enum MeResponse {
    #[oai(status = 200)]
    Ok(Json<MeView>),
}

fn settings_view(s: Settings) -> NotificationSettingsView {
    NotificationSettingsView {
        email_answers: s.email_answers,
        email_accepted: s.email_accepted,
        email_comments: s.email_comments,
        email_coach: s.email_coach,
        email_moderation: s.email_moderation,
    }
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Care")]
impl CareApi {
    /// Open coach questions, oldest first, with waiting time (coaches).
    #[oai(path = "/coach/queue", method = "get")]
    async fn coach_queue(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<CoachQueueResponse> {
        let items = coaching::queue(&state.db, &auth.viewer()).await?;
        Ok(CoachQueueResponse::Ok(Json(
            items
                .iter()
                .map(|i| CoachQueueItemView {
                    thread: (&i.thread).into(),
                    waiting_minutes: i.waiting_minutes,
                    claimed_by: i.claimed_by.clone(),
                })
                .collect(),
        )))
    }

    /// Claim a coach question.
    #[oai(path = "/coach/threads/:id/claim", method = "post")]
    async fn claim(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        coaching::claim(&state.db, &auth.viewer(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Close a handled coach question.
    #[oai(path = "/coach/threads/:id/close", method = "post")]
    async fn close(&self, state: Data<&AppState>, auth: Auth, id: Path<i64>) -> ApiResult<Done> {
        coaching::close(&state.db, &auth.viewer(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Report a post to the moderators.
    #[oai(path = "/flags", method = "post")]
    async fn flag(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<FlagRequest>,
    ) -> ApiResult<Done> {
        let target = Target::parse(&body.target, body.target_id)?;
        moderation::flag(&state.db, &auth.viewer(), target, &body.reason).await?;
        Ok(Done::NoContent)
    }

    /// Open reports, grouped by post (moderators).
    #[oai(path = "/moderation/queue", method = "get")]
    async fn moderation_queue(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<FlagQueueResponse> {
        let items = moderation::queue(&state.db, &auth.viewer()).await?;
        Ok(FlagQueueResponse::Ok(Json(
            items
                .into_iter()
                .map(|i| FlagQueueItemView {
                    target: i.target_kind,
                    target_id: i.target_id,
                    thread_id: i.thread_id,
                    thread_title: i.thread_title,
                    excerpt: i.excerpt,
                    hidden: i.hidden,
                    reasons: i.reasons,
                    first_reported: i.first_reported,
                })
                .collect(),
        )))
    }

    /// Hide, unhide, lock, unlock, delete or edit a post, or dismiss its reports
    /// (moderators). Logged with the reason; the author is told.
    #[oai(path = "/moderation/actions", method = "post")]
    async fn moderate(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ModerationRequest>,
    ) -> ApiResult<Done> {
        let target = Target::parse(&body.target, body.target_id)?;
        let action = Action::parse(&body.action, body.body.as_deref())?;
        moderation::act(
            &state.db,
            &auth.viewer(),
            target,
            action,
            &body.reason,
            &state.settings.base_url(),
        )
        .await?;
        Ok(Done::NoContent)
    }

    /// The moderation audit log, newest first (moderators).
    #[oai(path = "/moderation/log", method = "get")]
    async fn moderation_log(&self, state: Data<&AppState>, auth: Auth) -> ApiResult<LogResponse> {
        let rows = moderation::log(&state.db, &auth.viewer()).await?;
        Ok(LogResponse::Ok(Json(
            rows.into_iter()
                .map(|l| ModerationLogView {
                    moderator_id: l.moderator_id,
                    action: l.action,
                    target: l.target_kind,
                    target_id: l.target_id,
                    reason: l.reason,
                    created_at: l.created_at,
                })
                .collect(),
        )))
    }

    /// My notifications about threads I may see, newest first, with the unread count.
    #[oai(path = "/notifications", method = "get")]
    async fn notifications(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<NotificationsResponse> {
        let viewer = auth.viewer();
        let items = notifications::list(&state.db, &viewer, 50).await?;
        let unread = notifications::unread_count(&state.db, &viewer).await?;
        Ok(NotificationsResponse::Ok(Json(NotificationListView {
            unread,
            items: items
                .into_iter()
                .map(|n| NotificationOut {
                    id: n.id,
                    kind: n.kind.key().into(),
                    thread_id: n.thread_id,
                    thread_title: n.thread_title,
                    lesson_id: n.lesson_id,
                    lesson_title: n.lesson_title,
                    answer_id: n.answer_id,
                    read: n.read,
                    created_at: n.created_at,
                })
                .collect(),
        })))
    }

    /// Mark notifications read.
    #[oai(path = "/notifications/read", method = "post")]
    async fn mark_read(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<MarkReadRequest>,
    ) -> ApiResult<Done> {
        notifications::mark_read(&state.db, &auth.viewer(), body.ids.as_deref()).await?;
        Ok(Done::NoContent)
    }

    /// Which notifications also come by e-mail.
    #[oai(path = "/me/notification-settings", method = "get")]
    async fn get_settings(
        &self,
        state: Data<&AppState>,
        auth: Auth,
    ) -> ApiResult<SettingsResponse> {
        let s = notifications::settings(&state.db, auth.user_id()).await?;
        Ok(SettingsResponse::Ok(Json(settings_view(s))))
    }

    /// Change which notifications also come by e-mail.
    #[oai(path = "/me/notification-settings", method = "put")]
    async fn put_settings(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<NotificationSettingsView>,
    ) -> ApiResult<SettingsResponse> {
        let s = Settings {
            email_answers: body.email_answers,
            email_accepted: body.email_accepted,
            email_comments: body.email_comments,
            email_coach: body.email_coach,
            email_moderation: body.email_moderation,
        };
        notifications::save_settings(&state.db, &auth.viewer(), s).await?;
        Ok(SettingsResponse::Ok(Json(settings_view(s))))
    }

    /// Change how I appear: handle, real name and whether name and company are shown.
    #[oai(path = "/me/profile", method = "put", tag = "ApiTags::Account")]
    async fn profile(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<ProfileUpdate>,
    ) -> ApiResult<MeResponse> {
        let csrf = auth.csrf_token().to_owned();
        let changes = ProfileChanges {
            handle: body.handle.clone(),
            display_name: body.display_name.clone(),
            show_name: body.show_name,
            show_company: body.show_company,
            locale: body.locale.clone(),
        };
        let user = accounts::update_profile(&state.db, &auth.viewer(), changes).await?;
        Ok(MeResponse::Ok(Json(MeView::new(&user, &csrf))))
    }
}
