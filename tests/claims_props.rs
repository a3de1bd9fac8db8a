//! Property test: any Unicode text, any sentence cut, both languages — the claims stage must
//! not panic and must keep its output contract.

use newsextract::stages::claims::{extract_claims, ClaimKind};
use proptest::prelude::*;

/// Text mixing arbitrary Unicode with the characters the patterns react to, so that the
/// interesting paths (digits, separators, scale words, superscripts) are actually reached.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(|c| c.to_string()),
        "[0-9]{1,5}",
        "[0-9]{1,3}([.,][0-9]{3}){0,2}",
        "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}",
        "[0-9]{1,2}:[0-9]{2}",
        prop::sample::select(vec![
            " ",
            ". ",
            ", ",
            "-",
            "–",
            "%",
            "€",
            "$",
            "²",
            "\n",
            "bis",
            " bis zu ",
            " mehr als ",
            " zwischen ",
            " und ",
            "Millionen",
            "Mio.",
            "Tausende",
            "er",
            "Jahren",
            "Juni",
            "zweieinhalb",
            "drei",
            "ersten",
            "siebtgrößte",
            "laut ",
            ", sagt ",
            "Prozent",
            "https://x.y/1",
            "F-16",
            "(2024):",
            " S. ",
            "eine halbe ",
            "Viertel",
            "ß",
            "😀",
            "./",
            "/",
            ".",
            ":",
            "(",
            ")",
            "Uhr",
            "jeder",
            "dritte",
            "Hälfte",
            "stellige",
            "Millionenbetrag",
            "fache",
            "Tel. 0",
            "zwischen dem ",
            "- bis ",
            "er-Jahre",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn check(text: &str, cuts: &[usize], lang: &str) {
    let n = text.chars().count();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (n + 1)).collect();
    bounds.push(0);
    bounds.push(n);
    bounds.sort_unstable();
    bounds.dedup();
    let sentences: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let chars: Vec<char> = text.chars().collect();
    for c in extract_claims(text, &sentences, lang) {
        assert!(c.start <= c.end && c.end <= n, "{c:?}");
        let slice: String = chars[c.start..c.end].iter().collect();
        assert_eq!(c.text, slice);
        assert!(!c.text.is_empty());
        // Only a date whose year is unknown has no value, and then no upper value either.
        match c.value {
            Some(v) => assert!(v.is_finite(), "{c:?}"),
            None => assert!(c.date.is_some() && c.value_high.is_none(), "{c:?}"),
        }
        if let (Some(v), Some(h)) = (c.value, c.value_high) {
            assert!(h >= v, "{c:?}");
        }
        assert_eq!(c.date.is_some(), c.kind == ClaimKind::Date, "{c:?}");
        if let Some(a) = &c.attribution {
            assert!(a.start <= a.end && a.end <= n);
            let s: String = chars[a.start..a.end].iter().collect();
            assert_eq!(a.text, s);
        }
        assert!(c.sentence < sentences.len().max(1));
        serde_json::to_string(&c).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_unicode_keeps_the_contract(text in any::<String>(), cuts in prop::collection::vec(any::<usize>(), 0..6)) {
        check(&text, &cuts, "de");
        check(&text, &cuts, "en");
    }

    #[test]
    fn number_heavy_text_keeps_the_contract(text in texty(), cuts in prop::collection::vec(any::<usize>(), 0..6)) {
        check(&text, &cuts, "de");
        check(&text, &cuts, "en");
        check(&text, &cuts, "fr");
    }
}
