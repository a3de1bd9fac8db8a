//! Mentions of one entity within an article, grouped under the longest form seen.
//!
//! Within one label, a mention's words (split at white space) are first normalised: a final
//! German genitive (`Putins`, `Deutschlands`, `Merz'`, `Kim's`) loses its ending when the
//! base form occurs in another mention of that label. A form contained, as a run of whole
//! words, in a longer form of the same label belongs to it ("Kim" → "Kim Jong Un", "Jong Un"
//! → "Kim Jong Un"); when it fits several longest forms ("Kim" in "Kim Jong Un" and "Kim Yo
//! Jong") it is ambiguous and stays its own canonical form.
//!
//! Names are compared in a folded spelling (lower case, hyphens as spaces, a leading "w" read
//! as "v"), so transliteration and hyphenation variants are one name ("Wladimir Putin" and
//! "Vladimir Putin", "Kim Jong Un" and "Kim Jong-un"); the canonical form is written as its
//! most frequent spelling. A one-word MISC adjective is grouped under its base form
//! ("nordkoreanische", "nordkoreanischen" → "nordkoreanisch").

use std::collections::{BTreeMap, HashMap};

use crate::document::{Entity, EntitySummary};

/// Fills `canonical` of every entity and returns the article's `entity_summary`: each
/// canonical form once, with the most frequent label among its mentions (ties: the label of
/// its first mention) and the mention count, in order of first mention.
pub fn assign_canonical(entities: &mut [Entity]) -> Vec<EntitySummary> {
    assign_canonical_as(entities, &[])
}

/// [`assign_canonical`], reading mention `i` as `forms[i]` where that is given instead of its
/// text: the completed form of an elliptical compound ("Süd-" read as "Südkorea").
pub fn assign_canonical_as(
    entities: &mut [Entity],
    forms: &[Option<String>],
) -> Vec<EntitySummary> {
    assign(entities, forms, &[])
}

/// Counts in `summary` only the mentions outside page furniture, dropping names left with none;
/// most mentioned first, as [`assign_canonical_as`] orders them.
pub fn recount_without_boilerplate(summary: &mut Vec<EntitySummary>, entities: &[Entity]) {
    for s in summary.iter_mut() {
        s.mentions = entities
            .iter()
            .filter(|e| !e.boilerplate && e.canonical == s.canonical && e.label == s.label)
            .count();
    }
    summary.retain(|s| s.mentions > 0);
    summary.sort_by_key(|s| std::cmp::Reverse(s.mentions));
}

/// [`assign_canonical`] over distinct names that stand for `weights[i]` mentions each (the
/// drop level): the most frequent spelling of a name is counted in mentions, not names.
pub fn assign_canonical_weighted(entities: &mut [Entity], weights: &[usize]) -> Vec<EntitySummary> {
    assign(entities, &[], weights)
}

fn assign(
    entities: &mut [Entity],
    forms: &[Option<String>],
    weights: &[usize],
) -> Vec<EntitySummary> {
    let texts: Vec<String> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let text = forms.get(i).and_then(Option::as_deref).unwrap_or(&e.text);
            match adjective_base(text) {
                Some(base) if e.label == "MISC" => base,
                _ => text.to_string(),
            }
        })
        .collect();
    let words: Vec<Vec<&str>> = texts
        .iter()
        .map(|t| t.split_whitespace().collect())
        .collect();

    let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entities.iter().enumerate() {
        by_label.entry(e.label.as_str()).or_default().push(i);
    }

    let mut canonical: Vec<String> = vec![String::new(); entities.len()];
    for members in by_label.values() {
        let written: Vec<Vec<String>> = members
            .iter()
            .map(|&i| normalise(&words[i], members.iter().map(|&j| &words[j])))
            .collect();
        let person = entities[members[0]].label == "PER";
        let normal: Vec<Vec<String>> = written.iter().map(|w| fold(w, person)).collect();
        // The most frequent spelling of each folded form; a tie goes to the first seen.
        let mut spellings: HashMap<&Vec<String>, Vec<(String, usize)>> = HashMap::new();
        for ((n, w), &i) in normal.iter().zip(&written).zip(members.iter()) {
            let weight = weights.get(i).copied().unwrap_or(1);
            let seen = spellings.entry(n).or_default();
            let text = w.join(" ");
            match seen.iter_mut().find(|(s, _)| *s == text) {
                Some((_, n)) => *n += weight,
                None => seen.push((text, weight)),
            }
        }
        let spelling = |form: &Vec<String>| -> String {
            spellings
                .get(form)
                .and_then(|m| {
                    m.iter()
                        .rev()
                        .max_by_key(|(_, n)| *n)
                        .map(|(s, _)| s.clone())
                })
                .unwrap_or_else(|| form.join(" "))
        };
        let mut forms: Vec<&Vec<String>> = normal.iter().collect();
        forms.sort();
        forms.dedup();
        let maximal: Vec<&Vec<String>> = forms
            .iter()
            .copied()
            .filter(|f| !forms.iter().any(|g| g.len() > f.len() && contains(g, f)))
            .collect();
        for (k, &i) in members.iter().enumerate() {
            let form = &normal[k];
            let containing: Vec<&&Vec<String>> = maximal
                .iter()
                .filter(|g| g.len() >= form.len() && contains(g, form))
                .collect();
            let chosen: &Vec<String> = match containing.as_slice() {
                [one] => one,
                _ => form,
            };
            canonical[i] = spelling(chosen);
        }
    }

    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, (usize, Vec<&str>)> = HashMap::new();
    for (e, c) in entities.iter_mut().zip(canonical) {
        e.canonical = c;
    }
    for e in entities.iter() {
        let c = e.canonical.clone();
        let entry = groups.entry(c.clone()).or_insert_with(|| {
            order.push(c);
            (0, Vec::new())
        });
        entry.0 += 1;
        entry.1.push(e.label.as_str());
    }
    order
        .into_iter()
        .map(|c| {
            let (mentions, labels) = &groups[&c];
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for l in labels {
                match counts.iter_mut().find(|(x, _)| x == l) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((l, 1)),
                }
            }
            // max_by_key keeps the last maximum; scan in reverse so the earliest label wins.
            let label = counts
                .iter()
                .rev()
                .max_by_key(|(_, n)| *n)
                .map(|(l, _)| l.to_string())
                .unwrap_or_default();
            EntitySummary {
                canonical: c,
                label,
                mentions: *mentions,
            }
        })
        .collect()
}

/// A name's words as compared: lower case, a leading "w" read as "v" (German and English
/// transliterations of the same name), and for persons split at hyphens ("Kim Jong-un"); other
/// names keep their hyphenated words whole ("russisch-südkoreanisch" is not "südkoreanisch").
fn fold(words: &[String], person: bool) -> Vec<String> {
    let split = |w: &String| -> Vec<String> {
        if person {
            w.split('-').map(str::to_string).collect()
        } else {
            vec![w.clone()]
        }
    };
    words
        .iter()
        .flat_map(split)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lower = p.to_lowercase();
            match lower.strip_prefix('w') {
                Some(rest) => format!("v{rest}"),
                None => lower,
            }
        })
        .collect()
}

/// The base form of a one-word adjective with a German ending: "nordkoreanischen" →
/// "nordkoreanisch", "russisch-südkoreanische" → "russisch-südkoreanisch", "Deutsche" →
/// "deutsch"; `None` for anything else.
fn adjective_base(text: &str) -> Option<String> {
    if text.contains(char::is_whitespace) || text.chars().all(|c| !c.is_lowercase()) {
        return None;
    }
    let lower = text.to_lowercase();
    ["e", "en", "er", "es", "em"].iter().find_map(|end| {
        let stem = lower.strip_suffix(end)?;
        (stem.ends_with("sch") && stem.chars().count() >= 5).then(|| stem.to_string())
    })
}

fn contains<S: AsRef<str>, T: AsRef<str>>(long: &[S], short: &[T]) -> bool {
    !short.is_empty()
        && short.len() <= long.len()
        && long
            .windows(short.len())
            .any(|w| w.iter().zip(short).all(|(a, b)| a.as_ref() == b.as_ref()))
}

/// The mention's words with a final genitive ending removed when the base form is
/// attested among `others`.
fn normalise<'a>(
    words: &[&str],
    others: impl Iterator<Item = &'a Vec<&'a str>> + Clone,
) -> Vec<String> {
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let Some(last) = words.last() else {
        return out;
    };
    for base in genitive_bases(last) {
        let mut candidate: Vec<&str> = words[..words.len() - 1].to_vec();
        candidate.push(base);
        if others.clone().any(|o| contains(o, &candidate)) {
            *out.last_mut().expect("non-empty") = base.to_string();
            break;
        }
    }
    out
}

/// Possible base forms of a word with a genitive ending: `Kim's`/`Kim’s` → `Kim`,
/// `Merz'` → `Merz`, `Putins` → `Putin`.
fn genitive_bases(word: &str) -> Vec<&str> {
    let mut bases = Vec::new();
    for suffix in ["'s", "’s", "'", "’", "s"] {
        if let Some(base) = word.strip_suffix(suffix) {
            if base.chars().count() >= 2 && base.chars().last().is_some_and(char::is_alphanumeric) {
                bases.push(base);
            }
        }
    }
    bases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(text: &str, label: &str) -> Entity {
        Entity {
            text: text.into(),
            label: label.into(),
            start: 0,
            end: 0,
            score: 1.0,
            sentence: 0,
            canonical: String::new(),
            boilerplate: false,
        }
    }

    fn canon(mentions: &[(&str, &str)]) -> (Vec<String>, Vec<(String, String, usize)>) {
        let mut e: Vec<Entity> = mentions.iter().map(|(t, l)| ent(t, l)).collect();
        let summary = assign_canonical(&mut e);
        (
            e.into_iter().map(|e| e.canonical).collect(),
            summary
                .into_iter()
                .map(|s| (s.canonical, s.label, s.mentions))
                .collect(),
        )
    }

    #[test]
    fn short_forms_and_genitives_join_the_longest_form() {
        let (c, s) = canon(&[
            ("Kim", "PER"),
            ("Putins", "PER"),
            ("Kim Jong Un", "PER"),
            ("Putin", "PER"),
            ("Russland", "LOC"),
            ("Russlands", "LOC"),
            ("Jong Un", "PER"),
        ]);
        assert_eq!(
            c,
            vec![
                "Kim Jong Un",
                "Putin",
                "Kim Jong Un",
                "Putin",
                "Russland",
                "Russland",
                "Kim Jong Un"
            ]
        );
        assert_eq!(
            s,
            vec![
                ("Kim Jong Un".to_string(), "PER".to_string(), 3),
                ("Putin".to_string(), "PER".to_string(), 2),
                ("Russland".to_string(), "LOC".to_string(), 2),
            ]
        );
    }

    #[test]
    fn genitive_of_a_full_name_and_a_full_name_alone() {
        let (c, _) = canon(&[
            ("Wladimir Putin", "PER"),
            ("Putins", "PER"),
            ("Kims", "PER"),
        ]);
        // "Putins" → "Putin" → part of "Wladimir Putin"; "Kims" has no base form seen.
        assert_eq!(c, vec!["Wladimir Putin", "Wladimir Putin", "Kims"]);
    }

    #[test]
    fn spelling_variants_are_one_name_and_adjectives_have_one_base() {
        let (c, s) = canon(&[
            ("Putin", "PER"),
            ("Wladimir Putin", "PER"),
            ("Putin", "PER"),
            ("Vladimir Putin", "PER"),
            ("Wladimir Putin", "PER"),
            ("Kim Jong-un", "PER"),
            ("Kim Jong Un", "PER"),
            ("nordkoreanische", "MISC"),
            ("nordkoreanischen", "MISC"),
            ("Nordkoreanische", "MISC"),
        ]);
        assert_eq!(
            c,
            vec![
                "Wladimir Putin",
                "Wladimir Putin",
                "Wladimir Putin",
                "Wladimir Putin",
                "Wladimir Putin",
                // a tie between spellings goes to the first seen
                "Kim Jong-un",
                "Kim Jong-un",
                "nordkoreanisch",
                "nordkoreanisch",
                "nordkoreanisch"
            ]
        );
        assert_eq!(s[0], ("Wladimir Putin".to_string(), "PER".to_string(), 5));
        assert_eq!(s[2], ("nordkoreanisch".to_string(), "MISC".to_string(), 3));
    }

    #[test]
    fn ambiguous_short_form_stays_itself() {
        let (c, _) = canon(&[
            ("Kim Jong Un", "PER"),
            ("Kim Yo Jong", "PER"),
            ("Kim", "PER"),
        ]);
        assert_eq!(c, vec!["Kim Jong Un", "Kim Yo Jong", "Kim"]);
    }

    #[test]
    fn labels_do_not_mix_when_grouping_but_summary_lists_a_form_once() {
        let (c, s) = canon(&[
            ("Russland", "LOC"),
            ("Europäische Union", "ORG"),
            ("Russland", "ORG"),
            ("Union", "ORG"),
            ("Union", "PER"),
            ("Russland", "LOC"),
        ]);
        assert_eq!(
            c,
            vec![
                "Russland",
                "Europäische Union",
                "Russland",
                "Europäische Union",
                "Union",
                "Russland"
            ]
        );
        assert_eq!(
            s,
            vec![
                ("Russland".to_string(), "LOC".to_string(), 3),
                ("Europäische Union".to_string(), "ORG".to_string(), 2),
                ("Union".to_string(), "PER".to_string(), 1),
            ]
        );
        // A tie between labels goes to the label of the first mention.
        let (_, s) = canon(&[("Apple", "ORG"), ("Apple", "MISC")]);
        assert_eq!(s, vec![("Apple".to_string(), "ORG".to_string(), 2)]);
    }
}
