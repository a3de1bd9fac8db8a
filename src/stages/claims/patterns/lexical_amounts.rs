//! Amounts said in words in the languages read through a [`Lexicon`]: French clock times
//! ("8 h 30"), decimal marks said in words ("deux virgule cinq"), an amount and its cents
//! ("15 dollars 50") and negative numbers in words ("min vijf").

use super::super::lexer::Kind;
use super::super::lexicon::Lexicon;
use super::{Core, Ctx, Form};

impl Ctx<'_, '_> {
    /// French clock times: "15 h", "8 h 30", "10h", "10h30", "14 heures" after "à"/"vers"
    /// or a date. `i` is the hour's token, `v` its value; the minutes may follow.
    pub(super) fn lex_clock(&self, i: usize, v: f64, glued_h: bool) -> Option<Core> {
        let t = self.t;
        if !(0.0..24.0).contains(&v) || v.fract() != 0.0 {
            return None;
        }
        let h_at = if glued_h { i } else { i + 1 };
        if !glued_h {
            let w = t.word(h_at);
            let after_time_word = i > 0
                && matches!(
                    t.word(i - 1),
                    "à" | "vers" | "dès" | "avant" | "après" | "de"
                );
            let heures = matches!(w, "heures" | "heure") && after_time_word;
            if !(w == "h" || heures) || !t.same_line(i) {
                return None;
            }
        }
        let mut c = Core::new(t, i, h_at, v * 100.0, Form::Clock);
        let m = h_at + 1;
        if t.same_line(h_at) && t.kind(m) == Kind::Num && t.raw(m).len() == 2 {
            if let Ok(min) = t.raw(m).parse::<u32>() {
                if min < 60 && (!glued_h || t.toks[m].space_before) {
                    c.v += f64::from(min);
                    c.extend_to(t, m);
                }
            }
        }
        Some(c)
    }
}

impl Ctx<'_, '_> {
    /// "deux cent virgule cinquante deux", "dos coma cinco", "duecento virgola zero tre": a
    /// decimal mark said in words, the decimals read as digits.
    pub(super) fn lex_spoken_decimal(&self, lex: &Lexicon, c: &mut Core) {
        let t = self.t;
        let k = c.last + 1;
        if !t.same_line(c.last) || !lex.decimal_words.contains(&t.word(k)) || !t.same_line(k) {
            return;
        }
        let mut digits = String::new();
        let mut j = k + 1;
        let mut last = None;
        while t.is_word(j) && t.same_line(j - 1) {
            match self.lex_cardinal(lex, j) {
                Some((0.0, l)) => {
                    digits.push('0');
                    last = Some(l);
                    j = l + 1;
                }
                Some((n, l)) if n.fract() == 0.0 => {
                    digits.push_str(&format!("{n}"));
                    last = Some(l);
                    break;
                }
                _ => break,
            }
        }
        let Some(last) = last else { return };
        if let Ok(f) = format!("0.{digits}").parse::<f64>() {
            c.v += f;
            c.extend_to(t, last);
        }
    }

    /// "15 dollars 50", "25 euros con 50", "3 euro en 50 cent", "trece euros y cuarenta y
    /// cinco céntimos": an amount in a currency and its hundredths, one amount.
    pub(super) fn lex_currency_cents(&self, lex: &Lexicon, c: &mut Core, unit_last: usize) {
        let t = self.t;
        if !t.same_line(unit_last) || lex.minor_currencies.contains(&t.word(unit_last)) {
            return;
        }
        let mut k = unit_last + 1;
        let joined = lex.fraction_and.contains(&t.word(k)) || t.word(k) == "con";
        if joined {
            if !t.same_line(k) {
                return;
            }
            k += 1;
        }
        let (n, last) = match t.kind(k) {
            Kind::Num if t.raw(k).len() <= 2 && t.raw(k).bytes().all(|b| b.is_ascii_digit()) => {
                match t.raw(k).parse::<f64>() {
                    Ok(n) => (n, k),
                    Err(_) => return,
                }
            }
            // "quarante-cinq cents": the cents word is the currency here, not hundreds.
            Kind::Word if joined && !lex.one.contains(&t.word(k)) => {
                let Some((mut n, mut last)) = self.lex_cardinal(lex, k) else {
                    return;
                };
                if last > k && lex.minor_currencies.contains(&t.word(last)) {
                    last -= 1;
                    let mut parts = Vec::new();
                    for j in k..=last {
                        match lex.parts(t.low(j)) {
                            Some(p) => parts.extend(p),
                            None => return,
                        }
                    }
                    match lex.value(&parts) {
                        Some(v) => n = v,
                        None => return,
                    }
                }
                (n, last)
            }
            _ => return,
        };
        if !(1.0..100.0).contains(&n) || n.fract() != 0.0 {
            return;
        }
        let mut end = last;
        if t.same_line(last) && lex.minor_currencies.contains(&t.word(last + 1)) {
            end = last + 1;
        } else if !matches!(t.kind(last + 1), Kind::Punct('.' | ',' | '!' | ';' | '\0')) {
            // Without a cents word, "15 dollars 50" only at a clause end.
            return;
        }
        c.v += n / 100.0;
        c.extend_to(t, end);
    }
}

impl Ctx<'_, '_> {
    /// "min vijf", "négatif un", "negativo tre": a negative number said in words.
    pub(super) fn lex_negative(&self, c: &mut Core, floor: usize) {
        let t = self.t;
        let p = c.first;
        if p == 0 || p - 1 < floor || c.v < 0.0 || !t.same_line(p - 1) {
            return;
        }
        let w = t.word(p - 1);
        let negative = matches!(
            w,
            "négatif"
                | "négative"
                | "negatif"
                | "negative"
                | "negativo"
                | "negativa"
                | "negatief"
                | "negatieve"
                | "min"
        );
        if negative && c.form == Form::Card {
            c.v = -c.v;
            c.first = p - 1;
            c.byte_start = t.toks[p - 1].byte_start;
        }
    }
}
