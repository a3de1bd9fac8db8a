//! Numbers written in digits: thousands groups and decimals, clock and video times, ordinal
//! periods, scale words and denominators after them, and digits glued to words (footnotes,
//! codes).

use super::super::lexer::Kind;
use super::super::month_days::valid_day;
use super::super::numerals::{self, Digits};
use super::super::units::{self, UnitClass};
use super::{date_value, Core, Ctx, Form};

impl Ctx<'_, '_> {
    /// Digits glued to a word on their left through punctuation: footnote markers ("gab,9",
    /// "heraus.10") and codes ("S/PV.9048").
    pub(super) fn glued_junk(&self, i: usize) -> bool {
        let t = self.t;
        if t.toks[i].space_before || i == 0 {
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
                    && !t.toks[p].space_before
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
                    && !t.toks[p].space_before
                    && t.kind(p - 1) == Kind::Num
                    && t.raw(p - 1).len() >= 3
                    && t.raw(p - 1).starts_with('0')
            }
            _ => false,
        };
        glued_to_word || self.slashed(p)
    }

    /// "2024/25", "24/7": numbers joined by a slash are seasons and ratios, not counts.
    pub(super) fn slashed(&self, slash: usize) -> bool {
        let t = self.t;
        t.is_punct(slash, '/')
            && slash > 0
            && slash + 1 < t.len()
            && !t.toks[slash].space_before
            && !t.toks[slash + 1].space_before
            && matches!(t.kind(slash - 1), Kind::Num | Kind::Mixed)
            && matches!(t.kind(slash + 1), Kind::Num | Kind::Mixed)
    }

    pub(super) fn num_at(&self, i: usize) -> Option<Core> {
        let t = self.t;
        let digits = numerals::parse_digits(t.raw(i), self.group)?;
        let is_date = matches!(digits, Digits::Date { .. } | Digits::DayMonth { .. });
        if !self.glued_junk(i) {
            if let Some(f) = self.slash_fraction(i) {
                let mut c = Core::new(t, i, i + 2, f, Form::Card);
                self.apply_sign(&mut c, i);
                return Some(c);
            }
        }
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
                if t.is_punct(i + 1, '.') && !t.toks[i + 1].space_before {
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
                // "17:32 min", "2:15 Stunden": a length in the unit named, so the value is in
                // that unit too (17.53 minutes, 2.25 hours).
                if matches!(next, "min" | "minuten" | "minutes")
                    || (b < 60 && matches!(next, "std" | "stunden" | "hours"))
                {
                    let v = f64::from(a) + f64::from(b) / 60.0;
                    Some(Core::new(t, i, i, v, Form::Media))
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

    /// What follows a plain number: an ordinal period, a month, a scale word, a denominator.
    pub(super) fn number_tail(&self, i: usize, v: f64, plain: bool, len: usize) -> Option<Core> {
        let t = self.t;
        // "rund 18, 5 Millionen", "plus 2, 4 %": a decimal comma split by a space in extracted
        // text, joined only when a scale, percent or currency word follows (a list "18, 5
        // Millionen" would be read as one number: rare beside such a word).
        if plain
            && (self.de || self.lex.is_some())
            && v.fract() == 0.0
            && len <= 3
            && t.is_punct(i + 1, ',')
            && !t.toks[i + 1].space_before
            && i + 2 < t.len()
            && t.toks[i + 2].space_before
            && !t.toks[i + 2].line_break_before
            && t.kind(i + 2) == Kind::Num
            && t.raw(i + 2).len() <= 2
            && t.raw(i + 2).bytes().all(|b| b.is_ascii_digit())
            && t.same_line(i + 2)
        {
            let w = t.word(i + 3);
            let unit_follows = t.is_punct(i + 3, '%')
                || self.scale_word(w.trim_end_matches('.')).is_some()
                || units::is_measure_word(w);
            if unit_follows {
                if let Ok(joined) = format!("{v}.{}", t.raw(i + 2)).parse::<f64>() {
                    let mut c = self.number_tail(i + 2, joined, false, len)?;
                    c.first = i;
                    c.byte_start = t.toks[i].byte_start;
                    return Some(c);
                }
            }
        }
        let mut c = Core::new(t, i, i, v, Form::Card);
        let day = plain && (1.0..=31.0).contains(&v);
        // "19. Juni 2024", "70. Jahrestag", "10. bis"
        if plain && t.is_punct(i + 1, '.') && !t.toks[i + 1].space_before && t.same_line(i + 1) {
            let k = i + 2;
            if let Some(m) = self.month(t.word(k)).filter(|_| day) {
                return Some(self.day_month(i, k, v as u32, m));
            }
            // "24./25. Juni": two days of one month.
            if day && t.is_punct(k, '/') && t.kind(k + 1) == Kind::Num && t.is_punct(k + 2, '.') {
                if let (Ok(d2), Some(m)) = (t.raw(k + 1).parse::<u32>(), self.month(t.word(k + 3)))
                {
                    if valid_day(d2, m) && f64::from(d2) > v {
                        let mut c = self.day_month(k + 1, k + 3, d2, m);
                        if let Form::Date { year, .. } = c.form {
                            c.high = Some(c.v);
                            c.v = date_value(year, m, Some(v as u32));
                        }
                        c.first = i;
                        c.byte_start = t.toks[i].byte_start;
                        return Some(c);
                    }
                }
            }
            // "1. Die Regierung plant …": a numbered list, not a number.
            if len <= 2 && (i == 0 || t.toks[i].line_break_before) {
                return None;
            }
            let ends = self.period_ends_sentence(i + 1, k) && !ordinal_noun(t.word(k));
            if len <= 3 && self.de && t.is_word(k) && !ends {
                let rank = matches!(t.word(k), "platz" | "rang" | "stelle");
                let mut c = Core::new(t, i, i + 1, v, Form::Ord { rank });
                c.byte_end = t.toks[i + 1].byte_end;
                return Some(c);
            }
            // "bis" after a day, and enumerations "in der 12., 45. und 78. Minute".
            let listed = (t.is_punct(k, ',') || matches!(t.word(k), "und" | "oder"))
                && k + 1 < t.len()
                && t.kind(k + 1) == Kind::Num
                && t.is_punct(k + 2, '.');
            if len <= 3 && self.de && (t.word(k) == "bis" || listed) {
                return Some(Core::new(t, i, i + 1, v, Form::Ord { rank: false }));
            }
        }
        // Leading zeros mark phone numbers, codes and postcodes ("0800", "030").
        let zero_led =
            |k: usize| t.kind(k) == Kind::Num && t.raw(k).len() >= 3 && t.raw(k).starts_with('0');
        if plain && (zero_led(i) || (i > 0 && !t.toks[i].line_break_before && zero_led(i - 1))) {
            return None;
        }
        if plain
            && self
                .lex
                .is_some_and(|l| l.months.first() == Some(&("janvier", 1)))
        {
            if let Some(c) = self.lex_clock(i, v, false) {
                return Some(c);
            }
        }
        if t.same_line(i) {
            let w = t.word(i + 1);
            if plain && w == "uhr" && v < 24.0 {
                return Some(Core::new(t, i, i + 1, v * 100.0, Form::Clock));
            }
            // "20 June 2024", "19 juin 2024"
            if let Some(m) = self.month(w).filter(|_| day && t.toks[i + 1].space_before) {
                if w.len() > 3 || self.lex.is_some() {
                    return Some(self.day_month(i, i + 1, v as u32, m));
                }
            }
            // "19 de junio de 2024"
            if let Some(lex) = self.lex {
                if day && w == "de" && t.same_line(i + 1) {
                    if let Some(m) = lex.month(t.word(i + 2)) {
                        let mut c = self.day_month(i, i + 2, v as u32, m);
                        if let super::Form::Date { year: None, .. } = c.form {
                            if t.word(c.last + 1) == "de" && t.same_line(c.last + 1) {
                                if let Some(y) = self.year_at(c.last + 2) {
                                    c = super::Core::date(
                                        t,
                                        i,
                                        c.last + 2,
                                        Some(y),
                                        m,
                                        Some(v as u32),
                                    );
                                }
                            }
                        }
                        return Some(c);
                    }
                }
            }
            if let Some((s, abbrev)) = self.scale_word(w) {
                c.v = s.apply(v);
                c.scale = Some(s);
                c.extend_to(t, i + 1);
                self.take_abbrev_period(&mut c, abbrev);
                self.apply_sign(&mut c, i);
                if self.lex.is_some() {
                    // "2 mil millones", "1,5 milliard" after "mille"
                    self.chain_scale(&mut c);
                    if let Some(lex) = self.lex {
                        self.lex_half_after(lex, &mut c);
                    }
                }
                return Some(c);
            }
            // A language without rules: a word like a scale word the tables do not know
            // leaves the size unknown, so the number is left out.
            if !self.en
                && !self.de
                && self.lex.is_none()
                && super::super::lexicon::unknown_scale_like(w)
            {
                return None;
            }
            if let Some(d) = numerals::denominator(w).filter(|&d| d > 2.0) {
                c.v = v / d;
                c.extend_to(t, i + 1);
                return Some(c);
            }
        }
        // "10 1/2 miles": a whole number and a fraction.
        if plain && t.kind(i + 1) == Kind::Num && t.toks[i + 1].space_before && t.same_line(i) {
            if let Some(f) = self.slash_fraction(i + 1) {
                c.v = v + f;
                c.extend_to(t, i + 3);
                return Some(c);
            }
        }
        self.apply_sign(&mut c, i);
        c.year_like = plain && len == 4 && (1500.0..=2100.0).contains(&v);
        Some(c)
    }

    /// "minus 5", Dutch "min 5", "-5 Grad" (a dash glued to the number, spaced before): the
    /// number at token `i` is negative. French "moins", Spanish "menos" are bounds far more
    /// often ("au moins", "menos de"), so they do not count.
    pub(super) fn apply_sign(&self, c: &mut Core, i: usize) {
        let t = self.t;
        let minus_word =
            i > 0 && (t.word(i - 1) == "minus" || (self.lex.is_some() && t.word(i - 1) == "min"));
        if minus_word {
            c.v = -c.v;
            c.first = i - 1;
            c.byte_start = t.toks[i - 1].byte_start;
        }
        if i > 0 && matches!(t.kind(i - 1), Kind::Punct('-' | '−')) && !t.toks[i].space_before {
            let p = i - 1;
            if t.toks[p].space_before && (p == 0 || t.kind(p - 1) != Kind::Num) {
                c.v = -c.v;
                c.first = p;
                c.byte_start = t.toks[p].byte_start;
            }
        }
    }

    /// "3/4", "1/2": a fraction of small whole numbers written with a slash (not a date
    /// "17/5/2018", a season "2024/25" or "24/7").
    pub(super) fn slash_fraction(&self, i: usize) -> Option<f64> {
        let t = self.t;
        let small = |k: usize| {
            let r = t.raw(k);
            (t.kind(k) == Kind::Num && r.len() <= 2 && r.bytes().all(|b| b.is_ascii_digit()))
                .then(|| r.parse::<f64>().ok())
                .flatten()
        };
        let glued = |k: usize| k < t.len() && !t.toks[k].space_before;
        if !(t.is_punct(i + 1, '/') && glued(i + 1) && glued(i + 2)) {
            return None;
        }
        if (i > 0 && t.is_punct(i - 1, '/') && glued(i)) || (t.is_punct(i + 3, '/') && glued(i + 3))
        {
            return None;
        }
        let (a, b) = (small(i)?, small(i + 2)?);
        (a >= 1.0 && a < b && b <= 16.0).then_some(a / b)
    }

    /// Whether the period at `dot` ends a sentence rather than marking an ordinal.
    pub(super) fn period_ends_sentence(&self, dot: usize, next: usize) -> bool {
        let t = self.t;
        let (de, ns) = (t.toks[dot].byte_end, t.toks[next].byte_start);
        let j = self.sents.partition_point(|&(_, e)| e < de);
        if j < self.sents.len() && self.sents[j].1 <= ns && self.sents[j].1 >= de {
            return true;
        }
        if self.sentence_starts_at(ns) {
            return true;
        }
        t.capitalized(next) && sentence_starter(t.low(next))
    }

    pub(super) fn take_abbrev_period(&self, c: &mut Core, abbrev: bool) {
        let t = self.t;
        if abbrev && t.is_punct(c.last + 1, '.') && !t.toks[c.last + 1].space_before {
            c.extend_to(t, c.last + 1);
        }
    }

    pub(super) fn mixed_at(&self, i: usize) -> Option<Core> {
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
        let s = t.toks[i].byte_start;
        // "1980s"
        if self.en && rest_low == "s" && num.len() == 4 && num.ends_with('0') {
            let v: f64 = num.parse().ok()?;
            let mut c = Core::new(t, i, i, v, Form::Decade);
            c.high = Some(v + 9.0);
            return Some(c);
        }
        // "1980er", "80er-Jahre", "1990erund" (a typo that still names a decade)
        // "1er janvier", "20h30": French ordinals and clock times, not decades.
        if let Some(lex) = self.lex {
            if lex.months.first() == Some(&("janvier", 1))
                && (rest_low == "h" || rest_low.starts_with('h'))
                && num.bytes().all(|b| b.is_ascii_digit())
            {
                let v: f64 = num.parse().ok()?;
                let mins = &rest_low[1..];
                let mut c = self.lex_clock(i, v, true)?;
                if let Ok(m) = mins.parse::<u32>() {
                    if m < 60 && mins.len() == 2 {
                        c.v += f64::from(m);
                    } else {
                        return None;
                    }
                } else if !mins.is_empty() {
                    return None;
                }
                return Some(c);
            }
        }
        let decade_tail = self.lex.is_none()
            && matches!(rest_low, "er" | "ern" | "erund" | "eroder")
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
            c.byte_end = s + dlen + 2;
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
        let v = match numerals::parse_digits(num, self.group)? {
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
            c.byte_end = s + dlen;
            c.unit = Some((s + dlen + 1, t.toks[i].byte_end, class));
            return Some(c);
        }
        if self.en && matches!(rest_low, "st" | "nd" | "rd" | "th") {
            return Some(Core::new(t, i, i, v, Form::Ord { rank: false }));
        }
        if let Some(lex) = self.lex {
            if let Some(c) = self.lex_ordinal_digits(lex, i, v, rest_low) {
                return Some(c);
            }
        }
        let glued_scale = matches!(rest_low, "mio" | "mrd" | "bn" | "mn" | "tsd")
            || (self.lex.is_some() && self.scale_word(rest_low).is_some());
        if let Some((sc, _)) = self.scale_word(rest_low).filter(|_| glued_scale) {
            let mut c = Core::new(t, i, i, sc.apply(v), Form::Card);
            c.scale = Some(sc);
            return Some(c);
        }
        if units::measure_abbrev(rest_low) || matches!(rest_low, "h" | "min" | "s" | "kmh") {
            let mut c = Core::new(t, i, i, v, Form::Card);
            c.byte_end = s + dlen;
            let class = if matches!(rest_low, "h" | "min" | "s") {
                UnitClass::Time
            } else {
                UnitClass::Measure
            };
            c.unit = Some((s + dlen, t.toks[i].byte_end, class));
            return Some(c);
        }
        None
    }
}

/// Nouns that follow ordinals so often that a sentence split before them is the segmenter's
/// mistake ("zum 70. Jahrestag").
pub(super) fn ordinal_noun(w: &str) -> bool {
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

/// Capitalised words that open sentences but never follow an ordinal ("2006. Die …").
pub(super) fn sentence_starter(w: &str) -> bool {
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
