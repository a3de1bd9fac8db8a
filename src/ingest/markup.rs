//! HTML and Markdown left in scraped text: character references (`&nbsp;`, `&#8211;`),
//! tags (`<p>`, `<a href=…>`, `<!-- … -->`, `<script>…</script>`), Markdown links,
//! bold markers and heading marks.
//!
//! They are decoded into the article text (a reader and every stage should see "3 000 Euro",
//! not "3&nbsp;000 Euro"), and every change is recorded in `source.markup`: the span of the
//! text that replaced it and what was there, so the bytes as read can be rebuilt and nothing
//! changes silently. All offsets of the record are into the decoded text.

use serde::{Deserialize, Serialize};

/// One decoded piece of markup: `text[start..end]` (chars), which is `text`, replaced `was`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkupEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub was: String,
    /// `entity`, `tag` or `markdown`.
    pub kind: String,
}

/// Tags that end a block: they become a line break, which also ends a sentence.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figure",
    "figcaption",
    "hr",
    "dd",
    "dt",
    "td",
    "th",
    "main",
    "nav",
    "aside",
];
/// Elements whose content is code, never text.
const CODE_ELEMENTS: &[&str] = &["script", "style"];
/// Longest tag or comment read as markup; past that a `<` is just a character.
const MAX_TAG: usize = 2000;
const MAX_SCRIPT: usize = 200_000;
/// Longest character reference (`&CounterClockwiseContourIntegral;` is 33 bytes) and longest
/// Markdown link or bold run: bounds that keep the scan linear on text full of `&`, `[`, `*`.
const MAX_ENTITY: usize = 40;
const MAX_INLINE: usize = 1000;

/// The text with its markup decoded, and the edits made. Text without markup comes back
/// unchanged with no edits.
pub fn decode_markup(text: &str) -> (String, Vec<MarkupEdit>) {
    if !text.contains(['&', '<', '[', '*', '#']) {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut edits = Vec::new();
    let mut out_chars = 0usize;
    let mut i = 0usize;
    let mut line_start = true;
    while i < text.len() {
        let rest = &text[i..];
        let found = match rest.as_bytes()[0] {
            b'&' => entity(rest).map(|(len, s)| (len, s, "entity")),
            b'<' => tag(rest).map(|(len, s)| (len, s, "tag")),
            b'[' | b'!' => markdown_link(rest).map(|(len, s)| (len, s, "markdown")),
            b'*' => bold(rest).map(|(len, s)| (len, s, "markdown")),
            b'#' if line_start => heading_mark(rest).map(|len| (len, String::new(), "markdown")),
            _ => None,
        };
        match found {
            Some((len, replacement, kind)) => {
                let n = replacement.chars().count();
                edits.push(MarkupEdit {
                    start: out_chars,
                    end: out_chars + n,
                    text: replacement.clone(),
                    was: rest[..len].to_string(),
                    kind: kind.to_string(),
                });
                // A heading mark is removed once per line ("## #hashtag" keeps its "#").
                line_start =
                    replacement.ends_with('\n') || (n == 0 && line_start && kind != "markdown");
                out.push_str(&replacement);
                out_chars += n;
                i += len;
            }
            None => {
                let c = rest.chars().next().expect("non-empty");
                line_start = c == '\n';
                out.push(c);
                out_chars += 1;
                i += c.len_utf8();
            }
        }
    }
    (out, edits)
}

/// The text as it was before [`decode_markup`]: each edit's span put back to what it `was`.
/// Edits must be those `decode_markup` returned for `text` (in order, within the text).
pub fn restore(text: &str, edits: &[MarkupEdit]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.extend(&chars[at..e.start]);
        out.push_str(&e.was);
        at = e.end;
    }
    out.extend(&chars[at..]);
    out
}

/// `&name;`, `&#123;` or `&#x1F;` that HTML knows: (length, decoded).
fn entity(rest: &str) -> Option<(usize, String)> {
    let end = rest[1..floor_boundary(rest, MAX_ENTITY)].find(';')? + 1;
    let body = &rest[1..end];
    let plausible = if let Some(num) = body.strip_prefix('#') {
        let digits = num.strip_prefix(['x', 'X']).map_or(
            !num.is_empty() && num.len() <= 7 && num.bytes().all(|b| b.is_ascii_digit()),
            |hex| !hex.is_empty() && hex.len() <= 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        );
        digits
    } else {
        (2..=32).contains(&body.len())
            && body.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && body.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if !plausible {
        return None;
    }
    let whole = &rest[..=end];
    let decoded = html_escape::decode_html_entities(whole);
    // "&#1;" would smuggle a control character past input decoding: leave such references.
    let harmless = !decoded
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    (decoded != whole && harmless).then(|| (whole.len(), decoded.into_owned()))
}

/// A tag, comment or script/style element: (length, its replacement: a line break for
/// block tags, else nothing).
fn tag(rest: &str) -> Option<(usize, String)> {
    if let Some(body) = rest.strip_prefix("<!--") {
        let end = body.get(..MAX_TAG.min(body.len()))?.find("-->")?;
        return Some((4 + end + 3, String::new()));
    }
    let window = &rest[..floor_boundary(rest, MAX_TAG)];
    let close = window.find('>')?;
    let inner = &window[1..close];
    if inner.contains(['<', '\n']) {
        return None;
    }
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let name_len = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = inner[..name_len].to_ascii_lowercase();
    let after_name = &inner[name_len..];
    let well_formed = name_len > 0
        && inner.as_bytes()[0].is_ascii_alphabetic()
        && (after_name.is_empty() || after_name.starts_with(char::is_whitespace));
    if !well_formed {
        return None;
    }
    if !closing && CODE_ELEMENTS.contains(&name.as_str()) {
        let end_tag = format!("</{name}>");
        let search = &rest[..floor_boundary(rest, MAX_SCRIPT)];
        let end = search.to_ascii_lowercase().find(&end_tag)?;
        return Some((end + end_tag.len(), String::new()));
    }
    let replacement = if BLOCK_TAGS.contains(&name.as_str()) {
        "\n"
    } else {
        ""
    };
    Some((close + 1, replacement.to_string()))
}

/// `[text](target)` or `![alt](target)` on one line: (length, the text).
fn markdown_link(rest: &str) -> Option<(usize, String)> {
    let open = usize::from(rest.starts_with('!'));
    let body = rest[open..floor_boundary(rest, MAX_INLINE)].strip_prefix('[')?;
    let close = body.find(']')?;
    let label = &body[..close];
    let target = body[close + 1..].strip_prefix('(')?;
    let end = target.find(')')?;
    let url = &target[..end];
    let is_link =
        !label.contains(['\n', '[']) && !url.is_empty() && !url.contains(char::is_whitespace);
    is_link.then(|| (open + 1 + close + 2 + end + 1, label.to_string()))
}

/// `**text**` on one line: (length, the text).
fn bold(rest: &str) -> Option<(usize, String)> {
    let body = rest[..floor_boundary(rest, MAX_INLINE)].strip_prefix("**")?;
    let end = body.find("**")?;
    let inner = &body[..end];
    let plausible = !inner.is_empty()
        && !inner.contains('\n')
        && !inner.starts_with(char::is_whitespace)
        && !inner.ends_with(char::is_whitespace);
    plausible.then(|| (end + 4, inner.to_string()))
}

/// `# `…`###### ` at the start of a line: the mark's length.
fn heading_mark(rest: &str) -> Option<usize> {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&hashes) && rest[hashes..].starts_with(' ')).then_some(hashes + 1)
}

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_decoded_and_every_change_recorded() {
        let raw = "<p>Es kostet 3&nbsp;000&#8239;Euro &amp; mehr.</p><!-- ad --><script>var x = '<p>';</script>\
                   <a href=\"https://x.invalid\">Kim</a> sagte &bdquo;nein&ldquo;.<br/>Zweiter Absatz.";
        let (text, edits) = decode_markup(raw);
        assert_eq!(
            text,
            "\nEs kostet 3\u{a0}000\u{202f}Euro & mehr.\nKim sagte „nein“.\nZweiter Absatz."
        );
        assert_eq!(restore(&text, &edits), raw);
        let nbsp = edits.iter().find(|e| e.was == "&nbsp;").unwrap();
        assert_eq!((nbsp.kind.as_str(), nbsp.end - nbsp.start), ("entity", 1));
        assert!(edits
            .iter()
            .any(|e| e.was.starts_with("<script>") && e.kind == "tag"));
    }

    #[test]
    fn markdown_links_bold_and_headings() {
        let raw = "# Titel\nLaut **Reuters** starben [viele Menschen](https://x.invalid/a).\n![Bild](b.png)";
        let (text, edits) = decode_markup(raw);
        assert_eq!(text, "Titel\nLaut Reuters starben viele Menschen.\nBild");
        assert_eq!(restore(&text, &edits), raw);
        // One heading mark per line: found by fuzzing, "###### ### " emptied the text.
        assert_eq!(decode_markup("###### ### x").0, "### x");
    }

    #[test]
    fn text_that_only_looks_like_markup_stays() {
        for s in [
            "Temperaturen <10 Grad, a < b > c, AT&T; Q&A",
            "Punkte 1 * 2 ** 3, Hashtag #Wahl und Fußnote [1] (siehe oben)",
            "&unknownentity; und & allein",
            "Preis: 5 € <-> 6 €",
            "Steuerzeichen &#1; und &#0; bleiben stehen",
        ] {
            let (text, edits) = decode_markup(s);
            assert_eq!(text, s);
            assert!(edits.is_empty(), "{s}: {edits:?}");
        }
    }
}
