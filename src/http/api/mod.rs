//! The JSON API under `/api/v1`, described by an OpenAPI document.

mod admin;
mod auth;
mod care;
mod community;
pub mod community_views;
mod company;
mod hints;
mod learning;
pub mod lesson_views;
mod lessons;
mod paths;
mod search;
pub mod security;
pub mod views;

use poem_openapi::OpenApiService;

pub use admin::AdminApi;
pub use auth::AuthApi;
pub use care::CareApi;
pub use community::CommunityApi;
pub use company::CompanyApi;
pub use hints::HintsApi;
pub use learning::LearningApi;
pub use lessons::LessonsApi;
pub use paths::PathsApi;
pub use search::SearchApi;

/// Groups of operations in the document.
#[derive(poem_openapi::Tags)]
pub enum ApiTags {
    /// Registration, sign-in and sign-out.
    Auth,
    /// The signed-in account.
    Account,
    /// Bite-sized lessons: library, reading, authoring and review workflow.
    Lessons,
    /// Progress, knowledge checks, spaced review, bookmarks and ratings.
    Learning,
    /// Learning paths.
    Paths,
    /// The confidential Q&A: threads, answers, comments, votes, tags, profiles.
    Community,
    /// Coaching, moderation and notifications.
    Care,
    /// One search box over lessons and threads.
    Search,
    /// Companies: seats, invitations, teams, assignments, dashboard.
    Companies,
    /// Platform administration: security log and roles.
    Admin,
}

pub type Api = (
    AuthApi,
    LessonsApi,
    LearningApi,
    PathsApi,
    CommunityApi,
    HintsApi,
    CareApi,
    SearchApi,
    CompanyApi,
    AdminApi,
);

/// The API with its document; `public_url` becomes the server entry of the document.
pub fn service(public_url: Option<&str>) -> OpenApiService<Api, ()> {
    let server = match public_url {
        Some(url) => format!("{}/api/v1", url.trim_end_matches('/')),
        None => "/api/v1".to_owned(),
    };
    OpenApiService::new(
        (
            AuthApi,
            LessonsApi,
            LearningApi,
            PathsApi,
            CommunityApi,
            HintsApi,
            CareApi,
            SearchApi,
            CompanyApi,
            AdminApi,
        ),
        "sellerbase API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "JSON API of sellerbase. Errors always have the shape \
             `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`. Authenticate with the \
             session cookie (unsafe methods then need the `X-CSRF-Token` header) or with \
             `Authorization: Bearer <token>` from `POST /auth/login`.",
    )
    .server(server)
}
