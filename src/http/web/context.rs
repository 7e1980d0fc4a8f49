//! What every page needs: the viewer, the language, the form anti-CSRF value, and rendering.

use poem::http::StatusCode;
use poem::web::{Query, Redirect};
use poem::{FromRequest, IntoResponse, Request, RequestBody, Response, handler};
use serde::{Deserialize, Serialize};

use crate::domain::Locale;
use crate::http::cookies;
use crate::policy::Viewer;
use crate::services::sessions::{self, ActiveSession};
use crate::services::tokens::random_token;
use crate::state::AppState;

/// Per-request page state, extracted before a page handler runs.
pub struct PageContext {
    pub state: AppState,
    pub session: Option<ActiveSession>,
    pub session_token: Option<String>,
    pub locale: Locale,
    pub csrf: String,
    new_csrf_cookie: bool,
    pub path: String,
    /// Unread notifications, for the badge in the navigation.
    pub unread: u64,
    /// The confirmation of the action that led here (a catalogue key), shown once.
    flash: Option<String>,
    pub client_ip: Option<std::net::IpAddr>,
}

impl<'a> FromRequest<'a> for PageContext {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let state = req
            .data::<AppState>()
            .cloned()
            .ok_or_else(|| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
        let session_token = cookies::read(req, cookies::SESSION).filter(|t| !t.is_empty());
        let session = match &session_token {
            Some(token) => {
                let cache = crate::http::middleware::is_read(req).then_some(&*state.sessions);
                sessions::resolve(&state.db, &state.settings.session, cache, token)
                    .await
                    .map_err(|e| {
                        tracing::error!(error = ?e, "session lookup failed");
                        poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
                    })?
            }
            None => None,
        };
        let locale = cookies::read(req, cookies::LANGUAGE)
            .as_deref()
            .and_then(Locale::parse)
            .or_else(|| session.as_ref().and_then(|s| s.user.locale))
            .or_else(|| {
                req.header("accept-language")
                    .and_then(Locale::from_accept_language)
            })
            .unwrap_or_default();
        let (csrf, new_csrf_cookie) = match form_csrf_cookie(req) {
            Some(v) => (v, false),
            None => (random_token(), true),
        };
        let unread = match &session {
            Some(s) => {
                let viewer = Viewer::User(s.user.clone());
                if crate::policy::Capabilities::of(&viewer).community {
                    crate::services::notifications::unread_count(&state.db, &viewer)
                        .await
                        .unwrap_or(0)
                } else {
                    0
                }
            }
            None => 0,
        };
        let flash = cookies::read(req, cookies::FLASH).filter(|k| {
            k.len() <= 40
                && k.starts_with("flash_")
                && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        });
        Ok(Self {
            flash,
            client_ip: req.remote_addr().as_socket_addr().map(|a| a.ip()),
            unread,
            state,
            session,
            session_token,
            locale,
            csrf,
            new_csrf_cookie,
            path: req.uri().path().to_owned(),
        })
    }
}

#[derive(Serialize)]
struct UserSummary<'a> {
    handle: &'a str,
}

impl PageContext {
    /// What the viewer may reach; the navigation and page controls follow it.
    pub fn can(&self) -> crate::policy::Capabilities {
        crate::policy::Capabilities::of(&self.viewer())
    }
}

impl PageContext {
    pub fn viewer(&self) -> Viewer {
        match &self.session {
            Some(s) => Viewer::User(s.user.clone()),
            None => Viewer::Anonymous,
        }
    }

    /// Checks the anti-CSRF value a form sent back (only the multipart upload still asks;
    /// url-encoded forms arrive through [`super::extract::CsrfForm`]).
    pub fn form_csrf_ok(&self, sent: &str) -> bool {
        !self.new_csrf_cookie && sent == self.csrf
    }

    /// Renders `template` inside the layout with `page` as its data.
    pub fn render(&self, status: StatusCode, template: &str, page: impl Serialize) -> Response {
        let user = self.session.as_ref().map(|s| UserSummary {
            handle: &s.user.handle,
        });
        let texts = self.state.templates.catalog.dictionary(self.locale);
        let flash = self.flash.as_ref().and_then(|k| texts.get(k));
        let ctx = minijinja::context! {
            flash => flash,
            t => texts,
            lang => self.locale.as_str(),
            csrf => &self.csrf,
            user => user,
            can => self.can(),
            path => &self.path,
            unread => self.unread,
            page => minijinja::Value::from_serialize(&page),
        };
        match self.state.templates.render(template, ctx) {
            Ok(html) => {
                let mut resp = poem::web::Html(html).with_status(status).into_response();
                if self.flash.is_some() {
                    let secure = self.state.settings.secure_cookies();
                    self.set_cookie(&mut resp, cookies::clear_flash(secure));
                }
                if self.new_csrf_cookie {
                    self.set_cookie(
                        &mut resp,
                        cookies::form_csrf(&self.csrf, self.state.settings.secure_cookies()),
                    );
                }
                resp
            }
            Err(e) => {
                tracing::error!(error = ?e, "page rendering failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    pub fn set_cookie(&self, resp: &mut Response, cookie: poem::web::cookie::Cookie) {
        if let Ok(v) = poem::http::HeaderValue::from_str(&cookie.to_string()) {
            resp.headers_mut().append(poem::http::header::SET_COOKIE, v);
        }
    }

    /// Renders a page that carries nothing of the viewer (no handle, no anti-CSRF value): only
    /// the texts in the page's language.
    pub fn render_standalone(&self, status: StatusCode, template: &str) -> Response {
        let ctx = minijinja::context! {
            t => self.state.templates.catalog.dictionary(self.locale),
            lang => self.locale.as_str(),
        };
        match self.state.templates.render(template, ctx) {
            Ok(html) => poem::web::Html(html).with_status(status).into_response(),
            Err(e) => {
                tracing::error!(error = ?e, "page rendering failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    /// Goes to `to` (303) and shows the confirmation `key` (a `flash_` catalogue key) there.
    pub fn redirect_with_flash(&self, to: &str, key: &str) -> Response {
        let mut resp = Redirect::see_other(to).into_response();
        let secure = self.state.settings.secure_cookies();
        self.set_cookie(&mut resp, cookies::flash(key, secure));
        resp
    }

    /// The signed-in user, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<&crate::services::accounts::CurrentUser, Response> {
        match &self.session {
            Some(s) => Ok(&s.user),
            None => {
                let next =
                    minijinja::filters::urlencode(&minijinja::Value::from(self.path.as_str()))
                        .unwrap_or_default();
                Err(Redirect::see_other(format!("/login?next={next}")).into_response())
            }
        }
    }

    /// The session's token for API calls made by page scripts (live preview).
    pub fn api_csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf_token.as_str())
    }

    /// Turns a service error into a page: sign-in, 404, 403, 400 with the reason, or 500.
    pub fn app_error(&self, e: crate::error::AppError) -> Response {
        use crate::error::AppError;
        match e {
            AppError::Unauthenticated => match self.require_user() {
                Err(redirect) => redirect,
                Ok(_) => self.error_page(StatusCode::FORBIDDEN, "error_forbidden"),
            },
            AppError::NotFound => self.error_page(StatusCode::NOT_FOUND, "error_not_found"),
            AppError::Forbidden(m) => self.message_page(StatusCode::FORBIDDEN, &self.msg(&m)),
            AppError::Invalid(m) => self.message_page(StatusCode::BAD_REQUEST, &self.msg(&m)),
            AppError::Conflict(m) => self.message_page(StatusCode::CONFLICT, &self.msg(&m)),
            AppError::BadCredentials => self.error_page(StatusCode::UNAUTHORIZED, "login_failed"),
            e @ AppError::RateLimited(_) => {
                self.message_page(StatusCode::TOO_MANY_REQUESTS, &self.msg(&e.message()))
            }
            AppError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "page failed");
                self.error_page(StatusCode::INTERNAL_SERVER_ERROR, "error_internal")
            }
        }
    }

    fn message_page(&self, status: StatusCode, message: &str) -> Response {
        self.render(
            status,
            "error.html",
            minijinja::context! { status => status.as_u16(), message },
        )
    }

    /// A server message (an error's reason, a notice) in the viewer's language.
    pub fn msg(&self, m: &crate::domain::Msg) -> String {
        crate::messages::render(m, self.locale)
    }

    /// The UI text `key` in the viewer's language.
    pub fn text(&self, key: &str) -> String {
        self.state
            .templates
            .catalog
            .dictionary(self.locale)
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// A page telling the user what went wrong, in their language.
    pub fn error_page(&self, status: StatusCode, message_key: &str) -> Response {
        let dict = self.state.templates.catalog.dictionary(self.locale);
        let message = dict
            .get(message_key)
            .cloned()
            .unwrap_or_else(|| message_key.to_owned());
        self.render(
            status,
            "error.html",
            minijinja::context! { status => status.as_u16(), message },
        )
    }
}

/// The form anti-CSRF value the browser holds, if it holds a well-formed one. A page without
/// it issues a new value, and a form sent without it is refused.
pub(super) fn form_csrf_cookie(req: &Request) -> Option<String> {
    cookies::read(req, cookies::FORM_CSRF).filter(|v| v.len() == 64)
}

/// Only local paths may be redirect targets, so links cannot bounce users elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    to: String,
    next: Option<String>,
}

/// Switches the UI language (cookie, and the profile when signed in), then goes back.
#[handler]
pub async fn switch_language(ctx: PageContext, Query(q): Query<LanguageQuery>) -> Response {
    let Some(locale) = Locale::parse(&q.to) else {
        return ctx.error_page(StatusCode::BAD_REQUEST, "error_bad_language");
    };
    if let Some(s) = &ctx.session
        && let Err(e) =
            crate::services::accounts::set_locale(&ctx.state.db, s.user.id, locale).await
    {
        tracing::error!(error = ?e, "storing the language failed");
    }
    let mut resp = Redirect::see_other(safe_next(q.next.as_deref())).into_response();
    ctx.set_cookie(
        &mut resp,
        cookies::language(locale.as_str(), ctx.state.settings.secure_cookies()),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(safe_next(Some("/lessons")), "/lessons");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
