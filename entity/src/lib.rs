//! Database entities (sea-orm models), one module per table; nothing here is sent to clients.

pub mod answer;
pub mod answer_revision;
pub mod bookmark;
pub mod check_answer;
pub mod comment;
pub mod flag;
pub mod learning_path;
pub mod lesson;
pub mod lesson_progress;
pub mod lesson_rating;
pub mod lesson_revision;
pub mod mail_outbox;
pub mod moderation_log;
pub mod notification;
pub mod notification_setting;
pub mod organization;
pub mod path_follow;
pub mod path_lesson;
pub mod review_item;
pub mod search_outbox;
pub mod session;
pub mod thread;
pub mod thread_tag;
pub mod user;
pub mod vote;
