//! The stored fields a hit shows, read from the doc store and kept for documents that are
//! found often.

use tantivy::TantivyDocument;
use tantivy::schema::Value;

use crate::Kind;
use crate::schema::Fields;

/// What the doc store holds of one document, parsed.
pub struct StoredHit {
    pub kind: Kind,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub language: String,
    pub body: String,
}

impl StoredHit {
    /// `None` for a document without a valid key, which the index never writes.
    pub fn from_document(doc: &TantivyDocument, f: &Fields) -> Option<Self> {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let (kind, number) = text(f.id).split_once(':')?;
        let language = text(f.language);
        let body = if language == "en" {
            text(f.body_en)
        } else {
            text(f.body_de)
        };
        Some(Self {
            kind: Kind::parse(kind)?,
            id: number.parse().ok()?,
            slug: text(f.slug).to_owned(),
            title: text(f.title).to_owned(),
            topic: text(f.topic).to_owned(),
            language: language.to_owned(),
            body: body.to_owned(),
        })
    }

    /// Roughly what this takes in memory, for the cache budget.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.slug.len()
            + self.title.len()
            + self.topic.len()
            + self.language.len()
            + self.body.len()
    }
}
