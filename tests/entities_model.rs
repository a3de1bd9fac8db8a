//! The entities stage through its real loading code, on tiny models written at test time.

mod support;

use std::path::Path;

use newsextract::document::Document;
use newsextract::offsets::CharIndex;
use newsextract::stage::Stage;
use newsextract::stages::entities::{Decoding, EntitiesOptions, EntitiesStage};
use sha2::{Digest, Sha256};
use support::documents::doc;
use support::ner_model::{write_model, Arch, Spec, CONLL};

fn options() -> EntitiesOptions {
    EntitiesOptions {
        intra_op_threads: Some(1),
        ..Default::default()
    }
}

fn triples(d: &Document) -> Vec<(String, String, usize, usize, usize)> {
    d.entities
        .iter()
        .map(|e| (e.text.clone(), e.label.clone(), e.start, e.end, e.sentence))
        .collect()
}

fn check_offsets(d: &Document) {
    let index = CharIndex::new(&d.text);
    for e in &d.entities {
        assert_eq!(index.slice(&d.text, e.start, e.end), e.text, "{e:?}");
        let s = &d.sentences[e.sentence];
        assert!(s.start <= e.start && e.end <= s.end, "{e:?} outside {s:?}");
        assert!(e.score > 0.0 && e.score <= 1.0, "{e:?}");
    }
}

const GERMAN_WORDS: [(&str, &str); 6] = [
    ("Jürgen", "B-PER"),
    ("Müller", "I-PER"),
    ("München", "B-LOC"),
    ("Öztürk", "B-PER"),
    ("Straßburg", "B-LOC"),
    ("Union", "I-ORG"),
];

fn german_model(dir: &Path, arch: Arch) {
    write_model(dir, &Spec::transparent(arch, &CONLL, &GERMAN_WORDS));
}

#[test]
fn char_offsets_on_german_text_with_umlauts_and_emoji() {
    for arch in [Arch::Bert, Arch::Roberta, Arch::XlmRoberta] {
        let tmp = tempfile::tempdir().unwrap();
        german_model(tmp.path(), arch);
        let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
        let mut d = doc(
            "umlauts",
            &[
                "😀😀 Jürgen Müller fährt nach München 🚆 und Straßburg.",
                "Grüße von Öztürk 🎉, Müller!",
            ],
        );
        let counts = stage.process(std::slice::from_mut(&mut d)).unwrap();
        let t = &d.text;
        let at = |needle: &str, nth: usize| {
            let byte = t.match_indices(needle).nth(nth).unwrap().0;
            t[..byte].chars().count()
        };
        assert_eq!(
            triples(&d),
            vec![
                (
                    "Jürgen Müller".to_string(),
                    "PER".to_string(),
                    at("Jürgen", 0),
                    at("Jürgen", 0) + 13,
                    0
                ),
                (
                    "München".to_string(),
                    "LOC".to_string(),
                    at("München", 0),
                    at("München", 0) + 7,
                    0
                ),
                (
                    "Straßburg".to_string(),
                    "LOC".to_string(),
                    at("Straßburg", 0),
                    at("Straßburg", 0) + 9,
                    0
                ),
                (
                    "Öztürk".to_string(),
                    "PER".to_string(),
                    at("Öztürk", 0),
                    at("Öztürk", 0) + 6,
                    1
                ),
                // "Müller" alone is I-PER after "," (IOB1-style start) and joins "Jürgen Müller".
                (
                    "Müller".to_string(),
                    "PER".to_string(),
                    at("Müller", 1),
                    at("Müller", 1) + 6,
                    1
                ),
            ],
            "{arch:?}"
        );
        check_offsets(&d);
        assert_eq!(d.entities[4].canonical, "Jürgen Müller");
        assert_eq!(counts[0]["entities"], 5);
        assert_eq!(counts[0]["dropped"], 0);
    }
}

#[test]
fn label_sets_map_onto_four_types_and_unmappable_labels_are_counted() {
    // XLM-R CoNLL-03 German uses IOB1 labels (no B-PER at all).
    let iob1 = [
        "B-LOC", "B-MISC", "B-ORG", "I-LOC", "I-MISC", "I-ORG", "I-PER", "O",
    ];
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(
            Arch::XlmRoberta,
            &iob1,
            &[
                ("Angela", "I-PER"),
                ("Merkel", "I-PER"),
                ("Berlin", "I-LOC"),
                ("Paris", "B-LOC"),
                ("deutsche", "I-MISC"),
            ],
        ),
    );
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    let mut d = doc(
        "iob1",
        &["Angela Merkel war in Berlin Paris und deutsche Merkel ."],
    );
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    let got: Vec<(String, String)> = d
        .entities
        .iter()
        .map(|e| (e.text.clone(), e.label.clone()))
        .collect();
    let want = [
        ("Angela Merkel", "PER"),
        ("Berlin", "LOC"),
        ("Paris", "LOC"),
        ("deutsche", "MISC"),
        ("Merkel", "PER"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(d.entities[4].canonical, "Angela Merkel");

    // GermEval 2014 with deriv/part, and OntoNotes types.
    let mixed = [
        "O",
        "B-PER",
        "I-PER",
        "B-LOCderiv",
        "B-LOCpart",
        "B-OTH",
        "B-GPE",
        "B-DATE",
        "I-DATE",
        "B-NORP",
    ];
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(
            Arch::Bert,
            &mixed,
            &[
                ("deutschen", "B-LOCderiv"),
                ("Nordkoreakrise", "B-LOCpart"),
                ("Tatort", "B-OTH"),
                ("Pjöngjang", "B-GPE"),
                ("gestern", "B-DATE"),
                ("abend", "I-DATE"),
                ("Montag", "B-DATE"),
                ("Russen", "B-NORP"),
            ],
        ),
    );
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    let mut d = doc(
        "mixed",
        &["Die deutschen Russen sahen gestern abend den Tatort zur Nordkoreakrise aus Pjöngjang am Montag."],
    );
    let counts = stage.process(std::slice::from_mut(&mut d)).unwrap();
    let got: Vec<(&str, &str)> = d
        .entities
        .iter()
        .map(|e| (e.text.as_str(), e.label.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("deutschen", "MISC"),
            ("Russen", "MISC"),
            ("Tatort", "MISC"),
            ("Pjöngjang", "LOC"),
        ]
    );
    assert_eq!(counts[0]["dropped"], 3);
    assert_eq!(
        counts[0]["dropped_labels"],
        serde_json::json!({"DATE": 2, "LOCpart": 1})
    );
}

#[test]
fn continuation_subwords_take_the_label_of_the_first_subword() {
    // Every single-character piece and `##` continuation is labelled B-MISC; words built
    // from pieces must still follow their first piece only.
    let mut spec = Spec::transparent(Arch::Bert, &CONLL, &[("Kim", "B-PER")]);
    spec.piece_label = "B-MISC".into();
    let tmp = tempfile::tempdir().unwrap();
    write_model(tmp.path(), &spec);
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    // "Kimchi" is "Kim" + "##c" + "##h" + "##i": PER from its first piece, not MISC.
    let tags = stage.label_tokens("Kimchi").unwrap();
    assert_eq!(tags.len(), 4);
    assert_eq!(tags[0].label, "B-PER");
    assert!(tags[1..].iter().all(|t| t.label == "B-MISC"));
    let mut d = doc("pieces", &["Kimchi"]);
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    assert_eq!(
        triples(&d),
        vec![("Kimchi".to_string(), "PER".to_string(), 0, 6, 0)]
    );
}

/// A 3,000-token sentence through a model that takes 64 positions: every token is
/// labelled, with the label its own window gives it.
#[test]
fn three_thousand_token_sentence_every_token_labelled() {
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(
            Arch::Bert,
            &CONLL,
            &[
                ("Anna", "B-PER"),
                ("Berlin", "B-LOC"),
                ("und", "O"),
                ("Amt", "I-ORG"),
            ],
        ),
    );
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    assert_eq!(stage.window_len(), 62);
    let cycle = ["Anna", "und", "Berlin", "Amt", "Amt", "und"];
    let words: Vec<&str> = (0..3000).map(|i| cycle[i % cycle.len()]).collect();
    let sentence = words.join(" ");
    let tags = stage.label_tokens(&sentence).unwrap();
    assert_eq!(tags.len(), 3000);
    let want = |w: &str| match w {
        "Anna" => "B-PER",
        "Berlin" => "B-LOC",
        "Amt" => "I-ORG",
        _ => "O",
    };
    let chars: Vec<char> = sentence.chars().collect();
    for (i, (tag, word)) in tags.iter().zip(&words).enumerate() {
        assert_eq!(tag.label, want(word), "token {i}");
        assert_eq!(chars[tag.start..tag.end].iter().collect::<String>(), *word);
    }

    let mut d = doc("long", &[&sentence]);
    let counts = stage.process(std::slice::from_mut(&mut d)).unwrap();
    assert_eq!(counts[0]["windowed_sentences"], 1);
    // Per cycle: Anna (PER), Berlin (LOC), "Amt Amt" (one ORG: I- continues I-).
    assert_eq!(d.entities.len(), 500 * 3);
    let orgs: Vec<_> = d.entities.iter().filter(|e| e.label == "ORG").collect();
    assert_eq!(orgs.len(), 500);
    assert!(orgs.iter().all(|e| e.text == "Amt Amt"));
    check_offsets(&d);
}

/// The same sentence, all one IOB1 entity: any token left out at a window joint would
/// break it in two.
#[test]
fn long_entity_survives_window_joints() {
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(Arch::Roberta, &CONLL, &[("Amt", "I-ORG")]),
    );
    for overlap in [0, 7, 31, 200] {
        let stage = EntitiesStage::load(
            tmp.path(),
            EntitiesOptions {
                window_overlap: overlap,
                max_len: Some(40),
                ..options()
            },
        )
        .unwrap();
        assert_eq!(stage.window_len(), 38);
        let sentence = vec!["Amt"; 3000].join(" ");
        let mut d = doc("one", &[&sentence]);
        stage.process(std::slice::from_mut(&mut d)).unwrap();
        assert_eq!(d.entities.len(), 1, "overlap {overlap}");
        assert_eq!(
            (d.entities[0].start, d.entities[0].end),
            (0, sentence.len())
        );
    }
}

/// A model with real context effects: windows of a long sentence still label every token,
/// with labels from the model's own label set.
#[test]
fn random_model_long_sentence_is_fully_labelled() {
    let tmp = tempfile::tempdir().unwrap();
    let words = ["Anna", "Berlin", "und", "Amt"];
    write_model(tmp.path(), &Spec::random(Arch::Bert, &CONLL, &words));
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    let sentence: String = (0..3000)
        .map(|i| words[i * 7 % 4])
        .collect::<Vec<_>>()
        .join(" ");
    let tags = stage.label_tokens(&sentence).unwrap();
    assert_eq!(tags.len(), 3000);
    assert!(tags.iter().all(|t| CONLL.contains(&t.label.as_str())));
    assert!(tags.windows(2).all(|w| w[0].end <= w[1].start));
}

fn corpus() -> Vec<Document> {
    let s = |n: usize, k: usize| -> String {
        let w = [
            "Anna", "Berlin", "und", "Amt", "Jürgen", "Müller", "fährt", "😀",
        ];
        (0..n)
            .map(|i| w[(i * 3 + k) % w.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    vec![
        doc("a", &[&s(5, 0), &s(40, 1), &s(2, 2)]),
        doc("b", &[&s(90, 3)]),
        doc("c", &[&s(13, 4), &s(1, 5), &s(27, 6), &s(8, 7), &s(60, 1)]),
        doc::<&str>("d", &[]),
    ]
}

/// Windows of all articles are sorted by length and batched together; each article gets
/// back exactly what it gets when it runs alone, one sentence per model call.
#[test]
fn batching_across_articles_restores_order() {
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::random(
            Arch::Bert,
            &CONLL,
            &["Anna", "Berlin", "und", "Amt", "Jürgen", "Müller"],
        ),
    );
    let batched = EntitiesStage::load(
        tmp.path(),
        EntitiesOptions {
            batch_size: 3,
            max_len: Some(48),
            ..options()
        },
    )
    .unwrap();
    let alone = EntitiesStage::load(
        tmp.path(),
        EntitiesOptions {
            batch_size: 1,
            max_len: Some(48),
            ..options()
        },
    )
    .unwrap();
    let pooled = EntitiesStage::load(
        tmp.path(),
        EntitiesOptions {
            batch_size: 2,
            max_len: Some(48),
            workers: 2,
            intra_op_threads: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    let mut together = corpus();
    batched.process(&mut together).unwrap();
    let mut pool = corpus();
    pooled.process(&mut pool).unwrap();
    let mut total = 0;
    for (i, mut single) in corpus().into_iter().enumerate() {
        alone.process(std::slice::from_mut(&mut single)).unwrap();
        for other in [&together[i], &pool[i]] {
            assert_eq!(triples(other), triples(&single), "document {i}");
            for (a, b) in other.entities.iter().zip(&single.entities) {
                assert!((a.score - b.score).abs() < 1e-4, "{a:?} vs {b:?}");
            }
            assert_eq!(other.entity_summary, single.entity_summary);
        }
        check_offsets(&single);
        total += single.entities.len();
    }
    assert!(
        total > 0,
        "the random model found no entity at all: the test shows nothing"
    );
}

#[test]
fn provenance_records_name_and_weights_sha256() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ner-tiny");
    german_model(&dir, Arch::Bert);
    let stage = EntitiesStage::load(&dir, options()).unwrap();
    let mut d = doc("p", &["München"]);
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    let info = &d.provenance.models["entities"];
    assert_eq!(info.name, "ner-tiny");
    let bytes = std::fs::read(dir.join("model.safetensors")).unwrap();
    assert_eq!(info.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(stage.model_info(), info);
}

#[test]
fn rust_model_ot_and_native_vocab_txt_give_the_same_entities() {
    let tmp = tempfile::tempdir().unwrap();
    let st = tmp.path().join("st");
    german_model(&st, Arch::Bert);
    // The same weights as rust_model.ot, and the vocabulary as vocab.txt (rust-bert's own
    // tokenizer) instead of tokenizer.json.
    let ot = tmp.path().join("ot");
    let mut spec = Spec::transparent(Arch::Bert, &CONLL, &GERMAN_WORDS);
    spec.weights_file = "rust_model.ot".into();
    write_model(&ot, &spec);
    let vocab = support::ner_model::vocabulary(&spec);
    std::fs::write(ot.join("vocab.txt"), vocab.join("\n") + "\n").unwrap();
    std::fs::remove_file(ot.join("tokenizer.json")).unwrap();

    let sentences = [
        "😀😀 Jürgen Müller fährt nach München 🚆 und Straßburg.",
        "Öztürk!",
    ];
    let mut a = doc("st", &sentences);
    let mut b = doc("ot", &sentences);
    EntitiesStage::load(&st, options())
        .unwrap()
        .process(std::slice::from_mut(&mut a))
        .unwrap();
    EntitiesStage::load(&ot, options())
        .unwrap()
        .process(std::slice::from_mut(&mut b))
        .unwrap();
    assert_eq!(a.entities.len(), 4);
    assert_eq!(triples(&a), triples(&b));
    check_offsets(&b);
}

/// Adds `"tag_scheme": scheme` to a written model folder's config.json.
fn declare_tag_scheme(dir: &Path, scheme: &str) {
    let path = dir.join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    config["tag_scheme"] = scheme.into();
    std::fs::write(&path, config.to_string()).unwrap();
}

fn entity_texts(stage: &EntitiesStage, text: &str) -> Vec<(String, String)> {
    let mut d = doc("a", &[text]);
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    d.entities
        .iter()
        .map(|e| (e.text.clone(), e.label.clone()))
        .collect()
}

#[test]
fn the_model_folder_declares_the_decoding() {
    // (What the decodings do is tested over a classifier double in entities_backend.rs.)
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(
            Arch::Bert,
            &CONLL,
            &[("Anna", "B-PER"), ("Müller", "I-PER")],
        ),
    );
    let undeclared = EntitiesStage::load(tmp.path(), options()).unwrap();
    assert_eq!(undeclared.decoding(), Decoding::Argmax);
    declare_tag_scheme(tmp.path(), "IOB2");
    let declared = EntitiesStage::load(tmp.path(), options()).unwrap();
    assert_eq!(declared.decoding(), Decoding::Iob2Constrained);
    assert_eq!(
        entity_texts(&declared, "Anna Müller"),
        vec![("Anna Müller".to_string(), "PER".to_string())]
    );
    // The option overrides the folder.
    let forced = EntitiesStage::load(
        tmp.path(),
        EntitiesOptions {
            decoding: Some(Decoding::Argmax),
            ..options()
        },
    )
    .unwrap();
    assert_eq!(forced.decoding(), Decoding::Argmax);
}

#[test]
fn an_unknown_or_mismatched_tag_scheme_stops_loading_with_the_folder_named() {
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(Arch::Bert, &CONLL, &[("Anna", "B-PER")]),
    );
    declare_tag_scheme(tmp.path(), "BILOUX");
    let err = EntitiesStage::load(tmp.path(), options())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains(&tmp.path().display().to_string()), "{err}");
    let chain = format!(
        "{:#}",
        EntitiesStage::load(tmp.path(), options()).err().unwrap()
    );
    assert!(chain.contains("tag_scheme `BILOUX`"), "{chain}");

    // IOB2 declared for a BIOES label set.
    let bioes = ["O", "B-PER", "I-PER", "E-PER", "S-PER"];
    let tmp = tempfile::tempdir().unwrap();
    write_model(
        tmp.path(),
        &Spec::transparent(Arch::Bert, &bioes, &[("Anna", "S-PER")]),
    );
    declare_tag_scheme(tmp.path(), "IOB2");
    let err = format!(
        "{:#}",
        EntitiesStage::load(tmp.path(), options()).err().unwrap()
    );
    assert!(err.contains("label set is not IOB2"), "{err}");
    // Declared BIOES: read with the scheme-agnostic rule.
    declare_tag_scheme(tmp.path(), "BIOES");
    let stage = EntitiesStage::load(tmp.path(), options()).unwrap();
    assert_eq!(stage.decoding(), Decoding::Argmax);
    assert_eq!(
        entity_texts(&stage, "Anna"),
        vec![("Anna".to_string(), "PER".to_string())]
    );
}

/// bf16 casts the one set of weights and the pool's copies share the cast set; a model whose
/// outputs are decisive finds exactly what it finds in f32, in every architecture.
#[test]
fn bf16_models_share_one_cast_copy_and_find_the_same_entities() {
    use newsextract::precision::Precision;
    use newsextract::stages::entities::backend::RustBertClassifier;
    for arch in [Arch::Bert, Arch::Roberta, Arch::XlmRoberta] {
        let tmp = tempfile::tempdir().unwrap();
        german_model(tmp.path(), arch);
        let files = newsextract::models::validate_model_dir(tmp.path()).unwrap();
        for (precision, kind) in [
            (Precision::F32, tch::Kind::Float),
            (Precision::Bf16, tch::Kind::BFloat16),
        ] {
            let copies =
                RustBertClassifier::load_copies(&files, tch::Device::Cpu, Some(1), 3, precision)
                    .unwrap();
            let first = copies[0].weight_storage();
            assert!(first.len() > 10, "{arch:?}: {} weights", first.len());
            assert!(
                first.values().all(|(k, _)| *k == kind),
                "{arch:?} {precision:?}"
            );
            for other in &copies[1..] {
                assert_eq!(other.weight_storage(), first, "{arch:?} {precision:?}");
            }
        }

        let text = [
            "Jürgen Müller fährt nach München und Straßburg.",
            "Grüße von Öztürk!",
        ];
        let run = |precision| {
            let stage = EntitiesStage::load(
                tmp.path(),
                EntitiesOptions {
                    workers: 2,
                    precision,
                    ..options()
                },
            )
            .unwrap();
            assert_eq!(stage.precision(), precision);
            let mut d = doc("d", &text);
            stage.process(std::slice::from_mut(&mut d)).unwrap();
            d
        };
        let (f32_doc, bf16_doc) = (run(Precision::F32), run(Precision::Bf16));
        assert_eq!(triples(&bf16_doc), triples(&f32_doc), "{arch:?}");
        assert_eq!(f32_doc.entities.len(), 4, "{arch:?}");
        for (a, b) in bf16_doc.entities.iter().zip(&f32_doc.entities) {
            assert!((a.score - b.score).abs() < 0.02, "{arch:?}: {a:?} vs {b:?}");
        }
        check_offsets(&bf16_doc);
    }
}

/// int8 (BERT only) runs the attention in int8 over the same weights: a model whose outputs
/// are decisive finds exactly what it finds in f32, with scores close to f32's; a model of
/// another architecture is refused at load, naming the way out.
#[test]
fn int8_finds_the_same_entities_and_is_refused_for_other_architectures() {
    use newsextract::precision::Precision;
    let text = [
        "Jürgen Müller fährt nach München und Straßburg.",
        "Grüße von Öztürk!",
    ];
    let tmp = tempfile::tempdir().unwrap();
    german_model(tmp.path(), Arch::Bert);
    let run = |precision| {
        let stage = EntitiesStage::load(
            tmp.path(),
            EntitiesOptions {
                workers: 2,
                precision,
                ..options()
            },
        )
        .unwrap();
        assert_eq!(stage.precision(), precision);
        let mut d = doc("d", &text);
        stage.process(std::slice::from_mut(&mut d)).unwrap();
        d
    };
    let (f32_doc, int8_doc) = (run(Precision::F32), run(Precision::Int8));
    assert_eq!(f32_doc.entities.len(), 4);
    assert_eq!(triples(&int8_doc), triples(&f32_doc));
    for (a, b) in int8_doc.entities.iter().zip(&f32_doc.entities) {
        assert!((a.score - b.score).abs() < 0.02, "{a:?} vs {b:?}");
    }
    check_offsets(&int8_doc);

    let roberta = tempfile::tempdir().unwrap();
    german_model(roberta.path(), Arch::Roberta);
    let err = EntitiesStage::load(
        roberta.path(),
        EntitiesOptions {
            precision: Precision::Int8,
            ..options()
        },
    )
    .err()
    .expect("int8 is refused for RoBERTa")
    .to_string();
    assert!(err.contains("int8") && err.contains("roberta"), "{err}");
}
