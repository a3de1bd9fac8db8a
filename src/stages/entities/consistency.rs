//! One name, one label within an article: mentions with the same text read under different
//! labels ("Nordmann" as ORG in one sentence and PER in the next) are put to a vote weighted by
//! the model's scores. A mention keeps its own label only when the model was surer of it than
//! of the winning label on average: the context then differs clearly (a town and its club).

use std::collections::HashMap;

use crate::document::Entity;

/// Relabels the minority mentions of each text that has several labels; returns how many
/// mentions changed label.
pub(super) fn vote_labels(entities: &mut [Entity]) -> usize {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        by_text.entry(e.text.as_str()).or_default().push(i);
    }
    let mut changes: Vec<(usize, String)> = Vec::new();
    for members in by_text.values() {
        if members.len() < 2 {
            continue;
        }
        // label → (summed score, mentions), in order of first mention for stable ties
        let mut tally: Vec<(&str, f64, usize)> = Vec::new();
        for &i in members {
            let e = &entities[i];
            match tally.iter_mut().find(|t| t.0 == e.label) {
                Some(t) => {
                    t.1 += e.score;
                    t.2 += 1;
                }
                None => tally.push((e.label.as_str(), e.score, 1)),
            }
        }
        if tally.len() < 2 {
            continue;
        }
        let total: f64 = tally.iter().map(|t| t.1).sum();
        let winner = tally
            .iter()
            .fold(None::<&(&str, f64, usize)>, |best, t| match best {
                Some(b) if b.1 >= t.1 => Some(b),
                _ => Some(t),
            })
            .expect("two labels");
        if winner.1 * 2.0 <= total {
            continue;
        }
        let winner_mean = winner.1 / winner.2 as f64;
        for &i in members {
            let e = &entities[i];
            if e.label != winner.0 && e.score < winner_mean {
                changes.push((i, winner.0.to_string()));
            }
        }
    }
    let changed = changes.len();
    for (i, label) in changes {
        entities[i].label = label;
    }
    changed
}

/// Splits a person span made of names the article also writes alone as persons: "dass Putin
/// Kim künftig ... versorgen könnte" read as one person "Putin Kim" when "Putin" and "Kim"
/// occur as persons elsewhere (German word order often puts subject and object names side by
/// side). `forms` (the completed forms of elliptical compounds) stays parallel to
/// `entities`. Returns how many spans were split.
pub(super) fn split_adjacent_persons(
    entities: &mut Vec<Entity>,
    forms: &mut Vec<Option<String>>,
) -> usize {
    let alone: std::collections::HashSet<String> = entities
        .iter()
        .filter(|e| e.label == "PER" && !e.text.contains(char::is_whitespace))
        .map(|e| e.text.clone())
        .collect();
    let mut split = 0;
    let mut i = 0;
    while i < entities.len() {
        let e = &entities[i];
        let words: Vec<String> = e.text.split(' ').map(str::to_string).collect();
        if e.label != "PER" || words.len() < 2 || !words.iter().all(|w| alone.contains(w)) {
            i += 1;
            continue;
        }
        let original = entities.remove(i);
        forms.remove(i);
        let mut start = original.start;
        for (k, w) in words.iter().enumerate() {
            let len = w.chars().count();
            let mut part = original.clone();
            part.text = w.clone();
            part.start = start;
            part.end = start + len;
            entities.insert(i + k, part);
            forms.insert(i + k, None);
            start += len + 1;
        }
        i += words.len();
        split += 1;
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(text: &str, label: &str, score: f64) -> Entity {
        Entity {
            text: text.into(),
            label: label.into(),
            start: 0,
            end: 0,
            score,
            sentence: 0,
            canonical: String::new(),
            boilerplate: false,
        }
    }

    #[test]
    fn the_majority_by_score_wins_unless_a_mention_is_surer() {
        let mut e = vec![
            ent("Nordmann", "ORG", 0.9),
            ent("Nordmann", "PER", 0.6),
            ent("Nordmann", "ORG", 0.8),
            ent("Kassel", "LOC", 0.99),
            ent("Kassel", "ORG", 0.995),
            ent("Kassel", "LOC", 0.98),
        ];
        assert_eq!(vote_labels(&mut e), 1);
        let labels: Vec<&str> = e.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["ORG", "ORG", "ORG", "LOC", "ORG", "LOC"]);
    }

    #[test]
    fn an_even_split_changes_nothing() {
        let mut e = vec![ent("Apple", "ORG", 0.7), ent("Apple", "MISC", 0.7)];
        assert_eq!(vote_labels(&mut e), 0);
    }

    #[test]
    fn adjacent_persons_known_alone_are_split() {
        let mut e = vec![
            ent("Putin", "PER", 0.9),
            ent("Kim", "PER", 0.9),
            ent("Putin Kim", "PER", 0.8),
            ent("Kim Jong Un", "PER", 0.9),
        ];
        e[2].start = 10;
        e[2].end = 19;
        let mut forms = vec![None; 4];
        assert_eq!(split_adjacent_persons(&mut e, &mut forms), 1);
        let got: Vec<(&str, usize, usize)> = e
            .iter()
            .map(|x| (x.text.as_str(), x.start, x.end))
            .collect();
        assert_eq!(
            got,
            [
                ("Putin", 0, 0),
                ("Kim", 0, 0),
                ("Putin", 10, 15),
                ("Kim", 16, 19),
                ("Kim Jong Un", 0, 0)
            ]
        );
        assert_eq!(forms.len(), 5);
    }
}
