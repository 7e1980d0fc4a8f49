//! Business rules. Services see neither poem nor HTML: the JSON API and the web pages both
//! call these functions.

pub mod accounts;
pub mod demo;
pub mod passwords;
pub mod sessions;
pub mod tokens;
