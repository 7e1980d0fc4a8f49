//! Reading a misspelt query word as the word it most likely means, decided only by documents
//! the viewer may see: if hidden documents had a say, which word a typo turned into (and
//! whether a word counted as known at all) would tell a viewer what hidden texts contain.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::Result;
use crate::bits::DocBits;

/// Per segment, in the searcher's order: the documents the viewer's filter admits and, when
/// the segment has deletions, the live ones.
pub type Visibility = Vec<(Arc<DocBits>, Option<Arc<DocBits>>)>;

/// How many documents the viewer may see contain `term`, counting up to `limit`.
fn visible_docs(
    searcher: &Searcher,
    visibility: &Visibility,
    term: &Term,
    limit: u64,
) -> Result<u64> {
    let mut count = 0;
    for (segment, (admitted, alive)) in searcher.segment_readers().iter().zip(visibility) {
        let inverted = segment.inverted_index(term.field())?;
        let Some(info) = inverted.get_term_info(term)? else {
            continue;
        };
        let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if admitted.contains(doc) && alive.as_ref().is_none_or(|a| a.contains(doc)) {
                count += 1;
                if count >= limit {
                    return Ok(count);
                }
            }
            doc = postings.advance();
        }
    }
    Ok(count)
}

/// Whether a document the viewer may see contains `term`.
pub fn is_known(searcher: &Searcher, visibility: &Visibility, term: &Term) -> Result<bool> {
    Ok(visible_docs(searcher, visibility, term, 1)? > 0)
}

/// The word a misspelt `term` most likely means: of the words within one edit (a
/// transposition counts as one), the one in the most documents the viewer may see; ties go to
/// the alphabetically first, so that the same query always means the same. Searching with it
/// like a typed word ranks "Einwandbehandlng" as "Einwandbehandlung" would be ranked.
pub fn correction(
    searcher: &Searcher,
    visibility: &Visibility,
    term: &Term,
) -> Result<Option<String>> {
    let mut candidates = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        let automaton = FuzzyTermQuery::new(term.clone(), 1, true).automaton()?;
        let mut stream = inverted.terms().search(automaton).into_stream()?;
        while stream.advance() {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                candidates.insert(word.to_owned(), Term::from_field_text(term.field(), word));
            }
        }
    }
    let mut best: Option<(u64, String)> = None;
    for (word, candidate) in candidates {
        let seen = visible_docs(searcher, visibility, &candidate, u64::MAX)?;
        // Candidates come in alphabetical order, so only a higher count replaces the best.
        if seen > 0 && best.as_ref().is_none_or(|(n, _)| seen > *n) {
            best = Some((seen, word));
        }
    }
    Ok(best.map(|(_, word)| word))
}
