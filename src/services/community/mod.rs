//! The confidential Q&A. Every read goes through `policy`: lists and counts filter inside the
//! query, details answer "not found" for what the viewer may not see.

pub mod answers;
pub mod coaching;
pub mod moderation;
pub mod profiles;
pub mod threads;
