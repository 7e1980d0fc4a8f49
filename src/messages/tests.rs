//! Checks that the catalogue and the code agree: every key the code uses exists in both
//! languages, no key exists in one language only or in no code, and each message's
//! placeholders are the same in German, in English and in the arguments the code passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{DE, EN, render};
use crate::domain::{Locale, Msg};

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                out.insert(name.to_owned());
            }
        }
    }
    out
}

/// Where the code names a message key, and the argument names chained onto `Msg::new(..)`
/// (`None` for the key-only helpers `AppError::invalid/conflict/forbidden`).
struct Use {
    file: String,
    key: String,
    args: Option<BTreeSet<String>>,
}

/// Reads a string literal starting at `s[0] == '"'`; returns its text and the rest.
fn literal(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix('"')?;
    let end = s.find('"')?;
    Some((&s[..end], &s[end + 1..]))
}

/// Skips to just after the `)` that closes an already opened `(`, minding strings.
fn skip_call(s: &str) -> &str {
    let mut depth = 1usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match (in_str, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_str = false,
            (true, _) => {}
            (false, '"') => in_str = true,
            (false, '(') => depth += 1,
            (false, ')') => {
                depth -= 1;
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

fn uses_in(file: &str, source: &str, out: &mut Vec<Use>) {
    for pattern in [
        "Msg::new(",
        "AppError::invalid(",
        "AppError::conflict(",
        "AppError::forbidden(",
    ] {
        for (at, _) in source.match_indices(pattern) {
            let after = source[at + pattern.len()..].trim_start();
            let Some((key, mut rest)) = literal(after) else {
                continue;
            };
            let args = (pattern == "Msg::new(").then(|| {
                let mut args = BTreeSet::new();
                rest = rest.trim_start().strip_prefix(')').unwrap_or(rest);
                loop {
                    let r = rest.trim_start();
                    let Some(call) = r
                        .strip_prefix(".arg(")
                        .or_else(|| r.strip_prefix(".arg_msg("))
                    else {
                        break;
                    };
                    if let Some((name, _)) = literal(call.trim_start()) {
                        args.insert(name.to_owned());
                    }
                    rest = skip_call(call);
                }
                args
            });
            out.push(Use {
                file: file.to_owned(),
                key: key.to_owned(),
                args,
            });
        }
    }
}

fn scan(dir: &Path, out: &mut Vec<Use>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.display().to_string();
            // The message type's own examples and these tests are not uses.
            if name.ends_with("domain/message.rs") || name.contains("messages") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            uses_in(&name, &source, out);
        }
    }
}

fn catalogue(text: &str) -> BTreeMap<String, String> {
    toml::from_str(text).unwrap()
}

fn code_uses() -> Vec<Use> {
    let mut uses = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut uses,
    );
    assert!(uses.len() > 100, "the scan found the code's messages");
    uses
}

#[test]
fn both_languages_have_the_same_keys_and_placeholders() {
    let (de, en) = (catalogue(DE), catalogue(EN));
    let only_de: Vec<_> = de.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !de.contains_key(*k)).collect();
    assert!(only_de.is_empty(), "only in messages.de.toml: {only_de:?}");
    assert!(only_en.is_empty(), "only in messages.en.toml: {only_en:?}");
    for (key, german) in &de {
        let english = &en[key];
        assert!(
            !german.trim().is_empty() && !english.trim().is_empty(),
            "{key} is empty"
        );
        assert_eq!(
            placeholders(german),
            placeholders(english),
            "{key}: the placeholders differ between German and English"
        );
    }
}

#[test]
fn every_key_the_code_uses_is_in_the_catalogue_with_its_arguments() {
    let en = catalogue(EN);
    let mut problems = Vec::new();
    for u in code_uses() {
        let Some(text) = en.get(&u.key) else {
            problems.push(format!("{}: {:?} is not in the catalogue", u.file, u.key));
            continue;
        };
        let wanted = placeholders(text);
        match &u.args {
            Some(args) if *args != wanted => problems.push(format!(
                "{}: {:?} gets arguments {args:?} but its text has {wanted:?}",
                u.file, u.key
            )),
            None if !wanted.is_empty() => problems.push(format!(
                "{}: {:?} needs arguments {wanted:?}; build it with Msg::new(..).arg(..)",
                u.file, u.key
            )),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_key_in_the_catalogue_is_used_by_the_code() {
    let used: BTreeSet<String> = code_uses().into_iter().map(|u| u.key).collect();
    let unused: Vec<_> = catalogue(EN)
        .into_keys()
        .filter(|k| !used.contains(k))
        .collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:?}");
}

#[test]
fn messages_are_put_into_words_in_the_chosen_language() {
    let m = Msg::new("field_too_long")
        .arg_msg("field", Msg::new("field_title"))
        .arg("max", 200)
        .arg("len", 250);
    assert_eq!(
        render(&m, Locale::En),
        "title must be at most 200 characters (has 250)"
    );
    let german = render(&m, Locale::De);
    assert!(
        german.contains("Titel") && german.contains("200"),
        "{german}"
    );
    assert!(!german.contains('{'), "{german}");
    assert_eq!(m.to_string(), render(&m, Locale::En), "Display is English");
    let unknown = Msg::new("no_such_key_anywhere");
    assert_eq!(render(&unknown, Locale::De), "no_such_key_anywhere");
}

#[test]
fn the_scan_finds_keys_and_the_arguments_chained_onto_them() {
    let source = r#"
        return Err(Msg::new("a_key")
            .arg("max", limit(1, ")"))
            .arg_msg("field", Msg::new("field_title")));
        let e = AppError::invalid("b_key");
        let not_a_use = Msg::new(variable);
    "#;
    let mut uses = Vec::new();
    uses_in("x.rs", source, &mut uses);
    let found: Vec<_> = uses
        .iter()
        .map(|u| {
            (
                u.key.as_str(),
                u.args.clone().map(|a| a.into_iter().collect::<Vec<_>>()),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("a_key", Some(vec!["field".to_owned(), "max".to_owned()])),
            ("field_title", Some(vec![])),
            ("b_key", None),
        ]
    );
}
