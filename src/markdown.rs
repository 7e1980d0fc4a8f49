//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything that could run.

use pulldown_cmark::{Options, Parser, html};

/// Renders user-written Markdown; raw HTML, scripts, event handlers and `javascript:` links
/// do not survive.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

/// Plain text of Markdown, for snippets and search.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_scripts_do_not_survive() {
        let html = render("## Titel\n\n**fett** [ok](https://example.com)");
        assert!(html.contains("<h2>Titel</h2>") && html.contains("<strong>fett</strong>"));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let out = render(payload);
            let lower = out.to_lowercase();
            assert!(
                !lower.contains("<script")
                    && !lower.contains("onerror")
                    && !lower.contains("javascript:")
                    && !lower.contains("onload")
                    && !lower.contains("<iframe"),
                "{payload} -> {out}"
            );
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Kopf\n\nEin **Text** mit `code`."),
            "Kopf Ein Text mit code."
        );
    }
}
