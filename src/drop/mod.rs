//! Drop-level outputs, derived from the finished `articles.jsonl` after every run:
//! `claims.jsonl` (quantities clustered across articles, with conflicts), `entities.jsonl`
//! (each entity once across the drop) and `dashboard.html` (the page a reviewer opens).
//!
//! They cover every record in the output folder (earlier drops included) and are rewritten
//! whole, atomically, so they always match `articles.jsonl`.

pub mod clusters;
pub mod entities;
pub mod units;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::claims::{ser_opt_num, ClaimDate, ClaimKind, Qualifier};
use crate::document::{Document, Span, Summary};
use clusters::{ClaimCluster, ClaimInput, ClusterMention};
use entities::{DropEntity, MentionInput};

pub const CLAIMS_FILE: &str = "claims.jsonl";
pub const ENTITIES_FILE: &str = "entities.jsonl";
pub const DASHBOARD_FILE: &str = "dashboard.html";

/// Everything derived from one output folder's records.
#[derive(Debug, Clone, Serialize)]
pub struct DropFeed {
    pub articles: Vec<ArticleCard>,
    pub claims: Vec<ClaimRow>,
    pub clusters: Vec<ClaimCluster>,
    pub entities: Vec<DropEntity>,
}

/// What the dashboard shows of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard {
    pub id: String,
    pub title: Option<String>,
    pub language: Option<String>,
    /// Which rules read the article's numbers (`full`, `digits_only`, `none`).
    pub claims_coverage: Option<crate::claims::Coverage>,
    /// Page furniture spans (`page.boilerplate`): hidden by default.
    pub boilerplate: Vec<crate::page::Boilerplate>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub sentences: Vec<Span>,
    pub summary: Option<Summary>,
    /// The article's entities under their drop-level names (as in `entities.jsonl`), most
    /// mentioned first.
    pub entities: Vec<CardEntity>,
    pub entity_mentions: Vec<EntityMention>,
}

/// One entity of an article card: its drop-level name and the forms written in the article.
#[derive(Debug, Clone, Serialize)]
pub struct CardEntity {
    pub canonical: String,
    pub label: String,
    pub mentions: usize,
    /// Forms as written in this article, most frequent first.
    pub forms: Vec<String>,
}

/// The card's entity list: mentions grouped by drop-level name and label, most mentioned
/// first (ties: first mentioned first).
fn card_entities(d: &Document, names: &[&entities::MentionInput]) -> Vec<CardEntity> {
    let mut out: Vec<(CardEntity, Vec<(String, usize)>)> = Vec::new();
    for (e, m) in d.entities.iter().zip(names) {
        if e.boilerplate {
            continue;
        }
        let at = match out
            .iter()
            .position(|(c, _)| c.canonical == m.canonical && c.label == e.label)
        {
            Some(at) => at,
            None => {
                out.push((
                    CardEntity {
                        canonical: m.canonical.clone(),
                        label: e.label.clone(),
                        mentions: 0,
                        forms: Vec::new(),
                    },
                    Vec::new(),
                ));
                out.len() - 1
            }
        };
        let (card, forms) = &mut out[at];
        card.mentions += 1;
        match forms.iter_mut().find(|(f, _)| *f == e.text) {
            Some((_, n)) => *n += 1,
            None => forms.push((e.text.clone(), 1)),
        }
    }
    let mut cards: Vec<CardEntity> = out
        .into_iter()
        .map(|(mut card, mut forms)| {
            forms.sort_by_key(|f| std::cmp::Reverse(f.1));
            card.forms = forms.into_iter().map(|(f, _)| f).collect();
            card
        })
        .collect();
    cards.sort_by_key(|c| std::cmp::Reverse(c.mentions));
    cards
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityMention {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub label: String,
    /// Drop-level canonical name.
    pub canonical: String,
}

/// One numeric expression, as a row of the dashboard's claims table.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimRow {
    pub article: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(serialize_with = "ser_opt_num")]
    pub value: Option<f64>,
    #[serde(serialize_with = "ser_opt_num")]
    pub value_high: Option<f64>,
    pub qualifier: Qualifier,
    pub unit: Option<String>,
    pub unit_lemma: Option<String>,
    pub kind: ClaimKind,
    pub is_claim: bool,
    pub attribution: Option<String>,
    pub date: Option<ClaimDate>,
    /// Null for a date without a known year and for numbers in page furniture: they join no
    /// cluster.
    pub cluster: Option<String>,
    /// In page furniture: hidden in the dashboard unless asked for.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boilerplate: bool,
}

/// Reads `articles.jsonl` of `dir` and derives the drop-level data.
pub fn read_feed(dir: &Path) -> Result<DropFeed> {
    let path = dir.join(super::ARTICLES_FILE);
    let mut docs = Vec::new();
    if let Ok(file) = File::open(&path) {
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            let doc: Document = serde_json::from_str(&line).with_context(|| {
                format!("{}:{}: not a record of this version", path.display(), n + 1)
            })?;
            docs.push(doc);
        }
    }
    Ok(build_feed(docs))
}

/// Derives the drop-level data from the records.
pub fn build_feed(docs: Vec<Document>) -> DropFeed {
    let mut mentions: Vec<MentionInput> = docs
        .iter()
        .flat_map(|d| {
            d.entities.iter().map(|e| MentionInput {
                article: d.id.clone(),
                sentence: e.sentence,
                text: e.text.clone(),
                label: e.label.clone(),
                canonical: e.canonical.clone(),
            })
        })
        .collect();
    // Names in page furniture (menus, bylines, captions) are not counted at the drop level.
    let counted_flags: Vec<bool> = docs
        .iter()
        .flat_map(|d| d.entities.iter().map(|e| !e.boilerplate))
        .collect();
    let counted = |ms: &[MentionInput]| -> Vec<MentionInput> {
        ms.iter()
            .zip(&counted_flags)
            .filter(|(_, &c)| c)
            .map(|(m, _)| m.clone())
            .collect()
    };
    let names = entities::drop_canonical(&counted(&mentions));
    for m in &mut mentions {
        if let Some(name) = names.get(&(m.canonical.clone(), m.label.clone())) {
            m.canonical = name.clone();
        }
    }
    let counted_mentions = counted(&mentions);
    let sentence_entities = entities::by_sentence(&counted_mentions);
    let drop_entities = entities::aggregate(&counted_mentions);

    let stemmer = units::UnitStemmer::default();
    let language = |d: &Document| d.language.as_ref().map(|l| l.code.clone());
    let unit_keys: Vec<Vec<Option<String>>> = docs
        .iter()
        .map(|d| {
            let lang = language(d);
            d.claims
                .iter()
                .map(|c| c.unit.as_ref().map(|u| stemmer.key(u, lang.as_deref())))
                .collect()
        })
        .collect();
    let unit_names = units::lemmas(docs.iter().zip(&unit_keys).flat_map(|(d, keys)| {
        d.claims
            .iter()
            .zip(keys)
            .filter_map(|(c, k)| k.as_deref().zip(c.unit.as_deref()))
    }));

    let mut inputs = Vec::new();
    let mut rows = Vec::new();
    for (d, keys) in docs.iter().zip(&unit_keys) {
        for (c, key) in d.claims.iter().zip(keys) {
            let mention = ClusterMention {
                article: d.id.clone(),
                sentence: c.sentence,
                start: c.start,
                end: c.end,
                text: c.text.clone(),
                qualifier: c.qualifier,
                unit: c.unit.clone(),
                attribution: c.attribution.as_ref().map(|a| a.text.clone()),
            };
            rows.push(ClaimRow {
                article: d.id.clone(),
                sentence: c.sentence,
                start: c.start,
                end: c.end,
                text: c.text.clone(),
                value: c.value,
                value_high: c.value_high,
                qualifier: c.qualifier,
                unit: c.unit.clone(),
                unit_lemma: key.as_ref().map(|k| unit_names[k].clone()),
                kind: c.kind,
                is_claim: c.is_claim,
                attribution: mention.attribution.clone(),
                date: c.date.clone(),
                cluster: c
                    .value
                    .filter(|_| !c.boilerplate)
                    .map(|v| clusters::cluster_id(c.kind, key.as_deref(), v, c.value_high)),
                boilerplate: c.boilerplate,
            });
            // Numbers in page furniture are listed but join no cluster.
            let Some(value) = c.value.filter(|_| !c.boilerplate) else {
                continue;
            };
            inputs.push(ClaimInput {
                mention,
                kind: c.kind,
                value,
                value_high: c.value_high,
                is_claim: c.is_claim,
                unit_key: key.clone(),
                entities: sentence_entities
                    .get(&(d.id.clone(), c.sentence))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    let clusters = clusters::cluster(inputs, &unit_names);

    // `mentions` holds every article's entities in order, already under drop-level names.
    let mut renamed = mentions.iter();
    let articles = docs
        .iter()
        .map(|d| {
            let names: Vec<&entities::MentionInput> =
                renamed.by_ref().take(d.entities.len()).collect();
            ArticleCard {
                id: d.id.clone(),
                title: d.title.clone(),
                language: language(d),
                claims_coverage: d.claims_coverage.as_ref().map(|c| c.rules),
                boilerplate: d
                    .page
                    .as_ref()
                    .map(|p| p.boilerplate.clone())
                    .unwrap_or_default(),
                url: d.url.clone(),
                published: d.published.clone(),
                sentences: d.sentences.clone(),
                summary: d.summary.clone(),
                entities: card_entities(d, &names),
                entity_mentions: d
                    .entities
                    .iter()
                    .zip(&names)
                    .map(|(e, m)| EntityMention {
                        sentence: e.sentence,
                        start: e.start,
                        end: e.end,
                        label: e.label.clone(),
                        canonical: m.canonical.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    DropFeed {
        articles,
        claims: rows,
        clusters,
        entities: drop_entities,
    }
}

/// What [`write_feed`] wrote.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FeedCounts {
    pub claim_clusters: usize,
    pub multi_article_clusters: usize,
    pub conflicts: usize,
    pub entities: usize,
}

/// Derives and writes `claims.jsonl`, `entities.jsonl` and `dashboard.html` into `dir`.
pub fn write_feed(dir: &Path) -> Result<FeedCounts> {
    let feed = read_feed(dir)?;
    write_jsonl(&dir.join(CLAIMS_FILE), &feed.clusters)?;
    write_jsonl(&dir.join(ENTITIES_FILE), &feed.entities)?;
    let page = super::dashboard::render(&feed)?;
    super::write_atomically(&dir.join(DASHBOARD_FILE), page.as_bytes())
        .with_context(|| format!("cannot write {}", dir.join(DASHBOARD_FILE).display()))?;
    Ok(FeedCounts {
        claim_clusters: feed.clusters.len(),
        multi_article_clusters: feed.clusters.iter().filter(|c| c.article_count > 1).count(),
        conflicts: feed
            .clusters
            .iter()
            .map(|c| c.conflicts.len())
            .sum::<usize>()
            / 2,
        entities: feed.entities.len(),
    })
}

fn write_jsonl<T: Serialize>(path: &Path, items: &[T]) -> Result<()> {
    let mut out = String::new();
    for item in items {
        out.push_str(&serde_json::to_string(item)?);
        out.push('\n');
    }
    super::write_atomically(path, out.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
