//! A currency after an amount ("50 Mark", "3 Mio. Euro", "1.000 Schweizer Franken") is the
//! unit of a number, not a person, place or organisation. The model, trained on GermEval
//! (which tags currency names as OTH), reads them as MISC and, after a number, often as a
//! person ("Mark"); such spans are dropped and counted (`dropped_amount_units`): the claims
//! stage reports the amount with its currency as the unit.
//!
//! A currency name not after an amount ("die Einführung des Euro") is left to the model.

use crate::currency;
use crate::stages::claims::numerals::{de_cardinal, en_cardinal, scale_word, vague_plural};

/// Whether the span `[start, end)` of the sentence `chars` is a currency after an amount, or
/// the nationality adjective of one ("Schweizer" in "1.000 Schweizer Franken").
pub(super) fn unit_of_amount(chars: &[char], start: usize, end: usize) -> bool {
    let text: String = chars[start..end].iter().collect::<String>().to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    if currency::is_currency_name(&words) {
        let before = word_before(chars, start);
        if is_amount(&before) {
            return true;
        }
        // "1.000 Schweizer Franken" where only "Franken" is the span.
        if let [name] = words.as_slice() {
            let adjective_start = word_start_before(chars, start);
            return currency::is_currency_name(&[before.as_str(), name])
                && currency::is_nationality_adjective(&before)
                && is_amount(&word_before(chars, adjective_start));
        }
        return false;
    }
    // The adjective alone: "Schweizer" between the amount and the currency.
    if let [adjective] = words.as_slice() {
        return currency::is_nationality_adjective(adjective)
            && currency::is_currency_word(&word_after(chars, end))
            && is_amount(&word_before(chars, start));
    }
    false
}

/// A number written in digits, a scale word ("Mio.", "Millionen"), a cardinal word or a vague
/// plural ("Tausende"): what can stand before a currency as its amount.
fn is_amount(word: &str) -> bool {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let bare = word.trim_end_matches('.');
    scale_word(bare, false).is_some()
        || scale_word(bare, true).is_some()
        || de_cardinal(bare).is_some()
        || en_cardinal(bare).is_some()
        || vague_plural(bare).is_some()
}

/// Where the whitespace-delimited word before `pos` starts.
fn word_start_before(chars: &[char], pos: usize) -> usize {
    let mut e = pos;
    while e > 0 && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && !chars[s - 1].is_whitespace() {
        s -= 1;
    }
    s
}

/// The word before `pos`, lower-cased, without brackets or quotes around it.
fn word_before(chars: &[char], pos: usize) -> String {
    let s = word_start_before(chars, pos);
    let mut e = pos;
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    trim(&chars[s..e])
}

/// The word after `pos`, lower-cased, without brackets, quotes or final punctuation.
fn word_after(chars: &[char], pos: usize) -> String {
    let mut s = pos;
    while s < chars.len() && chars[s].is_whitespace() {
        s += 1;
    }
    let mut e = s;
    while e < chars.len() && !chars[e].is_whitespace() {
        e += 1;
    }
    trim(&chars[s..e])
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .to_string()
}

fn trim(word: &[char]) -> String {
    let w: String = word.iter().collect();
    w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '"' | '„' | '“' | '»' | '«'))
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(sentence: &str, span: &str) -> bool {
        let chars: Vec<char> = sentence.chars().collect();
        let at = sentence.find(span).unwrap();
        let start = sentence[..at].chars().count();
        unit_of_amount(&chars, start, start + span.chars().count())
    }

    #[test]
    fn currencies_after_amounts() {
        assert!(unit("Das kostet 50 Mark im Monat.", "Mark"));
        assert!(unit("Der Umsatz stieg auf 3 Mio. Euro.", "Euro"));
        assert!(unit("Er zahlte zwei Millionen D-Mark.", "D-Mark"));
        assert!(unit("Es kostet fünf Euro.", "Euro"));
        assert!(unit("Sie erhielt (200 Schilling) zurück.", "Schilling"));
        assert!(unit(
            "Es sind 1.000 Schweizer Franken.",
            "Schweizer Franken"
        ));
        assert!(unit("Es sind 1.000 Schweizer Franken.", "Franken"));
        assert!(unit("Es sind 1.000 Schweizer Franken.", "Schweizer"));
    }

    #[test]
    fn names_and_currencies_without_amounts_stay() {
        assert!(!unit("Mark Twain schrieb 1876 ein Buch.", "Mark"));
        assert!(!unit("Im Jahr 2002 kam der Euro.", "Euro"));
        assert!(!unit("Die Einführung des Euro war umstritten.", "Euro"));
        assert!(!unit("Er wanderte durch Franken.", "Franken"));
        assert!(!unit("Die Mark Brandenburg feiert.", "Mark"));
        assert!(!unit("Es kamen 300 Schweizer nach Basel.", "Schweizer"));
    }
}
