//! From labelled subword tokens to entity spans: subwords merged into words, words given
//! the most probable IOB2 tag sequence where the model's scheme is known to be IOB2, BIO /
//! IOB1 / BIOES tags decoded into spans, spans given a score.

use super::label_sets::{Position, Tag};

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
    /// Index (in the token slice given to [`words`]) of the word's first subword.
    pub token: usize,
    pub label: usize,
    pub prob: f32,
    /// Whether the word has a letter or digit (punctuation-only words never begin or end
    /// an entity).
    pub alnum: bool,
}

/// Groups the tokens of a sentence (`chars` is the sentence text) into words. Token spans
/// are trimmed of white space first. A token with nothing left (the lone `▁` that XLM-R's
/// sentencepiece puts before a word it has no `▁word` piece for, as in `▁` `FSC`) is the
/// first subword of the word after it: that is how the training data aligned labels to it
/// (`training/nerdata.py`, `align`), so the word takes its label. Tokens overlapping the
/// previous word (several byte-level tokens of one emoji) join it.
pub fn words(chars: &[char], tokens: &[LabelledToken]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    // A blank token waiting for the word it begins.
    let mut blank: Option<usize> = None;
    for (index, tok) in tokens.iter().enumerate() {
        let (mut s, mut e) = (tok.start.min(chars.len()), tok.end.min(chars.len()));
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s == e {
            blank = blank.or(Some(index));
            continue;
        }
        let alnum = chars[s..e].iter().any(|c| c.is_alphanumeric());
        if let Some(w) = out.last_mut() {
            let joins =
                s == w.end && chars[w.end - 1].is_alphanumeric() && chars[s].is_alphanumeric();
            if blank.is_none() && (joins || s < w.end) {
                w.end = w.end.max(e);
                w.alnum |= alnum;
                continue;
            }
        }
        let first = blank.take().unwrap_or(index);
        out.push(Word {
            start: s,
            end: e,
            token: first,
            label: tokens[first].label,
            prob: tokens[first].prob,
            alnum,
        });
    }
    out
}

/// Which tag may open a sentence and which may follow which, for a label set in the IOB2
/// scheme: `I-X` only continues `B-X` or `I-X`; `O` and `B-X` may come anywhere.
#[derive(Debug, Clone)]
pub struct Iob2Constraints {
    /// One entry per label.
    may_start: Vec<bool>,
    /// Row-major `[previous * labels + next]`.
    may_follow: Vec<bool>,
}

impl Iob2Constraints {
    /// Fails (saying which label) when the label set is not IOB2: an `E-`/`S-` tag, or an
    /// `I-X` with no `B-X` beside it.
    pub fn new(tags: &[Tag]) -> Result<Self, String> {
        for tag in tags {
            match tag.position {
                Position::End | Position::Single => {
                    return Err(format!("label with an E-/S- prefix for `{}`", tag.kind))
                }
                Position::Inside
                    if !tags
                        .iter()
                        .any(|t| t.position == Position::Begin && t.kind == tag.kind) =>
                {
                    return Err(format!("I-{} has no B-{}", tag.kind, tag.kind))
                }
                _ => {}
            }
        }
        let n = tags.len();
        let mut may_follow = vec![true; n * n];
        for (next, tag) in tags.iter().enumerate() {
            if tag.position == Position::Inside {
                for (prev, p) in tags.iter().enumerate() {
                    may_follow[prev * n + next] =
                        p.position != Position::Outside && p.kind == tag.kind;
                }
            }
        }
        Ok(Iob2Constraints {
            may_start: tags
                .iter()
                .map(|t| t.position != Position::Inside)
                .collect(),
            may_follow,
        })
    }
}

/// The label of each position along the sequence with the highest product of probabilities
/// (`rows[i]`: position i's probability per label) among those `constraints` allow: Viterbi.
/// Unlike taking each position's most probable label, it never yields a stray `I-` or an
/// entity whose type changes halfway; the model's second choice repairs it where that is
/// the better bet. `training/nerdata.py` (`constrained_path`) decodes the same way, so the
/// held-out scores hold for the pipeline.
pub fn constrained_labels(rows: &[&[f32]], constraints: &Iob2Constraints) -> Vec<usize> {
    let n = constraints.may_start.len();
    if rows.is_empty() || n == 0 {
        return Vec::new();
    }
    let log = |p: f32| (p.max(f32::MIN_POSITIVE) as f64).ln();
    let mut best: Vec<f64> = (0..n)
        .map(|j| {
            if constraints.may_start[j] {
                log(rows[0][j])
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(rows.len().saturating_sub(1));
    for row in &rows[1..] {
        let mut next = vec![f64::NEG_INFINITY; n];
        let mut from = vec![0; n];
        for j in 0..n {
            for (i, &score) in best.iter().enumerate() {
                if constraints.may_follow[i * n + j] && score > next[j] {
                    next[j] = score;
                    from[j] = i;
                }
            }
            next[j] += log(row[j]);
        }
        back.push(from);
        best = next;
    }
    let mut label = argmax(&best);
    let mut path = vec![label];
    for from in back.iter().rev() {
        label = from[label];
        path.push(label);
    }
    path.reverse();
    path
}

/// Index of the largest value; the first one on ties (as numpy's `argmax`, which the
/// training code uses).
pub fn argmax<T: PartialOrd>(values: &[T]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
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
/// at either edge of a span are left out of it, except the period of a German ordinal written
/// in Roman numerals after a name ("Wilhelm II.", "Papst Benedikt XVI."), which belongs to
/// the name. `chars` is the sentence text the words index.
pub fn decode(chars: &[char], words: &[Word], tags: &[Tag]) -> Vec<RawSpan> {
    let mut spans = Vec::new();
    // (type, first word, last word) of the span being built.
    let mut open: Option<(&str, usize, usize)> = None;
    let mut close = |open: &mut Option<(&str, usize, usize)>| {
        if let Some((kind, first, last)) = open.take() {
            if let Some(span) = make_span(chars, words, kind, first, last) {
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

fn make_span(
    chars: &[char],
    words: &[Word],
    kind: &str,
    first: usize,
    last: usize,
) -> Option<RawSpan> {
    let slice = &words[first..=last];
    let a = slice.iter().position(|w| w.alnum)?;
    let b = slice.iter().rposition(|w| w.alnum)?;
    let kept = &slice[a..=b];
    let score = kept.iter().map(|w| w.prob as f64).sum::<f64>() / kept.len() as f64;
    let last_word = &kept[kept.len() - 1];
    let mut end = last_word.end;
    if kept.len() > 1
        && is_roman_numeral(&chars[last_word.start..end])
        && chars.get(end) == Some(&'.')
    {
        end += 1;
    }
    Some(RawSpan {
        start: kept[0].start,
        end,
        kind: kind.to_string(),
        score,
    })
}

/// "II", "XVI": up to seven of the capitals Roman numerals are written with.
fn is_roman_numeral(word: &[char]) -> bool {
    !word.is_empty() && word.len() <= 7 && word.iter().all(|c| "IVXLCDM".contains(*c))
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
    fn blank_token_begins_the_next_word_and_overlapping_tokens_join() {
        let chars: Vec<char> = "a 😀 b".chars().collect();
        // "a" | "▁" (the space, labelled 3) | two tokens of the emoji | " b"
        let toks = [
            tok(0, 1, 0),
            tok(1, 2, 3),
            tok(2, 3, 1),
            tok(2, 3, 2),
            tok(4, 5, 0),
        ];
        let w = words(&chars, &toks);
        let spans: Vec<(usize, usize, usize, usize)> = w
            .iter()
            .map(|w| (w.start, w.end, w.label, w.token))
            .collect();
        assert_eq!(spans, vec![(0, 1, 0, 0), (2, 3, 3, 1), (4, 5, 0, 4)]);
        // "habe FSC": "▁habe" "▁" "FSC", the acronym's label sits on the lone "▁".
        let chars: Vec<char> = "habe FSC".chars().collect();
        let w = words(&chars, &[tok(0, 4, 0), tok(4, 5, 3), tok(5, 8, 4)]);
        assert_eq!((w[1].start, w[1].end, w[1].label), (5, 8, 3));
        // A blank token at the end of a sentence labels nothing.
        let w = words(&chars, &[tok(0, 4, 0), tok(4, 5, 3)]);
        assert_eq!(w.len(), 1);
    }

    fn word(i: usize, label: usize) -> Word {
        Word {
            start: i * 2,
            end: i * 2 + 1,
            token: i,
            label,
            prob: 0.8,
            alnum: true,
        }
    }

    fn run(labels: &[&str], seq: &[usize]) -> Vec<(usize, usize, String)> {
        let tags = tags(labels);
        let words: Vec<Word> = seq.iter().enumerate().map(|(i, &l)| word(i, l)).collect();
        let chars = vec!['x'; seq.len() * 2];
        decode(&chars, &words, &tags)
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
        let tags = tags(&["O", "B-PER", "I-PER"]);
        let mut w = vec![word(0, 1), word(1, 2), word(2, 2)];
        w[0].prob = 0.9;
        w[1].prob = 0.7;
        w[2].alnum = false; // a trailing comma labelled I-PER
        w[2].prob = 0.1;
        let chars = vec!['x'; 6];
        let spans = decode(&chars, &w, &tags);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].start, spans[0].end), (0, 3));
        assert!((spans[0].score - 0.8).abs() < 1e-6);
        // A span of punctuation only is no span.
        let only_punct = [Word {
            alnum: false,
            ..word(0, 1)
        }];
        assert!(decode(&chars, &only_punct, &tags).is_empty());
    }

    #[test]
    fn period_of_a_roman_ordinal_stays_with_the_name() {
        let tags = tags(&["O", "B-PER", "I-PER"]);
        let toks = |text: &str, labels: &[usize]| -> Vec<LabelledToken> {
            // one token per white-space-separated piece, "." split off
            let mut out = Vec::new();
            let mut start = 0;
            for piece in text.split(' ') {
                let n = piece.chars().count();
                let body = if piece.ends_with('.') { n - 1 } else { n };
                out.push((start, start + body));
                if body < n {
                    out.push((start + body, start + n));
                }
                start += n + 1;
            }
            out.into_iter()
                .zip(labels)
                .map(|((s, e), &l)| tok(s, e, l))
                .collect()
        };
        let spans = |text: &str, labels: &[usize]| -> Vec<String> {
            let chars: Vec<char> = text.chars().collect();
            let w = words(&chars, &toks(text, labels));
            decode(&chars, &w, &tags)
                .iter()
                .map(|s| chars[s.start..s.end].iter().collect())
                .collect()
        };
        // "als Kaiser Wilhelm II. abdankte": the period is labelled O or I-PER alike.
        assert_eq!(
            spans("Kaiser Wilhelm II. abdankte", &[0, 1, 2, 0, 0]),
            ["Wilhelm II."]
        );
        assert_eq!(
            spans("Kaiser Wilhelm II. abdankte", &[0, 1, 2, 2, 0]),
            ["Wilhelm II."]
        );
        // A sentence's full stop after other names, or after a lone numeral, is not taken.
        assert_eq!(spans("Er traf Merkel.", &[0, 0, 1, 2]), ["Merkel"]);
        assert_eq!(spans("Teil II.", &[0, 1, 0]), ["II"]);
    }

    fn tags(labels: &[&str]) -> Vec<Tag> {
        labels.iter().map(|l| Tag::parse(l)).collect()
    }

    const IOB2: [&str; 5] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];

    fn constrained(rows: &[[f32; 5]]) -> Vec<usize> {
        let c = Iob2Constraints::new(&tags(&IOB2)).unwrap();
        let rows: Vec<&[f32]> = rows.iter().map(|r| r.as_slice()).collect();
        constrained_labels(&rows, &c)
    }

    #[test]
    fn constrained_decoding_never_opens_an_entity_with_inside() {
        // Argmax: O I-PER I-PER, a stray I- that begins an entity.
        let rows = [
            [0.9, 0.02, 0.02, 0.03, 0.03],
            [0.3, 0.25, 0.4, 0.03, 0.02],
            [0.1, 0.05, 0.8, 0.03, 0.02],
        ];
        // O B-PER I-PER (0.9*0.25*0.8) beats O O O (0.9*0.3*0.1).
        assert_eq!(constrained(&rows), vec![0, 1, 2]);
        // Sentence-initial I- is repaired the same way.
        assert_eq!(constrained(&rows[1..]), vec![1, 2]);
    }

    #[test]
    fn constrained_decoding_keeps_one_type_per_entity() {
        // Argmax: B-PER I-LOC, an entity changing type halfway.
        let rows = [[0.05, 0.6, 0.05, 0.25, 0.05], [0.1, 0.05, 0.35, 0.05, 0.45]];
        // B-PER I-PER 0.21 > B-LOC I-LOC 0.1125 > B-PER O 0.06.
        assert_eq!(constrained(&rows), vec![1, 2]);
        // When the continuation is unlikely for either type, the entity ends instead.
        let rows = [[0.05, 0.6, 0.05, 0.25, 0.05], [0.5, 0.05, 0.1, 0.05, 0.3]];
        assert_eq!(constrained(&rows), vec![1, 0]);
    }

    #[test]
    fn constrained_decoding_agrees_with_argmax_on_valid_sequences() {
        let rows = [
            [0.05, 0.8, 0.05, 0.05, 0.05],
            [0.1, 0.05, 0.7, 0.1, 0.05],
            [0.7, 0.1, 0.1, 0.05, 0.05],
            [0.05, 0.05, 0.05, 0.8, 0.05],
        ];
        assert_eq!(constrained(&rows), vec![1, 2, 0, 3]);
        assert!(constrained(&[]).is_empty());
    }

    #[test]
    fn constraints_refuse_label_sets_that_are_not_iob2() {
        let err = Iob2Constraints::new(&tags(&["O", "B-ORG", "I-ORG", "E-ORG", "S-ORG"]));
        assert!(err.unwrap_err().contains("E-/S-"));
        // IOB1 sets without a B- for every type, and prefix-less (IO) sets.
        let err = Iob2Constraints::new(&tags(&["O", "I-PER", "B-PER", "I-ORG"]));
        assert_eq!(err.unwrap_err(), "I-ORG has no B-ORG");
        assert!(Iob2Constraints::new(&tags(&["O", "PER"])).is_err());
    }
}
