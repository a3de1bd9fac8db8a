//! Numbers written in words in the languages read through a [`Lexicon`] (French, Spanish,
//! Italian, Dutch): cardinals over several words, scale words, halves and fractions,
//! collective nouns ("une centaine"), vague plurals ("des milliers"), ordinals, and the noun or
//! unit after a number.

use super::super::lexer::Kind;
use super::super::lexicon::{self, Lexicon, Part};
use super::super::numerals::Scale;
use super::super::units::{self, Unit, UnitClass};
use super::{Core, Ctx, Form};

impl Ctx<'_, '_> {
    /// A scale word after a numeral in the article's language ("Millionen", "milliards",
    /// "mln"), and whether it may carry a period.
    pub(super) fn scale_word(&self, w: &str) -> Option<(Scale, bool)> {
        match self.lex {
            Some(lex) => {
                if let Some(e) = lex.scale(w) {
                    return Some((Scale::Pow(e), false));
                }
                lex.scale_abbrev(w).map(|e| (Scale::Pow(e), true))
            }
            None if self.en || self.de => super::numerals::scale_word(w, self.en),
            None => lexicon::any_scale_word(w).map(|e| (Scale::Pow(e), true)),
        }
    }

    /// A month name in the article's language (German and English names in theirs).
    pub(super) fn month(&self, w: &str) -> Option<u32> {
        match self.lex {
            Some(lex) => lex.month(w),
            None if self.en || self.de => super::numerals::month(w),
            None => None,
        }
    }

    /// Token after an article at `i` ("el", "l'", "la"), or `i` when there is none.
    pub(super) fn lex_skip_article(&self, lex: &Lexicon, i: usize) -> usize {
        let t = self.t;
        if !t.is_word(i) || !lex.determiners.contains(&t.low(i)) || !t.same_line(i) {
            return i;
        }
        if matches!(t.kind(i + 1), Kind::Punct('\'' | '’')) && !t.toks[i + 1].space_before {
            return i + 2;
        }
        i + 1
    }

    /// The first token of an article right before `first` ("el 0,9", "l'1,2"), or `first`.
    pub(super) fn lex_article_before(&self, lex: &Lexicon, first: usize) -> usize {
        let t = self.t;
        if first >= 2
            && matches!(t.kind(first - 1), Kind::Punct('\'' | '’'))
            && t.is_word(first - 2)
            && lex.determiners.contains(&t.low(first - 2))
        {
            return first - 2;
        }
        if first >= 1 && t.is_word(first - 1) && lex.determiners.contains(&t.low(first - 1)) {
            return first - 1;
        }
        first
    }

    /// "passé de 8,7 millions à 7,8 millions": a "from" word before the number and a verb of
    /// change before that make "X à Y" a change of two numbers, not a range.
    pub(super) fn lex_change_before(&self, lex: &Lexicon, first: usize, floor: usize) -> bool {
        let t = self.t;
        let from = (first.saturating_sub(3).max(floor)..first)
            .rev()
            .find(|&k| lex.range_from.contains(&t.word(k)));
        let Some(from) = from else {
            return false;
        };
        (from.saturating_sub(6).max(floor)..from).any(|k| {
            let w = t.word(k);
            w.len() >= 3 && lex.change_verbs.iter().any(|v| w.starts_with(v))
        })
    }

    /// A cardinal written in words from token `i`, over as many words as make one number
    /// ("deux cent trente mille", "doscientos cincuenta y tres"); value and last token.
    pub(super) fn lex_cardinal(&self, lex: &Lexicon, i: usize) -> Option<(f64, usize)> {
        let t = self.t;
        let mut parts: Vec<Part> = Vec::new();
        let mut best = None;
        let mut k = i;
        while t.is_word(k) {
            let w = t.low(k);
            if k > i && lex.and_words.contains(&w) && t.same_line(k - 1) {
                // "vingt et un", "treinta y dos": only between tens and units.
                parts.push(Part::And);
                k += 1;
                continue;
            }
            let Some(ps) = lex.parts(w) else { break };
            if k > i && !t.same_line(k - 1) {
                break;
            }
            // Glued languages write one number as one word; a second word joins it only after
            // a scale word or as one ("twee miljoen", "een miljoen tweeduizend").
            let after_scale = matches!(
                parts.iter().rev().find(|p| **p != Part::And),
                Some(Part::Scale(_) | Part::Hundred)
            );
            let is_scale = matches!(ps.as_slice(), [Part::Scale(_)]);
            if lex.glued && k > i && !after_scale && !is_scale {
                break;
            }
            parts.extend(ps);
            match lex.value(&parts) {
                Some(v) => best = Some((v, k)),
                None => break,
            }
            k += 1;
        }
        best
    }

    /// Whether a number word standing alone is a number here: ambiguous words ("sei",
    /// "neuf") only before a unit or scale word or after a determiner or preposition.
    pub(super) fn lex_plausible(&self, lex: &Lexicon, i: usize, last: usize) -> bool {
        let t = self.t;
        let w = t.low(i);
        if i == last && lex.one.contains(&w) {
            return false;
        }
        if !(i == last && lex.ambiguous_numbers.contains(&w)) {
            return true;
        }
        let next = t.word(last + 1);
        let prev = if i > 0 { t.word(i - 1) } else { "" };
        lex.time_units.contains(&next)
            || lex.is_measure(next)
            || lex.currencies.contains(&next)
            || lex.scale(next).is_some()
            || (prev.len() > 1 && lex.determiners.contains(&prev) && t.is_word(last + 1))
    }

    pub(super) fn lex_word_at(&self, lex: &'static Lexicon, i: usize) -> Option<Core> {
        let t = self.t;
        let w = t.low(i);
        let next = if t.same_line(i) { t.word(i + 1) } else { "" };
        if let Some(m) = lex.month(w) {
            return self.lex_month_first(lex, i, m);
        }
        // "pour cent", "por ciento": the second word of a percent phrase is no number.
        if i > 0 {
            let prev = t.word(i - 1);
            let tail = lex.percent.iter().any(|p| {
                p.split_once(' ')
                    .is_some_and(|(a, b)| a == prev && b.split(' ').next() == Some(w))
            });
            if tail {
                return None;
            }
        }
        // "la moitié", "la mitad", "de helft": a half, the article inside.
        if lex.halves.contains(&next) && lex.determiners.contains(&w) {
            return Some(Core::new(t, i, i + 1, 0.5, Form::Card));
        }
        // "des milliers", "plusieurs centaines", "des dizaines de milliers"
        if lex.vague_determiners.contains(&w) {
            if let Some(mut c) = self.lex_vague(lex, i + 1) {
                if t.same_line(i) {
                    c.first = i;
                    c.byte_start = t.toks[i].byte_start;
                    return Some(c);
                }
            }
            if lex.vague_determiners.contains(&w) && !lex.one.contains(&w) && !t.is_word(i + 1) {
                return None;
            }
        }
        if let Some(c) = self.lex_vague(lex, i) {
            return Some(c);
        }
        // "un millier", "une centaine", "deux centaines", "una decina"
        if let Some(c) = self.lex_collective(lex, i) {
            return Some(c);
        }
        // "mezzo milione", "media docena", "demi-douzaine": a half of a scale or collective.
        if lex.denominators.iter().any(|&(d, v)| d == w && v == 2.0)
            || w.split_once('-')
                .is_some_and(|(h, _)| lex.denominators.iter().any(|&(d, v)| d == h && v == 2.0))
        {
            if let Some(c) = self.lex_fraction(lex, i, 1.0).filter(|c| c.v >= 6.0) {
                return Some(c);
            }
        }
        // "un tiers", "un quart", "un demi-million", "un million"
        if lex.one.contains(&w) && t.same_line(i) {
            if let Some(mut c) = self.lex_fraction(lex, i + 1, 1.0) {
                c.first = i;
                c.byte_start = t.toks[i].byte_start;
                return Some(c);
            }
            // "un vingt-cinquième", "un vingt et unième": one part of that many.
            if t.is_word(i + 1) && !lex.one.contains(&t.word(i + 1)) {
                if let Some(o) = self.lex_word_at(lex, i + 1) {
                    if matches!(o.form, Form::Ord { .. }) && o.v >= 3.0 && o.last > i + 1 {
                        return Some(Core::new(t, i, o.last, 1.0 / o.v, Form::Card));
                    }
                }
            }
        }
        if let Some(c) = self.lex_ordinal(lex, i) {
            return Some(c);
        }
        if let Some((head, tail)) = w.rsplit_once('-') {
            // "trois-tonnes", "dos-horas": a number and its unit in one word.
            let unit_class = if lex.is_measure(tail) {
                Some(UnitClass::Measure)
            } else if lex.time_units.contains(&tail) {
                Some(UnitClass::Time)
            } else {
                None
            };
            if let Some(class) = unit_class {
                if let Some(n) = lex.parts(head).and_then(|p| lex.value(&p)) {
                    let mut c = Core::new(t, i, i, n, Form::Card);
                    let tok = &t.toks[i];
                    let dash = t.raw(i).rfind('-').unwrap_or(0);
                    c.unit = Some((tok.byte_start + dash + 1, tok.byte_end, class));
                    return Some(c);
                }
            }
            if let Some(d) = lex.ordinal_denominator(tail) {
                let n = if lex.one.contains(&head) {
                    Some(1.0)
                } else {
                    lex.parts(head).and_then(|p| lex.value(&p))
                };
                if let Some(n) = n.filter(|n| *n < d) {
                    return Some(Core::new(t, i, i, n / d, Form::Card));
                }
            }
        }
        if let Some(v) = lex.glued_fraction(w) {
            let mut c = Core::new(t, i, i, v, Form::Card);
            if let Some((s, ab)) = self.scale_word(next) {
                c.v = s.apply(v);
                c.scale = Some(s);
                c.extend_to(t, i + 1);
                self.take_abbrev_period(&mut c, ab);
            }
            return Some(c);
        }
        let (v, last) = self.lex_cardinal(lex, i)?;
        if !self.lex_plausible(lex, i, last) && lex.one.contains(&w) {
            // "un sur trois", "uno con un medio": the article is the number one here.
            let mut c = Core::new(t, i, last, v, Form::Card);
            let negative_before = i > 0
                && matches!(
                    t.word(i - 1),
                    "négatif" | "négative" | "negativo" | "negativa" | "negatief" | "min"
                );
            if negative_before {
                return Some(c);
            }
            self.lex_mixed_fraction(lex, &mut c);
            if c.last == last {
                self.lex_half_after(lex, &mut c);
            }
            if c.last == last {
                self.lex_share(lex, &mut c);
            }
            if c.last > last {
                return Some(c);
            }
        }
        // "tre quarti", "sei decimi": a fraction makes an ambiguous word a number.
        if !self.lex_plausible(lex, i, last) && lex.ordinal_denominator(t.word(last + 1)).is_some()
        {
            if let Some(f) = self
                .lex_fraction_after(lex, i, last, v)
                .filter(|f| f.v < 1.0)
            {
                return Some(f);
            }
        }
        if !self.lex_plausible(lex, i, last) {
            // "un" alone is an article; before a measure or percent word it counts one.
            let measure_after = lex.one.contains(&w)
                && (lex.currencies.contains(&next)
                    || lex.is_measure(next)
                    || self.lex_percent_len(lex, i + 1) > 0);
            if !measure_after || lex.ambiguous_numbers.contains(&w) {
                return None;
            }
        }
        let mut c = Core::new(t, i, last, v, Form::Card);
        if t.same_line(last) {
            if let Some(f) = self.lex_fraction_after(lex, i, last, v) {
                return Some(self.lex_of_scale(lex, f));
            }
            // "vingt et unième": the ordinal "unième" exists only after "et".
            if lex.and_words.contains(&t.word(last + 1))
                && t.same_line(last + 1)
                && matches!(t.word(last + 2), "unième" | "unieme")
            {
                return Some(Core::new(
                    t,
                    i,
                    last + 2,
                    v + 1.0,
                    Form::Ord { rank: false },
                ));
            }
        }
        self.lex_spoken_decimal(lex, &mut c);
        self.lex_half_after(lex, &mut c);
        self.lex_mixed_fraction(lex, &mut c);
        Some(c)
    }

    pub(super) fn lex_ordinal(&self, lex: &Lexicon, i: usize) -> Option<Core> {
        let t = self.t;
        let w = t.low(i);
        let v = (lex.ordinal)(w)?;
        let needs_det = lex.ordinal_needs_determiner.contains(&w);
        let det_before = i > 0 && lex.determiners.contains(&t.word(i - 1));
        if needs_det && !det_before {
            return None;
        }
        // Capitalised mid-sentence: a name ("Primo", "Segunda Guerra" starts a sentence).
        if t.capitalized(i) && !self.at_sentence_start(i) && !det_before {
            return None;
        }
        let mut c = Core::new(t, i, i, v, Form::Ord { rank: false });
        // "vigésimo quinto", "décimo octavo": a tens ordinal and a units ordinal.
        if t.same_line(i) && v >= 10.0 && v % 10.0 == 0.0 {
            if let Some(u) = (lex.ordinal)(t.word(i + 1)).filter(|u| *u < 10.0) {
                c.v += u;
                c.extend_to(t, i + 1);
            }
        }
        let i = c.last;
        let next = t.word(i + 1);
        let rank = lex.rank_after.contains(&next)
            || (i + 2 < t.len()
                && lex.rank_after.contains(&t.word(i + 2))
                && !t.word(i + 1).is_empty());
        c.form = Form::Ord { rank };
        Some(c)
    }

    /// "junio de 2024", "maart 2024": a month and a year.
    pub(super) fn lex_month_first(&self, lex: &Lexicon, i: usize, m: u32) -> Option<Core> {
        let t = self.t;
        if !t.same_line(i) {
            return None;
        }
        let k = if lex.of_words.contains(&t.word(i + 1)) || t.word(i + 1) == "de" {
            i + 1
        } else {
            i
        };
        let y = self.year_at(k + 1)?;
        Some(Core::date(t, i, k + 1, Some(y), m, None))
    }

    /// Digits with an ordinal suffix: "1er", "2e", "3º", "106de", "1°".
    pub(super) fn lex_ordinal_digits(
        &self,
        lex: &Lexicon,
        i: usize,
        v: f64,
        rest: &str,
    ) -> Option<Core> {
        if !lex.ordinal_suffixes.contains(&rest) || v.fract() != 0.0 {
            return None;
        }
        let t = self.t;
        // "1er janvier", "1° maggio": a date.
        if (1.0..=31.0).contains(&v) && t.same_line(i) {
            if let Some(m) = lex.month(t.word(i + 1)) {
                return Some(self.day_month(i, i + 1, v as u32, m));
            }
        }
        Some(Core::new(t, i, i, v, Form::Ord { rank: false }))
    }

    /// Length in tokens of a percent phrase at `j` ("pour cent", "por ciento", "procent").
    pub(super) fn lex_percent_len(&self, lex: &Lexicon, j: usize) -> usize {
        let t = self.t;
        lex.percent
            .iter()
            .filter_map(|p| {
                let words: Vec<&str> = p.split(' ').collect();
                let ok = words.iter().enumerate().all(|(n, w)| {
                    let k = j + n;
                    (n == 0 || t.same_line(k - 1)) && t.word(k) == *w
                });
                ok.then_some(words.len())
            })
            .max()
            .unwrap_or(0)
    }

    /// What the number ending at `last` counts or measures. `scaled`: after a scale word,
    /// vague plural or collective noun, where the noun comes after "de"/"di"/"van"
    /// ("3 millions d'obus", "migliaia di persone").
    pub(super) fn lex_unit_after(&self, lex: &Lexicon, last: usize, scaled: bool) -> Option<Unit> {
        let t = self.t;
        if !t.same_line(last) {
            return None;
        }
        let mut j = last + 1;
        if let Some(u) = units::sign_after(t, last) {
            return Some(u);
        }
        let pct = self.lex_percent_len(lex, j);
        if pct > 0 {
            return Some(unit(t, j, j + pct - 1, UnitClass::Percent));
        }
        if scaled || self.lex_of_currency(lex, j) {
            // "de", "d'", "di", "van" before the noun
            if lex.of_words.contains(&t.word(j)) && t.same_line(j) {
                j += 1;
                if matches!(t.kind(j), Kind::Punct('\'' | '’')) && t.same_line(j) {
                    j += 1;
                }
                if let Some(u) = units::sign_after(t, j - 1) {
                    return Some(u);
                }
            }
        }
        if !t.is_word(j) && t.kind(j) != Kind::Mixed {
            return None;
        }
        let w = t.low(j);
        let raw = t.raw(j);
        if lex.currencies.contains(&w) || crate::currency::is_iso_code(raw) {
            return Some(unit(t, j, j, UnitClass::Money));
        }
        if lex.time_units.contains(&w) {
            return Some(unit(t, j, j, UnitClass::Time));
        }
        if lex.is_measure(w) || units::measure_abbrev(w) {
            // "km/h", "metri cubi", "mètres carrés": the unit's own tail.
            return Some(unit(t, j, j, UnitClass::Measure));
        }
        if lex.stop.contains(&w) || w.chars().count() < 2 || lex.scale(w).is_some() {
            return None;
        }
        if t.capitalized(j) && !lex.glued {
            // Capitalised after a number in French, Spanish, Italian: a name, not a noun.
            return None;
        }
        // Dutch adjectives come before the noun: "10.000 nieuwe woningen".
        if lex.glued
            && w.ends_with('e')
            && t.same_line(j)
            && t.is_word(j + 1)
            && !lex.stop.contains(&t.word(j + 1))
            && !lex.inner_and.is_empty()
        {
            j += 1;
        }
        Some(unit(t, j, j, UnitClass::Thing))
    }

    /// "de dollars", "d'euros": a currency after "de" even without a scale word.
    pub(super) fn lex_of_currency(&self, lex: &Lexicon, j: usize) -> bool {
        let t = self.t;
        if !lex.of_words.contains(&t.word(j)) {
            return false;
        }
        let k = if matches!(t.kind(j + 1), Kind::Punct('\'' | '’')) {
            j + 2
        } else {
            j + 1
        };
        lex.currencies.contains(&t.word(k))
    }
}

pub(super) fn unit(t: &super::super::lexer::Tokens, a: usize, b: usize, class: UnitClass) -> Unit {
    Unit {
        byte_start: t.toks[a].byte_start,
        byte_end: t.toks[b].byte_end,
        class,
        rate: false,
    }
}
