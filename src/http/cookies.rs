//! The cookies the platform sets: the session (HttpOnly, SameSite=Lax, Secure over https),
//! the chosen language and the anti-CSRF value for forms.

use poem::web::cookie::{Cookie, SameSite};

pub const SESSION: &str = "sb_session";
pub const LANGUAGE: &str = "sb_lang";
pub const FORM_CSRF: &str = "sb_csrf";
/// The confirmation to show once on the page a form redirects to (a catalogue key).
pub const FLASH: &str = "sb_flash";

pub fn session(token: &str, secure: bool, max_age_hours: i64) -> Cookie {
    let mut c = Cookie::new_with_str(SESSION, token);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path("/");
    c.set_max_age(std::time::Duration::from_secs(
        max_age_hours.max(0) as u64 * 3600,
    ));
    c
}

pub fn clear_session(secure: bool) -> Cookie {
    let mut c = session("", secure, 0);
    c.make_removal();
    c
}

pub fn language(lang: &str, secure: bool) -> Cookie {
    let mut c = Cookie::new_with_str(LANGUAGE, lang);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path("/");
    c.set_max_age(std::time::Duration::from_secs(365 * 24 * 3600));
    c
}

pub fn form_csrf(value: &str, secure: bool) -> Cookie {
    let mut c = Cookie::new_with_str(FORM_CSRF, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_secure(secure);
    c.set_path("/");
    c
}

pub fn flash(key: &str, secure: bool) -> Cookie {
    let mut c = Cookie::new_with_str(FLASH, key);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path("/");
    c.set_max_age(std::time::Duration::from_secs(60));
    c
}

pub fn clear_flash(secure: bool) -> Cookie {
    let mut c = flash("", secure);
    c.make_removal();
    c
}

/// Reads one cookie from a raw `Cookie` header.
pub fn read(req: &poem::Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}
