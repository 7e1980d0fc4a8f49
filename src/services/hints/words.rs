//! The small word lists the name rules need: given names, unmistakable surnames, words that
//! look like names but are not, and the function words that tell German from English.

/// Given names common among German- and English-speaking business people. After a salutation
/// a given name lets the surname that follows join the hint ("Dr. Anna Weber"); elsewhere it
/// counts as a name next to a sum. Names that are also ordinary words ("Mark", "Frank") are
/// left out.
#[rustfmt::skip]
const GIVEN_NAMES: &[&str] = &[
    "Aaron", "Adam", "Alexander", "Alexandra", "Alice", "Amanda", "Amy", "Andrea", "Andreas",
    "Andrew", "Angela", "Anja", "Anna", "Anne", "Anthony", "Ashley", "Barbara", "Benjamin",
    "Bernd", "Birgit", "Brian", "Carsten", "Catherine", "Charles", "Chloe", "Christian",
    "Christina", "Christine", "Christoph", "Christopher", "Claudia", "Claire", "Daniel",
    "Daniela", "David", "Dennis", "Dieter", "Dirk", "Edward", "Elena", "Elisabeth", "Emily",
    "Emma", "Eric", "Eva", "Felix", "Florian", "Gabriele", "George", "Georg", "Gerhard",
    "Gregory", "Günter", "Hannah", "Hans", "Heike", "Heinz", "Helga", "Helmut", "Holger",
    "Horst", "Ingrid", "James", "Jan", "Jana", "Jason", "Jennifer", "Jens", "Jessica",
    "Joachim", "Johannes", "John", "Jonas", "Jonathan", "Jörg", "Joseph", "Julia", "Julian",
    "Jürgen", "Karin", "Karl", "Katharina", "Katherine", "Kathrin", "Katrin", "Kerstin",
    "Kevin", "Klaus", "Laura", "Lea", "Lena", "Linda", "Lisa", "Lukas", "Manfred", "Margaret",
    "Maria", "Marie", "Markus", "Martina", "Matthew", "Matthias", "Maximilian", "Melanie",
    "Michael", "Michaela", "Michelle", "Monika", "Moritz", "Nadine", "Natalie", "Nicole",
    "Niklas", "Nina", "Olivia", "Oliver", "Patricia", "Patrick", "Paul", "Peter", "Petra",
    "Philipp", "Priya", "Rachel", "Rainer", "Ralf", "Rebecca", "Renate", "Richard", "Robert",
    "Sabine", "Samuel", "Sandra", "Sarah", "Sebastian", "Silke", "Simone", "Sophia", "Sophie",
    "Stefan", "Stefanie", "Stephan", "Stephanie", "Steven", "Susan", "Susanne", "Sven", "Tanja",
    "Thomas", "Thorsten", "Timo", "Tobias", "Torsten", "Ursula", "Uwe", "Verena", "William",
    "Wolfgang",
];

/// The most common German surnames that are not also ordinary words: a bare "Müller" next to
/// a discount is a person, a bare "Koch", "Bauer" or "Winter" may be a cook, a farmer or a
/// season.
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "Albrecht", "Arnold", "Baumann", "Beck", "Becker", "Berger", "Bergmann", "Böhm", "Brandt",
    "Dietrich", "Fischer", "Franke", "Friedrich", "Günther", "Haas", "Hartmann", "Heinrich",
    "Herrmann", "Hoffmann", "Hofmann", "Huber", "Keller", "Köhler", "Krämer", "Kraus", "Krause",
    "Krüger", "Kuhn", "Kühn", "Lehmann", "Lorenz", "Maier", "Mayer", "Meier", "Meyer", "Möller",
    "Müller", "Neumann", "Peters", "Pfeiffer", "Pohl", "Roth", "Schmid", "Schmidt", "Schmitt",
    "Schmitz", "Schneider", "Scholz", "Schröder", "Schubert", "Schulte", "Schulz", "Schulze",
    "Schumacher", "Schuster", "Schäfer", "Seidel", "Voigt", "Vogt", "Wagner", "Weber", "Werner",
    "Winkler", "Wolff", "Zimmermann", "Ziegler",
];

/// Capitalised words that follow a salutation without being a name: "ein Herr Mitte sechzig",
/// "eine Frau Anfang vierzig", "waiting for Mr. Right".
#[rustfmt::skip]
const NOT_A_NAME: &[&str] = &[
    "Anfang", "Mitte", "Ende", "Right", "Wrong", "Nobody", "Everybody", "Nice", "Big", "Den",
    "Der", "Die", "Das", "Des", "Dem", "The",
];

/// Capitalised English words that are no names, when they stand inside a sentence.
#[rustfmt::skip]
const ENGLISH_NOT_NAMES: &[&str] = &[
    "I", "I'm", "I've", "I'd", "I'll", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December", "English", "German", "French",
    "Spanish", "Italian", "European", "Europe", "Christmas", "Easter", "Internet", "LinkedIn",
    "Zoom", "Teams", "Excel", "Word", "PowerPoint", "Google", "Outlook", "Slack", "WhatsApp",
    "Salesforce", "OK", "Okay", "Mr", "Mrs", "Ms", "Dr", "Prof",
];

/// Words that open a sentence or a phrase and so are capitalised without belonging to a
/// company's name ("Die Nordwind Energie SE", "Bei Zeppelin Süd GmbH", "Why would Acme LLC").
#[rustfmt::skip]
const LEADING_FUNCTION_WORDS: &[&str] = &[
    "A", "An", "And", "Any", "Are", "As", "At", "Auch", "Auf", "Aus", "Bei", "But", "By", "Can",
    "Could", "Dass", "Dem", "Den", "Der", "Des", "Did", "Die", "Das", "Do", "Does", "Du", "Ein",
    "Eine", "Einem", "Einen", "Einer", "Er", "Es", "For", "From", "Für", "Gegen", "Has", "Hast",
    "Hat", "Have", "Herr", "Herrn", "Frau", "How", "Ich", "If", "Ihr", "Im", "In", "Is", "It",
    "Kennt", "Mein", "Meine", "Mit", "Mr", "Mrs", "Ms", "My", "Nach", "Oder", "Our", "Sie",
    "So", "The", "Their", "This", "To", "Über", "Um", "Und", "Unser", "Unsere", "Von", "Vor",
    "Was", "We", "Weiß", "Wenn", "Wer", "What", "When", "Which", "Who", "Why", "Wie", "Wir",
    "With", "Would", "Your", "Zu", "Zum", "Zur",
];

/// Indefinite articles and possessives that turn a following "Herr" or "Frau" into a noun
/// ("ein Herr Mitte sechzig", "meine Frau"), not a salutation. Definite articles do not:
/// "die Frau Keller" is how many people speak of Frau Keller.
#[rustfmt::skip]
const NOUN_MAKERS: &[&str] = &[
    "ein", "eine", "einer", "einen", "einem", "eines", "mein", "meine", "meiner", "meinen",
    "meinem", "dein", "deine", "sein", "seine", "seiner", "seinen", "ihr", "ihre", "ihrer",
    "ihren", "unser", "unsere", "kein", "keine", "jede", "jeder", "welche", "welcher",
];

/// Particles inside a surname ("Herr von Ahlen", "Mr van der Berg").
#[rustfmt::skip]
pub const PARTICLES: &[&str] = &[
    "von der", "van der", "van den", "de la", "von", "vom", "van", "de", "di", "da", "del",
    "zu", "ten", "ter",
];

/// Abbreviations whose full stop does not end a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "Dr", "Prof", "Mr", "Mrs", "Ms", "St", "Nr", "Co", "Inc", "Ltd", "Corp", "Mio", "Mrd",
    "Tsd", "ca", "bzw", "evtl", "ggf", "usw", "etc", "vs", "z.B", "u.a", "d.h", "No", "approx",
];

#[rustfmt::skip]
const GERMAN_FUNCTION_WORDS: &[&str] = &[
    "der", "das", "und", "ich", "nicht", "ist", "ein", "eine", "zu", "mit", "den", "von", "sie",
    "es", "wie", "auf", "für", "dass", "bei", "auch", "noch", "wir", "du", "hat", "sich", "im",
    "dem", "des", "oder", "aber", "wenn", "mich", "mir", "dir", "kunde", "kunden", "hab",
    "habe",
];

#[rustfmt::skip]
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "to", "a", "of", "is", "you", "it", "that", "for", "on", "with", "how", "do",
    "i", "my", "we", "our", "your", "this", "be", "are", "at", "or", "what", "but", "if", "can",
    "they", "he", "she", "from", "me", "him", "her", "would", "should",
];

fn contains(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

pub fn is_given_name(word: &str) -> bool {
    contains(GIVEN_NAMES, word)
}

/// A word that names a person even without a salutation.
pub fn is_known_name(word: &str) -> bool {
    contains(GIVEN_NAMES, word) || contains(SURNAMES, word)
}

pub fn is_not_a_name(word: &str) -> bool {
    contains(NOT_A_NAME, word)
}

pub fn is_english_non_name(word: &str) -> bool {
    contains(ENGLISH_NOT_NAMES, word)
}

pub fn is_leading_function_word(word: &str) -> bool {
    contains(LEADING_FUNCTION_WORDS, word)
}

pub fn makes_a_noun(word: &str) -> bool {
    NOUN_MAKERS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

pub fn is_abbreviation(word: &str) -> bool {
    contains(ABBREVIATIONS, word)
}

/// Whether the text reads as English rather than German, by counting function words. English
/// writers capitalise names only, so a capitalised word inside a sentence is a name there; in
/// German every noun is capitalised.
pub fn reads_english(text: &str) -> bool {
    let (mut de, mut en) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        de += usize::from(contains(GERMAN_FUNCTION_WORDS, &lower));
        en += usize::from(contains(ENGLISH_FUNCTION_WORDS, &lower));
    }
    en > de
}
