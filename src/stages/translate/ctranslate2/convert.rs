//! Writes the CTranslate2 form of a Marian model folder, from the weights the libtorch path
//! loads, so both backends translate with the same numbers.
//!
//! The layout is CTranslate2's `TransformerSpec` (binary version 6, spec revision 7), as its
//! own Python converter writes it for `MarianMTModel`: fused q/k/v projections, post-norm
//! layers, sinusoidal position tables, the shared embedding used by both sides and the output
//! projection, and the `<pad>` row removed from the vocabulary (CTranslate2 starts the decoder
//! from a zero vector instead of `<pad>`'s embedding). Weights stay f32; CTranslate2 converts
//! them to the compute type asked for when it loads the folder, so one folder serves int8,
//! bf16 and f32.
//!
//! Beside CTranslate2's three files (`model.bin`, `config.json`, `shared_vocabulary.json`)
//! the folder keeps Marian's tokenizer files (`vocab.json`, `source.spm`, `target.spm`,
//! `tokenizer_config.json`) and [`CONVERSION_FILE`], which records where it came from.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, ensure, Context, Result};
use rust_bert::marian::MarianForConditionalGeneration;
use rust_bert::Activation;
use tch::{nn, Device, Kind, Tensor};

use super::super::folder::MarianFolder;

/// What the converter records beside the model: source folder, its weights' sha256, and the
/// longest input (in tokens) the model has positions for.
pub const CONVERSION_FILE: &str = "newsextract-conversion.json";

const BINARY_VERSION: u32 = 6;
const SPEC_NAME: &str = "TransformerSpec";
const SPEC_REVISION: u32 = 7;

/// The tokenizer files copied from the Marian folder when present.
const TOKENIZER_FILES: [&str; 4] = [
    "vocab.json",
    "source.spm",
    "target.spm",
    "tokenizer_config.json",
];

/// One variable of `model.bin`.
enum Variable {
    F32 { shape: Vec<usize>, data: Vec<f32> },
    I8(i8),
    I16(i16),
}

impl Variable {
    fn scalar_f32(v: f32) -> Variable {
        Variable::F32 {
            shape: Vec::new(),
            data: vec![v],
        }
    }

    fn bool(v: bool) -> Variable {
        Variable::I8(v as i8)
    }
}

/// Converts the Marian folder `folder` into a CTranslate2 folder at `out_dir`, which must not
/// exist yet. The folder appears complete or not at all (written beside it, then renamed).
pub fn convert_marian(folder: &MarianFolder, out_dir: &Path) -> Result<()> {
    ensure!(
        !out_dir.exists(),
        "{} already exists: remove it or choose another folder",
        out_dir.display()
    );
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out_dir
        .file_name()
        .ok_or_else(|| anyhow!("{} names no folder", out_dir.display()))?;
    let staging = parent.join(format!(
        ".{}.converting-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
    let written = write_folder(folder, &staging).and_then(|()| {
        fs::rename(&staging, out_dir)
            .with_context(|| format!("moving the converted model to {}", out_dir.display()))
    });
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written
}

fn write_folder(folder: &MarianFolder, dir: &Path) -> Result<()> {
    let shown = folder.dir.display();
    let config = &folder.config;
    let vocab_size = usize::try_from(config.vocab_size).context("vocab_size")?;
    let pad_id = config.pad_token_id.ok_or_else(|| {
        anyhow!("translation model folder {shown}: config.json has no pad_token_id")
    })?;
    ensure!(
        pad_id == config.vocab_size - 1,
        "translation model folder {shown}: <pad> has id {pad_id}, not the last id ({}); \
         CTranslate2's Marian layout drops the last row, which must be <pad>",
        config.vocab_size - 1
    );
    let tokens = vocabulary_by_id(&folder.vocab_path, vocab_size)?;
    ensure!(
        tokens[pad_id as usize] == "<pad>",
        "translation model folder {shown}: id {pad_id} is {:?}, not <pad>",
        tokens[pad_id as usize]
    );
    let eos_id = config.eos_token_id.unwrap_or(0) as usize;
    let eos = tokens.get(eos_id).cloned().ok_or_else(|| {
        anyhow!("translation model folder {shown}: eos_token_id {eos_id} is not in vocab.json")
    })?;
    ensure!(
        tokens.iter().any(|t| t == "<unk>"),
        "translation model folder {shown}: vocab.json has no <unk>"
    );

    let weights = load_weights(folder)?;
    let get = |name: &str| -> Result<&Tensor> {
        weights
            .get(name)
            .ok_or_else(|| anyhow!("translation model folder {shown}: the weights lack {name}"))
    };

    let shared = get("model.shared.weight")?;
    let pad_row = shared.get(pad_id);
    ensure!(
        pad_row.abs().max().double_value(&[]) == 0.0,
        "translation model folder {shown}: the <pad> embedding row is not zero. CTranslate2 \
         starts the decoder from a zero vector where rust-bert starts from that row, so the two \
         backends would translate differently; keep this model on the libtorch backend"
    );
    let without_pad = shared.narrow(0, 0, config.vocab_size - 1);

    // CTranslate2's ActivationType: ReLU 0, GELUTanh 1, Swish 2, GELU 3, Tanh 5. rust-bert
    // reads a missing activation as gelu.
    let activation: i8 = match config.activation_function.unwrap_or(Activation::gelu) {
        Activation::relu => 0,
        Activation::gelu_new => 1,
        Activation::swish => 2,
        Activation::gelu => 3,
        Activation::tanh => 5,
        other => bail!(
            "translation model folder {shown}: activation {other:?} has no CTranslate2 counterpart"
        ),
    };
    let scale = if config.scale_embedding.unwrap_or(false) {
        (config.d_model as f32).sqrt()
    } else {
        1.0
    };
    ensure!(
        !config.normalize_embedding.unwrap_or(false),
        "translation model folder {shown}: an embedding layer norm is not Marian's layout"
    );

    let mut vars: BTreeMap<String, Variable> = BTreeMap::new();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    vars.insert("decoder/embeddings/weight".into(), tensor(&without_pad)?);
    aliases.insert(
        "encoder/embeddings_0/weight".into(),
        "decoder/embeddings/weight".into(),
    );
    aliases.insert(
        "decoder/projection/weight".into(),
        "decoder/embeddings/weight".into(),
    );
    if let Some(bias) = weights.get("final_logits_bias") {
        let bias = bias.view([-1]).narrow(0, 0, config.vocab_size - 1);
        if bias.abs().max().double_value(&[]) != 0.0 {
            vars.insert("decoder/projection/bias".into(), tensor(&bias)?);
        }
    }

    let heads = |n: i64| -> Result<Variable> { Ok(Variable::I16(i16::try_from(n)?)) };
    for side in ["encoder", "decoder"] {
        let positions = get(&format!("model.{side}.embed_positions.weight"))?;
        vars.insert(
            format!("{side}/position_encodings/encodings"),
            tensor(positions)?,
        );
        vars.insert(
            format!("{side}/scale_embeddings"),
            Variable::scalar_f32(scale),
        );
        vars.insert(format!("{side}/activation"), Variable::I8(activation));
        vars.insert(format!("{side}/pre_norm"), Variable::bool(false));
    }
    vars.insert(
        "encoder/num_heads".into(),
        heads(config.encoder_attention_heads)?,
    );
    vars.insert("encoder/embeddings_merge".into(), Variable::I8(0));
    vars.insert(
        "encoder/multi_query_attention".into(),
        Variable::bool(false),
    );
    vars.insert(
        "decoder/num_heads".into(),
        heads(config.decoder_attention_heads)?,
    );
    vars.insert("decoder/alibi".into(), Variable::bool(false));
    vars.insert(
        "decoder/alibi_use_positive_positions".into(),
        Variable::bool(false),
    );
    vars.insert("decoder/scale_alibi".into(), Variable::bool(false));
    vars.insert("decoder/alignment_heads".into(), Variable::I16(1));
    vars.insert("decoder/alignment_layer".into(), Variable::I16(-1));
    vars.insert(
        "decoder/start_from_zero_embedding".into(),
        Variable::bool(true),
    );

    let linear = |vars: &mut BTreeMap<String, Variable>, to: &str, from: &[String]| -> Result<()> {
        let w: Vec<&Tensor> = from
            .iter()
            .map(|f| get(&format!("{f}.weight")))
            .collect::<Result<_>>()?;
        let b: Vec<&Tensor> = from
            .iter()
            .map(|f| get(&format!("{f}.bias")))
            .collect::<Result<_>>()?;
        vars.insert(format!("{to}/weight"), tensor(&Tensor::cat(&w, 0))?);
        vars.insert(format!("{to}/bias"), tensor(&Tensor::cat(&b, 0))?);
        Ok(())
    };
    let layer_norm = |vars: &mut BTreeMap<String, Variable>, to: &str, from: &str| -> Result<()> {
        vars.insert(
            format!("{to}/gamma"),
            tensor(get(&format!("{from}.weight"))?)?,
        );
        vars.insert(format!("{to}/beta"), tensor(get(&format!("{from}.bias"))?)?);
        Ok(())
    };
    for (side, layers) in [
        ("encoder", config.encoder_layers),
        ("decoder", config.decoder_layers),
    ] {
        for i in 0..layers {
            let from = format!("model.{side}.layers.{i}");
            let to = format!("{side}/layer_{i}");
            let proj = |name: &str| format!("{from}.self_attn.{name}");
            linear(
                &mut vars,
                &format!("{to}/self_attention/linear_0"),
                &[proj("q_proj"), proj("k_proj"), proj("v_proj")],
            )?;
            linear(
                &mut vars,
                &format!("{to}/self_attention/linear_1"),
                &[proj("out_proj")],
            )?;
            layer_norm(
                &mut vars,
                &format!("{to}/self_attention/layer_norm"),
                &format!("{from}.self_attn_layer_norm"),
            )?;
            if side == "decoder" {
                let cross = |name: &str| format!("{from}.encoder_attn.{name}");
                linear(
                    &mut vars,
                    &format!("{to}/attention/linear_0"),
                    &[cross("q_proj")],
                )?;
                linear(
                    &mut vars,
                    &format!("{to}/attention/linear_1"),
                    &[cross("k_proj"), cross("v_proj")],
                )?;
                linear(
                    &mut vars,
                    &format!("{to}/attention/linear_2"),
                    &[cross("out_proj")],
                )?;
                layer_norm(
                    &mut vars,
                    &format!("{to}/attention/layer_norm"),
                    &format!("{from}.encoder_attn_layer_norm"),
                )?;
            }
            linear(
                &mut vars,
                &format!("{to}/ffn/linear_0"),
                &[format!("{from}.fc1")],
            )?;
            linear(
                &mut vars,
                &format!("{to}/ffn/linear_1"),
                &[format!("{from}.fc2")],
            )?;
            layer_norm(
                &mut vars,
                &format!("{to}/ffn/layer_norm"),
                &format!("{from}.final_layer_norm"),
            )?;
        }
    }

    write_model_bin(&dir.join("model.bin"), &vars, &aliases)?;
    let ct2_config = serde_json::json!({
        "add_source_bos": false,
        "add_source_eos": false,
        "bos_token": "<s>",
        "decoder_start_token": eos,
        "eos_token": eos,
        "layer_norm_epsilon": null,
        "multi_query_attention": false,
        "unk_token": "<unk>",
    });
    write_json(&dir.join("config.json"), &ct2_config)?;
    let mut vocabulary = tokens;
    vocabulary.pop();
    write_json(
        &dir.join("shared_vocabulary.json"),
        &serde_json::json!(vocabulary),
    )?;
    for name in TOKENIZER_FILES {
        let from = folder.dir.join(name);
        if from.is_file() {
            fs::copy(&from, dir.join(name))
                .with_context(|| format!("copying {}", from.display()))?;
        }
    }
    let conversion = serde_json::json!({
        "converted_from": folder.name,
        "source_weights": folder.weights_path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "source_sha256": crate::models::sha256_file(&folder.weights_path)?,
        "max_positions": config.max_position_embeddings,
        "converter": format!("newsextract {}", env!("CARGO_PKG_VERSION")),
    });
    write_json(&dir.join(CONVERSION_FILE), &conversion)
}

/// The weights as rust-bert's Marian model reads them (any of the formats it loads), by
/// variable name.
fn load_weights(folder: &MarianFolder) -> Result<BTreeMap<String, Tensor>> {
    let mut vs = nn::VarStore::new(Device::Cpu);
    let _model = MarianForConditionalGeneration::new(vs.root(), &folder.config);
    vs.load(&folder.weights_path).map_err(|e| {
        anyhow!(
            "translation model folder {}: loading {} failed: {e}",
            folder.dir.display(),
            folder.weights_path.display()
        )
    })?;
    Ok(vs
        .variables()
        .into_iter()
        .map(|(name, t)| (name, t.to_kind(Kind::Float).detach()))
        .collect())
}

fn tensor(t: &Tensor) -> Result<Variable> {
    let shape = t
        .size()
        .into_iter()
        .map(|d| usize::try_from(d).map_err(|_| anyhow!("negative dimension")))
        .collect::<Result<Vec<_>>>()?;
    let flat = t.to_kind(Kind::Float).contiguous().view([-1]);
    let data = Vec::<f32>::try_from(&flat).map_err(|e| anyhow!("reading a tensor: {e}"))?;
    Ok(Variable::F32 { shape, data })
}

/// Token of every id `0..size` of vocab.json; a missing id is an error (CTranslate2's
/// vocabulary is a list, so the ids must be dense).
fn vocabulary_by_id(path: &Path, size: usize) -> Result<Vec<String>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let map: std::collections::HashMap<String, i64> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON map of token to id", path.display()))?;
    let mut tokens: Vec<Option<String>> = vec![None; size];
    for (token, id) in map {
        let slot = usize::try_from(id)
            .ok()
            .and_then(|i| tokens.get_mut(i))
            .ok_or_else(|| {
                anyhow!(
                    "{}: id {id} is outside the model's vocabulary",
                    path.display()
                )
            })?;
        *slot = Some(token);
    }
    tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| t.ok_or_else(|| anyhow!("{}: no token has id {i}", path.display())))
        .collect()
}

fn write_model_bin(
    path: &PathBuf,
    vars: &BTreeMap<String, Variable>,
    aliases: &BTreeMap<String, String>,
) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let w = &mut out;
    fn string(w: &mut impl Write, s: &str) -> Result<()> {
        let len = u16::try_from(s.len() + 1).context("name too long for model.bin")?;
        w.write_all(&len.to_le_bytes())?;
        w.write_all(s.as_bytes())?;
        w.write_all(&[0])?;
        Ok(())
    }
    w.write_all(&BINARY_VERSION.to_le_bytes())?;
    string(w, SPEC_NAME)?;
    w.write_all(&SPEC_REVISION.to_le_bytes())?;
    w.write_all(&u32::try_from(vars.len())?.to_le_bytes())?;
    for (name, var) in vars {
        string(w, name)?;
        // dtype ids follow CTranslate2's DataType enum: float32 0, int8 1, int16 2.
        let (shape, dtype, bytes): (&[usize], u8, Vec<u8>) = match var {
            Variable::F32 { shape, data } => (
                shape,
                0,
                data.iter().flat_map(|v| v.to_le_bytes()).collect(),
            ),
            Variable::I8(v) => (&[], 1, v.to_le_bytes().to_vec()),
            Variable::I16(v) => (&[], 2, v.to_le_bytes().to_vec()),
        };
        w.write_all(&[u8::try_from(shape.len())?])?;
        for d in shape {
            w.write_all(&u32::try_from(*d)?.to_le_bytes())?;
        }
        w.write_all(&[dtype])?;
        w.write_all(
            &u32::try_from(bytes.len())
                .context("tensor too large for model.bin")?
                .to_le_bytes(),
        )?;
        w.write_all(&bytes)?;
    }
    w.write_all(&u32::try_from(aliases.len())?.to_le_bytes())?;
    for (alias, target) in aliases {
        string(w, alias)?;
        string(w, target)?;
    }
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
