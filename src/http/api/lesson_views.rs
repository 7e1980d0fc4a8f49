//! Response and request shapes of the lesson, learning and path operations.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::Object;

use crate::domain::lesson::{CheckKind, CheckOption, LessonInput, QuestionInput};
use crate::services::learning::{DueQuestion, LessonStats, MyLessonState, Verdict};
use crate::services::lessons::{OpenQuestion, PublishedLesson, WorkingLesson};
use crate::services::paths::PathView;

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TopicView {
    pub key: String,
    pub label_de: String,
    pub label_en: String,
}

/// A published lesson in a list.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonSummaryView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub topic: String,
    pub language: String,
    pub tags: Vec<String>,
    pub reading_minutes: i32,
    pub published_at: DateTime<Utc>,
}

impl From<&PublishedLesson> for LessonSummaryView {
    fn from(l: &PublishedLesson) -> Self {
        Self {
            id: l.lesson_id,
            slug: l.slug.clone(),
            title: l.title.clone(),
            summary: l.summary.clone(),
            topic: l.topic.key().into(),
            language: l.language.as_str().into(),
            tags: l.tags.clone(),
            reading_minutes: l.reading_minutes,
            published_at: l.published_at,
        }
    }
}

/// A question of the knowledge check, without its answers.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionView {
    pub key: String,
    pub question: String,
    /// `single` or `multiple`.
    pub kind: String,
    pub options: Vec<String>,
}

fn kind_key(kind: CheckKind) -> String {
    match kind {
        CheckKind::Single => "single".into(),
        CheckKind::Multiple => "multiple".into(),
    }
}

impl From<&OpenQuestion> for QuestionView {
    fn from(q: &OpenQuestion) -> Self {
        Self {
            key: q.key.clone(),
            question: q.question.clone(),
            kind: kind_key(q.kind),
            options: q.options.clone(),
        }
    }
}

/// The viewer's own state on a lesson.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MyLessonStateView {
    pub opened: bool,
    pub completed: bool,
    pub check_correct: Option<i32>,
    pub check_total: Option<i32>,
    pub bookmarked: bool,
    pub rating: Option<i32>,
}

impl From<&MyLessonState> for MyLessonStateView {
    fn from(s: &MyLessonState) -> Self {
        Self {
            opened: s.opened,
            completed: s.completed,
            check_correct: s.check_correct,
            check_total: s.check_total,
            bookmarked: s.bookmarked,
            rating: s.rating,
        }
    }
}

/// A published lesson to read.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonView {
    #[oai(flatten)]
    pub summary: LessonSummaryView,
    pub revision: i32,
    /// Sanitised HTML of the body.
    pub body_html: String,
    pub takeaways: Vec<String>,
    pub check: Vec<QuestionView>,
    pub author_handle: Option<String>,
    pub me: MyLessonStateView,
}

impl LessonView {
    pub fn new(l: &PublishedLesson, me: &MyLessonState) -> Self {
        Self {
            summary: l.into(),
            revision: l.revision,
            body_html: l.body_html.clone(),
            takeaways: l.takeaways.clone(),
            check: l.open_questions().iter().map(QuestionView::from).collect(),
            author_handle: l.author_handle.clone(),
            me: me.into(),
        }
    }
}

#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct OptionWrite {
    #[oai(validator(max_length = 300))]
    pub text: String,
    pub correct: bool,
    #[oai(default, validator(max_length = 1000))]
    pub explanation: String,
}

#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionWrite {
    /// Stable key; derived from the question text when left out.
    #[oai(validator(max_length = 40))]
    pub key: Option<String>,
    #[oai(validator(max_length = 500))]
    pub question: String,
    /// `single` or `multiple`.
    #[oai(validator(max_length = 10))]
    pub kind: String,
    #[oai(validator(max_items = 8))]
    pub options: Vec<OptionWrite>,
}

/// A reviewer's request for changes.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewCommentRequest {
    /// What should change, 3 to 2,000 characters.
    #[oai(validator(max_length = 2000, pattern = r"\S"))]
    pub comment: String,
}

/// A lesson as a trainer writes it.
#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonWrite {
    /// Only when creating; derived from the title when left out.
    #[oai(validator(max_length = 80))]
    pub slug: Option<String>,
    #[oai(validator(max_length = 200))]
    pub title: String,
    #[oai(default, validator(max_length = 500))]
    pub summary: String,
    /// Markdown, at most 60,000 characters and 15 minutes of reading.
    #[oai(validator(max_length = 60000))]
    pub body: String,
    /// A topic key from `GET /topics`.
    #[oai(validator(max_length = 40))]
    pub topic: String,
    /// `de` or `en`.
    #[oai(validator(max_length = 5))]
    pub language: String,
    #[oai(default, validator(max_items = 10))]
    pub tags: Vec<String>,
    #[oai(default, validator(max_items = 8))]
    pub takeaways: Vec<String>,
    #[oai(default, validator(max_items = 10))]
    pub check: Vec<QuestionWrite>,
}

impl From<&LessonWrite> for LessonInput {
    fn from(w: &LessonWrite) -> Self {
        Self {
            title: w.title.clone(),
            summary: w.summary.clone(),
            body_md: w.body.clone(),
            topic: w.topic.clone(),
            language: w.language.clone(),
            tags: w.tags.clone(),
            takeaways: w.takeaways.clone(),
            check: w
                .check
                .iter()
                .map(|q| QuestionInput {
                    key: q.key.clone(),
                    question: q.question.clone(),
                    kind: q.kind.clone(),
                    options: q
                        .options
                        .iter()
                        .map(|o| CheckOption {
                            text: o.text.clone(),
                            correct: o.correct,
                            explanation: o.explanation.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A lesson's working copy and workflow state, for trainers.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct WorkingLessonView {
    pub id: i64,
    pub slug: String,
    /// `draft`, `in_review`, `published` or `archived`.
    pub status: String,
    pub author_id: Option<i64>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    pub language: String,
    pub tags: Vec<String>,
    pub takeaways: Vec<String>,
    pub check: Vec<QuestionWrite>,
    pub reading_minutes: i32,
    /// Hints for the editor, e.g. a reading time above 10 minutes.
    pub warnings: Vec<String>,
    /// The revision members currently see, if any.
    pub published_revision: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

impl From<&WorkingLesson> for WorkingLessonView {
    fn from(w: &WorkingLesson) -> Self {
        let c = &w.content;
        Self {
            id: w.id,
            slug: w.slug.clone(),
            status: w.status.clone(),
            author_id: w.author_id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            body: c.body_md.clone(),
            topic: c.topic.key().into(),
            language: c.language.as_str().into(),
            tags: c.tags.clone(),
            takeaways: c.takeaways.clone(),
            check: c
                .check
                .iter()
                .map(|q| QuestionWrite {
                    key: Some(q.key.clone()),
                    question: q.question.clone(),
                    kind: kind_key(q.kind),
                    options: q
                        .options
                        .iter()
                        .map(|o| OptionWrite {
                            text: o.text.clone(),
                            correct: o.correct,
                            explanation: o.explanation.clone(),
                        })
                        .collect(),
                })
                .collect(),
            reading_minutes: c.reading_minutes,
            warnings: c
                .warnings()
                .iter()
                .map(crate::http::language::words)
                .collect(),
            published_revision: w.published_revision,
            updated_at: w.updated_at,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RevisionView {
    pub number: i32,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct PreviewRequest {
    #[oai(validator(max_length = 60000))]
    pub body: String,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct PreviewView {
    pub html: String,
    pub reading_minutes: i32,
    pub warnings: Vec<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerWrite {
    #[oai(validator(max_length = 40))]
    pub question_key: String,
    /// Chosen option positions, starting at 0.
    #[oai(validator(max_items = 8))]
    pub selected: Vec<u32>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckRequest {
    #[oai(validator(max_items = 10))]
    pub answers: Vec<AnswerWrite>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OptionResultView {
    pub text: String,
    pub explanation: String,
    pub correct: bool,
    pub selected: bool,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct VerdictView {
    pub question_key: String,
    pub question: String,
    pub correct: bool,
    pub options: Vec<OptionResultView>,
    /// When this question comes back for review.
    pub next_review: NaiveDate,
}

impl From<&Verdict> for VerdictView {
    fn from(v: &Verdict) -> Self {
        Self {
            question_key: v.question_key.clone(),
            question: v.question.clone(),
            correct: v.correct,
            options: v
                .options
                .iter()
                .enumerate()
                .map(|(i, (text, explanation))| OptionResultView {
                    text: text.clone(),
                    explanation: explanation.clone(),
                    correct: v.correct_options.contains(&i),
                    selected: v.selected.contains(&i),
                })
                .collect(),
            next_review: v.next_review,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckResultView {
    pub correct: u32,
    pub total: u32,
    pub verdicts: Vec<VerdictView>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RatingWrite {
    /// 1 to 5.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub stars: i32,
    #[oai(validator(max_length = 2000))]
    pub feedback: Option<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewAnswerWrite {
    #[oai(validator(max_items = 8))]
    pub selected: Vec<u32>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct DueQuestionView {
    pub lesson_id: i64,
    pub lesson_slug: String,
    pub lesson_title: String,
    pub question: QuestionView,
    pub leitner_box: i32,
    pub due_on: NaiveDate,
}

impl From<&DueQuestion> for DueQuestionView {
    fn from(d: &DueQuestion) -> Self {
        Self {
            lesson_id: d.lesson_id,
            lesson_slug: d.lesson_slug.clone(),
            lesson_title: d.lesson_title.clone(),
            question: (&d.question).into(),
            leitner_box: d.leitner_box,
            due_on: d.due_on,
        }
    }
}

/// Counts and averages; feedback never says who gave it.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct StatsView {
    pub opened: u64,
    pub completed: u64,
    pub ratings: u64,
    pub average_rating: Option<f64>,
    /// How many ratings gave 1, 2, 3, 4 and 5 stars.
    pub stars: Vec<u64>,
    pub average_check_score: Option<f64>,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackView {
    pub stars: i32,
    pub text: String,
}

impl From<&LessonStats> for StatsView {
    fn from(s: &LessonStats) -> Self {
        Self {
            opened: s.opened,
            completed: s.completed,
            ratings: s.ratings,
            average_rating: s.average_rating,
            stars: s.stars.to_vec(),
            average_check_score: s.average_check_score,
            feedback: s
                .feedback
                .iter()
                .map(|(stars, text)| FeedbackView {
                    stars: *stars,
                    text: text.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct LearningPathView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub language: String,
    pub lessons: Vec<LessonSummaryView>,
    pub completed_lessons: u32,
    pub total_lessons: u32,
    pub percent: u32,
    pub following: bool,
}

impl From<&PathView> for LearningPathView {
    fn from(p: &PathView) -> Self {
        Self {
            id: p.id,
            slug: p.slug.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            language: p.language.as_str().into(),
            lessons: p.lessons.iter().map(LessonSummaryView::from).collect(),
            completed_lessons: p.completed() as u32,
            total_lessons: p.lessons.len() as u32,
            percent: p.percent(),
            following: p.following,
        }
    }
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct PathWrite {
    #[oai(validator(max_length = 80))]
    pub slug: Option<String>,
    #[oai(validator(max_length = 200))]
    pub title: String,
    #[oai(default, validator(max_length = 2000))]
    pub description: String,
    #[oai(validator(max_length = 5))]
    pub language: String,
    /// Lesson ids or slugs, in order.
    #[oai(validator(max_items = 50))]
    pub lessons: Vec<String>,
}

#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MyLearningView {
    pub in_progress: Vec<LessonSummaryView>,
    pub completed: Vec<LessonSummaryView>,
    pub bookmarks: Vec<LessonSummaryView>,
    pub due_reviews: u64,
    pub paths: Vec<LearningPathView>,
}
