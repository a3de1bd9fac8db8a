#!/usr/bin/env python3
"""jusText as the peer of the page step (issue #18): line-level boilerplate precision/recall.

    .deps/justext-venv/bin/python benches/peers/justext_lines.py \
        [--gold-dir tests/data/page/dev] [--text-dir DIR] [--json OUT.json]

Every non-empty line of a page becomes one `<p>` of a minimal HTML document, so jusText's
paragraphs are the lines; the script checks that they map one to one. A line counts as
boilerplate when jusText's final class is not `good` (its `is_boilerplate`).

Scoring: positives are the gold boilerplate lines. A partial-line gold entry (with `text`)
marks furniture glued to article text, mostly the headline, so that line counts as article.
Empty lines are scored by neither side. Runs: jusText's defaults with the page's stoplist,
and its documented language-independent mode (empty stoplist, both stopword thresholds 0).
jusText documents no stopword setting for short paragraphs: below `length_low` (70 chars) it
does not look at stopwords, and short lines take their class from their neighbours.
"""
import argparse
import html
import json
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import justext
from justext.utils import normalize_whitespace

STOPLISTS = {"de": "German", "en": "English"}
RUNS = {
    "default": "jusText defaults, stoplist of the page's language",
    "lang_independent": "language-independent mode: empty stoplist, stopwords_low = stopwords_high = 0",
}


def page_lines(path):
    # Split on "\n" only: the gold counts lines as the file's newlines do, and str.splitlines
    # would also split at U+2028, form feeds and the like.
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def classify(lines, lang, run):
    """1-based line number -> True when jusText calls the line boilerplate."""
    numbered = [(i, line) for i, line in enumerate(lines, 1) if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for _, line in numbered)
    doc = f'<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>'
    if run == "default":
        paragraphs = justext.justext(doc, justext.get_stoplist(STOPLISTS[lang]))
    else:
        paragraphs = justext.justext(doc, frozenset(), stopwords_low=0, stopwords_high=0)
    texts = [p.text for p in paragraphs]
    expected = [normalize_whitespace(line.strip()) for _, line in numbered]
    if texts != expected:
        sys.exit(f"paragraphs do not map one to one to lines ({len(texts)} vs {len(expected)})")
    return {i: p.is_boilerplate for (i, _), p in zip(numbered, paragraphs)}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = None if p is None or r is None else 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def evaluate(pages, run):
    pages_out, kinds, kinds_hit, partial = [], Counter(), Counter(), []
    tot = Counter()
    titles_marked = []
    for name, lines, gold in pages:
        pred = classify(lines, gold["lang"], run)
        whole = {b["line"]: b["kind"] for b in gold["boilerplate"] if "text" not in b}
        c = Counter()
        for i, bp in pred.items():
            c["tp" if bp and i in whole else "fp" if bp else "fn" if i in whole else "tn"] += 1
        for i, kind in whole.items():
            kinds[kind] += 1
            kinds_hit[kind] += pred[i]
        for b in gold["boilerplate"]:
            if "text" in b:
                partial.append({"page": name, "line": b["line"], "kind": b["kind"],
                                "marked": pred[b["line"]], "title_line": b["line"] == gold["title_line"]})
        title_bp = pred[gold["title_line"]]
        if title_bp:
            titles_marked.append(name)
        tot.update(c)
        pages_out.append({"page": name, "lang": gold["lang"], "lines": len(pred),
                          "gold_boilerplate": len(whole), "marked": c["tp"] + c["fp"],
                          **prf(c["tp"], c["fp"], c["fn"]), "title_marked": title_bp,
                          "marked_lines": sorted(i for i, bp in pred.items() if bp)})
    return {
        "description": RUNS[run],
        "overall": {"lines": sum(tot.values()), **prf(tot["tp"], tot["fp"], tot["fn"])},
        "recall_by_kind": {k: {"lines": kinds[k], "marked": kinds_hit[k], "recall": kinds_hit[k] / kinds[k]}
                           for k in sorted(kinds)},
        "title_lines_marked": {"count": len(titles_marked), "of": len(pages), "pages": titles_marked},
        "partial_lines": partial,
        "pages": pages_out,
    }


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}"


def markdown(result):
    runs = result["runs"]
    out = [f"jusText {result['justext_version']} (lxml {result['lxml_version']}), "
           f"{result['pages']} pages, one `<p>` per non-empty line", ""]
    out += ["| run | lines | marked | TP | FP | FN | precision | recall | F1 | title lines marked |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run, r in runs.items():
        o = r["overall"]
        out.append(f"| {run} | {o['lines']} | {o['tp'] + o['fp']} | {o['tp']} | {o['fp']} | {o['fn']} | "
                   f"{pct(o['precision'])} | {pct(o['recall'])} | {pct(o['f1'])} | "
                   f"{r['title_lines_marked']['count']}/{r['title_lines_marked']['of']} |")
    out += ["", "Recall by gold kind (lines jusText marks as boilerplate / gold lines of the kind):", "",
            "| kind | " + " | ".join(runs) + " |", "| --- |" + " ---: |" * len(runs)]
    for kind in runs["default"]["recall_by_kind"]:
        cells = [f"{k['marked']}/{k['lines']} ({pct(k['recall'])})"
                 for k in (r["recall_by_kind"][kind] for r in runs.values())]
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out += ["", "Per page (P / R / F1; – where undefined):", "",
            "| page | lang | lines | gold | " + " | ".join(f"{run} marked | {run} P / R / F1" for run in runs)
            + f" | title marked ({'/'.join(runs)}) |",
            "| --- | --- | ---: | ---: |" + " ---: | --- |" * len(runs) + " --- |"]
    for rows in zip(*(r["pages"] for r in runs.values())):
        p0 = rows[0]
        cells = [f"{p['marked']} | {pct(p['precision'])} / {pct(p['recall'])} / {pct(p['f1'])}" for p in rows]
        titles = "/".join("yes" if p["title_marked"] else "no" for p in rows)
        out.append(f"| {p0['page']} | {p0['lang']} | {p0['lines']} | {p0['gold_boilerplate']} | "
                   + " | ".join(cells) + f" | {titles} |")
    out += ["", "Partial-line gold entries (scored as article lines):", "",
            "| page | line | kind | title line | " + " | ".join(f"{run} marked" for run in runs) + " |",
            "| --- | ---: | --- | --- |" + " --- |" * len(runs)]
    for rows in zip(*(r["partial_lines"] for r in runs.values())):
        q = rows[0]
        out.append(f"| {q['page']} | {q['line']} | {q['kind']} | {'yes' if q['title_line'] else 'no'} | "
                   + " | ".join("yes" if x["marked"] else "no" for x in rows) + " |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold-dir", type=Path, default=Path("tests/data/page/dev"))
    ap.add_argument("--text-dir", type=Path, help="folder of the .txt pages (default: --gold-dir)")
    ap.add_argument("--json", type=Path, help="write the figures and per-line decisions here")
    a = ap.parse_args()
    text_dir = a.text_dir or a.gold_dir
    pages = []
    for g in sorted(a.gold_dir.glob("*.gold.json")):
        name = g.name.removesuffix(".gold.json")
        pages.append((name, page_lines(text_dir / f"{name}.txt"), json.loads(g.read_text(encoding="utf-8"))))
    if not pages:
        sys.exit(f"no *.gold.json in {a.gold_dir}")
    result = {
        "tool": "jusText",
        "justext_version": version("jusText"),
        "lxml_version": version("lxml"),
        "gold_dir": str(a.gold_dir),
        "pages": len(pages),
        "parameters": {
            "length_low": justext.core.LENGTH_LOW_DEFAULT, "length_high": justext.core.LENGTH_HIGH_DEFAULT,
            "stopwords_low": justext.core.STOPWORDS_LOW_DEFAULT,
            "stopwords_high": justext.core.STOPWORDS_HIGH_DEFAULT,
            "max_link_density": justext.core.MAX_LINK_DENSITY_DEFAULT,
            "max_heading_distance": justext.core.MAX_HEADING_DISTANCE_DEFAULT,
            "no_headings": justext.core.NO_HEADINGS_DEFAULT, "stoplists": STOPLISTS,
        },
        "scoring": "positives = gold boilerplate lines; a partial-line entry (with `text`) counts its "
                   "line as article; empty lines not scored; boilerplate = final class not `good`",
        "runs": {run: evaluate(pages, run) for run in RUNS},
    }
    print(markdown(result))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
