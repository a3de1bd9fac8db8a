//! Where a decoded entity meets the text around it, two cases the model cannot see:
//! - a name inside a link ("nytimes.com", "world/europe" in a reference URL) is part of an
//!   address, not a mention: a reviewer wants no entity there (a bare site name such as
//!   "Blick.ch" is a name, as GermEval annotates it);
//! - the first part of an elliptical compound ("Süd- und Nordkorea", "Ost- und
//!   Westdeutschland") keeps its hyphen, so the span shows what is written, and is completed
//!   from the second part for its canonical form ("Südkorea");
//! - a name cut at a connector ("Vereinigten Staaten von" + "Amerika") is joined, and a
//!   connector left at a span's end is trimmed.

use crate::document::Entity;

/// Whether chars `[start, end)` lie in a link: a web address with a scheme or a path, or an
/// e-mail address (the whitespace-delimited word holding the span looks like one). A bare host
/// name standing as a word ("Blick.ch", "nytimes.com: …") names a website and stays an entity,
/// as GermEval annotates it.
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
    if lower.contains("://") {
        return true;
    }
    if let Some((user, host)) = lower.split_once('@') {
        return !user.is_empty() && host.contains('.');
    }
    // "fr.de/politik/…", "www.nytimes.com/2024/06/17/world/europe": a host with a path.
    let Some((host, path)) = lower.split_once('/') else {
        return false;
    };
    let labels: Vec<&str> = host.split('.').collect();
    !path.is_empty()
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && TOP_LEVEL_DOMAINS.contains(labels.last().expect("two labels"))
}

/// Common top-level domains of news sources: "presse.de/x" is a path, "Berlin/Brandenburg" not.
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

/// Lower-case words that join the parts of a name ("Vereinigte Staaten von Amerika") but never
/// end one.
const CONNECTORS: &[&str] = &[
    "von", "van", "vom", "der", "des", "den", "dem", "die", "für", "und", "zu", "zur", "am", "an",
    "im", "in", "of", "the", "and", "for", "de", "du", "la", "le",
];

fn last_word(text: &str) -> &str {
    text.rsplit(char::is_whitespace).next().unwrap_or("")
}

/// Mends names the model cut at a connector. A place, organisation or other name ending in a
/// connector followed, after one space, by a span of the same label in the same sentence is
/// one name ("Vereinigten Staaten von" + "Amerika"); a connector left at the end of a span is
/// trimmed off ("Territorium der" → "Territorium"). Persons are not joined ("Heydrich von" +
/// "Hermann Göring" are two people), nor are spans across "und"/"and" ("Fry und" + "Harris"):
/// both joins cost recall on GermEval's held-out part. `slice(start, end)` gives the text of
/// chars `[start, end)`; `forms` runs parallel to `entities`. Returns how many spans were
/// joined or trimmed.
pub(crate) fn mend_connectors(
    entities: &mut Vec<Entity>,
    forms: &mut Vec<Option<String>>,
    slice: impl Fn(usize, usize) -> String,
) -> usize {
    let mut mended = 0;
    let mut i = 0;
    while i < entities.len() {
        let ends_in_connector = |e: &Entity| {
            e.text.contains(char::is_whitespace) && CONNECTORS.contains(&last_word(&e.text))
        };
        if i + 1 < entities.len() && ends_in_connector(&entities[i]) {
            let (a, b) = (&entities[i], &entities[i + 1]);
            let joins = !matches!(last_word(&a.text), "und" | "and") && a.label != "PER";
            if joins
                && a.sentence == b.sentence
                && a.label == b.label
                && slice(a.end, b.start) == " "
            {
                let joined = Entity {
                    text: slice(a.start, b.end),
                    end: b.end,
                    score: a.score.min(b.score),
                    ..a.clone()
                };
                entities[i] = joined;
                entities.remove(i + 1);
                forms.remove(i + 1);
                forms[i] = None;
                mended += 1;
                continue;
            }
        }
        let e = &mut entities[i];
        if ends_in_connector(e) {
            let cut = e.text[..e.text.len() - last_word(&e.text).len()].trim_end();
            e.end = e.start + cut.chars().count();
            e.text = cut.to_string();
            mended += 1;
            continue;
        }
        i += 1;
    }
    mended
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
        let text = "New York Times, 17. Juni 2024. https://www.nytimes.com/2024/06/17/world/europe/x.html. Mehr bei fr.de/politik oder presse@bund.de, laut Blick.ch und www.kuenker.de, sagte Dr.Müller in Berlin/Brandenburg.";
        let c = chars(text);
        for inside in ["nytimes", "world/europe", "europe", "politik", "bund"] {
            let (s, e) = span_of(text, inside);
            assert!(inside_link(&c, s, e), "{inside}");
        }
        for outside in ["New York Times", "Blick.ch", "kuenker", "Berlin", "Müller"] {
            let (s, e) = span_of(text, outside);
            assert!(!inside_link(&c, s, e), "{outside}");
        }
    }

    fn entity(text: &str, whole: &str, label: &str, sentence: usize) -> Entity {
        let (start, end) = span_of(whole, text);
        Entity {
            text: text.into(),
            label: label.into(),
            start,
            end,
            score: 0.9,
            sentence,
            canonical: String::new(),
            boilerplate: false,
        }
    }

    #[test]
    fn names_cut_at_a_connector_are_joined_or_trimmed() {
        let text = "Die Vereinigten Staaten von Amerika und das Territorium der USA.";
        let chars: Vec<char> = text.chars().collect();
        let slice = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let mut entities = vec![
            entity("Vereinigten Staaten von", text, "LOC", 0),
            entity("Amerika", text, "LOC", 0),
            entity("Territorium der", text, "MISC", 0),
            entity("USA", text, "LOC", 0),
        ];
        let mut forms = vec![None; 4];
        assert_eq!(mend_connectors(&mut entities, &mut forms, slice), 2);
        let got: Vec<(&str, &str)> = entities
            .iter()
            .map(|e| (e.text.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Vereinigten Staaten von Amerika", "LOC"),
                ("Territorium", "MISC"),
                ("USA", "LOC")
            ]
        );
        // Two people, not one: persons and "und" are never joined, only trimmed.
        let text = "Ernannt wurde Heydrich von Hermann Göring, Fry und Harris lachten.";
        let chars: Vec<char> = text.chars().collect();
        let slice = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let mut entities = vec![
            entity("Heydrich von", text, "PER", 0),
            entity("Hermann Göring", text, "PER", 0),
            entity("Fry und", text, "PER", 0),
            entity("Harris", text, "PER", 0),
        ];
        let mut forms = vec![None; 4];
        mend_connectors(&mut entities, &mut forms, slice);
        let got: Vec<&str> = entities.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(got, ["Heydrich", "Hermann Göring", "Fry", "Harris"]);
        for e in &entities {
            assert_eq!(slice(e.start, e.end), e.text);
        }
        assert_eq!(forms.len(), entities.len());
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
