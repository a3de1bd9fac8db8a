//! Sentences that belong to the page around an article rather than to its report: captions,
//! bylines, newsletter and comment prompts, tracking codes, reference-list entries, headings.
//! A summary never picks them, and they take no part in the sentence graph.
//!
//! Each rule names itself, so a test (or a puzzled reader) can see why a sentence was left out.

/// Why `sentence` (found on `line`, the paragraph of the text it sits in) is boilerplate, or
/// `None` when it is article prose.
pub fn boilerplate_reason(sentence: &str, line: &str) -> Option<&'static str> {
    let lower = sentence.to_lowercase();
    if let Some(phrase) = PAGE_PHRASES.iter().find(|p| lower.contains(*p)) {
        return Some(phrase_reason(phrase));
    }
    let byline = (lower.starts_with("von ") || lower.starts_with("by "))
        && lower.split_whitespace().count() <= 5;
    if byline || STARTS.iter().any(|p| lower.starts_with(p)) {
        return Some("byline, author note or credit");
    }
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Some("contains a web address");
    }
    if lower.split_whitespace().any(tracking_code) {
        return Some("tracking code");
    }
    if reference_entry(&lower) {
        return Some("reference-list entry");
    }
    if sentence.contains('|') || caption_line(line) {
        return Some("caption or media credit");
    }
    if shouting(sentence) {
        return Some("heading in capitals");
    }
    None
}

/// Phrases that only occur in the page furniture around news text (German and English).
/// Matched on the lower-cased sentence.
const PAGE_PHRASES: &[&str] = &[
    "schreibe einen kommentar",
    "kommentar schreiben",
    "kommentare anzeigen",
    "newsletter",
    "abonnieren",
    "jetzt anmelden",
    "melden sie sich an",
    "erhalten sie kostenlose",
    "folgen sie uns",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "zum journalistischen leitbild",
    "rund um die uhr für sie",
    "alle rechte vorbehalten",
    "datenschutzerklärung",
    "cookie",
    "©",
    "leave a comment",
    "sign up",
    "subscribe",
    "all rights reserved",
    "read more",
    "click here",
    "follow us",
];

fn phrase_reason(phrase: &str) -> &'static str {
    match phrase {
        "schreibe einen kommentar"
        | "kommentar schreiben"
        | "kommentare anzeigen"
        | "leave a comment" => "comment prompt",
        "cookie"
        | "datenschutzerklärung"
        | "©"
        | "alle rechte vorbehalten"
        | "all rights reserved" => "legal notice",
        "zum journalistischen leitbild" | "rund um die uhr für sie" => {
            "publisher self-description"
        }
        _ => "newsletter or reading prompt",
    }
}

/// Sentence openings of author notes, picture credits and footnotes ("von X" bylines are
/// told from "Von den 10.000 Containern ..." by their length).
const STARTS: &[&str] = &[
    "der autor ist",
    "die autorin ist",
    "the author is",
    "foto:",
    "bild:",
    "video:",
    "quelle:",
    "source:",
    "photo:",
    "^{",
    "* ",
];

/// Scraper and CMS codes such as "ttn-de-58": letters, a two-letter language tag, digits.
fn tracking_code(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    let parts: Vec<&str> = word.split('-').collect();
    matches!(parts.as_slice(), [site, lang, num]
        if site.len() >= 2 && site.chars().all(|c| c.is_ascii_lowercase())
            && lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase())
            && !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()))
}

/// "Autor (2024): Titel", "vgl.", ISSNs, page ranges "S. 5–12": the marks of a bibliography.
fn reference_entry(lower: &str) -> bool {
    if lower.contains("vgl.") || lower.contains("issn") || lower.contains("doi:") {
        return true;
    }
    let b = lower.as_bytes();
    // "(2024):" — a year in parentheses followed by a colon.
    let year_colon = b.windows(7).any(|w| {
        w[0] == b'(' && w[1..5].iter().all(u8::is_ascii_digit) && w[5] == b')' && w[6] == b':'
    });
    // "S. 5–12" / "S. 28-87": a page range.
    let page_range = lower.match_indices("s. ").any(|(i, _)| {
        let rest = &lower[i + 3..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(['–', '-'])
    });
    year_colon || page_range
}

/// A paragraph that ends in a media length ("20.06.2024 | 1:04 min") or a picture credit is a
/// caption: every sentence in it describes a picture or video, not the news.
fn caption_line(line: &str) -> bool {
    let t = line.trim_end().to_lowercase();
    let media_length = t.strip_suffix("min").is_some_and(|rest| {
        let rest = rest.trim_end();
        let (m, s) = rest
            .rsplit_once(char::is_whitespace)
            .map_or(rest, |(_, last)| last)
            .split_once(':')
            .unwrap_or(("", ""));
        !m.is_empty()
            && m.chars().all(|c| c.is_ascii_digit())
            && s.len() == 2
            && s.chars().all(|c| c.is_ascii_digit())
    });
    media_length || t.contains("(foto:") || t.contains("(bild:") || t.contains("| foto")
}

/// Mostly capital letters over several words: a masthead or heading, not a sentence.
fn shouting(sentence: &str) -> bool {
    let letters: Vec<char> = sentence.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    sentence.split_whitespace().count() >= 3
        && letters.len() >= 12
        && upper * 10 >= letters.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(s: &str) -> Option<&'static str> {
        boilerplate_reason(s, s)
    }

    #[test]
    fn page_furniture_is_recognised() {
        assert_eq!(reason("Schreibe einen Kommentar"), Some("comment prompt"));
        assert_eq!(reason("ttn-de-58"), Some("tracking code"));
        assert_eq!(
            reason("Erhalten Sie kostenlose Geopolitik-Updates"),
            Some("newsletter or reading prompt")
        );
        assert_eq!(
            reason("Der Autor ist Professor für Koreanistik an der Kookmin University"),
            Some("byline, author note or credit")
        );
        assert_eq!(
            reason("Victor Cha / Ellen Kim (2024): The New Russia-North Korea Security Alliance."),
            Some("reference-list entry")
        );
        assert_eq!(
            reason("KRAKOWSKIE STUDIA MIĘDZYNARODOWE KRAKOW INTERNATIONAL STUDIES"),
            Some("heading in capitals")
        );
        assert_eq!(
            reason("20.06.2024 | 1:04 min"),
            Some("caption or media credit")
        );
    }

    #[test]
    fn caption_paragraph_marks_all_its_sentences() {
        let line = "Satellitenbilder sollen zeigen, wie fast 2.000 Container nach Russland \
                    gebracht wurden. Ein Munitionsdepot soll gewachsen sein. 20.06.2024 | 1:04 min";
        assert_eq!(
            boilerplate_reason("Ein Munitionsdepot soll gewachsen sein.", line),
            Some("caption or media credit")
        );
    }

    #[test]
    fn news_prose_is_kept() {
        for s in [
            "Russland und Nordkorea wollen in Zukunft militärisch enger zusammenarbeiten.",
            "Von den 10.000 Containern sollen die meisten Munition enthalten haben.",
            "Nordkorea hat laut Südkorea bis zu drei Millionen Artilleriegeschosse geliefert.",
            "Die USA und die EU verurteilten den Vertrag.",
            "Das Treffen fand am 19. Juni 2024 in Pjöngjang statt (S. 5 der Erklärung).",
        ] {
            assert_eq!(reason(s), None, "{s}");
        }
    }
}
