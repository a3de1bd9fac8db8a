#!/usr/bin/env python3
"""Put two `evaluate.py --views` results (old model, new model; same part, same views) side
by side: one JSON with both and the F1 differences, and a Markdown table on stdout."""
import argparse
import json

TYPES = ("PER", "ORG", "LOC", "MISC", "micro")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--old-name", default="old")
    ap.add_argument("--new-name", default="new")
    ap.add_argument("--note", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    old, new = json.load(open(a.old)), json.load(open(a.new))
    assert old["part"] == new["part"] and old["sentences"] == new["sentences"]
    assert list(old["views"]) == list(new["views"])
    out = {"note": a.note, "part": old["part"], "sentences": old["sentences"], "decoding": new["decoding"],
           "models": {a.old_name: old["model"], a.new_name: new["model"]},
           "views": {}}
    rows = ["| view | type | %s P | %s R | %s F1 | %s P | %s R | %s F1 | F1 change | support |"
            % ((a.old_name,) * 3 + (a.new_name,) * 3),
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for v in old["views"]:
        o, n = old["views"][v], new["views"][v]
        out["views"][v] = {a.old_name: o, a.new_name: n,
                           "f1_change": {t: round(n[t]["f1"] - o[t]["f1"], 4) for t in TYPES}}
        for t in TYPES:
            rows.append("| %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %+.4f | %d |" % (
                v, t, o[t]["precision"], o[t]["recall"], o[t]["f1"],
                n[t]["precision"], n[t]["recall"], n[t]["f1"], n[t]["f1"] - o[t]["f1"], n[t]["support"]))
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
