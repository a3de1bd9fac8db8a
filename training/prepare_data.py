#!/usr/bin/env python3
"""Read GermEval 2014 (dev+test TSV), map labels to PER/ORG/LOC/MISC (IOB2), rebuild a
plain-text form of each sentence (so training sees the same tokenisation as raw text at
run time), and fix the held-out evaluation split.

Label mapping (per data README): outer column only; OTH and every *deriv -> MISC;
*part -> O; stray I- tags after mapping are repaired to B-.

Split: all sentences, de-duplicated by token sequence, shuffled with a fixed seed; the
first N_HELDOUT form the held-out evaluation part, the rest are training data. Any
training sentence whose token sequence equals a held-out one is dropped (there are none
after de-duplication, but the check stays). The split is written to
``training/split.tsv`` (committed): file, sentence index, sha1 of the tokens, part.

Data (``--data``): by default the repository's own copy ``tests/data/germeval2014`` (found
from this file, so any working directory will do), which holds dev and test; only when it
lacks one of them, ``../shared/data/germeval2014`` beside the repository.

Pure standard library; output JSONL goes to the cache directory.
"""
import argparse
import hashlib
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)  # the repository
FILES = ["NER-de-dev.tsv", "NER-de-test.tsv"]
# GermEval 2014: the repository's copy (dev + test only), else the shared one beside the repository.
REPO_GERMEVAL = os.path.join(ROOT, "tests", "data", "germeval2014")
SHARED_GERMEVAL = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "germeval2014"))
N_HELDOUT = 1500
SEED = 20140


def default_germeval(files):
    """The GermEval folder to read `files` from when none is given: the repository's copy
    (tests/data/germeval2014) when it holds all of them, else ../shared/data/germeval2014."""
    if all(os.path.isfile(os.path.join(REPO_GERMEVAL, f)) for f in files):
        return REPO_GERMEVAL
    return SHARED_GERMEVAL


def map_tag(tag):
    if tag == "O":
        return "O"
    bio, typ = tag.split("-", 1)
    if typ.endswith("part"):
        return "O"
    if typ.endswith("deriv"):
        typ = "MISC"
    if typ == "OTH":
        typ = "MISC"
    assert typ in ("PER", "ORG", "LOC", "MISC"), tag
    return bio + "-" + typ


def repair(tags):
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def read_tsv(path):
    sents, cur, src = [], [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#\t") or line.startswith("# "):
                src = line[2:]
                continue
            if not line.strip():
                if cur:
                    sents.append((src, cur))
                cur = []
                continue
            cols = line.split("\t")
            cur.append((cols[1], cols[2]))
    if cur:
        sents.append((src, cur))
    return sents


NO_SPACE_BEFORE = set(",.;:!?)]}%»“'") | {"...", "''", "'s"}
NO_SPACE_AFTER = set("([{„«")


def detok(words):
    """Join tokens into plausible raw text; return text and each word's char start."""
    text, starts = "", []
    quote_open = False
    prev = None
    for w in words:
        space = bool(text)
        if w in NO_SPACE_BEFORE:
            space = False
        if prev is not None and prev in NO_SPACE_AFTER:
            space = False
        if w == '"':
            if quote_open:
                space = False  # closing quote attaches to the left
            quote_open = not quote_open
        if prev == '"' and quote_open:
            space = False  # text right after an opening quote
        if space:
            text += " "
        starts.append(len(text))
        text += w
        prev = w
    return text, starts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=default_germeval(FILES),
                    help="folder with NER-de-dev.tsv and NER-de-test.tsv (default: the repository's "
                         "tests/data/germeval2014, which has both; ../shared/data/germeval2014 beside "
                         "the repository only when a file is missing there; now: %(default)s)")
    ap.add_argument("--out", default=os.path.join(HERE, "..", ".deps", "ner-cache"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    allsents = []
    for fn in FILES:
        for i, (src, toks) in enumerate(read_tsv(os.path.join(args.data, fn))):
            words = [t for t, _ in toks]
            tags = repair([map_tag(g) for _, g in toks])
            h = hashlib.sha1("\x1f".join(words).encode("utf-8")).hexdigest()
            allsents.append({"file": fn, "idx": i, "sha1": h, "words": words, "tags": tags})
    seen, uniq = set(), []
    for s in allsents:
        if s["sha1"] in seen:
            continue
        seen.add(s["sha1"])
        uniq.append(s)
    order = list(range(len(uniq)))
    random.Random(SEED).shuffle(order)
    held = set(order[:N_HELDOUT])
    held_hashes = {uniq[i]["sha1"] for i in held}
    parts = {"heldout": [], "train": []}
    for i, s in enumerate(uniq):
        part = "heldout" if i in held else "train"
        if part == "train" and s["sha1"] in held_hashes:
            continue
        text, starts = detok(s["words"])
        s.update(text=text, starts=starts, part=part)
        parts[part].append(s)
    with open(os.path.join(HERE, "split.tsv"), "w", encoding="utf-8") as f:
        f.write("# GermEval 2014 split for newsextract NER (seed %d, %d held out)\n" % (SEED, N_HELDOUT))
        f.write("file\tsentence_index\tsha1_of_tokens\tpart\n")
        for s in allsents:
            part = "heldout" if s["sha1"] in held_hashes else "train"
            f.write("%s\t%d\t%s\t%s\n" % (s["file"], s["idx"], s["sha1"], part))
    for part, ss in parts.items():
        with open(os.path.join(args.out, part + ".jsonl"), "w", encoding="utf-8") as f:
            for s in ss:
                f.write(json.dumps(s, ensure_ascii=False) + "\n")
    print("sentences: %d read, %d unique, train %d, held-out %d"
          % (len(allsents), len(uniq), len(parts["train"]), len(parts["heldout"])))


if __name__ == "__main__":
    main()
