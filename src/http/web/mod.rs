//! Server-rendered web pages (German and English), built on the same services as the API.

mod admin;
mod auth_pages;
mod care;
mod community;
mod company;
mod context;
mod errors;
mod extract;
pub mod format;
mod home;
pub mod i18n;
mod learning;
mod lessons;
mod password_pages;
mod search;
pub mod templates;
mod trainer;

use poem::{Endpoint, EndpointExt, Route, get, post};

pub use context::PageContext;
use extract::{CsrfForm, FormPairs, SignedIn, has_csrf};

pub fn routes() -> impl Endpoint {
    Route::new()
        .at("/", get(home::home))
        .at("/search", get(search::search))
        .at("/offline", get(home::offline))
        .at(
            "/admin/companies",
            get(admin::companies_page).post(admin::create_company),
        )
        .at("/admin/company-admins", post(admin::name_admin))
        .at("/admin/security", get(admin::security_page))
        .at("/company", get(company::overview))
        .at("/company/invite", post(company::invite))
        .at("/company/upload", post(company::upload))
        .at("/company/teams", post(company::create_team))
        .at("/company/team-members", post(company::add_to_team))
        .at("/company/assign", post(company::assign))
        .at("/company/remove", post(company::remove_member))
        .at("/company/revoke", post(company::revoke_invitation))
        .at(
            "/company/team-members/remove",
            post(company::remove_from_team),
        )
        .at("/company/progress.csv", get(company::dashboard_csv))
        .at(
            "/company/sensitive-names",
            post(company::save_sensitive_names),
        )
        .at(
            "/invitations/:token",
            get(company::invitation).post(company::accept),
        )
        .at("/verify/:token", get(company::verify))
        .at(
            "/password/forgot",
            get(password_pages::forgot_form).post(password_pages::forgot),
        )
        .at(
            "/password/reset/:token",
            get(password_pages::reset_form).post(password_pages::reset),
        )
        .at("/settings/export", get(care::export))
        .at("/settings/delete", post(care::delete_account))
        .at("/threads", get(community::list).post(community::ask))
        .at("/threads/new", get(community::ask_form))
        .at("/threads/:id", get(community::show))
        .at("/threads/:id/answers", post(community::answer))
        .at("/threads/:id/flag", post(community::flag))
        .at(
            "/threads/:id/answers/:answer_id/comments",
            post(community::comment),
        )
        .at(
            "/threads/:id/answers/:answer_id/helpful",
            post(community::vote),
        )
        .at(
            "/threads/:id/answers/:answer_id/accept",
            post(community::accept),
        )
        .at(
            "/answers/:id/edit",
            get(community::edit_answer_form).post(community::edit_answer),
        )
        .at("/tags", get(community::tags))
        .at("/u/:handle", get(community::profile))
        .at("/coach", get(care::coach_queue))
        .at("/coach/:id/:action", post(care::coach_action))
        .at(
            "/moderation",
            get(care::moderation_queue).post(care::moderate),
        )
        .at(
            "/notifications",
            get(care::notifications_page).post(care::notifications_read),
        )
        .at("/settings", get(care::settings).post(care::save_settings))
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
        .at("/lessons", get(lessons::library))
        .at("/lessons/:slug", get(lessons::show))
        .at("/lessons/:slug/check", post(lessons::check))
        .at("/lessons/:slug/complete", post(lessons::complete))
        .at("/lessons/:slug/bookmark", post(lessons::bookmark))
        .at("/lessons/:slug/rate", post(lessons::rate))
        .at("/learning", get(learning::my_learning))
        .at("/review", get(learning::review))
        .at("/review/:lesson_id/:key", post(learning::answer_review))
        .at("/paths", get(learning::path_list))
        .at("/paths/:slug", get(learning::path_show))
        .at("/paths/:slug/follow", post(learning::path_follow))
        .at(
            "/trainer/lessons",
            get(trainer::overview).post(trainer::create),
        )
        .at("/trainer/lessons/new", get(trainer::new_form))
        .at(
            "/trainer/lessons/:id/edit",
            get(trainer::edit_form).post(trainer::save),
        )
        .at("/trainer/lessons/:id/stats", get(trainer::stats))
        .at("/trainer/lessons/:id/:action", post(trainer::action))
        .around(errors::styled_errors)
}
