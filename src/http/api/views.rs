//! Response shapes of the API, built from service types; entity models are never serialised.

use poem_openapi::Object;

use crate::services::accounts::CurrentUser;

/// The signed-in account, as its owner sees it.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MeView {
    pub id: i64,
    pub email: String,
    /// The pseudonym shown in the community.
    pub handle: String,
    pub display_name: Option<String>,
    /// `member`, `trainer`, `company_admin` or `platform_admin`.
    pub role: String,
    pub organization_id: Option<i64>,
    /// Preferred UI language, `de` or `en`.
    pub locale: Option<String>,
    /// Send as `X-CSRF-Token` with unsafe requests authenticated by the session cookie.
    pub csrf_token: String,
    /// What this account may reach (decided by the access policy; clients show only these).
    pub capabilities: CapabilitiesView,
}

/// `policy::Capabilities` as the API shows it.
#[derive(Object, Debug)]
pub struct CapabilitiesView {
    pub community: bool,
    pub learn: bool,
    pub coach: bool,
    pub author_lessons: bool,
    pub moderate: bool,
    pub manage_company: bool,
    pub administer_platform: bool,
}

impl From<crate::policy::Capabilities> for CapabilitiesView {
    fn from(c: crate::policy::Capabilities) -> Self {
        Self {
            community: c.community,
            learn: c.learn,
            coach: c.coach,
            author_lessons: c.author_lessons,
            moderate: c.moderate,
            manage_company: c.manage_company,
            administer_platform: c.administer_platform,
        }
    }
}

impl MeView {
    pub fn new(user: &CurrentUser, csrf_token: &str) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            handle: user.handle.clone(),
            display_name: user.display_name.clone(),
            role: user.role.key().to_owned(),
            organization_id: user.organization_id,
            locale: user.locale.map(|l| l.as_str().to_owned()),
            csrf_token: csrf_token.to_owned(),
            capabilities: crate::policy::Capabilities::of(&crate::policy::Viewer::User(
                user.clone(),
            ))
            .into(),
        }
    }
}

/// A short confirmation.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MessageView {
    pub message: String,
}
