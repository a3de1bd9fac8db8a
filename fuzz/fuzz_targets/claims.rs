//! Feeds arbitrary text to the claims stage, with sentence ranges cut from the input itself,
//! and checks the output contract: offsets on char boundaries and in order, `text` equal to
//! its slice, finite values, `value_high >= value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsextract::stages::claims::extract_claims;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '.' | '\n' | '?') {
            sentences.push((start, i + 1));
            start = i + 1;
        }
    }
    sentences.push((start, chars.len()));
    for lang in ["de", "en"] {
        for claim in extract_claims(text, &sentences, lang) {
            assert!(claim.start <= claim.end && claim.end <= chars.len());
            let slice: String = chars[claim.start..claim.end].iter().collect();
            assert_eq!(claim.text, slice);
            // Only a date whose year is unknown has no value.
            match claim.value {
                Some(v) => assert!(v.is_finite()),
                None => assert!(claim.date.is_some() && claim.value_high.is_none()),
            }
            if let (Some(v), Some(h)) = (claim.value, claim.value_high) {
                assert!(h.is_finite() && h >= v);
            }
            if let Some(a) = &claim.attribution {
                let s: String = chars[a.start..a.end].iter().collect();
                assert_eq!(a.text, s);
            }
            assert!(claim.sentence < sentences.len());
        }
    }
});
