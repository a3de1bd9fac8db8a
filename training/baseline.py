#!/usr/bin/env python3
"""Gazetteer baseline on the same split: every entity string seen in the training part
(with its most frequent type) is matched greedily, longest first, in held-out sentences.
A string is kept only if it was more often an entity than not in training;
matching is exact and case-sensitive."""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nerdata import read_jsonl, report, score, spans  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    train = read_jsonl(os.path.join(a.cache, "train.jsonl"))
    held = read_jsonl(os.path.join(a.cache, "heldout.jsonl"))
    counts = collections.defaultdict(collections.Counter)
    as_o = collections.Counter()  # how often a string occurs outside any entity
    for s in train:
        for st, en, typ in spans(s["tags"]):
            counts[tuple(s["words"][st:en])][typ] += 1
        for i, (w, t) in enumerate(zip(s["words"], s["tags"])):
            if t == "O":
                as_o[(w,)] += 1
    gaz = {}
    for key, c in counts.items():
        typ, n = c.most_common(1)[0]
        if n > as_o.get(key, 0):  # keep only strings that are more often entities than not
            gaz[key] = typ
    maxlen = max(len(k) for k in gaz)
    preds = []
    for s in held:
        w, tags, i = s["words"], ["O"] * len(s["words"]), 0
        while i < len(w):
            for L in range(min(maxlen, len(w) - i), 0, -1):
                typ = gaz.get(tuple(w[i:i + L]))
                if typ:
                    tags[i] = "B-" + typ
                    for j in range(i + 1, i + L):
                        tags[j] = "I-" + typ
                    i += L
                    break
            else:
                i += 1
        preds.append(tags)
    res = score([s["tags"] for s in held], preds)
    res["baseline"] = "gazetteer of training-part entity strings (%d entries), longest match" % len(gaz)
    report(res, a.out)


if __name__ == "__main__":
    main()
