//! A message for a person: a catalogue key and its arguments, put into words later in the
//! reader's language (`crate::messages`). Services and domain rules say *what* went wrong;
//! the page or the API decides the language.

/// One value filled into a message's `{name}` placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Shown as it is (a number, an e-mail address, what the person typed).
    Text(String),
    /// Another message, put into words in the same language (a field's name, a part of a sentence).
    Msg(Msg),
}

/// A user-facing message: `Msg::new("thread_locked")`, `Msg::new("too_long").arg("max", 200)`.
/// The key names an entry of `frontend/i18n/messages.{de,en}.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// Fills `{name}` with a plain value.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Fills `{name}` with another message, in the same language as this one.
    pub fn arg_msg(mut self, name: &'static str, value: Msg) -> Self {
        self.args.push((name, Arg::Msg(value)));
        self
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The value of argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::{Arg, Msg};

    #[test]
    fn arguments_are_kept_in_order_with_their_names() {
        let m = Msg::new("too_long")
            .arg("max", 200)
            .arg_msg("field", Msg::new("field_title"));
        assert_eq!(m.key(), "too_long");
        assert_eq!(m.get("max"), Some(&Arg::Text("200".into())));
        assert_eq!(m.get("field"), Some(&Arg::Msg(Msg::new("field_title"))));
        assert_eq!(m.args().len(), 2);
        assert_eq!(m.get("nothing"), None);
    }
}
