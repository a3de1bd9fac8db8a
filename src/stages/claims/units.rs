//! What a number counts or measures: the noun after it, as written, past adjectives
//! ("drei Millionen nordkoreanische Granaten" → "Granaten"), with a rate tail ("pro Tag").

use super::lexer::{Kind, Tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitClass {
    Percent,
    Money,
    Time,
    /// Physical measures (Meter, Liter, Grad): reported as kind `other`.
    Measure,
    Thing,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    pub byte_start: usize,
    pub byte_end: usize,
    pub class: UnitClass,
    /// A per-something tail: the number is a rate, not a stretch of time.
    pub rate: bool,
}

pub(crate) fn currency_symbol(c: char) -> bool {
    matches!(c, '€' | '$' | '£' | '¥' | '₽' | '₩')
}

fn class_of(w: &str) -> UnitClass {
    match w {
        "prozent" | "prozentpunkte" | "prozentpunkten" | "prozentpunkt" | "percent"
        | "percentage" | "pct" => UnitClass::Percent,
        "euro" | "eur" | "dollar" | "us-dollar" | "usd" | "rubel" | "pfund" | "franken" | "yen"
        | "yuan" | "won" | "cent" | "dollars" | "euros" | "pounds" | "rubles" | "roubles"
        | "rupien" | "rupees" | "hrywnja" | "griwna" | "chf" | "gbp" | "rub" | "kronen"
        | "us-dollars" => UnitClass::Money,
        _ if crate::currency::is_currency_word(w) => UnitClass::Money,
        "jahr" | "jahre" | "jahren" | "jahres" | "monat" | "monate" | "monaten" | "monats"
        | "woche" | "wochen" | "tag" | "tage" | "tagen" | "tages" | "stunde" | "stunden"
        | "minute" | "minuten" | "sekunde" | "sekunden" | "jahrzehnt" | "jahrzehnte"
        | "jahrzehnten" | "jahrhundert" | "jahrhunderte" | "jahrhunderten" | "min" | "std"
        | "sek" | "year" | "years" | "month" | "months" | "week" | "weeks" | "day" | "days"
        | "hour" | "hours" | "minutes" | "seconds" | "decade" | "decades" | "century"
        | "centuries" => UnitClass::Time,
        _ if measure_word(w) => UnitClass::Measure,
        _ => UnitClass::Thing,
    }
}

/// Lower-case German words that end like adjectives but are not ("werden", "diese").
fn de_stop(w: &str) -> bool {
    matches!(
        w,
        "die"
            | "der"
            | "den"
            | "dem"
            | "des"
            | "eine"
            | "einen"
            | "einer"
            | "einem"
            | "eines"
            | "seine"
            | "seinen"
            | "seiner"
            | "ihre"
            | "ihren"
            | "ihrer"
            | "unsere"
            | "aber"
            | "oder"
            | "sowie"
            | "jede"
            | "jeden"
            | "jeder"
            | "diese"
            | "dieser"
            | "diesen"
            | "alle"
            | "allen"
            | "keine"
            | "keinen"
            | "werden"
            | "wurden"
            | "worden"
            | "haben"
            | "waren"
            | "sollen"
            | "hatten"
            | "können"
            | "konnten"
            | "müssen"
            | "dürfen"
            | "wollen"
            | "gegen"
            | "unter"
            | "über"
            | "hinter"
            | "neben"
            | "wieder"
            | "immer"
            | "schon"
            | "sogar"
            | "eben"
            | "gerade"
            | "eher"
            | "daher"
            | "oben"
            | "unten"
            | "später"
            | "mehr"
            | "weniger"
            | "nie"
            | "ohne"
            | "seien"
            | "sei"
            | "sowohl"
    )
}

fn en_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "to"
            | "in"
            | "on"
            | "at"
            | "of"
            | "for"
            | "by"
            | "with"
            | "from"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "that"
            | "which"
            | "who"
            | "as"
            | "than"
            | "it"
            | "its"
            | "this"
            | "these"
            | "those"
            | "their"
            | "his"
            | "her"
            | "per"
            | "not"
            | "no"
            | "more"
            | "less"
            | "said"
            | "says"
            | "ago"
            | "earlier"
            | "later"
    )
}

/// Percent, currency and measure words: "ein Prozent", "einen Meter" count one.
pub(crate) fn is_measure_word(w: &str) -> bool {
    matches!(
        class_of(w),
        UnitClass::Percent | UnitClass::Money | UnitClass::Measure
    )
}

fn measure_word(w: &str) -> bool {
    // Whole words only: a loose suffix match takes "Veto" for a ton and "Parameter" for a
    // metre.
    const BASES: [&str; 9] = [
        "meter", "metern", "meters", "metres", "liter", "litern", "liters", "litres", "gramm",
    ];
    const PREFIXES: [&str; 7] = [
        "",
        "kilo",
        "zenti",
        "milli",
        "quadrat",
        "kubik",
        "quadratkilo",
    ];
    if measure_abbrev(w)
        || PREFIXES
            .iter()
            .any(|p| w.strip_prefix(p).is_some_and(|b| BASES.contains(&b)))
    {
        return true;
    }
    matches!(
        w,
        "grad"
            | "tonne"
            | "tonnen"
            | "hektar"
            | "watt"
            | "kilowatt"
            | "megawatt"
            | "gigawatt"
            | "kilowattstunde"
            | "kilowattstunden"
            | "megawattstunden"
            | "gigawattstunden"
            | "terawattstunden"
            | "volt"
            | "dezibel"
            | "barrel"
            | "meile"
            | "meilen"
            | "knoten"
            | "stundenkilometer"
            | "stundenkilometern"
            | "kilometers"
            | "kilometres"
            | "miles"
            | "tons"
            | "tonnes"
            | "degrees"
            | "hectares"
            | "gallons"
            | "barrels"
            | "feet"
            | "inches"
    )
}

/// Lower-case measure abbreviations, written after a number ("5 km") or attached to it
/// ("5km"; `patterns` adds the time units it accepts there).
pub(crate) fn measure_abbrev(w: &str) -> bool {
    matches!(
        w,
        "km" | "kg"
            | "m"
            | "t"
            | "g"
            | "cm"
            | "mm"
            | "ha"
            | "kw"
            | "mw"
            | "gw"
            | "kwh"
            | "mwh"
            | "gwh"
            | "twh"
            | "l"
            | "ml"
            | "qm"
            | "km/h"
    )
}

fn adjective_like(w: &str) -> bool {
    !de_stop(w)
        && w.chars().count() > 3
        && ["e", "en", "er", "es", "em"].iter().any(|s| w.ends_with(s))
}

/// A sign after token `last` that says what the number is in every language: "%", "‰", a
/// currency symbol or ISO code ("12 €", "65'000 CHF"), a degree sign.
pub(crate) fn sign_after(t: &Tokens, last: usize) -> Option<Unit> {
    if !t.same_line(last) {
        return None;
    }
    let j = last + 1;
    match t.kind(j) {
        Kind::Punct('%' | '‰') => Some(unit(t, j, j, UnitClass::Percent, false)),
        Kind::Punct(c) if currency_symbol(c) => Some(unit(t, j, j, UnitClass::Money, false)),
        Kind::Punct('°') => {
            let end = if t.same_line(j)
                && matches!(t.raw(j + 1), "C" | "F")
                && !t.toks[j + 1].space_before
            {
                j + 1
            } else {
                j
            };
            Some(unit(t, j, end, UnitClass::Measure, false))
        }
        Kind::Word if crate::currency::is_iso_code(t.raw(j)) => {
            Some(unit(t, j, j, UnitClass::Money, false))
        }
        _ => None,
    }
}

/// The unit after token `last` (the last token of the number expression).
pub(crate) fn after(t: &Tokens, last: usize, english: bool) -> Option<Unit> {
    let mut j = last + 1;
    if !t.same_line(last) {
        return None;
    }
    match t.kind(j) {
        Kind::Punct('%') | Kind::Punct('‰') => {
            return Some(unit(t, j, j, UnitClass::Percent, false));
        }
        Kind::Punct(c) if currency_symbol(c) => {
            return Some(unit(t, j, j, UnitClass::Money, false));
        }
        Kind::Word => {}
        _ => return None,
    }
    let w = t.low(j);
    // "per cent", "percentage points": two-word units.
    if english && (w == "per" || w == "percentage") && t.same_line(j) {
        let w2 = t.word(j + 1);
        if (w == "per" && w2 == "cent") || (w == "percentage" && w2.starts_with("point")) {
            return Some(unit(t, j, j + 1, UnitClass::Percent, false));
        }
    }
    let class = if crate::currency::is_iso_code(t.raw(j)) {
        UnitClass::Money
    } else {
        class_of(w)
    };
    if class == UnitClass::Percent || class == UnitClass::Money {
        return Some(unit(t, j, j, class, false));
    }
    // "1.000 Schweizer Franken", "200 dänische Kronen": the adjective and the currency.
    if crate::currency::is_nationality_adjective(w)
        && t.same_line(j)
        && t.is_word(j + 1)
        && crate::currency::is_currency_word(t.low(j + 1))
    {
        return Some(unit(t, j, j + 1, UnitClass::Money, false));
    }
    if class == UnitClass::Time || class == UnitClass::Measure {
        return Some(with_rate(t, j, class));
    }
    if english {
        return english_noun(t, j);
    }
    // German: nouns are capitalised; up to three adjectives may stand before the noun.
    let mut skipped = 0;
    while !t.capitalized(j) {
        let w = t.word(j);
        if skipped == 3 || !adjective_like(w) || !t.same_line(j) {
            return None;
        }
        skipped += 1;
        j += 1;
    }
    let class = class_of(t.low(j));
    Some(with_rate(t, j, class))
}

fn english_noun(t: &Tokens, j: usize) -> Option<Unit> {
    let mut first = None;
    for k in j..j + 3 {
        if !t.is_word(k) {
            break;
        }
        let w = t.low(k);
        if en_stop(w) {
            break;
        }
        if first.is_none() {
            first = Some(k);
        }
        if w.len() > 3 && w.ends_with('s') {
            return Some(with_rate(t, k, class_of(w)));
        }
        if !t.same_line(k) {
            break;
        }
    }
    let f = first?;
    Some(with_rate(t, f, class_of(t.low(f))))
}

fn with_rate(t: &Tokens, noun: usize, class: UnitClass) -> Unit {
    let start = noun;
    if t.same_line(noun) && t.same_line(noun + 1) && t.is_word(noun + 2) {
        let w = t.word(noun + 1);
        if matches!(w, "pro" | "je" | "per" | "a" | "each") {
            return unit(t, start, noun + 2, UnitClass::Thing, true);
        }
    }
    unit(t, start, noun, class, false)
}

fn unit(t: &Tokens, a: usize, b: usize, class: UnitClass, rate: bool) -> Unit {
    Unit {
        byte_start: t.toks[a].byte_start,
        byte_end: t.toks[b].byte_end,
        class,
        rate,
    }
}
