//! Lessons and learning paths as files: Markdown with TOML front matter (between `+++` lines)
//! and one TOML file per path. `import-lessons` and the demo seed read them; `export-lessons`
//! writes them back. Importing the same files twice changes nothing.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use entity::{learning_path, lesson, path_lesson};

use crate::domain::Msg;
use crate::domain::lesson::{CheckOption, LessonContent, LessonInput, QuestionInput};
use crate::error::{AppError, AppResult};
use crate::policy::lesson_status;
use crate::services::lessons::{self, slugify};
use crate::services::paths::{self, PathInput};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: String,
    title: String,
    #[serde(default)]
    summary: String,
    topic: String,
    language: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    takeaways: Vec<String>,
    #[serde(default)]
    check: Vec<FrontQuestion>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontQuestion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    question: String,
    kind: String,
    options: Vec<CheckOption>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathFile {
    slug: String,
    title: String,
    #[serde(default)]
    description: String,
    language: String,
    lessons: Vec<String>,
}

/// What an import did, file by file.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub skipped: Vec<String>,
    /// `file:line: reason`; nothing of such a file was imported.
    pub failed: Vec<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses one lesson file into its slug and checked content, or `line: reason`.
pub fn parse_lesson(text: &str) -> Result<(String, LessonContent), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err("1: the file must start with a +++ line that opens the front matter".into());
    }
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let Some(end_rel) = text[start..]
        .split_inclusive('\n')
        .scan(0usize, |pos, line| {
            let here = *pos;
            *pos += line.len();
            Some((here, line))
        })
        .find(|(_, line)| line.trim_end() == "+++")
        .map(|(pos, _)| pos)
    else {
        return Err("1: the front matter is not closed by a +++ line".into());
    };
    let front = &text[start..start + end_rel];
    let body_start = start + end_rel + text[start + end_rel..].find('\n').map_or(3, |i| i + 1);
    let body = text.get(body_start..).unwrap_or("");
    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(front, s.start) + 1);
        format!("{line}: {}", e.message().trim())
    })?;
    let slug = slugify(&fm.slug);
    if slug != fm.slug {
        return Err(format!(
            "2: slug {:?} must be lowercase letters, digits and hyphens (e.g. {slug:?})",
            fm.slug
        ));
    }
    let input = LessonInput {
        title: fm.title,
        summary: fm.summary,
        body_md: body.trim().to_owned(),
        topic: fm.topic,
        language: fm.language,
        tags: fm.tags,
        takeaways: fm.takeaways,
        check: fm
            .check
            .into_iter()
            .map(|q| QuestionInput {
                key: q.key,
                question: q.question,
                kind: q.kind,
                options: q.options,
            })
            .collect(),
    };
    let content = LessonContent::parse(input).map_err(|e| format!("1: {e}"))?;
    Ok((slug, content))
}

/// Writes a lesson in the file format `parse_lesson` reads.
pub fn render_lesson(slug: &str, c: &LessonContent) -> anyhow::Result<String> {
    let fm = FrontMatter {
        slug: slug.to_owned(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        topic: c.topic.key().to_owned(),
        language: c.language.as_str().to_owned(),
        tags: c.tags.clone(),
        takeaways: c.takeaways.clone(),
        check: c
            .check
            .iter()
            .map(|q| FrontQuestion {
                key: Some(q.key.clone()),
                question: q.question.clone(),
                kind: match q.kind {
                    crate::domain::lesson::CheckKind::Single => "single".into(),
                    crate::domain::lesson::CheckKind::Multiple => "multiple".into(),
                },
                options: q.options.clone(),
            })
            .collect(),
    };
    Ok(format!(
        "+++\n{}+++\n\n{}\n",
        toml::to_string(&fm)?,
        c.body_md.trim()
    ))
}

fn files_with(dir: &Path, extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    Ok(files)
}

enum Outcome {
    Created,
    Updated,
    Unchanged,
    Skipped(String),
}

async fn import_lesson(
    db: &DatabaseConnection,
    slug: &str,
    content: &LessonContent,
) -> AppResult<Outcome> {
    let txn = crate::db::begin_write(db).await?;
    let existing = lesson::Entity::find()
        .filter(lesson::Column::Slug.eq(slug))
        .one(&txn)
        .await?;
    let outcome = match existing {
        Some(m) if m.status == lesson_status::ARCHIVED => {
            Outcome::Skipped("archived; restore it to import again".into())
        }
        Some(m) => {
            if m.status == lesson_status::PUBLISHED && same_content(&m, content)? {
                Outcome::Unchanged
            } else {
                let mut row = content_update(m.id, content)?;
                row.status = Set(lesson_status::DRAFT.into());
                let updated = row.update(&txn).await?;
                lessons::publish_working_copy(&txn, updated, None).await?;
                Outcome::Updated
            }
        }
        None => {
            let created = lessons::insert_working(&txn, slug, None, content).await?;
            let m = lesson::Entity::find_by_id(created.id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            lessons::publish_working_copy(&txn, m, None).await?;
            Outcome::Created
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

fn same_content(m: &lesson::Model, c: &LessonContent) -> AppResult<bool> {
    let current = content_update(m.id, c)?;
    Ok(current.title.as_ref() == &m.title
        && current.summary.as_ref() == &m.summary
        && current.body_md.as_ref() == &m.body_md
        && current.topic.as_ref() == &m.topic
        && current.language.as_ref() == &m.language
        && current.tags.as_ref() == &m.tags
        && current.takeaways.as_ref() == &m.takeaways
        && current.check_json.as_ref() == &m.check_json)
}

fn content_update(id: i64, c: &LessonContent) -> AppResult<lesson::ActiveModel> {
    let json = |v: &dyn erased_json::ToJson| v.to_json();
    Ok(lesson::ActiveModel {
        id: Unchanged(id),
        title: Set(c.title.clone()),
        summary: Set(c.summary.clone()),
        body_md: Set(c.body_md.clone()),
        topic: Set(c.topic.key().into()),
        language: Set(c.language.as_str().into()),
        tags: Set(json(&c.tags)?),
        takeaways: Set(json(&c.takeaways)?),
        check_json: Set(json(&c.check)?),
        reading_minutes: Set(c.reading_minutes),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
}

/// Lets one closure serialise the differently typed lists of a lesson.
mod erased_json {
    use crate::error::{AppError, AppResult};

    pub trait ToJson {
        fn to_json(&self) -> AppResult<String>;
    }

    impl<T: serde::Serialize> ToJson for T {
        fn to_json(&self) -> AppResult<String> {
            serde_json::to_string(self).map_err(|e| AppError::Unexpected(e.into()))
        }
    }
}

/// Imports `DIR/lessons/*.md` (or `DIR/*.md`) and then `DIR/paths/*.toml`. Each file is
/// imported whole or not at all; a broken file is reported and the rest goes on.
pub async fn import_dir(db: &DatabaseConnection, dir: &Path) -> anyhow::Result<ImportReport> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", dir.display());
    }
    let mut report = ImportReport::default();
    let mut lesson_files = files_with(&dir.join("lessons"), "md")?;
    lesson_files.extend(
        files_with(dir, "md")?
            .into_iter()
            .filter(|p| !p.ends_with("README.md")),
    );
    for file in lesson_files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                report
                    .failed
                    .push(format!("{name}:1: cannot read the file: {e}"));
                continue;
            }
        };
        let (slug, content) = match parse_lesson(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                report.failed.push(format!("{name}:{e}"));
                continue;
            }
        };
        match import_lesson(db, &slug, &content).await {
            Ok(Outcome::Created) => report.created.push(slug),
            Ok(Outcome::Updated) => report.updated.push(slug),
            Ok(Outcome::Unchanged) => report.unchanged.push(slug),
            Ok(Outcome::Skipped(why)) => report.skipped.push(format!("{slug}: {why}")),
            Err(e) => report.failed.push(format!("{name}:1: {e}")),
        }
    }
    for file in files_with(&dir.join("paths"), "toml")? {
        let name = file.display().to_string();
        let parsed = std::fs::read_to_string(&file)
            .map_err(|e| format!("1: cannot read the file: {e}"))
            .and_then(|text| {
                toml::from_str::<PathFile>(&text).map_err(|e| {
                    let line = e.span().map_or(1, |s| line_of(&text, s.start));
                    format!("{line}: {}", e.message().trim())
                })
            });
        let path = match parsed {
            Ok(p) => p,
            Err(e) => {
                report.failed.push(format!("{name}:{e}"));
                continue;
            }
        };
        match import_path(db, &path).await {
            Ok(Outcome::Created) => report.created.push(format!("path {}", path.slug)),
            Ok(Outcome::Updated) => report.updated.push(format!("path {}", path.slug)),
            Ok(_) => report.unchanged.push(format!("path {}", path.slug)),
            Err(e) => report.failed.push(format!("{name}:1: {e}")),
        }
    }
    Ok(report)
}

async fn import_path(db: &DatabaseConnection, p: &PathFile) -> AppResult<Outcome> {
    let txn = crate::db::begin_write(db).await?;
    if let Some(existing) = learning_path::Entity::find()
        .filter(learning_path::Column::Slug.eq(p.slug.as_str()))
        .one(&txn)
        .await?
    {
        let members = path_lesson::Entity::find()
            .filter(path_lesson::Column::PathId.eq(existing.id))
            .all(&txn)
            .await?;
        let mut current: Vec<(i32, i64)> =
            members.iter().map(|m| (m.position, m.lesson_id)).collect();
        current.sort_unstable();
        let mut wanted = Vec::new();
        for slug in &p.lessons {
            match lesson::Entity::find()
                .filter(lesson::Column::Slug.eq(slug.as_str()))
                .one(&txn)
                .await?
            {
                Some(l) => wanted.push(l.id),
                None => {
                    return Err(AppError::Invalid(
                        Msg::new("lesson_unknown").arg("lesson", slug),
                    ));
                }
            }
        }
        let same = existing.title == p.title.trim()
            && existing.description == p.description.trim()
            && existing.language == p.language
            && current.iter().map(|(_, id)| *id).collect::<Vec<_>>() == wanted;
        if same {
            return Ok(Outcome::Unchanged);
        }
    }
    let input = PathInput {
        slug: Some(p.slug.clone()),
        title: p.title.clone(),
        description: p.description.clone(),
        language: p.language.clone(),
        lessons: p.lessons.clone(),
    };
    let (_, created) = paths::save(&txn, None, &input, true).await?;
    txn.commit().await?;
    Ok(if created {
        Outcome::Created
    } else {
        Outcome::Updated
    })
}

/// Writes every published, not archived lesson and every path into `DIR/lessons` and
/// `DIR/paths`. Returns (lessons, paths) written.
pub async fn export_dir(db: &DatabaseConnection, dir: &Path) -> anyhow::Result<(usize, usize)> {
    let lessons_dir = dir.join("lessons");
    let paths_dir = dir.join("paths");
    std::fs::create_dir_all(&lessons_dir)?;
    std::fs::create_dir_all(&paths_dir)?;
    let rows = lesson::Entity::find().all(db).await?;
    let mut lessons_written = 0;
    for m in rows {
        if m.status == lesson_status::ARCHIVED {
            continue;
        }
        let Some(revision_id) = m.published_revision_id else {
            continue;
        };
        let Some(revision) = entity::lesson_revision::Entity::find_by_id(revision_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let input = LessonInput {
            title: revision.title,
            summary: revision.summary,
            body_md: revision.body_md,
            topic: revision.topic,
            language: revision.language,
            tags: serde_json::from_str(&revision.tags).unwrap_or_default(),
            takeaways: serde_json::from_str(&revision.takeaways).unwrap_or_default(),
            check: serde_json::from_str::<Vec<crate::domain::lesson::CheckQuestion>>(
                &revision.check_json,
            )
            .unwrap_or_default()
            .into_iter()
            .map(|q| QuestionInput {
                key: Some(q.key),
                question: q.question,
                kind: if q.kind == crate::domain::lesson::CheckKind::Single {
                    "single".into()
                } else {
                    "multiple".into()
                },
                options: q.options,
            })
            .collect(),
        };
        let content = LessonContent::parse(input).map_err(anyhow::Error::msg)?;
        std::fs::write(
            lessons_dir.join(format!("{}.md", m.slug)),
            render_lesson(&m.slug, &content)?,
        )?;
        lessons_written += 1;
    }
    let mut paths_written = 0;
    for p in learning_path::Entity::find().all(db).await? {
        let mut members = path_lesson::Entity::find()
            .filter(path_lesson::Column::PathId.eq(p.id))
            .all(db)
            .await?;
        members.sort_by_key(|m| m.position);
        let mut slugs = Vec::new();
        for m in members {
            if let Some(l) = lesson::Entity::find_by_id(m.lesson_id).one(db).await? {
                slugs.push(l.slug);
            }
        }
        let file = PathFile {
            slug: p.slug.clone(),
            title: p.title,
            description: p.description,
            language: p.language,
            lessons: slugs,
        };
        std::fs::write(
            paths_dir.join(format!("{}.toml", p.slug)),
            toml::to_string(&file)?,
        )?;
        paths_written += 1;
    }
    Ok((lessons_written, paths_written))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nslug = \"kurz\"\ntitle = \"Kurz\"\ntopic = \"closing\"\nlanguage = \"de\"\n\n[[check]]\nquestion = \"Q?\"\nkind = \"single\"\n[[check.options]]\ntext = \"a\"\ncorrect = true\n[[check.options]]\ntext = \"b\"\ncorrect = false\n+++\n\nText des Körpers.\n";

    #[test]
    fn a_lesson_file_parses_and_renders_back_to_the_same_content() {
        let (slug, content) = parse_lesson(GOOD).unwrap();
        assert_eq!(slug, "kurz");
        assert_eq!(content.body_md, "Text des Körpers.");
        let again = render_lesson(&slug, &content).unwrap();
        assert_eq!(parse_lesson(&again).unwrap(), (slug, content));
    }

    #[test]
    fn broken_front_matter_names_the_line() {
        let broken = GOOD.replace("topic = \"closing\"", "topic = closing");
        let err = parse_lesson(&broken).unwrap_err();
        assert!(err.starts_with("4:"), "{err}");
        let unknown = GOOD.replace(
            "topic = \"closing\"",
            "topic = \"closing\"\ncolour = \"red\"",
        );
        assert!(parse_lesson(&unknown).unwrap_err().contains("colour"));
        assert!(
            parse_lesson("no front matter")
                .unwrap_err()
                .starts_with("1:")
        );
        assert!(
            parse_lesson("+++\nslug = \"x\"\n")
                .unwrap_err()
                .contains("not closed")
        );
        let no_correct = GOOD.replace("correct = true", "correct = false");
        assert!(
            parse_lesson(&no_correct)
                .unwrap_err()
                .contains("no correct option")
        );
    }

    #[test]
    fn every_starter_lesson_parses() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/starter/lessons");
        let files = files_with(&dir, "md").unwrap();
        assert!(
            files.len() >= 24,
            "the starter pack has at least 24 lessons"
        );
        let mut english = 0;
        let mut topics = std::collections::HashSet::new();
        for f in files {
            let (_, c) = parse_lesson(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| panic!("{}:{e}", f.display()));
            assert!(
                !c.check.is_empty(),
                "{} has no knowledge check",
                f.display()
            );
            assert!(
                (2..=10).contains(&c.reading_minutes),
                "{}: {} minutes",
                f.display(),
                c.reading_minutes
            );
            english += usize::from(c.language == crate::domain::Locale::En);
            topics.insert(c.topic);
        }
        assert!(english >= 3, "several English lessons");
        assert!(topics.len() >= 9, "every topic is covered: {topics:?}");
    }
}
