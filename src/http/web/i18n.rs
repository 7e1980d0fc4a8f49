//! UI texts in German and English, from `frontend/i18n/*.toml`.

use std::collections::BTreeMap;

use anyhow::Context;

use crate::domain::Locale;

pub type Dictionary = BTreeMap<String, String>;

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/frontend/i18n"]
struct Texts;

/// Both dictionaries, loaded once at start.
pub struct Catalog {
    de: Dictionary,
    en: Dictionary,
}

impl Catalog {
    pub fn load() -> anyhow::Result<Self> {
        Ok(Self {
            de: load_one("de.toml")?,
            en: load_one("en.toml")?,
        })
    }

    pub fn dictionary(&self, locale: Locale) -> &Dictionary {
        match locale {
            Locale::De => &self.de,
            Locale::En => &self.en,
        }
    }
}

fn load_one(name: &str) -> anyhow::Result<Dictionary> {
    let file = Texts::get(name).with_context(|| format!("missing UI texts {name}"))?;
    let text = std::str::from_utf8(&file.data).with_context(|| format!("{name} is not UTF-8"))?;
    toml::from_str(text).with_context(|| format!("invalid UI texts {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_exactly_the_same_keys() {
        let c = Catalog::load().unwrap();
        let de: Vec<_> = c.de.keys().collect();
        let en: Vec<_> = c.en.keys().collect();
        assert_eq!(de, en, "de.toml and en.toml must define the same keys");
        assert!(
            c.de.values()
                .chain(c.en.values())
                .all(|v| !v.trim().is_empty())
        );
    }
}
