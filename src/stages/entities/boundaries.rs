//! Span edges the model gets wrong in ways the text around the span settles:
//! - abbreviated first names belong to the person ("Th. Meier", "R. Schulz", "H.-J. Wagner"):
//!   the model tends to take the surname only;
//! - an institution named by its kind and its place is one organisation ("Arbeitsamt Kassel",
//!   "Landgerichts Darmstadt", "Stadtwerke Göttingen"): the model tends to take the place only;
//! - a byline's "Von" is not part of the name ("Von Miriam Sander" at the start of a line).

use crate::document::Entity;

/// Words ending in these name an institution when a place follows: the pair is one ORG.
const INSTITUTION_HEADS: &[&str] = &[
    "amt",
    "amts",
    "gericht",
    "gerichts",
    "werke",
    "regierung",
    "anwaltschaft",
    "präsidium",
    "präsidiums",
    "kammer",
    "verwaltung",
    "zentrale",
    "behörde",
    "universität",
    "hochschule",
    "klinikum",
    "klinikums",
    "sparkasse",
    "direktion",
    "polizei",
    "agentur",
];

/// Title abbreviations that look like initials but are not part of the name.
const TITLES: &[&str] = &[
    "dr", "hr", "fr", "st", "nr", "bd", "pr", "sr", "jr", "mr", "ms",
];

/// Where a PER span starting at `start` should start when abbreviated first names stand
/// right before it ("Th. Meier" → the start of "Th.").
pub(super) fn with_initials(chars: &[char], start: usize) -> usize {
    let mut start = start;
    loop {
        if start < 2 || chars[start - 1] != ' ' {
            return start;
        }
        let e = start - 1;
        let mut s = e;
        while s > 0 && !chars[s - 1].is_whitespace() {
            s -= 1;
        }
        if !is_initial(&chars[s..e]) {
            return start;
        }
        start = s;
    }
}

/// "R.", "Th.", "Chr.", "H.-J.": capitals with a period, or a capital and up to two lower-case
/// consonants with a period (no German word is written without a vowel).
fn is_initial(word: &[char]) -> bool {
    let w: String = word.iter().collect();
    let Some(body) = w.strip_suffix('.') else {
        return false;
    };
    if body.split(".-").count() == 2 {
        return body.split(".-").all(is_one_initial);
    }
    is_one_initial(body)
}

fn is_one_initial(p: &str) -> bool {
    let mut chars = p.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    first.is_uppercase()
        && rest.len() <= 2
        && rest
            .iter()
            .all(|c| c.is_lowercase() && !"aeiouäöüy".contains(*c))
        && !TITLES.contains(&p.to_lowercase().as_str())
}

/// Where a span starting at `start` (the first char of its first word) should start when that
/// word is a byline's "Von" before a capitalised name at the start of a line.
pub(super) fn without_byline_von(chars: &[char], start: usize, end: usize) -> usize {
    let line_start = chars[..start]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace());
    let rest = &chars[start..end];
    if line_start && rest.len() > 5 && rest[..4] == ['V', 'o', 'n', ' '] && rest[4].is_uppercase() {
        start + 4
    } else {
        start
    }
}

/// Joins an institution's kind and its place into one ORG: a LOC entity right after (one
/// space) a capitalised word ending in an institution head ("Arbeitsamt Kassel"), whether that
/// word was an entity of its own ("Stadtwerke" ORG + "Göttingen" LOC) or none. `slice(s, e)`
/// gives the article's chars `[s, e)`; `entities` are in text order. Returns how many were
/// joined.
pub(super) fn join_institutions(
    entities: &mut Vec<Entity>,
    forms: &mut Vec<Option<String>>,
    chars: &[char],
) -> usize {
    let mut joined = 0;
    let mut i = 0;
    while i < entities.len() {
        if entities[i].label != "LOC" {
            i += 1;
            continue;
        }
        let start = entities[i].start;
        if start < 2 || chars[start - 1] != ' ' {
            i += 1;
            continue;
        }
        let e = start - 1;
        let mut s = e;
        while s > 0 && (chars[s - 1].is_alphabetic() || chars[s - 1] == '-') {
            s -= 1;
        }
        let word: String = chars[s..e].iter().collect();
        let lower = word.to_lowercase();
        let head = word.chars().next().is_some_and(char::is_uppercase)
            && (s == 0 || chars[s - 1].is_whitespace() || matches!(chars[s - 1], '(' | '"' | '„'))
            && INSTITUTION_HEADS.iter().any(|h| lower.ends_with(h));
        if !head {
            i += 1;
            continue;
        }
        // The head word as an entity of its own (ORG, MISC, LOC) ends right before the place.
        let before = i
            .checked_sub(1)
            .filter(|&p| entities[p].start == s && entities[p].end == e);
        if i > 0 && before.is_none() && entities[i - 1].end > s {
            // The head word lies inside a longer entity: leave both as they are.
            i += 1;
            continue;
        }
        let end = entities[i].end;
        let entity = &mut entities[i];
        entity.start = s;
        entity.label = "ORG".to_string();
        entity.text = chars[s..end].iter().collect();
        forms[i] = None;
        if let Some(p) = before {
            entities[i].score = (entities[i].score + entities[p].score) / 2.0;
            entities.remove(p);
            forms.remove(p);
            i -= 1;
        }
        joined += 1;
        i += 1;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn at(s: &str, part: &str) -> usize {
        s[..s.find(part).unwrap()].chars().count()
    }

    #[test]
    fn initials_join_the_surname() {
        let s = "Laut Th. Meier und H.-J. Wagner sowie Dr. Beck und R. Schulz";
        let c = chars(s);
        assert_eq!(with_initials(&c, at(s, "Meier")), at(s, "Th."));
        assert_eq!(with_initials(&c, at(s, "Wagner")), at(s, "H.-J."));
        assert_eq!(with_initials(&c, at(s, "Beck")), at(s, "Beck"));
        assert_eq!(with_initials(&c, at(s, "Schulz")), at(s, "R."));
        let s = "Der Ort Ende. Meier kam.";
        assert_eq!(with_initials(&chars(s), at(s, "Meier")), at(s, "Meier"));
    }

    #[test]
    fn byline_von_is_trimmed() {
        let s = "Kultur\nVon Miriam Sander\nText";
        let c = chars(s);
        let st = at(s, "Von");
        assert_eq!(without_byline_von(&c, st, st + 17), at(s, "Miriam"));
        let s = "Von der Leyen sagte";
        assert_eq!(without_byline_von(&chars(s), 0, 13), 0);
    }

    fn ent(text: &str, s: &str, label: &str) -> Entity {
        Entity::found_in(text, s, label)
    }

    #[test]
    fn institution_and_place_are_one_organisation() {
        let s = "Das Arbeitsamt Kassel und die Stadtwerke Göttingen sowie der Landkreis Fulda.";
        let mut e = vec![
            ent("Kassel", s, "LOC"),
            ent("Stadtwerke", s, "ORG"),
            ent("Göttingen", s, "LOC"),
            ent("Fulda", s, "LOC"),
        ];
        let mut forms = vec![None; 4];
        assert_eq!(join_institutions(&mut e, &mut forms, &chars(s)), 2);
        let got: Vec<(&str, &str)> = e
            .iter()
            .map(|x| (x.text.as_str(), x.label.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Arbeitsamt Kassel", "ORG"),
                ("Stadtwerke Göttingen", "ORG"),
                ("Fulda", "LOC")
            ]
        );
        assert_eq!(forms.len(), 3);
    }
}
