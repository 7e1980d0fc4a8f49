//! The redaction hints against the labelled sentences of `tests/data/redaction_hints.jsonl`
//! (German and English sales talk, with and without identifying details): precision and
//! recall of at least 0.9, overall. A hint counts as right when a labelled span of the same
//! kind has the same words.

use std::collections::BTreeMap;

use sellerbase::services::hints::{Kind, detect};
use serde_json::Value;

const LABELLED: &str = include_str!("../data/redaction_hints.jsonl");

#[derive(Default)]
struct Tally {
    right: usize,
    wrong: usize,
    missed: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }

    fn recall(&self) -> f64 {
        ratio(self.right, self.right + self.missed)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn hints_reach_the_precision_and_recall_the_labelled_sentences_demand() {
    let mut per_kind: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut mistakes = Vec::new();
    let mut sentences = 0;
    for (n, line) in LABELLED.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        sentences += 1;
        let case: Value = serde_json::from_str(line).unwrap();
        let text = case["text"].as_str().unwrap();
        let mut expected: Vec<(&'static str, String)> = case["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let kind = Kind::from_key(s["kind"].as_str().unwrap())
                    .unwrap_or_else(|| panic!("line {}: unknown kind in {s}", n + 1));
                (kind.key(), s["text"].as_str().unwrap().to_owned())
            })
            .collect();
        for hint in detect(text, &strings(&case["sensitive_list"])) {
            let found = (hint.kind.key(), hint.text(text).to_owned());
            let tally = per_kind.entry(found.0).or_default();
            match expected.iter().position(|e| *e == found) {
                Some(i) => {
                    expected.remove(i);
                    tally.right += 1;
                }
                None => {
                    tally.wrong += 1;
                    mistakes.push(format!("line {}: wrongly marked {found:?}", n + 1));
                }
            }
        }
        for missed in expected {
            per_kind.entry(missed.0).or_default().missed += 1;
            mistakes.push(format!("line {}: missed {missed:?}", n + 1));
        }
    }
    assert!(
        sentences >= 150,
        "the labelled set has {sentences} sentences"
    );

    let mut total = Tally::default();
    let mut report = String::from("kind       precision  recall  (right/wrong/missed)\n");
    for (kind, t) in &per_kind {
        report.push_str(&format!(
            "{kind:<10} {:>9.3} {:>7.3}  ({}/{}/{})\n",
            t.precision(),
            t.recall(),
            t.right,
            t.wrong,
            t.missed
        ));
        total.right += t.right;
        total.wrong += t.wrong;
        total.missed += t.missed;
    }
    report.push_str(&format!(
        "overall    {:>9.3} {:>7.3}  ({}/{}/{})\n",
        total.precision(),
        total.recall(),
        total.right,
        total.wrong,
        total.missed
    ));
    println!("{report}");
    assert!(
        total.precision() >= 0.9 && total.recall() >= 0.9,
        "precision and recall must be at least 0.9:\n{report}\n{}",
        mistakes.join("\n")
    );
}
