//! Shared helpers of the `translate_*` tests: a tiny Marian model of the real architecture,
//! generated at test time (random weights, the fixture tokenizer), and test documents.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use newsextract::document::{Document, Language};
use newsextract::stages::claims::Claim;
use newsextract::stages::translate::SentenceTranslator;
use rust_bert::bart::BartConfig;
use rust_bert::marian::MarianForConditionalGeneration;
use tch::{nn, Device, Tensor};

use super::documents as test_documents;
use super::seeded_weights;

/// German sentences of several lengths, with numbers, for the translation tests.
pub const SENTENCES: [&str; 6] = [
    "Die Regierung will 10.000 neue Wohnungen bauen.",
    "Ja.",
    "Drei Millionen Menschen sind betroffen.",
    "Am Montag trafen sich die Minister in Berlin und sprachen über die Inflation im Mai.",
    "Mehr als 2.000 Container.",
    "Über 70 Prozent der Befragten sind zufrieden.",
];

pub const D_MODEL: i64 = 16;
pub const MAX_POSITIONS: i64 = 64;

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/marian-tiny")
}

fn fixture_vocab_size() -> i64 {
    let text = std::fs::read_to_string(fixture_dir().join("vocab.json")).unwrap();
    let vocab: HashMap<String, i64> = serde_json::from_str(&text).unwrap();
    vocab.len() as i64
}

/// config.json of a tiny Marian, as `scripts/prepare-marian.py` leaves it.
pub fn tiny_config() -> serde_json::Value {
    let vocab = fixture_vocab_size();
    serde_json::json!({
        "model_type": "marian",
        "architectures": ["MarianMTModel"],
        "activation_function": "swish",
        "activation_dropout": 0.0,
        "attention_dropout": 0.0,
        "dropout": 0.1,
        "d_model": D_MODEL,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "num_hidden_layers": 2,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "encoder_ffn_dim": 32,
        "decoder_ffn_dim": 32,
        "encoder_layerdrop": 0.0,
        "decoder_layerdrop": 0.0,
        "init_std": 0.02,
        "max_position_embeddings": MAX_POSITIONS,
        "vocab_size": vocab,
        "bos_token_id": 0,
        "eos_token_id": 0,
        "pad_token_id": vocab - 1,
        "decoder_start_token_id": vocab - 1,
        "scale_embedding": true,
        "is_encoder_decoder": true,
        "normalize_embedding": false,
        "static_position_embeddings": true
    })
}

/// transformers' Marian sinusoidal table: sin in the first half of the features, cos in
/// the second.
pub fn sinusoidal(n_pos: i64, dim: i64) -> Tensor {
    let mut data = vec![0f32; (n_pos * dim) as usize];
    let half = dim / 2;
    for pos in 0..n_pos {
        for j in 0..half {
            let angle = pos as f64 / 10000f64.powf(2.0 * j as f64 / dim as f64);
            data[(pos * dim + j) as usize] = angle.sin() as f32;
            data[(pos * dim + half + j) as usize] = angle.cos() as f32;
        }
    }
    Tensor::from_slice(&data).view([n_pos, dim])
}

/// Writes a tiny, ready-to-load Marian folder named `name` under `parent`: random weights
/// (seeded) in `model.safetensors`, the fixture tokenizer, and `tokenizer_config.json` with
/// `source_lang: de`.
pub fn write_tiny_marian(parent: &Path, name: &str, seed: i64) -> PathBuf {
    write_tiny_marian_with(parent, name, seed, false)
}

/// [`write_tiny_marian`] with `<pad>`'s embedding row zero when `zero_pad`, as in trained
/// Marian models (and as CTranslate2's Marian layout assumes: it starts the decoder from a
/// zero vector where rust-bert starts from that row).
pub fn write_tiny_marian_with(parent: &Path, name: &str, seed: i64, zero_pad: bool) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let config_json = tiny_config();
    std::fs::write(
        dir.join("config.json"),
        serde_json::to_string_pretty(&config_json).unwrap(),
    )
    .unwrap();
    let config: BartConfig = serde_json::from_value(config_json).unwrap();
    let vs = nn::VarStore::new(Device::Cpu);
    let _model = MarianForConditionalGeneration::new(vs.root(), &config);
    seeded_weights::redraw(&vs, seed);
    tch::no_grad(|| {
        let table = sinusoidal(MAX_POSITIONS, D_MODEL);
        for (name, mut var) in vs.variables() {
            if name.ends_with("embed_positions.weight") {
                var.copy_(&table);
            } else if name.ends_with("embed_tokens.weight") || name == "model.shared.weight" {
                // Larger embeddings than the default init make the random model's output
                // depend more on its input (tests compare outputs across sentences).
                var.copy_(&(&var * 2.0));
                if zero_pad {
                    let pad = config.pad_token_id.expect("tiny config has a pad id");
                    let _ = var.get(pad).zero_();
                }
            }
        }
    });
    vs.save(dir.join("model.safetensors")).unwrap();
    for f in ["vocab.json", "source.spm"] {
        std::fs::copy(fixture_dir().join(f), dir.join(f)).unwrap();
    }
    std::fs::copy(fixture_dir().join("source.spm"), dir.join("target.spm")).unwrap();
    std::fs::write(
        dir.join("tokenizer_config.json"),
        r#"{"source_lang": "de", "target_lang": "en"}"#,
    )
    .unwrap();
    dir
}

/// Wraps a backend and records every call it gets.
pub struct Counting<T> {
    pub inner: T,
    pub calls: Arc<AtomicUsize>,
    pub batches: Arc<Mutex<Vec<Vec<String>>>>,
}

impl<T> Counting<T> {
    pub fn new(inner: T) -> Self {
        Counting {
            inner,
            calls: Arc::new(AtomicUsize::new(0)),
            batches: Arc::new(Mutex::new(Vec::new())),
        }
    }
}

impl<T: SentenceTranslator> SentenceTranslator for Counting<T> {
    fn translate(&mut self, sentences: &[&str]) -> anyhow::Result<Vec<String>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.batches
            .lock()
            .unwrap()
            .push(sentences.iter().map(|s| s.to_string()).collect());
        self.inner.translate(sentences)
    }
}

/// A fixed German-to-English table; unknown sentences are an error.
pub struct Table(pub HashMap<String, String>);

impl Table {
    pub fn new(pairs: &[(&str, &str)]) -> Self {
        Table(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }
}

impl SentenceTranslator for Table {
    fn translate(&mut self, sentences: &[&str]) -> anyhow::Result<Vec<String>> {
        sentences
            .iter()
            .map(|s| {
                self.0
                    .get(*s)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("no entry for {s:?}"))
            })
            .collect()
    }
}

/// A document whose sentences are `sentences` joined by spaces, in `language` (None:
/// undetected).
pub fn doc(id: &str, language: Option<&str>, sentences: &[&str]) -> Document {
    let mut d = test_documents::doc(id, sentences);
    d.language = language.map(|code| Language {
        code: code.into(),
        confidence: 1.0,
        method: "declared".into(),
    });
    d
}

/// The claims the claims stage finds in `d`'s sentences.
pub fn claims(d: &Document) -> Vec<Claim> {
    let spans: Vec<(usize, usize)> = d.sentences.iter().map(|s| (s.start, s.end)).collect();
    newsextract::stages::claims::extract_claims(&d.text, &spans, "de")
}

/// sha256 of a file, computed independently of the crate.
pub fn sha256_file(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}
