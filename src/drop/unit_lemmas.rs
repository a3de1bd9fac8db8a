//! Unit lemmas: one name for the inflected forms of a counted noun across a drop, so that
//! "10.000 Container" and "10.000 Containern" are the same quantity.
//!
//! Two forms are the same unit when their Snowball stems agree word by word (the German stemmer
//! also folds umlauts: "Sprengköpfe" and "Sprengkopf" meet). The group is named by its
//! shortest form after one safe rule, the German dative plural of nouns in -er/-el
//! ("Containern" → "Container", "Raketenwerfern" → "Raketenwerfer").

use std::collections::{BTreeMap, HashMap};

use rust_stemmers::{Algorithm, Stemmer};

/// Stems unit forms; keyed by the article language (German rules unless it is English).
pub struct UnitStemmer {
    german: Stemmer,
    english: Stemmer,
}

impl Default for UnitStemmer {
    fn default() -> Self {
        UnitStemmer {
            german: Stemmer::create(Algorithm::German),
            english: Stemmer::create(Algorithm::English),
        }
    }
}

impl UnitStemmer {
    /// The grouping key of a unit as written: its words lower-cased and stemmed.
    pub fn key(&self, unit: &str, language: Option<&str>) -> String {
        let stemmer = if language == Some("en") {
            &self.english
        } else {
            &self.german
        };
        unit.split_whitespace()
            .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A unit form with the German -er/-el dative plural undone on its last word.
pub fn base_form(unit: &str) -> String {
    let (head, last) = match unit.rsplit_once(' ') {
        Some((h, l)) => (Some(h), l),
        None => (None, unit),
    };
    let undone = if let Some(singular) = time_unit(last) {
        singular
    } else if last.chars().count() >= 5 && (last.ends_with("ern") || last.ends_with("eln")) {
        &last[..last.len() - 1]
    } else {
        last
    };
    match head {
        Some(h) => format!("{h} {undone}"),
        None => undone.to_string(),
    }
}

/// Time units, the most frequent units after money and percent, by their singular.
fn time_unit(word: &str) -> Option<&'static str> {
    Some(match word {
        "Jahre" | "Jahren" | "Jahres" => "Jahr",
        "Monate" | "Monaten" | "Monats" => "Monat",
        "Wochen" => "Woche",
        "Tage" | "Tagen" | "Tages" => "Tag",
        "Stunden" => "Stunde",
        "Minuten" => "Minute",
        "Sekunden" => "Sekunde",
        "Jahrzehnte" | "Jahrzehnten" => "Jahrzehnt",
        "Jahrhunderte" | "Jahrhunderten" => "Jahrhundert",
        _ => return None,
    })
}

/// Names each unit key by its shortest base form (ties: the most frequent, then the
/// alphabetically first), given every (key, form as written) occurrence of the drop.
pub fn lemmas<'a>(
    occurrences: impl Iterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, String> {
    let mut forms: HashMap<&str, BTreeMap<String, usize>> = HashMap::new();
    for (key, written) in occurrences {
        *forms
            .entry(key)
            .or_default()
            .entry(base_form(written))
            .or_default() += 1;
    }
    forms
        .into_iter()
        .map(|(key, counts)| {
            let best = counts
                .iter()
                .min_by(|a, b| {
                    a.0.chars()
                        .count()
                        .cmp(&b.0.chars().count())
                        .then(b.1.cmp(a.1))
                        .then(a.0.cmp(b.0))
                })
                .map(|(f, _)| f.clone())
                .unwrap_or_default();
            (key.to_string(), best)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_key_and_a_name() {
        let s = UnitStemmer::default();
        let written = [
            "Containern",
            "Container",
            "Sprengköpfe",
            "Sprengkopf",
            "Granaten",
        ];
        let keys: Vec<String> = written.iter().map(|w| s.key(w, Some("de"))).collect();
        assert_eq!(keys[0], keys[1]);
        assert_eq!(keys[2], keys[3]);
        let names = lemmas(keys.iter().map(String::as_str).zip(written));
        assert_eq!(names[&keys[0]], "Container");
        assert_eq!(names[&keys[2]], "Sprengkopf");
        assert_eq!(names[&keys[4]], "Granaten");
    }

    #[test]
    fn dative_plural_alone_is_undone() {
        assert_eq!(base_form("Containern"), "Container");
        assert_eq!(base_form("Tonnen"), "Tonnen");
        assert_eq!(base_form("Jahren"), "Jahr");
        assert_eq!(base_form("Barrel Öl"), "Barrel Öl");
    }
}
