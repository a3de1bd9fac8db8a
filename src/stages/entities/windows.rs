//! Overlapping windows over a sentence longer than the model's limit, and which window's
//! prediction each token takes.

use std::ops::Range;

/// One window: the tokens the model sees, and the tokens whose labels are taken from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Tokens given to the model (at most the window size).
    pub tokens: Range<usize>,
    /// Tokens labelled from this window: a sub-range of `tokens`. The `owned` ranges of a
    /// sentence's windows partition `0..n`, so every token is labelled exactly once.
    pub owned: Range<usize>,
}

/// Windows of at most `size` tokens over `n` tokens, consecutive windows sharing `overlap`
/// tokens (clamped to `size / 2`, and the last window is moved back to end at `n`, so some
/// overlaps are larger). In an overlap, each token takes the label of the window in which it
/// has more context: the cut is in the middle of the overlap.
pub fn windows(n: usize, size: usize, overlap: usize) -> Vec<Window> {
    assert!(size > 0, "window size must be positive");
    if n <= size {
        return vec![Window {
            tokens: 0..n,
            owned: 0..n,
        }];
    }
    let overlap = overlap.min(size / 2);
    let step = size - overlap;
    let mut spans = Vec::new();
    let mut start = 0;
    loop {
        spans.push(start..start + size);
        if start + size >= n {
            break;
        }
        start = (start + step).min(n - size);
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut owned_from = 0;
    for (i, span) in spans.iter().enumerate() {
        let owned_to = match spans.get(i + 1) {
            // The shared tokens are next.start..span.end; the first half stays here.
            Some(next) => (next.start + span.end).div_ceil(2),
            None => n,
        };
        out.push(Window {
            tokens: span.clone(),
            owned: owned_from..owned_to,
        });
        owned_from = owned_to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_sentence_is_one_window() {
        assert_eq!(
            windows(5, 8, 2),
            vec![Window {
                tokens: 0..5,
                owned: 0..5
            }]
        );
    }

    #[test]
    fn overlap_is_cut_in_the_middle() {
        let w = windows(20, 8, 4);
        assert_eq!(w[0].tokens, 0..8);
        assert_eq!(w[1].tokens, 4..12);
        assert_eq!(w[0].owned, 0..6);
        assert_eq!(w[1].owned, 6..10);
        assert_eq!(w.last().unwrap().tokens, 12..20);
        assert_eq!(w.last().unwrap().owned.end, 20);
    }

    proptest! {
        #[test]
        fn owned_ranges_partition_every_token(n in 0usize..5000, size in 1usize..600, overlap in 0usize..700) {
            let w = windows(n, size, overlap);
            let mut next = 0;
            for win in &w {
                prop_assert!(win.tokens.len() <= size);
                prop_assert_eq!(win.owned.start, next);
                prop_assert!(win.owned.start >= win.tokens.start && win.owned.end <= win.tokens.end);
                next = win.owned.end;
            }
            prop_assert_eq!(next, n);
            // An owned token has at least half the overlap as context on each side that is
            // not a sentence edge.
            let half = overlap.min(size / 2) / 2;
            for win in &w {
                for t in win.owned.clone() {
                    prop_assert!(win.tokens.start == 0 || t - win.tokens.start >= half);
                    prop_assert!(win.tokens.end == n || win.tokens.end - 1 - t >= half);
                }
            }
        }
    }
}
