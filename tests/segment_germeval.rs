//! Sentence-boundary accuracy on GermEval 2014 sentences joined into paragraphs.
//!
//! GermEval gives tokenised sentences; we rebuild plain text (no space before closing
//! punctuation, none after opening quotes and brackets), join runs of 1-8 consecutive
//! sentences with a single space into paragraphs (a deterministic pseudo-random split), and
//! ask the splitter to find the boundaries inside each paragraph. Paragraph ends are given
//! away (a line break always ends a sentence), so only the boundaries inside paragraphs count.
//! Run with `--nocapture` to see the figures.

use std::collections::BTreeSet;

use newsextract::stages::segment::split_sentences;

fn sentences(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !tokens.is_empty() {
                out.push(detokenize(&tokens));
                tokens.clear();
            }
            continue;
        }
        if let Some(tok) = line.split('\t').nth(1) {
            tokens.push(tok.to_string());
        }
    }
    out
}

fn detokenize(tokens: &[String]) -> String {
    let mut s = String::new();
    let mut quote_open = false;
    let mut no_space_next = true;
    for t in tokens {
        let closing = matches!(
            t.as_str(),
            "," | "." | ";" | ":" | "!" | "?" | ")" | "]" | "“" | "«" | "..." | "%"
        ) || (t == "\"" && quote_open);
        let opening = matches!(t.as_str(), "(" | "[" | "„" | "»") || (t == "\"" && !quote_open);
        if !no_space_next && !closing {
            s.push(' ');
        }
        s.push_str(t);
        if t == "\"" {
            quote_open = !quote_open;
        }
        no_space_next = opening;
    }
    s
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

struct Scores {
    tp: usize,
    fp: usize,
    fn_: usize,
    exact: usize,
    total: usize,
}

fn evaluate(sents: &[String], only_terminated: bool) -> Scores {
    let mut rng = Lcg(2014);
    let mut s = Scores {
        tp: 0,
        fp: 0,
        fn_: 0,
        exact: 0,
        total: 0,
    };
    let mut i = 0;
    while i < sents.len() {
        let n = 1 + rng.next(8) as usize;
        let group = &sents[i..(i + n).min(sents.len())];
        i += n;
        if only_terminated
            && !group.iter().all(|x| {
                x.trim_end_matches(['"', '“', '«', ')'])
                    .ends_with(['.', '!', '?'])
            })
        {
            continue;
        }
        let paragraph = group.join(" ");
        let mut gold = BTreeSet::new();
        let mut gold_spans = BTreeSet::new();
        let mut pos = 0;
        for (k, sent) in group.iter().enumerate() {
            let len = sent.chars().count();
            gold_spans.insert((pos, pos + len));
            if k + 1 < group.len() {
                gold.insert(pos + len);
            }
            pos += len + 1;
        }
        let predicted_spans = split_sentences(&paragraph);
        let predicted: BTreeSet<usize> = predicted_spans[..predicted_spans.len().saturating_sub(1)]
            .iter()
            .map(|&(_, e)| e)
            .collect();
        s.tp += gold.intersection(&predicted).count();
        s.fp += predicted.difference(&gold).count();
        s.fn_ += gold.difference(&predicted).count();
        s.total += group.len();
        s.exact += predicted_spans
            .iter()
            .filter(|sp| gold_spans.contains(sp))
            .count();
    }
    s
}

#[test]
fn germeval_sentence_boundaries() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/germeval2014/");
    let mut sents = sentences(&format!("{root}NER-de-dev.tsv"));
    sents.extend(sentences(&format!("{root}NER-de-test.tsv")));
    assert!(sents.len() > 7000);
    for (label, only_terminated) in [
        ("all sentences", false),
        ("sentences ending in . ! ?", true),
    ] {
        let s = evaluate(&sents, only_terminated);
        let p = s.tp as f64 / (s.tp + s.fp) as f64;
        let r = s.tp as f64 / (s.tp + s.fn_) as f64;
        let f1 = 2.0 * p * r / (p + r);
        let acc = s.exact as f64 / s.total as f64;
        println!(
            "GermEval 2014 ({label}): {} sentences; inner boundaries P={p:.4} R={r:.4} F1={f1:.4}; sentences exactly right {acc:.4}",
            s.total
        );
        if only_terminated {
            assert!(f1 >= 0.97, "boundary F1 fell to {f1:.4}");
            assert!(acc >= 0.95, "sentence accuracy fell to {acc:.4}");
        }
    }
}
