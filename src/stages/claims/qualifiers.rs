//! Words before a number that say how exact it is ("bis zu", "fast", "mehr als").

use super::lexer::Tokens;
use super::Qualifier;

/// The qualifier ending right before token `first`: its first token and its meaning. `floor`
/// is the first token it may use (the end of the previous expression).
pub(crate) fn before(t: &Tokens, first: usize, floor: usize) -> Option<(usize, Qualifier)> {
    if first == 0 || first <= floor || t.toks[first].line_break_before {
        return None;
    }
    let w1 = t.word(first - 1);
    let w2 = if first >= 2 && first - 2 >= floor && !t.toks[first - 1].line_break_before {
        t.word(first - 2)
    } else {
        ""
    };
    let w3 = if first >= 3 && first - 3 >= floor && !t.toks[first - 2].line_break_before {
        t.word(first - 3)
    } else {
        ""
    };
    use Qualifier::*;
    // Three-word phrases first: "nicht mehr als" bounds from above, unlike "mehr als".
    let three = match (w3, w2, w1) {
        ("nicht", "mehr", "als") | ("no", "more", "than") | ("not", "more", "than") => {
            Some(UpperBound)
        }
        ("nicht", "weniger", "als") | ("no", "less", "than") | ("not", "less", "than") => {
            Some(LowerBound)
        }
        ("so", "gut", "wie") => Some(Approx),
        ("as", "many", "as") | ("as", "much", "as") => Some(UpperBound),
        _ => None,
    };
    if let Some(q) = three {
        return Some((first - 3, q));
    }
    let two = match (w2, w1) {
        ("bis", "zu") | ("up", "to") | ("at", "most") => Some(UpperBound),
        ("weniger", "als") | ("less", "than") | ("fewer", "than") => Some(UpperBound),
        ("mehr", "als") | ("more", "than") | ("at", "least") | ("upwards", "of") => {
            Some(LowerBound)
        }
        ("in", "etwa") | ("close", "to") | ("an", "estimated") => Some(Approx),
        // Comparatives bound the number like "mehr als": "älter als 55 Jahre".
        (
            "älter" | "länger" | "höher" | "größer" | "older" | "longer" | "higher" | "larger"
            | "greater",
            "als" | "than",
        ) => Some(LowerBound),
        (
            "jünger" | "kürzer" | "niedriger" | "kleiner" | "geringer" | "younger" | "shorter"
            | "lower" | "smaller",
            "als" | "than",
        ) => Some(UpperBound),
        _ => None,
    };
    if let Some(q) = two {
        return Some((first - 2, q));
    }
    // "ca." and "max." come as word + period.
    if t.is_punct(first - 1, '.') && first >= 2 && first - 2 >= floor {
        return match t.word(first - 2) {
            "ca" | "rd" | "approx" => Some((first - 2, Approx)),
            "max" => Some((first - 2, UpperBound)),
            "mind" | "min" => Some((first - 2, LowerBound)),
            _ => None,
        };
    }
    let one = match w1 {
        "etwa" | "rund" | "circa" | "zirka" | "fast" | "knapp" | "beinahe" | "nahezu"
        | "ungefähr" | "kaum" | "schätzungsweise" | "annähernd" | "about" | "around"
        | "approximately" | "roughly" | "nearly" | "almost" | "some" | "barely" => Some(Approx),
        "höchstens" | "unter" | "maximal" | "under" | "below" => Some(UpperBound),
        "über" | "mindestens" | "gut" | "wenigstens" | "over" | "above" => Some(LowerBound),
        _ => None,
    };
    if w1 == "über" && governed_by_verb(t, first - 1, floor) {
        return None;
    }
    one.map(|q| (first - 1, q))
}

/// The longest of `phrases` ("plus de", "jusqu'à", "zo'n", "ca.") ending right before token
/// `first`, or before an article there ("casi un 20", "hasta el 30"): its first token and
/// meaning. Phrases are lower case, words split at spaces and apostrophes.
pub(crate) fn before_phrase(
    t: &Tokens,
    first: usize,
    floor: usize,
    phrases: &[(&str, Qualifier)],
) -> Option<(usize, Qualifier)> {
    const ARTICLES: [&str; 12] = [
        "un", "una", "el", "la", "il", "lo", "l", "le", "les", "de", "het", "een",
    ];
    let ends = [first, skip_article_back(t, first, floor, &ARTICLES)];
    let mut best: Option<(usize, Qualifier)> = None;
    for &end in ends.iter() {
        for (phrase, q) in phrases {
            let pieces = pieces(phrase);
            let n = pieces.len();
            if end < n || end - n < floor {
                continue;
            }
            let start = end - n;
            let ok = pieces.iter().enumerate().all(|(k, p)| {
                let i = start + k;
                if k > 0 && t.toks[i].line_break_before {
                    return false;
                }
                match p {
                    Piece::Word(w) => t.word(i) == *w,
                    Piece::Punct(c) => t.is_punct(i, *c) || (*c == '\'' && t.is_punct(i, '’')),
                }
            }) && !t.toks[end].line_break_before;
            if ok && best.is_none_or(|(b, _)| start < b) {
                best = Some((start, *q));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

fn skip_article_back(t: &Tokens, first: usize, floor: usize, articles: &[&str]) -> usize {
    if first > floor + 1
        && matches!(t.kind(first - 1), super::lexer::Kind::Punct('\'' | '’'))
        && articles.contains(&t.word(first - 2))
    {
        return first - 2;
    }
    if first > floor && articles.contains(&t.word(first - 1)) {
        return first - 1;
    }
    first
}

enum Piece<'a> {
    Word(&'a str),
    Punct(char),
}

fn pieces(phrase: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in phrase.char_indices() {
        if c.is_alphabetic() || (c == '-' && start.is_some()) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Piece::Word(&phrase[s..i]));
        }
        if !c.is_whitespace() {
            out.push(Piece::Punct(c));
        }
    }
    if let Some(s) = start {
        out.push(Piece::Word(&phrase[s..]));
    }
    out
}

/// "verfügt im Landtag über 122 Sitze", "berichtet über 5 Fälle": "über" belongs to the verb,
/// not to the number.
fn governed_by_verb(t: &Tokens, ueber: usize, floor: usize) -> bool {
    const STEMS: [&str; 14] = [
        "verfüg",
        "bericht",
        "sprech",
        "sprach",
        "informier",
        "entscheid",
        "entschied",
        "abstimm",
        "diskutier",
        "verhandel",
        "streit",
        "klag",
        "freu",
        "beschwer",
    ];
    (ueber.saturating_sub(6).max(floor)..ueber)
        .any(|k| STEMS.iter().any(|s| t.word(k).starts_with(s)))
}
