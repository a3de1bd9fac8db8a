//! Numbers written in words: cardinals, fractions, factors, ordinals, shares ("jeder dritte"),
//! vague plurals ("Tausende") and counts of digits ("dreistelliger Millionenbetrag").

use super::super::lexer::Kind;
use super::super::numerals::{self, Scale};
use super::super::units::{self, UnitClass};
use super::{Core, Ctx, Form};

impl Ctx<'_, '_> {
    pub(super) fn word_at(&self, i: usize) -> Option<Core> {
        if let Some(lex) = self.lex {
            return self.lex_word_at(lex, i);
        }
        if !self.en && !self.de {
            // No word rules for this language: only digits are read.
            return None;
        }
        let t = self.t;
        let w = t.low(i);
        let next = if t.same_line(i) { t.word(i + 1) } else { "" };
        if let Some(m) = numerals::month(w) {
            return self.month_first(i, m);
        }
        // "eine halbe Million", "eine Million", "ein Drittel", "a million"
        // "one in three Americans", "one out of five": a share.
        if self.en && w == "one" && matches!(next, "in" | "out") && t.same_line(i + 1) {
            let k = if next == "out" && t.word(i + 2) == "of" {
                i + 3
            } else {
                i + 2
            };
            let of = if t.kind(k) == Kind::Num {
                t.raw(k).parse::<f64>().ok().map(|v| (v, k))
            } else {
                self.en_cardinal_seq(k)
            };
            if let Some((n, last)) = of.filter(|&(n, _)| n >= 2.0) {
                let mut c = Core::new(t, i, last, 1.0 / n, Form::Card);
                c.share = true;
                return Some(c);
            }
        }
        if numerals::indefinite_one(w) && (self.en == matches!(w, "a" | "an" | "one")) {
            if let Some(d) = numerals::denominator(next) {
                let mut c = Core::new(t, i, i + 1, 1.0 / d, Form::Card);
                if d == 2.0 && t.same_line(i + 1) {
                    if let Some((s, ab)) = self.scale_word(t.word(i + 2)) {
                        c.v = s.apply(0.5);
                        c.scale = Some(s);
                        c.extend_to(t, i + 2);
                        self.take_abbrev_period(&mut c, ab);
                    }
                }
                return Some(c);
            }
            // "one hundred and six", "a thousand two hundred": the count goes on.
            if self.en && matches!(next, "hundred" | "thousand") {
                if let Some((v, last)) = self.en_cardinal_from(i + 1, 1.0) {
                    if last > i + 1 {
                        return Some(Core::new(t, i, last, v, Form::Card));
                    }
                }
            }
            if let Some((s, ab)) = self.scale_word(next) {
                let mut c = Core::new(t, i, i + 1, s.base(), Form::Card);
                c.scale = Some(s);
                self.take_abbrev_period(&mut c, ab);
                self.scale_remainder(&mut c);
                return Some(c);
            }
            // "one and a half hours"
            if self.en && w == "one" && next == "and" {
                let mut c = Core::new(t, i, i, 1.0, Form::Card);
                self.en_and_fraction(&mut c);
                if c.last > i {
                    return Some(c);
                }
            }
            // "ein halbes Dutzend"
            if !self.en && matches!(next, "halbes" | "halbe") && t.word(i + 2) == "dutzend" {
                return Some(Core::new(t, i, i + 2, 6.0, Form::Card));
            }
            // "um ein Prozent", "einen Euro": the article is the number where the noun is a
            // measure; before other nouns it is just an article.
            if !self.en && units::is_measure_word(next) {
                return Some(Core::new(t, i, i, 1.0, Form::Card));
            }
            // "ein bis zwei Wochen", "ein oder zwei Tage": the lower end of a range.
            if !self.en && matches!(next, "bis" | "oder") && t.same_line(i + 1) {
                let k = i + 2;
                if t.kind(k) == Kind::Num || numerals::de_cardinal(t.low(k)).is_some() {
                    return Some(Core::new(t, i, i, 1.0, Form::Card));
                }
            }
            return None;
        }
        // "half a million", "half a billion"
        if self.en && w == "half" && matches!(next, "a" | "an") && t.same_line(i + 1) {
            if let Some((Scale::Pow(e), _)) = self.scale_word(t.word(i + 2)) {
                if e >= 3 {
                    let mut c = Core::new(t, i, i + 2, numerals::scale(0.5, e), Form::Card);
                    c.scale = Some(Scale::Pow(e));
                    return Some(c);
                }
            }
        }
        // "mehrere Tausend", "ein paar Hundert", "a few thousand"
        if numerals::vague_determiner(w) || matches!(w, "paar" | "few") {
            let (s, ab) = self.scale_word(next)?;
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
            // "dreijährige Amtszeit", "zehnprozentige Erhöhung", "dreierlei": the word carries
            // its unit.
            if let Some((v, inner)) = numerals::inner_number(w) {
                let mut c = Core::new(t, i, i, v, Form::Card);
                let tok = &t.toks[i];
                c.unit = match inner {
                    numerals::Inner::Duration => {
                        Some((tok.byte_start, tok.byte_end, UnitClass::Time))
                    }
                    numerals::Inner::Percent => {
                        Some((tok.byte_start, tok.byte_end, UnitClass::Percent))
                    }
                    numerals::Inner::Count => None,
                };
                return Some(c);
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
            if self.en {
                self.en_and_fraction(&mut c);
            }
            let (v, last) = (c.v, c.last);
            if t.same_line(last) {
                let nw = t.word(last + 1);
                if c.v.fract() != 0.0 {
                    // "two and a half million": the fraction came first, then the scale.
                    if let Some((s, ab)) = self.scale_word(nw) {
                        c.v = s.apply(v);
                        c.scale = Some(s);
                        c.extend_to(t, last + 1);
                        self.take_abbrev_period(&mut c, ab);
                    }
                } else if let Some(d) = numerals::denominator(nw).filter(|&d| d > 2.0) {
                    c.v = v / d;
                    c.extend_to(t, last + 1);
                } else if let Some((s, ab)) = self.scale_word(nw) {
                    c.v = s.apply(v);
                    c.scale = Some(s);
                    c.extend_to(t, last + 1);
                    self.take_abbrev_period(&mut c, ab);
                    self.scale_remainder(&mut c);
                } else {
                    self.spoken_decimal(&mut c);
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
    pub(super) fn digit_count_at(&self, i: usize) -> Option<Core> {
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
        c.unit = Some((t.toks[i + 1].byte_start, t.toks[i + 1].byte_end, class));
        Some(c)
    }

    /// Capitalised "Acht", "Elf", "Null" mid-sentence are nouns (attention, a team, zero).
    pub(super) fn plausible_cardinal_word(&self, i: usize) -> bool {
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

    pub(super) fn at_sentence_start(&self, i: usize) -> bool {
        let t = self.t;
        i == 0
            || t.toks[i].line_break_before
            || matches!(
                t.kind(i - 1),
                Kind::Punct('.' | '!' | '?' | ':' | '"' | '„' | '»')
            )
            || self.sentence_starts_at(t.toks[i].byte_start)
    }

    /// Whether a sentence range starts at byte `b` (ranges are in order).
    pub(super) fn sentence_starts_at(&self, b: usize) -> bool {
        let j = self.sents.partition_point(|&(s, _)| s < b);
        j < self.sents.len() && self.sents[j].0 == b
    }

    /// "eine Million zweihunderttausend", "drei Milliarden fünfhundert Millionen": a smaller
    /// number written after a scale word belongs to it.
    fn scale_remainder(&self, c: &mut Core) {
        let t = self.t;
        let Some(Scale::Pow(e)) = c.scale else {
            return;
        };
        if e < 6 || !t.same_line(c.last) {
            return;
        }
        let k = c.last + 1;
        let base = numerals::scale(1.0, e);
        let more = if self.en {
            self.en_cardinal_seq(k)
        } else {
            numerals::de_cardinal(t.word(k)).map(|v| (v, k))
        };
        let Some((mut v, mut last)) = more else {
            return;
        };
        // "… fünfhundert Millionen": the remainder may carry its own, smaller scale.
        if let Some((Scale::Pow(e2), _)) = self.scale_word(t.word(last + 1)) {
            if e2 < e && t.same_line(last) {
                v = numerals::scale(v, e2);
                last += 1;
            }
        }
        // "eine Million zwei Jahre später" is two numbers: a remainder is hundreds or more.
        if v < base && v >= 100.0 {
            c.v += v;
            c.extend_to(t, last);
        }
    }

    /// "zwei Komma fünf", "two point five": a decimal mark said in words, the decimals read
    /// digit by digit ("point two five") or as one number ("Komma fünfundzwanzig").
    fn spoken_decimal(&self, c: &mut Core) {
        let t = self.t;
        let mark = t.word(c.last + 1);
        if !t.same_line(c.last) || !matches!(mark, "komma" | "point") || c.v.fract() != 0.0 {
            return;
        }
        let mut digits = String::new();
        let mut k = c.last + 2;
        let mut last = None;
        while t.is_word(k) && t.same_line(k - 1) {
            let w = t.low(k);
            let v = if self.en {
                numerals::en_cardinal(w).or((w == "zero" || w == "oh").then_some(0.0))
            } else {
                numerals::de_cardinal(w).or((w == "null").then_some(0.0))
            };
            let Some(v) = v else { break };
            digits.push_str(&format!("{v}"));
            last = Some(k);
            if v >= 10.0 {
                break;
            }
            k += 1;
        }
        if let (Some(last), Ok(f)) = (last, format!("0.{digits}").parse::<f64>()) {
            c.v += f;
            c.extend_to(t, last);
        }
    }

    /// "zwei Euro fünfzig", "2 Euro 50", "two dollars and fifty cents": an amount and its
    /// hundredths, one amount. Without a cents word only at a clause end.
    pub(super) fn currency_cents(&self, c: &mut Core, unit_last: usize) {
        let t = self.t;
        if !t.same_line(unit_last) || matches!(t.word(unit_last), "cent" | "cents" | "ct") {
            return;
        }
        let mut k = unit_last + 1;
        let joined = matches!(t.word(k), "und" | "and");
        if joined {
            if !t.same_line(k) {
                return;
            }
            k += 1;
        }
        let raw = t.raw(k);
        let (n, last) = match t.kind(k) {
            Kind::Num if raw.len() <= 2 && raw.bytes().all(|b| b.is_ascii_digit()) => {
                match raw.parse::<f64>() {
                    Ok(n) => (n, k),
                    Err(_) => return,
                }
            }
            Kind::Word if self.en && joined => match self.en_cardinal_seq(k) {
                Some(found) => found,
                None => return,
            },
            Kind::Word if !self.en => match numerals::de_cardinal(t.low(k)) {
                Some(n) => (n, k),
                None => return,
            },
            _ => return,
        };
        if !(1.0..100.0).contains(&n) || n.fract() != 0.0 {
            return;
        }
        let end = if t.same_line(last) && matches!(t.word(last + 1), "cent" | "cents" | "ct") {
            last + 1
        } else if matches!(t.kind(last + 1), Kind::Punct('.' | ',' | '!' | ';' | '\0')) {
            last
        } else {
            return;
        };
        c.v += n / 100.0;
        c.extend_to(t, end);
    }

    /// "three and a half", "three and two thirds": a whole number and a fraction.
    fn en_and_fraction(&self, c: &mut Core) {
        let t = self.t;
        let k = c.last + 1;
        if !t.same_line(c.last) || t.word(k) != "and" || !t.same_line(k) {
            return;
        }
        let (n, d_at) = match t.word(k + 1) {
            "a" | "an" | "one" => (1.0, k + 2),
            w => match numerals::en_cardinal(w) {
                Some(n) => (n, k + 2),
                None => return,
            },
        };
        if let Some(d) = numerals::denominator(t.word(d_at)).filter(|&d| d > n) {
            if t.same_line(d_at - 1) {
                c.v += n / d;
                c.extend_to(t, d_at);
            }
        }
    }

    /// English cardinals run over words: "two hundred fifty thousand".
    pub(super) fn en_cardinal_seq(&self, i: usize) -> Option<(f64, usize)> {
        let t = self.t;
        let first = numerals::en_cardinal(t.low(i))?;
        if t.low(i) == "one" {
            // "one" is a pronoun far more often than a count; only before a scale word.
            return None;
        }
        self.en_cardinal_from(i + 1, first)
            .map(|(v, last)| (v, last.max(i)))
    }

    /// Goes on reading an English cardinal at token `k` with `first` read before it
    /// ("hundred and six" after "one").
    fn en_cardinal_from(&self, k: usize, first: f64) -> Option<(f64, usize)> {
        let t = self.t;
        let i = k - 1;
        let (mut total, mut cur, mut last) = (0.0, first, i);
        let mut k = k;
        while k < t.len() && t.same_line(k - 1) && t.is_word(k) {
            let w = t.low(k);
            let lead = cur % 100.0;
            // "one hundred twenty three", "twenty three", "… thousand four hundred": a part
            // joins where a written number goes on; "three two" is two numbers.
            let joins = |v: f64| {
                (cur >= 100.0 && lead == 0.0)
                    || (lead >= 20.0 && lead % 10.0 == 0.0 && v < 10.0)
                    || (cur == 0.0 && total > 0.0)
            };
            let scale = match w {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                _ => 0.0,
            };
            if w == "hundred" && cur > 0.0 && cur < 100.0 {
                cur *= 100.0;
            } else if let Some(v) = numerals::en_cardinal(w).filter(|&v| joins(v)) {
                cur += v;
            } else if w == "and"
                && (cur >= 100.0 || (cur == 0.0 && total > 0.0))
                && numerals::en_cardinal(t.word(k + 1)).is_some()
            {
                k += 1;
                continue;
            } else if scale > 0.0
                && cur > 0.0
                && t.is_word(k + 1)
                && numerals::en_cardinal(t.word(k + 1)).is_some()
            {
                total += cur * scale;
                cur = 0.0;
            } else if scale > 0.0 && cur > 0.0 && total > 0.0 {
                // "two million three hundred thousand": the last group's own scale.
                total += cur * scale;
                cur = 0.0;
                last = k;
                break;
            } else {
                break;
            }
            last = k;
            k += 1;
        }
        Some((total + cur, last))
    }
}

pub(super) fn determiner(w: &str) -> bool {
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
