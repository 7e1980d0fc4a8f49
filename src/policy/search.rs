//! The search index's side of the policy: the principals a viewer searches with and the
//! access tokens each document carries.

use super::{ThreadFacts, Viewer};
use crate::domain::Role;

/// The principals a viewer searches with; the index admits a document when they meet its
/// [`thread_acl`] or [`lesson_acl`]. Company admins carry no community principal at all.
pub fn search_principals(viewer: &Viewer) -> Vec<String> {
    let Some(u) = viewer.user() else {
        return Vec::new();
    };
    let mut out = vec!["signed-in".to_owned(), format!("user:{}", u.id)];
    match u.role {
        Role::Member => {
            out.push("role:member".into());
            for org in &u.org_history {
                out.push(format!("member-org:{org}"));
            }
        }
        Role::Trainer => out.push("role:trainer".into()),
        Role::PlatformAdmin => out.push("role:platform_admin".into()),
        Role::CompanyAdmin => {}
    }
    out
}

/// The same rule as [`may_see_thread`], written as index tokens (see `search_index::Acl`).
pub fn thread_acl(t: &ThreadFacts) -> search_index::Acl {
    use crate::domain::community::Visibility;
    let mut acl = search_index::Acl {
        strong: vec![format!("user:{}", t.author_id), "role:trainer".into()],
        ..Default::default()
    };
    if t.visibility != Visibility::Coaches {
        acl.strong.push("role:platform_admin".into());
        if !t.hidden {
            acl.weak.push("role:member".into());
        }
    }
    if t.visibility == Visibility::NotMyCompany {
        for org in &t.author_orgs {
            acl.deny.push(format!("member-org:{org}"));
        }
    }
    acl
}

/// Published lessons are for everyone signed in.
pub fn lesson_acl() -> search_index::Acl {
    search_index::Acl {
        weak: vec!["signed-in".into()],
        ..Default::default()
    }
}
