//! Database entities (sea-orm models), one module per table; nothing here is sent to clients.

pub mod bookmark;
pub mod check_answer;
pub mod learning_path;
pub mod lesson;
pub mod lesson_progress;
pub mod lesson_rating;
pub mod lesson_revision;
pub mod organization;
pub mod path_follow;
pub mod path_lesson;
pub mod review_item;
pub mod session;
pub mod user;
