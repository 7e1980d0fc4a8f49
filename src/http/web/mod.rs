//! Server-rendered web pages (German and English), built on the same services as the API.

mod auth_pages;
mod context;
mod home;
pub mod i18n;
pub mod templates;

use poem::{Route, get, post};

pub use context::PageContext;

pub fn routes() -> Route {
    Route::new()
        .at("/", get(home::home))
        .at(
            "/login",
            get(auth_pages::login_form).post(auth_pages::login),
        )
        .at(
            "/register",
            get(auth_pages::register_form).post(auth_pages::register),
        )
        .at("/logout", post(auth_pages::logout))
        .at("/language", get(context::switch_language))
}
