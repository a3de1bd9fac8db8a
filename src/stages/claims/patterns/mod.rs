//! Joins numerals into expressions — scale words, ranges, dates — and decides what is no
//! number at all: codes ("F-16", "G7"), footnote markers ("gab,9"), labels ("Artikel 4") and
//! the apparatus of reference lines (page ranges, volumes, ISSNs).

mod calendar;
mod digits;
mod lexical;
mod lexical_amounts;
mod lexical_parts;
mod numbering;
mod words;

use super::dates;
use super::lexer::{Kind, Tokens};
use super::lexicon::{Lang, Lexicon};
use super::numerals::{self, Scale};
use super::units::{self, UnitClass};
use super::{qualifiers, ClaimKind, Qualifier};
use calendar::date_value;

/// An expression found, in bytes; `mod.rs` turns it into a `Claim`.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub byte_start: usize,
    pub byte_end: usize,
    pub value: f64,
    pub value_high: Option<f64>,
    pub qualifier: Qualifier,
    pub unit: Option<(usize, usize)>,
    pub kind: ClaimKind,
    pub is_claim: bool,
    /// A date's year written relative to the time of writing ("letzten Jahres": -1).
    pub relative_year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    Card,
    /// "Tausende", "mehrere Millionen": a lower bound at the base magnitude.
    Vague,
    Ord {
        rank: bool,
    },
    /// Value is YYYYMMDD, YYYYMM or MMDD; `day` keeps the day for "10. bis 13. September".
    Date {
        day: Option<u32>,
        month: u32,
        year: Option<u32>,
    },
    Year,
    Decade,
    /// hh:mm Uhr, written as the integer hhmm.
    Clock,
    /// m:ss min or h:mm Stunden (video and race times, lengths), in the unit named.
    Media,
}

#[derive(Debug, Clone)]
struct Core {
    first: usize,
    last: usize,
    byte_start: usize,
    byte_end: usize,
    v: f64,
    high: Option<f64>,
    form: Form,
    scale: Option<Scale>,
    /// Bare four digits in 1500..=2100: a year unless its context makes it a count.
    year_like: bool,
    /// Unit already read off the token itself ("20-jährige", "5km").
    unit: Option<(usize, usize, UnitClass)>,
    /// "jeder zweite": a share of what follows, a count whatever the noun ("jeder zweite Euro").
    share: bool,
    /// "une centaine", "una decina": a round number that is approximate by its word.
    approx: bool,
}

impl Core {
    /// A date written with the parts given; its value is [`date_value`].
    fn date(
        t: &Tokens,
        first: usize,
        last: usize,
        year: Option<u32>,
        month: u32,
        day: Option<u32>,
    ) -> Core {
        Core::new(
            t,
            first,
            last,
            date_value(year, month, day),
            Form::Date { day, month, year },
        )
    }

    fn new(t: &Tokens, first: usize, last: usize, v: f64, form: Form) -> Core {
        Core {
            first,
            last,
            byte_start: t.toks[first].byte_start,
            byte_end: t.toks[last].byte_end,
            v,
            high: None,
            form,
            scale: None,
            year_like: false,
            unit: None,
            share: false,
            approx: false,
        }
    }
    fn extend_to(&mut self, t: &Tokens, last: usize) {
        self.last = last;
        self.byte_end = t.toks[last].byte_end;
    }
}

struct Ctx<'a, 't> {
    t: &'a Tokens<'t>,
    /// English rules (the older English code paths).
    en: bool,
    /// German rules.
    de: bool,
    /// The word tables of French, Spanish, Italian and Dutch.
    lex: Option<&'static Lexicon>,
    /// The thousands mark when a number shows one separator; `None` in an article without
    /// rules whose text does not show it.
    group: Option<char>,
    /// Sentence ranges in bytes.
    sents: &'a [(usize, usize)],
}

/// The numbers of a text. `lang` is `None` for a language without rules: digits, signs and
/// scale words only.
pub(crate) fn find(
    t: &Tokens,
    lang: Option<Lang>,
    group: Option<char>,
    sents: &[(usize, usize)],
) -> Vec<Raw> {
    let cx = Ctx {
        t,
        en: lang == Some(Lang::En),
        de: lang == Some(Lang::De),
        lex: lang.and_then(Lang::lexicon),
        group,
        sents,
    };
    let mut out = Vec::new();
    let (mut i, mut floor) = (0, 0);
    // The last token of the latest reference: a list after a label ("Artikel 12 und 13")
    // names places in the document to its end.
    let mut chain: Option<usize> = None;
    while i < t.len() {
        if !matches!(t.kind(i), Kind::Num | Kind::Word | Kind::Mixed) {
            i += 1;
            continue;
        }
        if let Some(last) = cx.phone_number(i) {
            floor = last + 1;
            i = last + 1;
            continue;
        }
        match cx.claim_at(i, floor, chain) {
            Some((raw, last)) => {
                chain = raw
                    .as_ref()
                    .filter(|r| r.kind == ClaimKind::Reference)
                    .map(|_| last);
                if let Some(raw) = raw {
                    out.push(raw);
                }
                floor = last + 1;
                i = last + 1;
            }
            None => i += 1,
        }
    }
    share_units(t, &mut out);
    out
}

/// "von 38 auf 35 Stunden", "mit 412 zu 256 Stimmen", "3 oder 4 Tage": the first number of
/// a pair takes the unit written once after the second.
fn share_units(t: &Tokens, out: &mut [Raw]) {
    for j in 1..out.len() {
        let (a, b) = (&out[j - 1], &out[j]);
        if a.unit.is_some() || b.unit.is_none() || a.kind != ClaimKind::Count || !a.is_claim {
            continue;
        }
        let between = t.text[a.byte_end..b.byte_start].trim();
        if matches!(
            between,
            "auf"
                | "zu"
                | "oder"
                | "und"
                | "bis"
                | "to"
                | "or"
                | "and"
                | "et"
                | "ou"
                | "y"
                | "o"
                | "e"
                | "en"
                | "of"
                | "à"
                | "a"
                | "tot"
        ) {
            let (unit, kind) = (b.unit, b.kind);
            out[j - 1].unit = unit;
            out[j - 1].kind = kind;
        }
    }
}

impl Ctx<'_, '_> {
    /// "0 800 06 66 66", "+33 1 42 00 00 00", "030 1234 5678": short digit groups in a row,
    /// one of them zero-led or after a "+", are a phone number; returns its last token.
    fn phone_number(&self, i: usize) -> Option<usize> {
        let t = self.t;
        let short = |k: usize| {
            t.kind(k) == Kind::Num
                && t.raw(k).len() <= 4
                && t.raw(k).bytes().all(|b| b.is_ascii_digit())
        };
        if !short(i) {
            return None;
        }
        let mut last = i;
        while short(last + 1) && t.toks[last + 1].space_before && t.same_line(last) {
            last += 1;
        }
        let plus = i > 0 && t.is_punct(i - 1, '+') && !t.toks[i].space_before;
        let zero_led = (i..=last).any(|k| t.raw(k).starts_with('0'));
        (last >= i + 3 && (zero_led || plus)).then_some(last)
    }

    /// The expression starting at token `i`, if any: `(None, last)` when tokens up to `last`
    /// are consumed but are no number (a code, an ISSN).
    fn claim_at(
        &self,
        i: usize,
        floor: usize,
        chain: Option<usize>,
    ) -> Option<(Option<Raw>, usize)> {
        let t = self.t;
        if let Some(last) = self.bracketed_code(i) {
            return Some((None, last));
        }
        let mut c = self.core_at(i)?;
        // "minus fünf Grad", "minus five degrees"
        if self.lex.is_none()
            && c.form == Form::Card
            && c.v > 0.0
            && c.first > floor
            && t.kind(c.first) == Kind::Word
            && t.word(c.first - 1) == "minus"
        {
            c.v = -c.v;
            c.first -= 1;
            c.byte_start = t.toks[c.first].byte_start;
        }
        if let Some(lex) = self.lex {
            self.lex_negative(&mut c, floor);
            self.lex_share(lex, &mut c);
            if t.kind(c.last) == Kind::Num {
                self.lex_digits_tail(lex, &mut c);
            }
        }
        let num_first = c.first;
        if let Some(junk_last) = self.range(&mut c, floor) {
            return Some((None, junk_last));
        }
        let calendar =
            c.year_like || matches!(c.form, Form::Date { .. } | Form::Year | Form::Decade);
        if !calendar && chain.is_some_and(|prev| self.continues_references(prev, num_first)) {
            let (raw, last) = self.reference(num_first, &c);
            return Some((Some(raw), last));
        }
        if let Some(label) = self.document_label(num_first) {
            let (raw, last) = self.reference(label, &c);
            return Some((Some(raw), last));
        }
        if self.is_label(num_first) {
            return Some((None, c.last));
        }
        let reference = t.toks[num_first].reference;
        let dateish = matches!(c.form, Form::Date { .. } | Form::Year | Form::Decade);
        // Reference sentences keep their dates; page ranges, volumes and issues are tagged.
        if reference && !(dateish || (c.year_like && c.high.is_none())) {
            let (raw, last) = self.reference(num_first, &c);
            return Some((Some(raw), last));
        }

        let mut qualifier = Qualifier::Exact;
        let takes_qualifier = matches!(c.form, Form::Card | Form::Vague);
        if takes_qualifier && c.first == num_first {
            let found = match self.lex {
                Some(lex) => qualifiers::before_phrase(t, c.first, floor, lex.qualifiers),
                None if self.en || self.de => qualifiers::before(t, c.first, floor),
                None => None,
            };
            if let Some((qf, q)) = found {
                qualifier = q;
                c.first = qf;
                c.byte_start = t.toks[qf].byte_start;
            }
        }
        if c.form == Form::Vague && qualifier == Qualifier::Exact {
            qualifier = Qualifier::LowerBound;
        }
        if c.approx && qualifier == Qualifier::Exact {
            qualifier = Qualifier::Approx;
        }
        if c.high.is_some() {
            qualifier = Qualifier::Range;
        }
        if c.year_like && c.form == Form::Card && c.first == num_first {
            c.form = Form::Year;
        }

        let mut unit = c.unit;
        if unit.is_none()
            && matches!(
                c.form,
                Form::Card | Form::Vague | Form::Ord { .. } | Form::Media
            )
        {
            let mut last = c.last;
            // "Tausende von Menschen", "millions of people"
            if c.form == Form::Vague
                && matches!(t.word(last + 1), "von" | "of")
                && t.same_line(last)
            {
                last += 1;
            }
            let found = match self.lex {
                Some(lex) => {
                    // After a scale word, a vague plural, a collective or a fraction the noun
                    // comes after "de"/"di"/"van": "3 millions d'obus", "deux tiers des voix".
                    let of_noun = c.scale.is_some()
                        || c.form == Form::Vague
                        || c.approx
                        || (c.v > 0.0 && c.v < 1.0);
                    self.lex_unit_after(lex, last, of_noun)
                }
                None if self.en || self.de => units::after(t, last, self.en),
                None => units::sign_after(t, last),
            };
            if let Some(u) = found {
                unit = Some((
                    u.byte_start,
                    u.byte_end,
                    if u.rate { UnitClass::Thing } else { u.class },
                ));
                if u.class == UnitClass::Money {
                    let unit_last = (c.last + 1..t.len())
                        .take_while(|&k| t.toks[k].byte_end <= u.byte_end)
                        .last()
                        .filter(|&k| t.is_word(k));
                    match (self.lex, unit_last) {
                        (Some(lex), Some(k)) => self.lex_currency_cents(lex, &mut c, k),
                        (None, Some(k)) if self.en || self.de => self.currency_cents(&mut c, k),
                        _ => {}
                    }
                }
            }
            if unit.is_none() && num_first > 0 {
                if let Kind::Punct(ch) = t.kind(num_first - 1) {
                    if units::currency_symbol(ch) && num_first > floor {
                        let p = &t.toks[num_first - 1];
                        unit = Some((p.byte_start, p.byte_end, UnitClass::Money));
                    }
                }
            }
            // "CHF 6'200", "USD 750 millones": an ISO code before the amount.
            if unit.is_none()
                && num_first > floor
                && t.is_word(num_first - 1)
                && t.same_line(num_first - 1)
                && crate::currency::is_iso_code(t.raw(num_first - 1))
                && !matches!(t.raw(num_first - 1), "ALL" | "TOP" | "CUP" | "MOP" | "BAM")
            {
                let p = &t.toks[num_first - 1];
                unit = Some((p.byte_start, p.byte_end, UnitClass::Money));
            }
        }
        // A year with a currency or percent after it was an amount all along.
        if c.form == Form::Year {
            if let Some((_, _, UnitClass::Percent | UnitClass::Money)) = unit {
                c.form = Form::Card;
            } else {
                unit = None;
            }
        }

        let mut class = unit.map(|u| u.2);
        if let Some((us, ue, _)) = unit {
            // "1,1 Punkte" next to a percentage are percentage points.
            if matches!(&t.text[us..ue], "Punkte" | "Punkten" | "Punkt")
                && c.v < 100.0
                && self.percent_before(num_first)
            {
                class = Some(UnitClass::Percent);
            }
        }
        // "Markus Söder, 56, sprach": an age in apposition.
        if unit.is_none() && c.form == Form::Card && self.age_apposition(num_first, c.last) {
            class = Some(UnitClass::Time);
        }
        let kind = match c.form {
            Form::Date { .. } => ClaimKind::Date,
            Form::Year | Form::Decade => ClaimKind::Year,
            Form::Ord { .. } => ClaimKind::Ordinal,
            Form::Clock => ClaimKind::Other,
            Form::Media => ClaimKind::Duration,
            Form::Card if c.share => ClaimKind::Count,
            Form::Card | Form::Vague => match class {
                Some(UnitClass::Percent) => ClaimKind::Percent,
                Some(UnitClass::Money) => ClaimKind::Money,
                Some(UnitClass::Time) => ClaimKind::Duration,
                Some(UnitClass::Measure) => ClaimKind::Other,
                _ => ClaimKind::Count,
            },
        };
        let is_claim = !reference
            && match c.form {
                Form::Card | Form::Vague => true,
                Form::Ord { rank } => rank,
                _ => false,
            };
        let (value, value_high) = match c.high {
            Some(h) if h >= c.v || kind == ClaimKind::Date => (c.v, Some(h)),
            _ => (c.v, None),
        };
        if !value.is_finite() || value_high.is_some_and(|h| !h.is_finite()) {
            return Some((None, c.last));
        }
        // "30. Dezember letzten Jahres": the year phrase belongs to the date.
        let mut relative_year = None;
        let yearless = |v: f64| v < 100_000.0;
        if kind == ClaimKind::Date && yearless(value) && value_high.is_none_or(yearless) {
            if let Some((offset, last)) = dates::relative_year_after(t, c.last) {
                relative_year = Some(offset);
                c.extend_to(t, last);
            }
        }
        let raw = Raw {
            byte_start: c.byte_start,
            byte_end: c.byte_end,
            value,
            value_high,
            qualifier,
            unit: unit.map(|u| (u.0, u.1)),
            kind,
            is_claim,
            relative_year,
        };
        Some((Some(raw), c.last))
    }

    /// A percentage shortly before: "73,3 Prozent und damit 1,1 Punkte".
    fn percent_before(&self, i: usize) -> bool {
        let t = self.t;
        (i.saturating_sub(15)..i).any(|k| t.is_punct(k, '%') || t.word(k).starts_with("prozent"))
    }

    /// "Markus Söder, 56, sprach" / "Karl Lauterbach (61)": an age after a name.
    fn age_apposition(&self, first: usize, last: usize) -> bool {
        let t = self.t;
        let framed = (t.is_punct(first.wrapping_sub(1), ',') && t.is_punct(last + 1, ','))
            || (t.is_punct(first.wrapping_sub(1), '(') && t.is_punct(last + 1, ')'));
        first >= 2
            && first == last
            && framed
            && t.kind(first) == Kind::Num
            && t.raw(first).len() <= 3
            && t.capitalized(first - 2)
    }

    /// "Hunderte Millionen", "mehrere hundert Millionen": a larger scale word multiplies.
    fn chain_scale(&self, c: &mut Core) {
        let t = self.t;
        if !t.same_line(c.last) {
            return;
        }
        if let Some((Scale::Pow(e), ab)) = self.scale_word(t.word(c.last + 1)) {
            if e >= 6 {
                c.v = numerals::scale(c.v, e);
                c.scale = Some(Scale::Pow(e));
                c.extend_to(t, c.last + 1);
                self.take_abbrev_period(c, ab);
            }
        }
    }

    /// Extends `c` into a range when a second number follows ("20 bis 60", "1950-1953",
    /// "zwischen 3 und 5"). Returns the last token of a code to drop ("1733-2680").
    fn range(&self, c: &mut Core, floor: usize) -> Option<usize> {
        let t = self.t;
        let k = c.last + 1;
        if !t.same_line(c.last) || k + 1 >= t.len() || t.toks[k + 1].line_break_before {
            return None;
        }
        // "zwischen 3 und 5", "zwischen dem 3. und 5. Januar"
        let between_at = [1, 2, 3].into_iter().find(|&back| {
            if c.first < back || c.first - back < floor {
                return false;
            }
            let w = t.word(c.first - back);
            match self.lex {
                // "entre 20 et 30", "entre el 0,9 y el 1", "tra l'1 e il 2"
                Some(lex) => {
                    lex.between.contains(&w)
                        && (back == 1
                            || self.lex_article_before(lex, c.first) == c.first - back + 1)
                }
                None => {
                    back <= 2
                        && matches!(w, "zwischen" | "between")
                        && (back == 1 || matches!(t.word(c.first - 1), "dem" | "den" | "the"))
                }
            }
        });
        let between = between_at.is_some();
        let glued_dash = matches!(t.kind(k), Kind::Punct('-'))
            && !t.toks[k].space_before
            && !t.toks[k + 1].space_before
            && t.kind(c.last) == Kind::Num;
        // "drei- bis viermal": the first word is cut at a hyphen before the connector.
        let (k, truncated) = if t.kind(k) == Kind::Punct('-')
            && !t.toks[k].space_before
            && matches!(t.kind(c.last), Kind::Word | Kind::Num)
            && matches!(t.word(k + 1), "bis" | "und" | "oder")
            && k + 2 < t.len()
        {
            (k + 1, true)
        } else {
            (k, false)
        };
        let connector = match t.kind(k) {
            Kind::Punct('-' | '–' | '—') => !between,
            Kind::Word if truncated => true,
            Kind::Word => match self.lex {
                Some(lex) => self.lex_range_connector(lex, t.low(k), between, c.first, floor),
                None => self.range_connector(t.low(k), k, c, between),
            },
            _ => false,
        };
        if !connector {
            return None;
        }
        // "y el 1", "e l'1,2": an article before the second number.
        let k = match self.lex {
            Some(lex) => self.lex_skip_article(lex, k + 1) - 1,
            None => k,
        };
        let second = self.core_at(k + 1);
        let Some(second) = second else {
            return glued_dash.then_some(k + 1);
        };
        let ok = match (c.form, second.form) {
            (Form::Card, Form::Card) => {
                c.year_like == second.year_like || (between && !c.year_like)
            }
            (Form::Clock, Form::Clock) => self.lex.is_some(),
            (Form::Ord { .. }, Form::Ord { .. }) => true,
            (Form::Date { .. }, Form::Date { .. }) => true,
            (Form::Ord { .. }, Form::Date { day: Some(_), .. }) => {
                (1.0..=31.0).contains(&c.v) && c.v.fract() == 0.0
            }
            _ => false,
        };
        if !ok {
            return glued_dash.then_some(second.last);
        }
        let mut low = c.v;
        let high = second.v;
        // The form the range takes once it is accepted: "10. bis 13. September" is a date.
        let mut form = c.form;
        if let (Form::Ord { .. }, Form::Date { month, year, .. }) = (c.form, second.form) {
            let d = c.v as u32;
            low = date_value(year, month, Some(d));
            form = second.form;
        } else if let Form::Date {
            day: Some(d),
            month,
            year: None,
        } = c.form
        {
            // "10. September bis 13. Oktober 2024": the year belongs to both ends, and to the
            // year before when the range crosses New Year ("30. Dezember bis 2. Januar 2025").
            if let Form::Date { year: Some(y), .. } = second.form {
                low = date_value(Some(y), month, Some(d));
                if low > high {
                    low = date_value(Some(y - 1), month, Some(d));
                }
            }
        }
        if c.scale.is_none() {
            if let Some(s) = second.scale {
                let scaled = s.apply(low);
                if scaled <= high {
                    low = scaled;
                }
            }
        }
        // Two dates without a year may cross New Year ("30. Dezember bis 2. Januar").
        let yearless = |f: Form| matches!(f, Form::Date { year: None, .. });
        let month = |v: f64| (v / 100.0).floor();
        let crosses_new_year =
            yearless(form) && yearless(second.form) && low < 10_000.0 && month(low) > month(high);
        if high < low && !crosses_new_year {
            return glued_dash.then_some(second.last);
        }
        c.form = form;
        if c.year_like && second.year_like {
            c.form = Form::Year;
            c.year_like = false;
        }
        c.v = low;
        c.high = Some(high);
        c.extend_to(t, second.last);
        if c.unit.is_none() {
            // "18- bis 29-Jährigen": the unit glued to the upper end.
            c.unit = second.unit;
            if second.unit.is_some() {
                c.byte_end = second.byte_end;
            }
        }
        if let Some(back) = between_at {
            c.first -= back;
            c.byte_start = t.toks[c.first].byte_start;
        }
        None
    }

    /// Whether the German or English word at `k` joins two numbers into a range.
    fn range_connector(&self, w: &str, k: usize, c: &Core, between: bool) -> bool {
        let t = self.t;
        match w {
            "bis" | "to" => !between && t.word(k + 1) != "zu",
            "und" | "and" => between,
            // "zwei oder drei Anmerkungen": alternatives of number words are a range
            // (digits keep their pair reading: "3 oder 4 Tage").
            "oder" | "or" => {
                !between && t.kind(c.last) == Kind::Word && t.kind(k + 1) == Kind::Word
            }
            _ => false,
        }
    }

    /// "entre 20 et 30", "de 20 à 30", "100 tot 150": a range unless a verb of change makes
    /// "de X à Y" two numbers.
    fn lex_range_connector(
        &self,
        lex: &Lexicon,
        w: &str,
        between: bool,
        first: usize,
        floor: usize,
    ) -> bool {
        if between {
            lex.between_and.contains(&w)
        } else {
            lex.range_to.contains(&w) && !self.lex_change_before(lex, first, floor)
        }
    }

    /// A single numeral (with its scale word, date parts or ordinal period) at token `i`.
    fn core_at(&self, i: usize) -> Option<Core> {
        match self.t.kind(i) {
            Kind::Num => self.num_at(i),
            Kind::Mixed => self.mixed_at(i),
            Kind::Word => self.word_at(i),
            _ => None,
        }
    }
}
