#!/usr/bin/env python3
"""Evaluate an assembled model folder on the held-out GermEval part: span-level
exact-match micro F1 (per type and overall, word level, IOB2), plus speed on this machine.

`--views clean,caps,umlaut` scores the part under each view (nerdata.eval_view: as is, all
caps, umlauts folded) with per-label precision/recall/F1; `--part train --val 800` scores the
validation part that `train.py --val 800` holds out (for choices that never touch held-out)."""
import argparse
import os
import sys
import time

import torch
from tokenizers import Tokenizer
from transformers import BertForTokenClassification

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nerdata import (VIEWS, align, constrained_token_preds, eval_view, read_jsonl, report, score,  # noqa: E402
                     score_types, split_validation, word_preds)

DECODINGS = ("constrained", "argmax")


def predict_and_score(model, tok, sents, batch_size=32, decoding="constrained"):
    """Span scores of `model` (in eval mode) on `sents`, and the seconds the forward took.
    decoding: "constrained" (IOB2 Viterbi over the words' first sub-tokens, as the Rust
    pipeline decodes) or "argmax" (each sub-token's most probable label)."""
    encs = [tok.encode(s["text"]) for s in sents]
    order = sorted(range(len(sents)), key=lambda i: len(encs[i].ids))
    preds = [None] * len(sents)
    t0 = time.time()
    with torch.inference_mode():
        for i in range(0, len(order), batch_size):
            b = order[i:i + batch_size]
            L = max(len(encs[j].ids) for j in b)
            ids = torch.full((len(b), L), model.config.pad_token_id, dtype=torch.long)
            att = torch.zeros((len(b), L), dtype=torch.long)
            for r, j in enumerate(b):
                ids[r, :len(encs[j].ids)] = torch.tensor(encs[j].ids)
                att[r, :len(encs[j].ids)] = 1
            logp = torch.log_softmax(model(input_ids=ids, attention_mask=att).logits, -1)
            for r, j in enumerate(b):
                preds[j] = logp[r, :len(encs[j].ids)].numpy()
    secs = time.time() - t0
    gold, pred = [], []
    for s, enc, p in zip(sents, encs, preds):
        tw, fw, _ = align(s, enc)
        gold.append(s["tags"])
        ids = constrained_token_preds(p, fw) if decoding == "constrained" else p.argmax(-1).tolist()
        pred.append(word_preds(s, enc, tw, fw, ids))
    return score(gold, pred, score_types(sents)), secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--part", default="heldout")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences (smoke tests)")
    ap.add_argument("--decoding", choices=DECODINGS, default="constrained")
    ap.add_argument("--views", default="",
                    help="comma list of %s: score each view (result keyed by view)" % ", ".join(VIEWS))
    ap.add_argument("--val", type=int, default=0,
                    help="with --part train: only the N sentences train.py --val N holds out")
    ap.add_argument("--seed", type=int, default=42, help="train.py's seed (picks the --val part)")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sents = read_jsonl(os.path.join(a.cache, a.part + ".jsonl"))
    if a.val:
        assert a.part == "train", "--val selects from the training part"
        sents = [sents[j] for j in split_validation(len(sents), a.val, a.seed)[1]]
    if a.limit:
        sents = sents[:a.limit]
    tok = Tokenizer.from_file(os.path.join(a.model, "tokenizer.json"))
    model = BertForTokenClassification.from_pretrained(a.model).eval()
    if a.views:
        out = {"model": a.model, "part": a.part + (" (validation %d, seed %d)" % (a.val, a.seed) if a.val else ""),
               "sentences": len(sents), "decoding": a.decoding, "views": {}}
        for v in a.views.split(","):
            vs = eval_view(sents, v)
            res, _ = predict_and_score(model, tok, vs, a.batch_size, a.decoding)
            res["sentences_changed"] = sum(x["text"] != s["text"] for x, s in zip(vs, sents))
            out["views"][v] = res
        report(out, a.out)
        return
    res, secs = predict_and_score(model, tok, sents, a.batch_size, a.decoding)
    res["sentences"] = len(sents)
    res["decoding"] = a.decoding
    res["speed"] = {"sentences_per_s": round(len(sents) / secs, 1), "seconds": round(secs, 1),
                    "threads": a.threads, "batch_size": a.batch_size,
                    "note": "Python transformers forward on CPU, length-sorted batches, tokenisation excluded"}
    report(res, a.out)


if __name__ == "__main__":
    main()
