//! A BERT token classifier whose matrix products run in int8 on the CPU: the weights of the
//! chosen linear layers quantised once (per tensor), the activations quantised on the fly by
//! fbgemm (libtorch's x86 int8 kernels), the rest in f32.
//!
//! rust-bert's BERT has no seam for another linear layer, so this is the same forward written
//! out over the same weights (the store rust-bert loaded), step for step as rust-bert computes
//! it: embeddings, twelve (or however many) encoder layers, the classifier. The f32 form of this
//! forward gives rust-bert's logits (a test holds it to that).
//!
//! Which layers: the attention's four projections in every encoder layer; the feed-forward
//! layers and the classifier stay f32. Measured on the shipped model (`docs/entities.md`):
//! with the feed-forward layers in int8 too the stage is 1.75x as fast as f32 instead of
//! 1.35x, but it loses 0.003 to 0.008 span F1 on whole articles of other genres (the
//! feed-forward output reads the GELU's long-tailed activations, which one int8 scale per
//! batch serves badly); attention alone stays within 0.003 of f32 on every held-out set.

use anyhow::{anyhow, Result};
use tch::{nn::VarStore, Kind, Scalar, Tensor};

/// One linear layer: f32, or int8 weights with what fbgemm needs beside them.
enum Linear {
    F32 {
        weight: Tensor,
        bias: Tensor,
    },
    Int8 {
        weight: QuantisedWeight,
        bias: Tensor,
    },
}

/// A weight matrix in int8 with one scale and zero point, packed for fbgemm.
struct QuantisedWeight {
    values: Tensor,
    packed: Tensor,
    col_offsets: Tensor,
    scale: f64,
    zero_point: i64,
}

impl QuantisedWeight {
    /// The range of the weights (widened to hold 0) over the 256 steps of int8, and the zero
    /// point that puts 0 on a step.
    fn new(weight: &Tensor) -> Self {
        let weight = weight.to_kind(Kind::Float).contiguous();
        let low = weight.min().double_value(&[]).min(0.0);
        let high = weight.max().double_value(&[]).max(0.0);
        let scale = if high > low {
            (high - low) / 255.0
        } else {
            1.0
        };
        let zero_point = ((-128.0 - low / scale).round() as i64).clamp(-128, 127);
        let values = weight
            .quantize_per_tensor(scale, zero_point, Kind::QInt8)
            .int_repr();
        // fbgemm adds the weights' sums per output row back after the product of the
        // activation's zero point with them.
        let columns = values.size()[1];
        let col_offsets = (values
            .to_kind(Kind::Int)
            .sum_dim_intlist(1, false, Kind::Int)
            - zero_point * columns)
            .to_kind(Kind::Int);
        let packed = values.fbgemm_pack_quantized_matrix();
        QuantisedWeight {
            values,
            packed,
            col_offsets,
            scale,
            zero_point,
        }
    }

    fn share(&self) -> Self {
        QuantisedWeight {
            values: self.values.shallow_clone(),
            packed: self.packed.shallow_clone(),
            col_offsets: self.col_offsets.shallow_clone(),
            scale: self.scale,
            zero_point: self.zero_point,
        }
    }
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Tensor {
        match self {
            Linear::F32 { weight, bias } => x.linear(weight, Some(bias)),
            Linear::Int8 { weight: w, bias } => x.fbgemm_linear_int8_weight_fp32_activation(
                &w.values,
                &w.packed,
                &w.col_offsets,
                // Two scalars of one type: the zero point must stay an integer.
                Scalar::float(w.scale),
                Scalar::int(w.zero_point),
                bias,
            ),
        }
    }

    /// The same layer over the same tensors (no copy), for another worker's model.
    fn share(&self) -> Self {
        match self {
            Linear::F32 { weight, bias } => Linear::F32 {
                weight: weight.shallow_clone(),
                bias: bias.shallow_clone(),
            },
            Linear::Int8 { weight, bias } => Linear::Int8 {
                weight: weight.share(),
                bias: bias.shallow_clone(),
            },
        }
    }
}

struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    /// rust-bert's BERT layer norms use eps 1e-12.
    fn forward(&self, x: &Tensor) -> Tensor {
        let size = self.weight.size();
        x.layer_norm(size, Some(&self.weight), Some(&self.bias), 1e-12, false)
    }

    fn share(&self) -> Self {
        Norm {
            weight: self.weight.shallow_clone(),
            bias: self.bias.shallow_clone(),
        }
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// The BERT token classifier over a store holding rust-bert's `BertForTokenClassification`
/// weights.
pub struct Int8Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embeddings_norm: Norm,
    layers: Vec<Layer>,
    classifier: Linear,
    heads: i64,
}

impl Int8Bert {
    /// Reads the weights of `vs` (f32); `quantise` says which linear layers, by variable
    /// path without `.weight`, go to int8.
    ///
    /// libtorch marks the fbgemm int8 ops deprecated and says so on stderr, once per process,
    /// at their first use; they are built here and run once on a two-token batch with stderr
    /// closed, so that a run's output carries no notice that says nothing about its articles.
    pub fn from_store(vs: &VarStore, heads: i64, quantise: impl Fn(&str) -> bool) -> Result<Self> {
        let _quiet = StderrSilenced::new();
        let net = Self::read_store(vs, heads, quantise)?;
        let two = Tensor::zeros([1, 2], (Kind::Int64, net.word.device()));
        let _ = tch::no_grad(|| net.forward(&two, &two.ones_like()));
        Ok(net)
    }

    fn read_store(vs: &VarStore, heads: i64, quantise: impl Fn(&str) -> bool) -> Result<Self> {
        let vars = vs.variables();
        let get = |name: &str| -> Result<Tensor> {
            vars.get(name)
                .map(|t| t.to_kind(Kind::Float))
                .ok_or_else(|| anyhow!("the model has no variable {name}"))
        };
        let linear = |path: &str| -> Result<Linear> {
            let weight = get(&format!("{path}.weight"))?;
            let bias = get(&format!("{path}.bias"))?;
            Ok(if quantise(path) {
                Linear::Int8 {
                    weight: QuantisedWeight::new(&weight),
                    bias,
                }
            } else {
                Linear::F32 { weight, bias }
            })
        };
        let norm = |path: &str| -> Result<Norm> {
            Ok(Norm {
                weight: get(&format!("{path}.weight"))?,
                bias: get(&format!("{path}.bias"))?,
            })
        };
        let mut layers = Vec::new();
        while vars.contains_key(&format!(
            "bert.encoder.layer.{}.attention.self.query.weight",
            layers.len()
        )) {
            let p = format!("bert.encoder.layer.{}", layers.len());
            layers.push(Layer {
                query: linear(&format!("{p}.attention.self.query"))?,
                key: linear(&format!("{p}.attention.self.key"))?,
                value: linear(&format!("{p}.attention.self.value"))?,
                attention_out: linear(&format!("{p}.attention.output.dense"))?,
                attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                intermediate: linear(&format!("{p}.intermediate.dense"))?,
                output: linear(&format!("{p}.output.dense"))?,
                output_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        if layers.is_empty() {
            return Err(anyhow!("the model has no encoder layers"));
        }
        Ok(Int8Bert {
            word: get("bert.embeddings.word_embeddings.weight")?,
            position: get("bert.embeddings.position_embeddings.weight")?,
            token_type: get("bert.embeddings.token_type_embeddings.weight")?,
            embeddings_norm: norm("bert.embeddings.LayerNorm")?,
            layers,
            classifier: linear("classifier")?,
            heads,
        })
    }

    /// The layers this crate quantises (see the module docs): the attention's projections
    /// (query, key, value, output) of every encoder layer.
    pub fn default_choice(path: &str) -> bool {
        path.contains(".attention.")
    }

    /// Logits `[batch, length, labels]` for `ids` with `mask` (1 for tokens, 0 for padding).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Tensor {
        let length = ids.size()[1];
        let positions = Tensor::arange(length, (Kind::Int64, ids.device()));
        let embedded = Tensor::embedding(&self.word, ids, -1, false, false)
            + Tensor::embedding(&self.position, &positions, -1, false, false).unsqueeze(0)
            + self.token_type.get(0);
        let mut hidden = self.embeddings_norm.forward(&embedded);
        // Padding gets -10000 before the softmax, as in rust-bert.
        let blocked = (mask.ones_like() - mask)
            .to_kind(Kind::Float)
            .unsqueeze(1)
            .unsqueeze(1)
            * -10000.0;
        for layer in &self.layers {
            hidden = layer.forward(&hidden, &blocked, self.heads);
        }
        self.classifier.forward(&hidden)
    }

    /// The same network over the same tensors, for another worker.
    pub fn share(&self) -> Self {
        Int8Bert {
            word: self.word.shallow_clone(),
            position: self.position.shallow_clone(),
            token_type: self.token_type.shallow_clone(),
            embeddings_norm: self.embeddings_norm.share(),
            layers: self
                .layers
                .iter()
                .map(|l| Layer {
                    query: l.query.share(),
                    key: l.key.share(),
                    value: l.value.share(),
                    attention_out: l.attention_out.share(),
                    attention_norm: l.attention_norm.share(),
                    intermediate: l.intermediate.share(),
                    output: l.output.share(),
                    output_norm: l.output_norm.share(),
                })
                .collect(),
            classifier: self.classifier.share(),
            heads: self.heads,
        }
    }
}

/// stderr pointed at /dev/null until dropped (also when a panic unwinds).
struct StderrSilenced {
    saved: Option<libc::c_int>,
}

impl StderrSilenced {
    fn new() -> Self {
        // SAFETY: plain descriptor calls; every failure leaves stderr as it was.
        let saved = unsafe {
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            if null < 0 {
                None
            } else {
                let saved = libc::dup(libc::STDERR_FILENO);
                let swapped = saved >= 0 && libc::dup2(null, libc::STDERR_FILENO) >= 0;
                libc::close(null);
                if swapped {
                    Some(saved)
                } else {
                    if saved >= 0 {
                        libc::close(saved);
                    }
                    None
                }
            }
        };
        StderrSilenced { saved }
    }
}

impl Drop for StderrSilenced {
    fn drop(&mut self) {
        if let Some(saved) = self.saved {
            // SAFETY: `saved` is the descriptor dup'ed in `new`, closed once here.
            unsafe {
                libc::dup2(saved, libc::STDERR_FILENO);
                libc::close(saved);
            }
        }
    }
}

impl Layer {
    fn forward(&self, x: &Tensor, blocked: &Tensor, heads: i64) -> Tensor {
        let (batch, length, hidden) = x
            .size3()
            .expect("hidden states are [batch, length, hidden]");
        let head_size = hidden / heads;
        let split = |t: Tensor| t.view([batch, length, heads, head_size]).transpose(1, 2);
        let query = split(self.query.forward(x));
        let key = split(self.key.forward(x));
        let value = split(self.value.forward(x));
        let scores = query.matmul(&key.transpose(-1, -2)) / (head_size as f64).sqrt() + blocked;
        let context = scores
            .softmax(-1, Kind::Float)
            .matmul(&value)
            .transpose(1, 2)
            .contiguous()
            .view([batch, length, hidden]);
        let attended = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context) + x));
        let inner = self.intermediate.forward(&attended).gelu("none");
        self.output_norm
            .forward(&(self.output.forward(&inner) + &attended))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_bert::bert::{BertConfig, BertForTokenClassification};
    use tch::Device;

    /// A random BERT token classifier (rust-bert's, on a fresh store) and a batch with
    /// padding.
    fn random_bert() -> (VarStore, BertForTokenClassification, Tensor, Tensor) {
        tch::manual_seed(3);
        let config: BertConfig = serde_json::from_value(serde_json::json!({
            "hidden_act": "gelu", "attention_probs_dropout_prob": 0.0,
            "hidden_dropout_prob": 0.0, "hidden_size": 32, "initializer_range": 0.5,
            "intermediate_size": 64, "max_position_embeddings": 40,
            "num_attention_heads": 4, "num_hidden_layers": 3, "type_vocab_size": 2,
            "vocab_size": 50, "id2label": {"0": "O", "1": "B-PER", "2": "I-PER"}
        }))
        .unwrap();
        let vs = VarStore::new(Device::Cpu);
        let net = BertForTokenClassification::new(vs.root(), &config).unwrap();
        let ids = Tensor::from_slice(&[2i64, 7, 9, 11, 3, 2, 8, 3, 0, 0]).view([2, 5]);
        let mask = Tensor::from_slice(&[1i64, 1, 1, 1, 1, 1, 1, 1, 0, 0]).view([2, 5]);
        (vs, net, ids, mask)
    }

    fn max_difference(a: &Tensor, b: &Tensor) -> f64 {
        (a - b).abs().max().double_value(&[])
    }

    #[test]
    fn with_nothing_quantised_it_is_rust_berts_forward() {
        let (vs, net, ids, mask) = random_bert();
        let theirs = tch::no_grad(|| {
            net.forward_t(Some(&ids), Some(&mask), None, None, None, false)
                .logits
        });
        let ours = tch::no_grad(|| {
            Int8Bert::from_store(&vs, 4, |_| false)
                .unwrap()
                .forward(&ids, &mask)
        });
        assert_eq!(ours.size(), theirs.size());
        // Padding positions included: they are computed the same way.
        assert!(max_difference(&ours, &theirs) < 1e-4, "{ours} vs {theirs}");
    }

    #[test]
    fn int8_layers_stay_close_to_f32_and_copies_share_them() {
        let (vs, _, ids, mask) = random_bert();
        let f32_net = Int8Bert::from_store(&vs, 4, |_| false).unwrap();
        let int8_net = Int8Bert::from_store(&vs, 4, Int8Bert::default_choice).unwrap();
        let copy = int8_net.share();
        let probabilities =
            |net: &Int8Bert| tch::no_grad(|| net.forward(&ids, &mask)).softmax(-1, Kind::Float);
        let (exact, quantised) = (probabilities(&f32_net), probabilities(&int8_net));
        let difference = max_difference(&exact, &quantised);
        assert!(difference > 0.0, "int8 computed nothing differently");
        assert!(difference < 0.05, "int8 probabilities {difference} off f32");
        assert_eq!(max_difference(&quantised, &probabilities(&copy)), 0.0);
        let packed = |net: &Int8Bert| match &net.layers[0].query {
            Linear::Int8 { weight, .. } => weight.packed.data_ptr(),
            Linear::F32 { .. } => panic!("the query projection is int8"),
        };
        assert_eq!(packed(&copy), packed(&int8_net));
        assert!(matches!(
            int8_net.layers[0].intermediate,
            Linear::F32 { .. }
        ));
        assert!(matches!(int8_net.layers[0].output, Linear::F32 { .. }));
        assert!(matches!(int8_net.classifier, Linear::F32 { .. }));
    }

    #[test]
    fn the_attention_goes_to_int8_the_feed_forward_layers_and_the_classifier_stay_f32() {
        let choice = Int8Bert::default_choice;
        assert!(choice("bert.encoder.layer.0.attention.self.query"));
        assert!(choice("bert.encoder.layer.0.attention.self.value"));
        assert!(choice("bert.encoder.layer.11.attention.output.dense"));
        assert!(!choice("bert.encoder.layer.3.intermediate.dense"));
        assert!(!choice("bert.encoder.layer.3.output.dense"));
        assert!(!choice("classifier"));
    }
}
