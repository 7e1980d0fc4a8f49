//! The start page.

use poem::http::StatusCode;
use poem::{Response, handler};

use super::PageContext;

#[handler]
pub async fn home(ctx: PageContext) -> Response {
    ctx.render(StatusCode::OK, "home.html", ())
}
