//! Where a hit's snippet comes from. Highlighting runs the field's analyzer (stemming
//! included) over the text, so instead of a whole thread with all its answers it only gets a
//! window around the first place the query's words appear.

/// How much text the snippet generator sees: a few snippet lengths.
const WINDOW: usize = 400;

/// The lowercase beginnings of the query's words: "Einwände" also finds "Einwand", "einwänden".
pub fn needles(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| w.to_lowercase().chars().take(4).collect())
        .collect()
}

/// A window of `text` around the first needle (or its beginning), cut at character boundaries.
pub fn window<'a>(text: &'a str, needles: &[String]) -> &'a str {
    if text.len() <= WINDOW {
        return text;
    }
    let lower = text.to_lowercase();
    let first = needles.iter().filter_map(|n| lower.find(n.as_str())).min();
    // Lowercasing rarely changes byte lengths; when it did, positions are approximate, which
    // only shifts the window.
    let at = first.unwrap_or(0).min(text.len());
    let start = text.floor_char_boundary(at.saturating_sub(WINDOW / 4));
    let end = text.floor_char_boundary((start + WINDOW).min(text.len()));
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_surrounds_the_first_match_and_respects_characters() {
        let text = format!(
            "{} Der Einwand kam spät. {}",
            "ä".repeat(500),
            "ö".repeat(500)
        );
        let w = window(&text, &needles("Einwände"));
        assert!(w.contains("Einwand"), "{w}");
        assert!(w.len() <= WINDOW);
        let none = window(&text, &needles("Budget"));
        assert!(text.starts_with(none));
        assert_eq!(window("kurz", &needles("x")), "kurz");
    }
}
