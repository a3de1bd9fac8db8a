#!/usr/bin/env python3
"""Prepares a Marian (opus-mt) folder saved by current `transformers` for rust-bert.

    python3 scripts/prepare-marian.py models/opus-mt-de-en            # in place
    python3 scripts/prepare-marian.py SRC_DIR --out models/opus-mt-de-en

Why: `MarianMTModel.save_pretrained` in current `transformers` leaves out what rust-bert 0.23
needs to build the same network:
  * the sinusoidal position tables `model.encoder.embed_positions.weight` and
    `model.decoder.embed_positions.weight` (transformers recomputes them at load time, so it
    no longer saves them; rust-bert loads them as weights);
  * `normalize_embedding: false` and `static_position_embeddings: true` in config.json
    (without them rust-bert builds learned positions with an offset of 2 and an embedding
    layer norm, neither of which Marian has);
  * `model.shared.weight` when only the tied copies (`model.encoder.embed_tokens.weight`,
    `lm_head.weight`, ...) were written, and `final_logits_bias` when absent (zeros).
It also maps `activation_function: "silu"` to rust-bert's name `"swish"` (the same function),
and adds `num_hidden_layers` (= `encoder_layers`), which transformers 5 no longer writes and
rust-bert requires.

Writes `model.safetensors` (temp file + rename; a `pytorch_model.bin` input is left in
place, rust-bert picks `model.safetensors` first) and rewrites config.json. Idempotent.
Needs `numpy` and `safetensors` (`pip install numpy safetensors`); reading a
`pytorch_model.bin` input also needs `torch`. Models with separate source and target
embeddings (`share_encoder_decoder_embeddings: false`) are refused: rust-bert's Marian has one
shared embedding matrix.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np


def sinusoidal_table(n_pos, dim):
    """transformers' MarianSinusoidalPositionalEmbedding: sin in the first half of the
    features, cos in the second, no padding offset."""
    pos = np.arange(n_pos, dtype=np.float64)[:, None]
    j = np.arange(dim, dtype=np.float64)[None, :]
    enc = pos / np.power(10000.0, 2.0 * np.floor(j / 2.0) / dim)
    out = np.zeros((n_pos, dim), dtype=np.float64)
    sentinel = dim // 2 if dim % 2 == 0 else dim // 2 + 1
    out[:, :sentinel] = np.sin(enc[:, 0::2])
    out[:, sentinel:] = np.cos(enc[:, 1::2])
    return out


def load_weights(folder):
    st = os.path.join(folder, "model.safetensors")
    if os.path.isfile(st):
        from safetensors.numpy import load_file

        return load_file(st), st
    bin_path = os.path.join(folder, "pytorch_model.bin")
    if os.path.isfile(bin_path):
        try:
            import torch
        except ImportError:
            sys.exit(f"{bin_path}: reading pytorch_model.bin needs torch (pip install torch)")
        sd = torch.load(bin_path, map_location="cpu", weights_only=True)
        return {k: v.float().numpy() if v.dtype == torch.bfloat16 else v.numpy() for k, v in sd.items()}, bin_path
    sys.exit(f"{folder}: no model.safetensors or pytorch_model.bin")


def prepare(src, out):
    cfg_path = os.path.join(src, "config.json")
    if not os.path.isfile(cfg_path):
        sys.exit(f"{src}: config.json is missing")
    with open(cfg_path, encoding="utf-8") as f:
        config = json.load(f)
    if config.get("model_type", "marian") != "marian":
        sys.exit(f"{src}: config.json describes a {config['model_type']!r} model, not Marian")
    if config.get("share_encoder_decoder_embeddings", True) is False:
        sys.exit(f"{src}: separate source/target embeddings are not supported by rust-bert's Marian")

    weights, weights_path = load_weights(src)
    d_model = int(config["d_model"])
    n_pos = int(config["max_position_embeddings"])
    vocab = int(config["vocab_size"])
    notes = []

    if "model.shared.weight" not in weights:
        for alias in ("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"):
            if alias in weights:
                weights["model.shared.weight"] = weights[alias]
                notes.append(f"model.shared.weight from {alias}")
                break
        else:
            sys.exit(f"{weights_path}: no token embedding (model.shared.weight or a tied copy)")
    shared = weights["model.shared.weight"]
    if shared.shape != (vocab, d_model):
        sys.exit(f"{weights_path}: model.shared.weight is {shared.shape}, config says ({vocab}, {d_model})")
    if "final_logits_bias" not in weights:
        weights["final_logits_bias"] = np.zeros((1, vocab), dtype=shared.dtype)
        notes.append("final_logits_bias = zeros")

    table = sinusoidal_table(n_pos, d_model).astype(shared.dtype)
    for side in ("encoder", "decoder"):
        key = f"model.{side}.embed_positions.weight"
        old = weights.get(key)
        if old is not None and old.shape == table.shape and np.allclose(old, table, atol=1e-4):
            continue
        weights[key] = table
        notes.append(f"{key} = sinusoidal ({n_pos} x {d_model})" + (" (replaced)" if old is not None else ""))

    for key, want in (("normalize_embedding", False), ("static_position_embeddings", True)):
        if config.get(key) != want:
            config[key] = want
            notes.append(f"config.json {key} = {json.dumps(want)}")
    if config.get("activation_function") == "silu":
        config["activation_function"] = "swish"
        notes.append('config.json activation_function "silu" -> "swish"')
    # transformers 5 no longer writes num_hidden_layers; rust-bert's BartConfig requires it.
    if "num_hidden_layers" not in config:
        config["num_hidden_layers"] = int(config["encoder_layers"])
        notes.append(f"config.json num_hidden_layers = {config['num_hidden_layers']}")

    os.makedirs(out, exist_ok=True)
    if os.path.abspath(out) != os.path.abspath(src):
        for name in os.listdir(src):
            p = os.path.join(src, name)
            if os.path.isfile(p) and name not in ("config.json", "model.safetensors", "pytorch_model.bin"):
                shutil.copy2(p, os.path.join(out, name))

    from safetensors.numpy import save_file

    st_out = os.path.join(out, "model.safetensors")
    tmp = st_out + ".tmp"
    # One contiguous array per name (tied copies share memory in numpy, not in the file).
    save_file({k: np.ascontiguousarray(v) for k, v in weights.items()}, tmp, metadata={"format": "pt"})
    os.replace(tmp, st_out)
    cfg_out = os.path.join(out, "config.json")
    tmp = cfg_out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, cfg_out)
    print(f"{out}: " + ("; ".join(notes) if notes else "already prepared (weights rewritten unchanged)"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="Marian folder saved by transformers (config.json, weights, tokenizer files)")
    ap.add_argument("--out", help="write the prepared folder here instead of in place")
    args = ap.parse_args()
    prepare(args.folder, args.out or args.folder)


if __name__ == "__main__":
    main()
