//! Reading single numerals: digit strings in German or English notation, spelled-out cardinals
//! and ordinals of any size, fractions, scale words, vague plurals and month names. Nothing
//! here knows about context; `patterns` decides what a numeral means where it stands.

use super::month_days::valid_day;

/// What a digit token says on its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Digits {
    /// A number; `plain` when written as bare digits (no grouping, no decimals), the only form
    /// that can be a year or an ordinal.
    Number { v: f64, plain: bool, len: usize },
    /// dd.mm.yyyy
    Date { y: u32, m: u32, d: u32 },
    /// dd.mm (day and month, no year)
    DayMonth { m: u32, d: u32 },
    /// hh:mm or m:ss
    Clock { a: u32, b: u32 },
}

/// Reads a `Num` token. `group` is the mark that groups thousands when a number shows one
/// separator before exactly three digits ("1.234": `.` in German, French, Spanish, Italian
/// and Dutch, `,` in English); `None` when it is unknown, and then such a number is not read.
/// Spaces and apostrophes between groups ("10 000", "65'000") always group; where both `.`
/// and `,` appear, the last one is the decimal mark. A separator before other than three
/// digits is a decimal mark in every convention.
pub(crate) fn parse_digits(s: &str, group: Option<char>) -> Option<Digits> {
    if let Some((a, b)) = s.split_once(':') {
        if b.contains(':') || a.len() > 2 || b.len() != 2 {
            return None;
        }
        let (a, b) = (a.parse().ok()?, b.parse().ok()?);
        return (b < 60).then_some(Digits::Clock { a, b });
    }
    if s.bytes().all(|c| c.is_ascii_digit()) {
        return Some(Digits::Number {
            v: s.parse().ok()?,
            plain: true,
            len: s.len(),
        });
    }
    let number = |literal: String| -> Option<Digits> {
        let v: f64 = literal.trim_end_matches('.').parse().ok()?;
        Some(Digits::Number {
            v,
            plain: false,
            len: s.len(),
        })
    };
    let spaced = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’');
    if s.contains(spaced) {
        let rest: String = s.chars().filter(|&c| !spaced(c)).collect();
        let marks = rest.matches(['.', ',']).count();
        return match marks {
            0 => number(rest),
            1 => number(rest.replace(',', ".")),
            _ => None,
        };
    }
    let parts: Vec<&str> = s.split(['.', ',']).collect();
    let dots = s.bytes().filter(|&c| c == b'.').count();
    if dots == 2 && parts.len() == 3 && !s.contains(',') {
        let (d, m, y) = (parts[0], parts[1], parts[2]);
        if d.len() <= 2 && m.len() <= 2 && y.len() == 4 {
            let (d, m, y): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
            // "2.7.0650" is a version or a code, not a date of the year 650.
            if valid_day(d, m) && (1000..=2200).contains(&y) {
                return Some(Digits::Date { y, m, d });
            }
        }
    }
    let grouped_ok = |groups: &[&str]| {
        !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
    };
    let has_dot = s.contains('.');
    let has_comma = s.contains(',');
    if has_dot && has_comma {
        // "1.234,5" or "1,234.5": the last mark is the decimal one.
        let dec_at = s.rfind(['.', ','])?;
        let dec = s[dec_at..].chars().next()?;
        let int_part = &s[..dec_at];
        if int_part.contains(dec) {
            return None;
        }
        let groups: Vec<&str> = int_part.split(['.', ',']).collect();
        if !grouped_ok(&groups) {
            return None;
        }
        return number(format!("{}.{}", groups.concat(), &s[dec_at + 1..]));
    }
    let mark = if has_dot { '.' } else { ',' };
    let groups: Vec<&str> = s.split(mark).collect();
    if groups.len() > 2 {
        // "1.234.567": one mark several times only groups.
        return grouped_ok(&groups)
            .then(|| number(groups.concat()))
            .flatten();
    }
    let (int_part, frac) = (groups[0], groups[1]);
    if frac.len() == 3 && grouped_ok(&groups) {
        return match group {
            Some(g) if g == mark => number(groups.concat()),
            Some(_) => number(format!("{int_part}.{frac}")),
            None => None,
        };
    }
    // "20.06" in German-style text: a day and a month.
    if group == Some('.') && int_part.len() <= 2 && frac.len() == 2 && mark == '.' {
        if let (Ok(d), Ok(m)) = (int_part.parse(), frac.parse()) {
            if valid_day(d, m) {
                return Some(Digits::DayMonth { m, d });
            }
        }
    }
    number(format!("{int_part}.{frac}"))
}

/// `v` times 10^`exp`, computed through the decimal literal so that 2.3 Mio. is exactly the
/// double nearest 2300000 and not 2299999.9999999995.
pub(crate) fn scale(v: f64, exp: i32) -> f64 {
    if exp == 0 {
        return v;
    }
    format!("{v}e{exp}").parse().unwrap_or(v * 10f64.powi(exp))
}

/// A multiplier word after a numeral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scale {
    Pow(i32),
    /// Dutzend: not a power of ten.
    Times(f64),
}

impl Scale {
    pub fn apply(self, v: f64) -> f64 {
        match self {
            Scale::Pow(e) => scale(v, e),
            Scale::Times(k) => v * k,
        }
    }
    pub fn base(self) -> f64 {
        self.apply(1.0)
    }
}

/// Scale words; `abbrev` ones may carry a glued period ("Mio.").
pub(crate) fn scale_word(w: &str, english: bool) -> Option<(Scale, bool)> {
    let s = match w {
        "tausend" | "thousand" => Scale::Pow(3),
        "tsd" => return Some((Scale::Pow(3), true)),
        "million" | "millionen" | "millions" => Scale::Pow(6),
        "mio" | "mn" => return Some((Scale::Pow(6), true)),
        "milliarde" | "milliarden" => Scale::Pow(9),
        "mrd" | "mrds" | "bn" => return Some((Scale::Pow(9), true)),
        "billion" | "billions" if english => Scale::Pow(9),
        "billion" | "billionen" => Scale::Pow(12),
        "trillion" | "trillions" if english => Scale::Pow(12),
        "bio" => return Some((Scale::Pow(12), true)),
        "hundert" | "hundred" => Scale::Pow(2),
        "dutzend" | "dozen" => Scale::Times(12.0),
        _ => return None,
    };
    Some((s, false))
}

/// Plurals that count without a numeral ("Tausende", "Millionen"): the lower bound is the base.
pub(crate) fn vague_plural(w: &str) -> Option<f64> {
    Some(match w {
        "hunderte" | "hunderten" | "hundreds" => 100.0,
        "tausende" | "tausenden" | "abertausende" | "abertausenden" | "thousands" => 1e3,
        "zehntausende" | "zehntausenden" => 1e4,
        "hunderttausende" | "hunderttausenden" => 1e5,
        "dutzende" | "dutzenden" | "dozens" => 12.0,
        "millionen" | "millions" => 1e6,
        "milliarden" | "billions" => 1e9,
        _ => return None,
    })
}

/// Words that make a scale word vague ("mehrere Tausend", "several million").
pub(crate) fn vague_determiner(w: &str) -> bool {
    matches!(
        w,
        "mehrere"
            | "mehreren"
            | "einige"
            | "einigen"
            | "etliche"
            | "etlichen"
            | "viele"
            | "vielen"
            | "several"
            | "many"
    )
}

/// Forms of "ein"/"a" that are a numeral only before a scale or fraction word.
pub(crate) fn indefinite_one(w: &str) -> bool {
    matches!(
        w,
        "ein" | "eine" | "einer" | "einen" | "einem" | "eines" | "a" | "an" | "one"
    )
}

/// Denominators written as nouns ("drei Viertel").
pub(crate) fn denominator(w: &str) -> Option<f64> {
    Some(match w {
        "halb" | "halbe" | "halben" | "halber" | "half" => 2.0,
        "drittel" | "third" | "thirds" => 3.0,
        "viertel" | "quarter" | "quarters" => 4.0,
        "fünftel" | "fifth" | "fifths" => 5.0,
        "sechstel" => 6.0,
        "siebtel" => 7.0,
        "achtel" => 8.0,
        "zehntel" | "tenth" | "tenths" => 10.0,
        "hundertstel" => 100.0,
        _ => return None,
    })
}

/// "dreiviertel" → 0.75, "zweidrittel" → 2/3: a cardinal and a denominator in one word.
pub(crate) fn de_fraction_word(w: &str) -> Option<f64> {
    [
        "viertel",
        "drittel",
        "fünftel",
        "zehntel",
        "achtel",
        "hundertstel",
    ]
    .iter()
    .find_map(|d| {
        let count = de_cardinal(w.strip_suffix(d)?)?;
        Some(count / denominator(d)?)
    })
    .filter(|v| *v < 1.0)
}

pub(crate) fn month(w: &str) -> Option<u32> {
    Some(match w {
        "januar" | "jänner" | "january" | "jan" => 1,
        "februar" | "feber" | "february" | "feb" => 2,
        "märz" | "maerz" | "march" | "mär" | "mar" => 3,
        "april" | "apr" => 4,
        "mai" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "dezember" | "december" | "dez" | "dec" => 12,
        _ => return None,
    })
}

const DE_UNITS: [(&str, u64); 9] = [
    ("ein", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
];

fn de_below_20(s: &str) -> Option<u64> {
    Some(match s {
        "null" => 0,
        "eins" | "ein" => 1,
        "zwei" | "zwo" => 2,
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

fn de_tens(s: &str) -> Option<u64> {
    Some(match s {
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

fn de_below_100(s: &str) -> Option<u64> {
    if let Some(v) = de_below_20(s).or_else(|| de_tens(s)) {
        return Some(v);
    }
    let (u, t) = s.split_once("und")?;
    let u = DE_UNITS.iter().find(|(w, _)| *w == u)?.1;
    Some(u + de_tens(t)?)
}

fn de_below_1000(s: &str) -> Option<u64> {
    if s.is_empty() {
        return Some(0);
    }
    match s.split_once("hundert") {
        Some((h, rest)) => {
            let h = match h {
                "" | "ein" => 1,
                // "neunzehnhundert": years are said in hundreds.
                _ => DE_UNITS
                    .iter()
                    .find(|(w, _)| *w == h)
                    .map(|(_, v)| *v)
                    .or_else(|| de_below_20(h).filter(|v| *v >= 11))?,
            };
            let rest = if rest.is_empty() {
                0
            } else {
                de_below_100(rest)?
            };
            Some(h * 100 + rest)
        }
        None => de_below_100(s),
    }
}

/// A German cardinal written as one word, of any size up to 999 999, compounds included
/// ("dreitausendzweihundert", "einundzwanzig"), and the "-einhalb" fractions.
pub(crate) fn de_cardinal(w: &str) -> Option<f64> {
    if w.len() < 3 || w.len() > 80 {
        return None;
    }
    if w == "anderthalb" {
        return Some(1.5);
    }
    if let Some(p) = w.strip_suffix("einhalb") {
        let whole = if p == "ein" { 1 } else { de_int(p)? };
        return Some(whole as f64 + 0.5);
    }
    if matches!(w, "ein" | "eine" | "null") {
        return None;
    }
    de_int(w).map(|v| v as f64)
}

/// Every German cardinal word starts with one of these; checking them first keeps the
/// substring searches below off the ordinary words of the text.
const DE_STARTS: [&str; 19] = [
    "ein", "zwei", "zwo", "drei", "vier", "fünf", "sech", "sieb", "acht", "neun", "zehn", "elf",
    "zwölf", "zwan", "hundert", "tausend", "null", "dreiß", "dreiss",
];

fn de_int(w: &str) -> Option<u64> {
    if !DE_STARTS.iter().any(|p| w.starts_with(p)) {
        return None;
    }
    match w.split_once("tausend") {
        Some((th, rest)) => {
            let th = if th.is_empty() || th == "ein" {
                1
            } else {
                de_below_1000(th)?
            };
            if th == 0 {
                return None;
            }
            Some(th * 1000 + de_below_1000(rest)?)
        }
        None => {
            let v = de_below_1000(w)?;
            (!w.is_empty()).then_some(v)
        }
    }
}

fn en_small(s: &str) -> Option<u64> {
    Some(match s {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// An English cardinal word below 100, hyphenated compounds included ("twenty-one").
pub(crate) fn en_cardinal(w: &str) -> Option<f64> {
    if let Some((t, u)) = w.split_once('-') {
        let (t, u) = (en_small(t)?, en_small(u)?);
        return (t >= 20 && t % 10 == 0 && (1..10).contains(&u)).then_some((t + u) as f64);
    }
    en_small(w).map(|v| v as f64)
}

/// An ordinal word: value, and whether it ranks (a superlative compound like "siebtgrößte" or
/// "second-largest") rather than identifies ("ersten Besuch").
pub(crate) fn ordinal_word(w: &str, english: bool) -> Option<(f64, bool)> {
    if english {
        return en_ordinal(w);
    }
    if !(DE_STARTS.iter().any(|p| w.starts_with(p))
        || w.starts_with("erst")
        || w.starts_with("dritt"))
    {
        return None;
    }
    const STEMS: [(&str, u64); 12] = [
        ("erst", 1),
        ("zweit", 2),
        ("dritt", 3),
        ("viert", 4),
        ("fünft", 5),
        ("sechst", 6),
        ("siebent", 7),
        ("siebt", 7),
        ("acht", 8),
        ("neunt", 9),
        ("zehnt", 10),
        ("elft", 11),
    ];
    let stem = ["en", "er", "es", "em", "e"]
        .iter()
        .find_map(|suf| w.strip_suffix(suf))?;
    if let Some(&(_, v)) = STEMS.iter().find(|(s, _)| *s == stem) {
        return Some((v as f64, false));
    }
    if stem == "zwölft" {
        return Some((12.0, false));
    }
    if let Some(c) = stem.strip_suffix("st") {
        if let Some(v) = de_int(c).filter(|&v| v >= 20) {
            return Some((v as f64, false));
        }
    }
    if let Some(c) = stem.strip_suffix('t') {
        if let Some(v) = de_int(c).filter(|&v| (13..20).contains(&v)) {
            return Some((v as f64, false));
        }
    }
    // Rank compounds: "zweitgrößte", "drittstärksten".
    for (s, v) in STEMS.iter().skip(1) {
        if let Some(rest) = w.strip_prefix(s) {
            // Superlatives end in -st- or -ßt- plus inflection ("größte", "stärksten").
            let sup = ["e", "en", "er", "es", "em"].iter().any(|suf| {
                rest.strip_suffix(suf)
                    .is_some_and(|r| r.ends_with("st") || r.ends_with("ßt"))
            });
            if sup && rest.chars().count() >= 4 && !rest.starts_with("sam") {
                return Some((*v as f64, true));
            }
        }
    }
    None
}

fn en_ordinal(w: &str) -> Option<(f64, bool)> {
    if let Some((a, b)) = w.split_once('-') {
        if b.ends_with("est") && b.len() > 4 {
            if let Some((v, _)) = en_ordinal(a) {
                return Some((v, true));
            }
        }
        let t = en_small(a).filter(|t| *t >= 20 && t % 10 == 0)?;
        let (u, _) = en_ordinal(b)?;
        return (u < 10.0).then_some((t as f64 + u, false));
    }
    let v = match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "twentieth" => 20,
        "thirtieth" => 30,
        "fortieth" => 40,
        "fiftieth" => 50,
        "hundredth" => 100,
        "thousandth" => 1000,
        _ => {
            let c = w.strip_suffix("th")?;
            let v = en_small(c).filter(|v| (13..20).contains(v))?;
            return Some((v as f64, false));
        }
    };
    Some((v as f64, false))
}

/// German multiplicatives ("dreimal"): a count of occurrences.
pub(crate) fn times_word(w: &str) -> Option<f64> {
    let c = w.strip_suffix("mal")?;
    if c == "ein" || c.is_empty() {
        return None;
    }
    de_cardinal(c)
}

/// Factors: "dreifache", "das Zehnfache", "doppelte".
pub(crate) fn factor_word(w: &str) -> Option<f64> {
    let stem = ["fachen", "facher", "faches", "fachem", "fache", "fach"]
        .iter()
        .find_map(|s| w.strip_suffix(s));
    match stem {
        Some("ein") | Some("") => None,
        Some(c) => de_cardinal(c),
        None => matches!(w, "doppelte" | "doppelten" | "doppelter" | "doppeltes").then_some(2.0),
    }
}

/// What a number inside a German word measures ("dreijährige", "zehnprozentig").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inner {
    /// "dreijährige", "neunmonatigen", "zweitägige", "Dreijahresfrist": a length of time.
    Duration,
    /// "zehnprozentige": a percentage.
    Percent,
    /// "dreierlei": a count of kinds.
    Count,
}

/// A number written inside a German word: a cardinal (or "ein") before a duration, percent or
/// kinds stem, with an adjective ending or a noun after it ("Dreijahresfrist").
pub(crate) fn inner_number(w: &str) -> Option<(f64, Inner)> {
    const ENDINGS: [&str; 6] = ["", "e", "en", "er", "es", "em"];
    let stems: [(&str, Inner); 8] = [
        ("jährig", Inner::Duration),
        ("monatig", Inner::Duration),
        ("wöchig", Inner::Duration),
        ("tägig", Inner::Duration),
        ("stündig", Inner::Duration),
        ("minütig", Inner::Duration),
        ("prozentig", Inner::Percent),
        ("erlei", Inner::Count),
    ];
    let cardinal = |c: &str| match c {
        "ein" => Some(1.0),
        "" => None,
        _ => de_cardinal(c),
    };
    for (stem, kind) in stems {
        for end in ENDINGS {
            if kind == Inner::Count && !end.is_empty() {
                continue;
            }
            let Some(before) = w.strip_suffix(end).and_then(|x| x.strip_suffix(stem)) else {
                continue;
            };
            if let Some(v) = cardinal(before) {
                return Some((v, kind));
            }
        }
    }
    // "Dreijahresfrist", "Fünfjahresplan", "Zweimonatsfrist": a noun made on a length.
    for stem in ["jahres", "monats", "wochen", "tages"] {
        if let Some((before, rest)) = w.split_once(stem) {
            if rest.chars().count() >= 3 {
                if let Some(v) = cardinal(before) {
                    return Some((v, Inner::Duration));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_inside_words() {
        assert_eq!(inner_number("dreijährige"), Some((3.0, Inner::Duration)));
        assert_eq!(inner_number("neunmonatigen"), Some((9.0, Inner::Duration)));
        assert_eq!(inner_number("einjährig"), Some((1.0, Inner::Duration)));
        assert_eq!(inner_number("zehnprozentige"), Some((10.0, Inner::Percent)));
        assert_eq!(inner_number("dreierlei"), Some((3.0, Inner::Count)));
        assert_eq!(
            inner_number("dreijahresfrist"),
            Some((3.0, Inner::Duration))
        );
        assert_eq!(inner_number("zweitägige"), Some((2.0, Inner::Duration)));
        assert_eq!(inner_number("minderjährige"), None);
        assert_eq!(inner_number("volljährig"), None);
        assert_eq!(inner_number("allerlei"), None);
        assert_eq!(inner_number("jahresfrist"), None);
    }

    #[test]
    fn german_compounds() {
        assert_eq!(de_cardinal("dreitausendzweihundert"), Some(3200.0));
        assert_eq!(de_cardinal("einundzwanzig"), Some(21.0));
        assert_eq!(de_cardinal("hunderttausend"), Some(100_000.0));
        assert_eq!(de_cardinal("zweieinhalb"), Some(2.5));
        assert_eq!(de_cardinal("achtung"), None);
        assert_eq!(de_cardinal("undzwanzig"), None);
    }

    #[test]
    fn digits_both_conventions() {
        let n = |s, en: bool| match parse_digits(s, Some(if en { ',' } else { '.' })) {
            Some(Digits::Number { v, .. }) => Some(v),
            _ => None,
        };
        assert_eq!(n("1.234.567", false), Some(1_234_567.0));
        assert_eq!(n("2,3", false), Some(2.3));
        assert_eq!(n("10,000", true), Some(10_000.0));
        assert_eq!(n("1.5", true), Some(1.5));
        assert_eq!(n("1,234.5", false), Some(1234.5));
        assert_eq!(n("1.234,5", true), Some(1234.5));
        assert_eq!(n("1\u{a0}234\u{a0}567,89", false), Some(1_234_567.89));
        assert_eq!(n("65'000", false), Some(65_000.0));
        assert_eq!(n("1.234", false), Some(1234.0));
        assert_eq!(n("1.234", true), Some(1.234));
        assert_eq!(parse_digits("1.234", None), None);
        assert_eq!(
            parse_digits("2,5", None),
            Some(Digits::Number {
                v: 2.5,
                plain: false,
                len: 3
            })
        );
        assert_eq!(scale(2.3, 6), 2_300_000.0);
    }
}
