//! The claims extractor as a pipeline stage.

use rayon::prelude::*;

use super::{Attribution, Claim};
use crate::document::{Document, Entity, Span};
use crate::stage::{Stage, StageCounts};

/// The rules' version, part of the run fingerprint: bump it when a rule change alters output
/// (history in `docs/claims.md`).
pub const RULES_VERSION: u32 = 5;

/// Fills `claims` from the text and its sentences (segment must have run). When the entities
/// stage ran first, a claim without an attribution phrase is attributed to the person or
/// organisation of its sentence when that sentence has a saying or estimating verb
/// ("Putin sagte, ...", "Die Regierung schätzt ...").
pub struct ClaimsStage;

impl Stage for ClaimsStage {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn describe(&self) -> serde_json::Value {
        serde_json::json!({ "rules": RULES_VERSION })
    }

    fn requires(&self) -> &'static [&'static str] {
        &["segment"]
    }

    /// Page furniture makes a number no claim; a speaker found by the entities stage is
    /// a claim's source.
    fn reads_if_present(&self) -> &'static [&'static str] {
        &["page", "entities"]
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        docs.par_iter_mut().for_each(|doc| {
            let lang = doc
                .language
                .as_ref()
                .map_or("de", |l| l.code.as_str())
                .to_string();
            let mut claims = super::extract_claims(&doc.text, &doc.sentence_ranges(), &lang);
            if let Some(page) = &doc.page {
                for c in claims.iter_mut().filter(|c| page.covers(c.start, c.end)) {
                    c.boilerplate = true;
                    c.is_claim = false;
                    c.attribution = None;
                }
            }
            doc.claims_coverage = Some(crate::document::ClaimsCoverage {
                rules: super::coverage(&doc.text, &lang),
                language: lang.clone(),
            });
            match (
                doc.published.as_deref(),
                doc.page.as_ref().and_then(|p| p.published.as_ref()),
            ) {
                (Some(published), _) => super::resolve_dates(&mut claims, Some(published)),
                // No `published` in the input: the date written in the page, marked as such.
                (None, Some(found)) => {
                    super::resolve_dates(&mut claims, Some(&found.value));
                    super::dates::mark_year_from_page(&mut claims);
                }
                (None, None) => {}
            }
            attribute_to_entities(&mut claims, &doc.sentences, &doc.entities);
            doc.claims = claims;
        });
        Ok(docs
            .iter()
            .map(|d| {
                let mut counts = StageCounts::new();
                let asserted = d.claims.iter().filter(|c| c.is_claim).count();
                counts.insert("numbers".into(), d.claims.len().into());
                counts.insert("asserted".into(), asserted.into());
                counts
            })
            .collect())
    }
}

/// Sets `attribution` of asserted claims that have none to the PER/ORG entity of their
/// sentence nearest to a speech or estimate verb, when the sentence has one.
pub fn attribute_to_entities(claims: &mut [Claim], sentences: &[Span], entities: &[Entity]) {
    for claim in claims
        .iter_mut()
        .filter(|c| c.is_claim && c.attribution.is_none())
    {
        let Some(sentence) = sentences.get(claim.sentence) else {
            continue;
        };
        let mut verbs = Vec::new();
        let mut offset = sentence.start;
        for word in sentence.text.split(|c: char| !c.is_alphabetic()) {
            if super::attribution::speech_verb(&word.to_lowercase()) {
                verbs.push(offset);
            }
            offset += word.chars().count() + 1;
        }
        let best = entities
            .iter()
            .filter(|e| e.sentence == claim.sentence && matches!(e.label.as_str(), "PER" | "ORG"))
            .filter(|e| e.end <= claim.start || e.start >= claim.end)
            .filter_map(|e| {
                let distance = verbs.iter().map(|&v| v.abs_diff(e.start)).min()?;
                Some((distance, e))
            })
            .min_by_key(|(d, _)| *d);
        if let Some((_, e)) = best {
            claim.attribution = Some(Attribution {
                text: e.text.clone(),
                start: e.start,
                end: e.end,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(text: &str, full: &str, label: &str) -> Entity {
        Entity::found_in(text, full, label)
    }

    fn run(text: &str, entities: &[Entity]) -> Vec<Claim> {
        let n = text.chars().count();
        let sentences = [Span {
            start: 0,
            end: n,
            text: text.into(),
        }];
        let mut claims = super::super::extract_claims(text, &[(0, n)], "de");
        // Only claims the phrase rules left unattributed are refined: start from none.
        for c in &mut claims {
            c.attribution = None;
        }
        attribute_to_entities(&mut claims, &sentences, entities);
        claims
    }

    #[test]
    fn speaker_entity_becomes_the_attribution() {
        let text = "Außenministerin Baerbock sagte, es gebe 300 Tote.";
        let claims = run(text, &[entity("Baerbock", text, "PER")]);
        let c = claims.iter().find(|c| c.text.contains("300")).unwrap();
        let a = c.attribution.as_ref().expect("attributed to Baerbock");
        assert_eq!(a.text, "Baerbock");
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[a.start..a.end].iter().collect::<String>(), "Baerbock");
    }

    #[test]
    fn no_verb_or_no_person_means_no_attribution() {
        let text = "In Berlin leben 3,7 Millionen Menschen.";
        let claims = run(text, &[entity("Berlin", text, "LOC")]);
        assert!(claims.iter().all(|c| c.attribution.is_none()));
        let text = "Baerbock besuchte 12 Städte.";
        let claims = run(text, &[entity("Baerbock", text, "PER")]);
        assert!(
            claims.iter().all(|c| c.attribution.is_none()),
            "no saying verb"
        );
    }
}
