//! Feeds arbitrary text to segmentation and checks its contract: sentences and tokens are
//! in order, do not overlap, lie inside the text, are non-empty and hold no line break
//! (sentences) or white space at their ends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsextract::stages::segment::{split_sentences, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars: Vec<char> = text.chars().collect();
    let mut last = 0;
    for (s, e) in split_sentences(text) {
        assert!(last <= s && s < e && e <= chars.len(), "{s}..{e} after {last}");
        let sentence = &chars[s..e];
        assert!(!sentence.contains(&'\n'));
        assert!(!sentence[0].is_whitespace() && !sentence[sentence.len() - 1].is_whitespace());
        last = e;
    }
    let mut last = 0;
    for (s, e) in tokenize(text) {
        assert!(last <= s && s < e && e <= chars.len(), "{s}..{e} after {last}");
        last = e;
    }
});
