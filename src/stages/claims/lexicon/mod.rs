//! What the claims reader knows about each language it reads: which rules apply
//! ([`Coverage`]), how digits are grouped, and for French, Spanish, Italian and Dutch the words
//! of numbers, bounds, percentages, currencies and units as tables ([`Lexicon`]). German and
//! English keep their own, older code paths in `numerals` and `patterns`.
//!
//! Number words of every table are read by one engine ([`Lexicon::cardinal`]): a word is cut
//! into parts ("vijf|en|twintig", "due|mila|tre|cento"), and parts of one or more words add up,
//! with hundreds and scale words multiplying what stands before them.

mod es;
mod fr;
mod it;
mod nl;

use serde::{Deserialize, Serialize};

use super::Qualifier;

/// The rule set that read an article's numbers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Digits, number words, bounds, units and dates in the article's language.
    Full,
    /// Digits, signs (%, currency symbols and codes) and scale words only: the language has
    /// no rules of its own. A number whose digits could be read two ways is left out.
    DigitsOnly,
    /// Nothing read: the article writes its digits in another script.
    None,
}

/// A language with full rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    De,
    En,
    Fr,
    Es,
    It,
    Nl,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        Some(match code.to_ascii_lowercase().as_str() {
            "de" | "deu" | "ger" => Lang::De,
            "en" | "eng" => Lang::En,
            "fr" | "fra" | "fre" => Lang::Fr,
            "es" | "spa" => Lang::Es,
            "it" | "ita" => Lang::It,
            "nl" | "nld" | "dut" => Lang::Nl,
            _ => return None,
        })
    }

    /// The word tables of a language read through a [`Lexicon`]; `None` for German and
    /// English.
    pub fn lexicon(self) -> Option<&'static Lexicon> {
        match self {
            Lang::Fr => Some(&fr::LEXICON),
            Lang::Es => Some(&es::LEXICON),
            Lang::It => Some(&it::LEXICON),
            Lang::Nl => Some(&nl::LEXICON),
            Lang::De | Lang::En => None,
        }
    }

    /// The character grouping thousands when a number shows only one separator.
    pub fn group_mark(self) -> char {
        match self {
            Lang::En => ',',
            _ => '.',
        }
    }

    /// Whether a plain space may group thousands ("48 300", "10 000"); no-break spaces always
    /// do. English uses commas, and "May 5 100 people" must stay two numbers.
    pub fn space_groups(self) -> bool {
        self != Lang::En
    }
}

/// A part of a number word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Part {
    /// 0..=999 without a multiplier ("vingt", "doscientos", "tredici").
    Number(u64),
    /// "cent", "cento", "honderd": multiplies what stands before it (or 1) by 100.
    Hundred,
    /// "mille", "millones", "miljard": 10^exp.
    Scale(i32),
    /// "en"/"ën" inside a Dutch compound, "et"/"y" between tens and units.
    And,
}

/// One language's words for numbers and what surrounds them. Every entry is lower case;
/// apostrophes are written `'`.
pub(crate) struct Lexicon {
    /// Word parts with values below 1000.
    pub numbers: &'static [(&'static str, u64)],
    pub hundreds: &'static [&'static str],
    pub scales: &'static [(&'static str, i32)],
    /// Abbreviated scales after digits ("mln", "mld", "Mds"), with or without a period.
    pub scale_abbrevs: &'static [(&'static str, i32)],
    /// Compounds written as one word ("duemilatrecento", "vijfentwintig").
    pub glued: bool,
    /// "et" in "vingt et un", "y" in "treinta y dos": joins tens and units only.
    pub and_words: &'static [&'static str],
    /// Joins parts inside a glued word ("en" in "vijfentwintig").
    pub inner_and: &'static [&'static str],
    /// A half after a whole number: "et demi", "y medio", "e mezzo", "en een half".
    pub and_half: &'static [&'static [&'static str]],
    pub ordinal: fn(&str) -> Option<f64>,
    /// Ordinal words that are other words without a determiner before them ("secondo" is
    /// also "according to", "segundo" a second).
    pub ordinal_needs_determiner: &'static [&'static str],
    pub determiners: &'static [&'static str],
    /// Suffixes of digits written as ordinals ("1er", "2e", "3º", "106de").
    pub ordinal_suffixes: &'static [&'static str],
    pub months: &'static [(&'static str, u32)],
    /// Words before a number, as phrases.
    pub qualifiers: &'static [(&'static str, Qualifier)],
    /// Phrases after a number that make it a percentage.
    pub percent: &'static [&'static str],
    pub currencies: &'static [&'static str],
    pub time_units: &'static [&'static str],
    pub measures: &'static [&'static str],
    /// "de", "d'", "di", "van" between a scale word and the noun it counts.
    pub of_words: &'static [&'static str],
    /// Plurals that count without a numeral: "milliers" 1000.
    pub vague: &'static [(&'static str, f64)],
    /// Words before a vague plural or scale word that belong to it ("des", "plusieurs").
    pub vague_determiners: &'static [&'static str],
    /// Collective nouns: "centaine" 100, "decina" 10; approximate.
    pub collectives: &'static [(&'static str, f64)],
    /// Denominators: "tiers" 3, "quart" 4.
    pub denominators: &'static [(&'static str, f64)],
    /// "moitié", "mitad", "metà", "helft": half, after an article.
    pub halves: &'static [&'static str],
    /// The indefinite article that reads as one before a scale word or denominator.
    pub one: &'static [&'static str],
    pub between: &'static [&'static str],
    pub between_and: &'static [&'static str],
    /// "20 à 30", "50 a 300", "100 tot 150".
    pub range_to: &'static [&'static str],
    /// "de"/"van"/"da" opening "from X to Y".
    pub range_from: &'static [&'static str],
    /// Stems of verbs of change: after them "de X à Y" is a change, two numbers.
    pub change_verbs: &'static [&'static str],
    /// Number words that are more often other words; read only before a unit or after a
    /// determiner or qualifier ("sei" is "you are", "neuf" "new").
    pub ambiguous_numbers: &'static [&'static str],
    /// Words after a number that are no unit.
    pub stop: &'static [&'static str],
    /// Words after an ordinal that make it a rank ("plus", "más", "più").
    pub rank_after: &'static [&'static str],
    /// "1 sur 3", "uno su tre", "één op de vijf": one in N, as phrases.
    pub shares: &'static [&'static str],
    /// Words joining a whole number and a fraction: "cinq et un quart", "cinco con un cuarto".
    pub fraction_and: &'static [&'static str],
    /// A decimal mark said in words: "virgule", "coma", "virgola", "komma".
    pub decimal_words: &'static [&'static str],
    /// Hundredths of a currency: "cents", "céntimos", "centesimi".
    pub minor_currencies: &'static [&'static str],
}

impl Lexicon {
    fn number(&self, w: &str) -> Option<u64> {
        self.numbers.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
    }

    pub fn scale(&self, w: &str) -> Option<i32> {
        self.scales.iter().find(|(n, _)| *n == w).map(|&(_, e)| e)
    }

    pub fn scale_abbrev(&self, w: &str) -> Option<i32> {
        self.scale_abbrevs
            .iter()
            .find(|(n, _)| *n == w)
            .map(|&(_, e)| e)
    }

    fn part(&self, w: &str) -> Option<Part> {
        if let Some(v) = self.number(w) {
            return Some(Part::Number(v));
        }
        if self.hundreds.contains(&w) {
            return Some(Part::Hundred);
        }
        if let Some(e) = self.scale(w) {
            return Some(Part::Scale(e));
        }
        None
    }

    /// The parts of one written word ("quatre-vingt-dix", "tweeëntwintig"), or `None` when it
    /// is not a number word.
    pub fn parts(&self, word: &str) -> Option<Vec<Part>> {
        let mut out = Vec::new();
        for piece in word.split('-') {
            if piece.is_empty() {
                return None;
            }
            if let Some(p) = self.part(piece) {
                out.push(p);
            } else if self.and_words.contains(&piece) && !out.is_empty() {
                out.push(Part::And);
            } else if self.glued {
                out.extend(self.split_glued(piece)?);
            } else {
                return None;
            }
        }
        Some(out)
    }

    /// Cuts a compound into parts, trying the longest part first and backing off.
    fn split_glued(&self, w: &str) -> Option<Vec<Part>> {
        if w.is_empty() {
            return Some(Vec::new());
        }
        let mut ends: Vec<usize> = w.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        ends.reverse();
        for end in ends {
            let head = &w[..end];
            let part = self.part(head).or_else(|| {
                self.inner_and
                    .contains(&head)
                    .then_some(Part::And)
                    .filter(|_| end < w.len())
            });
            if let Some(p) = part {
                if let Some(mut rest) = self.split_glued(&w[end..]) {
                    rest.insert(0, p);
                    return Some(rest);
                }
            }
        }
        None
    }

    /// The value of number-word parts in order, or `None` when they do not make one number
    /// ("trois deux", "cent cent").
    pub fn value(&self, parts: &[Part]) -> Option<f64> {
        // Finished groups, each at or above 1000, and the group below 1000 being built.
        let mut groups: Vec<f64> = Vec::new();
        let mut cur: Option<u64> = None;
        let mut after_and = false;
        for (k, &p) in parts.iter().enumerate() {
            match p {
                Part::Number(v) => {
                    // "duizend en zestien": "en" after a scale word joins a smaller number;
                    // after anything else only the glued units-and-tens do.
                    if after_and && cur.is_none() && (groups.is_empty() || !self.glued) {
                        return None;
                    }
                    cur = Some(match cur {
                        None => v,
                        Some(c) => c + self.addend(c, v, after_and)?,
                    });
                    after_and = false;
                }
                Part::Hundred => {
                    let c = cur.unwrap_or(1);
                    if c >= 100 || after_and {
                        return None;
                    }
                    cur = Some(c * 100);
                }
                Part::Scale(e) => {
                    let s = 10f64.powi(e);
                    let mut x = cur.take().map_or(0.0, |c| c as f64);
                    // "mil millones": everything below the new scale multiplies with it.
                    while let Some(&g) = groups.last() {
                        if g < s {
                            x += g;
                            groups.pop();
                        } else {
                            break;
                        }
                    }
                    if x == 0.0 {
                        x = 1.0;
                    }
                    groups.push(x * s);
                    if after_and {
                        return None;
                    }
                }
                Part::And => {
                    if k == 0 || k + 1 == parts.len() || after_and {
                        return None;
                    }
                    after_and = true;
                }
            }
        }
        if after_and {
            return None;
        }
        Some(groups.iter().sum::<f64>() + cur.unwrap_or(0) as f64)
    }

    /// What a number part `v` adds to the group `c` it follows, or `None` when the two are two
    /// numbers ("trois deux").
    fn addend(&self, c: u64, v: u64, after_and: bool) -> Option<u64> {
        let lead = c % 100;
        let french = self.numbers.contains(&("vingts", 20));
        // "quatre-vingt(s)" is 80: the only multiplying tens.
        if french && c % 100 == 4 && v == 20 && !after_and {
            return Some(76);
        }
        let tens = |x: u64| (20..100).contains(&x) && x.is_multiple_of(10);
        if after_and {
            // "vingt et un", "soixante et onze", "treinta y dos", Dutch "vijf|en|twintig".
            let french_et = !french || v == 1 || v == 11;
            let ok = (tens(lead) && v <= 11 && french_et)
                || (self.glued && lead < 10 && tens(v))
                || (self.glued && lead == 0 && c > 0);
            return ok.then_some(v);
        }
        let ok = if v >= 100 {
            false
        } else if lead == 0 {
            // "deux cent trente", "mille" + "trois": a fresh group below the hundred.
            true
        } else if tens(lead) && v < 10 {
            true
        } else if french && lead == 10 && (7..10).contains(&v) {
            // "dix-sept", "dix-neuf"
            true
        } else {
            // "soixante-dix", "quatre-vingt-douze"
            french && matches!(lead, 60 | 80) && (10..20).contains(&v)
        };
        ok.then_some(v)
    }

    /// An ordinal word read as a denominator ("cinquièmes", "quarti", "octavos", "achtste",
    /// Spanish "veinteavos").
    pub fn ordinal_denominator(&self, w: &str) -> Option<f64> {
        if let Some(&(_, d)) = self.denominators.iter().find(|(d, _)| *d == w) {
            return Some(d);
        }
        if let Some(stem) = w.strip_suffix("avos").or_else(|| w.strip_suffix("avo")) {
            // "veinteavos", "treintavos", "cincoavos"
            for tail in ["", "a", "e", "o"] {
                if let Some(v) = self
                    .parts(&format!("{stem}{tail}"))
                    .and_then(|p| self.value(&p))
                {
                    return Some(v);
                }
            }
        }
        // Dutch plural "achtsten", "vijfden"
        if let Some(d) = w
            .strip_suffix('n')
            .filter(|_| !self.inner_and.is_empty())
            .and_then(|s| (self.ordinal)(s))
            .filter(|&d| d >= 3.0)
        {
            return Some(d);
        }
        let singular = w
            .strip_suffix('s')
            .or_else(|| w.strip_suffix('i').map(|_| w))
            .unwrap_or(w);
        let as_ordinal = |x: &str| (self.ordinal)(x);
        as_ordinal(w)
            .or_else(|| as_ordinal(singular))
            .or_else(|| {
                w.strip_suffix('i')
                    .and_then(|s| as_ordinal(&format!("{s}o")))
            })
            .or_else(|| {
                w.strip_suffix('e')
                    .and_then(|s| as_ordinal(&format!("{s}a")))
            })
            .filter(|&d| d >= 3.0)
    }

    /// Whether an ordinal word is plural ("cinquièmes", "quinti", "octavos").
    pub fn plural(&self, w: &str) -> bool {
        w.ends_with('s')
            || (self.glued && self.inner_and.is_empty() && w.ends_with('i'))
            || (!self.inner_and.is_empty() && (w.ends_with("sten") || w.ends_with("den")))
    }

    /// Words that are a number with a half or fraction inside: Dutch "anderhalf",
    /// "tweeënhalf", "driekwart", "tweederde".
    pub fn glued_fraction(&self, w: &str) -> Option<f64> {
        if !self.glued {
            return None;
        }
        if matches!(w, "anderhalf" | "anderhalve") {
            return Some(1.5);
        }
        for half in ["enhalf", "ënhalf", "enhalve", "ënhalve"] {
            if let Some(stem) = w.strip_suffix(half) {
                return Some(self.parts(stem).and_then(|p| self.value(&p))? + 0.5);
            }
        }
        for &(d, v) in self.denominators {
            if let Some(stem) = w.strip_suffix(d).filter(|s| !s.is_empty()) {
                let n = self.parts(stem).and_then(|p| self.value(&p))?;
                return (n < v).then_some(n / v);
            }
        }
        None
    }

    /// A measure word or symbol: the language's words ("kilomètres", "ettari") and the
    /// symbols every language writes ("km", "m²", "kWh").
    pub fn is_measure(&self, w: &str) -> bool {
        self.measures.contains(&w) || COMMON_MEASURES.contains(&w)
    }

    pub fn month(&self, w: &str) -> Option<u32> {
        self.months.iter().find(|(m, _)| *m == w).map(|&(_, v)| v)
    }
}

/// Unit symbols written the same way in every language.
const COMMON_MEASURES: &[&str] = &[
    "km", "m", "cm", "mm", "kg", "g", "t", "l", "ml", "ha", "km²", "m²", "m3", "m³", "kwh", "mwh",
    "gwh", "twh", "mw", "gw", "kw", "km/h", "°c", "°", "kb", "mb", "gb", "tb",
];

/// Scale words after digits in any language, for articles without rules of their own: a
/// number before one of these is read with it, and a number before an unknown word that looks
/// like one is left out rather than read a thousand or a million times too small.
pub(crate) fn any_scale_word(w: &str) -> Option<i32> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "mil" | "tys" | "tis" | "tūkst" | "ezer" | "bin" | "tusen" | "tusind" | "tuhatta" => 3,
        "million" | "millions" | "millones" | "milhões" | "milhão" | "milioni" | "milione"
        | "miljoen" | "miljoner" | "millioner" | "millionen" | "miljonen" | "milion"
        | "miliony" | "milionów" | "milionu" | "milionů" | "miljoonaa" | "milyon" | "mln"
        | "mio" | "miljon" | "miljoni" | "miliona" | "millió" => 6,
        "milliard" | "milliards" | "miliardi" | "miliardo" | "miljard" | "miljarder"
        | "milliarder" | "milliarden" | "miliard" | "miliardy" | "miliardów" | "miliarda"
        | "miljardia" | "milyar" | "mld" | "mrd" | "bilhões" | "bilhão" | "milliárd" => 9,
        _ => return None,
    })
}

/// Words after digits that look like a scale word the tables do not know: the number is left
/// out where its size cannot be read.
pub(crate) fn unknown_scale_like(w: &str) -> bool {
    ["mil", "bil", "tril", "mld", "mln", "mrd"]
        .iter()
        .any(|p| w.starts_with(p))
        && any_scale_word(w).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lang: Lang, words: &str) -> Option<f64> {
        let lex = lang.lexicon().unwrap();
        let mut parts = Vec::new();
        for w in words.split(' ') {
            if lex.and_words.contains(&w) {
                parts.push(Part::And);
            } else {
                parts.extend(lex.parts(w)?);
            }
        }
        lex.value(&parts)
    }

    #[test]
    fn number_words_in_four_languages() {
        assert_eq!(read(Lang::Fr, "quatre-vingt-dix-sept"), Some(97.0));
        assert_eq!(read(Lang::Fr, "vingt et un"), Some(21.0));
        assert_eq!(read(Lang::Fr, "deux cent trente mille"), Some(230_000.0));
        assert_eq!(read(Lang::Fr, "soixante-treize"), Some(73.0));
        assert_eq!(
            read(Lang::Fr, "trois millions deux cent mille"),
            Some(3_200_000.0)
        );
        assert_eq!(
            read(Lang::Es, "doscientos cincuenta y tres mil"),
            Some(253_000.0)
        );
        assert_eq!(read(Lang::Es, "mil millones"), Some(1e9));
        assert_eq!(read(Lang::Es, "veintiuno"), Some(21.0));
        assert_eq!(
            read(Lang::It, "duemilatrecentoquarantacinque"),
            Some(2345.0)
        );
        assert_eq!(read(Lang::It, "ventitré"), Some(23.0));
        assert_eq!(read(Lang::It, "trentotto"), Some(38.0));
        assert_eq!(read(Lang::It, "centottanta"), Some(180.0));
        assert_eq!(read(Lang::Nl, "vijfentwintig"), Some(25.0));
        assert_eq!(read(Lang::Nl, "tweeëntwintig"), Some(22.0));
        assert_eq!(read(Lang::Nl, "tweehonderdduizend"), Some(200_000.0));
        assert_eq!(read(Lang::Nl, "achttien"), Some(18.0));
        assert_eq!(read(Lang::Fr, "trois deux"), None);
        assert_eq!(read(Lang::It, "settembre"), None);
    }
}
