//! The drop-level data derived from the finished records: article cards, claim rows, claim
//! clusters and the entity index, as `claims.jsonl`, `entities.jsonl` and the dashboard
//! show them.

use serde::Serialize;

use super::claim_clusters::{self, ClaimCluster, ClaimInput, ClusterMention};
use super::entity_index::{self, DropEntity, MentionInput};
use super::unit_lemmas;
use crate::document::{Document, Span, Summary};
use crate::stages::claims::{ser_opt_num, Claim};

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
    pub claims_coverage: Option<crate::stages::claims::Coverage>,
    /// Page furniture spans (`page.boilerplate`): hidden by default.
    pub boilerplate: Vec<crate::stages::page::Boilerplate>,
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
fn card_entities(d: &Document, names: &[&entity_index::MentionInput]) -> Vec<CardEntity> {
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

/// One numeric expression, as a row of the dashboard's claims table: the article's claim with
/// what the drop adds to it (the unit's drop-level lemma, the cluster).
#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub article: String,
    pub claim: Claim,
    pub unit_lemma: Option<String>,
    /// Null for a date without a known year and for numbers in page furniture: they join no
    /// cluster.
    pub cluster: Option<String>,
}

/// The row as the dashboard's script reads it: the claim's fields with the article first,
/// the attribution as its text only, and `boilerplate` only when set (in page furniture:
/// hidden unless asked for).
impl Serialize for ClaimRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Num(Option<f64>);
        impl Serialize for Num {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ser_opt_num(&self.0, s)
            }
        }
        let c = &self.claim;
        let mut row = serializer.serialize_struct("ClaimRow", 16)?;
        row.serialize_field("article", &self.article)?;
        row.serialize_field("sentence", &c.sentence)?;
        row.serialize_field("start", &c.start)?;
        row.serialize_field("end", &c.end)?;
        row.serialize_field("text", &c.text)?;
        row.serialize_field("value", &Num(c.value))?;
        row.serialize_field("value_high", &Num(c.value_high))?;
        row.serialize_field("qualifier", &c.qualifier)?;
        row.serialize_field("unit", &c.unit)?;
        row.serialize_field("unit_lemma", &self.unit_lemma)?;
        row.serialize_field("kind", &c.kind)?;
        row.serialize_field("is_claim", &c.is_claim)?;
        row.serialize_field("attribution", &c.attribution.as_ref().map(|a| &a.text))?;
        row.serialize_field("date", &c.date)?;
        row.serialize_field("cluster", &self.cluster)?;
        if c.boilerplate {
            row.serialize_field("boilerplate", &true)?;
        } else {
            row.skip_field("boilerplate")?;
        }
        row.end()
    }
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
    let names = entity_index::drop_canonical(&counted(&mentions));
    for m in &mut mentions {
        if let Some(name) = names.get(&(m.canonical.clone(), m.label.clone())) {
            m.canonical = name.clone();
        }
    }
    let counted_mentions = counted(&mentions);
    let sentence_entities = entity_index::by_sentence(&counted_mentions);
    let drop_entities = entity_index::aggregate(&counted_mentions);

    let stemmer = unit_lemmas::UnitStemmer::default();
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
    let unit_names = unit_lemmas::lemmas(docs.iter().zip(&unit_keys).flat_map(|(d, keys)| {
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
                claim: c.clone(),
                unit_lemma: key.as_ref().map(|k| unit_names[k].clone()),
                cluster: c
                    .value
                    .filter(|_| !c.boilerplate)
                    .map(|v| claim_clusters::cluster_id(c.kind, key.as_deref(), v, c.value_high)),
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
    let clusters = claim_clusters::cluster(inputs, &unit_names);

    // `mentions` holds every article's entities in order, already under drop-level names.
    let mut renamed = mentions.iter();
    let articles = docs
        .iter()
        .map(|d| {
            let names: Vec<&entity_index::MentionInput> =
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
