//! A syntactically plausible, normalised e-mail address.

use super::Msg;

/// Lower-cased, trimmed e-mail address of at most 254 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(Msg::new("email_required"));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(Msg::new("email_too_long").arg("max", Self::MAX_LEN));
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(Msg::new("email_without_at"));
        };
        let plausible = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !plausible {
            return Err(Msg::new("email_invalid"));
        }
        Ok(Self(value))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Anna@Example.DE ").unwrap().as_ref(),
            "anna@example.de"
        );
    }

    #[test]
    fn implausible_addresses_are_refused() {
        for (raw, why) in [
            ("", "empty"),
            ("anna", "no @"),
            ("@example.de", "no local part"),
            ("anna@example", "no dot in domain"),
            ("anna@@example.de", "two @"),
            ("an na@example.de", "whitespace"),
            ("<script>@x.de", "angle brackets"),
        ] {
            assert!(Email::parse(raw).is_err(), "{why}: {raw:?} was accepted");
        }
        let long = format!("{}@example.de", "a".repeat(250));
        assert!(
            Email::parse(&long).is_err(),
            "over-long address was accepted"
        );
    }
}
