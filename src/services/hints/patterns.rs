//! Details with a fixed shape: e-mail addresses, web addresses, IBANs (checked with mod 97)
//! and phone numbers (checked against libphonenumber's numbering plans, German by default).

use std::sync::LazyLock;

use regex::Regex;

use super::Span;

/// Compiles a pattern written in this module. The patterns are constants; the unit tests run
/// every one of them, so a broken pattern fails the tests, never a request. Word boundaries
/// are ASCII (`(?-u:\b)`): they stand next to ASCII words, and Unicode ones would keep the
/// regex engine off its fast path on German text.
#[allow(clippy::expect_used)]
pub(super) fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a redaction-hint pattern compiles")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}(?-u:\b)",
    )
});

/// With a scheme, with `www.`, or a bare domain under a common top-level domain (so that
/// `Preisliste_2025.xlsx` or `e.K.` are no addresses).
static URL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#"(?i:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>"“”„]+|(?-u:\b)(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+(?:de|com|net|org|at|ch|eu|io|co\.uk|uk|info|biz|app|dev|fr|it|es|nl|be|lu|pl|us|ai)(?-u:\b)(?:/[^\s<>"“”„]*)?"#,
    )
});

static IBAN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?-u:\b)[A-Z]{2}[0-9]{2}(?:[ \u{a0}]?[A-Z0-9]){11,30}"));

/// Something that starts like a phone number: `+`, `00` or a trunk `0` (possibly in
/// parentheses), then digits and the usual separators; at most 24 characters, so that a run
/// of numbers is taken one at a time.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\+[0-9]|\(0[0-9]|0[0-9])[0-9 \u{a0}/()\-]{0,22}[0-9]"));

/// At most this many phone-number candidates are checked in one text.
const MAX_PHONE_CANDIDATES: usize = 300;

static DATE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}$"));

pub fn emails(text: &str) -> Vec<Span> {
    EMAIL
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect()
}

pub fn urls(text: &str) -> Vec<Span> {
    URL.find_iter(text)
        .filter_map(|m| {
            let end = m.start() + trim_url_end(m.as_str());
            (end > m.start()).then_some((m.start(), end))
        })
        .collect()
}

/// The length of `url` without the punctuation of the sentence around it.
fn trim_url_end(url: &str) -> usize {
    let mut s = url;
    loop {
        let Some(last) = s.chars().last() else {
            return 0;
        };
        let unbalanced_paren = last == ')' && s.matches('(').count() < s.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’') || unbalanced_paren
        {
            s = &s[..s.len() - last.len_utf8()];
        } else {
            return s.len();
        }
    }
}

/// The length of an IBAN in each country that issues them (ISO 13616 registry).
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "CR" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "GI" | "IL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" => 28,
        "BR" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" => 31,
        _ => return None,
    })
}

/// ISO 7064 mod 97-10: the rearranged IBAN, letters as 10..35, leaves 1.
fn iban_checksum_ok(compact: &str) -> bool {
    let (head, tail) = compact.split_at(4.min(compact.len()));
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rest = if v < 10 {
            (rest * 10 + v) % 97
        } else {
            (rest * 100 + v) % 97
        };
    }
    rest == 1
}

pub fn ibans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for m in IBAN.find_iter(text) {
        let s = m.as_str();
        let Some(len) = iban_length(&s[..2]) else {
            continue;
        };
        // Take exactly as many characters as the country's IBAN has; the pattern may have
        // run on into a following word ("… 00 EUR").
        let mut compact = String::with_capacity(len);
        let mut end = None;
        for (i, c) in s.char_indices() {
            if c.is_ascii_alphanumeric() {
                compact.push(c);
                if compact.len() == len {
                    end = Some(i + 1);
                    break;
                }
            }
        }
        let Some(end) = end else { continue };
        let glued_on = text[m.start() + end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if !glued_on && iban_checksum_ok(&compact) {
            out.push((m.start(), m.start() + end));
        }
    }
    out
}

/// Phone numbers, validated against the numbering plans: `0171 2345678`, `(089) 123 45 67`,
/// `030/1234567`, `+49 (0)69 987 654 32`, `0049 (0)40 123456-0`, `+1 415 555 0100`. Dates and
/// article numbers do not pass.
pub fn phones(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut checked = 0;
    while let Some(m) = PHONE.find_at(text, at) {
        // Checking a number against the numbering plans takes microseconds; a text that is
        // nothing but numbers must not take the server's time.
        checked += 1;
        if checked > MAX_PHONE_CANDIDATES {
            break;
        }
        // Go on right after a number found, which may have been shorter than the candidate.
        at = m.end();
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | ',' | '/' | '-')) {
            continue;
        }
        if let Some(len) = longest_valid_phone(m.as_str()) {
            out.push((m.start(), m.start() + len));
            at = m.start() + len;
        }
    }
    out
}

/// The longest prefix of `candidate` (cut at a separator) that is a valid number: the pattern
/// may have taken a following number along ("0171 2345678 2 Mal").
fn longest_valid_phone(candidate: &str) -> Option<usize> {
    let mut end = candidate.len();
    loop {
        let s = candidate[..end].trim_end_matches(|c: char| !c.is_ascii_digit());
        if is_phone_number(s) {
            return Some(s.len());
        }
        end = s.rfind([' ', '\u{a0}', '/', '-'])?;
    }
}

fn is_phone_number(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !(6..=17).contains(&digits) || DATE.is_match(s) {
        return false;
    }
    let international = s.starts_with('+') || s.starts_with("00");
    let mut normal = if let Some(rest) = s.strip_prefix("00") {
        format!("+{rest}")
    } else {
        s.to_owned()
    };
    if international {
        // "+49 (0)69 …": the trunk zero in parentheses is not dialled from abroad.
        normal = normal.replace("(0)", "");
    }
    phonenumber::parse(Some(phonenumber::country::Id::DE), &normal)
        .is_ok_and(|n| phonenumber::is_valid(&n))
}
