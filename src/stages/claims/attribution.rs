//! Who the sentence says states its numbers: "laut US-Berichten", "Den Berichten zufolge",
//! ", schätzt die südkoreanische Regierung", ", so Sicherheitsexpertin Suh". Only the source
//! phrase as written; the NER stage may later resolve it to an entity.

use super::lexer::{Kind, Tokens};

/// Speech and estimate verbs that introduce a source after them (inverted order after a
/// quote or clause: "…, berichtet Suh").
pub(super) fn speech_verb(w: &str) -> bool {
    matches!(
        w,
        "sagt"
            | "sagte"
            | "sagen"
            | "sagten"
            | "berichtet"
            | "berichtete"
            | "berichten"
            | "berichteten"
            | "schätzt"
            | "schätzte"
            | "schätzen"
            | "schätzten"
            | "erklärt"
            | "erklärte"
            | "meint"
            | "meinte"
            | "betont"
            | "betonte"
            | "behauptet"
            | "behauptete"
            | "schreibt"
            | "schrieb"
            | "warnt"
            | "warnte"
            | "teilte"
            | "teilt"
            | "melden"
            | "meldet"
            | "meldete"
            | "said"
            | "says"
            | "reported"
            | "reports"
            | "estimated"
            | "estimates"
            | "told"
            | "stated"
    )
}

fn article(w: &str) -> bool {
    matches!(
        w,
        "der"
            | "die"
            | "das"
            | "des"
            | "dem"
            | "den"
            | "von"
            | "vom"
            | "ein"
            | "eine"
            | "einer"
            | "eines"
            | "einem"
            | "einen"
            | "the"
            | "of"
            | "a"
            | "an"
    )
}

fn adjective_like(w: &str) -> bool {
    w.chars().count() > 3 && ["e", "en", "er", "es", "em"].iter().any(|s| w.ends_with(s))
}

/// English words that end a source phrase ("officials said that …").
fn en_clause_word(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "which"
            | "who"
            | "is"
            | "are"
            | "was"
            | "were"
            | "said"
            | "says"
            | "on"
            | "in"
            | "at"
            | "for"
            | "to"
            | "and"
            | "but"
            | "as"
            | "with"
            | "have"
            | "has"
            | "had"
    )
}

fn is_quote(t: &Tokens, k: usize) -> bool {
    matches!(t.kind(k), Kind::Punct('"' | '„' | '“' | '”' | '»' | '«'))
}

/// End (exclusive token index) of the noun phrase naming a source from token `i` on; `None`
/// when no capitalised word is in it.
fn np_forward(t: &Tokens, i: usize, end: usize, english: bool) -> Option<usize> {
    let mut k = i;
    let mut last_cap = None;
    while k < end && k - i < 10 {
        if k > i && t.toks[k].line_break_before {
            break;
        }
        if is_quote(t, k) {
            // Quoted titles are part of the phrase: laut der "New York Times".
        } else if t.capitalized(k) {
            last_cap = Some(k);
        } else if english && t.is_word(k) && !en_clause_word(t.low(k)) {
            // English nouns are lower-case: "according to Ukrainian officials".
            last_cap = Some(k);
        } else if t.is_word(k) {
            let w = t.low(k);
            let n = if k + 1 < end && is_quote(t, k + 1) {
                k + 2
            } else {
                k + 1
            };
            let next_ok = n < end && (t.capitalized(n) || adjective_like(t.word(n)));
            // After a noun only a genitive or "von" phrase continues the source ("Vertretern
            // der US-Regierung"); a bare adjective-like word there is the verb ("lebten").
            let prev_article = k > i && article(t.word(k - 1));
            let adjective_ok = last_cap.is_none() || prev_article;
            if !((article(w) || (adjective_like(w) && adjective_ok)) && next_ok) {
                break;
            }
        } else {
            break;
        }
        k += 1;
    }
    // A closing quote right after the last name belongs to it.
    last_cap.map(|c| {
        if c + 1 < end && is_quote(t, c + 1) {
            c + 2
        } else {
            c + 1
        }
    })
}

/// Start token of the noun phrase ending right before token `i` ("Ukrainischen Angaben").
fn np_backward(t: &Tokens, i: usize, start: usize) -> Option<usize> {
    let mut k = i;
    let mut first_cap = None;
    while k > start && i - k < 6 {
        let p = k - 1;
        if t.capitalized(p) {
            first_cap = Some(p);
        } else if t.is_word(p) && (article(t.low(p)) || adjective_like(t.low(p))) {
        } else {
            break;
        }
        if t.toks[p].line_break_before {
            k = p;
            break;
        }
        k = p;
    }
    // Leading articles and adjectives belong to the phrase ("Den Berichten").
    first_cap.map(|_| k)
}

/// The source phrase of the sentence spanning bytes [`sb`, `se`), as a byte range.
pub(crate) fn find(t: &Tokens, sb: usize, se: usize, english: bool) -> Option<(usize, usize)> {
    let first = t.toks.partition_point(|x| x.byte_start < sb);
    let end = t.toks.partition_point(|x| x.byte_start < se);
    let span = |a: usize, b: usize| Some((t.toks[a].byte_start, t.toks[b - 1].byte_end));
    for i in first..end {
        if t.kind(i) != Kind::Word {
            continue;
        }
        let w = t.low(i);
        match w {
            "laut" => {
                if let Some(e) = np_forward(t, i + 1, end, english) {
                    return span(i, e);
                }
            }
            "according" if english && t.word(i + 1) == "to" => {
                if let Some(e) = np_forward(t, i + 2, end, english) {
                    return span(i, e);
                }
            }
            "zufolge" => {
                if let Some(s) = np_backward(t, i, first) {
                    return span(s, i + 1);
                }
            }
            "nach" if matches!(t.word(i + 1), "angaben" | "schätzungen" | "informationen") => {
                let e = np_forward(t, i + 2, end, english).unwrap_or(i + 2);
                return span(i, e);
            }
            "so" if i > first && t.is_punct(i - 1, ',') => {
                if let Some(e) = np_forward(t, i + 1, end, english) {
                    return span(i, e);
                }
            }
            _ if speech_verb(w) => {
                // Inverted: the source follows the verb.
                if let Some(e) = np_forward(t, i + 1, end, english) {
                    if i > first
                        && matches!(t.kind(i - 1), Kind::Punct(_))
                        && !t.is_punct(i - 1, '(')
                    {
                        return span(i, e);
                    }
                }
                // Plain order: "Suh sagt, …" / "Officials said." — only where the verb closes
                // its clause, so a subject that merely reports ("Journalisten berichten über")
                // is not taken for a source.
                let closes = i + 1 < end
                    && (matches!(t.kind(i + 1), Kind::Punct(',' | ':' | '.'))
                        || matches!(t.word(i + 1), "dass" | "that"));
                if closes {
                    if let Some(s) = np_backward(t, i, first) {
                        return span(s, i + 1);
                    }
                }
            }
            _ => {}
        }
    }
    None
}
