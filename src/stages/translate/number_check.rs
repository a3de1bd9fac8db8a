//! Number faithfulness: every number a claim states must reappear, in English notation, in
//! the English sentence of the claim's sentence.
//!
//! The claim's numbers are its `value` and `value_high`, as the claims stage read them from the
//! German text ("10.000" ten thousand, "1,5" one and a half, "drei Millionen" 3000000). Not
//! checked (no warning either way): dates, years, ordinals, clock and media times (their
//! English forms are words or other notations), vague amounts ("Tausende", "mehrere
//! Millionen"), and spelled-out fractions ("die Hälfte", "drei Viertel").
//!
//! The English sentence is read in English notation only ("10,000", "10000", "1.5",
//! "3.5 million", "three million", "twenty-three"); a German "1,5" or "10.000" left in the
//! English counts as a mismatch. A number matches when the English sentence has the same
//! magnitude (signs are written as words as often as with "-"), or has it as a figure whose
//! scale word comes later in the sentence ("100 to 300 billion" holds 100 billion).
//! Abbreviations such as "3.5m" are not read.

use serde::{Deserialize, Serialize};

use crate::stages::claims::{numerals, Claim, ClaimKind};

/// One claim whose numbers the English sentence does not contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberWarning {
    /// The claim's text, as in the German article.
    pub claim: String,
    /// Index into `sentences` (and `translation.sentences`).
    pub sentence: usize,
    /// The missing numbers in English notation ("10,000", "1.5", "3 million"), one each.
    pub expected: Vec<String>,
    /// The English sentence that lacks them.
    pub translation: String,
}

/// Checks every claim against the English sentence of its sentence (`translated` has one entry
/// per sentence). Claims whose sentence index is outside `translated` are skipped (the pipeline
/// never produces them).
pub fn check_numbers(claims: &[Claim], translated: &[String]) -> Vec<NumberWarning> {
    let mut warnings = Vec::new();
    for claim in claims {
        let Some(english) = translated.get(claim.sentence) else {
            continue;
        };
        let wanted = claim_numbers(claim);
        if wanted.is_empty() {
            continue;
        }
        let found = english_numbers(english);
        let missing: Vec<String> = wanted
            .iter()
            .filter(|&&want| !contains_number(&found, want))
            .map(|&want| english_notation(want))
            .collect();
        if !missing.is_empty() {
            warnings.push(NumberWarning {
                claim: claim.text.clone(),
                sentence: claim.sentence,
                expected: missing,
                translation: english.clone(),
            });
        }
    }
    warnings
}

/// The numbers a claim states that an English sentence writes as numbers.
fn claim_numbers(claim: &Claim) -> Vec<f64> {
    if matches!(
        claim.kind,
        ClaimKind::Date
            | ClaimKind::Year
            | ClaimKind::Ordinal
            | ClaimKind::Other
            | ClaimKind::Reference
    ) {
        return Vec::new();
    }
    let has_digits = claim.text.chars().any(|c| c.is_ascii_digit());
    // "17:32 min" is stored in seconds; the English keeps the clock notation.
    if has_digits && claim.text.contains(':') {
        return Vec::new();
    }
    let values: Vec<f64> = claim.value.into_iter().chain(claim.value_high).collect();
    if !has_digits {
        let words: Vec<String> = claim
            .text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let vague = words.iter().any(|w| numerals::vague_determiner(w));
        let has_cardinal = words.iter().any(|w| numerals::de_cardinal(w).is_some());
        let fraction = values.iter().any(|v| v.fract() != 0.0);
        if vague || !has_cardinal || fraction {
            return Vec::new();
        }
    }
    values
}

/// Whether the English numbers hold `want`, directly or as a figure whose scale word is written
/// once for a whole range ("100 to 300 billion").
fn contains_number(found: &[Number], want: f64) -> bool {
    let want = want.abs();
    found.iter().any(|n| {
        close(n.value.abs(), want)
            || (n.scale.is_none()
                && found
                    .iter()
                    .filter_map(|m| m.scale)
                    .any(|s| close(n.value.abs() * s, want)))
    })
}

/// A number read from text: its value, and the scale word that multiplied it, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    pub scale: Option<f64>,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// Digits with `.` and `,` inside.
    Digits(String),
    Word(String),
    /// A hyphen between two tokens ("twenty-three", "10.000-mal").
    Hyphen,
}

fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '.' || chars[i] == ',')
                        && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())))
            {
                i += 1;
            }
            out.push(Tok::Digits(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push(Tok::Word(chars[start..i].iter().collect()));
        } else {
            if c == '-' || c == '\u{2010}' || c == '\u{2011}' {
                out.push(Tok::Hyphen);
            }
            i += 1;
        }
    }
    out
}

/// English notation: `,` groups thousands (groups of three only), `.` marks decimals.
fn parse_english_digits(s: &str) -> Option<f64> {
    if s.matches('.').count() > 1 {
        return None;
    }
    let (int_part, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1 && !(groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)) {
        return None;
    }
    let int_digits = groups.concat();
    match frac {
        Some(f) => format!("{int_digits}.{f}").parse().ok(),
        None => int_digits.parse().ok(),
    }
}

fn english_scale(word: &str) -> Option<f64> {
    Some(match word {
        "thousand" | "thousands" => 1e3,
        "million" | "millions" | "mn" => 1e6,
        "billion" | "billions" | "bn" => 1e9,
        "trillion" | "trillions" => 1e12,
        _ => return None,
    })
}

fn english_small(word: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as u64);
    }
    TENS.iter()
        .position(|t| *t == word)
        .map(|i| (i as u64 + 2) * 10)
}

/// The numbers of an English sentence, read in English notation.
pub fn english_numbers(text: &str) -> Vec<Number> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let base = match &toks[i] {
            Tok::Digits(d) => parse_english_digits(d),
            Tok::Word(w) => {
                let w = w.to_lowercase();
                match english_small(&w) {
                    Some(n) => {
                        let mut n = n;
                        // "twenty-three", "twenty three"
                        if n >= 20 && n % 10 == 0 {
                            let j = if toks.get(i + 1) == Some(&Tok::Hyphen) {
                                i + 2
                            } else {
                                i + 1
                            };
                            if let Some(Tok::Word(u)) = toks.get(j) {
                                if let Some(u) = english_small(&u.to_lowercase()) {
                                    if (1..=9).contains(&u) {
                                        n += u;
                                        i = j;
                                    }
                                }
                            }
                        }
                        // "three hundred"
                        if let Some(Tok::Word(h)) = toks.get(i + 1) {
                            if h.eq_ignore_ascii_case("hundred") {
                                n *= 100;
                                i += 1;
                            }
                        }
                        Some(n as f64)
                    }
                    None if w == "a" || w == "hundred" => {
                        // "a million", "a hundred"
                        if w == "hundred" {
                            Some(100.0)
                        } else {
                            match toks.get(i + 1) {
                                Some(Tok::Word(n))
                                    if english_scale(&n.to_lowercase()).is_some() =>
                                {
                                    Some(1.0)
                                }
                                _ => None,
                            }
                        }
                    }
                    None => None,
                }
            }
            Tok::Hyphen => None,
        };
        i += 1;
        if let Some(value) = base {
            let scale = match toks.get(i) {
                Some(Tok::Word(n)) => english_scale(&n.to_lowercase()),
                _ => None,
            };
            if scale.is_some() {
                i += 1;
            }
            out.push(Number {
                value: value * scale.unwrap_or(1.0),
                scale,
            });
        }
    }
    out
}

/// A value in English notation: "10,000", "1.5", "3 million", "2.4 billion".
pub fn english_notation(value: f64) -> String {
    for (scale, word) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        if value.abs() >= scale {
            let m = value / scale;
            if close((m * 1000.0).round(), m * 1000.0) {
                return format!("{} {word}", trim_float(m));
            }
        }
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = format!("{}", value.abs() as u64);
        let mut grouped = String::new();
        for (k, c) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if value < 0.0 {
            grouped.insert(0, '-');
        }
        return grouped;
    }
    trim_float(value)
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(ns: &[Number]) -> Vec<f64> {
        ns.iter().map(|n| n.value).collect()
    }

    /// The numbers checked for each claim the claims stage finds in one German sentence.
    fn stated(sentence: &str) -> Vec<Vec<f64>> {
        claims_of(&[sentence]).iter().map(claim_numbers).collect()
    }

    fn claims_of(sentences: &[&str]) -> Vec<Claim> {
        let text = sentences.join(" ");
        let mut spans = Vec::new();
        let mut start = 0;
        for s in sentences {
            let n = s.chars().count();
            spans.push((start, start + n));
            start += n + 1;
        }
        crate::stages::claims::extract_claims(&text, &spans, "de")
    }

    #[test]
    fn takes_the_numbers_the_claims_stage_read() {
        assert_eq!(stated("Es kamen 10.000 Menschen."), [vec![10000.0]]);
        assert_eq!(stated("Er stieg um 1,5 Prozent."), [vec![1.5]]);
        assert_eq!(stated("Es kostet 3,5 Millionen Euro."), [vec![3.5e6]]);
        assert_eq!(
            stated("Drei Millionen Menschen sind betroffen."),
            [vec![3e6]]
        );
        assert_eq!(stated("Es gab dreiundzwanzig Tote."), [vec![23.0]]);
        assert_eq!(
            stated("Es geht um 100 bis 300 Milliarden Euro."),
            [vec![1e11, 3e11]]
        );
    }

    #[test]
    fn skips_numbers_english_writes_otherwise() {
        for sentence in [
            "Das war am 20.06.2024.",
            "Das war im Jahr 1961.",
            "Er lief die Strecke in 17:32 min.",
            "Tausende Menschen kamen.",
            "Mehrere Millionen Euro fehlen.",
            "Die Hälfte der Stimmen fehlt.",
            "Drei Viertel der Stimmen fehlen.",
        ] {
            assert!(
                stated(sentence).iter().all(Vec::is_empty),
                "{sentence}: {:?}",
                stated(sentence)
            );
        }
    }

    #[test]
    fn reads_english_notation_only() {
        assert_eq!(values(&english_numbers("10,000 people")), [10000.0]);
        assert_eq!(values(&english_numbers("10000 people")), [10000.0]);
        assert_eq!(values(&english_numbers("1.5 percent")), [1.5]);
        assert_eq!(values(&english_numbers("3.5 million euros")), [3.5e6]);
        assert_eq!(values(&english_numbers("three million")), [3e6]);
        assert_eq!(values(&english_numbers("a million people")), [1e6]);
        assert_eq!(values(&english_numbers("twenty-three dead")), [23.0]);
        assert_eq!(values(&english_numbers("three hundred")), [300.0]);
        // German notation left in the English text does not count as the same number.
        assert_eq!(values(&english_numbers("1,5 percent")), Vec::<f64>::new());
        assert_eq!(values(&english_numbers("10.000 people")), [10.0]);
    }

    #[test]
    fn renders_english_notation() {
        assert_eq!(english_notation(10000.0), "10,000");
        assert_eq!(english_notation(1.5), "1.5");
        assert_eq!(english_notation(3e6), "3 million");
        assert_eq!(english_notation(2.4e9), "2.4 billion");
        assert_eq!(english_notation(1234567.0), "1,234,567");
        assert_eq!(english_notation(450.0), "450");
    }

    #[test]
    fn flags_only_missing_numbers() {
        let src = [
            "Die Stadt baut 10.000 Wohnungen.",
            "Der Umsatz stieg um 1,5 Prozent.",
            "Drei Millionen Menschen sind betroffen.",
            "Es kostet 3,5 Millionen Euro.",
            "Es geht um 100 bis 300 Milliarden Euro.",
        ];
        let en: Vec<String> = [
            "The city is building 10,000 homes.",
            "Sales rose by 1,5 percent.",
            "Three million people are affected.",
            "It costs 3.5 million euros.",
            "It is about 100 to 300 billion euros.",
        ]
        .map(String::from)
        .to_vec();
        let claims = claims_of(&src);
        assert_eq!(claims.len(), 5);
        let w = check_numbers(&claims, &en);
        assert_eq!(
            w,
            vec![NumberWarning {
                claim: "1,5".into(),
                sentence: 1,
                expected: vec!["1.5".into()],
                translation: "Sales rose by 1,5 percent.".into(),
            }]
        );
        let wrong: Vec<String> = ["The city is building 1,000 homes."]
            .map(String::from)
            .to_vec();
        let w = check_numbers(&claims[..1], &wrong);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].expected, vec!["10,000".to_string()]);
    }
}
