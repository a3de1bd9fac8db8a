//! Number faithfulness: every number a claim states must reappear, in English notation, in
//! the English sentence of the claim's sentence.
//!
//! The claim's numbers are read from `claim.text` here (German notation: "10.000" is ten
//! thousand, "1,5" one and a half, "3,5 Millionen", "drei Millionen", "dreiundzwanzig").
//! TODO(issue 3 merge): once [`Claim`] carries `value` / `value_high`, take the numbers from
//! those fields instead of [`german_numbers`] on `claim.text` (see `claim_numbers`).
//!
//! The English sentence is read in English notation only ("10,000", "10000", "1.5",
//! "3.5 million", "three million", "twenty-three"); a German "1,5" or "10.000" left in the
//! English counts as a mismatch. A number matches when the English sentence has the same
//! value, or has it as the figure in front of a scale word ("drei" against "three million"),
//! so a claim that is only the figure of a larger phrase is not flagged.
//! Not handled (no warning either way): claims without digits or number words ("die
//! Hälfte"), date-like digit groups ("20.06.2024"), and abbreviations such as "3.5m".

use serde::{Deserialize, Serialize};

use crate::claims::Claim;

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

/// Checks every claim against the English sentence of its sentence. `source_sentences` are
/// the German sentences (one per entry of `translated`); a scale word right after the claim
/// text there ("3,5" followed by "Millionen") is taken into the claim's number. Claims whose
/// sentence index is outside `translated` are skipped (the pipeline never produces them).
pub fn check_numbers(
    claims: &[Claim],
    source_sentences: &[&str],
    translated: &[String],
) -> Vec<NumberWarning> {
    let mut warnings = Vec::new();
    for claim in claims {
        let Some(english) = translated.get(claim.sentence) else {
            continue;
        };
        let source = source_sentences.get(claim.sentence).copied().unwrap_or("");
        let wanted = claim_numbers(claim, source);
        if wanted.is_empty() {
            continue;
        }
        let found = english_numbers(english);
        let missing: Vec<String> = wanted
            .iter()
            .filter(|n| !found.iter().any(|f| f.matches(n.value)))
            .map(|n| english_notation(n.value))
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

/// The numbers a claim states.
fn claim_numbers(claim: &Claim, source_sentence: &str) -> Vec<Number> {
    // TODO(issue 3 merge): `claim.value` and `claim.value_high` hold these numbers already.
    let mut numbers = german_numbers(&claim.text);
    if let Some(last) = numbers.last_mut() {
        if last.scale.is_none() {
            if let Some(pos) = source_sentence.find(claim.text.as_str()) {
                let after = &source_sentence[pos + claim.text.len()..];
                if let Some(Tok::Word(w)) = tokens(after).first() {
                    if let Some(scale) = german_scale(&w.to_lowercase()) {
                        last.value *= scale;
                        last.scale = Some(scale);
                    }
                }
            }
        }
    }
    numbers
}

/// A number read from text: its value, and the scale word that multiplied it, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    pub scale: Option<f64>,
}

impl Number {
    fn matches(&self, want: f64) -> bool {
        close(self.value, want) || self.scale.is_some_and(|s| close(self.value / s, want))
    }
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

/// German notation: `.` groups thousands, `,` marks decimals. `None` for date-like groups.
fn parse_german_digits(s: &str) -> Option<f64> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let (int_part, frac) = match commas {
        0 => (s, None),
        1 => {
            let (a, b) = s.split_once(',')?;
            (a, Some(b))
        }
        _ => return None,
    };
    let int_digits = if dots == 0 {
        int_part.to_string()
    } else {
        let groups: Vec<&str> = int_part.split('.').collect();
        let thousands = groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3;
        if thousands {
            groups.concat()
        } else if dots == 1 && frac.is_none() {
            // "2.5": an English-style decimal in German text.
            return s.parse().ok();
        } else {
            return None;
        }
    };
    match frac {
        Some(f) => format!("{int_digits}.{f}").parse().ok(),
        None => int_digits.parse().ok(),
    }
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

fn german_scale(word: &str) -> Option<f64> {
    Some(match word {
        "tausend" | "tsd" => 1e3,
        "million" | "millionen" | "mio" => 1e6,
        "milliarde" | "milliarden" | "mrd" => 1e9,
        // The German Billion is the English trillion.
        "billion" | "billionen" | "bio" => 1e12,
        _ => return None,
    })
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

fn german_units(word: &str) -> Option<u64> {
    Some(match word {
        "null" => 0,
        "ein" | "eins" | "eine" => 1,
        "zwei" => 2,
        "drei" => 3,
        "vier" => 4,
        "fünf" => 5,
        "sechs" => 6,
        "sieben" => 7,
        "acht" => 8,
        "neun" => 9,
        "zehn" => 10,
        "elf" => 11,
        "zwölf" => 12,
        "dreizehn" => 13,
        "vierzehn" => 14,
        "fünfzehn" => 15,
        "sechzehn" => 16,
        "siebzehn" => 17,
        "achtzehn" => 18,
        "neunzehn" => 19,
        _ => return None,
    })
}

fn german_tens(word: &str) -> Option<u64> {
    Some(match word {
        "zwanzig" => 20,
        "dreißig" | "dreissig" => 30,
        "vierzig" => 40,
        "fünfzig" => 50,
        "sechzig" => 60,
        "siebzig" => 70,
        "achtzig" => 80,
        "neunzig" => 90,
        _ => return None,
    })
}

fn german_below_100(w: &str) -> Option<u64> {
    if let Some(n) = german_units(w).or_else(|| german_tens(w)) {
        return Some(n);
    }
    // "dreiundzwanzig"
    let (unit, tens) = w.split_once("und")?;
    let unit = german_units(unit).filter(|u| (1..=9).contains(u))?;
    Some(unit + german_tens(tens)?)
}

fn german_below_1000(w: &str) -> Option<u64> {
    match w.split_once("hundert") {
        Some((h, rest)) => {
            let h = if h.is_empty() { 1 } else { german_units(h)? };
            let rest = if rest.is_empty() {
                0
            } else {
                german_below_100(rest)?
            };
            Some(h * 100 + rest)
        }
        None => german_below_100(w),
    }
}

/// A German number word, written as one word as German does ("zweitausenddreihundert").
fn german_word_number(w: &str) -> Option<u64> {
    match w.split_once("tausend") {
        Some((t, rest)) => {
            let t = if t.is_empty() {
                1
            } else {
                german_below_1000(t)?
            };
            let rest = if rest.is_empty() {
                0
            } else {
                german_below_1000(rest)?
            };
            Some(t * 1000 + rest)
        }
        None => german_below_1000(w),
    }
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

/// The numbers of a German text (a claim's text).
pub fn german_numbers(text: &str) -> Vec<Number> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let base = match &toks[i] {
            Tok::Digits(d) => parse_german_digits(d),
            Tok::Word(w) => {
                let w = w.to_lowercase();
                let next_is_scale = matches!(toks.get(i + 1), Some(Tok::Word(n)) if german_scale(&n.to_lowercase()).is_some());
                // "ein"/"eine" are articles unless a scale word follows ("eine Million").
                if matches!(w.as_str(), "ein" | "eine" | "einen" | "einer") {
                    next_is_scale.then_some(1.0)
                } else {
                    german_word_number(&w).map(|n| n as f64)
                }
            }
            Tok::Hyphen => None,
        };
        i += 1;
        if let Some(value) = base {
            let scale = match toks.get(i) {
                Some(Tok::Word(n)) => german_scale(&n.to_lowercase()),
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

    #[test]
    fn reads_german_notation() {
        assert_eq!(values(&german_numbers("10.000 Menschen")), [10000.0]);
        assert_eq!(values(&german_numbers("1,5 Prozent")), [1.5]);
        assert_eq!(values(&german_numbers("1.234,5 Euro")), [1234.5]);
        assert_eq!(values(&german_numbers("3,5 Millionen Euro")), [3.5e6]);
        assert_eq!(values(&german_numbers("2,4 Mrd. Dollar")), [2.4e9]);
        assert_eq!(values(&german_numbers("drei Millionen")), [3e6]);
        assert_eq!(values(&german_numbers("eine Million")), [1e6]);
        assert_eq!(values(&german_numbers("ein Mann")), Vec::<f64>::new());
        assert_eq!(values(&german_numbers("dreiundzwanzig Tote")), [23.0]);
        assert_eq!(values(&german_numbers("zweitausenddreihundert")), [2300.0]);
        assert_eq!(
            values(&german_numbers("zwischen 10 und 20 Prozent")),
            [10.0, 20.0]
        );
        assert_eq!(values(&german_numbers("am 20.06.2024")), Vec::<f64>::new());
        assert_eq!(values(&german_numbers("10.000.")), [10000.0]);
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

    fn claim(text: &str, sentence: usize) -> Claim {
        Claim {
            text: text.into(),
            start: 0,
            end: text.chars().count(),
            sentence,
            value: 0.0,
            value_high: None,
            qualifier: crate::claims::Qualifier::Exact,
            unit: None,
            kind: crate::claims::ClaimKind::Count,
            is_claim: true,
            attribution: None,
        }
    }

    #[test]
    fn flags_only_missing_numbers() {
        let src = [
            "Die Stadt baut 10.000 Wohnungen.",
            "Der Umsatz stieg um 1,5 Prozent.",
            "Drei Millionen Menschen sind betroffen.",
            "Es kostet 3,5 Millionen Euro.",
        ];
        let en: Vec<String> = [
            "The city is building 10,000 homes.",
            "Sales rose by 1,5 percent.",
            "Three million people are affected.",
            "It costs 3.5 million euros.",
        ]
        .map(String::from)
        .to_vec();
        let claims = [
            claim("10.000 Wohnungen", 0),
            claim("1,5 Prozent", 1),
            claim("Drei Millionen", 2),
            // The claim text stops before the scale word; the source sentence supplies it.
            claim("3,5", 3),
        ];
        let w = check_numbers(&claims, &src, &en);
        assert_eq!(
            w,
            vec![NumberWarning {
                claim: "1,5 Prozent".into(),
                sentence: 1,
                expected: vec!["1.5".into()],
                translation: "Sales rose by 1,5 percent.".into(),
            }]
        );
        let wrong: Vec<String> = ["The city is building 1,000 homes."]
            .map(String::from)
            .to_vec();
        let w = check_numbers(&claims[..1], &src, &wrong);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].expected, vec!["10,000".to_string()]);
    }
}
