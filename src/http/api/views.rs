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
        }
    }
}

/// A short confirmation.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MessageView {
    pub message: String,
}
