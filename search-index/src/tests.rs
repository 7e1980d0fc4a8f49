use super::*;

fn acl_all() -> Acl {
    Acl {
        strong: vec![],
        weak: vec!["signed-in".into()],
        deny: vec![],
    }
}

fn doc(kind: Kind, id: i64, lang: &str, title: &str, body: &str, acl: Acl) -> Doc {
    Doc {
        kind,
        id,
        language: lang.into(),
        topic: "negotiation".into(),
        slug: format!("doc-{id}"),
        title: title.into(),
        tags: vec![],
        body: body.into(),
        acl,
        accepted: false,
        helpful: 0,
        created: 1_700_000_000,
    }
}

fn fresh() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::create_fresh(dir.path()).unwrap();
    index.activate().unwrap();
    (dir, index)
}

fn ids(index: &SearchIndex, text: &str, principals: &[&str]) -> Vec<i64> {
    let req = SearchRequest {
        text: text.into(),
        principals: principals.iter().map(|s| s.to_string()).collect(),
        limit: 10,
        ..Default::default()
    };
    index
        .search(&req)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn corpus(index: &SearchIndex) {
    let mut lesson = doc(
        Kind::Lesson,
        1,
        "de",
        "Einwände souverän behandeln",
        "Wie Sie Einwände behandeln und den Preis begründen.",
        acl_all(),
    );
    lesson.tags = vec!["einwandbehandlung".into()];
    let docs = vec![
        lesson,
        doc(
            Kind::Thread,
            2,
            "de",
            "Kunde bringt ständig Preiseinwand",
            "Was tun beim Preiseinwand im Mittelstand?",
            acl_all(),
        ),
        doc(
            Kind::Lesson,
            3,
            "en",
            "Handling the price objection",
            "When the customer says it is too expensive, ask what they compare with.",
            acl_all(),
        ),
        doc(
            Kind::Thread,
            4,
            "de",
            "Die Abschlussfrage stellen",
            "Wann stelle ich die Abschlussfrage im Gespräch?",
            acl_all(),
        ),
        doc(
            Kind::Thread,
            5,
            "de",
            "Keine Zeit für Termine",
            "Der Kunde hat nie Zeit.",
            acl_all(),
        ),
    ];
    index
        .apply(
            &docs
                .into_iter()
                .map(|d| Change::Upsert(Box::new(d)))
                .collect::<Vec<_>>(),
            5,
        )
        .unwrap();
}

#[test]
fn german_word_forms_find_each_other() {
    let (_d, index) = fresh();
    corpus(&index);
    assert!(ids(&index, "Einwand", &["signed-in"]).contains(&1));
    assert!(ids(&index, "einwänden", &["signed-in"]).contains(&1));
}

#[test]
fn compounds_are_found_from_their_parts_and_the_reverse() {
    let (_d, index) = fresh();
    corpus(&index);
    assert!(
        ids(&index, "Preis Einwand", &["signed-in"]).contains(&2),
        "parts find the compound"
    );
    assert!(
        ids(&index, "Preiseinwand", &["signed-in"]).contains(&1),
        "the compound finds texts about the parts"
    );
    assert!(
        ids(&index, "Einwandbehandlung", &["signed-in"]).contains(&1),
        "Einwandbehandlung finds 'Einwände behandeln'"
    );
}

#[test]
fn a_compound_in_a_german_title_answers_its_parts_with_the_titles_weight() {
    let (_d, index) = fresh();
    let docs = [
        doc(
            Kind::Thread,
            1,
            "de",
            "Termine planen",
            "Der Preis ist wichtig.",
            acl_all(),
        ),
        doc(
            Kind::Thread,
            2,
            "de",
            "Der Preiseinwand im Einkauf",
            "Ein Text.",
            acl_all(),
        ),
    ];
    let changes: Vec<Change> = docs
        .into_iter()
        .map(|d| Change::Upsert(Box::new(d)))
        .collect();
    index.apply(&changes, 1).unwrap();
    assert_eq!(ids(&index, "Preis", &["signed-in"]), [2, 1]);
    assert_eq!(ids(&index, "Preiseinwand", &["signed-in"])[0], 2);
}

#[test]
fn one_typo_is_tolerated_on_longer_words() {
    let (_d, index) = fresh();
    corpus(&index);
    assert_eq!(
        ids(&index, "Abschlusfrage", &["signed-in"]).first(),
        Some(&4)
    );
    assert!(
        ids(&index, "Einwandbehandlng", &["signed-in"]).contains(&1),
        "Einwandbehandlng finds the lesson"
    );
    assert!(
        ids(&index, "Abschlsfrge", &["signed-in"]).is_empty(),
        "two typos are too many"
    );
}

#[test]
fn a_misspelt_word_ranks_like_the_word_it_most_likely_means() {
    let (_d, index) = fresh();
    corpus(&index);
    let meant = ids(&index, "Einwandbehandlung", &["signed-in"]);
    assert!(meant.len() > 1, "{meant:?}");
    assert_eq!(ids(&index, "Einwandbehandlng", &["signed-in"]), meant);
    assert_eq!(
        ids(&index, "Preisienwand", &["signed-in"]),
        ids(&index, "Preiseinwand", &["signed-in"]),
        "a transposition is one edit"
    );
}

#[test]
fn hidden_documents_have_no_say_in_what_a_typo_means() {
    let hidden = || Acl {
        strong: vec!["user:9".into()],
        weak: vec![],
        deny: vec![],
    };
    let visible = doc(
        Kind::Thread,
        1,
        "de",
        "Rabattstaffel im Angebot",
        "Text",
        acl_all(),
    );
    let (_a, only_visible) = fresh();
    only_visible
        .apply(&[Change::Upsert(Box::new(visible.clone()))], 1)
        .unwrap();
    let (_b, with_hidden) = fresh();
    let mut changes = vec![Change::Upsert(Box::new(visible))];
    for id in 2..5 {
        // "Rabattstapel" is one edit from the typo too, and in more documents.
        let d = doc(
            Kind::Thread,
            id,
            "de",
            "Rabattstapel intern",
            "Text",
            hidden(),
        );
        changes.push(Change::Upsert(Box::new(d)));
    }
    with_hidden.apply(&changes, 4).unwrap();
    for q in ["Rabattstafel", "Rabattstapel", "Rabattstaffel"] {
        assert_eq!(
            ids(&with_hidden, q, &["signed-in"]),
            ids(&only_visible, q, &["signed-in"]),
            "{q}"
        );
    }
    assert_eq!(ids(&with_hidden, "Rabattstafel", &["signed-in"]), [1]);
    assert_eq!(
        ids(&with_hidden, "Rabattstafel", &["user:9"]),
        [2, 3, 4],
        "whoever may see them gets the word they hold"
    );
}

#[test]
fn english_documents_are_stemmed_in_english() {
    let (_d, index) = fresh();
    corpus(&index);
    assert_eq!(
        ids(&index, "price objections", &["signed-in"]).first(),
        Some(&3)
    );
}

#[test]
fn the_acl_filter_hides_hits_counts_and_facets() {
    let (_d, index) = fresh();
    let secret = Acl {
        strong: vec!["user:7".into(), "role:trainer".into()],
        weak: vec!["role:member".into()],
        deny: vec!["org:1".into()],
    };
    let docs = vec![
        doc(
            Kind::Thread,
            10,
            "de",
            "Geheimer Preiseinwand",
            "Preis Preis",
            secret.clone(),
        ),
        doc(
            Kind::Thread,
            11,
            "de",
            "Offener Preiseinwand",
            "Preis",
            Acl {
                weak: vec!["role:member".into()],
                ..Default::default()
            },
        ),
    ];
    index
        .apply(
            &docs
                .into_iter()
                .map(|d| Change::Upsert(Box::new(d)))
                .collect::<Vec<_>>(),
            2,
        )
        .unwrap();
    let search = |principals: &[&str]| {
        let req = SearchRequest {
            text: "Preis".into(),
            principals: principals.iter().map(|s| s.to_string()).collect(),
            limit: 10,
            ..Default::default()
        };
        index.search(&req).unwrap()
    };
    let colleague = search(&["user:8", "role:member", "org:1"]);
    assert_eq!(colleague.total, 1);
    assert_eq!(
        colleague.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![11]
    );
    assert_eq!(colleague.facets.kind.get("thread"), Some(&1));
    let outsider = search(&["user:9", "role:member", "org:2"]);
    assert_eq!(outsider.total, 2);
    let author = search(&["user:7", "role:member", "org:1"]);
    assert_eq!(author.total, 2, "the author's strong token beats the deny");
    let nobody = search(&[]);
    assert_eq!((nobody.total, nobody.hits.len()), (0, 0));
    assert!(secret.admits(&["user:9".into(), "role:member".into(), "org:2".into()]));
    assert!(!secret.admits(&["user:8".into(), "role:member".into(), "org:1".into()]));
}

#[test]
fn the_position_is_committed_and_survives_reopening() {
    let (dir, index) = fresh();
    corpus(&index);
    assert_eq!(index.position().unwrap(), 5);
    index.apply(&[Change::Delete(Kind::Thread, 5)], 9).unwrap();
    drop(index);
    let reopened = SearchIndex::open_current(dir.path()).unwrap().unwrap();
    assert_eq!(reopened.position().unwrap(), 9);
    assert_eq!(reopened.num_docs(), 4);
    assert!(
        ids(&reopened, "Zeit Termine", &["signed-in"]).is_empty(),
        "the deletion was committed"
    );
}

#[test]
fn upserts_replace_and_do_not_duplicate() {
    let (_d, index) = fresh();
    corpus(&index);
    index
        .apply(
            &[Change::Upsert(Box::new(doc(
                Kind::Thread,
                4,
                "de",
                "Neuer Titel",
                "ganz anders",
                acl_all(),
            )))],
            6,
        )
        .unwrap();
    assert_eq!(index.num_docs(), 5);
    assert!(ids(&index, "Abschlussfrage", &["signed-in"]).is_empty());
}

#[test]
fn an_edited_document_shows_its_new_text_although_the_old_one_was_shown_before() {
    let (_d, index) = fresh();
    corpus(&index);
    let search = |text: &str| {
        index
            .search(&SearchRequest {
                text: text.into(),
                principals: vec!["signed-in".into()],
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .hits
    };
    let before = search("Preiseinwand");
    assert!(
        before
            .iter()
            .any(|h| h.title == "Kunde bringt ständig Preiseinwand")
    );
    let mut edited = doc(
        Kind::Thread,
        2,
        "de",
        "Preiseinwand im Einkauf",
        "Der Einkauf nennt den Preiseinwand jetzt anders.",
        acl_all(),
    );
    edited.helpful = 3;
    index.apply(&[Change::Upsert(Box::new(edited))], 6).unwrap();
    let after = search("Preiseinwand");
    let hit = after.iter().find(|h| h.id == 2).unwrap();
    assert_eq!(hit.title, "Preiseinwand im Einkauf");
    assert!(
        hit.snippet_html.contains("Einkauf nennt"),
        "{}",
        hit.snippet_html
    );
    assert!(!after.iter().any(|h| h.title.contains("ständig")));
}

#[test]
fn merging_keeps_every_document_the_ranking_and_the_position() {
    let (dir, index) = fresh();
    corpus(&index);
    for id in 10..14 {
        let d = doc(
            Kind::Thread,
            id,
            "de",
            "Preis nachverhandeln",
            "Rabatt",
            acl_all(),
        );
        index.apply(&[Change::Upsert(Box::new(d))], id).unwrap();
    }
    assert!(index.num_segments() > 1);
    let queries = ["Preis", "Einwände", "Rabatt", "price objection"];
    let rankings = |index: &SearchIndex| -> Vec<Vec<i64>> {
        queries
            .iter()
            .map(|q| ids(index, q, &["signed-in"]))
            .collect()
    };
    let before = rankings(&index);
    index.merge_all().unwrap();
    assert_eq!(index.num_segments(), 1);
    assert_eq!(rankings(&index), before);

    // Deleted documents still count in the statistics of their segment until a merge drops
    // them, so across one only the documents found are compared.
    index.apply(&[Change::Delete(Kind::Thread, 5)], 14).unwrap();
    let sorted = |mut r: Vec<Vec<i64>>| {
        r.iter_mut().for_each(|ids| ids.sort_unstable());
        r
    };
    let before = sorted(rankings(&index));
    index.merge_all().unwrap();
    assert_eq!(index.num_segments(), 1);
    assert_eq!(index.num_docs(), 8);
    assert_eq!(sorted(rankings(&index)), before);
    drop(index);
    let reopened = SearchIndex::open_current(dir.path()).unwrap().unwrap();
    assert_eq!(reopened.position().unwrap(), 14);
    assert_eq!(reopened.num_segments(), 1);
}

#[test]
fn synonyms_widen_the_query() {
    let (_d, index) = fresh();
    corpus(&index);
    assert!(!ids(&index, "zu teuer", &["signed-in"]).contains(&2));
    index
        .set_synonyms(vec![vec![
            "zu teuer".into(),
            "Preiseinwand".into(),
            "price objection".into(),
        ]])
        .unwrap();
    let found = ids(&index, "zu teuer", &["signed-in"]);
    assert!(found.contains(&2) && found.contains(&3), "{found:?}");
}

#[test]
fn snippets_highlight_matches_and_escape_markup() {
    let (_d, index) = fresh();
    index
        .apply(
            &[Change::Upsert(Box::new(doc(
                Kind::Thread,
                1,
                "de",
                "Titel",
                "Vorsicht <script>alert(1)</script> beim Preiseinwand",
                acl_all(),
            )))],
            1,
        )
        .unwrap();
    let req = SearchRequest {
        text: "Preiseinwand".into(),
        principals: vec!["signed-in".into()],
        limit: 5,
        ..Default::default()
    };
    let hit = &index.search(&req).unwrap().hits[0];
    assert!(
        hit.snippet_html.contains("<b>Preiseinwand</b>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        !hit.snippet_html.contains("<script>"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn suggestions_complete_the_last_word_within_the_acl() {
    let (_d, index) = fresh();
    corpus(&index);
    let got = index
        .suggest("Abschlussf", &["signed-in".into()], 5)
        .unwrap();
    assert_eq!(got.first().map(|g| g.1), Some(4));
    assert!(index.suggest("Abschlussf", &[], 5).unwrap().is_empty());
}

#[test]
fn the_boost_prefers_lessons_accepted_and_helpful_threads_and_fresh_content() {
    assert!(boost(true, false, 0, 0) > boost(false, false, 0, 0));
    assert!(boost(false, true, 0, 0) > boost(false, false, 0, 0));
    assert!(boost(false, false, 10, 0) > boost(false, false, 0, 0));
    assert!(boost(false, false, 0, 0) > boost(false, false, 0, 365 * 86_400));
}

#[test]
fn a_new_schema_version_is_not_opened_as_current() {
    let dir = tempfile::tempdir().unwrap();
    assert!(SearchIndex::open_current(dir.path()).unwrap().is_none());
    std::fs::write(dir.path().join("CURRENT"), "v0-1").unwrap();
    assert!(SearchIndex::open_current(dir.path()).unwrap().is_none());
}

#[test]
fn the_boost_never_exceeds_the_bound_pruning_relies_on() {
    let most = ranking::max_boost();
    for helpful in [0, 1, 50, HELPFUL_CAP, HELPFUL_CAP * 100, u64::MAX] {
        for (lesson, accepted) in [(false, false), (true, false), (false, true), (true, true)] {
            assert!(boost(lesson, accepted, helpful, 0) <= most);
        }
    }
}

/// Many matching documents with varied signals, in several segments, some deleted and some
/// hidden from the viewer.
fn ranking_corpus(index: &SearchIndex) {
    let words = [
        "Preis",
        "Einwand",
        "Rabatt",
        "Abschluss",
        "Budget",
        "Termin",
    ];
    for batch in 0..4 {
        let mut changes = Vec::new();
        for i in 0..300 {
            let n = batch * 300 + i;
            let pick = |k: usize| words[(n * 7 + k * 3) % words.len()];
            let body = format!(
                "{} {} {} und {} im Gespräch {}",
                pick(0),
                pick(1),
                pick(0),
                pick(2),
                "Kunde ".repeat(n % 9)
            );
            let mut d = doc(
                if n % 17 == 0 {
                    Kind::Lesson
                } else {
                    Kind::Thread
                },
                n as i64 + 1,
                "de",
                &format!("Frage {} zu {}", n, pick(3)),
                &body,
                if n % 5 == 0 {
                    Acl {
                        strong: vec!["user:1".into()],
                        weak: vec![],
                        deny: vec![],
                    }
                } else {
                    acl_all()
                },
            );
            d.accepted = n % 3 == 0;
            d.helpful = (n % 40) as u64;
            d.created = 1_700_000_000 + (n as u64 * 86_400) % 30_000_000;
            changes.push(Change::Upsert(Box::new(d)));
        }
        index.apply(&changes, batch as i64 + 1).unwrap();
    }
    let deleted: Vec<Change> = (0..40)
        .map(|n| Change::Delete(Kind::Thread, n * 13 + 2))
        .collect();
    index.apply(&deleted, 10).unwrap();
}

#[test]
fn pruned_top_hits_equal_the_head_of_the_full_ranking_and_pages_fit_together() {
    let (_d, index) = fresh();
    ranking_corpus(&index);
    for text in [
        "Preis",
        "Einwand Rabatt",
        "Abschluss Budget Termin",
        "Kunde Preis",
    ] {
        let search = |offset, limit| {
            index
                .search(&SearchRequest {
                    text: text.into(),
                    principals: vec!["signed-in".into()],
                    offset,
                    limit,
                    ..Default::default()
                })
                .unwrap()
        };
        let full = search(0, 100);
        assert_eq!(full.hits.len(), 100, "{text}");
        let full_ids: Vec<i64> = full.hits.iter().map(|h| h.id).collect();
        for limit in [1, 3, 10, 37] {
            let head: Vec<i64> = search(0, limit).hits.iter().map(|h| h.id).collect();
            assert_eq!(head, full_ids[..limit], "{text} limit {limit}");
        }
        let paged: Vec<i64> = (0..10)
            .flat_map(|p| search(p * 10, 10).hits.into_iter().map(|h| h.id))
            .collect();
        assert_eq!(paged, full_ids, "{text}");
        let scores: Vec<f32> = full.hits.iter().map(|h| h.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{text}");
        // Hidden (every fifth) and deleted documents are neither hits nor counted.
        let deleted = |id: i64| (id - 2) % 13 == 0 && id < 40 * 13 && (id - 1) % 17 != 0;
        assert!(full_ids.iter().all(|&id| (id - 1) % 5 != 0 && !deleted(id)));
        let total = full.total;
        let kinds: u64 = full.facets.kind.values().sum();
        assert_eq!(kinds as usize, total, "{text}");
        let owner = index
            .search(&SearchRequest {
                text: text.into(),
                principals: vec!["signed-in".into(), "user:1".into()],
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert!(owner.total > total, "{text}");
    }
}

#[test]
fn counts_and_facets_from_cached_term_bitsets_equal_a_plain_count() {
    let (_d, index) = fresh();
    // One segment large enough that frequent terms are matched from cached bitsets, a second
    // small one, deletions in the first, documents hidden from the viewer in both.
    let make = |n: i64| {
        let words = ["Preis", "Einwand", "Rabatt", "Kunde"];
        let body = format!(
            "{} und {} im Gespräch",
            words[n as usize % 4],
            words[(n as usize / 4) % 4]
        );
        let acl = if n % 7 == 0 {
            Acl {
                strong: vec!["user:9".into()],
                weak: vec![],
                deny: vec![],
            }
        } else {
            acl_all()
        };
        let kind = if n % 11 == 0 {
            Kind::Lesson
        } else {
            Kind::Thread
        };
        let lang = if n % 3 == 0 { "en" } else { "de" };
        let mut d = doc(kind, n, lang, &format!("Frage {n}"), &body, acl);
        d.topic = ["closing", "negotiation", "discovery"][n as usize % 3].into();
        Change::Upsert(Box::new(d))
    };
    index
        .apply(&(1..=6_000).map(make).collect::<Vec<_>>(), 1)
        .unwrap();
    index
        .apply(&(6_001..=6_300).map(make).collect::<Vec<_>>(), 2)
        .unwrap();
    let deletes: Vec<Change> = (1..=6_000)
        .step_by(10)
        .map(|n| Change::Delete(Kind::Thread, n))
        .collect();
    index.apply(&deletes, 3).unwrap();
    let searcher = index.reader.searcher();
    for text in [
        "Preis",
        "Einwand Rabatt",
        "Rabat",
        "Kunde Preis",
        "Gespräch",
    ] {
        for principals in [vec!["signed-in"], vec!["signed-in", "user:9"]] {
            let req = SearchRequest {
                text: text.into(),
                principals: principals.iter().map(|p| p.to_string()).collect(),
                limit: 10,
                ..Default::default()
            };
            let plan = index.text_query(text, &searcher, &req.principals).unwrap();
            let mut both = index.filters(&req);
            both.push((Occur::Must, plan.to_query()));
            let expected = searcher
                .search(&BooleanQuery::new(both), &tantivy::collector::Count)
                .unwrap();
            assert!(expected > 1_024, "{text}: the cached path is exercised");
            for round in 0..2 {
                let got = index.search(&req).unwrap();
                assert_eq!(got.total, expected, "{text} {principals:?} round {round}");
                for facet in [&got.facets.kind, &got.facets.topic, &got.facets.language] {
                    assert_eq!(facet.values().sum::<u64>() as usize, expected, "{text}");
                }
                let lessons = (1..=6_300).filter(|n| n % 11 == 0).count() as u64;
                assert!(got.facets.kind.get("lesson").copied().unwrap_or(0) <= lessons);
            }
        }
    }
}

/// The reference: score every document the viewer may see with the whole query, apply the
/// formula from the document's own signals (as `ranking_corpus` made them), sort.
#[test]
fn the_ranking_equals_scoring_every_match_by_the_formula() {
    use tantivy::{DocSet, TERMINATED};
    let (_d, index) = fresh();
    ranking_corpus(&index);
    let searcher = index.reader.searcher();
    for text in [
        "Preis",
        "Einwand Rabatt",
        "Abschluss Budget Termin",
        "Kunde Preis",
        "Rabat Budgte",
    ] {
        let req = SearchRequest {
            text: text.into(),
            principals: vec!["signed-in".into()],
            limit: 50,
            ..Default::default()
        };
        let got = index.search(&req).unwrap();
        let weight = index
            .text_query(text, &searcher, &req.principals)
            .unwrap()
            .to_query()
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let filter = BooleanQuery::new(index.filters(&req))
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let mut all: Vec<(f32, bool, i64)> = Vec::new();
        for segment in searcher.segment_readers() {
            let admitted = caches::matches(segment, &*filter).unwrap();
            // The moment the index's cached signals were computed for, so freshness agrees.
            let now = index
                .caches
                .signals(segment, now_secs())
                .unwrap()
                .computed_at();
            let store = segment.get_store_reader(1).unwrap();
            let mut scorer = weight.scorer(segment, 1.0).unwrap();
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let alive = segment.alive_bitset().is_none_or(|a| a.is_alive(doc));
                if admitted.contains(doc) && alive {
                    let stored: TantivyDocument = store.get(doc).unwrap();
                    let key = stored.get_first(index.fields.id).unwrap().as_str().unwrap();
                    let id: i64 = key.split_once(':').unwrap().1.parse().unwrap();
                    // ranking_corpus: document `n + 1` has these signals.
                    let n = (id - 1) as u64;
                    let lesson = n.is_multiple_of(17);
                    let created = 1_700_000_000 + (n * 86_400) % 30_000_000;
                    let factor = boost(
                        lesson,
                        n.is_multiple_of(3),
                        n % 40,
                        now.saturating_sub(created),
                    );
                    all.push((scorer.score() * factor, lesson, id));
                }
                doc = scorer.advance();
            }
        }
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        assert_eq!(got.total, all.len(), "{text}");
        let expected: Vec<i64> = all.iter().take(50).map(|e| e.2).collect();
        let ids: Vec<i64> = got.hits.iter().map(|h| h.id).collect();
        assert_eq!(ids, expected, "{text}");
        for (hit, (score, _, _)) in got.hits.iter().zip(&all) {
            assert!((hit.score - score).abs() <= score.abs() * 1e-5, "{text}");
        }
    }
}
