#!/usr/bin/env python3
"""Read the NER data beyond GermEval's dev+test part and fix its splits:

- GermEval 2014's own training split (`NER-de-train.tsv`, 24,000 sentences): all training,
  mapped like dev+test (`prepare_data.map_tag`, outer column only).
- SmartData (news sites, RSS, traffic reports, tweets; published train split only: its test
  split is a public benchmark's test split and is never read) and Europeana Newspapers (OCRed
  historical newspapers): cut into blocks of BLOCK consecutive sentences (so the sentences of
  one document mostly stay together); block k goes to `heldout` when k % 8 == 3, to
  `val` (for choices) when k % 8 == 6, else to `train`. A held-out or validation sentence whose
  lower-cased word sequence also occurs in any training sentence (any set) is dropped, as are
  repeats inside a part (agency footers and traffic boilerplate repeat).

Neither extra set annotates MISC (`ner-extra/README.md`): their sentences carry
`"misc_known": false`, and `train.py` treats their `O` as "O or MISC" in the loss; scoring on
them (`nerdata.score(..., labels=PER/ORG/LOC)`) leaves MISC out on both sides.

Reads GermEval's training split from the repository's `tests/data/germeval2014` if it holds
`NER-de-train.tsv` (it does not: dev and test only), else from `../shared/data/germeval2014`;
the extra sets from `../shared/data/ner-extra` (`--germeval`, `--extra` point elsewhere).
Writes `<out>/germeval_train.jsonl`, `<out>/<set>_{train,val,heldout}.jsonl` and the record of
the split, `training/split-extra.json` (committed: counts, rule, dropped indices).
"""
import argparse
import hashlib
import json
import os

from prepare_data import default_germeval, detok, map_tag, read_tsv, repair

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BLOCK = 100
EXTRA = {
    "smartdata": "smartdata/smartdata.train.jsonl",
    "europeana": "europeana_de/europeana_de.jsonl",
}


def part_of(index):
    k = (index // BLOCK) % 8
    return "heldout" if k == 3 else "val" if k == 6 else "train"


def record(words, tags, set_name, idx, misc_known):
    text, starts = detok(words)
    h = hashlib.sha1("\x1f".join(words).encode("utf-8")).hexdigest()
    return {"set": set_name, "idx": idx, "sha1": h, "words": words, "tags": tags, "text": text,
            "starts": starts, "misc_known": misc_known}


def key(words):
    return "\x1f".join(w.lower() for w in words)


def write(path, sents):
    with open(path, "w", encoding="utf-8") as f:
        for s in sents:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")


def main():
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--germeval", default=default_germeval(["NER-de-train.tsv"]),
                    help="folder with GermEval's NER-de-train.tsv (default: the repository's "
                         "tests/data/germeval2014 if it has that file; it holds only dev and test, so "
                         "../shared/data/germeval2014 beside the repository; now: %(default)s)")
    ap.add_argument("--extra", default=os.path.join(shared, "ner-extra"),
                    help="folder with smartdata/ and europeana_de/ (not in the repository; "
                         "default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(ROOT, ".deps", "ner-cache"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    heldout = [json.loads(l) for l in open(os.path.join(a.out, "heldout.jsonl"), encoding="utf-8")]
    dev_train = [json.loads(l) for l in open(os.path.join(a.out, "train.jsonl"), encoding="utf-8")]
    heldout_keys = {key(s["words"]) for s in heldout}

    germeval = []
    dropped_germeval = []
    for i, (_, toks) in enumerate(read_tsv(os.path.join(a.germeval, "NER-de-train.tsv"))):
        words = [t for t, _ in toks]
        if key(words) in heldout_keys:
            dropped_germeval.append(i)
            continue
        tags = repair([map_tag(g) for _, g in toks])
        germeval.append(record(words, tags, "germeval-train", i, True))
    write(os.path.join(a.out, "germeval_train.jsonl"), germeval)

    parts = {}
    for name, rel in EXTRA.items():
        rows = [json.loads(l) for l in open(os.path.join(a.extra, rel), encoding="utf-8")]
        for i, r in enumerate(rows):
            parts.setdefault((name, part_of(i)), []).append(record(r["words"], r["tags"], name, i, False))

    train_keys = {key(s["words"]) for s in germeval + dev_train}
    for (name, part), sents in parts.items():
        if part == "train":
            train_keys |= {key(s["words"]) for s in sents}
    split = {"rule": "blocks of %d consecutive sentences; block k: heldout if k %% 8 == 3, val if "
                     "k %% 8 == 6, else train; held-out and validation sentences whose lower-cased "
                     "words occur in any training sentence, and repeats within a part, dropped" % BLOCK,
             "germeval_train": {"sentences": len(germeval), "dropped_as_heldout_duplicates": dropped_germeval},
             "sets": {}}
    for (name, part), sents in sorted(parts.items()):
        kept, dropped, seen = [], [], set()
        for s in sents:
            k = key(s["words"])
            if part != "train" and (k in train_keys or k in seen):
                dropped.append(s["idx"])
                continue
            seen.add(k)
            kept.append(s)
        write(os.path.join(a.out, "%s_%s.jsonl" % (name, part)), kept)
        split["sets"].setdefault(name, {})[part] = {"sentences": len(kept), "dropped": dropped}
        print(name, part, len(kept), "kept,", len(dropped), "dropped")
    print("germeval train split:", len(germeval), "sentences,", len(dropped_germeval), "dropped")
    with open(os.path.join(HERE, "split-extra.json"), "w", encoding="utf-8") as f:
        json.dump(split, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
