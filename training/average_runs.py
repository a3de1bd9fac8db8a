#!/usr/bin/env python3
"""Average the weights of runs fine-tuned from the same starting point (a "model soup":
same base, same classifier initialisation, different batch order), and optionally score the
average and each member on the validation sentences train.py --val split off.

    average_runs.py --runs RUN1 RUN2 --out DIR [--val 800 --cache DIR --base DIR]
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def average(runs, out):
    dicts = [safetensors_io.load(os.path.join(r, "model.safetensors")) for r in runs]
    names = sorted(dicts[0])
    for d in dicts[1:]:
        if sorted(d) != names:
            raise SystemExit("average_runs: runs have different parameters")
    soup = {n: (sum(d[n].astype(np.float64) for d in dicts) / len(dicts)).astype(np.float32) for n in names}
    os.makedirs(out, exist_ok=True)
    safetensors_io.save(os.path.join(out, "model.safetensors"), soup, {"format": "pt"})
    shutil.copy(os.path.join(runs[0], "config.json"), os.path.join(out, "config.json"))
    logs = [json.load(open(os.path.join(r, "train_log.json"))) for r in runs]
    with open(os.path.join(out, "train_log.json"), "w") as f:
        json.dump({"hyperparameters": logs[0]["hyperparameters"], "weight_average_of": logs}, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--val", type=int, default=0, help="score on train.py's --val split of this size")
    ap.add_argument("--cache", default=None)
    ap.add_argument("--base", default=None, help="dir with tokenizer.json")
    a = ap.parse_args()
    average(a.runs, a.out)
    if not a.val:
        return
    import torch
    from tokenizers import Tokenizer
    from transformers import BertForTokenClassification

    from evaluate import predict_and_score
    from nerdata import read_jsonl
    from train import split_validation

    torch.set_num_threads(1)
    tok = Tokenizer.from_file(os.path.join(a.base, "tokenizer.json"))
    tok.no_padding(); tok.no_truncation()
    train = read_jsonl(os.path.join(a.cache, "train.jsonl"))
    seed = json.load(open(os.path.join(a.runs[0], "train_log.json")))["hyperparameters"]["seed"]
    _, val_idx = split_validation(len(train), a.val, seed)
    sents = [train[j] for j in val_idx]
    scores = {}
    for d in a.runs + [a.out]:
        model = BertForTokenClassification.from_pretrained(d).eval()
        res, _ = predict_and_score(model, tok, sents)
        scores[d] = {t: res[t]["f1"] for t in res}
        print(d, json.dumps(scores[d]), flush=True)
    with open(os.path.join(a.out, "val_scores.json"), "w") as f:
        json.dump(scores, f, indent=2)


if __name__ == "__main__":
    main()
