//! Labelling sentences with the model (windows, batches across the pool, tags into spans)
//! and filling a document's entities from the labels, through the context rules.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use rayon::prelude::*;

use super::stage::SentenceLabels;
use super::tags_to_spans::LabelledToken;
use super::windows::Window;
use super::*;
use crate::document::{Document, Entity};
use crate::offsets::CharIndex;
use crate::stage::StageCounts;

impl EntitiesStage {
    /// The most probable label of every subword token of `text`, taken as one sentence
    /// (windows and all): what the entities are decoded from (with
    /// [`Decoding::Iob2Constrained`], a word's tag can be its first subword's second choice).
    pub fn label_tokens(&self, text: &str) -> Result<Vec<TokenTag>> {
        let labelled = self.label_sentences(&[text])?;
        Ok(labelled
            .into_iter()
            .next()
            .map(|s| s.tokens)
            .unwrap_or_default()
            .into_iter()
            .map(|t| TokenTag {
                start: t.start,
                end: t.end,
                label: self.labels[t.label].clone(),
                score: t.prob,
            })
            .collect())
    }

    /// Tokenizes every sentence, cuts windows, runs them through the models in
    /// length-sorted batches and gives every token the label of the window that owns it.
    pub(super) fn label_sentences(&self, texts: &[&str]) -> Result<Vec<SentenceLabels>> {
        let tokenized: Vec<Vec<SubToken>> = texts
            .par_iter()
            .map(|t| self.tokenizer.tokenize(t))
            .collect::<Result<_>>()?;
        let plans: Vec<Vec<Window>> = tokenized
            .iter()
            .map(|t| windows::windows(t.len(), self.window, self.overlap))
            .collect();

        let (prefix, suffix) = (self.tokenizer.prefix(), self.tokenizer.suffix());
        // (sentence, window, ids with special tokens)
        let mut jobs: Vec<(usize, usize, Vec<i64>)> = Vec::new();
        for (s, (tokens, plan)) in tokenized.iter().zip(&plans).enumerate() {
            if tokens.is_empty() {
                continue;
            }
            for (w, window) in plan.iter().enumerate() {
                let mut ids = Vec::with_capacity(window.tokens.len() + prefix.len() + suffix.len());
                ids.extend_from_slice(prefix);
                ids.extend(tokens[window.tokens.clone()].iter().map(|t| t.id));
                ids.extend_from_slice(suffix);
                jobs.push((s, w, ids));
            }
        }
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&j| Reverse(jobs[j].2.len()));
        let batch_len = self.pool.batch_len(order.len(), self.batch_size);
        let chunks: Vec<&[usize]> = order.chunks(batch_len).collect();
        let outputs = self.run_chunks(&chunks, &jobs)?;

        let n_labels = self.labels.len();
        let mut labelled: Vec<Vec<Option<LabelledToken>>> =
            tokenized.iter().map(|t| vec![None; t.len()]).collect();
        let mut token_probs: Vec<Vec<f32>> = tokenized
            .iter()
            .map(|t| vec![0.0; t.len() * n_labels])
            .collect();
        for (chunk, probs) in chunks.iter().zip(outputs) {
            if probs.len() != chunk.len() {
                bail!(
                    "model returned {} outputs for {} sequences",
                    probs.len(),
                    chunk.len()
                );
            }
            for (&j, p) in chunk.iter().zip(probs) {
                let (s, w, ref ids) = jobs[j];
                if p.len() != ids.len() * n_labels {
                    bail!(
                        "model returned {} values for {} positions x {n_labels} labels",
                        p.len(),
                        ids.len()
                    );
                }
                let window = &plans[s][w];
                for t in window.owned.clone() {
                    let row = prefix.len() + t - window.tokens.start;
                    let row = &p[row * n_labels..(row + 1) * n_labels];
                    let label = tags_to_spans::argmax(row);
                    token_probs[s][t * n_labels..(t + 1) * n_labels].copy_from_slice(row);
                    let tok = tokenized[s][t];
                    labelled[s][t] = Some(LabelledToken {
                        start: tok.start,
                        end: tok.end,
                        label,
                        prob: row[label],
                    });
                }
            }
        }
        labelled
            .into_iter()
            .zip(plans)
            .zip(token_probs)
            .enumerate()
            .map(|(s, ((tokens, plan), probs))| {
                let tokens = tokens
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| anyhow!("sentence {s}: a token was left unlabelled"))?;
                Ok(SentenceLabels {
                    tokens,
                    probs,
                    windows: plan.len(),
                })
            })
            .collect()
    }

    /// Runs each chunk of jobs through a model of the pool (see [`ModelPool::map`]; chunks
    /// come longest first).
    pub(super) fn run_chunks(
        &self,
        chunks: &[&[usize]],
        jobs: &[(usize, usize, Vec<i64>)],
    ) -> Result<Vec<Vec<Vec<f32>>>> {
        self.pool.map(chunks, |model, chunk| {
            let batch: Vec<&[i64]> = chunk.iter().map(|&j| jobs[j].2.as_slice()).collect();
            model.classify(&batch)
        })
    }

    /// Entities of one document from its sentences' labelled tokens; returns the counts.
    pub(super) fn fill(&self, doc: &mut Document, sentences: Vec<SentenceLabels>) -> StageCounts {
        let index = CharIndex::new(&doc.text);
        let mut entities = Vec::new();
        let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
        let mut in_links = 0usize;
        let mut amount_units = 0usize;
        let rules = self.context_rules;
        // The completed form of each entity that is the first part of an elliptical compound.
        let mut forms: Vec<Option<String>> = Vec::new();
        let mut windowed = 0;
        for (s, labelled) in sentences.into_iter().enumerate() {
            if labelled.windows > 1 {
                windowed += 1;
            }
            let span = &doc.sentences[s];
            let chars: Vec<char> = index
                .slice(&doc.text, span.start, span.end)
                .chars()
                .collect();
            let mut words = tags_to_spans::words(&chars, &labelled.tokens);
            if let Some(constraints) = &self.constraints {
                let n = self.labels.len();
                let rows: Vec<&[f32]> = words
                    .iter()
                    .map(|w| &labelled.probs[w.token * n..(w.token + 1) * n])
                    .collect();
                let path = tags_to_spans::constrained_labels(&rows, constraints);
                for ((word, label), row) in words.iter_mut().zip(path).zip(&rows) {
                    word.label = label;
                    word.prob = row[label];
                }
            }
            for raw in tags_to_spans::decode(&chars, &words, &self.tags) {
                let label = self
                    .tags
                    .iter()
                    .position(|t| t.kind == raw.kind)
                    .and_then(|i| self.mapped[i]);
                let Some(label) = label else {
                    *dropped.entry(raw.kind).or_default() += 1;
                    continue;
                };
                let surface_rules = self.surface_rules;
                if surface_rules && surface::inside_link(&chars, raw.start, raw.end) {
                    in_links += 1;
                    continue;
                }
                if rules.amount_units && amounts::unit_of_amount(&chars, raw.start, raw.end) {
                    amount_units += 1;
                    continue;
                }
                let elliptical = surface_rules
                    .then(|| surface::elliptical(&chars, raw.start, raw.end))
                    .flatten();
                let (end, completed) = elliptical.unwrap_or((raw.end, None));
                let mut start = raw.start;
                if rules.boundaries {
                    if label == "PER" {
                        start = boundaries::with_initials(&chars, start);
                    }
                    start = boundaries::without_byline_von(&chars, start, end);
                }
                entities.push(Entity {
                    text: chars[start..end].iter().collect(),
                    label: label.to_string(),
                    start: span.start + start,
                    end: span.start + end,
                    score: raw.score,
                    sentence: s,
                    canonical: String::new(),
                    boilerplate: false,
                });
                forms.push(completed);
            }
        }
        let mended = if self.surface_rules {
            surface::mend_connectors(&mut entities, &mut forms, |s, e| {
                index.slice(&doc.text, s, e).to_string()
            })
        } else {
            0
        };
        let joined = if rules.boundaries {
            let text: Vec<char> = doc.text.chars().collect();
            boundaries::join_institutions(&mut entities, &mut forms, &text)
        } else {
            0
        };
        let (relabelled, split) = if rules.label_vote {
            let split = consistency::split_adjacent_persons(&mut entities, &mut forms);
            (consistency::vote_labels(&mut entities), split)
        } else {
            (0, 0)
        };
        if let Some(page) = &doc.page {
            for e in entities.iter_mut() {
                e.boilerplate = page.covers(e.start, e.end);
            }
        }
        doc.entity_summary = canonical::assign_canonical_as(&mut entities, &forms);
        if entities.iter().any(|e| e.boilerplate) {
            // Names in menus, bylines and captions are not what the article is about.
            canonical::recount_without_boilerplate(&mut doc.entity_summary, &entities);
        }
        let mut counts = StageCounts::new();
        counts.insert("entities".into(), entities.len().into());
        counts.insert("dropped".into(), dropped.values().sum::<usize>().into());
        if !dropped.is_empty() {
            let map = dropped.into_iter().map(|(k, v)| (k, v.into())).collect();
            counts.insert("dropped_labels".into(), serde_json::Value::Object(map));
        }
        if windowed > 0 {
            counts.insert("windowed_sentences".into(), windowed.into());
        }
        if in_links > 0 {
            counts.insert("dropped_in_links".into(), in_links.into());
        }
        if mended > 0 {
            counts.insert("mended_at_connectors".into(), mended.into());
        }
        if amount_units > 0 {
            counts.insert("dropped_amount_units".into(), amount_units.into());
        }
        if joined > 0 {
            counts.insert("joined_institutions".into(), joined.into());
        }
        if relabelled > 0 {
            counts.insert("relabelled_by_vote".into(), relabelled.into());
        }
        if split > 0 {
            counts.insert("split_adjacent_persons".into(), split.into());
        }
        doc.entities = entities;
        doc.provenance
            .models
            .insert(STAGE_NAME.to_string(), self.model.clone());
        counts
    }
}
