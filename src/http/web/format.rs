//! Dates, numbers and plurals as each language writes them ("2. Dezember 2026",
//! "1 Antwort" / "3 Antworten"): pages never show ISO dates or "1 answers".

use chrono::{Datelike, NaiveDate};

use crate::domain::Locale;

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day as people write it: "2. Dezember 2026" / "2 December 2026".
pub fn date(locale: Locale, day: NaiveDate) -> String {
    let month = usize::try_from(day.month0()).unwrap_or(0).min(11);
    match locale {
        Locale::De => format!("{}. {} {}", day.day(), MONTHS_DE[month], day.year()),
        Locale::En => format!("{} {} {}", day.day(), MONTHS_EN[month], day.year()),
    }
}

/// `n` with the singular or plural word of the language.
pub fn count(
    locale: Locale,
    n: i64,
    (de_one, de_many): (&str, &str),
    (en_one, en_many): (&str, &str),
) -> String {
    let word = match (locale, n == 1) {
        (Locale::De, true) => de_one,
        (Locale::De, false) => de_many,
        (Locale::En, true) => en_one,
        (Locale::En, false) => en_many,
    };
    format!("{n} {word}")
}

pub fn answers(locale: Locale, n: i32) -> String {
    count(
        locale,
        i64::from(n),
        ("Antwort", "Antworten"),
        ("answer", "answers"),
    )
}

pub fn minutes(locale: Locale, n: i32) -> String {
    count(
        locale,
        i64::from(n),
        ("Minute", "Minuten"),
        ("minute", "minutes"),
    )
}

/// The catalogue key of a notification line: `notification_answer` for one,
/// `notification_answer_n` ("{n} new answers") for several.
pub fn notification_kind(kind: &str, count: usize) -> String {
    if count > 1 {
        format!("notification_{kind}_n")
    } else {
        format!("notification_{kind}")
    }
}

/// Where a notification leads: its thread, the lesson in the editor, or my learning.
pub fn notification_href(thread_id: Option<i64>, lesson_id: Option<i64>) -> String {
    match (thread_id, lesson_id) {
        (Some(t), _) => format!("/threads/{t}"),
        (None, Some(l)) => format!("/trainer/lessons/{l}/edit"),
        (None, None) => "/learning".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_plurals_follow_the_language() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        assert_eq!(date(Locale::De, day), "2. Dezember 2026");
        assert_eq!(date(Locale::En, day), "2 December 2026");
        assert_eq!(answers(Locale::De, 1), "1 Antwort");
        assert_eq!(answers(Locale::De, 3), "3 Antworten");
        assert_eq!(answers(Locale::En, 1), "1 answer");
        assert_eq!(answers(Locale::En, 0), "0 answers");
        assert_eq!(minutes(Locale::De, 5), "5 Minuten");
    }
}
