//! Feeds arbitrary bytes as one JSONL line: any input gives an article or an error naming the
//! line, never a panic; an article has a non-empty id and text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsextract::ingest::parse_jsonl_line;

fuzz_target!(|data: &[u8]| {
    match parse_jsonl_line("drop.jsonl", 7, data) {
        Ok(article) => {
            assert!(!article.id.trim().is_empty());
            assert!(!article.text.is_empty());
            assert_eq!(article.line, Some(7));
        }
        Err(e) => {
            assert_eq!(e.line, Some(7));
            assert!(!e.error.is_empty());
        }
    }
});
