//! Snippets: a short passage of a hit's body around the first place the query's words appear,
//! HTML-escaped, with the matching words in `<b>`. A word matches when the document's language
//! analyzer turns it into one of the query's terms for the body field, so "Einwänden" lights
//! up for "Einwand". Only words that could stem to a query term (their folded first letters
//! begin one) go through the analyzer: stemming every word of every hit cost more than the
//! search itself.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::{TextAnalyzer, Token};

/// Characters in a snippet.
const LENGTH: usize = 150;
/// Characters shown before the first match.
const LEAD: usize = 30;
/// Letters of a word compared with the query terms before it is analyzed.
const PREFIX: usize = 3;

/// The query's terms for one body field and the analyzer of that field's language.
pub struct Highlighter {
    terms: HashSet<String>,
    prefixes: Vec<Prefix>,
    analyzer: TextAnalyzer,
    /// Words already analyzed for this query: hits share most of their vocabulary.
    seen: HashMap<String, bool>,
}

impl Highlighter {
    pub fn new(terms: impl IntoIterator<Item = String>, analyzer: TextAnalyzer) -> Self {
        let terms: HashSet<String> = terms.into_iter().collect();
        let mut prefixes: Vec<Prefix> = terms.iter().map(|t| prefix(t)).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        Self {
            terms,
            prefixes,
            analyzer,
            seen: HashMap::new(),
        }
    }

    /// The snippet of `body` as HTML: the passage from a little before the first match, or the
    /// beginning when nothing matches.
    pub fn snippet(&mut self, body: &str) -> String {
        let mut marks = Vec::new();
        let mut start = None;
        for (from, to) in words(body) {
            if let Some(s) = start
                && from - s > LENGTH
                && body[s..from].chars().count() > LENGTH
            {
                break;
            }
            if self.matches(&body[from..to]) {
                start.get_or_insert(from);
                marks.push((from, to));
            }
        }
        let begin = match start {
            Some(s) => lead_in(body, s),
            None => 0,
        };
        let end = body[begin..]
            .char_indices()
            .nth(LENGTH)
            .map_or(body.len(), |(i, _)| begin + i);
        let mut html = String::with_capacity((end - begin) + marks.len() * 7 + 8);
        if begin > 0 {
            html.push('…');
        }
        let mut at = begin;
        for &(from, to) in marks.iter().filter(|(_, to)| *to <= end) {
            html.push_str(&escape(&body[at..from]));
            html.push_str("<b>");
            html.push_str(&escape(&body[from..to]));
            html.push_str("</b>");
            at = to;
        }
        html.push_str(&escape(&body[at..end]));
        if end < body.len() {
            html.push('…');
        }
        html
    }

    fn matches(&mut self, word: &str) -> bool {
        if !self.prefixes.contains(&prefix(word)) {
            return false;
        }
        if let Some(&known) = self.seen.get(word) {
            return known;
        }
        let mut found = false;
        let terms = &self.terms;
        self.analyzer
            .token_stream(word)
            .process(&mut |t: &Token| found |= terms.contains(&t.text));
        self.seen.insert(word.to_owned(), found);
        found
    }
}

/// The first letters of a word, folded; unused places stay `'\0'`.
type Prefix = [char; PREFIX];

fn prefix(word: &str) -> Prefix {
    let mut out = ['\0'; PREFIX];
    // Most words of a body are ASCII: their letters fold by a byte operation.
    if let Some(head) = word.as_bytes().get(..PREFIX)
        && head.is_ascii()
    {
        for (slot, b) in out.iter_mut().zip(head) {
            *slot = char::from(b.to_ascii_lowercase());
        }
        return out;
    }
    for (slot, c) in out.iter_mut().zip(word.chars()) {
        *slot = fold(c);
    }
    out
}

/// Byte ranges of the words (runs of letters and digits) of `text`, as tantivy's tokenizer
/// cuts them.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let (len, in_word) = class(text, at)?;
            if in_word {
                break;
            }
            at += len;
        }
        let from = at;
        while let Some((len, true)) = class(text, at) {
            at += len;
        }
        Some((from, at))
    })
}

/// The length in bytes of the character at byte `at` of `text` and whether it is part of a
/// word; `None` at the end.
#[inline]
fn class(text: &str, at: usize) -> Option<(usize, bool)> {
    let b = *text.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((1, b.is_ascii_alphanumeric()));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c.len_utf8(), c.is_alphanumeric()))
}

/// Where a snippet starting near byte `at` begins: a word boundary up to `LEAD` characters
/// before it.
fn lead_in(text: &str, at: usize) -> usize {
    let before: Vec<(usize, char)> = text[..at].char_indices().collect();
    if before.len() <= LEAD {
        return 0;
    }
    let window = &before[before.len() - LEAD..];
    window
        .iter()
        .find(|(_, c)| c.is_whitespace())
        .map_or(window[0].0, |(i, c)| i + c.len_utf8())
}

/// Lowercase without accents, as the analyzers fold letters (only the first letters of a word
/// are folded here, to decide whether it is worth analyzing).
fn fold(c: char) -> char {
    match c.to_lowercase().next().unwrap_or(c) {
        'ä' | 'à' | 'á' | 'â' => 'a',
        'ö' | 'ò' | 'ó' | 'ô' => 'o',
        'ü' | 'ù' | 'ú' | 'û' => 'u',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ß' => 's',
        other => other,
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;

    fn german(query: &str) -> Highlighter {
        let mut de = analysis::german();
        Highlighter::new(analysis::terms(&mut de, query), de)
    }

    #[test]
    fn word_forms_are_marked_and_markup_is_escaped() {
        let html = german("Einwand").snippet("Zwei <b>Einwände</b> & ein Einwand.");
        assert_eq!(
            html,
            "Zwei &lt;b&gt;<b>Einwände</b>&lt;/b&gt; &amp; ein <b>Einwand</b>."
        );
    }

    #[test]
    fn the_passage_starts_shortly_before_the_first_match_and_respects_characters() {
        let body = format!(
            "{} Der Einwand kam spät. {}",
            "ä ".repeat(300),
            "ö".repeat(300)
        );
        let html = german("Einwände").snippet(&body);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<b>Einwand</b>"), "{html}");
        let visible = html.replace("<b>", "").replace("</b>", "");
        assert!(visible.chars().count() <= LENGTH + 2, "{visible}");
    }

    #[test]
    fn without_a_match_the_beginning_is_shown() {
        let html = german("Budget").snippet("Kurzer Text ohne Treffer");
        assert_eq!(html, "Kurzer Text ohne Treffer");
        assert_eq!(german("Budget").snippet(""), "");
    }

    #[test]
    fn any_text_gives_escaped_text_without_panicking() {
        let pieces = [
            "Einwand", "ä", "ß", "😀", "e\u{301}", "<", "&", " ", "\n", "Ärger", "x", "1",
            "Preis-", "İ", "ﬁ",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut highlighter = german("Einwand Ärger Preis");
        for _ in 0..2_000 {
            let text: String = (0..next() % 120)
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            let html = highlighter.snippet(&text);
            let marked = html.replace("<b>", "").replace("</b>", "");
            assert!(!marked.contains('<') && !marked.contains('>'), "{html}");
            let shown = marked
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            assert!(shown.chars().count() <= LENGTH + 2, "{html}");
            assert!(text.contains(shown.trim_matches('…')), "{html}");
        }
    }

    #[test]
    fn words_are_cut_like_the_tokenizer_cuts_them() {
        let text = "Ärger, über-Preise 3x!";
        let cut: Vec<&str> = words(text).map(|(a, b)| &text[a..b]).collect();
        assert_eq!(cut, ["Ärger", "über", "Preise", "3x"]);
    }
}
