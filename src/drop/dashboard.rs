//! `dashboard.html`: one self-contained page over the drop (articles with summaries, top
//! entities, the claims table with filters, clusters reported by several articles). The data
//! is embedded as JSON in the page; the page makes no network request.

use std::time::SystemTime;

use anyhow::Result;
use serde::Serialize;

use super::feed::DropFeed;

const TEMPLATE: &str = include_str!("dashboard.html");
const PLACEHOLDER: &str = "{{NEWSEXTRACT_DATA}}";

#[derive(Serialize)]
struct PageData<'a> {
    schema_version: &'static str,
    generated: String,
    #[serde(flatten)]
    feed: &'a DropFeed,
}

/// The page with `feed` embedded.
pub fn render(feed: &DropFeed) -> Result<String> {
    let data = PageData {
        schema_version: crate::document::SCHEMA_VERSION,
        generated: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        feed,
    };
    let json = script_safe(&serde_json::to_string(&data)?);
    Ok(TEMPLATE.replacen(PLACEHOLDER, &json, 1))
}

/// JSON that can sit inside a `<script>` element: no `</script>`, no `<!--`, no entity
/// tricks. The escapes are JSON string escapes, so `JSON.parse` returns the same data.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let s = script_safe(r#"{"t":"</script><!-- & \u2028"}"#);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["t"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn template_has_one_placeholder_and_no_remote_resources() {
        assert_eq!(TEMPLATE.matches(PLACEHOLDER).count(), 1);
        for remote in [
            "http://",
            "https://",
            "//cdn",
            "fetch(",
            "XMLHttpRequest",
            "@import",
        ] {
            assert!(!TEMPLATE.contains(remote), "template refers to {remote}");
        }
    }
}
