//! Choosing the summary sentences: TextRank centrality over TF-IDF sentence vectors, weighted
//! by a lead-position prior and by the facts a sentence carries (entities, asserted
//! quantities), with a redundancy check. `docs/summaries.md` gives the method with its numbers.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use super::boilerplate::not_prose;
use crate::document::Document;
use crate::offsets::CharIndex;
use crate::stages::claims::ClaimKind;

/// Name and version of the method, as written to `summary.method`.
pub const METHOD: &str = "textrank-tfidf+lead+facts/1";

/// PageRank damping, as in the TextRank paper.
const DAMPING: f64 = 0.85;
const PAGERANK_ROUNDS: usize = 100;
/// Extra weight of the first eligible sentence; it halves every `LEAD_DECAY` sentences.
const LEAD_BONUS: f64 = 0.5;
const LEAD_DECAY: f64 = 4.0;
/// Weight per distinct entity of the sentence (up to `ENTITY_CAP`) and for carrying at least
/// one asserted quantity.
const ENTITY_BONUS: f64 = 0.1;
const ENTITY_CAP: usize = 3;
const QUANTITY_BONUS: f64 = 0.3;
/// A candidate this similar (cosine) to an already chosen sentence repeats it.
const REDUNDANT: f64 = 0.5;
/// Fewer words than this is a fragment (a dateline, a heading), not a summary sentence.
const MIN_WORDS: usize = 6;
/// More words than this is a run-on (a list, a table flattened into a line, a page without
/// sentence ends), not something a reader takes in at a glance.
const MAX_WORDS: usize = 100;
/// The sentence graph is quadratic in its size: giant articles are ranked on their first
/// `MAX_GRAPH` eligible sentences (news puts what matters first).
pub const MAX_GRAPH: usize = 1000;

/// The chosen sentences and what was considered.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Indices into the article's sentences, ascending.
    pub sentences: Vec<usize>,
    /// Sentences that could be chosen (not boilerplate, not fragments).
    pub eligible: usize,
    /// Sentences left out as page furniture.
    pub boilerplate: usize,
}

/// Picks up to `n` sentences of `doc` (segmented; entities and claims used when present).
pub fn select_sentences(doc: &Document, n: usize) -> Selection {
    let lang = doc.language.as_ref().map_or("de", |l| l.code.as_str());
    let lines = sentence_lines(doc);
    let mut boilerplate = 0;
    let mut statements = Vec::new();
    let mut others = Vec::new();
    for (i, s) in doc.sentences.iter().enumerate() {
        // The title is shown with the summary, never inside it.
        if doc
            .title
            .as_deref()
            .is_some_and(|t| t.trim() == lines[i].trim())
        {
            continue;
        }
        let furniture = doc.page.as_ref().is_some_and(|p| p.covers(s.start, s.end));
        if furniture || not_prose(&s.text).is_some() {
            boilerplate += 1;
            continue;
        }
        let words = s.text.split_whitespace().take(MAX_WORDS + 1).count();
        if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
            continue;
        }
        // Summaries state things: questions and unpunctuated lines (headings, teasers) are
        // used only when an article has too few statements.
        if is_statement(&s.text) {
            statements.push(i);
        } else {
            others.push(i);
        }
    }
    let mut candidates = statements;
    if candidates.len() < n {
        candidates.extend(others);
        candidates.sort_unstable();
    }
    candidates.truncate(MAX_GRAPH);
    let eligible = candidates.len();
    if n == 0 || candidates.is_empty() {
        return Selection {
            sentences: Vec::new(),
            eligible,
            boilerplate,
        };
    }

    let vectors = tfidf_vectors(
        candidates.iter().map(|&i| doc.sentences[i].text.as_str()),
        lang,
    );
    let similarity = similarity_matrix(&vectors);
    let centrality = pagerank(&similarity);
    let top = centrality.iter().cloned().fold(f64::MIN_POSITIVE, f64::max);
    let facts = sentence_facts(doc);
    let scores: Vec<f64> = candidates
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let lead = 1.0 + LEAD_BONUS * (-(rank as f64) / LEAD_DECAY).exp2();
            let (entities, quantity) = facts.get(&i).copied().unwrap_or((0, false));
            let fact = 1.0
                + ENTITY_BONUS * entities.min(ENTITY_CAP) as f64
                + if quantity { QUANTITY_BONUS } else { 0.0 };
            centrality[rank] / top * lead * fact
        })
        .collect();

    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    for k in order {
        if chosen.len() == n {
            break;
        }
        if chosen.iter().all(|&c| similarity[c][k] < REDUNDANT) {
            chosen.push(k);
        }
    }
    let mut sentences: Vec<usize> = chosen.into_iter().map(|k| candidates[k]).collect();
    sentences.sort_unstable();
    Selection {
        sentences,
        eligible,
        boilerplate,
    }
}

/// Ends like a declarative sentence: a period or exclamation mark, possibly inside quotes or
/// brackets; not an ellipsis (a cut-off teaser).
fn is_statement(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '»', '«', '“', '”', '‘', '’', ')', ']', ' ']);
    (t.ends_with('.') || t.ends_with('!')) && !t.ends_with("..") && !t.ends_with('…')
}

/// The paragraph (text between line breaks) each sentence sits in; sentences never cross one.
fn sentence_lines(doc: &Document) -> Vec<&str> {
    let index = CharIndex::new(&doc.text);
    doc.sentences
        .iter()
        .map(|s| {
            let start = index.byte(s.start.min(index.len_chars()));
            let end = index.byte(s.end.min(index.len_chars()));
            let from = doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
            let to = doc.text[end..]
                .find('\n')
                .map_or(doc.text.len(), |p| end + p);
            &doc.text[from..to]
        })
        .collect()
}

/// Per sentence: distinct entities and whether it asserts a quantity (a claim that is not a
/// date, year or ordinal).
fn sentence_facts(doc: &Document) -> HashMap<usize, (usize, bool)> {
    let mut entities: HashMap<usize, HashSet<&str>> = HashMap::new();
    for e in &doc.entities {
        entities.entry(e.sentence).or_default().insert(&e.canonical);
    }
    let quantities: HashSet<usize> = doc
        .claims
        .iter()
        .filter(|c| {
            c.is_claim
                && !matches!(
                    c.kind,
                    ClaimKind::Date | ClaimKind::Year | ClaimKind::Ordinal
                )
        })
        .map(|c| c.sentence)
        .collect();
    let mut out: HashMap<usize, (usize, bool)> = HashMap::new();
    for (i, set) in entities {
        out.entry(i).or_default().0 = set.len();
    }
    for i in quantities {
        out.entry(i).or_default().1 = true;
    }
    out
}

/// Unit-length TF-IDF vectors (log-scaled term frequency; IDF over the article's candidate
/// sentences) of stemmed, lower-cased words without stop words and digits.
fn tfidf_vectors<'a>(texts: impl Iterator<Item = &'a str>, lang: &str) -> Vec<Vec<(u32, f64)>> {
    let stop: HashSet<&str> = stop_words::lookup(lang)
        .or_else(|| stop_words::lookup("de"))
        .unwrap_or_default()
        .iter()
        .copied()
        .collect();
    let stemmer = stemmer_for(lang).map(Stemmer::create);
    let mut ids: HashMap<String, u32> = HashMap::new();
    let counts: Vec<HashMap<u32, f64>> = texts
        .map(|text| {
            let mut tf: HashMap<u32, f64> = HashMap::new();
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.chars().count() < 2 || word.chars().all(|c| c.is_numeric()) {
                    continue;
                }
                let lower = word.to_lowercase();
                if stop.contains(lower.as_str()) {
                    continue;
                }
                let term = match &stemmer {
                    Some(s) => s.stem(&lower).into_owned(),
                    None => lower,
                };
                let next = ids.len() as u32;
                *tf.entry(*ids.entry(term).or_insert(next)).or_default() += 1.0;
            }
            tf
        })
        .collect();
    let mut df: HashMap<u32, f64> = HashMap::new();
    for tf in &counts {
        for &t in tf.keys() {
            *df.entry(t).or_default() += 1.0;
        }
    }
    let n = counts.len() as f64;
    counts
        .into_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f64)> = tf
                .into_iter()
                .map(|(t, c)| (t, (1.0 + c.ln()) * (1.0 + n / df[&t]).ln()))
                .collect();
            v.sort_unstable_by_key(|&(t, _)| t);
            let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v
        })
        .collect()
}

fn stemmer_for(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "de" => Algorithm::German,
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "pt" => Algorithm::Portuguese,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "da" => Algorithm::Danish,
        "no" | "nb" => Algorithm::Norwegian,
        "fi" => Algorithm::Finnish,
        "hu" => Algorithm::Hungarian,
        "ro" => Algorithm::Romanian,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Cosine similarity of every pair (the vectors are unit length and sorted by term).
fn similarity_matrix(vectors: &[Vec<(u32, f64)>]) -> Vec<Vec<f64>> {
    let n = vectors.len();
    let mut m = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let s = dot(&vectors[i], &vectors[j]);
            m[i][j] = s;
            m[j][i] = s;
        }
    }
    m
}

fn dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Weighted PageRank over the similarity graph; a sentence similar to no other spreads its
/// rank evenly (so isolated sentences neither sink nor hoard it).
fn pagerank(weights: &[Vec<f64>]) -> Vec<f64> {
    let n = weights.len();
    let out: Vec<f64> = weights.iter().map(|row| row.iter().sum()).collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..PAGERANK_ROUNDS {
        let dangling: f64 = (0..n).filter(|&j| out[j] == 0.0).map(|j| rank[j]).sum();
        let base = (1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64;
        let next: Vec<f64> = (0..n)
            .map(|i| {
                base + DAMPING
                    * (0..n)
                        .filter(|&j| out[j] > 0.0 && weights[j][i] > 0.0)
                        .map(|j| weights[j][i] / out[j] * rank[j])
                        .sum::<f64>()
            })
            .collect();
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < 1e-9 {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagerank_favours_the_hub() {
        // 0 is similar to 1, 2 and 3; those are similar only to 0.
        let w = vec![
            vec![0.0, 0.5, 0.5, 0.5],
            vec![0.5, 0.0, 0.0, 0.0],
            vec![0.5, 0.0, 0.0, 0.0],
            vec![0.5, 0.0, 0.0, 0.0],
        ];
        let r = pagerank(&w);
        assert!(r[0] > r[1] && r[0] > r[2] && r[0] > r[3]);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn vectors_share_stems_across_inflections() {
        let v = tfidf_vectors(
            [
                "Die Raketen wurden geliefert.",
                "Eine Rakete wurde geliefert.",
            ]
            .into_iter(),
            "de",
        );
        assert!(dot(&v[0], &v[1]) > 0.9, "{v:?}");
    }
}
