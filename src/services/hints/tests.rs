//! Each kind of hint on examples, and the look-alikes that must stay unmarked.

use super::{Hint, Kind, char_offsets, detect};

/// The marked words of `text`, as `(kind, words)`.
fn marked(text: &str, list: &[&str]) -> Vec<(&'static str, String)> {
    let list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
    detect(text, &list)
        .iter()
        .map(|h| (h.kind.key(), h.text(text).to_owned()))
        .collect()
}

fn only(text: &str, kind: Kind) -> Vec<String> {
    marked(text, &[])
        .into_iter()
        .filter(|(k, _)| *k == kind.key())
        .map(|(_, t)| t)
        .collect()
}

#[track_caller]
fn assert_marks(text: &str, kind: Kind, expected: &[&str]) {
    assert_eq!(only(text, kind), expected, "{:?} in {text:?}", kind.key());
}

#[track_caller]
fn assert_nothing(text: &str) {
    assert_eq!(marked(text, &[]), vec![], "nothing to mark in {text:?}");
}

#[test]
fn e_mail_addresses_are_marked_without_the_sentence_around_them() {
    assert_marks(
        "Schick es an m.wagner@peters-kollegen.example.de, bitte.",
        Kind::Email,
        &["m.wagner@peters-kollegen.example.de"],
    );
    assert_marks(
        "Sign-ups land in events@example.co.uk.",
        Kind::Email,
        &["events@example.co.uk"],
    );
    assert_nothing("Just @-mention me in the thread.");
    // The domain of an address is not a web address of its own.
    assert_marks("Schreib an info@example.de", Kind::Url, &[]);
}

#[test]
fn phone_numbers_in_german_and_international_formats_are_marked() {
    for number in [
        "0171 2345678",
        "(089) 123 45 67",
        "030/1234567",
        "0221-987654",
        "+49 89 1234567",
        "+49 (0)69 987 654 32",
        "0049 (0)40 123456-0",
        "+43 1 2345678",
        "+33 6 12 34 56 78",
        "+44 20 7946 0958",
        "+1 415 555 0100",
    ] {
        let text = format!("Ruf ihn unter {number} an.");
        assert_marks(&text, Kind::Phone, &[number]);
    }
}

#[test]
fn dates_times_versions_and_article_numbers_are_no_phone_numbers() {
    for text in [
        "Das Meeting ist am 12.03.2025 um 14:30.",
        "The meeting is on 03/12/2025 at 2:30 pm.",
        "Artikelnummer 4711-2030 ist ausverkauft.",
        "Nach dem Update auf Version 2.4.1 geht es.",
        "Zertifiziert nach DIN EN ISO 9001:2015.",
        "Wir liefern 500 Stück pro Monat, ab 1.000 Stück gibt es 3 % Skonto.",
        "Die Postleitzahl ist 01069.",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn ibans_are_marked_only_with_a_valid_checksum() {
    assert_marks(
        "Bankverbindung DE89 3704 0044 0532 0130 00 für die Gutschrift",
        Kind::Iban,
        &["DE89 3704 0044 0532 0130 00"],
    );
    assert_marks(
        "IBAN DE89370400440532013000 ohne Leerzeichen",
        Kind::Iban,
        &["DE89370400440532013000"],
    );
    assert_marks(
        "UK account GB29 NWBK 6016 1331 9268 19 for the bonus",
        Kind::Iban,
        &["GB29 NWBK 6016 1331 9268 19"],
    );
    // One digit off: the checksum fails, and it is no phone number either.
    assert_nothing("Bankverbindung DE89 3704 0044 0532 0130 01 für die Gutschrift");
    assert_nothing("Darf ich eine IBAN im CRM speichern?");
}

#[test]
fn web_addresses_with_or_without_scheme_are_marked_but_file_names_are_not() {
    assert_marks(
        "Auf www.example.de/referenzen stehen sie.",
        Kind::Url,
        &["www.example.de/referenzen"],
    );
    assert_marks(
        "Den Link https://angebot.example.de/kunde/4711?token=ab12 geschickt.",
        Kind::Url,
        &["https://angebot.example.de/kunde/4711?token=ab12"],
    );
    assert_marks(
        "They booked on example.com/demo.",
        Kind::Url,
        &["example.com/demo"],
    );
    assert_marks(
        "(see https://crm.example.com/deals/88231)",
        Kind::Url,
        &["https://crm.example.com/deals/88231"],
    );
    assert_nothing("Die Preisliste_2025.xlsx ist veraltet.");
    assert_nothing("My file proposal_v2.pdf got blocked.");
}

#[test]
fn people_after_salutations_and_titles_are_marked_with_their_titles() {
    for (text, person) in [
        (
            "Wie gehe ich damit um, dass Frau Keller absagt?",
            "Frau Keller",
        ),
        ("Herrn Albrecht hab ich was angeboten.", "Herrn Albrecht"),
        (
            "Wie reagieren: Herr Prof. Lindqvist unterbricht.",
            "Herr Prof. Lindqvist",
        ),
        (
            "Kann ich Frau Prof. Dr. Hübner duzen?",
            "Frau Prof. Dr. Hübner",
        ),
        ("Wie erreiche ich Dr. Anna Weber?", "Dr. Anna Weber"),
        ("Bei Herr von Ahlen klappt das.", "Herr von Ahlen"),
        (
            "Frau Müller-Lüdenscheidt hat angerufen.",
            "Frau Müller-Lüdenscheidt",
        ),
        ("Mr. O'Brien said to call him.", "Mr. O'Brien"),
        ("Ms Novak's team is split.", "Ms Novak"),
        (
            "Dr. Sarah Mbeki-Jones wants a pilot.",
            "Dr. Sarah Mbeki-Jones",
        ),
        ("die Frau Keller hat zugesagt", "Frau Keller"),
        (
            "Schreib an Herrn Dipl.-Ing. Weber.",
            "Herrn Dipl.-Ing. Weber",
        ),
        ("Herr Professor Weber kommt.", "Herr Professor Weber"),
        ("Frau Keller Bescheid geben?", "Frau Keller"),
    ] {
        assert_marks(text, Kind::Person, &[person]);
    }
}

#[test]
fn herr_and_frau_as_plain_nouns_are_no_people() {
    for text in [
        "Die Einkäuferin, eine Frau Anfang vierzig, wollte nur über den Preis reden.",
        "Ein Herr Mitte sechzig hat mir erklärt, warum er nie digital bestellt.",
        "Ich war nicht mehr Herr der Lage.",
        "Im Einkauf ist er der Herr im Haus.",
        "Meine Frau sagt, ich nehme das zu persönlich.",
        "„Meine Damen und Herren“, so fange ich an.",
        "Der Dr.-Ing. auf der Visitenkarte schüchtert mich ein.",
        "Do you address customers as Dr. or switch to first names?",
        "Waiting for Mr. Right? In sales there's no perfect prospect.",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn companies_are_marked_with_their_whole_legal_form() {
    for (text, company) in [
        (
            "Die Kleinschmidt Digital UG (haftungsbeschränkt) fragt.",
            "Kleinschmidt Digital UG (haftungsbeschränkt)",
        ),
        (
            "Der Einkäufer der Kessler Maschinenbau GmbH & Co. KG will mehr.",
            "Kessler Maschinenbau GmbH & Co. KG",
        ),
        (
            "Frau Dr. Lange von der Sommer & Partner KG fragt.",
            "Sommer & Partner KG",
        ),
        (
            "Ich hab Hansen Elektrotechnik e.K. ein Angebot geschickt.",
            "Hansen Elektrotechnik e.K.",
        ),
        (
            "How do I handle Acme Widgets Inc., who never commits?",
            "Acme Widgets Inc.",
        ),
        (
            "Has anyone sold to Ironbridge Manufacturing Corp? Nightmare.",
            "Ironbridge Manufacturing Corp",
        ),
        (
            "Why would Blue Harbor Analytics LLC ask for that?",
            "Blue Harbor Analytics LLC",
        ),
        (
            "Our reseller, Van Dijk Techniek B.V., wants rights.",
            "Van Dijk Techniek B.V.",
        ),
        ("Unser Kunde (Hoffmann Bau AG) will 8 %.", "Hoffmann Bau AG"),
        ("Wir beliefern die BASF SE seit Jahren.", "BASF SE"),
    ] {
        assert_marks(text, Kind::Company, &[company]);
    }
}

#[test]
fn legal_forms_without_a_name_are_no_company() {
    for text in [
        "Der Kunde ist eine kleine GmbH mit 40 Mitarbeitern.",
        "The customer is a small LLC with 12 employees.",
        "I work for a big PLC, and approvals take forever.",
        "Die AGB der Konkurrenz sind strenger.",
    ] {
        assert_nothing(text);
    }
}

#[test]
fn sensitive_names_match_whole_words_in_any_case() {
    let list = ["Falke", "Atlas Pro", "orion"];
    let found = |text: &str| -> Vec<String> {
        marked(text, &list)
            .into_iter()
            .filter(|(k, _)| *k == "sensitive")
            .map(|(_, t)| t)
            .collect()
    };
    assert_eq!(found("Wie beim Projekt Falke?"), ["Falke"]);
    assert_eq!(found("Die Leute bei ORION sind super."), ["ORION"]);
    assert_eq!(found("Atlas  Pro läuft gut"), ["Atlas  Pro"]);
    assert_eq!(found("Kestrel's and Orion's CTO"), ["Orion"]);
    for miss in [
        "Seit dem Start von Falkenauge",
        "Die Zahlen des Projekts Falkes",
        "Atlas Professional bundle",
    ] {
        assert_eq!(found(miss), Vec::<String>::new(), "{miss}");
    }
    assert_eq!(marked("Falke", &[]), vec![], "no list, no sensitive names");
}

#[test]
fn sums_and_discounts_are_marked_only_next_to_a_name() {
    assert_marks(
        "Der 48.000 € Deal mit der Hoffmann Bau AG hängt.",
        Kind::Money,
        &["48.000 €"],
    );
    assert_marks(
        "Ich hab Müller letzte Woche 15 % Rabatt zugesagt.",
        Kind::Money,
        &["15 %"],
    );
    assert_marks(
        "Mit Falke reden wir über 1,2 Mio. € Volumen.",
        Kind::Money,
        &[],
    );
    assert_eq!(
        marked("Mit Falke reden wir über 1,2 Mio. € Volumen.", &["Falke"]),
        [
            ("sensitive", "Falke".to_owned()),
            ("money", "1,2 Mio. €".to_owned())
        ]
    );
    assert_marks(
        "I promised Sterling a $2,500 credit.",
        Kind::Money,
        &["$2,500"],
    );
    assert_marks(
        "Mr Brennan agreed to a deal at £1.2m, but wait.",
        Kind::Money,
        &["£1.2m"],
    );
    assert_marks(
        "Wie nennst du Preise? Herr Petersen hat bei 19.900 € aufgelegt.",
        Kind::Money,
        &["19.900 €"],
    );
}

#[test]
fn prices_without_a_name_are_not_marked() {
    for text in [
        "Unser Listenpreis liegt bei 12.900 € netto, der Wettbewerb bei 11.500 €.",
        "15 % Rabatt sind bei uns üblich, aber mein Chef will höchstens 10 %.",
        "Seit dem 1.1. gilt bei uns eine Preiserhöhung von 4,5 %.",
        "Our prices go up 7% on January 1st.",
        "A 15% discount is standard, but my manager wants 10%.",
        // The name is in another sentence.
        "Herr Becker ruft morgen an. Unser Preis liegt bei 12.900 €.",
    ] {
        assert_eq!(only(text, Kind::Money), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn offsets_are_bytes_and_convert_to_characters() {
    // "Grüße" is 7 bytes and 5 characters.
    let text = "Grüße an Frau Öztürk: 0171 2345678";
    let hints = detect(text, &[]);
    assert_eq!(
        hints,
        [
            Hint {
                kind: Kind::Person,
                start: 11,
                end: 24
            },
            Hint {
                kind: Kind::Phone,
                start: 26,
                end: 38
            },
        ]
    );
    let chars = char_offsets(text, &hints);
    let as_chars: Vec<char> = text.chars().collect();
    let words: String = as_chars[chars[0].start..chars[0].end].iter().collect();
    assert_eq!(words, "Frau Öztürk");
    assert_eq!((chars[1].start, chars[1].end), (22, 34));
}

#[test]
fn every_kind_has_a_stable_key() {
    for kind in Kind::ALL {
        assert_eq!(Kind::from_key(kind.key()), Some(kind));
    }
    assert_eq!(Kind::from_key("nothing"), None);
}

#[test]
fn a_long_answer_is_checked_quickly() {
    let paragraph = "Herr Schulze von der Brandt Logistik GmbH will 12 % Rabatt, ruf ihn unter 0171 2345678 an oder schreib an einkauf@example.de. Unser Listenpreis liegt bei 12.900 € netto, und der Kunde zögert seit Wochen. ";
    let text = paragraph.repeat(20_000 / paragraph.len() + 1);
    let list: Vec<String> = (0..500).map(|i| format!("Kunde{i}")).collect();
    detect(&text, &list); // warms the pattern tables
    let started = std::time::Instant::now();
    let hints = detect(&text, &list);
    let took = started.elapsed();
    assert!(hints.len() > 400);
    // Debug builds are many times slower than release (where it is a few milliseconds).
    let limit = if cfg!(debug_assertions) { 1000 } else { 10 };
    assert!(took.as_millis() < limit, "took {took:?}");
}
