//! Domain values parsed once at the edge ("parse, don't validate"); they import neither
//! the database nor HTTP types.

pub mod community;
mod email;
mod handle;
pub mod lesson;
mod locale;
pub mod message;
mod password;
mod role;
mod sensitive_names;
mod topic;

pub use email::Email;
pub use handle::Handle;
pub use locale::Locale;
pub use message::{Arg, Msg};
pub use password::Password;
pub use role::{Role, UserStatus};
pub use sensitive_names::SensitiveNames;
pub use topic::Topic;
