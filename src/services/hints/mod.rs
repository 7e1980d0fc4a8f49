//! Redaction hints: what in a text about to be posted could identify a customer, a colleague
//! or a deal, so that the author can take it out before anyone reads it.
//!
//! [`detect`] is a pure function: no database, no logging, nothing kept; [`preview`] adds
//! the access decision and the author's company's list for the API. It marks e-mail
//! addresses, phone numbers, IBANs, web addresses, companies with a legal form, people after
//! a salutation or title, the entries of the author's company's sensitive-names list, and sums
//! of money or discounts that stand next to any such name. Offsets are **byte** offsets into
//! the UTF-8 text, always on character boundaries, `end` exclusive; [`char_offsets`] converts
//! them for clients that count characters.
//!
//! Precision and recall are measured on the labelled sentences of
//! `tests/data/redaction_hints.jsonl` (`tests/api/hints_quality.rs`).

mod money;
mod names;
mod patterns;
mod preview;
mod words;

pub use preview::{preview, warm_up};

#[cfg(test)]
mod tests;

/// A byte range `(start, end)` of the text.
type Span = (usize, usize);

/// What a hint marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    Iban,
    Url,
    Money,
    Company,
    Person,
    /// An entry of the author's company's sensitive-names list.
    Sensitive,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Email,
        Kind::Phone,
        Kind::Iban,
        Kind::Url,
        Kind::Money,
        Kind::Company,
        Kind::Person,
        Kind::Sensitive,
    ];

    /// The stable name in the API and the data sets.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::Url => "url",
            Kind::Money => "money",
            Kind::Company => "company",
            Kind::Person => "person",
            Kind::Sensitive => "sensitive",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One marked part of the text: bytes `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Hint {
    /// The marked words.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Whether two spans share a byte.
fn overlaps(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Everything in `text` that could identify someone, in text order. `sensitive` is the
/// author's company's list (customers, projects, products); its entries match as whole words
/// in any case.
pub fn detect(text: &str, sensitive: &[String]) -> Vec<Hint> {
    let mut hints: Vec<Hint> = Vec::new();
    // Details with a fixed shape, most specific first: a later kind never overlaps an earlier
    // one (no web address inside an e-mail address, no phone number inside an IBAN).
    let mut taken: Vec<Span> = Vec::new();
    let mut keep = |kind: Kind, spans: Vec<Span>, hints: &mut Vec<Hint>| {
        for span in spans {
            if !taken.iter().any(|&t| overlaps(t, span)) {
                taken.push(span);
                hints.push(Hint {
                    kind,
                    start: span.0,
                    end: span.1,
                });
            }
        }
    };
    keep(Kind::Email, patterns::emails(text), &mut hints);
    keep(Kind::Url, patterns::urls(text), &mut hints);
    keep(Kind::Iban, patterns::ibans(text), &mut hints);
    keep(Kind::Phone, patterns::phones(text), &mut hints);

    let english = words::reads_english(text);
    let mut named: Vec<Span> = Vec::new();
    for (kind, spans) in [
        (Kind::Sensitive, names::sensitive(text, sensitive)),
        (Kind::Person, names::persons(text, english)),
        (Kind::Company, names::companies(text)),
    ] {
        for (start, end) in spans {
            named.push((start, end));
            hints.push(Hint { kind, start, end });
        }
    }

    let mut no_break: Vec<Span> = hints.iter().map(|h| (h.start, h.end)).collect();
    no_break.sort_unstable();
    let sentences = money::sentences(text, &no_break);
    let starts = money::sentence_starts(text, &sentences);
    named.extend(names::bare_names(text, english, &starts));
    let amounts = money::amounts(text)
        .into_iter()
        .filter(|&a| !no_break.iter().any(|&t| overlaps(t, a)))
        .collect::<Vec<_>>();
    keep(
        Kind::Money,
        money::next_to_names(&amounts, &named, &sentences),
        &mut hints,
    );

    hints.sort_by_key(|h| (h.start, h.end, h.kind));
    hints.dedup();
    hints
}

/// `hints` with character offsets (Unicode scalar values) instead of byte offsets, in one
/// pass over the text.
pub fn char_offsets(text: &str, hints: &[Hint]) -> Vec<Hint> {
    let mut bytes: Vec<usize> = hints.iter().flat_map(|h| [h.start, h.end]).collect();
    bytes.sort_unstable();
    bytes.dedup();
    let mut chars = Vec::with_capacity(bytes.len());
    let mut wanted = bytes.iter().peekable();
    for (n, (i, _)) in text.char_indices().chain([(text.len(), ' ')]).enumerate() {
        while wanted.next_if(|&&b| b <= i).is_some() {
            chars.push(n);
        }
    }
    let to_char = |byte: usize| {
        bytes
            .binary_search(&byte)
            .ok()
            .and_then(|at| chars.get(at).copied())
            .unwrap_or(0)
    };
    hints
        .iter()
        .map(|h| Hint {
            kind: h.kind,
            start: to_char(h.start),
            end: to_char(h.end),
        })
        .collect()
}
