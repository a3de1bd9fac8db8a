//! Numeric claims: every numeric expression of an article, with its value, bounds,
//! qualifier, what it counts and who states it. Rule-based on purpose: a number that reaches a
//! reader must be the one in the text, so nothing here guesses a value that is not written.
//!
//! The work is split by job: [`lexer`] cuts the text (byte offsets), [`numerals`] reads single numerals,
//! [`patterns`] joins them into expressions (ranges, dates, scale words) and drops what is not a
//! number (codes, footnotes, references), [`qualifiers`] and [`units`] look left and right of
//! an expression, [`attribution`] finds who says it, [`dates`] resolves calendar dates and
//! [`lexicon`] holds the word tables of French, Spanish, Italian and Dutch. See `docs/claims.md` for the field rules.

mod attribution;
mod dates;
mod lexer;
mod lexicon;
mod month_days;
pub(crate) mod numerals;
mod patterns;
mod qualifiers;
mod stage;
mod units;

pub use dates::{resolve_dates, ClaimDate, DateParts, YearFrom};
pub use lexicon::Coverage;
pub use stage::{ClaimsStage, RULES_VERSION};

use serde::{Deserialize, Serialize, Serializer};

use crate::offsets::CharIndex;

/// One numeric expression of the article (see `docs/claims.md`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claim {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// Null only for a date whose year is unknown (see [`ClaimDate`]).
    #[serde(serialize_with = "ser_opt_num")]
    pub value: Option<f64>,
    #[serde(serialize_with = "ser_opt_num")]
    pub value_high: Option<f64>,
    pub qualifier: Qualifier,
    pub unit: Option<String>,
    pub kind: ClaimKind,
    pub is_claim: bool,
    pub attribution: Option<Attribution>,
    /// The calendar reading of a `date` claim; null for every other kind.
    pub date: Option<ClaimDate>,
    /// Inside page furniture (`page.boilerplate`): never asserted, in no cluster. Written only
    /// when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boilerplate: bool,
}

/// Who the sentence says states the number, as written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attribution {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Approx,
    UpperBound,
    LowerBound,
    Range,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Count,
    Percent,
    Money,
    Duration,
    Date,
    Year,
    Ordinal,
    Other,
    /// A number naming a place in a document: "Artikel 4", "Resolution 1718", "S. 28–87",
    /// and the page, volume and issue numbers of reference-list entries.
    Reference,
}

/// Integral values go out as JSON integers: dates like 20240620 must not read as 20240620.0.
pub(crate) fn ser_num<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    // 2^53: beyond it not every integer is representable, so i64 would pretend precision.
    if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

pub(crate) fn ser_opt_num<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_num(v, s),
        None => s.serialize_none(),
    }
}

/// Which rules read the numbers of a text in language `lang` (ISO 639-1 or 639-3).
pub fn coverage(text: &str, lang: &str) -> Coverage {
    if lexicon::Lang::from_code(lang).is_some() {
        return Coverage::Full;
    }
    let ascii = text.bytes().any(|b| b.is_ascii_digit());
    let other = text.chars().any(|c| {
        !c.is_ascii_digit() && c.is_numeric() && c.to_digit(10).is_none() && is_decimal_digit(c)
    });
    if other && !ascii {
        Coverage::None
    } else {
        Coverage::DigitsOnly
    }
}

/// Decimal digits of other scripts: Arabic-Indic, Persian, Devanagari, Bengali, Thai, ...
fn is_decimal_digit(c: char) -> bool {
    matches!(c,
        '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}' | '\u{966}'..='\u{96f}' | '\u{9e6}'..='\u{9ef}'
        | '\u{a66}'..='\u{a6f}' | '\u{ae6}'..='\u{aef}' | '\u{be6}'..='\u{bef}' | '\u{c66}'..='\u{c6f}'
        | '\u{ce6}'..='\u{cef}' | '\u{d66}'..='\u{d6f}' | '\u{e50}'..='\u{e59}' | '\u{ed0}'..='\u{ed9}'
        | '\u{f20}'..='\u{f29}' | '\u{1040}'..='\u{1049}' | '\u{17e0}'..='\u{17e9}' | '\u{ff10}'..='\u{ff19}')
}

/// The thousands mark the text itself shows: numbers with both marks ("1.234,5") or one mark
/// several times ("1,234,567") decide; with `weak`, decimals ("2,5", "3.75") count too.
fn shown_group_mark(toks: &lexer::Tokens, weak: bool) -> Option<char> {
    let (mut dot, mut comma) = (0, 0);
    for (i, tok) in toks.toks.iter().enumerate() {
        if tok.kind != lexer::Kind::Num {
            continue;
        }
        let r = toks.raw(i);
        if r.contains(':') {
            continue;
        }
        let (d, c) = (r.matches('.').count(), r.matches(',').count());
        let last_mark = r.rfind(['.', ',']).map(|p| &r[p..p + 1]);
        let after = r.rfind(['.', ',']).map_or(0, |p| r.len() - p - 1);
        if d > 0 && c > 0 {
            if last_mark == Some(",") {
                dot += 1;
            } else {
                comma += 1;
            }
        } else if d >= 2 && r.rsplit('.').next().is_some_and(|g| g.len() == 3) {
            dot += 1;
        } else if c >= 2 {
            comma += 1;
        } else if weak && after != 3 && after > 0 {
            // A decimal mark: the other one groups.
            if d == 1 {
                comma += 1;
            } else if c == 1 {
                dot += 1;
            }
        }
    }
    match (dot, comma) {
        (0, 0) => None,
        (d, 0) if d > 0 => Some('.'),
        (0, c) if c > 0 => Some(','),
        _ => None,
    }
}

/// `sentences` are char ranges [start,end) into `text`, in order, covering the sentences;
/// `lang` is an ISO 639-1 code. German, English, French, Spanish, Italian and Dutch have full
/// rules; every other language gets digits, signs and scale words only ([`coverage`]). Dates
/// without a written year stay partial; [`resolve_dates`] gives them the publication year.
pub fn extract_claims(text: &str, sentences: &[(usize, usize)], lang: &str) -> Vec<Claim> {
    let rules = lexicon::Lang::from_code(lang);
    let english = rules == Some(lexicon::Lang::En);
    let idx = CharIndex::new(text);
    let n_chars = idx.len_chars();
    // Sentence starts in bytes: the patterns need them to tell "2006. Die" (sentence end) from
    // "70. Jahrestag" (ordinal).
    let sent_bytes: Vec<(usize, usize)> = sentences
        .iter()
        .filter(|&&(s, e)| s <= e && e <= n_chars)
        .map(|&(s, e)| (idx.byte(s), idx.byte(e)))
        .collect();
    let mut toks = lexer::Tokens::new(text, rules.is_none_or(|l| l.space_groups()));
    toks.mark_references(&sent_bytes);
    let group = match rules {
        Some(l) => Some(shown_group_mark(&toks, false).unwrap_or(l.group_mark())),
        None => shown_group_mark(&toks, true),
    };
    let raws = patterns::find(&toks, rules, group, &sent_bytes);

    let mut out = Vec::with_capacity(raws.len());
    let mut attr_cache: Option<(usize, Option<(usize, usize)>)> = None;
    for r in raws {
        let start = idx.char(r.byte_start);
        let end = idx.char(r.byte_end);
        let sentence = sentence_of(sentences, start);
        let attribution = if r.is_claim {
            let (ss, se) = sent_bytes
                .get(sentence)
                .copied()
                .filter(|&(ss, se)| ss <= r.byte_start && r.byte_start < se)
                .unwrap_or_else(|| toks.line_bytes(r.byte_start));
            // Attribution is per sentence; all claims of a sentence share one search.
            let found = match attr_cache {
                Some((key, found)) if key == ss => found,
                _ => {
                    let found = attribution::find(&toks, ss, se, english);
                    attr_cache = Some((ss, found));
                    found
                }
            };
            found.map(|(b0, b1)| {
                let (s, e) = (idx.char(b0), idx.char(b1));
                Attribution {
                    text: idx.slice(text, s, e).to_string(),
                    start: s,
                    end: e,
                }
            })
        } else {
            None
        };
        let date = (r.kind == ClaimKind::Date)
            .then(|| ClaimDate::from_values(r.value, r.value_high, r.relative_year))
            .flatten();
        let (value, value_high) = match &date {
            Some(d) => (d.start.value(), d.end.and_then(|e| e.value())),
            None => (Some(r.value), r.value_high),
        };
        out.push(Claim {
            text: idx.slice(text, start, end).to_string(),
            start,
            end,
            sentence,
            value,
            value_high,
            qualifier: r.qualifier,
            unit: r.unit.map(|(a, b)| text[a..b].to_string()),
            kind: r.kind,
            is_claim: r.is_claim,
            attribution,
            date,
            boilerplate: false,
        });
    }
    out
}

/// Index of the sentence holding char `c`; between sentences, the one before.
fn sentence_of(sentences: &[(usize, usize)], c: usize) -> usize {
    let i = sentences.partition_point(|&(s, _)| s <= c);
    i.saturating_sub(1)
}
