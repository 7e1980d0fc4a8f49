//! The index schema and its fields, resolved once.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis;

/// Bump when the schema or the analyzers change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub topic: Field,
    pub language: Field,
    pub slug: Field,
    pub title: Field,
    pub title_de: Field,
    pub title_en: Field,
    pub tags_de: Field,
    pub tags_en: Field,
    pub body_de: Field,
    pub body_en: Field,
    pub split: Field,
    pub raw: Field,
    pub acl_strong: Field,
    pub acl_weak: Field,
    pub acl_deny: Field,
    pub accepted: Field,
    pub helpful: Field,
    pub created: Field,
    /// The document's number, to break score ties the same way every time.
    pub number: Field,
}

fn text(analyzer: &str, positions: bool, stored: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | FAST | STORED),
        topic: b.add_text_field("topic", STRING | FAST | STORED),
        language: b.add_text_field("language", STRING | FAST | STORED),
        slug: b.add_text_field("slug", STORED),
        title: b.add_text_field("title", STORED),
        title_de: b.add_text_field("title_de", text(analysis::DE, true, false)),
        title_en: b.add_text_field("title_en", text(analysis::EN, true, false)),
        tags_de: b.add_text_field("tags_de", text(analysis::DE, false, false)),
        tags_en: b.add_text_field("tags_en", text(analysis::EN, false, false)),
        body_de: b.add_text_field("body_de", text(analysis::DE, true, true)),
        body_en: b.add_text_field("body_en", text(analysis::EN, true, true)),
        split: b.add_text_field("split", text(analysis::DE_SPLIT, false, false)),
        raw: b.add_text_field("raw", text(analysis::RAW, false, false)),
        acl_strong: b.add_text_field("acl_strong", STRING),
        acl_weak: b.add_text_field("acl_weak", STRING),
        acl_deny: b.add_text_field("acl_deny", STRING),
        accepted: b.add_u64_field("accepted", FAST | INDEXED),
        helpful: b.add_u64_field("helpful", FAST),
        created: b.add_u64_field("created", FAST),
        number: b.add_u64_field("number", FAST),
    };
    (b.build(), fields)
}
