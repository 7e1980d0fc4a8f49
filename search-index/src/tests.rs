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
