//! The full-text index over lessons and threads (tantivy). Documents in, hits out: this crate
//! knows neither the database nor HTTP, and it decides nothing about who may see what. Every
//! document carries the access-control tokens the application's policy gave it, and every
//! search is filtered inside the query by the principals the policy gave the viewer, so hits,
//! counts, facets and pages only ever contain what the viewer may see.

mod analysis;
mod bits;
mod caches;
mod facets;
mod lru;
mod plan;
mod ranking;
mod schema;
mod snippet;
mod stored;
mod typos;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, EnableScoring, FuzzyTermQuery, Occur, Query,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer, Token};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

use caches::SegmentCaches;
pub use facets::Facets;
use plan::{Clause, QueryPlan};
use ranking::TopK;
pub use ranking::{HELPFUL_CAP, boost};
use schema::Fields;
pub use schema::SCHEMA_VERSION;
use snippet::Highlighter;
use stored::StoredHit;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Lesson,
    Thread,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Self::Lesson => "lesson",
            Self::Thread => "thread",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "lesson" => Some(Self::Lesson),
            "thread" => Some(Self::Thread),
            _ => None,
        }
    }
}

/// Who may find a document, as the application's access policy decided. A viewer finds it when
/// one of their principals is in `strong`, or when one is in `weak` and none is in `deny`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acl {
    pub strong: Vec<String>,
    pub weak: Vec<String>,
    pub deny: Vec<String>,
}

impl Acl {
    /// The same rule the index applies, for checking a policy against it.
    pub fn admits(&self, principals: &[String]) -> bool {
        let any = |list: &[String]| list.iter().any(|t| principals.contains(t));
        any(&self.strong) || (any(&self.weak) && !any(&self.deny))
    }
}

/// One searchable document.
#[derive(Clone, Debug)]
pub struct Doc {
    pub kind: Kind,
    pub id: i64,
    /// `de` or `en`: the document is analyzed with this language.
    pub language: String,
    pub topic: String,
    pub slug: String,
    pub title: String,
    pub tags: Vec<String>,
    /// Plain text: a lesson's body and takeaways; a thread's question and visible answers.
    pub body: String,
    pub acl: Acl,
    pub accepted: bool,
    pub helpful: u64,
    /// Unix seconds.
    pub created: u64,
}

/// A change to apply.
#[derive(Clone, Debug)]
pub enum Change {
    Upsert(Box<Doc>),
    Delete(Kind, i64),
}

#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub text: String,
    pub principals: Vec<String>,
    pub kind: Option<Kind>,
    pub topic: Option<String>,
    pub language: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Clone, Debug)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub language: String,
    /// HTML with `<b>` around matches; the text itself is escaped.
    pub snippet_html: String,
    pub score: f32,
}

#[derive(Clone, Debug, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index lock poisoned")]
    Poisoned,
}

impl From<tantivy::directory::error::OpenDirectoryError> for IndexError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Self::Tantivy(e.into())
    }
}

/// What the index answers: a value or an [`IndexError`].
pub type Result<T> = std::result::Result<T, IndexError>;

/// Query-time analyzers; each search clones them because analysis needs `&mut`.
#[derive(Clone)]
struct Analyzers {
    de: TextAnalyzer,
    en: TextAnalyzer,
    split: TextAnalyzer,
    raw: TextAnalyzer,
}

/// One index folder with one writer and one long-lived reader.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzers: Analyzers,
    synonyms: RwLock<Vec<Vec<String>>>,
    caches: SegmentCaches,
}

const CURRENT: &str = "CURRENT";

impl SearchIndex {
    /// Opens the active index under `root` (named by `root/CURRENT`). Returns `None` when there
    /// is none yet or it was built by another schema version: the caller then builds one with
    /// [`SearchIndex::create_fresh`] and [`SearchIndex::activate`].
    pub fn open_current(root: &Path) -> Result<Option<Self>> {
        let Some(dir) = Self::current_dir(root)? else {
            return Ok(None);
        };
        Ok(Some(Self::open_dir(&dir)?))
    }

    /// The folder `root/CURRENT` names, when it exists and has this schema version.
    pub fn current_dir(root: &Path) -> Result<Option<PathBuf>> {
        let name = match std::fs::read_to_string(root.join(CURRENT)) {
            Ok(n) => n.trim().to_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let dir = root.join(&name);
        let version_ok = name.starts_with(&format!("v{SCHEMA_VERSION}-"));
        Ok((version_ok && dir.join("meta.json").exists()).then_some(dir))
    }

    /// Creates an empty index in a new folder under `root`; it is not active until `activate`.
    pub fn create_fresh(root: &Path) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = root.join(format!("v{SCHEMA_VERSION}-{nanos}"));
        std::fs::create_dir_all(&dir)?;
        let (schema, _) = schema::build();
        Index::builder()
            .schema(schema)
            .settings(IndexSettings {
                // A hit's stored fields are read by decompressing its whole block; small blocks
                // keep that to a few kilobytes per hit at a slightly larger index.
                docstore_blocksize: 4_096,
                ..IndexSettings::default()
            })
            .create_in_dir(&dir)?;
        Self::open_dir(&dir)
    }

    /// Makes this index the one `open_current` finds, atomically (write and rename).
    pub fn activate(&self) -> Result<()> {
        let root = self
            .dir
            .parent()
            .ok_or_else(|| std::io::Error::other("index folder has no parent"))?;
        let name = self
            .dir
            .file_name()
            .ok_or_else(|| std::io::Error::other("index folder has no name"))?;
        let tmp = root.join(format!("{CURRENT}.tmp"));
        std::fs::write(&tmp, name.to_string_lossy().as_bytes())?;
        std::fs::rename(&tmp, root.join(CURRENT))?;
        Ok(())
    }

    /// Removes index folders under `root` other than the active one and `keep`.
    pub fn remove_stale(root: &Path, keep: &Path) -> Result<()> {
        let current = Self::current_dir(root)?;
        for entry in std::fs::read_dir(root)?.flatten() {
            let path = entry.path();
            let is_index = path.is_dir() && entry.file_name().to_string_lossy().starts_with('v');
            if is_index && path != keep && Some(&path) != current.as_ref() {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn open_dir(dir: &Path) -> Result<Self> {
        let index = Index::open_in_dir(dir)?;
        let analyzers = Analyzers {
            de: analysis::german(),
            en: analysis::english(),
            split: analysis::german_split()?,
            raw: analysis::raw(),
        };
        for (name, analyzer) in analysis::all()? {
            index.tokenizers().register(name, analyzer);
        }
        let (_, fields) = schema::build();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // One writer per index; it is multi-threaded already. 64 MB keeps memory modest.
        let writer = index.writer_with_num_threads(1, 64_000_000)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzers,
            synonyms: RwLock::new(Vec::new()),
            caches: SegmentCaches::default(),
        })
    }

    /// The outbox position stored with the last commit.
    pub fn position(&self) -> Result<i64> {
        let meta = self.index.load_metas()?;
        Ok(meta
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    /// Applies changes and commits them together with the outbox `position`, so a restart
    /// resumes exactly after the last applied change.
    pub fn apply(&self, changes: &[Change], position: i64) -> Result<()> {
        let mut writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        let mut analyzers = self.analyzers.clone();
        for change in changes {
            match change {
                Change::Upsert(doc) => {
                    writer.delete_term(Term::from_field_text(
                        self.fields.id,
                        &doc_key(doc.kind, doc.id),
                    ));
                    writer.add_document(self.to_document(doc, &mut analyzers))?;
                }
                Change::Delete(kind, id) => {
                    writer.delete_term(Term::from_field_text(self.fields.id, &doc_key(*kind, *id)));
                }
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&position.to_string());
        commit.commit()?;
        drop(writer);
        self.refresh()
    }

    /// Makes the last commit searchable and forgets the caches of segments that are gone.
    fn refresh(&self) -> Result<()> {
        self.reader.reload()?;
        let live: Vec<_> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.caches.retain(&live)
    }

    /// Merges every segment into one, as a freshly built index is before it is swapped in: a
    /// search costs per segment (term lookups, scorers, a pruning pass), so a bulk-built
    /// index is searched fastest whole. New changes add small segments again, which tantivy's
    /// merge policy folds in over time.
    pub fn merge_all(&self) -> Result<()> {
        let mut writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            writer.merge(&ids).wait()?;
        }
        drop(writer);
        self.refresh()
    }

    /// Trainer-maintained synonym groups, e.g. ["zu teuer", "preiseinwand", "price objection"].
    pub fn set_synonyms(&self, groups: Vec<Vec<String>>) -> Result<()> {
        let mut s = self.synonyms.write().map_err(|_| IndexError::Poisoned)?;
        *s = groups
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .collect();
        Ok(())
    }

    pub fn num_segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn to_document(&self, d: &Doc, analyzers: &mut Analyzers) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, doc_key(d.kind, d.id));
        doc.add_text(f.kind, d.kind.key());
        doc.add_text(f.topic, &d.topic);
        doc.add_text(f.language, &d.language);
        doc.add_text(f.slug, &d.slug);
        doc.add_text(f.title, &d.title);
        let tags = d.tags.join(" ");
        let (title, tag_field, body) = if d.language == "en" {
            (f.title_en, f.tags_en, f.body_en)
        } else {
            (f.title_de, f.tags_de, f.body_de)
        };
        if d.language == "en" {
            doc.add_text(title, &d.title);
        } else {
            doc.add_pre_tokenized_text(title, german_title(analyzers, &d.title));
        }
        doc.add_text(tag_field, &tags);
        doc.add_text(body, &d.body);
        if d.language != "en" {
            doc.add_text(f.split, format!("{} {} {}", d.title, tags, d.body));
        }
        doc.add_text(f.raw, format!("{} {} {}", d.title, tags, d.body));
        for t in &d.acl.strong {
            doc.add_text(f.acl_strong, t);
        }
        for t in &d.acl.weak {
            doc.add_text(f.acl_weak, t);
        }
        for t in &d.acl.deny {
            doc.add_text(f.acl_deny, t);
        }
        doc.add_u64(f.accepted, u64::from(d.accepted));
        doc.add_u64(f.helpful, d.helpful);
        doc.add_u64(f.created, d.created);
        doc.add_u64(f.number, d.id.max(0) as u64);
        doc
    }

    /// The access filter: strong OR (weak AND NOT deny), scoring nothing.
    fn acl_filter(&self, principals: &[String]) -> Box<dyn Query> {
        let f = &self.fields;
        let set = |field| -> Box<dyn Query> {
            Box::new(TermSetQuery::new(
                principals.iter().map(|p| Term::from_field_text(field, p)),
            ))
        };
        let weak_not_denied: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, set(f.acl_weak)),
            (Occur::MustNot, set(f.acl_deny)),
        ]));
        let admitted = BooleanQuery::new(vec![
            (Occur::Should, set(f.acl_strong)),
            (Occur::Should, weak_not_denied),
        ]);
        Box::new(ConstScoreQuery::new(Box::new(admitted), 0.0))
    }

    fn filters(&self, req: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut out = vec![(Occur::Must, self.acl_filter(&req.principals))];
        let mut exact = |field, value: &str| {
            let q = TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            );
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)) as Box<dyn Query>,
            ));
        };
        if let Some(k) = req.kind {
            exact(f.kind, k.key());
        }
        if let Some(t) = &req.topic {
            exact(f.topic, t);
        }
        if let Some(l) = &req.language {
            exact(f.language, l);
        }
        out
    }

    /// The scoring part of a query for `text`: stemmed title (x3), tags (x2) and body (x1) in
    /// both languages, decompounded German (x0.6), one typo on words of five or more letters
    /// (x0.4), and the synonyms of any synonym group the text mentions (x0.8).
    /// The documents `principals` may see, per segment of `searcher`.
    fn visibility(
        &self,
        searcher: &tantivy::Searcher,
        principals: &[String],
    ) -> Result<typos::Visibility> {
        let req = SearchRequest {
            principals: principals.to_vec(),
            ..Default::default()
        };
        let key = filter_key(&req);
        let mut build = || -> Result<Arc<dyn tantivy::query::Weight>> {
            Ok(Arc::from(
                BooleanQuery::new(self.filters(&req))
                    .weight(EnableScoring::disabled_from_searcher(searcher))?,
            ))
        };
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                Ok((
                    self.caches.filter(segment, &key, &mut build)?,
                    self.caches.alive(segment)?,
                ))
            })
            .collect()
    }

    fn text_query(
        &self,
        text: &str,
        searcher: &tantivy::Searcher,
        principals: &[String],
    ) -> Result<QueryPlan> {
        let visibility = self.visibility(searcher, principals)?;
        let f = &self.fields;
        let mut a = self.analyzers.clone();
        let mut clauses = Vec::new();
        let add_terms = |clauses: &mut Vec<Clause>, text: &str, weight: f32, a: &mut Analyzers| {
            let de = analysis::terms(&mut a.de, text);
            let en = analysis::terms(&mut a.en, text);
            for (terms, fields) in [
                (&de, [(f.title_de, 3.0), (f.tags_de, 2.0), (f.body_de, 1.0)]),
                (&en, [(f.title_en, 3.0), (f.tags_en, 2.0), (f.body_en, 1.0)]),
            ] {
                for term in terms {
                    for (field, boost) in fields {
                        clauses.push(Clause {
                            term: Term::from_field_text(field, term),
                            boost: boost * weight,
                        });
                    }
                }
            }
            for term in analysis::terms(&mut a.split, text) {
                clauses.push(Clause {
                    term: Term::from_field_text(f.split, &term),
                    boost: 0.6 * weight,
                });
            }
        };
        add_terms(&mut clauses, text, 1.0, &mut a);
        for token in analysis::terms(&mut a.raw, text) {
            let term = Term::from_field_text(f.raw, &token);
            // Typo tolerance is a fallback for words the viewer's documents do not contain: a
            // known word is taken as meant.
            if token.chars().count() >= 5
                && !typos::is_known(searcher, &visibility, &term)?
                && let Some(meant) = typos::correction(searcher, &visibility, &term)?
            {
                add_terms(&mut clauses, &meant, TYPO_WEIGHT, &mut a);
            }
        }
        let lowered = text.to_lowercase();
        if let Ok(groups) = self.synonyms.read() {
            for group in groups
                .iter()
                .filter(|g| g.iter().any(|p| contains_phrase(&lowered, p)))
            {
                for phrase in group.iter().filter(|p| !contains_phrase(&lowered, p)) {
                    add_terms(&mut clauses, phrase, 0.8, &mut a);
                }
            }
        }
        Ok(QueryPlan { clauses })
    }

    /// Ranked, access-filtered hits with snippets, the total and facets.
    ///
    /// Per segment, the documents that match and that the viewer's filter admits are first
    /// gathered as a bitset (from cached per-term bitsets), which gives the count and the
    /// facets; then the top hits under the ranking formula are found among them with block-max
    /// WAND pruning.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let plan = self.text_query(&req.text, &searcher, &req.principals)?;
        if plan.is_empty() {
            return Ok(SearchResults::default());
        }
        let text_query = plan.to_query();
        let filter_key = filter_key(req);
        let mut filter_weight: Option<Arc<dyn tantivy::query::Weight>> = None;
        let mut filter = || -> Result<Arc<dyn tantivy::query::Weight>> {
            if let Some(w) = &filter_weight {
                return Ok(w.clone());
            }
            let w: Arc<dyn tantivy::query::Weight> = Arc::from(
                BooleanQuery::new(self.filters(req))
                    .weight(EnableScoring::disabled_from_searcher(&searcher))?,
            );
            filter_weight = Some(w.clone());
            Ok(w)
        };
        let scoring = text_query.weight(EnableScoring::enabled_from_searcher(&searcher))?;
        let limit = req.limit.clamp(1, 100);
        let offset = req.offset.min(10_000);
        let mut top = TopK::new(offset + limit);
        let mut total = 0usize;
        let mut facets = Facets::default();
        let now = now_secs();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut hits = plan.matching(segment, &self.caches)?;
            let admitted = self.caches.filter(segment, &filter_key, &mut filter)?;
            hits.intersect_with(&admitted);
            if let Some(alive) = self.caches.alive(segment)? {
                hits.intersect_with(&alive);
            }
            let found = hits.count();
            if found == 0 {
                continue;
            }
            total += found as usize;
            self.caches.facets(segment)?.count(&hits, &mut facets);
            let signals = self.caches.signals(segment, now)?;
            let max_boost = signals.max_boost();
            let segment_ord = ord as u32;
            scoring.for_each_pruning(
                top.bm25_threshold(max_boost),
                segment,
                &mut |doc, bm25| {
                    if hits.contains(doc) {
                        top.offer(signals.key(doc, bm25), DocAddress::new(segment_ord, doc));
                    }
                    top.bm25_threshold(max_boost)
                },
            )?;
        }
        let mut highlighters = (
            Highlighter::new(
                plan.terms_of(self.fields.body_de),
                self.analyzers.de.clone(),
            ),
            Highlighter::new(
                plan.terms_of(self.fields.body_en),
                self.analyzers.en.clone(),
            ),
        );
        let mut hits = Vec::with_capacity(limit);
        for (key, address) in top.into_sorted().into_iter().skip(offset) {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            let stored = self.caches.stored(segment, address.doc_id, || {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(StoredHit::from_document(&doc, &self.fields))
            })?;
            if let Some(stored) = stored {
                hits.push(hit(&stored, key.score, &mut highlighters));
            }
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    /// Titles that start with what the viewer is typing (the last word may be incomplete).
    pub fn suggest(
        &self,
        prefix: &str,
        principals: &[String],
        limit: usize,
    ) -> Result<Vec<(Kind, i64, String)>> {
        let mut raw = self.analyzers.raw.clone();
        let tokens = analysis::terms(&mut raw, prefix);
        let Some((last, complete)) = tokens.split_last() else {
            return Ok(Vec::new());
        };
        if last.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.acl_filter(principals))];
        for t in complete {
            let q = FuzzyTermQuery::new(
                Term::from_field_text(f.raw, t),
                u8::from(t.chars().count() >= 5),
                true,
            );
            clauses.push((Occur::Must, Box::new(q)));
        }
        clauses.push((
            Occur::Must,
            Box::new(FuzzyTermQuery::new_prefix(
                Term::from_field_text(f.raw, last),
                0,
                true,
            )),
        ));
        let searcher = self.reader.searcher();
        let plan = self.text_query(prefix, &searcher, principals)?;
        if !plan.is_empty() {
            clauses.push((Occur::Should, plan.to_query()));
        }
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
        )?;
        let mut out = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc::<TantivyDocument>(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            if let Some((kind, id)) = text(f.id).split_once(':')
                && let (Some(kind), Ok(id)) = (Kind::parse(kind), id.parse())
            {
                out.push((kind, id, text(f.title)));
            }
        }
        Ok(out)
    }

    /// Ids of every document in the index, for checks and rebuild verification.
    pub fn all_keys(&self) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &tantivy::query::AllQuery,
            &TopDocs::with_limit(1_000_000).order_by_score(),
        )?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let address: DocAddress = address;
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                out.push(id.to_owned());
            }
        }
        Ok(out)
    }

    #[doc(hidden)]
    pub fn empty_query() -> Box<dyn Query> {
        Box::new(EmptyQuery)
    }
}

/// How much a query word's correction counts, against 1 for the words typed.
const TYPO_WEIGHT: f32 = 0.8;

/// A German title's terms: every word as the German analyzer makes it and, for a compound, its
/// parts too, so that a title about the "Preiseinwand" answers "Preis" and "Einwand" with the
/// title's weight instead of only the compound field's.
fn german_title(a: &mut Analyzers, title: &str) -> PreTokenizedString {
    let mut terms = analysis::terms(&mut a.de, title);
    for part in analysis::terms(&mut a.split, title) {
        if !terms.contains(&part) {
            terms.push(part);
        }
    }
    PreTokenizedString {
        text: title.to_owned(),
        tokens: terms
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                position,
                text,
                ..Token::default()
            })
            .collect(),
    }
}

/// A hit as shown: its stored fields and a snippet of its body in its language.
fn hit(stored: &StoredHit, score: f32, (de, en): &mut (Highlighter, Highlighter)) -> Hit {
    let highlighter = if stored.language == "en" { en } else { de };
    Hit {
        kind: stored.kind,
        id: stored.id,
        slug: stored.slug.clone(),
        title: stored.title.clone(),
        topic: stored.topic.clone(),
        language: stored.language.clone(),
        snippet_html: highlighter.snippet(&stored.body),
        score,
    }
}

fn doc_key(kind: Kind, id: i64) -> String {
    format!("{}:{id}", kind.key())
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    !phrase.is_empty()
        && text
            .split(|c: char| !c.is_alphanumeric())
            .collect::<Vec<_>>()
            .join(" ")
            .contains(phrase)
}

/// Names a request's filter for the cache: the viewer's principals and the chosen facets.
fn filter_key(req: &SearchRequest) -> String {
    let mut principals = req.principals.clone();
    principals.sort();
    principals.dedup();
    format!(
        "{}\u{1}{}\u{1}{}\u{1}{}",
        principals.join("\n"),
        req.kind.map_or("", Kind::key),
        req.topic.as_deref().unwrap_or(""),
        req.language.as_deref().unwrap_or("")
    )
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
