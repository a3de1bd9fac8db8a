#!/usr/bin/env python3
"""Checks that two builds of newsextract write the same outputs.

For changes that must not change behaviour (moves, renames, refactoring): the base revision's
binary and this tree's binary each process the sample drop (`seeds/`, also once with
`--no-entities --tokens --languages de,en,fr --summary-sentences 2`) and a 300-article drop
built from the texts under `tests/data/` (German, English, French, Spanish, Italian, Dutch and
short texts of other languages; news, scraped pages, broken inputs), and every output file
must be byte-identical once the parts that differ between any two runs are blanked out: the
per-stage timings in `articles.jsonl` (`stages.*.ms`), the dashboard's `generated` time, and
`run.json` (timings and paths only, so it is not compared).

    python3 scripts/same-output.py --base main~3          # builds the base in a worktree
    python3 scripts/same-output.py --base-bin /tmp/old-newsextract

The base revision is built in its own worktree (.deps/same-output/base-tree) and target folder
(.deps/same-output/target; cargo must not share a target folder between two checkouts of one
crate: it would take one tree's build for the other's); outputs go to .deps/same-output/out/.
The first build there is a cold release build (10-20 minutes on 2 cores); later ones are
incremental. Exit status 0 when every file matches, 1 otherwise
(the first differing line of each file is printed), 2 on a set-up error.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(REPO, ".deps", "same-output")
COMPARED = ["articles.jsonl", "claims.jsonl", "entities.jsonl", "errors.jsonl", "dashboard.html"]
DROP_SIZE = 300


def texts_under(folder, suffix):
    root = os.path.join(REPO, folder)
    for name in sorted(os.listdir(root)):
        if name.endswith(suffix):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                yield name[: -len(suffix)], f.read()


def make_drop(path):
    """A deterministic drop of DROP_SIZE articles in .txt and .jsonl files."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(os.path.join(path, "pages"))
    os.makedirs(os.path.join(path, "news"))
    count = 0

    # Whole articles as .txt files: the seeds, scraped pages, the claims texts.
    sources = [("seeds", ".txt"), ("tests/data/page/dev", ".txt"),
               ("tests/data/page/heldout", ".txt"), ("tests/data/page/seeds", ".txt"),
               ("tests/data/claims/dev-multilingual", ".txt")]
    for folder, suffix in sources:
        sub = "pages" if "page" in folder else "news"
        for name, text in texts_under(folder, suffix):
            target = os.path.join(path, sub, f"{os.path.basename(folder)}_{name}.txt")
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            count += 1

    # Annotated articles with their marks taken out (⟦Name|TAG⟧ -> Name).
    records = []
    sentences = []
    for folder in ("tests/data/entities/dev", "tests/data/entities/heldout"):
        for name, text in texts_under(folder, ".ann"):
            plain = re.sub(r"⟦([^|⟧]*)\|[A-Z]+⟧", r"\1", text)
            records.append({"id": f"ann/{name}", "text": plain})
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", plain) if len(s) > 30]

    # Short texts of many languages, half of them with a declared language.
    with open(os.path.join(REPO, "tests/data/language/short.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    for i, (lang, _, text) in enumerate(rows[::3]):
        record = {"id": f"short/{i:03}", "text": text}
        if i % 2:
            record["lang"] = lang
        records.append(record)

    # A few inputs that must fail or need decoding, so errors.jsonl has content.
    records.append({"id": "broken/empty", "text": ""})
    records.append({"id": "broken/markup", "text": "<html><body><p>Am <b>Montag</b> kamen "
                    "rund 1.200 Menschen.</p><script>x=1</script></body></html>"})
    with open(os.path.join(path, "news", "windows-1252.txt"), "wb") as f:
        f.write("Überschrift\nDie Stadt zahlt 3,5 Millionen Euro für die Brücke.\n"
                .encode("cp1252"))
    count += 1
    with open(os.path.join(path, "news", "not-json.jsonl"), "w", encoding="utf-8") as f:
        f.write('{"id": "ok/1", "text": "Ein Satz mit 12 Zahlen."}\n{"id": broken\n')
    count += 1

    # The rest: articles stitched from the annotated articles' sentences (deterministic).
    rng = random.Random(19)
    while count + len(records) < DROP_SIZE:
        n = len(records)
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 16)))
        records.append({"id": f"mix/{n:04}", "title": f"Meldung {n}", "text": body})
    with open(os.path.join(path, "news", "drop.jsonl"), "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def normalise(name, data):
    text = data.decode("utf-8")
    if name == "articles.jsonl":
        text = re.sub(r'("ms":)[0-9.eE+-]+', r"\g<1>0", text)
    if name == "dashboard.html":
        text = re.sub(r'"generated":"[^"]*"', '"generated":""', text)
    return text


def build_base(rev):
    worktree = os.path.join(WORK, "base-tree")
    sha = subprocess.run(["git", "rev-parse", "--verify", rev + "^{commit}"], cwd=REPO,
                         capture_output=True, text=True)
    if sha.returncode != 0:
        sys.exit(f"same-output: no commit named {rev!r}")
    sha = sha.stdout.strip()
    if not is_worktree(worktree):
        if os.path.exists(worktree):
            shutil.rmtree(worktree)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True)
        subprocess.run(["git", "worktree", "add", "--detach", worktree, sha], cwd=REPO,
                       check=True)
    else:
        subprocess.run(["git", "checkout", "--quiet", "--detach", sha], cwd=worktree, check=True)
    env = dict(os.environ, LIBTORCH=os.path.join(REPO, ".deps", "libtorch"),
               CARGO_TARGET_DIR=os.path.join(WORK, "target"))
    print(f"same-output: building {rev} ({sha[:10]}) in {worktree}", flush=True)
    subprocess.run(["cargo", "build", "--release", "--bin", "newsextract"], cwd=worktree,
                   env=env, check=True)
    return os.path.join(WORK, "target", "release", "newsextract")


def is_worktree(path):
    """Whether `path` is the top of a checkout of its own (never a folder inside this one: a
    checkout there would move this tree's HEAD)."""
    if not os.path.isdir(path):
        return False
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path,
                         capture_output=True, text=True)
    return top.returncode == 0 and os.path.realpath(top.stdout.strip()) == os.path.realpath(path)


def build_head():
    subprocess.run(["cargo", "build", "--release", "--bin", "newsextract"], cwd=REPO, check=True)
    return os.path.join(REPO, "target", "release", "newsextract")


def run(binary, drop, out, extra):
    if os.path.isdir(out):
        shutil.rmtree(out)
    # Run from the repository so both binaries find the same ./models.
    result = subprocess.run([binary, "run", "--quiet", "--threads", "2", "--input", drop,
                             "--output", out] + extra, cwd=REPO)
    if result.returncode not in (0, 1):
        sys.exit(f"same-output: {binary} exited with {result.returncode} on {drop}")
    return result.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    base = parser.add_mutually_exclusive_group(required=True)
    base.add_argument("--base", help="revision to compare with (built in a worktree)")
    base.add_argument("--base-bin", help="an already built newsextract binary to compare with")
    parser.add_argument("--head-bin", help="the binary to check (default: build this tree)")
    args = parser.parse_args()

    os.makedirs(WORK, exist_ok=True)
    base_bin = args.base_bin or build_base(args.base)
    head_bin = args.head_bin or build_head()
    drop = os.path.join(WORK, "drop-300")
    make_drop(drop)

    same = True
    seeds = os.path.join(REPO, "seeds")
    # The default run on both drops, and the seeds once more with the options that change
    # the fingerprint or the record's shape.
    other_options = ["--no-entities", "--tokens", "--languages", "de,en,fr",
                     "--summary-sentences", "2"]
    for label, inputs, extra in (("seeds", seeds, []), ("drop-300", drop, []),
                                 ("seeds-options", seeds, other_options)):
        codes = {}
        for side, binary in (("base", base_bin), ("head", head_bin)):
            codes[side] = run(binary, inputs, os.path.join(WORK, "out", side, label), extra)
        if codes["base"] != codes["head"]:
            print(f"{label}: exit status {codes['base']} (base) vs {codes['head']} (head)")
            same = False
        for name in COMPARED:
            files = [os.path.join(WORK, "out", side, label, name) for side in ("base", "head")]
            contents = []
            for file in files:
                with open(file, "rb") as f:
                    contents.append(normalise(name, f.read()))
            if contents[0] == contents[1]:
                lines = contents[0].count("\n")
                print(f"{label}/{name}: identical ({len(contents[0])} chars, {lines} lines)")
                continue
            same = False
            a, b = (c.split("\n") for c in contents)
            line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(f"{label}/{name}: DIFFERENT from line {line + 1}")
            for side, lines in (("base", a), ("head", b)):
                print(f"  {side}: {lines[line][:300] if line < len(lines) else '<end>'}")
    print("same-output: all identical" if same else "same-output: outputs differ")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
