//! Language identification: lingua decides among the languages a run expects
//! (`--languages`), and whatlang names an article in any other language when it is sure.
//!
//! Whatlang alone (69 languages, no model files) misreads short texts between close
//! languages: on `tests/data/language/short.tsv` it got 87% of one-sentence texts right (a
//! German headline read as French or Dutch, English as Dutch or Latin), and 90% restricted to
//! the set's five languages. Lingua among the expected languages got all 250 right
//! (`tests/language_short.rs`, [docs/language.md](../../docs/language.md)). Lingua only knows
//! the languages whose models are compiled in (Cargo features, about 5 MB each in the
//! binary), and among the expected ones it always picks the closest, so it cannot say that a
//! text is in none of them. Whatlang covers that: when it identifies a language outside the
//! set and calls its answer reliable (`is_reliable`: never wrong on the short set, 14 of
//! 4,887 reliable answers wrong on lingua's 7,000 test sentences, 11 of them Dutch read as
//! Afrikaans), its answer stands.
//!
//! Lingua's time grows with the text (about 1.7 ms per 1,000 characters over seven
//! languages), so it reads the opening [`LINGUA_MAX_CHARS`] characters; whatlang, about
//! seven times as fast, reads the whole text.

use std::fmt;
use std::str::FromStr;

use lingua::Language as Lingua;

use crate::document::Language;

/// How much of a text lingua reads: on texts of 500 characters and more (lingua's test
/// sentences joined) it was right on every one, in each of its seven languages.
pub const LINGUA_MAX_CHARS: usize = 1000;

/// The languages a run expects unless told otherwise: those the claims stage has full rules
/// for (`docs/claims.md`).
pub const DEFAULT_LANGUAGES: &[&str] = &["de", "en", "es", "fr", "it", "nl"];

/// The languages `--languages` may name: each needs lingua's model, a Cargo feature of the
/// `lingua` dependency (and a word in `--languages`' help, src/main.rs). Afrikaans is here
/// because it is Dutch's closest neighbour, which short German (issue 18) and Dutch texts
/// were taken for.
const EXPECTABLE: &[(&str, Lingua)] = &[
    ("af", Lingua::Afrikaans),
    ("de", Lingua::German),
    ("en", Lingua::English),
    ("es", Lingua::Spanish),
    ("fr", Lingua::French),
    ("it", Lingua::Italian),
    ("nl", Lingua::Dutch),
];

/// The languages a drop is expected to hold: sorted ISO 639-1 codes, no duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedLanguages(Vec<&'static str>);

impl ExpectedLanguages {
    pub fn codes(&self) -> &[&'static str] {
        &self.0
    }

    fn contains(&self, code: &str) -> bool {
        self.0.contains(&code)
    }
}

impl Default for ExpectedLanguages {
    fn default() -> Self {
        ExpectedLanguages(DEFAULT_LANGUAGES.to_vec())
    }
}

impl fmt::Display for ExpectedLanguages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(","))
    }
}

impl serde::Serialize for ExpectedLanguages {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Why a list of expected languages was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LanguagesError {
    #[error("no language given (a comma-separated list such as de,en,fr)")]
    Empty,
    #[error("empty entry in the list {0:?}")]
    EmptyEntry(String),
    #[error(
        "`{code}` is not a language this build can expect (it can: {expectable}); articles \
         in it are still named when whatlang is sure of them"
    )]
    NotExpectable { code: String, expectable: String },
    #[error("unknown language code `{code}` (use ISO 639-1 codes: {expectable})")]
    Unknown { code: String, expectable: String },
}

impl FromStr for ExpectedLanguages {
    type Err = LanguagesError;

    /// Parses a comma-separated list of ISO 639-1 codes (`de,en,fr`), case and spaces ignored.
    fn from_str(list: &str) -> Result<Self, LanguagesError> {
        if list.trim().is_empty() {
            return Err(LanguagesError::Empty);
        }
        let expectable = || {
            EXPECTABLE
                .iter()
                .map(|(code, _)| *code)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut codes = Vec::new();
        for entry in list.split(',') {
            let entry = entry.trim().to_ascii_lowercase();
            if entry.is_empty() {
                return Err(LanguagesError::EmptyEntry(list.to_string()));
            }
            match EXPECTABLE.iter().find(|(code, _)| *code == entry) {
                Some((code, _)) => codes.push(*code),
                None if whatlang_knows(&entry) => {
                    return Err(LanguagesError::NotExpectable {
                        code: entry,
                        expectable: expectable(),
                    })
                }
                None => {
                    return Err(LanguagesError::Unknown {
                        code: entry,
                        expectable: expectable(),
                    })
                }
            }
        }
        codes.sort_unstable();
        codes.dedup();
        Ok(ExpectedLanguages(codes))
    }
}

/// Whether whatlang identifies the language of this two- (or three-) letter code, so that an
/// error can tell a real but not expectable language from a typo.
fn whatlang_knows(code: &str) -> bool {
    whatlang::Lang::all()
        .iter()
        .any(|lang| iso639_1(lang.code()) == code)
}

/// Identifies articles' languages for one run: a lingua detector over the expected languages
/// (its models load on first use and are shared by every detector of the process).
pub struct LanguageIdentifier {
    expected: ExpectedLanguages,
    lingua: lingua::LanguageDetector,
}

impl LanguageIdentifier {
    pub fn new(expected: &ExpectedLanguages) -> Self {
        let languages: Vec<Lingua> = expected
            .codes()
            .iter()
            .map(|code| {
                EXPECTABLE
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, lang)| *lang)
                    .expect("ExpectedLanguages holds only expectable codes")
            })
            .collect();
        LanguageIdentifier {
            expected: expected.clone(),
            lingua: lingua::LanguageDetectorBuilder::from_languages(&languages).build(),
        }
    }

    pub fn expected(&self) -> &ExpectedLanguages {
        &self.expected
    }

    /// The language of `text`; `None` when neither detector can tell (no letters, or a tie
    /// among the expected languages and nothing from whatlang).
    pub fn detect(&self, text: &str) -> Option<Language> {
        let whatlang = whatlang::detect(text).map(|info| {
            (
                iso639_1(info.lang().code()).to_string(),
                info.confidence(),
                info.is_reliable(),
            )
        });
        if let Some((code, confidence, true)) = &whatlang {
            if !self.expected.contains(code) {
                return Some(detected(code.clone(), *confidence));
            }
        }
        self.lingua_detect(text)
            .or_else(|| whatlang.map(|(code, confidence, _)| detected(code, confidence)))
    }

    /// Lingua's most likely expected language with its confidence (relative to the other
    /// expected languages); `None` when nothing scores or the top two tie, as lingua's own
    /// `detect_language_of` decides, computed once instead of twice.
    fn lingua_detect(&self, text: &str) -> Option<Language> {
        let values = self
            .lingua
            .compute_language_confidence_values(opening(text));
        let (language, confidence) = *values.first()?;
        let second = values.get(1).map_or(0.0, |(_, c)| *c);
        if confidence <= 0.0 || (confidence - second).abs() < f64::EPSILON {
            return None;
        }
        let code = EXPECTABLE
            .iter()
            .find(|(_, lang)| *lang == language)
            .map(|(code, _)| *code)?;
        Some(detected(code.to_string(), confidence))
    }
}

impl Default for LanguageIdentifier {
    fn default() -> Self {
        LanguageIdentifier::new(&ExpectedLanguages::default())
    }
}

/// The first [`LINGUA_MAX_CHARS`] characters of `text`, cut back to the last whitespace so
/// that no word is cut (a cut word would bring n-grams of no language).
fn opening(text: &str) -> &str {
    match text.char_indices().nth(LINGUA_MAX_CHARS) {
        None => text,
        Some((end, _)) => {
            let head = &text[..end];
            head.rfind(char::is_whitespace).map_or(head, |i| &head[..i])
        }
    }
}

fn detected(code: String, confidence: f64) -> Language {
    Language {
        code,
        confidence: (confidence * 1000.0).round() / 1000.0,
        method: "detected".into(),
    }
}

/// The language of `text` among the default expected languages ([`DEFAULT_LANGUAGES`]);
/// `None` when it cannot be told. A run uses its own [`LanguageIdentifier`].
pub fn detect_language(text: &str) -> Option<Language> {
    static DEFAULT: std::sync::OnceLock<LanguageIdentifier> = std::sync::OnceLock::new();
    DEFAULT
        .get_or_init(LanguageIdentifier::default)
        .detect(text)
}

/// ISO 639-3 to 639-1 for the languages whatlang knows that have a two-letter code; the rest
/// keep their three letters.
pub fn iso639_1(code3: &str) -> &str {
    match code3 {
        "deu" => "de",
        "eng" => "en",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "nld" => "nl",
        "por" => "pt",
        "pol" => "pl",
        "rus" => "ru",
        "ukr" => "uk",
        "tur" => "tr",
        "ces" => "cs",
        "slk" => "sk",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "bul" => "bg",
        "ron" => "ro",
        "hun" => "hu",
        "fin" => "fi",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "ell" => "el",
        "ara" => "ar",
        "heb" => "he",
        "pes" => "fa",
        "hin" => "hi",
        "ben" => "bn",
        "urd" => "ur",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "vie" => "vi",
        "tha" => "th",
        "ind" => "id",
        "epo" => "eo",
        "lat" => "la",
        "bel" => "be",
        "kat" => "ka",
        "hye" => "hy",
        "aze" => "az",
        "kaz" => "kk",
        "uzb" => "uz",
        "afr" => "af",
        "yid" => "yi",
        "tgl" => "tl",
        "zul" => "zu",
        "sna" => "sn",
        "aka" => "ak",
        "cat" => "ca",
        "mkd" => "mk",
        "tam" => "ta",
        "tel" => "te",
        "mar" => "mr",
        "guj" => "gu",
        "pan" => "pa",
        "kan" => "kn",
        "mal" => "ml",
        "ori" => "or",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "mya" => "my",
        "amh" => "am",
        "jav" => "jv",
        "tuk" => "tk",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english() {
        let de = detect_language(
            "Die Spannungen zwischen Süd- und Nordkorea sind so hoch wie seit Jahren nicht mehr.",
        )
        .unwrap();
        assert_eq!(de.code, "de");
        assert_eq!(de.method, "detected");
        assert!(de.confidence > 0.5);
        let en = detect_language(
            "Tensions between South and North Korea are higher than they have been for years.",
        )
        .unwrap();
        assert_eq!(en.code, "en");
    }

    #[test]
    fn short_headlines_whatlang_misread() {
        // whatlang alone: French, Catalan, Latin, Romanian (tests/language_short.rs).
        for (text, code) in [
            ("Inflation sinkt im Mai auf 2,4 Prozent", "de"),
            (
                "Parlament in Kapstadt debattiert über Wasserknappheit",
                "de",
            ),
            (
                "Prime minister faces questions over hospital waiting lists",
                "en",
            ),
            ("Inflatie daalt in mei naar 2,4 procent", "nl"),
        ] {
            assert_eq!(detect_language(text).unwrap().code, code, "{text}");
        }
    }

    #[test]
    fn afrikaans_only_when_expected() {
        let text = "Regering wil aantal buitelandse studente beperk";
        let default = LanguageIdentifier::default();
        assert_eq!(default.detect(text).unwrap().code, "nl");
        let with_af = LanguageIdentifier::new(&"af,de,nl".parse().unwrap());
        assert_eq!(with_af.detect(text).unwrap().code, "af");
    }

    #[test]
    fn other_languages_are_named_when_whatlang_is_sure() {
        let polish = "Rząd przyjął w czwartek projekt ustawy o podwyżkach dla nauczycieli,             a minister finansów zapowiedział, że pieniądze znajdą się w budżecie na przyszły rok.";
        let pl = detect_language(polish).unwrap();
        assert_eq!(pl.code, "pl");
        assert_eq!(pl.method, "detected");
        // A script none of the expected languages is written in: lingua has no answer,
        // whatlang's stands.
        let russian = "Правительство в четверг одобрило законопроект о повышении зарплат учителям.";
        assert_eq!(detect_language(russian).unwrap().code, "ru");
        assert_eq!(detect_language("2024 – 12 % – 3:1"), None);
    }

    #[test]
    fn lingua_reads_the_opening_up_to_a_word_end() {
        let short = "Kurzer Text.";
        assert_eq!(opening(short), short);
        let long = "Wort ".repeat(400);
        let head = opening(&long);
        assert!(head.chars().count() <= LINGUA_MAX_CHARS);
        assert!(head.ends_with("Wort"), "{:?}", &head[head.len() - 10..]);
        let unspaced = "字".repeat(1500);
        assert_eq!(opening(&unspaced).chars().count(), LINGUA_MAX_CHARS);
    }

    #[test]
    fn expected_languages_parse_with_clear_errors() {
        let langs: ExpectedLanguages = " DE,en, fr,de".parse().unwrap();
        assert_eq!(langs.codes(), ["de", "en", "fr"]);
        assert_eq!(langs.to_string(), "de,en,fr");
        assert_eq!(
            ExpectedLanguages::default()
                .to_string()
                .parse::<ExpectedLanguages>(),
            Ok(ExpectedLanguages::default())
        );
        assert_eq!("".parse::<ExpectedLanguages>(), Err(LanguagesError::Empty));
        assert!(matches!(
            "de,,en".parse::<ExpectedLanguages>(),
            Err(LanguagesError::EmptyEntry(_))
        ));
        let not_expectable = "de,pl".parse::<ExpectedLanguages>().unwrap_err();
        assert!(matches!(
            not_expectable,
            LanguagesError::NotExpectable { .. }
        ));
        assert!(
            not_expectable.to_string().contains("`pl`"),
            "{not_expectable}"
        );
        let unknown = "de,xx".parse::<ExpectedLanguages>().unwrap_err();
        assert!(matches!(unknown, LanguagesError::Unknown { .. }));
        assert!(unknown.to_string().contains("`xx`"), "{unknown}");
    }

    #[test]
    fn every_expectable_language_has_its_model() {
        // A language listed without its Cargo feature would fail to compile; one whose
        // model is missing would detect nothing. Each one's own sentence is read as itself.
        let all = EXPECTABLE
            .iter()
            .map(|(code, _)| *code)
            .collect::<Vec<_>>()
            .join(",");
        let identifier = LanguageIdentifier::new(&all.parse().unwrap());
        for (text, code) in [
            (
                "Die Regierung will die Zahl der Studierenden begrenzen.",
                "de",
            ),
            (
                "The government wants to limit the number of students.",
                "en",
            ),
            ("Le gouvernement veut limiter le nombre d'étudiants.", "fr"),
            ("El gobierno quiere limitar el número de estudiantes.", "es"),
            ("Il governo vuole limitare il numero degli studenti.", "it"),
            ("De regering wil het aantal studenten beperken.", "nl"),
            ("Die regering wil die getal studente beperk.", "af"),
        ] {
            assert_eq!(identifier.detect(text).unwrap().code, code, "{text}");
        }
    }
}
