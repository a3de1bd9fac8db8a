//! Joins numerals into expressions — scale words, ranges, dates — and decides what is no
//! number at all: codes ("F-16", "G7"), footnote markers ("gab,9"), labels ("Artikel 4") and
//! the apparatus of reference lines (page ranges, volumes, ISSNs).

use super::dates;
use super::numerals::{self, Digits, Scale};
use super::tokens::{Kind, Tokens};
use super::units::{self, UnitClass};
use super::{qualifiers, ClaimKind, Qualifier};

/// An expression found, in bytes; `mod.rs` turns it into a `Claim`.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub s: usize,
    pub e: usize,
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
    /// m:ss min (video and race times), in seconds.
    Media,
}

#[derive(Debug, Clone)]
struct Core {
    first: usize,
    last: usize,
    s: usize,
    e: usize,
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
            s: t.toks[first].s,
            e: t.toks[last].e,
            v,
            high: None,
            form,
            scale: None,
            year_like: false,
            unit: None,
            share: false,
        }
    }
    fn extend_to(&mut self, t: &Tokens, last: usize) {
        self.last = last;
        self.e = t.toks[last].e;
    }
}

struct Ctx<'a, 't> {
    t: &'a Tokens<'t>,
    en: bool,
    /// Sentence ranges in bytes.
    sents: &'a [(usize, usize)],
}

pub(crate) fn find(t: &Tokens, english: bool, sents: &[(usize, usize)]) -> Vec<Raw> {
    let cx = Ctx {
        t,
        en: english,
        sents,
    };
    let mut out = Vec::new();
    let (mut i, mut floor) = (0, 0);
    while i < t.len() {
        if !matches!(t.kind(i), Kind::Num | Kind::Word | Kind::Mixed) {
            i += 1;
            continue;
        }
        match cx.claim_at(i, floor) {
            Some((raw, last)) => {
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
        let between = t.text[a.e..b.s].trim();
        if matches!(
            between,
            "auf" | "zu" | "oder" | "und" | "bis" | "to" | "or" | "and"
        ) {
            let (unit, kind) = (b.unit, b.kind);
            out[j - 1].unit = unit;
            out[j - 1].kind = kind;
        }
    }
}

impl Ctx<'_, '_> {
    /// The expression starting at token `i`, if any: `(None, last)` when tokens up to `last`
    /// are consumed but are no number (a code, an ISSN).
    fn claim_at(&self, i: usize, floor: usize) -> Option<(Option<Raw>, usize)> {
        let t = self.t;
        let mut c = self.core_at(i)?;
        let num_first = c.first;
        if let Some(junk_last) = self.range(&mut c, floor) {
            return Some((None, junk_last));
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
            if let Some((qf, q)) = qualifiers::before(t, c.first, floor) {
                qualifier = q;
                c.first = qf;
                c.s = t.toks[qf].s;
            }
        }
        if c.form == Form::Vague && qualifier == Qualifier::Exact {
            qualifier = Qualifier::LowerBound;
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
            if let Some(u) = units::after(t, last, self.en) {
                unit = Some((u.s, u.e, if u.rate { UnitClass::Thing } else { u.class }));
            }
            if unit.is_none() && num_first > 0 {
                if let Kind::Punct(ch) = t.kind(num_first - 1) {
                    if units::currency_symbol(ch) && num_first > floor {
                        let p = &t.toks[num_first - 1];
                        unit = Some((p.s, p.e, UnitClass::Money));
                    }
                }
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
            s: c.s,
            e: c.e,
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
        if let Some((Scale::Pow(e), ab)) = numerals::scale_word(t.word(c.last + 1), self.en) {
            if e >= 6 {
                c.v = numerals::scale(c.v, e);
                c.scale = Some(Scale::Pow(e));
                c.extend_to(t, c.last + 1);
                self.take_abbrev_period(c, ab);
            }
        }
    }

    /// Labels: numbers that name rather than count ("Artikel 4", "Resolution 1718", "S. 28").
    /// The first token of a label naming a place in a document right before token `first`
    /// ("Artikel 4", "§ 5", "S. 28", "Resolution 1718", "Band 3"), if there is one.
    fn document_label(&self, first: usize) -> Option<usize> {
        let t = self.t;
        let p = first.checked_sub(1)?;
        if matches!(t.kind(p), Kind::Punct('§')) {
            return Some(p);
        }
        if t.is_punct(p, '.') && p > 0 {
            let abbreviated = matches!(
                t.word(p - 1),
                "s" | "bd" | "abs" | "art" | "vol" | "p" | "pp" | "kap" | "ziff" | "h"
            );
            return abbreviated.then_some(p - 1);
        }
        let named = matches!(
            t.word(p),
            "artikel"
                | "article"
                | "resolution"
                | "resolutionen"
                | "paragraf"
                | "paragraph"
                | "paragrafen"
                | "absatz"
                | "kapitel"
                | "chapter"
                | "seite"
                | "seiten"
                | "page"
                | "pages"
                | "band"
                | "heft"
                | "jahrgang"
                | "volume"
                | "issue"
                | "tagesordnungspunkt"
                | "tagesordnungspunkte"
        );
        named.then_some(p)
    }

    /// A number tagged `reference` whose span starts at token `first` (its label, if any);
    /// a volume's issue glued to it belongs to it ("33(1)").
    fn reference(&self, first: usize, c: &Core) -> (Raw, usize) {
        let t = self.t;
        let high = c.high.filter(|&h| h >= c.v);
        let k = c.last + 1;
        let issue = t.is_punct(k, '(')
            && t.kind(k + 1) == Kind::Num
            && t.is_punct(k + 2, ')')
            && !(t.toks[k].sp || t.toks[k + 1].sp || t.toks[k + 2].sp);
        let last = if issue { k + 2 } else { c.last };
        let raw = Raw {
            s: t.toks[first].s.min(c.s),
            e: t.toks[last].e.max(c.e),
            value: c.v,
            value_high: high,
            qualifier: if high.is_some() {
                Qualifier::Range
            } else {
                Qualifier::Exact
            },
            unit: None,
            kind: ClaimKind::Reference,
            is_claim: false,
            relative_year: None,
        };
        (raw, last)
    }

    fn is_label(&self, first: usize) -> bool {
        let t = self.t;
        if first == 0 {
            return false;
        }
        let p = first - 1;
        if matches!(
            t.kind(p),
            Kind::Punct('§') | Kind::Punct('#') | Kind::Punct('№')
        ) {
            return true;
        }
        if t.is_punct(p, '.') && p > 0 {
            return matches!(
                t.word(p - 1),
                "s" | "nr"
                    | "bd"
                    | "abs"
                    | "art"
                    | "no"
                    | "vol"
                    | "p"
                    | "pp"
                    | "abb"
                    | "fig"
                    | "ziff"
                    | "tel"
                    | "kap"
                    | "tab"
                    | "bsp"
            );
        }
        matches!(
            t.word(p),
            "artikel"
                | "article"
                | "resolution"
                | "resolutionen"
                | "nr"
                | "nummer"
                | "paragraf"
                | "paragraph"
                | "paragrafen"
                | "absatz"
                | "kapitel"
                | "chapter"
                | "seite"
                | "seiten"
                | "page"
                | "pages"
                | "band"
                | "heft"
                | "ausgabe"
                | "jahrgang"
                | "volume"
                | "issue"
                | "folge"
                | "episode"
                | "teil"
                | "part"
                | "gleis"
                | "linie"
                | "route"
                | "flug"
                | "flight"
                | "zimmer"
                | "version"
                | "typ"
                | "type"
                | "modell"
                | "kanal"
                | "staffel"
                | "season"
                | "sektor"
                | "sector"
                | "tabelle"
                | "table"
                | "abbildung"
                | "figure"
                | "ziffer"
                | "stufe"
                | "level"
                | "kategorie"
                | "category"
                | "issn"
                | "isbn"
                | "kalenderwoche"
                | "telefon"
                | "fax"
                | "hotline"
                | "kw"
                | "model"
                | "bündnis"
        )
    }

    /// Extends `c` into a range when a second number follows ("20 bis 60", "1950-1953",
    /// "zwischen 3 und 5"). Returns the last token of a code to drop ("1733-2680").
    fn range(&self, c: &mut Core, floor: usize) -> Option<usize> {
        let t = self.t;
        let k = c.last + 1;
        if !t.same_line(c.last) || k + 1 >= t.len() || t.toks[k + 1].nl {
            return None;
        }
        // "zwischen 3 und 5", "zwischen dem 3. und 5. Januar"
        let between_at = [1, 2].into_iter().find(|&back| {
            c.first >= back
                && c.first - back >= floor
                && matches!(t.word(c.first - back), "zwischen" | "between")
                && (back == 1 || matches!(t.word(c.first - 1), "dem" | "den" | "the"))
        });
        let between = between_at.is_some();
        let glued_dash = matches!(t.kind(k), Kind::Punct('-'))
            && !t.toks[k].sp
            && !t.toks[k + 1].sp
            && t.kind(c.last) == Kind::Num;
        // "drei- bis viermal": the first word is cut at a hyphen before the connector.
        let (k, truncated) = if t.kind(k) == Kind::Punct('-')
            && !t.toks[k].sp
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
            Kind::Word => match t.low(k) {
                "bis" | "to" => !between && t.word(k + 1) != "zu",
                "und" | "and" => between,
                _ => false,
            },
            _ => false,
        };
        if !connector {
            return None;
        }
        let second = self.core_at(k + 1);
        let Some(second) = second else {
            return glued_dash.then_some(k + 1);
        };
        let ok = match (c.form, second.form) {
            (Form::Card, Form::Card) => c.year_like == second.year_like,
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
                c.e = second.e;
            }
        }
        if let Some(back) = between_at {
            c.first -= back;
            c.s = t.toks[c.first].s;
        }
        None
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

    /// Digits glued to a word on their left through punctuation: footnote markers ("gab,9",
    /// "heraus.10") and codes ("S/PV.9048").
    fn glued_junk(&self, i: usize) -> bool {
        let t = self.t;
        if t.toks[i].sp || i == 0 {
            return false;
        }
        let p = i - 1;
        let glued_to_word = match t.kind(p) {
            Kind::Word | Kind::Mixed => true,
            Kind::Punct(
                '.' | ',' | ';' | ':' | ')' | '"' | '“' | '”' | '»' | '«' | '\'' | '’' | '/' | '!'
                | '?' | '_' | '*' | '„',
            ) => {
                p > 0
                    && !t.toks[p].sp
                    && matches!(
                        t.kind(p - 1),
                        Kind::Word
                            | Kind::Mixed
                            | Kind::Punct('"' | '“' | '”' | '»' | '«' | ')' | '.')
                    )
            }
            // "%20": URL encoding; a percent sign never comes before its number.
            Kind::Punct('%') => true,
            // "0340-7012": the second half of a code whose first half, zero-led, is no number.
            Kind::Punct('-' | '–') => {
                p > 0
                    && !t.toks[p].sp
                    && t.kind(p - 1) == Kind::Num
                    && t.raw(p - 1).len() >= 3
                    && t.raw(p - 1).starts_with('0')
            }
            _ => false,
        };
        glued_to_word || self.slashed(p)
    }

    /// "2024/25", "24/7": numbers joined by a slash are seasons and ratios, not counts.
    fn slashed(&self, slash: usize) -> bool {
        let t = self.t;
        t.is_punct(slash, '/')
            && slash > 0
            && slash + 1 < t.len()
            && !t.toks[slash].sp
            && !t.toks[slash + 1].sp
            && matches!(t.kind(slash - 1), Kind::Num | Kind::Mixed)
            && matches!(t.kind(slash + 1), Kind::Num | Kind::Mixed)
    }

    fn num_at(&self, i: usize) -> Option<Core> {
        let t = self.t;
        let digits = numerals::parse_digits(t.raw(i), self.en)?;
        let is_date = matches!(digits, Digits::Date { .. } | Digits::DayMonth { .. });
        if !is_date && (self.glued_junk(i) || self.slashed(i + 1)) {
            return None;
        }
        match digits {
            Digits::Date { y, m, d } => Some(Core::date(t, i, i, Some(y), m, Some(d))),
            // "9.01 Uhr" is a clock time, not the 9th of January.
            Digits::DayMonth { m, d }
                if t.same_line(i) && t.word(i + 1) == "uhr" && d < 24 && t.raw(i).len() >= 4 =>
            {
                Some(Core::new(t, i, i + 1, f64::from(d * 100 + m), Form::Clock))
            }
            Digits::DayMonth { m, d } => {
                let mut c = Core::date(t, i, i, None, m, Some(d));
                if t.is_punct(i + 1, '.') && !t.toks[i + 1].sp {
                    c.extend_to(t, i + 1);
                    if let Some(y) = self.year_at(i + 2) {
                        let full = Core::date(t, i, i + 2, Some(y), m, Some(d));
                        (c.v, c.form) = (full.v, full.form);
                        c.extend_to(t, i + 2);
                    }
                }
                Some(c)
            }
            Digits::Clock { a, b } => {
                let next = if t.same_line(i) { t.word(i + 1) } else { "" };
                if matches!(next, "min" | "minuten" | "minutes") {
                    Some(Core::new(t, i, i, f64::from(a * 60 + b), Form::Media))
                } else if (a < 24) && matches!(next, "uhr" | "h") {
                    Some(Core::new(t, i, i + 1, f64::from(a * 100 + b), Form::Clock))
                } else if a < 24 {
                    Some(Core::new(t, i, i, f64::from(a * 100 + b), Form::Clock))
                } else {
                    None
                }
            }
            Digits::Number { v, plain, len } => {
                // "18.30 Uhr": German clock times use a period.
                if t.same_line(i) && t.word(i + 1) == "uhr" {
                    if let Some((h, m)) = t.raw(i).split_once('.') {
                        if let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) {
                            if h < 24
                                && m < 60
                                && m.to_string().len() <= 2
                                && !m.to_string().is_empty()
                            {
                                return Some(Core::new(
                                    t,
                                    i,
                                    i + 1,
                                    f64::from(h * 100 + m),
                                    Form::Clock,
                                ));
                            }
                        }
                    }
                }
                self.number_tail(i, v, plain, len)
            }
        }
    }

    fn year_at(&self, i: usize) -> Option<u32> {
        let t = self.t;
        if i >= t.len() || t.kind(i) != Kind::Num || t.toks[i].nl {
            return None;
        }
        let r = t.raw(i);
        if r.len() != 4 || !r.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: u32 = r.parse().ok()?;
        (1000..=2200).contains(&y).then_some(y)
    }

    /// What follows a plain number: an ordinal period, a month, a scale word, a denominator.
    fn number_tail(&self, i: usize, v: f64, plain: bool, len: usize) -> Option<Core> {
        let t = self.t;
        let mut c = Core::new(t, i, i, v, Form::Card);
        let day = plain && (1.0..=31.0).contains(&v);
        // "19. Juni 2024", "70. Jahrestag", "10. bis"
        if plain && t.is_punct(i + 1, '.') && !t.toks[i + 1].sp && t.same_line(i + 1) {
            let k = i + 2;
            if let Some(m) = numerals::month(t.word(k)).filter(|_| day) {
                return Some(self.day_month(i, k, v as u32, m));
            }
            // "24./25. Juni": two days of one month.
            if day && t.is_punct(k, '/') && t.kind(k + 1) == Kind::Num && t.is_punct(k + 2, '.') {
                if let (Ok(d2), Some(m)) =
                    (t.raw(k + 1).parse::<u32>(), numerals::month(t.word(k + 3)))
                {
                    if numerals::valid_day(d2, m) && f64::from(d2) > v {
                        let mut c = self.day_month(k + 1, k + 3, d2, m);
                        if let Form::Date { year, .. } = c.form {
                            c.high = Some(c.v);
                            c.v = date_value(year, m, Some(v as u32));
                        }
                        c.first = i;
                        c.s = t.toks[i].s;
                        return Some(c);
                    }
                }
            }
            // "1. Die Regierung plant …": a numbered list, not a number.
            if len <= 2 && (i == 0 || t.toks[i].nl) {
                return None;
            }
            let ends = self.period_ends_sentence(i + 1, k) && !ordinal_noun(t.word(k));
            if len <= 3 && !self.en && t.is_word(k) && !ends {
                let rank = matches!(t.word(k), "platz" | "rang" | "stelle");
                let mut c = Core::new(t, i, i + 1, v, Form::Ord { rank });
                c.e = t.toks[i + 1].e;
                return Some(c);
            }
            // "bis" after a day, and enumerations "in der 12., 45. und 78. Minute".
            let listed = (t.is_punct(k, ',') || matches!(t.word(k), "und" | "oder"))
                && k + 1 < t.len()
                && t.kind(k + 1) == Kind::Num
                && t.is_punct(k + 2, '.');
            if len <= 3 && !self.en && (t.word(k) == "bis" || listed) {
                return Some(Core::new(t, i, i + 1, v, Form::Ord { rank: false }));
            }
        }
        // Leading zeros mark phone numbers, codes and postcodes ("0800", "030").
        let zero_led =
            |k: usize| t.kind(k) == Kind::Num && t.raw(k).len() >= 3 && t.raw(k).starts_with('0');
        if plain && (zero_led(i) || (i > 0 && !t.toks[i].nl && zero_led(i - 1))) {
            return None;
        }
        if t.same_line(i) {
            let w = t.word(i + 1);
            if plain && w == "uhr" && v < 24.0 {
                return Some(Core::new(t, i, i + 1, v * 100.0, Form::Clock));
            }
            // "20 June 2024"
            if let Some(m) = numerals::month(w).filter(|_| day && t.toks[i + 1].sp) {
                if w.len() > 3 {
                    return Some(self.day_month(i, i + 1, v as u32, m));
                }
            }
            if let Some((s, abbrev)) = numerals::scale_word(w, self.en) {
                c.v = s.apply(v);
                c.scale = Some(s);
                c.extend_to(t, i + 1);
                self.take_abbrev_period(&mut c, abbrev);
                return Some(c);
            }
            if let Some(d) = numerals::denominator(w).filter(|&d| d > 2.0) {
                c.v = v / d;
                c.extend_to(t, i + 1);
                return Some(c);
            }
        }
        if i > 0 && t.word(i - 1) == "minus" {
            c.v = -c.v;
            c.first = i - 1;
            c.s = t.toks[i - 1].s;
        }
        // Negative sign: "-5 Grad" (a dash glued to the number, spaced before).
        if i > 0 && matches!(t.kind(i - 1), Kind::Punct('-' | '−')) && !t.toks[i].sp {
            let p = i - 1;
            if t.toks[p].sp && (p == 0 || t.kind(p - 1) != Kind::Num) {
                c.v = -c.v;
                c.first = p;
                c.s = t.toks[p].s;
            }
        }
        c.year_like = plain && len == 4 && (1500.0..=2100.0).contains(&v);
        Some(c)
    }

    /// Day number at `i`, month word at `k`, optional year after.
    fn day_month(&self, i: usize, k: usize, d: u32, m: u32) -> Core {
        let t = self.t;
        let mut last = k;
        if t.is_punct(k + 1, '.') && !t.toks[k + 1].sp && t.word(k).len() <= 4 {
            last = k + 1;
        }
        let year = if t.same_line(last) {
            self.year_at(last + 1)
        } else {
            None
        };
        if year.is_some() {
            last += 1;
        }
        Core::date(t, i, last, year, m, Some(d))
    }

    /// Whether the period at `dot` ends a sentence rather than marking an ordinal.
    fn period_ends_sentence(&self, dot: usize, next: usize) -> bool {
        let t = self.t;
        let (de, ns) = (t.toks[dot].e, t.toks[next].s);
        let j = self.sents.partition_point(|&(_, e)| e < de);
        if j < self.sents.len() && self.sents[j].1 <= ns && self.sents[j].1 >= de {
            return true;
        }
        if self.sentence_starts_at(ns) {
            return true;
        }
        t.capitalized(next) && sentence_starter(t.low(next))
    }

    fn take_abbrev_period(&self, c: &mut Core, abbrev: bool) {
        let t = self.t;
        if abbrev && t.is_punct(c.last + 1, '.') && !t.toks[c.last + 1].sp {
            c.extend_to(t, c.last + 1);
        }
    }

    fn mixed_at(&self, i: usize) -> Option<Core> {
        let t = self.t;
        let raw = t.raw(i);
        if !raw.as_bytes()[0].is_ascii_digit() || self.glued_junk(i) {
            return None;
        }
        let dlen = raw
            .bytes()
            .position(|b| !(b.is_ascii_digit() || b == b'.' || b == b','))
            .unwrap_or(raw.len());
        let (num, rest) = raw.split_at(dlen);
        let num = num.trim_end_matches(['.', ',']);
        let dlen = num.len();
        let rest_low = &t.low(i)[dlen..];
        let s = t.toks[i].s;
        // "1980s"
        if self.en && rest_low == "s" && num.len() == 4 && num.ends_with('0') {
            let v: f64 = num.parse().ok()?;
            let mut c = Core::new(t, i, i, v, Form::Decade);
            c.high = Some(v + 9.0);
            return Some(c);
        }
        // "1980er", "80er-Jahre", "1990erund" (a typo that still names a decade)
        let decade_tail = matches!(rest_low, "er" | "ern" | "erund" | "eroder")
            || rest_low.starts_with("er-jahr");
        if decade_tail && num.bytes().all(|b| b.is_ascii_digit()) {
            let v: u32 = num.parse().ok()?;
            let start = match (num.len(), v) {
                (4, 1000..=2100) if v.is_multiple_of(10) => v,
                (2, 20..=90) if v.is_multiple_of(10) => 1900 + v,
                (2, 0 | 10) => 2000 + v,
                _ => return None,
            };
            let mut c = Core::new(t, i, i, f64::from(start), Form::Decade);
            c.high = Some(f64::from(start + 9));
            if rest_low.starts_with("er-jahr") {
                return Some(c);
            }
            c.e = s + dlen + 2;
            if rest_low == "er"
                && t.same_line(i)
                && matches!(
                    t.word(i + 1),
                    "jahre" | "jahren" | "jahrzehnt" | "jahrzehnts"
                )
            {
                c.extend_to(t, i + 1);
            }
            return Some(c);
        }
        let v = match numerals::parse_digits(num, self.en)? {
            Digits::Number { v, .. } => v,
            _ => return None,
        };
        if let Some(suffix) = rest.strip_prefix('-') {
            // "20-jährige", "10.000-Einwohner-Stadt"
            let sl = suffix.to_lowercase();
            let class = if ["jährig", "stündig", "tägig", "wöchig", "monatig", "minütig"]
                .iter()
                .any(|p| sl.starts_with(p))
            {
                UnitClass::Time
            } else if sl.starts_with("prozent") {
                UnitClass::Percent
            } else {
                UnitClass::Thing
            };
            let mut c = Core::new(t, i, i, v, Form::Card);
            c.e = s + dlen;
            c.unit = Some((s + dlen + 1, t.toks[i].e, class));
            return Some(c);
        }
        if self.en && matches!(rest_low, "st" | "nd" | "rd" | "th") {
            return Some(Core::new(t, i, i, v, Form::Ord { rank: false }));
        }
        if let Some((sc, _)) = numerals::scale_word(rest_low, self.en)
            .filter(|_| matches!(rest_low, "mio" | "mrd" | "bn" | "mn" | "tsd"))
        {
            let mut c = Core::new(t, i, i, sc.apply(v), Form::Card);
            c.scale = Some(sc);
            return Some(c);
        }
        if units::measure_abbrev(rest_low) || matches!(rest_low, "h" | "min" | "s" | "kmh") {
            let mut c = Core::new(t, i, i, v, Form::Card);
            c.e = s + dlen;
            let class = if matches!(rest_low, "h" | "min" | "s") {
                UnitClass::Time
            } else {
                UnitClass::Measure
            };
            c.unit = Some((s + dlen, t.toks[i].e, class));
            return Some(c);
        }
        None
    }

    fn word_at(&self, i: usize) -> Option<Core> {
        let t = self.t;
        let w = t.low(i);
        let next = if t.same_line(i) { t.word(i + 1) } else { "" };
        if let Some(m) = numerals::month(w) {
            return self.month_first(i, m);
        }
        // "eine halbe Million", "eine Million", "ein Drittel", "a million"
        if numerals::indefinite_one(w) && (self.en == matches!(w, "a" | "an" | "one")) {
            if let Some(d) = numerals::denominator(next) {
                let mut c = Core::new(t, i, i + 1, 1.0 / d, Form::Card);
                if d == 2.0 && t.same_line(i + 1) {
                    if let Some((s, ab)) = numerals::scale_word(t.word(i + 2), self.en) {
                        c.v = s.apply(0.5);
                        c.scale = Some(s);
                        c.extend_to(t, i + 2);
                        self.take_abbrev_period(&mut c, ab);
                    }
                }
                return Some(c);
            }
            if let Some((s, ab)) = numerals::scale_word(next, self.en) {
                let mut c = Core::new(t, i, i + 1, s.base(), Form::Card);
                c.scale = Some(s);
                self.take_abbrev_period(&mut c, ab);
                return Some(c);
            }
            // "um ein Prozent", "einen Euro": the article is the number where the noun is a
            // measure; before other nouns it is just an article.
            if !self.en && units::is_measure_word(next) {
                return Some(Core::new(t, i, i, 1.0, Form::Card));
            }
            return None;
        }
        // "mehrere Tausend", "ein paar Hundert", "a few thousand"
        if numerals::vague_determiner(w) || matches!(w, "paar" | "few") {
            let (s, ab) = numerals::scale_word(next, self.en)?;
            if matches!(s, Scale::Pow(2 | 3 | 6 | 9 | 12) | Scale::Times(_)) {
                let first =
                    if matches!(w, "paar" | "few") && i > 0 && matches!(t.word(i - 1), "ein" | "a")
                    {
                        i - 1
                    } else {
                        i
                    };
                let mut c = Core::new(t, first, i + 1, s.base(), Form::Vague);
                c.scale = Some(s);
                self.take_abbrev_period(&mut c, ab);
                self.chain_scale(&mut c);
                return Some(c);
            }
            return None;
        }
        if let Some(c) = self.digit_count_at(i) {
            return Some(c);
        }
        if !self.en {
            if let Some(v) = numerals::factor_word(w) {
                return Some(Core::new(t, i, i, v, Form::Card));
            }
        }
        // "doppelt so viel", "halb so groß": a factor.
        if matches!(w, "doppelt" | "halb") && next == "so" {
            return Some(Core::new(
                t,
                i,
                i,
                if w == "doppelt" { 2.0 } else { 0.5 },
                Form::Card,
            ));
        }
        // "die Hälfte": a fraction written as a noun.
        if w == "hälfte" && i > 0 && matches!(t.word(i - 1), "die" | "der" | "eine" | "einer") {
            return Some(Core::new(t, i - 1, i, 0.5, Form::Card));
        }
        if let Some(v) = numerals::vague_plural(w) {
            // "tens of thousands", "hundreds of thousands"
            if self.en && w == "hundreds" && next == "of" && t.word(i + 2) == "thousands" {
                return Some(Core::new(t, i, i + 2, 1e5, Form::Vague));
            }
            let mut c = Core::new(t, i, i, v, Form::Vague);
            self.chain_scale(&mut c);
            return Some(c);
        }
        if self.en && w == "tens" && next == "of" && t.word(i + 2) == "thousands" {
            return Some(Core::new(t, i, i + 2, 1e4, Form::Vague));
        }
        // "dreiviertel", "zweidrittel": a fraction written as one word.
        if !self.en {
            if let Some(v) = numerals::de_fraction_word(w) {
                return Some(Core::new(t, i, i, v, Form::Card));
            }
        }
        let card = if self.en {
            self.en_cardinal_seq(i)
        } else {
            numerals::de_cardinal(w).map(|v| (v, i))
        };
        if let Some((v, last)) = card {
            if !self.plausible_cardinal_word(i) {
                return None;
            }
            let mut c = Core::new(t, i, last, v, Form::Card);
            if t.same_line(last) {
                let nw = t.word(last + 1);
                if let Some(d) = numerals::denominator(nw).filter(|&d| d > 2.0) {
                    c.v = v / d;
                    c.extend_to(t, last + 1);
                } else if let Some((s, ab)) = numerals::scale_word(nw, self.en) {
                    c.v = s.apply(v);
                    c.scale = Some(s);
                    c.extend_to(t, last + 1);
                    self.take_abbrev_period(&mut c, ab);
                }
            }
            return Some(c);
        }
        if !self.en {
            // "einmal" is mostly "once upon"/"again"; it counts only under a bound
            // ("mehr als einmal").
            if w == "einmal" && i >= 2 {
                let (p2, p1) = (t.word(i - 2), t.word(i - 1));
                let bounded = matches!((p2, p1), ("mehr" | "weniger", "als"))
                    || matches!(p1, "mindestens" | "höchstens" | "wenigstens");
                if bounded {
                    return Some(Core::new(t, i, i, 1.0, Form::Card));
                }
            }
            if let Some(v) = numerals::times_word(w) {
                return Some(Core::new(t, i, i, v, Form::Card));
            }
            if matches!(w, "zweier" | "dreier") && !t.capitalized(i) {
                return Some(Core::new(
                    t,
                    i,
                    i,
                    if w == "zweier" { 2.0 } else { 3.0 },
                    Form::Card,
                ));
            }
        }
        if let Some((v, rank)) = numerals::ordinal_word(w, self.en) {
            // Capitalised mid-sentence, an ordinal is a noun: "an Dritte verkaufen".
            let after_jeder = i > 0 && matches!(t.word(i - 1), "jeder" | "jede" | "jedes");
            if !self.en && t.capitalized(i) && !self.at_sentence_start(i) && !after_jeder {
                return None;
            }
            let needs_det = (!self.en && w.starts_with("acht") && !rank) || w == "second";
            if needs_det && !(i > 0 && determiner(t.word(i - 1)) && t.is_word(i + 1)) {
                return None;
            }
            if w == "second" && t.word(i - 1) == "a" {
                return None;
            }
            // "jeder dritte Deutsche" states a share, one in three; "an dritter Stelle" a rank.
            let share = i > 0 && matches!(t.word(i - 1), "jeder" | "jede" | "jedes" | "every");
            if share && v >= 2.0 {
                let mut c = Core::new(t, i - 1, i, 1.0 / v, Form::Card);
                c.share = true;
                return Some(c);
            }
            let rank = rank || matches!(next, "platz" | "rang" | "stelle" | "place");
            return Some(Core::new(t, i, i, v, Form::Ord { rank }));
        }
        None
    }

    /// "ein dreistelliger Millionenbetrag", "zweistellige Prozentzahl": a number given by its
    /// count of digits is the range of numbers with that many digits, at the noun's magnitude.
    fn digit_count_at(&self, i: usize) -> Option<Core> {
        let t = self.t;
        let w = t.low(i);
        let stem = [
            "stellige",
            "stelligen",
            "stelliger",
            "stelliges",
            "stelligem",
            "stellig",
        ]
        .iter()
        .find_map(|s| w.strip_suffix(s))?;
        let n = match stem {
            "ein" => 1,
            _ => numerals::de_cardinal(stem)? as i32,
        };
        if !(1..=12).contains(&n) || !t.same_line(i) || !t.capitalized(i + 1) {
            return None;
        }
        let noun = t.low(i + 1);
        let exp = if noun.contains("milliarden") {
            9
        } else if noun.contains("millionen") {
            6
        } else if noun.contains("tausend") {
            3
        } else {
            0
        };
        let class = if noun.contains("prozent") {
            UnitClass::Percent
        } else if exp > 0
            || noun.contains("betrag")
            || noun.contains("summe")
            || noun.contains("euro")
        {
            UnitClass::Money
        } else {
            UnitClass::Thing
        };
        let low = numerals::scale(1.0, n - 1 + exp);
        let high = numerals::scale(1.0, n + exp) - numerals::scale(1.0, exp);
        let mut c = Core::new(t, i, i, low, Form::Card);
        c.high = Some(high);
        c.unit = Some((t.toks[i + 1].s, t.toks[i + 1].e, class));
        Some(c)
    }

    /// Capitalised "Acht", "Elf", "Null" mid-sentence are nouns (attention, a team, zero).
    fn plausible_cardinal_word(&self, i: usize) -> bool {
        let t = self.t;
        if !t.capitalized(i) {
            return true;
        }
        let w = t.low(i);
        let ambiguous = matches!(w, "acht" | "elf" | "null" | "sieben");
        if !ambiguous {
            return true;
        }
        self.at_sentence_start(i) && !matches!(t.word(i.wrapping_sub(1)), "außer" | "in")
    }

    fn at_sentence_start(&self, i: usize) -> bool {
        let t = self.t;
        i == 0
            || t.toks[i].nl
            || matches!(
                t.kind(i - 1),
                Kind::Punct('.' | '!' | '?' | ':' | '"' | '„' | '»')
            )
            || self.sentence_starts_at(t.toks[i].s)
    }

    /// Whether a sentence range starts at byte `b` (ranges are in order).
    fn sentence_starts_at(&self, b: usize) -> bool {
        let j = self.sents.partition_point(|&(s, _)| s < b);
        j < self.sents.len() && self.sents[j].0 == b
    }

    /// English cardinals run over words: "two hundred fifty thousand".
    fn en_cardinal_seq(&self, i: usize) -> Option<(f64, usize)> {
        let t = self.t;
        let first = numerals::en_cardinal(t.low(i))?;
        if t.low(i) == "one" {
            // "one" is a pronoun far more often than a count; only before a scale word.
            return None;
        }
        let (mut total, mut cur, mut last) = (0.0, first, i);
        let mut k = i + 1;
        while k < t.len() && t.same_line(k - 1) && t.is_word(k) {
            let w = t.low(k);
            if w == "hundred" {
                cur *= 100.0;
            } else if let Some(v) = numerals::en_cardinal(w).filter(|_| cur >= 100.0) {
                cur += v;
            } else if w == "and" && cur >= 100.0 && numerals::en_cardinal(t.word(k + 1)).is_some() {
                k += 1;
                continue;
            } else if w == "thousand"
                && t.is_word(k + 1)
                && numerals::en_cardinal(t.word(k + 1)).is_some()
            {
                total += cur * 1000.0;
                cur = 0.0;
            } else {
                break;
            }
            last = k;
            k += 1;
        }
        Some((total + cur, last))
    }

    /// Month word at `i`: "Februar 2022", "June 20, 2024", "June 2024".
    fn month_first(&self, i: usize, m: u32) -> Option<Core> {
        let t = self.t;
        let mut k = i;
        if t.is_punct(k + 1, '.') && !t.toks[k + 1].sp && t.low(i).len() <= 4 {
            k += 1;
        }
        if !t.same_line(k) {
            return None;
        }
        if let Some(y) = self.year_at(k + 1) {
            return Some(Core::date(t, i, k + 1, Some(y), m, None));
        }
        if !self.en || t.kind(k + 1) != Kind::Num {
            return None;
        }
        let d: u32 = t.raw(k + 1).parse().ok()?;
        if !numerals::valid_day(d, m) {
            return None;
        }
        let mut last = k + 1;
        let mut year = None;
        if t.is_punct(last + 1, ',') && t.same_line(last + 1) {
            if let Some(y) = self.year_at(last + 2) {
                year = Some(y);
                last += 2;
            }
        }
        Some(Core::date(t, i, last, year, m, Some(d)))
    }
}

/// YYYYMMDD, YYYYMM or MMDD: the date at the precision it was written.
fn date_value(year: Option<u32>, month: u32, day: Option<u32>) -> f64 {
    let v = match (year, day) {
        (Some(y), Some(d)) => y * 10_000 + month * 100 + d,
        (Some(y), None) => y * 100 + month,
        (None, Some(d)) => month * 100 + d,
        (None, None) => month,
    };
    f64::from(v)
}

/// Nouns that follow ordinals so often that a sentence split before them is the segmenter's
/// mistake ("zum 70. Jahrestag").
fn ordinal_noun(w: &str) -> bool {
    matches!(
        w,
        "jahrestag"
            | "geburtstag"
            | "todestag"
            | "platz"
            | "rang"
            | "stelle"
            | "mal"
            | "jahrhundert"
            | "jahrhunderts"
            | "runde"
            | "klasse"
            | "stock"
            | "etage"
            | "jubiläum"
            | "sitzung"
            | "parteitag"
            | "spieltag"
            | "amendment"
            | "weltkrieg"
            | "minute"
            | "etappe"
            | "woche"
            | "kalenderwoche"
            | "legislaturperiode"
            | "liga"
    )
}

fn determiner(w: &str) -> bool {
    matches!(
        w,
        "der"
            | "die"
            | "das"
            | "den"
            | "dem"
            | "des"
            | "am"
            | "im"
            | "zum"
            | "zur"
            | "vom"
            | "beim"
            | "ein"
            | "eine"
            | "einen"
            | "einem"
            | "einer"
            | "seine"
            | "seinem"
            | "seinen"
            | "ihre"
            | "ihrem"
            | "ihren"
            | "the"
            | "a"
            | "its"
            | "his"
            | "her"
            | "their"
            | "our"
    )
}

/// Capitalised words that open sentences but never follow an ordinal ("2006. Die …").
fn sentence_starter(w: &str) -> bool {
    matches!(
        w,
        "die"
            | "der"
            | "das"
            | "den"
            | "dem"
            | "ein"
            | "eine"
            | "einen"
            | "er"
            | "sie"
            | "es"
            | "wir"
            | "ich"
            | "man"
            | "dies"
            | "diese"
            | "dieser"
            | "damit"
            | "dabei"
            | "doch"
            | "aber"
            | "und"
            | "auch"
            | "so"
            | "als"
            | "wie"
            | "was"
            | "wenn"
            | "in"
            | "im"
            | "am"
            | "an"
            | "auf"
            | "aus"
            | "bei"
            | "mit"
            | "nach"
            | "seit"
            | "von"
            | "vor"
            | "zu"
            | "zum"
            | "zur"
            | "für"
            | "um"
            | "zudem"
            | "danach"
            | "dann"
            | "da"
            | "dort"
            | "hier"
            | "nun"
            | "jetzt"
            | "heute"
            | "bereits"
            | "schon"
            | "noch"
            | "nicht"
            | "kein"
            | "keine"
            | "laut"
            | "trotz"
            | "während"
            | "weil"
            | "obwohl"
            | "denn"
            | "jedoch"
            | "allerdings"
            | "außerdem"
            | "insgesamt"
            | "seitdem"
    )
}
