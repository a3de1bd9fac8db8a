//! Feeds arbitrary bytes to input decoding (UTF-8 / Windows-1252, then HTML and Markdown
//! remnants) and checks its contract: decoded text has no NUL, every markup edit spans its
//! own `text` in order, and putting each `was` back gives the undecoded text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsextract::ingest::decode_text;
use newsextract::ingest::markup::{decode_markup, restore};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode_text(data) else {
        return;
    };
    assert!(!decoded.text.contains('\0'));
    let (text, edits) = decode_markup(&decoded.text);
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    for e in &edits {
        assert!(at <= e.start && e.start <= e.end && e.end <= chars.len());
        let span: String = chars[e.start..e.end].iter().collect();
        assert_eq!(span, e.text);
        assert!(!e.was.is_empty());
        at = e.end;
    }
    assert_eq!(restore(&text, &edits), decoded.text);
});
