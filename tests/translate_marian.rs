//! The translation stage on a tiny Marian of the real architecture (random weights, generated
//! at test time), loaded through the same code as a real model.

mod support;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use newsextract::document::Document;
use newsextract::stage::Stage;
use newsextract::stages::translate::{
    MarianTranslator, SentenceTranslator, TranslateOptions, TranslateStage,
};
use rayon::prelude::*;
use support::marian::*;

fn options(beam: usize, batch: usize) -> TranslateOptions {
    TranslateOptions {
        beam_size: beam,
        max_length: 10,
        batch_size: batch,
        source_language: None,
        min_length: 0,
        ..Default::default()
    }
}

/// Each sentence translated on its own: no batching, no sorting, no padding.
fn one_by_one(dir: &std::path::Path, opts: &TranslateOptions, sentences: &[&str]) -> Vec<String> {
    let mut m = MarianTranslator::load_dir(dir, opts).unwrap();
    sentences
        .iter()
        .map(|s| {
            let mut out = m.translate(&[s]).unwrap();
            assert_eq!(out.len(), 1);
            out.remove(0)
        })
        .collect()
}

fn translations(d: &Document) -> Vec<String> {
    d.translation.as_ref().unwrap().sentences.clone()
}

type Batches = Arc<Mutex<Vec<Vec<String>>>>;

fn counting_stage(
    dir: &std::path::Path,
    opts: TranslateOptions,
    cache: &std::path::Path,
) -> (TranslateStage, Arc<std::sync::atomic::AtomicUsize>, Batches) {
    let mut calls = None;
    let mut batches = None;
    let stage = TranslateStage::load_wrapped(dir, opts, cache, |m| {
        let c = Counting::new(m);
        calls = Some(c.calls.clone());
        batches = Some(c.batches.clone());
        Box::new(c)
    })
    .unwrap();
    (stage, calls.unwrap(), batches.unwrap())
}

fn check_alignment(beam: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 7);
    let opts = options(beam, 2);
    let reference = one_by_one(&dir, &opts, &SENTENCES);
    let distinct: std::collections::HashSet<_> = reference.iter().collect();
    assert!(
        distinct.len() >= 4,
        "the tiny model must tell sentences apart for this test to mean anything: {reference:?}"
    );

    let (stage, calls, batches) = counting_stage(&dir, opts, &tmp.path().join("cache"));
    let mut docs = vec![
        doc("a", Some("de"), &SENTENCES[..3]),
        doc(
            "b",
            Some("de"),
            &[SENTENCES[3], SENTENCES[4], SENTENCES[5], SENTENCES[0]],
        ),
    ];
    let counts = stage.process(&mut docs).unwrap();

    assert_eq!(translations(&docs[0]), reference[..3]);
    assert_eq!(
        translations(&docs[1]),
        [
            reference[3].clone(),
            reference[4].clone(),
            reference[5].clone(),
            reference[0].clone()
        ]
    );
    // Six distinct sentences in batches of at most two, longest first.
    let batches = batches.lock().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(batches.iter().all(|b| b.len() <= 2));
    let sent: Vec<&String> = batches.iter().flatten().collect();
    assert_eq!(sent.len(), 6);
    let lens: Vec<usize> = sent.iter().map(|s| s.chars().count()).collect();
    assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
    assert_eq!(counts[1]["translated"], 3);
    assert_eq!(counts[1]["cached"], 1);
    assert_eq!(counts[1]["sentences"], 4);
}

#[test]
fn one_translation_per_sentence_in_order_greedy() {
    check_alignment(1);
}

#[test]
fn one_translation_per_sentence_in_order_beam_search() {
    check_alignment(3);
}

#[test]
fn second_run_makes_no_model_call() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 11);
    let cache = tmp.path().join("output/.cache/translations");
    let docs = || {
        vec![
            doc("a", Some("de"), &SENTENCES[..4]),
            doc("b", Some("de"), &SENTENCES[2..]),
        ]
    };

    let (stage, calls, _) = counting_stage(&dir, options(1, 4), &cache);
    let mut first = docs();
    stage.process(&mut first).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2); // 6 distinct sentences, batches of 4
    drop(stage);

    // A new run: fresh model, same cache folder.
    let (stage, calls, _) = counting_stage(&dir, options(1, 4), &cache);
    let mut second = docs();
    let counts = stage.process(&mut second).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(translations(&first[0]), translations(&second[0]));
    assert_eq!(translations(&first[1]), translations(&second[1]));
    assert_eq!(counts[0]["cached"], 4);
    assert_eq!(counts[0]["translated"], 0);

    // A new drop repeating one sentence: only the new one goes to the model.
    let (stage, calls, batches) = counting_stage(&dir, options(1, 4), &cache);
    let mut third = vec![doc(
        "c",
        Some("de"),
        &[SENTENCES[1], "Neuer Satz über Berlin."],
    )];
    stage.process(&mut third).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        *batches.lock().unwrap(),
        vec![vec!["Neuer Satz über Berlin.".to_string()]]
    );
    assert_eq!(translations(&third[0])[0], translations(&first[0])[1]);

    // Other beam settings give other outputs: they do not reuse these entries.
    let (stage, calls, _) = counting_stage(&dir, options(2, 4), &cache);
    stage.process(&mut docs()).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn other_languages_are_skipped_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 3);
    let (stage, calls, _) = counting_stage(&dir, options(1, 4), &tmp.path().join("cache"));
    assert_eq!(stage.source_language(), "de");
    let mut docs = vec![
        doc("en", Some("en"), &["The government wants to build homes."]),
        doc("unknown", None, &["Xyz."]),
        doc("empty", Some("de"), &[]),
    ];
    let counts = stage.process(&mut docs).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    let en = docs[0].translation.as_ref().unwrap();
    assert_eq!(
        en.skipped.as_deref(),
        Some("language is en; the model translates from de")
    );
    assert!(en.sentences.is_empty());
    assert_eq!(en.model, "opus-mt-tiny-de-en");
    let unknown = docs[1].translation.as_ref().unwrap();
    assert!(unknown
        .skipped
        .as_deref()
        .unwrap()
        .starts_with("language unknown"));
    let empty = docs[2].translation.as_ref().unwrap();
    assert_eq!(empty.skipped, None);
    assert!(empty.sentences.is_empty());
    assert_eq!(counts[0]["skipped"], true);

    let want_sha = sha256_file(&dir.join("model.safetensors"));
    for d in &docs {
        let m = &d.provenance.models["translate"];
        assert_eq!(m.name, "opus-mt-tiny-de-en");
        assert_eq!(m.sha256, want_sha);
    }
    let json = serde_json::to_value(&docs[0]).unwrap();
    assert_eq!(
        json["translation"]["skipped"],
        "language is en; the model translates from de"
    );
}

#[test]
fn source_language_comes_from_the_folder_unless_given() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-fr-en", 3);
    std::fs::write(
        dir.join("tokenizer_config.json"),
        r#"{"source_lang": "fr", "target_lang": "en"}"#,
    )
    .unwrap();
    let cache = tmp.path().join("cache");
    let (stage, calls, _) = counting_stage(&dir, options(1, 4), &cache);
    assert_eq!(stage.source_language(), "fr");
    let mut docs = vec![
        doc("de", Some("de"), &["Ja."]),
        doc("fr", Some("fr"), &["Oui."]),
    ];
    stage.process(&mut docs).unwrap();
    assert_eq!(
        docs[0].translation.as_ref().unwrap().skipped.as_deref(),
        Some("language is de; the model translates from fr")
    );
    assert_eq!(docs[1].translation.as_ref().unwrap().sentences.len(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let given = TranslateOptions {
        source_language: Some("de".into()),
        ..options(1, 4)
    };
    let (stage, _, _) = counting_stage(&dir, given, &cache);
    assert_eq!(stage.source_language(), "de");
}

#[test]
fn rayon_workers_share_one_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 5);
    let opts = options(1, 3);
    let reference = one_by_one(&dir, &opts, &SENTENCES);
    let (stage, _, batches) = counting_stage(&dir, opts, &tmp.path().join("cache"));
    let mut docs: Vec<Document> = (0..12)
        .map(|i| {
            let picked: Vec<&str> = (0..3).map(|k| SENTENCES[(i + k) % 6]).collect();
            doc(&format!("d{i}"), Some("de"), &picked)
        })
        .collect();
    docs.par_chunks_mut(2).for_each(|chunk| {
        stage.process(chunk).unwrap();
    });
    for (i, d) in docs.iter().enumerate() {
        let want: Vec<String> = (0..3).map(|k| reference[(i + k) % 6].clone()).collect();
        assert_eq!(translations(d), want, "document {i}");
    }
    // Each distinct sentence reached the model at most once per batch that lacked it.
    let total: usize = batches.lock().unwrap().iter().map(Vec::len).sum();
    assert!((6..=36).contains(&total), "{total}");
}

/// Several models share the batches of one call; every sentence comes back as one model
/// alone translates it, and reaches a model once.
#[test]
fn a_pool_of_models_translates_like_one_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 11);
    let opts = options(2, 1);
    let reference = one_by_one(&dir, &opts, &SENTENCES);
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let batches: Batches = Arc::new(Mutex::new(Vec::new()));
    let mut loaded = 0;
    let pooled = TranslateOptions {
        workers: 3,
        intra_op_threads: 1,
        ..opts
    };
    let stage = TranslateStage::load_wrapped(&dir, pooled, &tmp.path().join("cache"), |m| {
        loaded += 1;
        Box::new(Counting {
            inner: m,
            calls: calls.clone(),
            batches: batches.clone(),
        })
    })
    .unwrap();
    assert_eq!(loaded, 3);
    let rayon = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let got = rayon
        .install(|| stage.translate_sentences(&SENTENCES))
        .unwrap();
    assert_eq!(got, reference);
    assert_eq!(calls.load(Ordering::SeqCst), 6);
    let mut sent: Vec<String> = batches.lock().unwrap().iter().flatten().cloned().collect();
    sent.sort();
    let mut want: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(sent, want);
}

/// A bf16 model translates every sentence, and its translations are cached apart from the
/// f32 model's (they may differ), so switching precision never serves the other's output.
#[test]
fn bf16_translations_are_cached_apart_from_f32_ones() {
    use newsextract::precision::Precision;
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_tiny_marian(tmp.path(), "opus-mt-tiny-de-en", 13);
    let cache = tmp.path().join("cache");
    let (f32_stage, f32_calls, _) = counting_stage(&dir, options(2, 4), &cache);
    f32_stage.translate_sentences(&SENTENCES).unwrap();
    assert_eq!(f32_calls.load(Ordering::SeqCst), 2);

    let bf16 = TranslateOptions {
        precision: Precision::Bf16,
        ..options(2, 4)
    };
    let (stage, calls, _) = counting_stage(&dir, bf16.clone(), &cache);
    let english = stage.translate_sentences(&SENTENCES).unwrap();
    assert_eq!(english.len(), SENTENCES.len());
    assert!(english.iter().any(|e| !e.is_empty()), "{english:?}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the f32 cache answered a bf16 stage"
    );

    let (again, calls, _) = counting_stage(&dir, bf16, &cache);
    assert_eq!(again.translate_sentences(&SENTENCES).unwrap(), english);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}
