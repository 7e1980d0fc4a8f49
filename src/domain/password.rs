//! A new password that meets the rules of OWASP ASVS: length over composition, and none of the
//! passwords that leaked most often (a shipped list, see common_passwords.md).

use std::collections::HashSet;
use std::sync::LazyLock;

use super::Msg;

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().collect());

/// Whether a password is one that attackers try first: on the shipped list, a listed password
/// with digits or symbols around it ("Password2024!"), only digits and symbols, or one or two
/// characters repeated ("aaaaaaaaaaaa", "abababababab").
fn is_common(raw: &str) -> bool {
    let lower = raw.trim().to_lowercase();
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    distinct.len() <= 2
        || COMMON.contains(lower.as_str())
        || core.is_empty()
        || COMMON.contains(core)
}

/// A password chosen by a user; never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 128;

    /// Checks a newly chosen password; existing passwords are only ever verified, not parsed.
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(Msg::new("password_too_short").arg("min", Self::MIN_LEN));
        }
        if len > Self::MAX_LEN {
            return Err(Msg::new("password_too_long").arg("max", Self::MAX_LEN));
        }
        if raw.trim().is_empty() {
            return Err(Msg::new("password_blank"));
        }
        if is_common(raw) {
            return Err(Msg::new("password_common"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn short_long_and_blank_passwords_are_refused() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse(&" ".repeat(20)).is_err());
        assert!(Password::parse("a long enough passphrase").is_ok());
    }

    #[test]
    fn common_and_repetitive_passwords_are_refused() {
        for common in [
            "123qweasdzxc",
            "Qwerty123456",
            "Baseball1234",
            "password2024!",
            "123456789012",
            "aaaaaaaaaaaa",
            "abababababab",
        ] {
            assert!(Password::parse(common).is_err(), "{common}");
        }
        assert!(Password::parse("correct horse battery").is_ok());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
