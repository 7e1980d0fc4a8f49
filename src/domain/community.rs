//! Values of the Q&A: who may see a thread, titles, bodies, comments and tags, with the
//! documented limits.

use super::Msg;

/// Who may see a thread, chosen by its author when asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Every member of the community.
    Community,
    /// Every member except members (and admins) of the author's own company.
    NotMyCompany,
    /// Only trainers (and the author): "ask a coach" privately.
    Coaches,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Self::Community, Self::NotMyCompany, Self::Coaches];

    pub fn key(self) -> &'static str {
        match self {
            Self::Community => "community",
            Self::NotMyCompany => "not_my_company",
            Self::Coaches => "coaches",
        }
    }

    pub fn parse(key: &str) -> Result<Self, Msg> {
        Self::ALL
            .into_iter()
            .find(|v| v.key() == key.trim())
            .ok_or_else(|| Msg::new("visibility_unknown").arg("value", key.trim()))
    }
}

pub const TITLE_MIN: usize = 8;
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
pub const COMMENT_MAX: usize = 2_000;
pub const TAGS_MAX: usize = 5;
pub const TAG_MIN: usize = 2;
pub const TAG_MAX: usize = 30;
pub const REASON_MAX: usize = 1_000;

/// `value` trimmed, or why its length is wrong; `field` names it in the message.
pub(super) fn length(field: Msg, value: &str, min: usize, max: usize) -> Result<String, Msg> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 && min > 0 {
        return Err(Msg::new("field_empty").arg_msg("field", field));
    }
    if n < min {
        return Err(Msg::new("field_too_short")
            .arg_msg("field", field)
            .arg("min", min));
    }
    if n > max {
        return Err(Msg::new("field_too_long")
            .arg_msg("field", field)
            .arg("max", max)
            .arg("len", n));
    }
    Ok(v.to_owned())
}

/// A question's title: 8 to 200 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadTitle(String);

impl ThreadTitle {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        length(Msg::new("field_title"), raw, TITLE_MIN, TITLE_MAX).map(Self)
    }
}

impl AsRef<str> for ThreadTitle {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Markdown text of a question or answer: 1 to 20,000 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostBody(String);

impl PostBody {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        length(Msg::new("field_body"), raw, 1, BODY_MAX).map(Self)
    }
}

impl AsRef<str> for PostBody {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A comment: plain text, 1 to 2,000 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        length(Msg::new("field_comment"), raw, 1, COMMENT_MAX).map(Self)
    }
}

impl AsRef<str> for CommentBody {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Free tags: at most 5, each 2 to 30 letters, digits, spaces or hyphens, lower-cased and
/// without duplicates.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, Msg> {
    if raw.len() > TAGS_MAX {
        return Err(Msg::new("tags_too_many").arg("max", TAGS_MAX));
    }
    let mut tags: Vec<String> = Vec::new();
    for t in raw {
        let tag = t.trim().to_lowercase();
        let n = tag.chars().count();
        if !(TAG_MIN..=TAG_MAX).contains(&n) {
            return Err(Msg::new("tag_length")
                .arg("min", TAG_MIN)
                .arg("max", TAG_MAX)
                .arg("tag", t.trim()));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == ' ')
        {
            return Err(Msg::new("tag_characters").arg("tag", t.trim()));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// Why a post is reported or moderated: 3 to 1,000 characters.
pub fn parse_reason(raw: &str) -> Result<String, Msg> {
    length(Msg::new("field_reason"), raw, 3, REASON_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_enforced_with_clear_messages() {
        assert!(
            ThreadTitle::parse("   ")
                .unwrap_err()
                .to_string()
                .contains("must not be empty")
        );
        assert!(
            ThreadTitle::parse("kurz")
                .unwrap_err()
                .to_string()
                .contains("at least 8")
        );
        assert!(
            ThreadTitle::parse(&"x".repeat(201))
                .unwrap_err()
                .to_string()
                .contains("at most 200")
        );
        assert!(PostBody::parse(&"x".repeat(20_001)).is_err());
        assert!(CommentBody::parse("ok").is_ok());
        assert_eq!(
            parse_tags(&["Preis".into(), "preis".into(), "Zu Teuer".into()]).unwrap(),
            vec!["preis", "zu teuer"]
        );
        assert!(parse_tags(&["<b>".into()]).is_err());
        assert!(parse_tags(&vec!["aa".to_string(); 6]).is_err());
        assert!(
            Visibility::parse("public")
                .unwrap_err()
                .to_string()
                .contains("not_my_company")
        );
    }
}
