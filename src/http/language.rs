//! The language an API request's messages are written in: German when its `Accept-Language`
//! prefers German, English otherwise. Held for the duration of the request, so that every
//! error and notice the API builds (`ApiError`, validation messages) speaks it.

use std::future::Future;

use crate::domain::{Locale, Msg};

tokio::task_local! {
    static REQUEST_LOCALE: Locale;
}

/// The language of messages for a request with this `Accept-Language` header.
pub fn from_accept_language(header: Option<&str>) -> Locale {
    match header.and_then(Locale::from_accept_language) {
        Some(Locale::De) => Locale::De,
        _ => Locale::En,
    }
}

/// Runs `fut` (the rest of the request) with `locale` as the language of its messages.
pub async fn scope<F: Future>(locale: Locale, fut: F) -> F::Output {
    REQUEST_LOCALE.scope(locale, fut).await
}

/// The current request's language; English outside a request (machine clients, tests).
pub fn current() -> Locale {
    REQUEST_LOCALE.try_with(|l| *l).unwrap_or(Locale::En)
}

/// `msg` in words of the current request's language.
pub fn words(msg: &Msg) -> String {
    crate::messages::render(msg, current())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_only_when_the_client_prefers_it() {
        assert_eq!(from_accept_language(Some("de-DE,de;q=0.9")), Locale::De);
        assert_eq!(from_accept_language(Some("en-US,de;q=0.5")), Locale::En);
        assert_eq!(from_accept_language(Some("fr")), Locale::En);
        assert_eq!(from_accept_language(None), Locale::En);
    }

    #[tokio::test]
    async fn messages_speak_the_language_of_their_request() {
        let m = Msg::new("not_found");
        let german = scope(Locale::De, async { words(&m) }).await;
        assert_eq!(german, crate::messages::render(&m, Locale::De));
        assert_eq!(words(&m), crate::messages::render(&m, Locale::En));
    }
}
