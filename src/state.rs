//! Shared application state handed to every request.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::http::web::templates::Templates;
use crate::services::passwords::Hasher;
use crate::services::search::{SearchHandle, SearchLog};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub hasher: Hasher,
    pub templates: Arc<Templates>,
    pub search: SearchHandle,
    pub search_log: SearchLog,
    pub throttle: crate::services::throttle::Throttle,
    /// Sessions checked a moment ago, reused by reads.
    pub sessions: Arc<crate::services::session_cache::SessionCache>,
}
