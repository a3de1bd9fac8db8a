//! Where a decoded entity meets the text around it, two cases the model cannot see:
//! - a name inside a link ("nytimes.com", "world/europe" in a reference URL) is part of an
//!   address, not a mention: a reviewer wants no entity there;
//! - the first part of an elliptical compound ("Süd- und Nordkorea", "Ost- und
//!   Westdeutschland") keeps its hyphen, so the span shows what is written, and is completed
//!   from the second part for its canonical form ("Südkorea").

/// Whether chars `[start, end)` lie in a link: a web address, a domain name or an e-mail
/// address (the whitespace-delimited word holding the span looks like one).
pub(crate) fn inside_link(chars: &[char], start: usize, end: usize) -> bool {
    let mut s = start.min(chars.len());
    while s > 0 && !chars[s - 1].is_whitespace() {
        s -= 1;
    }
    let mut e = end.min(chars.len());
    while e < chars.len() && !chars[e].is_whitespace() {
        e += 1;
    }
    let word: String = chars[s..e].iter().collect();
    looks_like_link(word.trim_matches(|c: char| !c.is_alphanumeric() && c != '/'))
}

fn looks_like_link(word: &str) -> bool {
    let lower = word.to_lowercase();
    if lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    if let Some((user, host)) = lower.split_once('@') {
        return !user.is_empty() && host.contains('.');
    }
    // "nytimes.com", "fr.de/politik": a host name ending in a top-level domain.
    let host = lower.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && TOP_LEVEL_DOMAINS.contains(labels.last().expect("two labels"))
}

/// Common top-level domains of news sources; a word ending in one after a dot is a host name
/// ("Dr.Müller" or "u.a" never end in one).
const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "int", "info", "de", "at", "ch", "eu", "uk", "fr", "it",
    "es", "nl", "be", "pl", "ru", "ua", "kr", "kp", "cn", "jp", "us", "ca", "io", "news",
];

/// Modifiers that begin the second part of an elliptical compound; what follows them is the
/// head the first part shares ("Nord|korea", "West|deutschland", "Mittel|betriebe").
const COMPOUND_MODIFIERS: &[&str] = &[
    "nordost", "nordwest", "südost", "südwest", "nord", "süd", "ost", "west", "mittel", "zentral",
    "ober", "unter", "nieder", "inner", "groß", "klein", "alt", "neu", "hoch",
];

/// An entity ending at `end` that is the first part of an elliptical compound: the char after
/// it is a hyphen followed by "und"/"oder"/"bis"/"sowie"/"," and a second part. Returns the end
/// including the hyphen and, when the second part starts with a known modifier, the completed
/// form ("Süd" + "korea").
pub(crate) fn elliptical(
    chars: &[char],
    start: usize,
    end: usize,
) -> Option<(usize, Option<String>)> {
    if end >= chars.len() || chars[end] != '-' || end == start {
        return None;
    }
    let after: String = chars[end + 1..].iter().take(80).collect();
    let rest = after.strip_prefix(|c: char| c.is_whitespace())?;
    let rest = ["und ", "oder ", "bis ", "sowie ", "and ", "or ", ", "]
        .iter()
        .find_map(|j| rest.strip_prefix(j))?;
    let second: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    if !second.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let first: String = chars[start..end].iter().collect();
    let lower = second.to_lowercase();
    let completed = COMPOUND_MODIFIERS.iter().find_map(|m| {
        let head = lower.strip_prefix(m)?;
        let head_len = head.chars().count();
        (head_len >= 3).then(|| {
            let head: String = second
                .chars()
                .skip(second.chars().count() - head_len)
                .collect();
            format!("{first}{head}")
        })
    });
    Some((end + 1, completed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn span_of(text: &str, part: &str) -> (usize, usize) {
        let b = text.find(part).unwrap();
        let s = text[..b].chars().count();
        (s, s + part.chars().count())
    }

    #[test]
    fn names_in_links_are_found() {
        let text = "New York Times, 17. Juni 2024. https://www.nytimes.com/2024/06/17/world/europe/x.html. Mehr bei nytimes.com oder presse@bund.de, sagte Dr.Müller in Berlin.";
        let c = chars(text);
        for inside in ["nytimes", "world/europe", "europe", "bund"] {
            let (s, e) = span_of(text, inside);
            assert!(inside_link(&c, s, e), "{inside}");
        }
        for outside in ["New York Times", "Berlin", "Müller"] {
            let (s, e) = span_of(text, outside);
            assert!(!inside_link(&c, s, e), "{outside}");
        }
    }

    #[test]
    fn elliptical_compounds_keep_their_hyphen_and_are_completed() {
        let cases = [
            ("Süd- und Nordkorea verhandeln.", "Süd", Some("Südkorea")),
            (
                "Ost- und Westdeutschland wuchsen.",
                "Ost",
                Some("Ostdeutschland"),
            ),
            ("Nord- oder Süd-Korea?", "Nord", Some("Nord-Korea")),
            ("Bayern- und Sachsen-Anhalt-Fans", "Bayern", None),
        ];
        for (text, part, completed) in cases {
            let c = chars(text);
            let (s, e) = span_of(text, part);
            let (end, form) = elliptical(&c, s, e).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(c[s..end].iter().collect::<String>(), format!("{part}-"));
            assert_eq!(form.as_deref(), completed, "{text}");
        }
        for text in [
            "Süd-Korea ist reich.",
            "Die Süd - Nord Achse",
            "Süd- und ostwärts",
        ] {
            let c = chars(text);
            let (s, e) = span_of(text, "Süd");
            assert_eq!(elliptical(&c, s, e), None, "{text}");
        }
    }
}
