//! The document's limits, as poem-openapi's request parser reports them ("field `title`
//! verification failed. maxLength(200)"), turned into catalogue messages a person understands.

use crate::domain::Msg;

/// A field of the API by its name in the document; names without a catalogue entry stay as
/// they are (technical parameters such as `per_page`).
fn field(name: &str) -> Msg {
    match name {
        "title" => Msg::new("field_title"),
        "body" => Msg::new("field_body"),
        "reason" => Msg::new("field_reason"),
        "summary" => Msg::new("field_summary"),
        "tag" => Msg::new("field_tag"),
        "tags" => Msg::new("field_tags"),
        "takeaways" => Msg::new("field_takeaways"),
        "question" => Msg::new("field_question"),
        "text" => Msg::new("field_text"),
        "explanation" => Msg::new("field_explanation"),
        "description" => Msg::new("field_description"),
        "email" => Msg::new("field_email"),
        "confirm_email" => Msg::new("field_confirm_email"),
        "password" => Msg::new("field_password"),
        "handle" => Msg::new("field_handle"),
        "name" => Msg::new("field_name"),
        "display_name" => Msg::new("field_display_name"),
        "language" => Msg::new("field_language"),
        "locale" => Msg::new("field_locale"),
        "topic" => Msg::new("field_topic"),
        "visibility" => Msg::new("field_visibility"),
        "stars" => Msg::new("field_stars"),
        "feedback" => Msg::new("field_feedback"),
        "seats" => Msg::new("field_seats"),
        "teams" => Msg::new("field_teams"),
        "q" => Msg::new("field_q"),
        other => Msg::new("field_other").arg("name", other),
    }
}

/// The validation failure in `raw` (a poem-openapi parse error) as a message, if it is one.
pub fn plain_validation_message(raw: &str) -> Option<Msg> {
    let (_, rest) = raw
        .split_once("field `")
        .or_else(|| raw.split_once("parameter `"))?;
    let (name, rest) = rest.split_once('`')?;
    let rule = rest.split_once("verification failed. ")?.1.trim();
    let number = |prefix: &str| -> Option<u64> {
        let inner = rule.strip_prefix(prefix)?.strip_suffix(')')?;
        inner.split(',').next()?.trim().parse().ok()
    };
    let field = field(name);
    if let Some(n) = number("minLength(") {
        return Some(if n <= 1 {
            Msg::new("field_empty").arg_msg("field", field)
        } else {
            Msg::new("field_too_short")
                .arg_msg("field", field)
                .arg("min", n)
        });
    }
    if let Some(n) = number("maxLength(") {
        return Some(
            Msg::new("field_max_length")
                .arg_msg("field", field)
                .arg("max", n),
        );
    }
    if let Some(n) = number("maxItems(") {
        return Some(
            Msg::new("field_max_items")
                .arg_msg("field", field)
                .arg("max", n),
        );
    }
    if let Some(n) = number("minimum(") {
        return Some(
            Msg::new("field_minimum")
                .arg_msg("field", field)
                .arg("min", n),
        );
    }
    if let Some(n) = number("maximum(") {
        return Some(
            Msg::new("field_maximum")
                .arg_msg("field", field)
                .arg("max", n),
        );
    }
    let Some(pattern) = rule
        .strip_prefix("pattern(\"")
        .and_then(|p| p.strip_suffix("\")"))
    else {
        return Some(Msg::new("field_format").arg_msg("field", field));
    };
    if pattern == "\\S" {
        return Some(Msg::new("field_empty").arg_msg("field", field));
    }
    if let Some(choices) = pattern
        .strip_prefix("^(")
        .and_then(|p| p.strip_suffix(")$"))
    {
        return Some(
            Msg::new("field_choices")
                .arg_msg("field", field)
                .arg("choices", choices.replace('|', ", ")),
        );
    }
    Some(Msg::new("field_format").arg_msg("field", field))
}

#[cfg(test)]
mod tests {
    use super::plain_validation_message;
    use crate::domain::Locale;
    use crate::messages::render;

    fn plain(raw: &str, locale: Locale) -> String {
        render(&plain_validation_message(raw).unwrap(), locale)
    }

    #[test]
    fn validation_messages_are_put_in_plain_words() {
        let field = |rule: &str| {
            format!(
                "parse request payload error: failed to parse \"X\": field `title` verification failed. {rule}"
            )
        };
        let en = |raw: &str| plain(raw, Locale::En);
        assert_eq!(
            en(&field("maxLength(200)")),
            "title must be at most 200 characters"
        );
        assert_eq!(
            en(&field("minLength(12)")),
            "title must be at least 12 characters"
        );
        assert_eq!(en(&field("pattern(\"\\S\")")), "title must not be empty");
        assert_eq!(
            en(&field("pattern(\"^(de|en)$\")")),
            "unknown title: use one of de, en"
        );
        assert_eq!(
            en("failed to parse parameter `kind`: verification failed. pattern(\"^(a|b)$\")"),
            "unknown kind: use one of a, b"
        );
        assert_eq!(
            en(
                "failed to parse parameter `limit`: verification failed. maximum(50, exclusive: false)"
            ),
            "limit must be at most 50"
        );
        assert!(plain_validation_message("expected a JSON object").is_none());
    }

    #[test]
    fn validation_messages_speak_german_too() {
        let raw = "failed to parse \"X\": field `title` verification failed. pattern(\"\\S\")";
        let de = plain(raw, Locale::De);
        assert!(de.starts_with("Titel"), "{de}");
        assert!(!de.contains("title") && !de.contains("must"), "{de}");
    }
}
