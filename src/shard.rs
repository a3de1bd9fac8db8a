//! Splitting a drop across machines: shard K of N takes the articles whose id hashes to K,
//! and writes its own files (`articles.shard-K-of-N.jsonl`, ...) that `newsextract merge`
//! combines into the normal outputs.
//!
//! The split depends on the id alone (sha256, first 8 bytes, modulo N), so every worker
//! agrees on it without talking to the others, whatever order it reads the inputs in. Inputs
//! that fail before they have an id (an unreadable file, a broken JSONL line) are reported by
//! the shard their path (and line) hashes to, so each problem is reported exactly once.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Shard `index` of `count` (0-based, as Kubernetes' `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether the article (or failed input) with this key belongs to the shard.
    pub fn contains(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }
}

/// The shard of `count` that `key` falls in.
pub fn shard_of(key: &str, count: usize) -> usize {
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % count.max(1) as u64) as usize
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N` with 0 <= K < N.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("shard must be K/N with 0 <= K < N (K counts from 0), not {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_falls_in_exactly_one_shard() {
        for n in 1..6 {
            for key in ["000_13a0ca2b9b5ed249", "a", "", "seeds/x.txt:3"] {
                let owners = (0..n)
                    .filter(|&k| Shard { index: k, count: n }.contains(key))
                    .count();
                assert_eq!(owners, 1);
            }
        }
    }

    #[test]
    fn the_split_is_even_enough() {
        let counts = (0..3000).fold([0usize; 3], |mut c, i| {
            c[shard_of(&format!("article-{i}"), 3)] += 1;
            c
        });
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn parses_and_names() {
        let s: Shard = "2/8".parse().unwrap();
        assert_eq!(s, Shard { index: 2, count: 8 });
        for bad in ["8/8", "1/0", "x/2", "3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(s.to_string(), "2/8");
    }
}
