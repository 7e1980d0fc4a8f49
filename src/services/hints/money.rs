//! Sums of money and discounts, flagged only next to a name: "48.000 € mit der Hoffmann Bau
//! AG" identifies a deal, "Unser Listenpreis liegt bei 12.900 €" does not. "Next to" means
//! in the same sentence, at most `NEAR` bytes apart.

use std::sync::LazyLock;

use regex::Regex;

use super::Span;
use super::patterns::pattern;
use super::words;

/// How far apart a sum and a name may be (in bytes) and still count as next to each other.
const NEAR: usize = 160;

/// An amount with a currency before or after it, or a percentage: "48.000 €", "EUR 30.000",
/// "1,2 Mio. €", "£1.2m", "$120,000", "30,000 euros", "15 %", "3 Prozent", "15 percent".
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    let number =
        r"(?:[0-9]{1,3}(?:[.,'\u{202f}\u{a0}][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]+)?)";
    let scale = r"(?:[ \u{a0}]?(?:Mio\.?|Mrd\.?|Millionen|Milliarden|Tsd\.?|million|billion|bn|m|k|K)(?-u:\b)\.?)";
    let before = r"(?:€|\$|£|(?:EUR|USD|GBP|CHF)[ \u{a0}]?)";
    let after = r"(?:[ \u{a0}]?(?:€|\$|£|EUR(?-u:\b)|USD(?-u:\b)|GBP(?-u:\b)|CHF(?-u:\b)|Euros?(?-u:\b)|euros?(?-u:\b)|dollars?(?-u:\b)|pounds?(?-u:\b)|Franken(?-u:\b)|%|Prozent(?-u:\b)|percent(?-u:\b)|per cent(?-u:\b)))";
    pattern(&format!("{before}{number}{scale}?|{number}{scale}?{after}"))
});

/// Amounts in `text`, not glued to a word or another number on either side.
pub fn amounts(text: &str) -> Vec<Span> {
    AMOUNT
        .find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | ',' | '-'))
                && !after
                    .is_some_and(|c| c.is_alphanumeric() && m.as_str().ends_with(char::is_numeric))
        })
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Sentences as byte ranges. A full stop ends one only before a capital letter, a digit or a
/// quote, and not after an abbreviation ("Dr.", "Co.", "Mio.") or inside a name already found
/// ("GmbH & Co. KG"); question and exclamation marks and line breaks always do.
pub fn sentences(text: &str, names: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let inside_name = |i: usize| names.iter().any(|&(s, e)| s <= i && i < e);
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '\n' | '?' | '!' => true,
            '.' => {
                let next = text[end..].trim_start_matches([' ', '\u{a0}']);
                let spaced = next.len() < text.len() - end;
                let opens = next
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_uppercase() || n.is_numeric() || "„“\"'‚(".contains(n));
                let word = text[..i]
                    .rsplit(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or_default();
                spaced && opens && !words::is_abbreviation(word) && !inside_name(i)
            }
            _ => false,
        };
        if boundary {
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Where each sentence's first word starts.
pub fn sentence_starts(text: &str, sentences: &[Span]) -> Vec<usize> {
    sentences
        .iter()
        .filter_map(|&(s, e)| {
            text[s..e]
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map(|(i, _)| s + i)
        })
        .collect()
}

/// The amounts that stand in one sentence with a name, near it.
pub fn next_to_names(amounts: &[Span], names: &[Span], sentences: &[Span]) -> Vec<Span> {
    let sentence_of = |at: usize| {
        sentences
            .partition_point(|&(_, end)| end <= at)
            .min(sentences.len().saturating_sub(1))
    };
    amounts
        .iter()
        .copied()
        .filter(|&(start, end)| {
            let sentence = sentence_of(start);
            names.iter().any(|&(ns, ne)| {
                let apart = if ne <= start {
                    start - ne
                } else {
                    ns.saturating_sub(end)
                };
                sentence_of(ns) == sentence && apart <= NEAR
            })
        })
        .collect()
}
