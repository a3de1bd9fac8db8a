//! From labelled subword tokens to entity spans: subwords merged into words, BIO / IOB1 /
//! BIOES tags decoded into spans, spans given a score.

use super::labels::{Position, Tag};

/// A subword token of one sentence with its label: char offsets into the sentence text,
/// the label's index in the model's label set and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledToken {
    pub start: usize,
    pub end: usize,
    pub label: usize,
    pub prob: f32,
}

/// A word: a run of subword tokens with no gap between them and letters or digits on both
/// sides of every joint. It takes the label of its first subword (the one models are
/// trained on when labels are aligned to words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub label: usize,
    pub prob: f32,
    /// Whether the word has a letter or digit (punctuation-only words never begin or end
    /// an entity).
    pub alnum: bool,
}

/// Groups the tokens of a sentence (`chars` is the sentence text) into words. Token spans
/// are trimmed of white space first; tokens with nothing left (a lone `▁`) are skipped;
/// tokens overlapping the previous word (several byte-level tokens of one emoji) join it.
pub fn words(chars: &[char], tokens: &[LabelledToken]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for tok in tokens {
        let (mut s, mut e) = (tok.start.min(chars.len()), tok.end.min(chars.len()));
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s == e {
            continue;
        }
        let alnum = chars[s..e].iter().any(|c| c.is_alphanumeric());
        if let Some(w) = out.last_mut() {
            let joins =
                s == w.end && chars[w.end - 1].is_alphanumeric() && chars[s].is_alphanumeric();
            if joins || s < w.end {
                w.end = w.end.max(e);
                w.alnum |= alnum;
                continue;
            }
        }
        out.push(Word {
            start: s,
            end: e,
            label: tok.label,
            prob: tok.prob,
            alnum,
        });
    }
    out
}

/// An entity span in a sentence, still with the model's own entity type.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSpan {
    pub start: usize,
    pub end: usize,
    /// The model's entity type (`PER`, `LOCderiv`, `GPE`, ...).
    pub kind: String,
    /// Mean probability of the labels of the span's words.
    pub score: f64,
}

/// Decodes word tags into spans. One rule serves IOB2, IOB1 and BIOES: `B-`/`S-` always
/// begin a span; `I-`/`E-` continue a span of the same type and begin one otherwise (IOB1
/// begins entities with `I-`); `E-`/`S-` end the span; `O` closes it. Punctuation-only words
/// at either edge of a span are left out of it.
pub fn decode(words: &[Word], tags: &[Tag]) -> Vec<RawSpan> {
    let mut spans = Vec::new();
    // (type, first word, last word) of the span being built.
    let mut open: Option<(&str, usize, usize)> = None;
    let mut close = |open: &mut Option<(&str, usize, usize)>| {
        if let Some((kind, first, last)) = open.take() {
            if let Some(span) = make_span(words, kind, first, last) {
                spans.push(span);
            }
        }
    };
    for (i, word) in words.iter().enumerate() {
        let tag = &tags[word.label];
        let continues = matches!(open, Some((kind, _, _)) if kind == tag.kind);
        match tag.position {
            Position::Outside => close(&mut open),
            Position::Begin | Position::Single => {
                close(&mut open);
                open = Some((&tag.kind, i, i));
            }
            Position::Inside | Position::End => {
                if continues {
                    if let Some((_, _, last)) = open.as_mut() {
                        *last = i;
                    }
                } else {
                    close(&mut open);
                    open = Some((&tag.kind, i, i));
                }
            }
        }
        if matches!(tag.position, Position::End | Position::Single) {
            close(&mut open);
        }
    }
    close(&mut open);
    spans
}

fn make_span(words: &[Word], kind: &str, first: usize, last: usize) -> Option<RawSpan> {
    let slice = &words[first..=last];
    let a = slice.iter().position(|w| w.alnum)?;
    let b = slice.iter().rposition(|w| w.alnum)?;
    let kept = &slice[a..=b];
    let score = kept.iter().map(|w| w.prob as f64).sum::<f64>() / kept.len() as f64;
    Some(RawSpan {
        start: kept[0].start,
        end: kept[kept.len() - 1].end,
        kind: kind.to_string(),
        score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(start: usize, end: usize, label: usize) -> LabelledToken {
        LabelledToken {
            start,
            end,
            label,
            prob: 0.5 + label as f32 / 100.0,
        }
    }

    #[test]
    fn subwords_merge_into_words_but_punctuation_stays_apart() {
        let chars: Vec<char> = "Müllers Haus, ok".chars().collect();
        // "M" "üller" "s" | " Haus" | "," | " ok"
        let toks = [
            tok(0, 1, 1),
            tok(1, 6, 2),
            tok(6, 7, 2),
            tok(7, 12, 0),
            tok(12, 13, 0),
            tok(13, 16, 0),
        ];
        let w = words(&chars, &toks);
        let spans: Vec<(usize, usize, usize)> =
            w.iter().map(|w| (w.start, w.end, w.label)).collect();
        assert_eq!(spans, vec![(0, 7, 1), (8, 12, 0), (12, 13, 0), (14, 16, 0)]);
        assert!(!w[2].alnum);
    }

    #[test]
    fn blank_tokens_skipped_and_overlapping_tokens_joined() {
        let chars: Vec<char> = "a 😀 b".chars().collect();
        let toks = [
            tok(0, 1, 0),
            tok(1, 2, 3),
            tok(2, 3, 1),
            tok(2, 3, 2),
            tok(4, 5, 0),
        ];
        let w = words(&chars, &toks);
        let spans: Vec<(usize, usize, usize)> =
            w.iter().map(|w| (w.start, w.end, w.label)).collect();
        assert_eq!(spans, vec![(0, 1, 0), (2, 3, 1), (4, 5, 0)]);
    }

    fn word(i: usize, label: usize) -> Word {
        Word {
            start: i * 2,
            end: i * 2 + 1,
            label,
            prob: 0.8,
            alnum: true,
        }
    }

    fn run(labels: &[&str], seq: &[usize]) -> Vec<(usize, usize, String)> {
        let tags: Vec<Tag> = labels.iter().map(|l| Tag::parse(l)).collect();
        let words: Vec<Word> = seq.iter().enumerate().map(|(i, &l)| word(i, l)).collect();
        decode(&words, &tags)
            .into_iter()
            .map(|s| (s.start / 2, s.end / 2 + 1, s.kind))
            .collect()
    }

    #[test]
    fn iob2() {
        let labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
        // B-PER I-PER O B-LOC B-LOC I-LOC
        assert_eq!(
            run(&labels, &[1, 2, 0, 3, 3, 4]),
            vec![
                (0, 2, "PER".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 6, "LOC".to_string())
            ]
        );
    }

    #[test]
    fn iob1_begins_with_inside_and_splits_on_begin() {
        let labels = ["O", "I-PER", "B-PER", "I-ORG"];
        // I-PER I-PER B-PER I-ORG O I-PER
        assert_eq!(
            run(&labels, &[1, 1, 2, 3, 0, 1]),
            vec![
                (0, 2, "PER".to_string()),
                (2, 3, "PER".to_string()),
                (3, 4, "ORG".to_string()),
                (5, 6, "PER".to_string())
            ]
        );
    }

    #[test]
    fn bioes() {
        let labels = ["O", "B-ORG", "I-ORG", "E-ORG", "S-ORG"];
        // S S B I E
        assert_eq!(
            run(&labels, &[4, 4, 1, 2, 3]),
            vec![
                (0, 1, "ORG".to_string()),
                (1, 2, "ORG".to_string()),
                (2, 5, "ORG".to_string())
            ]
        );
    }

    #[test]
    fn punctuation_trimmed_from_span_edges_and_score_is_mean() {
        let tags: Vec<Tag> = ["O", "B-PER", "I-PER"]
            .iter()
            .map(|l| Tag::parse(l))
            .collect();
        let mut w = vec![word(0, 1), word(1, 2), word(2, 2)];
        w[0].prob = 0.9;
        w[1].prob = 0.7;
        w[2].alnum = false; // a trailing comma labelled I-PER
        w[2].prob = 0.1;
        let spans = decode(&w, &tags);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].start, spans[0].end), (0, 3));
        assert!((spans[0].score - 0.8).abs() < 1e-6);
        // A span of punctuation only is no span.
        let only_punct = [Word {
            alnum: false,
            ..word(0, 1)
        }];
        assert!(decode(&only_punct, &tags).is_empty());
    }
}
