//! Sentences that are not prose although they stand in the article: reference-list entries,
//! web addresses and tracking codes. Page furniture (captions, bylines, prompts, …) is the
//! page stage's (`crate::stages::page`); a summary leaves out both.

/// Why `sentence` is not prose a summary can use, or `None` when it is.
pub fn not_prose(sentence: &str) -> Option<&'static str> {
    let lower = sentence.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Some("contains a web address");
    }
    if lower.split_whitespace().any(tracking_code) {
        return Some("tracking code");
    }
    if reference_entry(&lower) {
        return Some("reference-list entry");
    }
    if lower.starts_with("^{") || lower.starts_with("* ") {
        return Some("footnote");
    }
    None
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apparatus_is_not_prose() {
        assert_eq!(not_prose("ttn-de-58"), Some("tracking code"));
        assert_eq!(
            not_prose(
                "Victor Cha / Ellen Kim (2024): The New Russia-North Korea Security Alliance."
            ),
            Some("reference-list entry")
        );
        assert_eq!(
            not_prose("Mehr unter https://www.example.org/bericht"),
            Some("contains a web address")
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
            assert_eq!(not_prose(s), None, "{s}");
        }
    }
}
