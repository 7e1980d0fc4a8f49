//! The access policy: the one place that decides who may see and do what.
//!
//! Every read of confidential content (lists, details, counts, search, suggestions,
//! notifications, e-mails, exports, navigation) asks this module. A resource the viewer may
//! not see is reported as not found. `docs/confidentiality.md` describes the model and its
//! tests.

mod admin;
mod community;
mod learning;
mod search;
mod viewer;

pub use admin::*;
pub use community::*;
pub use learning::*;
pub use search::*;
pub use viewer::*;

#[cfg(test)]
mod tests;
