//! Database entities (sea-orm models), one module per table; nothing here is sent to clients.

pub mod organization;
pub mod session;
pub mod user;
