//! A company's sensitive-names list as its admin enters it: customers, projects and products
//! that its members' redaction hints mark.

use std::collections::HashSet;

use super::Msg;

/// At most 500 entries of 2 to 80 characters each, trimmed (inner runs of spaces become one),
/// none twice whatever its case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SensitiveNames(Vec<String>);

impl SensitiveNames {
    pub const MAX_ENTRIES: usize = 500;
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 80;

    pub fn parse(entries: &[String]) -> Result<Self, Msg> {
        if entries.len() > Self::MAX_ENTRIES {
            return Err(Msg::new("sensitive_names_too_many")
                .arg("max", Self::MAX_ENTRIES)
                .arg("count", entries.len()));
        }
        let mut names = Vec::with_capacity(entries.len());
        let mut seen = HashSet::with_capacity(entries.len());
        for (i, raw) in entries.iter().enumerate() {
            let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                return Err(Msg::new("sensitive_name_empty").arg("n", i + 1));
            }
            if name.chars().any(char::is_control) {
                return Err(Msg::new("sensitive_name_characters").arg("n", i + 1));
            }
            if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&name.chars().count()) {
                return Err(Msg::new("sensitive_name_length")
                    .arg("min", Self::MIN_LEN)
                    .arg("max", Self::MAX_LEN)
                    .arg("name", &name));
            }
            if !seen.insert(Self::key(&name)) {
                return Err(Msg::new("sensitive_name_twice").arg("name", &name));
            }
            names.push(name);
        }
        Ok(Self(names))
    }

    /// What makes two entries the same: their lower case.
    pub fn key(name: &str) -> String {
        name.to_lowercase()
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::SensitiveNames;

    fn parse(entries: &[&str]) -> Result<SensitiveNames, &'static str> {
        let owned: Vec<String> = entries.iter().map(|s| (*s).to_owned()).collect();
        SensitiveNames::parse(&owned).map_err(|m| m.key())
    }

    #[test]
    fn entries_are_trimmed_and_kept_in_order() {
        let list = parse(&["  Falke ", "Atlas   Pro", "Zeppelin Süd"]).unwrap();
        assert_eq!(list.names(), ["Falke", "Atlas Pro", "Zeppelin Süd"]);
        assert_eq!(parse(&[]).unwrap().names(), [] as [String; 0]);
    }

    #[test]
    fn bad_entries_are_refused_with_their_reason() {
        for (entries, why) in [
            (vec!["Falke", "  "], "sensitive_name_empty"),
            (vec!["X"], "sensitive_name_length"),
            (vec!["Falke", "FALKE"], "sensitive_name_twice"),
            (vec!["Fal\u{0}ke"], "sensitive_name_characters"),
        ] {
            assert_eq!(parse(&entries).unwrap_err(), why, "{entries:?}");
        }
        let long = "x".repeat(81);
        assert_eq!(parse(&[&long]).unwrap_err(), "sensitive_name_length");
        assert!(
            parse(&[&"ä".repeat(80)]).is_ok(),
            "80 characters, not bytes"
        );
        let many: Vec<String> = (0..501).map(|i| format!("Kunde {i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(parse(&refs).unwrap_err(), "sensitive_names_too_many");
        assert!(parse(&refs[..500]).is_ok());
    }
}
