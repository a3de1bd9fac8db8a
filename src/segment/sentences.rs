//! Sentence boundaries for German and English news text.
//!
//! Rule-based rather than learned (Punkt-style) because the decisive cases in news are
//! structural and the rules say plainly why a period does or does not end a sentence:
//! a line break always ends one (headlines, captions, bylines), abbreviations and initials
//! ("z. B.", "Dr.", "J. Schneider") and ordinals ("20. Juni", "70. Jahrestag") do not, a
//! closing quote after the terminator belongs to the sentence, a footnote marker glued to the
//! end ("geschätzt.⁵") belongs to none, and a period glued to a date ("Suh.19.06.2024", a
//! caption run into the text) does end one.

use super::abbreviations::{ABBREVIATIONS, MONTHS, SENTENCE_FINAL_ABBREVIATIONS};

/// Char ranges `[start, end)` of the sentences of `text`, in order, without surrounding
/// whitespace. Every non-whitespace char of the text lies in exactly one sentence, except
/// footnote markers (superscript digits) glued to a sentence's end, which lie in none: they
/// are neither part of the sentence they follow nor the start of the next.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
            if let Some(s) = start.take() {
                push_trimmed(&chars, s, i, &mut out);
            }
            i += 1;
            continue;
        }
        if start.is_none() {
            let footnote = is_footnote_marker(c)
                && i > 0
                && (is_terminator(chars[i - 1])
                    || is_closing(chars[i - 1])
                    || is_footnote_marker(chars[i - 1]));
            if c.is_whitespace() || footnote {
                i += 1;
                continue;
            }
            start = Some(i);
        }
        if is_terminator(c) {
            if let Some(end) = boundary_after(&chars, i) {
                if let Some(s) = start.take() {
                    push_trimmed(&chars, s, end, &mut out);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        push_trimmed(&chars, s, chars.len(), &mut out);
    }
    out
}

fn push_trimmed(chars: &[char], mut s: usize, mut e: usize, out: &mut Vec<(usize, usize)>) {
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if s < e {
        out.push((s, e));
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '’' | '«' | '»' | '‹' | '›' | ')' | ']' | '}'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '„' | '“' | '‚' | '»' | '«' | '‹' | '(' | '[' | '{' | '‘'
    )
}

/// Superscript digits: footnote markers ("geschätzt.⁵", "erklärt.“¹²").
fn is_footnote_marker(c: char) -> bool {
    matches!(c, '⁰' | '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// Decides whether the terminator at `i` ends a sentence; if so, returns the end (exclusive),
/// which includes further terminators and closing quotes or brackets.
fn boundary_after(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < chars.len() && is_terminator(chars[j]) {
        j += 1;
    }
    let terminators_end = j;
    while j < chars.len() && is_closing(chars[j]) {
        j += 1;
    }
    // The sentence ends before a footnote marker glued to it; what follows the marker
    // decides whether this is an end at all.
    let end = j;
    while j < chars.len() && is_footnote_marker(chars[j]) {
        j += 1;
    }
    if j >= chars.len() || matches!(chars[j], '\n' | '\r') {
        return Some(end);
    }
    if !chars[j].is_whitespace() {
        // "Suh.19.06.2024": a caption's date glued to the sentence before it.
        let glued_date = chars[i] == '.'
            && j == i + 1
            && i > 0
            && chars[i - 1].is_alphabetic()
            && starts_with_date(&chars[j..]);
        return glued_date.then_some(end);
    }
    let mut k = j;
    while k < chars.len() && chars[k].is_whitespace() && chars[k] != '\n' {
        k += 1;
    }
    if k >= chars.len() || chars[k] == '\n' {
        return Some(end);
    }
    let next = chars[k];
    let next_word = word_at(chars, k);
    if next.is_lowercase() || matches!(next, ',' | ';' | ':' | ')' | ']') {
        return None;
    }
    // A closing quote directly followed by a dash or reporting clause continues the sentence.
    if chars[i] != '.' || terminators_end - i > 1 {
        // !, ?, … and "...": end the sentence unless what follows is lower case (handled above).
        return Some(end);
    }
    let before = word_before(chars, i);
    if before.is_empty() {
        return Some(end);
    }
    let lower = before.to_lowercase();
    let letters = before.chars().filter(|c| c.is_alphabetic()).count();
    let digits = before.chars().filter(|c| c.is_ascii_digit()).count();
    let next_is_capital = next.is_uppercase();
    let numeric = digits > 0
        && before
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-'));
    let last_digits = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    if numeric && (digits == before.chars().count() || last_digits <= 2) {
        // "20. Juni", "70. Jahrestag", "3. Liga": short numbers before a period are ordinals
        // unless what follows clearly starts a sentence. Years and long numbers end sentences.
        if last_digits <= 2 {
            let next_lower = next_word.to_lowercase();
            let next_trim = next_lower.trim_end_matches(['.', ',']);
            if MONTHS.contains(&next_trim) || next.is_ascii_digit() || next_is_capital {
                return None;
            }
        }
        return Some(end);
    }
    if letters == 1 && before.chars().count() == 1 {
        // Initials and the parts of "z. B.", "u. a.", "d. h.".
        return None;
    }
    if looks_like_url(&before) {
        return Some(end);
    }
    if before.contains('.') && letters > 0 && digits == 0 {
        // "z.B.", "u.a.", "U.S.", "e.g."
        return if SENTENCE_FINAL_ABBREVIATIONS.contains(&lower.as_str()) && next_is_capital {
            Some(end)
        } else {
            None
        };
    }
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return if SENTENCE_FINAL_ABBREVIATIONS.contains(&lower.as_str()) && next_is_capital {
            Some(end)
        } else {
            None
        };
    }
    Some(end)
}

/// The run of non-space chars that ends right before `i`, without leading brackets/quotes.
fn word_before(chars: &[char], i: usize) -> String {
    let mut s = i;
    while s > 0 && !chars[s - 1].is_whitespace() {
        s -= 1;
    }
    while s < i && (is_opening(chars[s]) || is_dash(chars[s]) || chars[s] == '/') {
        s += 1;
    }
    chars[s..i].iter().collect()
}

fn word_at(chars: &[char], k: usize) -> String {
    chars[k..]
        .iter()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

fn looks_like_url(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || lower.contains('@')
        || [
            ".de", ".com", ".org", ".net", ".eu", ".at", ".ch", ".uk", ".info",
        ]
        .iter()
        .any(|tld| lower.ends_with(tld))
}

/// `dd.mm.yyyy` (1-2 digit day and month, 2 or 4 digit year) at the start of `chars`.
fn starts_with_date(chars: &[char]) -> bool {
    let mut k = 0;
    for (min, max, sep) in [(1, 2, Some('.')), (1, 2, Some('.')), (2, 4, None)] {
        let digits = chars[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits < min || digits > max {
            return false;
        }
        k += digits;
        if let Some(sep) = sep {
            if chars.get(k) != Some(&sep) {
                return false;
            }
            k += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        split_sentences(text)
            .into_iter()
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Das gilt z. B. für Dr. Müller bzw. Prof. Schmidt, u. a. in Nr. 5 der GmbH & Co. KG. Ca. drei kamen."),
            ["Das gilt z. B. für Dr. Müller bzw. Prof. Schmidt, u. a. in Nr. 5 der GmbH & Co. KG.", "Ca. drei kamen."]
        );
    }

    #[test]
    fn ordinals_dates_and_numbers() {
        assert_eq!(
            sentences("Am 20. Juni 2024 kamen 10.000 Menschen. Es waren 1,5 Prozent. Zum 70. Jahrestag am 20.06.2024 sprach er. Am 24./25. Mai auch."),
            [
                "Am 20. Juni 2024 kamen 10.000 Menschen.",
                "Es waren 1,5 Prozent.",
                "Zum 70. Jahrestag am 20.06.2024 sprach er.",
                "Am 24./25. Mai auch."
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("Er sagte: „Wir kommen.“ Dann ging er. »Warum?«, fragte sie. \"Gut.\" Ende."),
            [
                "Er sagte: „Wir kommen.“",
                "Dann ging er.",
                "»Warum?«, fragte sie.",
                "\"Gut.\"",
                "Ende."
            ]
        );
    }

    #[test]
    fn line_breaks_end_headlines_and_captions() {
        assert_eq!(
            sentences("Putin und Kim: Was wir wissen\nFAQ\n\nvon Jan Schneider\n|\nText hier."),
            [
                "Putin und Kim: Was wir wissen",
                "FAQ",
                "von Jan Schneider",
                "|",
                "Text hier."
            ]
        );
    }

    #[test]
    fn footnote_markers_glued_to_the_end_belong_to_no_sentence() {
        let text = "Die Zahl der Toten wird auf 600.000 geschätzt.⁵ Andere nennen weniger.¹²\n\
                    Er sagte: „Das reicht nicht.“³ Dann ging er.";
        assert_eq!(
            sentences(text),
            [
                "Die Zahl der Toten wird auf 600.000 geschätzt.",
                "Andere nennen weniger.",
                "Er sagte: „Das reicht nicht.“",
                "Dann ging er."
            ]
        );
        // Not after a sentence end: a unit's exponent stays where it is.
        assert_eq!(
            sentences("Die Fläche misst 20 m² und mehr."),
            ["Die Fläche misst 20 m² und mehr."]
        );
    }

    #[test]
    fn glued_caption_date_is_split() {
        assert_eq!(
            sentences("so Sicherheitsexpertin Suh.19.06.2024 | 17:32 min"),
            ["so Sicherheitsexpertin Suh.", "19.06.2024 | 17:32 min"]
        );
    }

    #[test]
    fn urls_and_emails_are_not_split() {
        assert_eq!(
            sentences("Mehr unter www.zdf.de/nachrichten oder mail@zdf.de. Neue Zeile."),
            [
                "Mehr unter www.zdf.de/nachrichten oder mail@zdf.de.",
                "Neue Zeile."
            ]
        );
    }

    #[test]
    fn english_titles() {
        assert_eq!(
            sentences("Mr. Smith met Dr. Jones in the U.S. on Monday. They talked."),
            [
                "Mr. Smith met Dr. Jones in the U.S. on Monday.",
                "They talked."
            ]
        );
    }

    #[test]
    fn offsets_are_chars() {
        let text = "Größe zählt. Ünd so.";
        assert_eq!(split_sentences(text), [(0, 12), (13, 20)]);
    }
}
