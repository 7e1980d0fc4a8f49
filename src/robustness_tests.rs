//! Mutation fuzzing of the parsers and renderers that take user or file input (Markdown, lesson
//! files with TOML front matter, invitation CSV): thousands of mutated inputs from realistic
//! seeds must never panic, and rendered HTML must never carry script. (`cargo fuzz` needs a
//! nightly toolchain this project does not use; this runs in every `cargo test`.)

use crate::markdown;
use crate::services::companies::invitations::parse_csv;
use crate::services::lesson_files::{parse_lesson, render_lesson};

/// A small deterministic generator (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: [&str; 24] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "\"",
    "'",
    "+++",
    "\n",
    "\r\n",
    "ä",
    "ß",
    "😀",
    "\u{feff}",
    "[[check]]",
    "=",
    ",",
    ";",
    "|",
    "```",
    "# ",
    "- ",
    "**",
    "\t",
    "\0",
    "<a href=\"javascript:alert(1)\">x</a>",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            1 if !chars.is_empty() => {
                let end = (at + rng.below(40)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            2 if !chars.is_empty() => {
                let start = at.min(chars.len() - 1);
                let end = (start + rng.below(60)).min(chars.len());
                let copy: Vec<char> = chars[start..end].to_vec();
                let to = rng.below(chars.len() + 1);
                chars.splice(to..to, copy);
            }
            3 => chars.truncate(at),
            _ => {
                let c = char::from_u32(rng.below(0x2FFF) as u32).unwrap_or('x');
                chars.insert(at.min(chars.len()), c);
            }
        }
    }
    chars.into_iter().collect()
}

/// Text may mention anything (it is escaped); what must not survive is inside tags: script
/// elements, event handler attributes, URLs with the `javascript:` scheme.
fn assert_no_script(html: &str, input: &str) {
    let lower = html.to_lowercase();
    for tag in lower.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let name = tag.split_whitespace().next().unwrap_or("");
        let bad_element = ["script", "iframe", "object", "embed", "style"]
            .iter()
            .any(|b| name.trim_start_matches('/') == *b);
        let handler = tag
            .split_whitespace()
            .skip(1)
            .any(|attr| attr.starts_with("on") && attr.contains('='));
        // A URL that starts with the scheme runs; one that merely contains it is a relative path.
        let script_url = ["=\"javascript:", "='javascript:", "=javascript:"]
            .iter()
            .any(|p| tag.contains(p));
        assert!(
            !bad_element && !handler && !script_url,
            "<{tag}> survived rendering of {input:?}: {html}"
        );
    }
}

#[test]
fn markdown_rendering_survives_mutated_input_without_script() {
    let seeds = [
        "# Einwand\n\nDer Kunde sagt **zu teuer**. [Preis](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "- eins\n- zwei\n\n```\ncode\n```\n> Zitat <b>fett</b>",
        "<div onclick=\"x()\">Hallo</div> ![bild](javascript:alert(1))",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for round in 0..3_000 {
        let input = mutate(&mut rng, seeds[round % seeds.len()]);
        let html = markdown::render(&input);
        assert_no_script(&html, &input);
        let _ = markdown::plain_text(&input);
    }
}

#[test]
fn lesson_files_parse_or_refuse_mutated_input_and_round_trip() {
    let seeds: Vec<String> = [
        "abschlusstechniken-ueberblick.md",
        "already-have-a-supplier.md",
    ]
    .iter()
    .filter_map(|f| {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("content/starter/lessons")
                .join(f),
        )
        .ok()
    })
    .collect();
    assert_eq!(seeds.len(), 2, "the starter lessons are the seeds");
    let mut rng = Rng(0x5eed_1234_abcd_0002);
    let mut parsed = 0;
    for round in 0..3_000 {
        let input = mutate(&mut rng, &seeds[round % seeds.len()]);
        match parse_lesson(&input) {
            Ok((slug, content)) => {
                parsed += 1;
                // What was accepted can be written back and read again.
                let written = render_lesson(&slug, &content).unwrap();
                let (again, _) = parse_lesson(&written)
                    .unwrap_or_else(|e| panic!("re-reading failed ({e}) for {input:?}"));
                assert_eq!(again, slug);
            }
            Err(message) => {
                let line: Option<usize> = message.split(':').next().and_then(|n| n.parse().ok());
                assert!(
                    line.is_some_and(|l| l >= 1),
                    "no line number in {message:?}"
                );
            }
        }
    }
    assert!(parsed > 0, "some mutations must stay valid");
}

#[test]
fn invitation_csv_parses_or_refuses_mutated_input() {
    let seed =
        "email,name,team\nanna@example.com,Anna Berg,Nord\nben@example.com,\"Ben, Jr.\",Nord;Süd\n";
    let mut rng = Rng(0x5eed_1234_abcd_0003);
    for _ in 0..3_000 {
        let input = mutate(&mut rng, seed);
        if let Ok(rows) = parse_csv(&input) {
            for (line, _) in rows {
                assert!(line >= 1 && line <= input.lines().count());
            }
        }
    }
}
