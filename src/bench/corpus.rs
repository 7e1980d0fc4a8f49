//! A synthetic but realistic corpus for benchmarks: German and English sales vocabulary,
//! threads with answers, and lessons. Deterministic for a given seed.

/// A tiny, fast, deterministic random generator (xorshift), so runs are comparable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const DE_NOUNS: &[&str] = &[
    "Kunde",
    "Kunden",
    "Einwand",
    "Einwände",
    "Preiseinwand",
    "Preis",
    "Angebot",
    "Abschluss",
    "Abschlussfrage",
    "Termin",
    "Gespräch",
    "Verhandlung",
    "Rabatt",
    "Einkäufer",
    "Lieferant",
    "Lieferanten",
    "Budget",
    "Entscheider",
    "Nutzen",
    "Bedarfsanalyse",
    "Präsentation",
    "Kaltakquise",
    "Empfehlung",
    "Empfehlungen",
    "Vertrag",
    "Laufzeit",
    "Wettbewerber",
    "Geschäftsführer",
    "Ausschreibung",
    "Unterlagen",
    "Kaufsignale",
    "Testabschluss",
    "Nachfassen",
    "Vertriebsleiter",
    "Quartal",
    "Umsatz",
    "Zielvorgabe",
    "Messe",
    "Anfrage",
    "Rückruf",
    "Absage",
    "Einwandbehandlung",
    "Zeit",
    "Lösung",
];
const DE_VERBS: &[&str] = &[
    "fragt",
    "sagt",
    "verlangt",
    "vergleicht",
    "zögert",
    "blockt",
    "verschiebt",
    "bestätigt",
    "lehnt",
    "prüft",
    "braucht",
    "möchte",
    "reagiert",
    "nachdenken",
    "behandeln",
    "überzeugen",
    "abschließen",
    "nachfassen",
    "verhandeln",
];
const DE_FILLER: &[&str] = &[
    "immer",
    "wieder",
    "leider",
    "plötzlich",
    "nach",
    "dem",
    "im",
    "beim",
    "zu",
    "teuer",
    "keine",
    "schon",
    "noch",
    "heute",
    "morgen",
    "ehrlich",
    "wirklich",
    "ganz",
    "sehr",
    "mittelständischen",
    "großen",
    "neuen",
];
const EN_NOUNS: &[&str] = &[
    "customer",
    "objection",
    "price",
    "discount",
    "supplier",
    "closing",
    "question",
    "meeting",
    "proposal",
    "budget",
    "decision",
    "buyer",
    "procurement",
    "renewal",
    "contract",
    "referral",
    "demo",
    "signal",
    "pipeline",
    "quota",
];
const EN_VERBS: &[&str] = &[
    "asks", "says", "wants", "compares", "delays", "blocks", "needs", "handles", "closes",
    "follows",
];
const EN_FILLER: &[&str] = &[
    "too",
    "expensive",
    "again",
    "always",
    "after",
    "the",
    "a",
    "great",
    "new",
    "big",
    "think",
    "about",
    "it",
];
pub const TOPICS: &[&str] = &[
    "relationship",
    "needs_analysis",
    "presentation",
    "negotiation",
    "closing",
    "follow_up",
    "prospecting",
    "social_selling",
    "self_management",
];

const SYLLABLES: &[&str] = &[
    "ver", "an", "ge", "be", "ab", "schluss", "kun", "de", "markt", "preis", "zeit", "plan", "lie",
    "fer", "ung", "keit", "tion", "pro", "dukt", "werk", "bau", "team", "ziel", "weg", "lauf",
    "stand", "wert", "teil", "halt", "gang", "rat", "schaft",
];

/// A pseudo-word of the long tail: real text has thousands of rare words, and a corpus
/// without them would make every query match half of all documents.
fn tail_word(rank: u64) -> String {
    let mut r = rank;
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(SYLLABLES[(r % SYLLABLES.len() as u64) as usize]);
        r /= SYLLABLES.len() as u64;
    }
    w
}

const TAIL_WORDS: u64 = 30_000;

fn sentence(rng: &mut Rng, german: bool) -> String {
    let (nouns, verbs, filler) = if german {
        (DE_NOUNS, DE_VERBS, DE_FILLER)
    } else {
        (EN_NOUNS, EN_VERBS, EN_FILLER)
    };
    let len = 6 + rng.below(8);
    let mut words: Vec<String> = Vec::with_capacity(len as usize);
    for _ in 0..len {
        // One word in twelve is a sales noun, one in twelve a verb, a third function words,
        // the rest the Zipf-distributed long tail.
        let w = match rng.below(12) {
            0 => rng.pick(nouns).to_owned(),
            1 => rng.pick(verbs).to_owned(),
            2..=5 => rng.pick(filler).to_owned(),
            _ => {
                let u = (rng.below(1_000_000) as f64 + 1.0) / 1_000_001.0;
                tail_word((u * (TAIL_WORDS as f64).ln()).exp() as u64)
            }
        };
        words.push(w);
    }
    let mut s = words.join(" ");
    s.push('.');
    s
}

/// Title, body and language of one synthetic document.
pub struct Text {
    pub title: String,
    pub body: String,
    pub german: bool,
    pub topic: &'static str,
}

/// A thread (question and a few answers) or, with `lesson`, a longer lesson text.
pub fn document(rng: &mut Rng, lesson: bool) -> Text {
    let german = rng.below(10) < 7;
    let title = sentence(rng, german).trim_end_matches('.').to_owned();
    let sentences = if lesson {
        60 + rng.below(60)
    } else {
        4 + rng.below(20)
    };
    let body = (0..sentences)
        .map(|_| sentence(rng, german))
        .collect::<Vec<_>>()
        .join(" ");
    Text {
        title,
        body,
        german,
        topic: TOPICS[rng.below(TOPICS.len() as u64) as usize],
    }
}

/// The fixed query mix: what sellers type in a hurry, with inflections, compounds and typos.
pub const QUERIES: &[&str] = &[
    "zu teuer",
    "Einwände Preis",
    "Abschlussfrage",
    "keine Zeit",
    "Preiseinwand",
    "Einwandbehandlung",
    "Einwandbehandlng",
    "Kaltakquise",
    "Empfehlungen",
    "Testabschluss",
    "Einkäufer Rabatt",
    "Unterlagen",
    "Kaufsignale",
    "nachfassen Angebot",
    "price objection",
    "think about it",
    "closing question",
    "discount buyer",
    "referral",
    "Ausschreibung",
    "Budget Entscheider",
    "Abschlusfrage",
    "Lieferanten wechseln",
    "Geschäftsführer Termin",
];
