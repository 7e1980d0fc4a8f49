//! A lesson's content as trainers write it, checked once: lengths, topic, language, tags,
//! takeaways, the knowledge check and the reading time.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::community::length as bounded;
use super::{Locale, Msg, Topic};

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 500;
pub const MAX_BODY: usize = 60_000;
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 40;
pub const MAX_TAKEAWAYS: usize = 8;
pub const MAX_TAKEAWAY: usize = 300;
pub const MAX_QUESTIONS: usize = 10;
pub const MAX_OPTIONS: usize = 8;
/// Reading speed used for the estimate (words per minute).
pub const WORDS_PER_MINUTE: usize = 200;
/// Above this the editor warns; above `REFUSE_MINUTES` the lesson must be split.
pub const WARN_MINUTES: i32 = 10;
pub const REFUSE_MINUTES: i32 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    Single,
    Multiple,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOption {
    pub text: String,
    pub correct: bool,
    #[serde(default)]
    pub explanation: String,
}

/// One knowledge-check question. `key` stays the same across revisions while the question
/// text does, so spaced review can follow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckQuestion {
    pub key: String,
    pub question: String,
    pub kind: CheckKind,
    pub options: Vec<CheckOption>,
}

/// Unchecked input for a lesson (from the API, the editor or an imported file).
#[derive(Clone, Debug, Default)]
pub struct LessonInput {
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub topic: String,
    pub language: String,
    pub tags: Vec<String>,
    pub takeaways: Vec<String>,
    pub check: Vec<QuestionInput>,
}

#[derive(Clone, Debug)]
pub struct QuestionInput {
    pub key: Option<String>,
    pub question: String,
    pub kind: String,
    pub options: Vec<CheckOption>,
}

/// Lesson content that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonContent {
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub topic: Topic,
    pub language: Locale,
    pub tags: Vec<String>,
    pub takeaways: Vec<String>,
    pub check: Vec<CheckQuestion>,
    pub reading_minutes: i32,
}

/// Estimated reading minutes of a text, at least 1.
pub fn reading_minutes(text: &str) -> i32 {
    let words = text.split_whitespace().count();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as i32
}

fn question_key(question: &str) -> String {
    hex_prefix(&Sha256::digest(question.trim().as_bytes()))
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

impl LessonContent {
    pub fn parse(input: LessonInput) -> Result<Self, Msg> {
        let title = bounded(Msg::new("field_title"), &input.title, 1, MAX_TITLE)?;
        let summary = bounded(Msg::new("field_summary"), &input.summary, 0, MAX_SUMMARY)?;
        let body_md = bounded(Msg::new("field_body"), &input.body_md, 1, MAX_BODY)?;
        let topic = Topic::parse(&input.topic)?;
        let language = Locale::parse(&input.language)
            .ok_or_else(|| Msg::new("language_unknown").arg("value", input.language.trim()))?;
        if input.tags.len() > MAX_TAGS {
            return Err(Msg::new("tags_too_many").arg("max", MAX_TAGS));
        }
        let mut tags = Vec::new();
        for tag in &input.tags {
            let tag = bounded(Msg::new("field_tag"), &tag.to_lowercase(), 1, MAX_TAG)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if input.takeaways.len() > MAX_TAKEAWAYS {
            return Err(Msg::new("takeaways_too_many").arg("max", MAX_TAKEAWAYS));
        }
        let takeaways = input
            .takeaways
            .iter()
            .map(|t| bounded(Msg::new("field_takeaway"), t, 1, MAX_TAKEAWAY))
            .collect::<Result<Vec<_>, _>>()?;
        if input.check.len() > MAX_QUESTIONS {
            return Err(Msg::new("check_too_many_questions").arg("max", MAX_QUESTIONS));
        }
        let mut check = Vec::new();
        for (i, q) in input.check.iter().enumerate() {
            let n = i + 1;
            let question = bounded(
                Msg::new("field_check_question").arg("n", n),
                &q.question,
                1,
                500,
            )?;
            let kind = match q.kind.trim() {
                "single" => CheckKind::Single,
                "multiple" => CheckKind::Multiple,
                other => {
                    return Err(Msg::new("check_kind_unknown")
                        .arg("n", n)
                        .arg("kind", other));
                }
            };
            if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                return Err(Msg::new("check_option_count")
                    .arg("n", n)
                    .arg("max", MAX_OPTIONS));
            }
            let mut options = Vec::new();
            for (j, o) in q.options.iter().enumerate() {
                let option = j + 1;
                let text = Msg::new("field_check_option")
                    .arg("n", n)
                    .arg("option", option);
                let explanation = Msg::new("field_check_option_explanation")
                    .arg("n", n)
                    .arg("option", option);
                options.push(CheckOption {
                    text: bounded(text, &o.text, 1, 300)?,
                    correct: o.correct,
                    explanation: bounded(explanation, &o.explanation, 0, 1000)?,
                });
            }
            let correct = options.iter().filter(|o| o.correct).count();
            if correct == 0 {
                return Err(Msg::new("check_no_correct_option").arg("n", n));
            }
            if kind == CheckKind::Single && correct != 1 {
                return Err(Msg::new("check_single_choice")
                    .arg("n", n)
                    .arg("correct", correct));
            }
            let key = match &q.key {
                Some(k) if !k.trim().is_empty() => {
                    bounded(Msg::new("field_check_question_key").arg("n", n), k, 1, 40)?
                }
                _ => question_key(&question),
            };
            if check.iter().any(|c: &CheckQuestion| c.key == key) {
                return Err(Msg::new("check_repeated_question").arg("n", n));
            }
            check.push(CheckQuestion {
                key,
                question,
                kind,
                options,
            });
        }
        let all_text = format!("{title} {summary} {body_md} {}", takeaways.join(" "));
        let reading_minutes = reading_minutes(&all_text);
        if reading_minutes > REFUSE_MINUTES {
            return Err(Msg::new("lesson_too_long")
                .arg("minutes", reading_minutes)
                .arg("max", REFUSE_MINUTES));
        }
        Ok(Self {
            title,
            summary,
            body_md,
            topic,
            language,
            tags,
            takeaways,
            check,
            reading_minutes,
        })
    }

    /// A hint for the editor, not an error.
    pub fn warnings(&self) -> Vec<Msg> {
        if self.reading_minutes > WARN_MINUTES {
            vec![
                Msg::new("lesson_long_warning")
                    .arg("minutes", self.reading_minutes)
                    .arg("max", WARN_MINUTES),
            ]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn input() -> LessonInput {
        LessonInput {
            title: "Zu teuer?".into(),
            summary: "Preiseinwand".into(),
            body_md: "Ein kurzer Text.".into(),
            topic: "negotiation".into(),
            language: "de".into(),
            tags: vec!["Preis".into(), "preis".into()],
            takeaways: vec!["Fragen statt rechtfertigen".into()],
            check: vec![QuestionInput {
                key: None,
                question: "Was zuerst?".into(),
                kind: "single".into(),
                options: vec![
                    CheckOption {
                        text: "Rabatt".into(),
                        correct: false,
                        explanation: "Nein".into(),
                    },
                    CheckOption {
                        text: "Nachfragen".into(),
                        correct: true,
                        explanation: "Ja".into(),
                    },
                ],
            }],
        }
    }

    #[test]
    fn valid_content_is_normalised() {
        let c = LessonContent::parse(input()).unwrap();
        assert_eq!(c.tags, vec!["preis"]);
        assert_eq!(c.reading_minutes, 1);
        assert_eq!(c.check[0].key.len(), 12);
        assert!(c.warnings().is_empty());
    }

    #[test]
    fn bad_content_is_refused_with_a_clear_reason() {
        type Change = Box<dyn Fn(&mut LessonInput)>;
        let cases: Vec<(Change, &str)> = vec![
            (
                Box::new(|i| i.body_md = "  ".into()),
                "body must not be empty",
            ),
            (
                Box::new(|i| i.title = String::new()),
                "title must not be empty",
            ),
            (Box::new(|i| i.topic = "haggling".into()), "unknown topic"),
            (Box::new(|i| i.language = "fr".into()), "language"),
            (
                Box::new(|i| i.check[0].options[1].correct = false),
                "no correct option",
            ),
            (
                Box::new(|i| i.check[0].options[0].correct = true),
                "single choice",
            ),
            (
                Box::new(|i| i.check[0].kind = "essay".into()),
                "single or multiple",
            ),
            (Box::new(|i| i.check[0].options.truncate(1)), "2 to"),
            (Box::new(|i| i.body_md = "wort ".repeat(3100)), "split it"),
        ];
        for (change, expected) in cases {
            let mut i = input();
            change(&mut i);
            let err = LessonContent::parse(i).unwrap_err().to_string();
            assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        }
    }

    #[test]
    fn long_lessons_warn_before_they_are_refused() {
        let mut i = input();
        i.body_md = "wort ".repeat(2300);
        let c = LessonContent::parse(i).unwrap();
        assert_eq!(c.reading_minutes, 12);
        assert_eq!(c.warnings().len(), 1);
    }
}
