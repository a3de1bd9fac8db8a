//! Tiny token-classification models of the real architectures, written at test time in the
//! Hugging Face folder layout (`config.json`, weights, `tokenizer.json`), so tests go through
//! the same loading code as real models.
//!
//! A *transparent* model has its transformer layers switched off (zero output projections,
//! zero position and type embeddings), so each token's hidden state is the layer norm of its
//! word embedding; word embeddings and the classifier are set so that every vocabulary
//! entry gets a chosen label, whatever its context. A *random* model has random weights drawn
//! like libtorch's initialisation but from its seed alone (`seeded_weights`), and real
//! context effects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::roberta::RobertaForTokenClassification;
use rust_bert::Activation;
use tch::{nn::VarStore, Device, Kind, Tensor};

use super::seeded_weights;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::bert::BertProcessing;
use tokenizers::processors::roberta::RobertaProcessing;
use tokenizers::Tokenizer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    Bert,
    Roberta,
    XlmRoberta,
}

impl Arch {
    fn model_type(self) -> &'static str {
        match self {
            Arch::Bert => "bert",
            Arch::Roberta => "roberta",
            Arch::XlmRoberta => "xlm-roberta",
        }
    }

    /// (cls, pad, sep, unk, mask): ids 0 to 4 — RoBERTa needs padding at id 1.
    fn specials(self) -> [&'static str; 5] {
        match self {
            Arch::Bert => ["[CLS]", "[PAD]", "[SEP]", "[UNK]", "[MASK]"],
            _ => ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        }
    }
}

/// Characters every tiny vocabulary has, alone and as `##` continuations, so any word made
/// of them is tokenized into pieces (other characters, such as emoji, become the unknown
/// token).
pub const CHARSET: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß0123456789.,;:!?-'\"()";

#[derive(Debug, Clone)]
pub struct Spec {
    pub arch: Arch,
    /// `id2label`, in order.
    pub labels: Vec<String>,
    /// Whole words in the vocabulary, each with the label a transparent model gives it.
    pub words: Vec<(String, String)>,
    /// Label a transparent model gives single-character pieces and `##` continuations
    /// (`O` unless a test wants to see that continuations are ignored).
    pub piece_label: String,
    pub transparent: bool,
    pub max_positions: i64,
    pub hidden: i64,
    pub layers: i64,
    pub heads: i64,
    pub intermediate: i64,
    /// `model.safetensors` or `rust_model.ot`.
    pub weights_file: String,
    pub seed: i64,
    /// Random models: factor on the classifier weights, so that labels are decided by clear
    /// margins rather than by float noise.
    pub classifier_scale: f64,
}

impl Spec {
    pub fn transparent(arch: Arch, labels: &[&str], words: &[(&str, &str)]) -> Spec {
        Spec {
            arch,
            labels: labels.iter().map(|s| s.to_string()).collect(),
            words: words
                .iter()
                .map(|(w, l)| (w.to_string(), l.to_string()))
                .collect(),
            piece_label: "O".into(),
            transparent: true,
            max_positions: 64,
            hidden: 16,
            layers: 2,
            heads: 2,
            intermediate: 32,
            weights_file: "model.safetensors".into(),
            seed: 7,
            classifier_scale: 1.0,
        }
    }

    pub fn random(arch: Arch, labels: &[&str], words: &[&str]) -> Spec {
        Spec {
            words: words.iter().map(|w| (w.to_string(), "O".into())).collect(),
            transparent: false,
            hidden: 32,
            heads: 4,
            intermediate: 64,
            classifier_scale: 50.0,
            ..Spec::transparent(arch, labels, &[])
        }
    }
}

/// The vocabulary of a spec: specials, characters and `##` characters, then whole words.
pub fn vocabulary(spec: &Spec) -> Vec<String> {
    let mut vocab: Vec<String> = spec.arch.specials().iter().map(|s| s.to_string()).collect();
    for c in CHARSET.chars() {
        vocab.push(c.to_string());
        vocab.push(format!("##{c}"));
    }
    for (w, _) in &spec.words {
        if !vocab.contains(w) {
            vocab.push(w.clone());
        }
    }
    vocab
}

/// Writes `config.json`, the weights and `tokenizer.json` of `spec` into `dir`.
pub fn write_model(dir: &Path, spec: &Spec) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let vocab = vocabulary(spec);
    write_tokenizer(&dir.join("tokenizer.json"), spec, &vocab);

    let id2label: HashMap<i64, String> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i as i64, l.clone()))
        .collect();
    let config = BertConfig {
        hidden_act: Activation::gelu,
        attention_probs_dropout_prob: 0.1,
        hidden_dropout_prob: 0.1,
        hidden_size: spec.hidden,
        initializer_range: 0.02,
        intermediate_size: spec.intermediate,
        max_position_embeddings: spec.max_positions,
        num_attention_heads: spec.heads,
        num_hidden_layers: spec.layers,
        type_vocab_size: if spec.arch == Arch::Bert { 2 } else { 1 },
        vocab_size: vocab.len() as i64,
        output_attentions: None,
        output_hidden_states: None,
        is_decoder: None,
        id2label: Some(id2label),
        label2id: None,
    };
    let mut json = serde_json::to_value(&config).unwrap();
    let obj = json.as_object_mut().unwrap();
    obj.insert("model_type".into(), spec.arch.model_type().into());
    obj.insert("layer_norm_eps".into(), 1e-12.into());
    obj.insert("pad_token_id".into(), 1.into());
    let arch_name = match spec.arch {
        Arch::Bert => "BertForTokenClassification",
        Arch::Roberta => "RobertaForTokenClassification",
        Arch::XlmRoberta => "XLMRobertaForTokenClassification",
    };
    obj.insert("architectures".into(), serde_json::json!([arch_name]));
    // transformers reads id2label with string keys; serde_json writes i64 keys as strings.
    std::fs::write(
        dir.join("config.json"),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();

    let vs = VarStore::new(Device::Cpu);
    match spec.arch {
        Arch::Bert => {
            BertForTokenClassification::new(vs.root(), &config).unwrap();
        }
        _ => {
            RobertaForTokenClassification::new(vs.root(), &config).unwrap();
        }
    }
    seeded_weights::redraw(&vs, spec.seed);
    if spec.transparent {
        make_transparent(&vs, spec, &vocab);
    } else if spec.classifier_scale != 1.0 {
        tch::no_grad(|| {
            let mut w = vs.variables()["classifier.weight"].shallow_clone();
            let _ = w.g_mul_scalar_(spec.classifier_scale);
        });
    }
    let weights = dir.join(&spec.weights_file);
    vs.save(&weights).unwrap();
    weights
}

fn write_tokenizer(path: &Path, spec: &Spec, vocab: &[String]) {
    let map: HashMap<String, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i as u32))
        .collect();
    let [cls, _pad, sep, unk, _mask] = spec.arch.specials();
    let model = WordPiece::builder()
        .vocab(map)
        .unk_token(unk.into())
        .continuing_subword_prefix("##".into())
        .max_input_chars_per_word(10_000)
        .build()
        .unwrap();
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_normalizer(Some(BertNormalizer::new(true, false, Some(false), false)));
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    match spec.arch {
        Arch::Bert => {
            tokenizer
                .with_post_processor(Some(BertProcessing::new((sep.into(), 2), (cls.into(), 0))));
        }
        _ => {
            tokenizer.with_post_processor(Some(
                RobertaProcessing::new((sep.into(), 2), (cls.into(), 0))
                    .trim_offsets(false)
                    .add_prefix_space(false),
            ));
        }
    }
    tokenizer.save(path, false).unwrap();
}

/// Sets the weights so that the label of every position is the label of its token.
fn make_transparent(vs: &VarStore, spec: &Spec, vocab: &[String]) {
    let label_of = |name: &str| -> i64 {
        spec.labels
            .iter()
            .position(|l| l == name)
            .unwrap_or_else(|| panic!("label {name} not in the label set")) as i64
    };
    let n_labels = spec.labels.len() as i64;
    assert!(
        n_labels <= spec.hidden,
        "hidden size must hold one dimension per label"
    );
    let o = label_of("O");
    let piece = label_of(&spec.piece_label);
    let words: HashMap<&str, i64> = spec
        .words
        .iter()
        .map(|(w, l)| (w.as_str(), label_of(l)))
        .collect();
    let mut emb = vec![0f32; vocab.len() * spec.hidden as usize];
    for (id, token) in vocab.iter().enumerate() {
        let label = if id < 5 {
            o
        } else if let Some(&l) = words.get(token.as_str()) {
            l
        } else if token.starts_with("##") || token.chars().count() == 1 {
            piece
        } else {
            o
        };
        emb[id * spec.hidden as usize + label as usize] = 10.0;
    }
    let emb = Tensor::from_slice(&emb).view([vocab.len() as i64, spec.hidden]);
    let classifier = Tensor::zeros([n_labels, spec.hidden], (Kind::Float, Device::Cpu));
    for l in 0..n_labels {
        let _ = classifier.get(l).get(l).fill_(2.0);
    }
    tch::no_grad(|| {
        for (name, mut var) in vs.variables() {
            if name.ends_with("word_embeddings.weight") {
                var.copy_(&emb);
            } else if name.contains("position_embeddings")
                || name.contains("token_type_embeddings")
                || name.contains("output.dense")
                || name == "classifier.bias"
            {
                let _ = var.zero_();
            } else if name == "classifier.weight" {
                var.copy_(&classifier);
            } else if name.contains("LayerNorm.weight") || name.contains("layer_norm.weight") {
                let _ = var.fill_(1.0);
            } else if name.contains("LayerNorm.bias") || name.contains("layer_norm.bias") {
                let _ = var.zero_();
            }
        }
    });
    // Fail loudly if rust-bert's variable names change and the switch-off misses a piece.
    let names: Vec<String> = vs.variables().into_keys().collect();
    for needle in [
        "word_embeddings.weight",
        "output.dense.weight",
        "classifier.weight",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(needle)),
            "no variable {needle} in {names:?}"
        );
    }
}

/// The standard CoNLL IOB2 label set.
pub const CONLL: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
