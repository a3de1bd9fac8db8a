//! `entities.jsonl`: each entity of the drop once, under one canonical name across articles.
//!
//! Articles already group their own mentions (`entity.canonical`). Across articles the same
//! rule is applied to those per-article names ([`assign_canonical_weighted`], spellings
//! counted by mentions): "Putin" in one article
//! and "Wladimir Putin" in another become "Wladimir Putin"; a name that fits several longer
//! ones ("Kim") stays itself.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::claim_clusters::EntityRef;
use crate::document::Entity;
use crate::stages::entities::canonical::assign_canonical_weighted;

/// One entity mention of the drop.
#[derive(Debug, Clone)]
pub struct MentionInput {
    pub article: String,
    pub sentence: usize,
    /// As written.
    pub text: String,
    pub label: String,
    /// The article-level canonical name.
    pub canonical: String,
}

/// A line of `entities.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct DropEntity {
    pub schema_version: &'static str,
    pub canonical: String,
    pub label: String,
    /// Forms as written, most frequent first.
    pub forms: Vec<Form>,
    pub mentions: usize,
    pub articles: Vec<String>,
    pub article_count: usize,
    /// Entities named in the same sentences, most shared sentences first (at most
    /// [`COOCCURRING`]).
    pub cooccurring: Vec<Cooccurring>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub text: String,
    pub mentions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cooccurring {
    pub canonical: String,
    pub label: String,
    pub sentences: usize,
}

pub const COOCCURRING: usize = 10;

/// Maps (article-level canonical, label) to the drop-level canonical name.
pub fn drop_canonical(mentions: &[MentionInput]) -> HashMap<(String, String), String> {
    let mut distinct: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for m in mentions {
        *distinct
            .entry((m.canonical.as_str(), m.label.as_str()))
            .or_default() += 1;
    }
    let mut names: Vec<Entity> = distinct
        .keys()
        .map(|&(canonical, label)| Entity {
            text: canonical.to_string(),
            label: label.to_string(),
            start: 0,
            end: 0,
            score: 1.0,
            sentence: 0,
            canonical: String::new(),
            boilerplate: false,
        })
        .collect();
    let weights: Vec<usize> = distinct.values().copied().collect();
    assign_canonical_weighted(&mut names, &weights);
    distinct
        .into_keys()
        .zip(names)
        .map(|((c, l), e)| ((c.to_string(), l.to_string()), e.canonical))
        .collect()
}

/// Aggregates the drop's mentions (their `canonical` already drop-level). Most mentioned
/// first, then by name and label.
pub fn aggregate(mentions: &[MentionInput]) -> Vec<DropEntity> {
    struct Acc<'a> {
        forms: BTreeMap<&'a str, usize>,
        mentions: usize,
        articles: BTreeSet<&'a str>,
        cooccurring: BTreeMap<(&'a str, &'a str), usize>,
    }
    let mut sentences: BTreeMap<(&str, usize), BTreeSet<(&str, &str)>> = BTreeMap::new();
    let mut acc: BTreeMap<(&str, &str), Acc> = BTreeMap::new();
    for m in mentions {
        let key = (m.canonical.as_str(), m.label.as_str());
        let a = acc.entry(key).or_insert_with(|| Acc {
            forms: BTreeMap::new(),
            mentions: 0,
            articles: BTreeSet::new(),
            cooccurring: BTreeMap::new(),
        });
        *a.forms.entry(m.text.as_str()).or_default() += 1;
        a.mentions += 1;
        a.articles.insert(m.article.as_str());
        sentences
            .entry((m.article.as_str(), m.sentence))
            .or_default()
            .insert(key);
    }
    for names in sentences.values() {
        for &a in names {
            for &b in names {
                if a != b {
                    *acc.get_mut(&a)
                        .expect("every name was counted")
                        .cooccurring
                        .entry(b)
                        .or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<DropEntity> = acc
        .into_iter()
        .map(|((canonical, label), a)| {
            let mut forms: Vec<Form> = a
                .forms
                .into_iter()
                .map(|(text, mentions)| Form {
                    text: text.to_string(),
                    mentions,
                })
                .collect();
            forms.sort_by(|x, y| y.mentions.cmp(&x.mentions).then(x.text.cmp(&y.text)));
            let mut cooccurring: Vec<Cooccurring> = a
                .cooccurring
                .into_iter()
                .map(|((c, l), n)| Cooccurring {
                    canonical: c.to_string(),
                    label: l.to_string(),
                    sentences: n,
                })
                .collect();
            cooccurring.sort_by(|x, y| {
                y.sentences
                    .cmp(&x.sentences)
                    .then(x.canonical.cmp(&y.canonical))
            });
            cooccurring.truncate(COOCCURRING);
            DropEntity {
                schema_version: crate::document::SCHEMA_VERSION,
                canonical: canonical.to_string(),
                label: label.to_string(),
                forms,
                mentions: a.mentions,
                article_count: a.articles.len(),
                articles: a.articles.into_iter().map(str::to_string).collect(),
                cooccurring,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(a.canonical.cmp(&b.canonical))
            .then(a.label.cmp(&b.label))
    });
    out
}

/// Drop-level entities of each (article, sentence).
pub fn by_sentence(mentions: &[MentionInput]) -> HashMap<(String, usize), Vec<EntityRef>> {
    let mut out: HashMap<(String, usize), BTreeSet<EntityRef>> = HashMap::new();
    for m in mentions {
        out.entry((m.article.clone(), m.sentence))
            .or_default()
            .insert(EntityRef {
                canonical: m.canonical.clone(),
                label: m.label.clone(),
            });
    }
    out.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(article: &str, sentence: usize, text: &str, label: &str) -> MentionInput {
        MentionInput {
            article: article.into(),
            sentence,
            text: text.into(),
            label: label.into(),
            canonical: text.into(),
        }
    }

    #[test]
    fn names_merge_across_articles_and_count_cooccurrence() {
        let mut m = vec![
            mention("a", 0, "Putin", "PER"),
            mention("a", 0, "Kim Jong Un", "PER"),
            mention("b", 3, "Wladimir Putin", "PER"),
            mention("b", 3, "Nordkorea", "LOC"),
            mention("b", 4, "Putin", "PER"),
        ];
        let names = drop_canonical(&m);
        for x in &mut m {
            x.canonical = names[&(x.canonical.clone(), x.label.clone())].clone();
        }
        let out = aggregate(&m);
        let putin = &out[0];
        assert_eq!(putin.canonical, "Wladimir Putin");
        assert_eq!(putin.mentions, 3);
        assert_eq!(putin.article_count, 2);
        assert_eq!(putin.forms[0].text, "Putin");
        assert_eq!(putin.forms[0].mentions, 2);
        let partners: Vec<&str> = putin
            .cooccurring
            .iter()
            .map(|c| c.canonical.as_str())
            .collect();
        assert_eq!(partners, ["Kim Jong Un", "Nordkorea"]);
    }
}
