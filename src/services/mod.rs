//! Business rules. Services see neither poem nor HTML: the JSON API and the web pages both
//! call these functions.

pub mod accounts;
pub mod audit;
pub mod community;
pub mod companies;
pub mod demo;
pub mod hints;
pub mod learning;
pub mod lesson_files;
pub mod lesson_review;
pub mod lessons;
pub mod mail;
pub mod notifications;
pub mod outbox;
pub mod password_reset;
pub mod passwords;
pub mod paths;
pub mod people;
pub mod privacy;
pub mod search;
pub mod session_cache;
pub mod sessions;
pub mod throttle;
pub mod today;
pub mod tokens;
pub mod verification;
