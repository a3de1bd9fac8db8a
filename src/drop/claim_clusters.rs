//! `claims.jsonl`: every numeric expression of the drop, grouped into clusters of the same
//! quantity (kind, unit lemma, value, upper value), with the conflicts between clusters that
//! give different values for the same unit and subject.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::stages::claims::{ser_num, ser_opt_num, ClaimKind, Qualifier};

/// One mention of a quantity, as the feed sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterMention {
    pub article: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub qualifier: Qualifier,
    /// The unit as written in this mention.
    pub unit: Option<String>,
    pub attribution: Option<String>,
}

/// A claim of an article with what clustering needs beyond the mention itself.
#[derive(Debug, Clone)]
pub struct ClaimInput {
    pub mention: ClusterMention,
    pub kind: ClaimKind,
    pub value: f64,
    pub value_high: Option<f64>,
    pub is_claim: bool,
    /// Unit grouping key (stemmed), `None` without a unit.
    pub unit_key: Option<String>,
    /// Drop-level canonical entities of the mention's sentence.
    pub entities: Vec<EntityRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityRef {
    pub canonical: String,
    pub label: String,
}

/// A line of `claims.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimCluster {
    pub schema_version: &'static str,
    pub id: String,
    pub kind: ClaimKind,
    /// The unit lemma, or null for bare numbers.
    pub unit: Option<String>,
    /// Every form of the unit as written in the mentions.
    pub unit_forms: Vec<String>,
    #[serde(serialize_with = "ser_num")]
    pub value: f64,
    #[serde(serialize_with = "ser_opt_num")]
    pub value_high: Option<f64>,
    /// The interval the mentions allow (qualifiers applied); null: unbounded on that side.
    #[serde(serialize_with = "ser_opt_num")]
    pub low: Option<f64>,
    #[serde(serialize_with = "ser_opt_num")]
    pub high: Option<f64>,
    pub qualifiers: Vec<Qualifier>,
    /// True when any mention asserts the quantity (`is_claim` of the article's claim).
    pub is_claim: bool,
    pub mentions: Vec<ClusterMention>,
    pub articles: Vec<String>,
    pub article_count: usize,
    pub mention_count: usize,
    /// Entities named in the mentions' sentences.
    pub entities: Vec<EntityRef>,
    pub conflicts: Vec<Conflict>,
    /// Each mention's article, interval and sentence entities (for conflicts).
    #[serde(skip)]
    evidence: Vec<Evidence>,
}

#[derive(Debug, Clone)]
struct Evidence {
    article: String,
    low: Option<f64>,
    high: Option<f64>,
    subjects: BTreeSet<String>,
}

/// Another cluster of the same kind and unit with a mention, in another article, whose value
/// range does not overlap that of a mention of this one, where both sentences name the same
/// entity (the subject).
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub cluster: String,
    #[serde(serialize_with = "ser_num")]
    pub value: f64,
    #[serde(serialize_with = "ser_opt_num")]
    pub value_high: Option<f64>,
    pub articles: Vec<String>,
    pub shared_entities: Vec<String>,
}

/// Approximate values ("rund 2.000", "fast 2.000") allow this much either way.
const APPROX_TOLERANCE: f64 = 0.1;

/// The interval a mention allows: exact and ranges as written, approximations ±10 %, bounds
/// open on one side.
fn interval(q: Qualifier, value: f64, high: Option<f64>) -> (Option<f64>, Option<f64>) {
    if let Some(h) = high {
        return (Some(value.min(h)), Some(value.max(h)));
    }
    let spread = (value * APPROX_TOLERANCE).abs();
    match q {
        Qualifier::Exact | Qualifier::Range => (Some(value), Some(value)),
        Qualifier::Approx => (Some(value - spread), Some(value + spread)),
        Qualifier::UpperBound => (None, Some(value)),
        Qualifier::LowerBound => (Some(value), None),
    }
}

/// Kinds whose values can contradict each other. Dates, years, ordinals and durations
/// differ for good reasons (different events: "seit 24 Jahren", "vor zwei Jahren"); `other`
/// mixes too much to compare.
fn comparable(kind: ClaimKind) -> bool {
    matches!(
        kind,
        ClaimKind::Count | ClaimKind::Money | ClaimKind::Percent
    )
}

type Key = (ClaimKind, Option<String>, u64, Option<u64>);

/// Groups the drop's claims into clusters; `unit_names` maps unit keys to lemmas. Clusters
/// come most widely reported first, then by id.
pub fn cluster(inputs: Vec<ClaimInput>, unit_names: &HashMap<String, String>) -> Vec<ClaimCluster> {
    let mut groups: BTreeMap<Key, Vec<ClaimInput>> = BTreeMap::new();
    for c in inputs {
        let key = (
            c.kind,
            c.unit_key.clone(),
            c.value.to_bits(),
            c.value_high.map(f64::to_bits),
        );
        groups.entry(key).or_default().push(c);
    }
    let mut clusters: Vec<ClaimCluster> = groups
        .into_iter()
        .map(|(key, members)| build(key, members, unit_names))
        .collect();
    flag_conflicts(&mut clusters);
    clusters.sort_by(|a, b| {
        b.article_count
            .cmp(&a.article_count)
            .then(b.mention_count.cmp(&a.mention_count))
            .then(a.id.cmp(&b.id))
    });
    clusters
}

fn build(key: Key, members: Vec<ClaimInput>, unit_names: &HashMap<String, String>) -> ClaimCluster {
    let (kind, unit_key, _, _) = &key;
    let first = &members[0];
    let (value, value_high) = (first.value, first.value_high);
    let mut low = Some(f64::INFINITY);
    let mut high = Some(f64::NEG_INFINITY);
    let mut qualifiers = BTreeSet::new();
    let mut unit_forms = BTreeSet::new();
    let mut articles = BTreeSet::new();
    let mut entities = BTreeSet::new();
    let mut evidence = Vec::with_capacity(members.len());
    for m in &members {
        let (l, h) = interval(m.mention.qualifier, m.value, m.value_high);
        low = low.zip(l).map(|(a, b)| a.min(b));
        high = high.zip(h).map(|(a, b)| a.max(b));
        qualifiers.insert(m.mention.qualifier);
        if let Some(u) = &m.mention.unit {
            unit_forms.insert(u.clone());
        }
        articles.insert(m.mention.article.clone());
        entities.extend(m.entities.iter().cloned());
        evidence.push(Evidence {
            article: m.mention.article.clone(),
            low: l,
            high: h,
            subjects: m.entities.iter().map(|e| e.canonical.clone()).collect(),
        });
    }
    let id = cluster_id(*kind, unit_key.as_deref(), value, value_high);
    let articles: Vec<String> = articles.into_iter().collect();
    ClaimCluster {
        schema_version: crate::document::SCHEMA_VERSION,
        id,
        kind: *kind,
        unit: unit_key
            .as_ref()
            .map(|k| unit_names.get(k).cloned().unwrap_or_else(|| k.clone())),
        unit_forms: unit_forms.into_iter().collect(),
        value,
        value_high,
        low,
        high,
        qualifiers: qualifiers.into_iter().collect(),
        is_claim: members.iter().any(|m| m.is_claim),
        article_count: articles.len(),
        mention_count: members.len(),
        articles,
        mentions: members.into_iter().map(|m| m.mention).collect(),
        entities: entities.into_iter().collect(),
        conflicts: Vec::new(),
        evidence,
    }
}

/// A stable id from what defines the cluster, so dashboards can link to it across runs.
pub fn cluster_id(
    kind: ClaimKind,
    unit_key: Option<&str>,
    value: f64,
    high: Option<f64>,
) -> String {
    let kind = serde_json::to_string(&kind).expect("unit enum");
    let text = format!(
        "{kind}|{}|{value}|{}",
        unit_key.unwrap_or(""),
        high.map(|h| h.to_string()).unwrap_or_default()
    );
    format!("q-{}", &hex::encode(Sha256::digest(text.as_bytes()))[..10])
}

fn flag_conflicts(clusters: &mut [ClaimCluster]) {
    let mut groups: HashMap<(ClaimKind, &str), Vec<usize>> = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        if let (true, true, Some(unit)) = (c.is_claim, comparable(c.kind), c.unit.as_deref()) {
            groups.entry((c.kind, unit)).or_default().push(i);
        }
    }
    let mut found: Vec<(usize, Conflict)> = Vec::new();
    for members in groups.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                let (ca, cb) = (&clusters[a], &clusters[b]);
                let shared = contradicting_subjects(ca, cb);
                if shared.is_empty() {
                    continue;
                }
                found.push((a, conflict_with(cb, &shared)));
                found.push((b, conflict_with(ca, &shared)));
            }
        }
    }
    for (i, c) in found {
        clusters[i].conflicts.push(c);
    }
    for c in clusters.iter_mut() {
        c.conflicts.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    }
}

fn overlaps(a: (Option<f64>, Option<f64>), b: (Option<f64>, Option<f64>)) -> bool {
    let below = |hi: Option<f64>, lo: Option<f64>| matches!((hi, lo), (Some(h), Some(l)) if h < l);
    !(below(a.1, b.0) || below(b.1, a.0))
}

/// Subjects of mention pairs from different articles whose ranges exclude each other.
fn contradicting_subjects(a: &ClaimCluster, b: &ClaimCluster) -> Vec<String> {
    let mut shared = BTreeSet::new();
    for x in &a.evidence {
        for y in &b.evidence {
            if x.article != y.article && !overlaps((x.low, x.high), (y.low, y.high)) {
                shared.extend(x.subjects.intersection(&y.subjects).cloned());
            }
        }
    }
    shared.into_iter().collect()
}

fn conflict_with(other: &ClaimCluster, shared: &[String]) -> Conflict {
    Conflict {
        cluster: other.id.clone(),
        value: other.value,
        value_high: other.value_high,
        articles: other.articles.clone(),
        shared_entities: shared.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(article: &str, value: f64, q: Qualifier, unit: &str, subject: &str) -> ClaimInput {
        ClaimInput {
            mention: ClusterMention {
                article: article.into(),
                sentence: 0,
                start: 0,
                end: 1,
                text: value.to_string(),
                qualifier: q,
                unit: Some(unit.into()),
                attribution: None,
            },
            kind: ClaimKind::Count,
            value,
            value_high: None,
            is_claim: true,
            unit_key: Some("contain".into()),
            entities: vec![EntityRef {
                canonical: subject.into(),
                label: "LOC".into(),
            }],
        }
    }

    fn names() -> HashMap<String, String> {
        HashMap::from([("contain".to_string(), "Container".to_string())])
    }

    #[test]
    fn equal_quantities_across_articles_form_one_cluster() {
        let out = cluster(
            vec![
                claim(
                    "a",
                    10000.0,
                    Qualifier::UpperBound,
                    "Container",
                    "Nordkorea",
                ),
                claim(
                    "b",
                    10000.0,
                    Qualifier::UpperBound,
                    "Containern",
                    "Nordkorea",
                ),
                claim("c", 500.0, Qualifier::Exact, "Container", "Nordkorea"),
            ],
            &names(),
        );
        let big = &out[0];
        assert_eq!(big.articles, ["a", "b"]);
        assert_eq!(big.unit.as_deref(), Some("Container"));
        assert_eq!(big.unit_forms, ["Container", "Containern"]);
        assert_eq!((big.low, big.high), (None, Some(10000.0)));
        // "bis zu 10.000" allows 500: no conflict with c.
        assert!(big.conflicts.is_empty());
        assert_eq!(big.qualifiers, [Qualifier::UpperBound]);
    }

    #[test]
    fn different_values_for_the_same_unit_and_subject_conflict() {
        let out = cluster(
            vec![
                claim("a", 10000.0, Qualifier::Exact, "Container", "Nordkorea"),
                claim("b", 2000.0, Qualifier::Approx, "Container", "Nordkorea"),
                claim("c", 300.0, Qualifier::Exact, "Container", "Syrien"),
                claim("a", 2100.0, Qualifier::Exact, "Container", "Nordkorea"),
            ],
            &names(),
        );
        let by_value = |v: f64| out.iter().find(|c| c.value == v).unwrap();
        let ten = by_value(10000.0);
        let two = by_value(2000.0);
        assert_eq!(ten.conflicts.len(), 1);
        assert_eq!(ten.conflicts[0].cluster, two.id);
        assert_eq!(ten.conflicts[0].shared_entities, ["Nordkorea"]);
        assert_eq!(two.conflicts.len(), 1);
        // Another subject, or "fast 2.000" against 2.100 (within 10 %), is no conflict.
        assert!(by_value(300.0).conflicts.is_empty());
        assert!(by_value(2100.0)
            .conflicts
            .iter()
            .all(|c| c.cluster != two.id));
        // Within one article, different values are different facts, not a conflict.
        assert!(by_value(2100.0)
            .conflicts
            .iter()
            .all(|c| c.cluster != ten.id));
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = cluster_id(ClaimKind::Count, Some("contain"), 10000.0, None);
        assert_eq!(
            a,
            cluster_id(ClaimKind::Count, Some("contain"), 10000.0, None)
        );
        assert_ne!(
            a,
            cluster_id(ClaimKind::Count, Some("contain"), 10000.0, Some(20000.0))
        );
        assert_ne!(
            a,
            cluster_id(ClaimKind::Money, Some("contain"), 10000.0, None)
        );
    }
}
