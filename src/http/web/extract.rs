//! Extractors for what every page handler repeats: the signed-in viewer and the checked form.
//!
//! A handler that takes [`SignedIn`] runs only for a signed-in person; anybody else is sent to
//! the sign-in page, which comes back to this address. A handler that takes [`CsrfForm`] runs
//! only for a form that carries the page's anti-CSRF value; anything else is the 403 page.
//! Parameters are extracted in order, so `(SignedIn, CsrfForm<T>)` checks sign-in first and
//! `(CsrfForm<T>, SignedIn)` checks the form first. `SignedIn` comes after `Path` and `Query`,
//! so a malformed address is a 400 page for everybody, as it was before sign-in was asked.

use std::ops::{Deref, DerefMut};

use poem::http::StatusCode;
use poem::web::Form;
use poem::{FromRequest, Request, RequestBody};
use serde::de::DeserializeOwned;

use super::context::{PageContext, form_csrf_cookie};
use crate::services::accounts::CurrentUser;

/// The page context of a signed-in person.
pub struct SignedIn {
    ctx: PageContext,
    user: CurrentUser,
}

impl SignedIn {
    /// The context of a signed-in person, or the redirect to sign-in that comes back here.
    /// For handlers that must look at the request before asking (the multipart upload).
    pub fn check(ctx: PageContext) -> Result<Self, poem::Response> {
        match ctx.require_user() {
            Ok(user) => {
                let user = user.clone();
                Ok(Self { ctx, user })
            }
            Err(redirect) => Err(redirect),
        }
    }

    /// The signed-in person.
    pub fn user(&self) -> &CurrentUser {
        &self.user
    }
}

impl Deref for SignedIn {
    type Target = PageContext;

    fn deref(&self) -> &PageContext {
        &self.ctx
    }
}

impl DerefMut for SignedIn {
    fn deref_mut(&mut self) -> &mut PageContext {
        &mut self.ctx
    }
}

impl<'a> FromRequest<'a> for SignedIn {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let ctx = PageContext::from_request(req, body).await?;
        // The same redirect to `/login?next=…` the page gave when it checked by itself.
        Self::check(ctx).map_err(poem::Error::from_response)
    }
}

/// A form that carries the anti-CSRF value of the page it was sent from.
pub trait HasCsrf {
    /// The anti-CSRF value the form sent back (empty when it sent none).
    fn csrf(&self) -> &str;
}

/// Implements [`HasCsrf`] for form structs whose value is in a `csrf` field.
macro_rules! has_csrf {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::http::web::extract::HasCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(super) use has_csrf;

/// A url-encoded form as its name-value pairs, for forms that repeat a name (checkbox groups),
/// which a struct cannot express. An unreadable body is no pairs, so no anti-CSRF value.
pub struct FormPairs(pub Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for FormPairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Vec::deserialize(d).unwrap_or_default()))
    }
}

impl HasCsrf for FormPairs {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A url-encoded form whose anti-CSRF value matches the browser's; otherwise the handler does
/// not run and the answer is the 403 page (`error_csrf`). The value must come from the cookie
/// the page set: a form sent without that cookie is refused too.
pub struct CsrfForm<T>(pub T);

impl<'a, T: DeserializeOwned + HasCsrf + Send> FromRequest<'a> for CsrfForm<T> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        // The body is read here, once; the page context reads only the head of the request.
        let Form(form) = Form::<T>::from_request(req, body).await?;
        if csrf_matches(form_csrf_cookie(req).as_deref(), form.csrf()) {
            return Ok(Self(form));
        }
        let ctx = PageContext::from_request(req, &mut RequestBody::default()).await?;
        Err(poem::Error::from_response(
            ctx.error_page(StatusCode::FORBIDDEN, "error_csrf"),
        ))
    }
}

/// Whether a form's value matches the cookie: there must be a cookie, and the same value.
fn csrf_matches(cookie: Option<&str>, sent: &str) -> bool {
    cookie.is_some_and(|c| c == sent)
}

#[cfg(test)]
mod tests {
    use super::{FormPairs, HasCsrf, csrf_matches};

    #[test]
    fn a_form_needs_the_cookie_and_the_same_value() {
        let v = "a".repeat(64);
        assert!(csrf_matches(Some(&v), &v));
        assert!(!csrf_matches(Some(&v), &"b".repeat(64)));
        assert!(!csrf_matches(Some(&v), ""));
        assert!(!csrf_matches(None, ""));
        assert!(!csrf_matches(None, &v));
    }

    fn form_pairs(body: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str::<FormPairs>(body).map_or_else(|_| vec![], |p| p.0)
    }

    /// Moved here from the lesson pages with the parsing it tests.
    #[test]
    fn repeated_form_fields_are_all_kept() {
        let pairs = form_pairs("q_a=1&q_a=2&csrf=x%2By&t=a+b");
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[2], ("csrf".into(), "x+y".into()));
        assert_eq!(pairs[3], ("t".into(), "a b".into()));
        assert!(form_pairs("a=%zz&b").len() <= 2);
    }

    #[test]
    fn form_pairs_find_the_csrf_value_among_repeated_names() {
        let found = |body: &str| {
            serde_urlencoded::from_str::<FormPairs>(body)
                .map(|p| p.csrf().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(found("q=1&q=2&csrf=abc&q=3"), "abc");
        assert_eq!(found("q=1"), "");
    }
}
