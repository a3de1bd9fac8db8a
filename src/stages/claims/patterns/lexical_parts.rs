//! Parts and groups of numbers in words in the languages read through a [`Lexicon`]:
//! fractions ("trois cinquièmes", "cinq et un quart"), halves ("et demi"), shares ("1 sur 3"),
//! vague plurals ("des milliers"), collective nouns ("une centaine") and fractions of a
//! scale word ("deux tiers de million").

use super::super::lexer::Kind;
use super::super::lexicon::{Lexicon, Part};
use super::super::numerals::Scale;
use super::{Core, Ctx, Form};

impl Ctx<'_, '_> {
    /// A cardinal at `i..=last` with an ordinal after it: a fraction ("trois cinquièmes",
    /// "tre quarti", "drie vijfde", "cinco octavos") or, singular and composing with the
    /// cardinal, a longer ordinal ("cent vingt-cinquième").
    pub(super) fn lex_fraction_after(
        &self,
        lex: &Lexicon,
        i: usize,
        last: usize,
        v: f64,
    ) -> Option<Core> {
        let t = self.t;
        let k = last + 1;
        let w = t.word(k);
        let d = lex.ordinal_denominator(w)?;
        // "zes miljoen en twee derde", "honderd en dertig vijfde": a whole number, "en", and
        // the fraction (of the scale word before "en").
        let round_before = |a: usize| {
            let w = t.word(a - 1);
            lex.scale(w).is_some() || lex.hundreds.contains(&w)
        };
        if let Some(a) =
            (i + 1..last).find(|&a| lex.and_words.contains(&t.word(a)) && round_before(a))
        {
            let read = |from: usize, to: usize| -> Option<f64> {
                let mut parts = Vec::new();
                for j in from..=to {
                    parts.extend(lex.parts(t.low(j))?);
                }
                lex.value(&parts)
            };
            if let (Some(whole), Some(num)) = (read(i, a - 1), read(a + 1, last)) {
                let unit = lex.scale(t.word(a - 1)).map_or(1.0, |e| 10f64.powi(e));
                return Some(Core::new(t, i, k, whole + num / d * unit, Form::Card));
            }
        }
        // "trois quarts d'heure" is a duration, still three quarters.
        // Glued languages write a long ordinal as one word: across words it is a fraction.
        if !lex.plural(w) && v > 1.0 && !lex.glued {
            let mut parts = Vec::new();
            for j in i..=last {
                parts.extend(lex.parts(t.low(j))?);
            }
            if let Some(whole) = (lex.ordinal)(w) {
                let mut with = parts.clone();
                with.push(if whole == 100.0 {
                    Part::Hundred
                } else if whole >= 1000.0 && whole.log10().fract() == 0.0 {
                    Part::Scale(whole.log10() as i32)
                } else {
                    Part::Number(whole as u64)
                });
                if let Some(o) = lex.value(&with).filter(|_| whole < 1e6) {
                    return Some(Core::new(t, i, k, o, Form::Ord { rank: false }));
                }
            }
        }
        Some(Core::new(t, i, k, v / d, Form::Card))
    }

    /// "cinq et un quart", "due e tre quarti", "cinco con un cuarto", "drie en een kwart",
    /// "cinque miliardi e tre quarti": a whole number and a fraction of its unit.
    pub(super) fn lex_mixed_fraction(&self, lex: &Lexicon, c: &mut Core) {
        let t = self.t;
        let k = c.last + 1;
        if !t.same_line(c.last) || !t.same_line(k) {
            return;
        }
        // Dutch "honderd driekwart", "drie een vijfde": the fraction follows without "en".
        let j = if lex.fraction_and.contains(&t.word(k)) {
            k + 1
        } else if lex.glued && !lex.inner_and.is_empty() {
            k
        } else {
            return;
        };
        let frac = if let Some(f) = lex.glued_fraction(t.word(j)).filter(|f| *f < 1.0) {
            Some((f, j))
        } else if lex.one.contains(&t.word(j)) {
            self.lex_denominator_core(lex, j + 1, 1.0)
                .map(|f| (f, j + 1))
        } else {
            self.lex_cardinal(lex, j).and_then(|(n, last)| {
                let d = lex.ordinal_denominator(t.word(last + 1))?;
                (n < d).then(|| (n / d, last + 1))
            })
        };
        if let Some((f, last)) = frac {
            let unit = match c.scale {
                Some(s) => s.base(),
                None => lex.scale(t.word(c.last)).map_or(1.0, |e| 10f64.powi(e)),
            };
            c.v += f * unit;
            c.extend_to(t, last);
        }
    }

    pub(super) fn lex_denominator_core(&self, lex: &Lexicon, k: usize, count: f64) -> Option<f64> {
        let d = lex.ordinal_denominator(self.t.word(k))?;
        Some(count / d)
    }

    /// "1 sur 3", "uno su tre", "één op de vijf", "uno de cada tres": one in N, as a share.
    pub(super) fn lex_share(&self, lex: &Lexicon, c: &mut Core) {
        let t = self.t;
        if c.form != Form::Card || c.scale.is_some() || c.high.is_some() || !t.same_line(c.last) {
            return;
        }
        for phrase in lex.shares {
            let words: Vec<&str> = phrase.split(' ').collect();
            let ok = words.iter().enumerate().all(|(n, w)| {
                let k = c.last + 1 + n;
                t.same_line(k - 1) && t.word(k) == *w
            });
            if !ok {
                continue;
            }
            let k = c.last + 1 + words.len();
            if !t.same_line(k - 1) {
                return;
            }
            let of = match t.kind(k) {
                Kind::Num => self.num_at(k),
                Kind::Word => self
                    .lex_cardinal(lex, k)
                    .map(|(v, last)| Core::new(t, k, last, v, Form::Card)),
                _ => None,
            };
            if let Some(of) = of.filter(|o| o.form == Form::Card && o.v > c.v && o.v >= 2.0) {
                c.v /= of.v;
                c.share = true;
                c.extend_to(t, of.last);
            }
            return;
        }
    }

    /// "et demi", "y medio", "e mezzo", "en een half" after a number: plus one half, and
    /// then a scale word may follow ("trois millions et demi" is already scaled).
    pub(super) fn lex_half_after(&self, lex: &Lexicon, c: &mut Core) {
        let t = self.t;
        for words in lex.and_half {
            let matched = words.iter().enumerate().all(|(n, w)| {
                let k = c.last + 1 + n;
                t.same_line(k - 1) && t.word(k) == *w
            });
            if matched {
                let unit = match c.scale {
                    Some(s) => s.base(),
                    None => 1.0,
                };
                c.v += 0.5 * unit;
                c.extend_to(t, c.last + words.len());
                if c.scale.is_none() {
                    if let Some((s, ab)) = self.scale_word(t.word(c.last + 1)) {
                        if t.same_line(c.last) {
                            c.v = s.apply(c.v);
                            c.scale = Some(s);
                            c.extend_to(t, c.last + 1);
                            self.take_abbrev_period(c, ab);
                        }
                    }
                }
                return;
            }
        }
    }

    pub(super) fn lex_denominator(&self, lex: &Lexicon, k: usize) -> Option<f64> {
        let w = self.t.word(k);
        lex.denominators
            .iter()
            .find(|(d, _)| *d == w)
            .map(|&(_, v)| v)
    }

    /// After "un"/"une"/"een" at `k`: a denominator ("un tiers"), "demi-million", or a scale
    /// word ("un million").
    pub(super) fn lex_fraction(&self, lex: &Lexicon, k: usize, count: f64) -> Option<Core> {
        let t = self.t;
        let w = t.word(k);
        // "demi-million", "mezzo milione"
        if let Some((half, scale)) = w.split_once('-') {
            if self.lex_denominator(lex, k).is_none()
                && lex
                    .denominators
                    .iter()
                    .any(|(d, v)| *d == half && *v == 2.0)
            {
                if let Some(e) = lex.scale(scale) {
                    let mut c = Core::new(t, k, k, 0.5 * 10f64.powi(e), Form::Card);
                    c.scale = Some(Scale::Pow(e));
                    return Some(c);
                }
                if let Some(&(_, n)) = lex.collectives.iter().find(|(c, _)| *c == scale) {
                    return Some(Core::new(t, k, k, 0.5 * n, Form::Card));
                }
            }
        }
        if let Some(d) = self
            .lex_denominator(lex, k)
            .or_else(|| lex.ordinal_denominator(w))
        {
            let mut c = Core::new(t, k, k, count / d, Form::Card);
            if d > 2.0 {
                c = self.lex_of_scale(lex, c);
                if c.last > k {
                    return Some(c);
                }
            }
            if let Some(&(_, n)) = lex.collectives.iter().find(|(n, _)| *n == t.word(k + 1)) {
                if t.same_line(k) {
                    c.v = n * count / d;
                    c.extend_to(t, k + 1);
                    return Some(c);
                }
            }
            if d == 2.0 && t.same_line(k) {
                if let Some(e) = lex.scale(t.word(k + 1)) {
                    c.v = 0.5 * 10f64.powi(e);
                    c.scale = Some(Scale::Pow(e));
                    c.extend_to(t, k + 1);
                }
            }
            return Some(c);
        }
        let e = lex.scale(w)?;
        let mut c = Core::new(t, k, k, count * 10f64.powi(e), Form::Card);
        c.scale = Some(Scale::Pow(e));
        self.lex_half_after(lex, &mut c);
        Some(c)
    }

    /// "milliers", "des dizaines de milliers", "miles de millones": at the base magnitude.
    pub(super) fn lex_vague(&self, lex: &Lexicon, i: usize) -> Option<Core> {
        let t = self.t;
        let w = t.word(i);
        let &(_, base) = lex.vague.iter().find(|(v, _)| *v == w)?;
        let mut c = Core::new(t, i, i, base, Form::Vague);
        // "dizaines de milliers", "decine di migliaia", "miles de millones"
        let of = t.word(i + 1);
        if lex.of_words.contains(&of) && t.same_line(i) && t.same_line(i + 1) {
            if let Some(&(_, b2)) = lex.vague.iter().find(|(v, _)| *v == t.word(i + 2)) {
                if b2 > base {
                    c.v = base * b2;
                    c.extend_to(t, i + 2);
                }
            }
        }
        Some(c)
    }

    /// "une centaine", "deux centaines", "una ventina", "un millier": approximate counts.
    pub(super) fn lex_collective(&self, lex: &Lexicon, i: usize) -> Option<Core> {
        let t = self.t;
        let noun = |k: usize| {
            let w = t.word(k);
            let sing = w
                .strip_suffix('s')
                .or_else(|| w.strip_suffix("en"))
                .unwrap_or(w);
            let sing_it = w.strip_suffix('e').map(|s| format!("{s}a"));
            lex.collectives
                .iter()
                .find(|(c, _)| *c == w || *c == sing || sing_it.as_deref() == Some(c))
                .map(|&(_, v)| v)
        };
        let w = t.low(i);
        if lex.one.contains(&w) && t.same_line(i) {
            let v = noun(i + 1)?;
            let mut c = Core::new(t, i, i + 1, v, Form::Card);
            c.approx = true;
            return Some(c);
        }
        let (count, last) = self.lex_cardinal(lex, i)?;
        if !t.same_line(last) {
            return None;
        }
        let v = noun(last + 1)?;
        let mut c = Core::new(t, i, last + 1, count * v, Form::Card);
        c.approx = true;
        Some(c)
    }
}

impl Ctx<'_, '_> {
    /// After digits: a collective noun ("3 douzaines", "2 centaines") or a fraction of a
    /// scale word ("1,5 milliard et demi" is rare; "3 milliards et demi" is not).
    pub(super) fn lex_digits_tail(&self, lex: &Lexicon, c: &mut Core) {
        let t = self.t;
        if c.form != Form::Card || !t.same_line(c.last) {
            return;
        }
        if c.scale.is_none() {
            let w = t.word(c.last + 1);
            let sing = w.strip_suffix('s').unwrap_or(w);
            if let Some(&(_, v)) = lex.collectives.iter().find(|(n, _)| {
                *n == w
                    || *n == sing
                    || w.strip_suffix('e')
                        .is_some_and(|s| n.strip_suffix('a') == Some(s))
            }) {
                c.v *= v;
                c.approx = v != 12.0;
                c.extend_to(t, c.last + 1);
                return;
            }
        }
        self.lex_mixed_fraction(lex, c);
    }
}

impl Ctx<'_, '_> {
    /// "deux tiers de million", "quart de million": a fraction of a scale word.
    pub(super) fn lex_of_scale(&self, lex: &Lexicon, mut c: Core) -> Core {
        let t = self.t;
        let k = c.last + 1;
        if t.same_line(c.last) && lex.of_words.contains(&t.word(k)) && t.same_line(k) {
            if let Some(e) = lex.scale(t.word(k + 1)) {
                c.v *= 10f64.powi(e);
                c.scale = Some(Scale::Pow(e));
                c.extend_to(t, k + 1);
            }
        }
        c
    }
}
