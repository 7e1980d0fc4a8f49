//! Names: people after a salutation or title ("Herr Schulze", "Frau Prof. Dr. Hübner",
//! "Mr. O'Brien"), companies with a legal form ("Kessler Maschinenbau GmbH & Co. KG",
//! "Acme Widgets Inc."), and the entries of the company's sensitive-names list.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::Span;
use super::patterns::pattern;
use super::words;

/// A salutation or academic title, as a whole word.
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?-u:\b)(?:Herrn|Herr|Frau|Mrs|Mr|Ms|Miss|Prof|Dr\.-Ing|Dr)(?-u:\b)\.?")
});

/// A title between the salutation and the name ("Herr Prof. Lindqvist", "Herrn Dipl.-Ing.
/// Weber").
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:Dr\.-Ing\.|Dipl\.-\p{L}+\.|Mag\.|Ing\.|(?:Prof|Professor|Dr|Doktor)(?-u:\b)\.?)")
});

/// One word of a name: capitalised, with hyphens and apostrophes as in "Müller-Lüdenscheidt"
/// or "O'Brien", but without a possessive "'s".
static NAME_WORD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\p{Lu}\p{L}*(?:['’]\p{Lu}\p{L}*)?(?:-\p{Lu}\p{L}*)*"));

/// Legal forms, longest first so that "GmbH & Co. KG" wins over "GmbH".
static LEGAL_FORM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:GmbH|AG|SE) & Co\. (?:KGaA|KG|OHG)|UG \(haftungsbeschränkt\)|gGmbH|GmbH|KGaA|AG|KG|OHG|GbR|PartG mbB|PartG|SE|UG|eG|e\. ?K\.|e\. ?V\.|Co\., Ltd\.|Pty Ltd|Ltd\.?|Limited|Inc\.?|LLC|LLP|PLC|plc|Corp\.?|S\.A\.S\.|S\.A\.|S\.à r\.l\.|S\.r\.l\.|S\.p\.A\.|SARL|B\.V\.|N\.V\.|GesmbH",
    )
});

/// A word that may be part of a company's name before its legal form.
static COMPANY_WORD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:[\p{Lu}0-9][\p{L}0-9'’\-]*|&|\+)$"));

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}'
}

/// Skips one run of spaces (not line breaks) at `at`; the new position, if there was one.
fn skip_space(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let trimmed = rest.trim_start_matches(is_space);
    (trimmed.len() < rest.len()).then_some(at + rest.len() - trimmed.len())
}

/// The word before byte `at`, if only spaces separate them.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let head = text[..at].trim_end_matches(is_space);
    if head.len() == at {
        return None;
    }
    let start = head.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    Some(&head[start..])
}

pub fn persons(text: &str, english: bool) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for m in SALUTATION.find_iter(text) {
        if out.last().is_some_and(|&(_, end)| m.start() < end) {
            continue;
        }
        if word_before(text, m.start()).is_some_and(words::makes_a_noun) {
            continue;
        }
        if let Some(end) = name_after(text, m.end(), english) {
            out.push((m.start(), end));
        }
    }
    out
}

/// The end of the name that follows a salutation ending at `at`, if one does.
fn name_after(text: &str, mut at: usize, english: bool) -> Option<usize> {
    at = skip_space(text, at)?;
    while let Some(t) = TITLE.find(&text[at..]) {
        at = skip_space(text, at + t.end())?;
    }
    for particle in words::PARTICLES {
        let rest = &text[at..];
        if rest.starts_with(particle)
            && rest[particle.len()..].starts_with(is_space)
            && let Some(next) = skip_space(text, at + particle.len())
        {
            at = next;
            break;
        }
    }
    let first = NAME_WORD.find(&text[at..])?;
    let first_word = first.as_str();
    if words::is_not_a_name(first_word) || first_word.chars().count() < 2 {
        return None;
    }
    let mut end = at + first.end();
    // A second word joins when the first is a given name ("Dr. Anna Weber"); in English,
    // where only names are capitalised, whenever it is a name-like word.
    if let Some(next) = skip_space(text, end)
        && let Some(second) = NAME_WORD.find(&text[next..])
        && !words::is_not_a_name(second.as_str())
        && (words::is_given_name(first_word)
            || (english && !words::is_english_non_name(second.as_str())))
    {
        end = next + second.end();
    }
    Some(end)
}

pub fn companies(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for m in LEGAL_FORM.find_iter(text) {
        let ends_in_letter = m.as_str().chars().last().is_some_and(char::is_alphabetic);
        let glued_on = text[m.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || (ends_in_letter && c == '-'));
        if glued_on || !text[..m.start()].ends_with(is_space) {
            continue;
        }
        if let Some(start) = company_name_start(text, m.start()) {
            out.push((start, m.end()));
        }
    }
    out
}

/// Where the name before a legal form at `form_start` begins: up to five capitalised words
/// (or `&`), without the function words that open a sentence ("Die", "Bei", "Why").
fn company_name_start(text: &str, form_start: usize) -> Option<usize> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = form_start;
    while words.len() < 5 {
        let head = &text[..at];
        let trimmed = head.trim_end_matches(is_space);
        if trimmed.len() == head.len() || trimmed.is_empty() {
            break;
        }
        let start = trimmed.rfind(is_space).map_or(0, |i| i + 1);
        let word = &trimmed[start..];
        // An opening bracket or quote ends the name: "(Hoffmann Bau AG)".
        let opened = word.trim_start_matches(['(', '[', '„', '“', '"', '\'', '‚']);
        if !COMPANY_WORD.is_match(opened) {
            break;
        }
        words.push((start + word.len() - opened.len(), opened));
        if opened.len() < word.len() {
            break;
        }
        at = start;
    }
    // `words` runs backwards; drop leading function words and connectors.
    while let Some(&(_, w)) = words.last() {
        if words::is_leading_function_word(w) || w == "&" || w == "+" {
            words.pop();
        } else {
            break;
        }
    }
    words.last().map(|&(start, _)| start)
}

/// The text lower-cased, runs of whitespace as one space, with the byte range in the original
/// text of every byte: so a list entry matches whatever its case and spacing.
struct Folded {
    text: String,
    origin: Vec<(usize, usize)>,
}

fn fold(text: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let range = (i, i + c.len_utf8());
        if c.is_whitespace() {
            if in_space {
                if let Some(last) = folded.origin.last_mut() {
                    last.1 = range.1;
                }
            } else {
                folded.text.push(' ');
                folded.origin.push(range);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        for lower in c.to_lowercase() {
            folded.text.push(lower);
            folded
                .origin
                .extend(std::iter::repeat_n(range, lower.len_utf8()));
        }
    }
    folded
}

/// Where the entries of the sensitive-names list occur as whole words, in any case.
pub fn sensitive(text: &str, entries: &[String]) -> Vec<Span> {
    let patterns: Vec<String> = entries
        .iter()
        .map(|e| fold(e.trim()).text)
        .filter(|e| e.chars().count() >= 2)
        .collect();
    if patterns.is_empty() {
        return Vec::new();
    }
    let Ok(automaton) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return Vec::new();
    };
    let folded = fold(text);
    let mut out = Vec::new();
    for m in automaton.find_iter(&folded.text) {
        let (Some(first), Some(last)) = (
            folded.origin.get(m.start()),
            folded.origin.get(m.end().saturating_sub(1)),
        ) else {
            continue;
        };
        let (start, end) = (first.0, last.1);
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push((start, end));
        }
    }
    out
}

/// Words that name someone without a salutation, as anchors for sums next to a name: known
/// given names and surnames, and in English any capitalised word inside a sentence.
pub fn bare_names(text: &str, english: bool, sentence_starts: &[usize]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for word in text.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let start = at;
        at += word.len();
        let w = word.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '\''));
        let w = w.strip_suffix("'s").unwrap_or(w);
        let mut chars = w.chars();
        let Some(first) = chars.next() else { continue };
        if !first.is_uppercase() {
            continue;
        }
        let name_like = chars.clone().count() >= 1 && chars.all(char::is_lowercase);
        let opens_sentence = sentence_starts.binary_search(&start).is_ok();
        if words::is_known_name(w)
            || (english && name_like && !opens_sentence && !words::is_english_non_name(w))
        {
            out.push((start, start + w.len()));
        }
    }
    out
}
