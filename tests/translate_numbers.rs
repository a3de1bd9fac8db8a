//! The number faithfulness check, through the stage (a fixed table stands in for the model so
//! the English text is known).

mod support;

use newsextract::document::ModelInfo;
use newsextract::stage::Stage;
use newsextract::stages::translate::{TranslateOptions, TranslateStage};
use serde_json::json;
use support::marian::*;

#[test]
fn mismatched_numbers_become_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let de = [
        "Die Stadt baut 10.000 Wohnungen.",
        "Der Umsatz stieg um 1,5 Prozent auf 3,2 Milliarden Euro.",
        "Drei Millionen Menschen sind betroffen.",
        "Die Firma hat 450 Mitarbeiter.",
    ];
    let en = [
        "The city is building 10,000 homes.",
        "Sales rose by 1.5 percent to 3.2 million euros.",
        "Three million people are affected.",
        "The company has 45 employees.",
    ];
    let pairs: Vec<(&str, &str)> = de.iter().copied().zip(en.iter().copied()).collect();
    let stage = TranslateStage::with_backend(
        Box::new(Table::new(&pairs)),
        ModelInfo {
            name: "table".into(),
            sha256: "t".repeat(64),
        },
        TranslateOptions::default(),
        tmp.path(),
    )
    .unwrap();
    let mut d = doc("a", Some("de"), &de);
    d.claims = claims(&d);
    let texts: Vec<&str> = d.claims.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        ["10.000", "1,5", "3,2 Milliarden", "Drei Millionen", "450"]
    );
    let mut docs = vec![d];
    let counts = stage.process(&mut docs).unwrap();
    let t = docs[0].translation.as_ref().unwrap();
    assert_eq!(t.sentences, en);
    assert_eq!(
        t.warnings,
        vec![
            json!({
                "claim": "3,2 Milliarden",
                "sentence": 1,
                "expected": ["3.2 billion"],
                "translation": "Sales rose by 1.5 percent to 3.2 million euros."
            }),
            json!({
                "claim": "450",
                "sentence": 3,
                "expected": ["450"],
                "translation": "The company has 45 employees."
            }),
        ]
    );
    assert_eq!(counts[0]["number_warnings"], 2);
}
