//! Search over lessons and threads. The database is the source of truth; the index is derived
//! from it through the outbox and can be rebuilt at any time. Every query is filtered by the
//! principals the access policy gives the viewer.

pub mod documents;
pub mod follower;
pub mod handle;
pub mod log;
pub mod queries;

pub use handle::SearchHandle;
pub use log::SearchLog;
