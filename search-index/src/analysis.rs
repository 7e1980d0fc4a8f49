//! Text analysis: German and English stemming with stop words, umlaut/accent folding, a
//! dictionary-driven German compound splitter, and a plain "raw" analyzer for typo-tolerant
//! matching. Documents and queries go through the same analyzers.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    SplitCompoundWords, Stemmer, StopWordFilter, TextAnalyzer, Token,
};

pub const DE: &str = "sb_de";
pub const EN: &str = "sb_en";
pub const DE_SPLIT: &str = "sb_de_split";
pub const RAW: &str = "sb_raw";

/// Compound parts for splitting German compounds ("Preiseinwand" -> "preis" + "einwand").
const DE_COMPOUND_PARTS: &str = include_str!("de_compounds.txt");

/// Function words that carry no meaning for search. Negations ("nicht", "kein") stay: "keine
/// Zeit" is a different question from "Zeit".
const GERMAN_STOP_WORDS: &[&str] = &[
    "aber", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bist", "da",
    "damit", "dann", "das", "dass", "dein", "deine", "dem", "den", "denn", "der", "des", "dich",
    "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir", "doch", "du", "durch",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwa", "euch", "euer", "eure",
    "für", "hat", "habe", "haben", "hatte", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem",
    "ihren", "ihrer", "im", "in", "ist", "ja", "jede", "jedem", "jeden", "jeder", "jedes", "kann",
    "können", "mal", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit",
    "muss", "nach", "noch", "nur", "ob", "oder", "sehr", "sein", "seine", "seinem", "seinen",
    "seiner", "sich", "sie", "sind", "so", "soll", "um", "und", "uns", "unser", "unsere", "vom",
    "von", "vor", "war", "was", "weil", "wenn", "wer", "werden", "wie", "wir", "wird", "wo",
    "wurde", "zu", "zum", "zur",
];

const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "will", "with", "i", "my", "me", "we", "our", "you", "your", "do", "does", "how",
    "what",
];

fn german_stop_words() -> StopWordFilter {
    StopWordFilter::remove(GERMAN_STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

fn english_stop_words() -> StopWordFilter {
    StopWordFilter::remove(ENGLISH_STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

pub fn german() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(german_stop_words())
        .filter(Stemmer::new(Language::German))
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(english_stop_words())
        .filter(Stemmer::new(Language::English))
        .filter(AsciiFoldingFilter)
        .build()
}

/// German with compounds split into their parts before stemming.
pub fn german_split() -> tantivy::Result<TextAnalyzer> {
    let parts = DE_COMPOUND_PARTS
        .lines()
        .map(str::trim)
        .filter(|w| w.chars().count() >= 2);
    Ok(TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(SplitCompoundWords::from_dictionary(parts)?)
        .filter(german_stop_words())
        .filter(Stemmer::new(Language::German))
        .filter(AsciiFoldingFilter)
        .build())
}

/// Lower-cased and folded but not stemmed, for edit-distance matching of typos.
pub fn raw() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzers under their names, to register on an index.
pub fn all() -> tantivy::Result<Vec<(&'static str, TextAnalyzer)>> {
    Ok(vec![
        (DE, german()),
        (EN, english()),
        (DE_SPLIT, german_split()?),
        (RAW, raw()),
    ])
}

/// The terms an analyzer makes of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    stream.process(&mut |t: &Token| out.push(t.text.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_word_forms_meet() {
        let mut de = german();
        let forms = ["Einwand", "Einwände", "Einwänden", "einwand"];
        let stems: Vec<Vec<String>> = forms.iter().map(|f| terms(&mut de, f)).collect();
        assert!(stems.windows(2).all(|w| w[0] == w[1]), "{stems:?}");
        assert_eq!(
            terms(&mut de, "Preiseinwände behandeln"),
            terms(&mut de, "preiseinwand behandeln")
        );
        assert_eq!(terms(&mut de, "Straße"), terms(&mut de, "strasse"));
        assert!(
            terms(&mut de, "und der die").is_empty(),
            "stop words are dropped"
        );
        assert_eq!(terms(&mut de, "keine Zeit").len(), 2, "negations stay");
    }

    #[test]
    fn compounds_split_into_their_parts() {
        let mut split = german_split().unwrap();
        let mut de = german();
        let parts = terms(&mut split, "Preiseinwand");
        assert_eq!(
            parts,
            [terms(&mut de, "Preis"), terms(&mut de, "Einwand")].concat()
        );
        let a = terms(&mut split, "Einwandbehandlung");
        let b = terms(&mut split, "Einwände behandeln");
        assert_eq!(
            a[0], b[0],
            "Einwandbehandlung and Einwände behandeln share the stem einwand"
        );
        // Snowball stems "Behandlung" to "behandl" but "behandeln" to "behandel"; the shared
        // "einwand" part (and the typo-tolerant raw field) still brings them together.
        assert!(
            a[1].starts_with("behand") && b[1].starts_with("behand"),
            "{a:?} {b:?}"
        );
    }

    #[test]
    fn english_forms_meet() {
        let mut en = english();
        assert_eq!(terms(&mut en, "objections"), terms(&mut en, "objection"));
        assert_eq!(terms(&mut en, "closing"), terms(&mut en, "closes"));
    }
}
