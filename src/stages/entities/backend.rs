//! The two seams of the entities stage: a [`SubwordTokenizer`] (text → subword ids with char
//! offsets) and a [`TokenClassifier`] (id sequences → label probabilities per position), and
//! their rust-bert implementations.
//!
//! rust-bert is used for the model forward only. Its token-classification pipeline on the
//! `hf-tokenizers` path mixes byte and char offsets, indexes features wrongly across batches
//! and never marks continuation sub-tokens (see `docs/entities.md`), so tokenisation, windows
//! and span decoding live in this crate.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use crate::precision::Precision;
use anyhow::{anyhow, bail, Context, Result};
use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::pipelines::common::{ModelType, TokenizerOption};
use rust_bert::roberta::RobertaForTokenClassification;
use tch::{nn::VarStore, Device, Kind, Tensor};

use super::int8::Int8Bert;
use super::weights;
use crate::models::ModelFiles;

/// One subword token: its vocabulary id and its char span in the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubToken {
    pub id: i64,
    pub start: usize,
    pub end: usize,
}

/// Turns text into the model's subword ids.
pub trait SubwordTokenizer: Send + Sync {
    /// The subword tokens of `text`, without special tokens, in text order, with **char**
    /// offsets into `text`.
    fn tokenize(&self, text: &str) -> Result<Vec<SubToken>>;
    /// Special ids the model expects before every sequence (`[CLS]`, `<s>`).
    fn prefix(&self) -> &[i64];
    /// Special ids the model expects after every sequence (`[SEP]`, `</s>`).
    fn suffix(&self) -> &[i64];
}

/// A token-classification model. Implementations need not be `Sync`: the stage gives each
/// one to a single thread at a time.
pub trait TokenClassifier: Send {
    /// Label names by class index.
    fn labels(&self) -> &[String];
    /// The longest sequence, special tokens included, the model accepts.
    fn max_len(&self) -> usize;
    /// Class probabilities for a batch of id sequences (special tokens included, unpadded,
    /// of any lengths up to [`max_len`](Self::max_len)): for each sequence, `len * labels`
    /// values, row-major by position.
    fn classify(&mut self, batch: &[&[i64]]) -> Result<Vec<Vec<f32>>>;
}

/// A `tokenizer.json` read with the `tokenizers` crate, asked for char offsets.
pub struct HfTokenizer {
    tokenizer: tokenizers::Tokenizer,
    prefix: Vec<i64>,
    suffix: Vec<i64>,
}

impl HfTokenizer {
    /// Loads `path`, turning off any padding or truncation it sets (windows are made here).
    /// The special tokens around a sequence come from its post-processor; without one, from
    /// the usual names for `model_type` (`[CLS]`/`[SEP]` for BERT, `<s>`/`</s>` for RoBERTa).
    pub fn load(path: &Path, model_type: &str) -> Result<Self> {
        let mut tokenizer = tokenizers::Tokenizer::from_file(path)
            .map_err(|e| anyhow!("{}: cannot load tokenizer: {e}", path.display()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        let probe = tokenizer
            .encode("a", true)
            .map_err(|e| anyhow!("{}: cannot encode: {e}", path.display()))?;
        let mask = probe.get_special_tokens_mask();
        let ids = probe.get_ids();
        let first_content = mask.iter().position(|&m| m == 0).unwrap_or(ids.len());
        let last_content = mask.iter().rposition(|&m| m == 0);
        let (mut prefix, mut suffix): (Vec<i64>, Vec<i64>) = match last_content {
            Some(last) => (
                ids[..first_content].iter().map(|&i| i as i64).collect(),
                ids[last + 1..].iter().map(|&i| i as i64).collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        if prefix.is_empty() && suffix.is_empty() {
            let (cls, sep) = special_names(model_type);
            if let (Some(c), Some(s)) = (tokenizer.token_to_id(cls), tokenizer.token_to_id(sep)) {
                prefix = vec![c as i64];
                suffix = vec![s as i64];
            }
        }
        Ok(HfTokenizer {
            tokenizer,
            prefix,
            suffix,
        })
    }
}

fn special_names(model_type: &str) -> (&'static str, &'static str) {
    match model_type {
        "roberta" | "xlm-roberta" => ("<s>", "</s>"),
        _ => ("[CLS]", "[SEP]"),
    }
}

impl SubwordTokenizer for HfTokenizer {
    fn tokenize(&self, text: &str) -> Result<Vec<SubToken>> {
        let encoding = self
            .tokenizer
            .encode_char_offsets(text, false)
            .map_err(|e| anyhow!("tokenizer failed: {e}"))?;
        Ok(encoding
            .get_ids()
            .iter()
            .zip(encoding.get_offsets())
            .map(|(&id, &(start, end))| SubToken {
                id: id as i64,
                start,
                end,
            })
            .collect())
    }

    fn prefix(&self) -> &[i64] {
        &self.prefix
    }

    fn suffix(&self) -> &[i64] {
        &self.suffix
    }
}

/// The model's native vocabulary files read with rust-bert's own tokenizers
/// (`rust_tokenizers`, which reports char offsets): `vocab.txt` (BERT), `vocab.json` +
/// `merges.txt` (RoBERTa), `sentencepiece.bpe.model` (XLM-R).
pub struct NativeTokenizer {
    tokenizer: TokenizerOption,
    prefix: Vec<i64>,
    suffix: Vec<i64>,
}

impl NativeTokenizer {
    pub fn load(files: &ModelFiles) -> Result<Self> {
        let dir = &files.dir;
        let lower_case = std::fs::read_to_string(dir.join("tokenizer_config.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.get("do_lower_case").and_then(|b| b.as_bool()))
            .unwrap_or(false);
        let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let model_type = files.model_type();
        let tokenizer = match model_type {
            "bert" => TokenizerOption::from_file(
                ModelType::Bert,
                &path("vocab.txt"),
                None,
                lower_case,
                None::<bool>,
                None::<bool>,
            ),
            "roberta" => TokenizerOption::from_file(
                ModelType::Roberta,
                &path("vocab.json"),
                Some(&path("merges.txt")),
                lower_case,
                None::<bool>,
                None::<bool>,
            ),
            "xlm-roberta" => TokenizerOption::from_file(
                ModelType::XLMRoberta,
                &path("sentencepiece.bpe.model"),
                None,
                lower_case,
                None::<bool>,
                None::<bool>,
            ),
            other => bail!(
                "model folder {}: no tokenizer.json, and native vocabulary files of model_type `{other}` are not supported",
                dir.display()
            ),
        }
        .map_err(|e| anyhow!("model folder {}: cannot load tokenizer: {e}", dir.display()))?;
        let (cls, sep) = special_names(model_type);
        let ids = tokenizer.convert_tokens_to_ids(&[cls, sep]);
        let unk = tokenizer.get_unk_id();
        if ids.contains(&unk) {
            bail!(
                "model folder {}: vocabulary lacks {cls} or {sep}",
                dir.display()
            );
        }
        Ok(NativeTokenizer {
            tokenizer,
            prefix: vec![ids[0]],
            suffix: vec![ids[1]],
        })
    }
}

impl SubwordTokenizer for NativeTokenizer {
    fn tokenize(&self, text: &str) -> Result<Vec<SubToken>> {
        let tokens = self.tokenizer.tokenize_with_offsets(text);
        let ids = self.tokenizer.convert_tokens_to_ids(&tokens.tokens);
        Ok(ids
            .into_iter()
            .zip(tokens.offsets)
            .filter_map(|(id, offset)| {
                offset.map(|o| SubToken {
                    id,
                    start: o.begin as usize,
                    end: o.end as usize,
                })
            })
            .collect())
    }

    fn prefix(&self) -> &[i64] {
        &self.prefix
    }

    fn suffix(&self) -> &[i64] {
        &self.suffix
    }
}

/// Loads the tokenizer of a model folder: `tokenizer.json` when present, else the native
/// vocabulary files.
pub fn load_tokenizer(files: &ModelFiles) -> Result<Box<dyn SubwordTokenizer>> {
    match &files.tokenizer_json {
        Some(path) => Ok(Box::new(HfTokenizer::load(path, files.model_type())?)),
        None => Ok(Box::new(NativeTokenizer::load(files)?)),
    }
}

enum Net {
    Bert(BertForTokenClassification),
    Roberta(RobertaForTokenClassification),
    /// A BERT model with int8 matrix products ([`Precision::Int8`]).
    BertInt8(Int8Bert),
}

/// A rust-bert token-classification model (`model_type` `bert`, `roberta` or `xlm-roberta`)
/// with the label names of its `config.json` `id2label`.
pub struct RustBertClassifier {
    net: Net,
    // The model's tensors share storage with the store's variables; keep it with the model
    // (and lend it to copies that share the weights).
    vs: VarStore,
    labels: Vec<String>,
    max_len: usize,
    pad_id: i64,
    device: Device,
    intra_op_threads: Option<i32>,
}

impl RustBertClassifier {
    /// Builds the model `config.json` describes and loads the folder's weights into it.
    /// `intra_op_threads`, when set, is applied (`tch::set_num_threads`) on the calling
    /// thread before each forward.
    pub fn load(files: &ModelFiles, device: Device, intra_op_threads: Option<i32>) -> Result<Self> {
        let mut model = Self::construct(files, device, intra_op_threads)?;
        model.load_weights(files)?;
        Ok(model)
    }

    /// `copies` networks over one copy of the weights in memory, for a pool of models that
    /// run on several threads at once. The networks are built in parallel (building one
    /// costs about as much as reading the weights).
    pub fn load_copies(
        files: &ModelFiles,
        device: Device,
        intra_op_threads: Option<i32>,
        copies: usize,
        precision: Precision,
    ) -> Result<Vec<Self>> {
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..copies)
                .map(|_| scope.spawn(|| Self::construct(files, device, intra_op_threads)))
                .collect();
            let first = Self::load(files, device, intra_op_threads);
            let mut all = Vec::with_capacity(copies);
            for other in others {
                let other = other
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                all.push(other);
            }
            let mut first = first?;
            let share_all = |first: &Self| -> Result<()> {
                for other in &all {
                    weights::share(&first.vs, &other.vs).with_context(|| {
                        format!("model folder {}: sharing the weights", files.dir.display())
                    })?;
                }
                Ok(())
            };
            // Share first (the copies' random weights are freed), then cast the one set of
            // weights and share the cast ones: the cast makes new tensors, and casting every
            // copy would hold several sets at once (peak RSS 1,256 -> 1,446 MB on the seeds).
            share_all(&first)?;
            if precision == Precision::Int8 {
                // Quantised once; every copy runs over the same int8 tensors.
                let int8 = first.int8_network(files)?;
                for model in &mut all {
                    model.net = Net::BertInt8(int8.share());
                }
                first.net = Net::BertInt8(int8);
                all.insert(0, first);
                return Ok(all);
            }
            if first.set_precision(precision) {
                share_all(&first)?;
            }
            all.insert(0, first);
            Ok(all)
        })
    }

    /// Each weight's name, number format and the address of its data: copies that share
    /// their weights report the same addresses.
    pub fn weight_storage(&self) -> std::collections::BTreeMap<String, (Kind, usize)> {
        self.vs
            .variables()
            .into_iter()
            .map(|(name, t)| {
                let kind = t.kind();
                (name, (kind, t.data_ptr() as usize))
            })
            .collect()
    }

    /// The int8 form of this BERT model's network, over its loaded weights.
    fn int8_network(&self, files: &ModelFiles) -> Result<Int8Bert> {
        let dir = files.dir.display();
        if !matches!(self.net, Net::Bert(_)) {
            bail!(
                "model folder {dir}: int8 runs BERT models only, not model_type `{}` \
                 (use --ner-precision f32 or bf16)",
                files.model_type()
            );
        }
        let heads = files
            .config
            .get("num_attention_heads")
            .and_then(|h| h.as_i64())
            .ok_or_else(|| anyhow!("model folder {dir}: config.json has no num_attention_heads"))?;
        Int8Bert::from_store(&self.vs, heads, Int8Bert::default_choice)
            .with_context(|| format!("model folder {dir}: building the int8 network"))
    }

    /// Casts the weights to `precision`; false when they already were.
    pub fn set_precision(&mut self, precision: Precision) -> bool {
        let cast = self
            .vs
            .variables()
            .values()
            .any(|v| v.kind() != precision.kind());
        if cast {
            self.vs.set_kind(precision.kind());
        }
        cast
    }

    /// The network `config.json` describes, with the random weights it starts with.
    fn construct(
        files: &ModelFiles,
        device: Device,
        intra_op_threads: Option<i32>,
    ) -> Result<Self> {
        let dir = files.dir.display();
        let config: BertConfig =
            serde_json::from_value(files.config.clone()).with_context(|| {
                format!("model folder {dir}: config.json is not a BERT-family config")
            })?;
        let id2label = config
            .id2label
            .as_ref()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| anyhow!("model folder {dir}: config.json has no id2label"))?;
        let mut labels = vec![None; id2label.len()];
        for (&id, label) in id2label {
            let slot = usize::try_from(id)
                .ok()
                .and_then(|i| labels.get_mut(i))
                .ok_or_else(|| {
                    anyhow!(
                        "model folder {dir}: id2label ids are not 0..{}",
                        id2label.len()
                    )
                })?;
            *slot = Some(label.clone());
        }
        let labels: Vec<String> = labels.into_iter().map(|l| l.unwrap_or_default()).collect();

        let model_type = files.model_type();
        let vs = VarStore::new(device);
        let config_pad = files.config.get("pad_token_id").and_then(|v| v.as_i64());
        let (net, max_len, pad_id) = match model_type {
            "bert" => {
                let net = BertForTokenClassification::new(vs.root(), &config)
                    .map_err(|e| anyhow!("model folder {dir}: {e}"))?;
                (
                    Net::Bert(net),
                    config.max_position_embeddings,
                    config_pad.unwrap_or(0),
                )
            }
            "roberta" | "xlm-roberta" => {
                // rust-bert's RoBERTa embeddings count positions from padding index 1 (as
                // fairseq does): positions 0 and 1 are never used, and padding must be id 1.
                let net = RobertaForTokenClassification::new(vs.root(), &config)
                    .map_err(|e| anyhow!("model folder {dir}: {e}"))?;
                (Net::Roberta(net), config.max_position_embeddings - 2, 1)
            }
            other => bail!(
                "model folder {dir}: model_type `{other}` is not supported (bert, roberta, xlm-roberta)"
            ),
        };
        if max_len < 3 {
            bail!("model folder {dir}: max_position_embeddings is too small");
        }
        Ok(RustBertClassifier {
            net,
            vs,
            labels,
            max_len: max_len as usize,
            pad_id,
            device,
            intra_op_threads,
        })
    }

    /// Reads the folder's weights into the network.
    fn load_weights(&mut self, files: &ModelFiles) -> Result<()> {
        let dir = files.dir.display();
        let loaded = weights::load_in_place(&self.vs, &files.weights)
            .with_context(|| format!("model folder {dir}: cannot load weights"))?;
        if !loaded {
            self.vs.load(&files.weights).map_err(|e| {
                anyhow!(
                    "model folder {dir}: cannot load weights {}: {e}",
                    files.weights.display()
                )
            })?;
        }
        // Loading takes the checkpoint's dtype; half-precision weights would run (slowly or
        // not at all) in f16 on the CPU.
        if self.device == Device::Cpu {
            self.vs.float();
        }
        Ok(())
    }

    fn forward(&self, batch: &[&[i64]]) -> Result<Vec<Vec<f32>>> {
        let width = batch.iter().map(|s| s.len()).max().unwrap_or(0);
        let n = batch.len();
        let mut ids = vec![self.pad_id; n * width];
        let mut mask = vec![0i64; n * width];
        for (row, seq) in batch.iter().enumerate() {
            ids[row * width..row * width + seq.len()].copy_from_slice(seq);
            mask[row * width..row * width + seq.len()].fill(1);
        }
        let shape = [n as i64, width as i64];
        let ids = Tensor::from_slice(&ids).view(shape).to(self.device);
        let mask = Tensor::from_slice(&mask).view(shape).to(self.device);
        let logits = tch::no_grad(|| match &self.net {
            Net::Bert(m) => {
                m.forward_t(Some(&ids), Some(&mask), None, None, None, false)
                    .logits
            }
            Net::Roberta(m) => {
                m.forward_t(Some(&ids), Some(&mask), None, None, None, false)
                    .logits
            }
            Net::BertInt8(m) => m.forward(&ids, &mask),
        });
        let probs = logits
            .softmax(-1, Kind::Float)
            .to(Device::Cpu)
            .contiguous()
            .view([-1]);
        let flat = Vec::<f32>::try_from(&probs)?;
        let labels = self.labels.len();
        Ok(batch
            .iter()
            .enumerate()
            .map(|(row, seq)| {
                let from = row * width * labels;
                flat[from..from + seq.len() * labels].to_vec()
            })
            .collect())
    }
}

impl TokenClassifier for RustBertClassifier {
    fn labels(&self) -> &[String] {
        &self.labels
    }

    fn max_len(&self) -> usize {
        self.max_len
    }

    fn classify(&mut self, batch: &[&[i64]]) -> Result<Vec<Vec<f32>>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(long) = batch
            .iter()
            .find(|s| s.len() > self.max_len || s.is_empty())
        {
            bail!(
                "sequence of {} tokens given to a model that takes 1..={}",
                long.len(),
                self.max_len
            );
        }
        if let Some(threads) = self.intra_op_threads {
            tch::set_num_threads(threads);
        }
        // tch reports libtorch errors inside the forward by panicking; keep them errors.
        catch_unwind(AssertUnwindSafe(|| self.forward(batch))).unwrap_or_else(|panic| {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(anyhow!("model forward failed: {msg}"))
        })
    }
}
