//! The catalogue of every message the server writes for a person, in German and English
//! (`frontend/i18n/messages.{de,en}.toml`), and putting a `Msg` into words in one language.
//! `Display` of a `Msg` is English: logs, the command line and SCIM clients read that.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use crate::domain::{Arg, Locale, Msg};

const DE: &str = include_str!("../frontend/i18n/messages.de.toml");
const EN: &str = include_str!("../frontend/i18n/messages.en.toml");

type Texts = BTreeMap<String, String>;

struct Catalogue {
    de: Texts,
    en: Texts,
}

/// Parsed once; the files are compiled in, and a unit test proves that both parse.
static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    de: parse("messages.de.toml", DE),
    en: parse("messages.en.toml", EN),
});

fn parse(name: &str, text: &str) -> Texts {
    toml::from_str(text).unwrap_or_else(|e| {
        tracing::error!(file = name, error = %e, "the message catalogue does not parse");
        Texts::new()
    })
}

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::De => &CATALOGUE.de,
        Locale::En => &CATALOGUE.en,
    }
}

/// `msg` in words of `locale`, its `{name}` placeholders filled. A key missing from the
/// catalogue (a unit test prevents that) shows as the key rather than failing the request.
pub fn render(msg: &Msg, locale: Locale) -> String {
    let Some(template) = texts(locale).get(msg.key()) else {
        tracing::warn!(key = msg.key(), "message missing from the catalogue");
        return msg.key().to_owned();
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if msg.get(name).is_some() => {
                match msg.get(name) {
                    Some(Arg::Text(t)) => out.push_str(t),
                    Some(Arg::Msg(m)) => out.push_str(&render(m, locale)),
                    None => {}
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(self, Locale::En))
    }
}

#[cfg(test)]
mod tests;
