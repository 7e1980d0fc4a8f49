//! Every failure of a page is a page: an unknown address, a malformed id, a wrong method, a
//! body too large or a server error answers with the layout, a message in the reader's
//! language and a way back, never poem's bare text.

use std::sync::Arc;

use poem::http::{Method, StatusCode, header};
use poem::{Endpoint, FromRequest, IntoResponse, Request, RequestBody, Response};

use super::PageContext;
use crate::state::AppState;

/// The catalogue key explaining `status` to a person.
fn message_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "error_forbidden",
        404 => "error_not_found",
        405 => "error_method",
        408 => "error_timeout",
        413 => "error_too_large",
        429 => "error_too_many",
        s if s >= 500 => "error_internal",
        _ => "error_bad_request",
    }
}

fn is_page(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("text/csv"))
}

pub async fn styled_errors<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let (uri, headers) = (req.uri().clone(), req.headers().clone());
    let state = req.data::<AppState>().cloned();
    let resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let status = resp.status();
    let Some(state) = state.filter(|_| status.is_client_error() || status.is_server_error()) else {
        return Ok(resp);
    };
    if is_page(&resp) {
        return Ok(resp);
    }
    // The page around the message needs the viewer and the language, as any page does.
    let mut page_req = Request::builder().method(Method::GET).uri(uri).finish();
    *page_req.headers_mut() = headers;
    page_req.extensions_mut().insert(state);
    let ctx = PageContext::from_request(&page_req, &mut RequestBody::default()).await?;
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), "page failed");
    }
    Ok(ctx.error_page(status, message_key(status)))
}
