//! The pseudonymous name a member appears under in the community.

use super::Msg;

/// 3 to 30 characters: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 30;

    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let value = raw.trim();
        let len = value.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(Msg::new("handle_length")
                .arg("min", Self::MIN_LEN)
                .arg("max", Self::MAX_LEN));
        }
        let allowed = value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        let starts_well = value.chars().next().is_some_and(char::is_alphanumeric);
        if !allowed || !starts_well {
            return Err(Msg::new("handle_characters"));
        }
        Ok(Self(value.to_owned()))
    }

    /// A friendly random pseudonym such as `calm-falcon-4821`.
    pub fn generate(random: u64) -> Self {
        const ADJECTIVES: [&str; 16] = [
            "calm", "bold", "bright", "clever", "steady", "swift", "keen", "brave", "quiet",
            "sharp", "warm", "wise", "lucky", "eager", "fair", "true",
        ];
        const ANIMALS: [&str; 16] = [
            "falcon", "otter", "lynx", "heron", "badger", "fox", "owl", "wolf", "crane", "hare",
            "bison", "eagle", "raven", "seal", "marten", "ibex",
        ];
        let adjective = ADJECTIVES[(random % 16) as usize];
        let animal = ANIMALS[((random >> 8) % 16) as usize];
        let number = (random >> 16) % 10_000;
        Self(format!("{adjective}-{animal}-{number}"))
    }
}

impl AsRef<str> for Handle {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Handle;

    #[test]
    fn valid_handles_are_kept_as_written() {
        assert_eq!(Handle::parse("Closer_42").unwrap().as_ref(), "Closer_42");
        assert!(Handle::parse("Jürgen.K").is_ok());
    }

    #[test]
    fn bad_handles_are_refused() {
        for raw in ["ab", "-dash", "has space", "<b>x</b>", &"x".repeat(31)] {
            assert!(Handle::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn generated_handles_are_valid() {
        for seed in [0, 1, u64::MAX, 123_456_789] {
            let h = Handle::generate(seed);
            assert!(Handle::parse(h.as_ref()).is_ok(), "{h:?}");
        }
    }
}
