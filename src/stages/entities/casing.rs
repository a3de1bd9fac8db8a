//! All-caps text given the case it would have in running text before the model reads it:
//! newswire datelines ("KASSEL. Die Stadt", "HAMBURG (dpa) -"), headlines set in capitals and
//! runs of capitalised words ("BAD HERSFELD", "RHEIN-SIEG-KREIS"). The model saw little
//! all-caps text in training and misses or mislabels most of it ("HANNOVER" as a person).
//!
//! The view has exactly the chars of the original, one for one (a char whose lower case is
//! longer stays as it is), so every offset the model's tokens carry is an offset into the
//! original sentence; entity texts are always taken from the original.
//!
//! How a word is recased: the form the article itself uses elsewhere ("HERINGEN" → "Heringen"
//! when the body writes it so; "DIE" → "die"), else capitalised ("Rhein-Sieg-Kreis"). Short
//! words (up to three letters) the article never writes in lower case are left in capitals:
//! they are most often acronyms ("SPD", "USA").

use std::collections::HashMap;

/// How the article writes its words when not in capitals: lower-cased word → the most
/// frequent form with a lower-case letter in it.
#[derive(Debug, Default)]
pub(super) struct ArticleCase {
    forms: HashMap<String, String>,
}

impl ArticleCase {
    pub(super) fn new(text: &str) -> ArticleCase {
        let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for word in words(&text.chars().collect::<Vec<_>>()) {
            let w: String = word.iter().collect();
            if w.chars().any(char::is_lowercase) {
                *counts
                    .entry(w.to_lowercase())
                    .or_default()
                    .entry(w)
                    .or_default() += 1;
            }
        }
        let forms = counts
            .into_iter()
            .map(|(k, v)| {
                let best = v
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(f, _)| f)
                    .unwrap_or_default();
                (k, best)
            })
            .collect();
        ArticleCase { forms }
    }
}

/// The sentence as the model should read it, or `None` when nothing in it is recased.
pub(super) fn model_view(sentence: &str, case: &ArticleCase) -> Option<String> {
    let chars: Vec<char> = sentence.chars().collect();
    let spans = word_spans(&chars);
    let caps: Vec<bool> = spans.iter().map(|&(s, e)| is_caps(&chars[s..e])).collect();
    let mut recase = vec![false; spans.len()];

    let lettered = spans.len();
    let n_caps = caps.iter().filter(|c| **c).count();
    if n_caps >= 2 && n_caps * 10 >= lettered * 6 {
        // A headline or a line set in capitals.
        recase.clone_from(&caps);
    } else {
        // Runs of capitalised words: neighbours joined by spaces, hyphens, slashes, digits.
        let mut i = 0;
        while i < spans.len() {
            if !caps[i] {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < spans.len()
                && caps[j + 1]
                && chars[spans[j].1..spans[j + 1].0]
                    .iter()
                    .all(|c| c.is_whitespace() || c.is_ascii_digit() || matches!(c, '-' | '/'))
            {
                j += 1;
            }
            let long = (i..=j).any(|k| spans[k].1 - spans[k].0 >= 5);
            if j > i && long {
                recase[i..=j].iter_mut().for_each(|r| *r = true);
            }
            i = j + 1;
        }
        // A dateline: the sentence opens with a capitalised place, then ".", ",", ":" or a
        // bracket or dash after a space ("HAMBURG (dpa) -", "KASSEL. Die").
        if let (Some(&(s, e)), Some(true)) = (spans.first(), caps.first().copied()) {
            let opens = chars[..s].iter().all(|c| c.is_whitespace());
            if opens && e - s >= 3 && dateline_follows(&chars[e..]) {
                recase[0] = true;
            }
        }
    }
    if !recase.iter().any(|r| *r) {
        return None;
    }
    let mut out = chars.clone();
    let mut first = true;
    for (k, &(s, e)) in spans.iter().enumerate() {
        if recase[k] {
            if let Some(form) = recased(&chars[s..e], case, first) {
                out[s..e].copy_from_slice(&form);
            }
        }
        first = false;
    }
    Some(out.into_iter().collect())
}

fn dateline_follows(rest: &[char]) -> bool {
    match rest.first() {
        Some('.' | ',' | ':' | '/') => true,
        Some(c) if c.is_whitespace() => {
            let next = rest.iter().find(|c| !c.is_whitespace());
            matches!(next, Some('(' | '-' | '–' | '—'))
        }
        _ => false,
    }
}

/// The recased form of a capitalised word, the same number of chars, or `None` to keep it.
fn recased(word: &[char], case: &ArticleCase, sentence_start: bool) -> Option<Vec<char>> {
    let lower: String = word.iter().map(|&c| lower_char(c)).collect();
    if let Some(form) = case.forms.get(&lower) {
        let form: Vec<char> = form.chars().collect();
        if form.len() == word.len() {
            let mut form = form;
            if sentence_start {
                form[0] = word[0];
            }
            return Some(form);
        }
    }
    if word.len() <= 3 {
        return None;
    }
    let mut out: Vec<char> = word.iter().map(|&c| lower_char(c)).collect();
    out[0] = word[0];
    Some(out)
}

fn lower_char(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// At least two letters, all of them capitals.
fn is_caps(word: &[char]) -> bool {
    word.iter().filter(|c| c.is_alphabetic()).count() >= 2
        && word.iter().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// Runs of letters (a word split at hyphens and apostrophes into its parts).
fn word_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let s = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

fn words(chars: &[char]) -> impl Iterator<Item = &[char]> {
    word_spans(chars)
        .into_iter()
        .map(move |(s, e)| &chars[s..e])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(sentence: &str, article: &str) -> String {
        model_view(sentence, &ArticleCase::new(article)).unwrap_or_else(|| sentence.to_string())
    }

    #[test]
    fn datelines_headlines_and_runs() {
        let body = "Die Stadt Heringen liegt an der Werra. Man lebt gut in Heringen.";
        assert_eq!(
            view("KASSEL. Die Stadt wächst.", body),
            "Kassel. Die Stadt wächst."
        );
        assert_eq!(
            view("HAMBURG (dpa) - Der Senat tagt.", body),
            "Hamburg (dpa) - Der Senat tagt."
        );
        assert_eq!(
            view("WERK IN HERINGEN SCHLIESST", body),
            "Werk in Heringen Schliesst"
        );
        assert_eq!(
            view("Im RHEIN-SIEG-KREIS regnet es.", body),
            "Im Rhein-Sieg-Kreis regnet es."
        );
        // Short words the article never writes otherwise stay in capitals (acronyms).
        assert_eq!(
            view("Gäste aus BAD HERSFELD kamen.", body),
            "Gäste aus BAD Hersfeld kamen."
        );
    }

    #[test]
    fn acronyms_and_ordinary_text_stay() {
        let body = "Die SPD und die CDU/CSU stimmten zu.";
        assert_eq!(
            view("Die SPD und die CDU/CSU stimmten zu.", body),
            "Die SPD und die CDU/CSU stimmten zu."
        );
        assert_eq!(
            view("NATO-Chef reist nach Kiew.", body),
            "NATO-Chef reist nach Kiew."
        );
        assert!(model_view("Eine ganz normale Zeile.", &ArticleCase::new(body)).is_none());
    }

    #[test]
    fn the_view_keeps_every_offset() {
        let s = "STRASSE ÄRGER İSTANBUL GROSSE";
        let v = view(s, "");
        assert_eq!(v.chars().count(), s.chars().count());
        assert_eq!(v, "Strasse Ärger İstanbul Grosse");
    }
}
