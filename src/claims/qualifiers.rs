//! Words before a number that say how exact it is ("bis zu", "fast", "mehr als").

use super::tokens::Tokens;
use super::Qualifier;

/// The qualifier ending right before token `first`: its first token and its meaning. `floor`
/// is the first token it may use (the end of the previous expression).
pub(crate) fn before(t: &Tokens, first: usize, floor: usize) -> Option<(usize, Qualifier)> {
    if first == 0 || first <= floor || t.toks[first].nl {
        return None;
    }
    let w1 = t.word(first - 1);
    let w2 = if first >= 2 && first - 2 >= floor && !t.toks[first - 1].nl {
        t.word(first - 2)
    } else {
        ""
    };
    let w3 = if first >= 3 && first - 3 >= floor && !t.toks[first - 2].nl {
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
