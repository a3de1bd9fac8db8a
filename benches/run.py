#!/usr/bin/env python3
"""newsextract against its peers, side by side on the same machine, data and thread count.

    python benches/run.py --quick            # `make bench-quick`: a reduced set, < 3 minutes
    python benches/run.py --write BENCHMARKS.md   # `make bench`: the full set and the table

Needs `make bench-setup` first (the peers' venv in .deps/bench-venv and the random-weight
models in .deps/bench/models, built by benches/peers/make_models.py) and the release build
(`target/release/newsextract`, `target/release/examples/bench_stages`). Every figure comes
from processes this script starts one after the other, so no two measurements share the
cores; the peers run in the venv's Python, newsextract's stages in bench_stages (the same
library code as `newsextract run`). Prints `ratio <name>: <newsextract throughput / peer
throughput>` per comparison.
"""
import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".deps", "bench")
MODELS = os.path.join(WORK, "models")
VENV_PY = os.path.join(ROOT, ".deps", "bench-venv", "bin", "python")
NEWSEXTRACT = os.path.join(ROOT, "target", "release", "newsextract")
STAGES = os.path.join(ROOT, "target", "release", "examples", "bench_stages")
DEFAULT_NER = os.path.join(ROOT, "models", "ner-de-e5small")
GERMEVAL = os.path.join(ROOT, "tests", "data", "germeval2014", "NER-de-dev.tsv")


def run_child(cmd, env=None):
    """Runs a command; returns (stdout, wall seconds, peak RSS in MB of that process)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = b"", b""
    # wait4 gives this child's own peak RSS (getrusage(RUSAGE_CHILDREN) is the max of all).
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read()
    err = proc.stderr.read()
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({code}):\n{err.decode(errors='replace')}")
    return out.decode(), wall, usage.ru_maxrss / 1024


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.startswith("{")]


def seeds_sentences():
    """The seed articles' sentences as newsextract segments them (one per line)."""
    out = os.path.join(WORK, "seeds-segmented")
    run_child([NEWSEXTRACT, "run", "--input", os.path.join(ROOT, "seeds"), "--output", out,
               "--no-entities", "--quiet"])
    sentences = []
    with open(os.path.join(out, "articles.jsonl"), encoding="utf-8") as f:
        for line in f:
            for s in json.loads(line)["sentences"]:
                text = " ".join(s["text"].split())
                if len(text.split()) >= 3:
                    sentences.append(text)
    return sentences


def germeval_sentences(n):
    sentences, words = [], []
    with open(GERMEVAL, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if words:
                    sentences.append(" ".join(words))
                    words = []
                    if len(sentences) == n:
                        break
            elif not line.startswith("#"):
                words.append(line.split("\t")[1])
    return sentences


def write_lines(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def words(lines):
    return sum(len(l.split()) for l in lines)


def make_drop(n, sentences, seed=7):
    """n articles of 12-30 sentences each, drawn from `sentences` (deterministic)."""
    path = os.path.join(WORK, "drops", str(n))
    stamp = os.path.join(path, ".complete")
    if os.path.exists(stamp):
        return path
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    rng = random.Random(seed)
    for i in range(n):
        body = rng.sample(sentences, rng.randint(12, 30))
        paragraphs = [" ".join(body[j : j + 4]) for j in range(0, len(body), 4)]
        with open(os.path.join(path, f"a{i:05}.txt"), "w", encoding="utf-8") as f:
            f.write(f"Artikel {i}\n\n" + "\n\n".join(paragraphs) + "\n")
    open(stamp, "w").close()
    return path


def drop_words(path):
    total = 0
    for name in os.listdir(path):
        if name.endswith(".txt"):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                total += len(f.read().split())
    return total


class Results:
    def __init__(self):
        self.ratios = []
        self.rows = []

    def ratio(self, name, ours, peer, unit, note=""):
        r = ours / peer
        self.ratios.append((name, r))
        self.rows.append((name, ours, peer, unit, r, note))
        print(f"ratio {name}: {r:.2f}", flush=True)


def ner_peer(threads, sentences_file, model, dtype="float32"):
    out, _, _ = run_child([VENV_PY, os.path.join(ROOT, "benches", "peers",
                           "ner_transformers.py"), "--model", model, "--sentences",
                           sentences_file, "--threads", str(threads), "--dtype", dtype])
    return json_lines(out)[-1]


def ner_ours(res, name, sentences_file, n_sentences, model, workers, intra, precision):
    out, _, rss = run_child([STAGES, "ner", "--model", model, "--sentences", sentences_file,
                             "--workers", str(workers), "--intra-op-threads", str(intra),
                             "--precision", precision])
    ours = json_lines(out)[-1]
    print(f"  {name}: newsextract {precision} {workers} model(s) x {intra} thread(s): "
          f"{n_sentences / ours['seconds']:.1f} sentences/s, {ours['entities']} entities",
          flush=True)
    res.rows.append((f"{name}: {precision}, {workers} model(s) x {intra} thread(s)",
                     n_sentences / ours["seconds"], None, "sentences/s", None,
                     f"peak RSS {rss:.0f} MB (model load included)"))
    return ours


def ner(res, threads, sentences_file, n_sentences, model, name, arrangements, bf16):
    """Each arrangement in f32 and int8 (and in bf16 when the CPU has bf16 units), against the
    peer: f32 against f32, bf16 against bf16 and against the peer's f32 default, int8 (which
    has no transformers counterpart that keeps the F1) against the peer's f32."""
    formats = ["f32", "int8"] + (["bf16"] if bf16 else [])
    peer_f32 = None
    for precision in formats:
        dtype = "bfloat16" if precision == "bf16" else "float32"
        peer = peer_f32 if precision == "int8" else ner_peer(threads, sentences_file, model, dtype)
        if precision == "f32":
            peer_f32 = peer
        best = None
        for workers, intra in arrangements:
            ours = ner_ours(res, name, sentences_file, n_sentences, model, workers, intra,
                            precision)
            if best is None:
                best = ours
        if precision != "int8":
            by_bs = ", ".join(f"{bs}: {n_sentences / s:.1f}" for bs, s in
                              peer["seconds_by_batch_size"].items())
            print(f"  {name}: transformers {dtype} sentences/s by batch size {by_bs}; "
                  f"{peer['entities']} entities", flush=True)
        if precision == "f32":
            pairs = [(peer, name)]
        elif precision == "bf16":
            pairs = [(peer, f"{name}_bf16_vs_bf16"), (peer_f32, f"{name}_bf16_vs_f32")]
        else:
            # ner_vs_transformers -> ner_int8_vs_transformers_f32
            pairs = [(peer_f32, name.replace("ner_", "ner_int8_", 1) + "_f32")]
        for against, label in pairs:
            res.ratio(label, n_sentences / best["seconds"], n_sentences / against["seconds"],
                      "sentences/s",
                      f"{precision} {best['workers']} model(s) x {best['intra_op_threads']} "
                      f"thread(s) vs torch {against['torch']} {against['dtype']} {threads} "
                      f"threads, best batch size {against['best_batch_size']}; entities "
                      f"{best['entities']} vs {against['entities']}")


def busy_arrangements(res, threads, sentences_file, n_sentences, arrangements):
    """The NER arrangements again while another process keeps one core busy: the machine
    newsextract shares with other jobs. Rows only, no ratio."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        for workers, intra in arrangements:
            out, _, _ = run_child([STAGES, "ner", "--model", DEFAULT_NER, "--sentences",
                                   sentences_file, "--workers", str(workers),
                                   "--intra-op-threads", str(intra)])
            ours = json_lines(out)[-1]
            rate = n_sentences / ours["seconds"]
            res.rows.append((f"ner, one core busy: {workers} model(s) x {intra} thread(s)",
                             rate, None, "sentences/s", None,
                             "default model; another process spins on one core"))
            print(f"  one core busy: {workers} model(s) x {intra} thread(s): {rate:.1f} "
                  f"sentences/s", flush=True)
    finally:
        hog.kill()
        hog.wait()


def translate(res, threads, sentences_file, n, beam, length, bf16):
    """newsextract's translation pool (one model per core, the default) and one model on all
    cores, in f32 and, where the CPU has bf16 units, bf16; against transformers in both
    formats and CTranslate2."""
    models = os.path.join(MODELS, "marian-de-en")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    ours = {}

    def run_ours(model_dir, engine, unit, precisions, key):
        """Rows for newsextract on `model_dir` in each precision, the pool (one worker per
        core, the default) and one worker on all cores; the pool is the one compared."""
        for precision in precisions:
            for workers in sorted({threads, 1}, reverse=True):
                out, _, rss = run_child([STAGES, "translate", "--model", model_dir,
                                         "--sentences", sentences_file, "--beam", str(beam),
                                         "--length", str(length), "--workers", str(workers),
                                         "--precision", precision], env=env)
                r = json_lines(out)[-1]
                arrangement = f"{r['workers']} {unit}(s) x {r['threads']} thread(s)"
                label = f"{engine}{precision}, {arrangement}"
                print(f"  translate newsextract {label}: {n / r['seconds']:.2f} sentences/s",
                      flush=True)
                res.rows.append((f"translate: {label}", n / r["seconds"], None, "sentences/s",
                                 None, f"peak RSS {rss:.0f} MB (model load included)"))
                ours.setdefault(key(precision), (r, arrangement))

    run_ours(os.path.join(models, "rust"), "", "model",
             ["f32", "bf16"] if bf16 else ["f32"], lambda p: p)
    # newsextract's CTranslate2 backend on the same random weights, converted by
    # `newsextract models convert` (f32 weights; int8 or bf16 chosen at load time).
    ct2_dir = os.path.join(models, "newsextract-ct2")
    if not os.path.isfile(os.path.join(ct2_dir, "model.bin")):
        shutil.rmtree(ct2_dir, ignore_errors=True)
        run_child([NEWSEXTRACT, "models", "convert", os.path.join(models, "rust"), ct2_dir])
    # CTranslate2's CPU backend decides on its own whether it has a bf16 path (4.8 has none
    # even on CPUs with AMX); ask it, as newsextract's `auto` does.
    ct2_bf16 = "bfloat16" in subprocess.run(
        [VENV_PY, "-c", "import ctranslate2; print(ctranslate2.get_supported_compute_types('cpu'))"],
        capture_output=True, text=True, check=True).stdout
    run_ours(ct2_dir, "ctranslate2 ", "CTranslate2 worker",
             ["int8", "bf16"] if ct2_bf16 else ["int8"], lambda p: f"ct2-{p}")
    engines = "transformers,ct2-float32,ct2-int8" + (",transformers-bf16" if bf16 else "")
    out, _, _ = run_child([VENV_PY, os.path.join(ROOT, "benches", "peers", "translate_peers.py"),
                           "--models", models, "--sentences", sentences_file, "--threads",
                           str(threads), "--beam", str(beam), "--length", str(length),
                           "--engines", engines])
    peers = {p["engine"]: p for p in json_lines(out)}
    for peer in peers.values():
        if abs(peer["mean_output_tokens"] - length) > 1e-9:
            sys.exit(f"bench: {peer['engine']} made {peer['mean_output_tokens']} tokens, "
                     f"not {length}")
    comparisons = [("f32", "transformers", "translate_vs_transformers"),
                   ("f32", "ct2-float32", "translate_vs_ct2_float32"),
                   ("f32", "ct2-int8", "translate_vs_ct2_int8"),
                   ("ct2-int8", "ct2-int8", "translate_int8_vs_ct2_int8")]
    if bf16:
        comparisons += [("bf16", "transformers-bf16", "translate_bf16_vs_transformers_bf16"),
                        ("bf16", "transformers", "translate_bf16_vs_transformers_f32"),
                        ("bf16", "ct2-int8", "translate_bf16_vs_ct2_int8")]
    if "ct2-bf16" in ours:
        comparisons += [("ct2-bf16", "ct2-int8", "translate_ct2_bf16_vs_ct2_int8")]
    for precision, engine, name in comparisons:
        r, arrangement = ours[precision]
        peer = peers[engine]
        res.ratio(name, n / r["seconds"], n / peer["seconds"], "sentences/s",
                  f"beam {beam}, {length} output tokens; {precision} {arrangement} vs "
                  f"{engine} ({peer['version']}) {threads} threads")


def rules(res):
    out, _, _ = run_child([STAGES, "rules", "--seeds", os.path.join(ROOT, "seeds")])
    r = json_lines(out)[-1]
    for stage in ("segment", "claims"):
        v = r[f"{stage}_mb_per_s"]
        res.rows.append((stage, v, None, "MB/s per core", None,
                         f"{r['megabytes']:.1f} MB of seed text, one thread"))
        print(f"  {stage}: {v:.2f} MB/s per core", flush=True)


def pipeline(res, name, drop, threads, extra=()):
    out_dir = os.path.join(WORK, "out", name)
    shutil.rmtree(out_dir, ignore_errors=True)
    _, wall, rss = run_child([NEWSEXTRACT, "run", "--input", drop, "--output", out_dir,
                              "--quiet", "--threads", str(threads), *extra])
    w = drop_words(drop)
    report = json.load(open(os.path.join(out_dir, "run.json")))
    articles = report["articles"]["processed"]
    processing = report["seconds"]
    res.rows.append((f"pipeline {name}", w / wall, None, "words/s", None,
                     f"{articles} articles, {w} words, {wall:.1f} s wall with start-up and "
                     f"model load ({w / processing:,.0f} words/s over the {processing:.1f} s "
                     f"of processing in run.json), peak RSS {rss:.0f} MB"))
    print(f"  pipeline {name}: {articles} articles, {w} words in {wall:.1f} s = "
          f"{w / wall:.0f} words/s ({w / processing:.0f} words/s without start-up), "
          f"peak RSS {rss:.0f} MB", flush=True)
    return wall, rss


def cpu_has_bf16():
    """Whether the CPU has bf16 units, as newsextract's `--ner-precision auto` decides it."""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                flags = line.split()
                return "avx512_bf16" in flags or "amx_bf16" in flags
    except OSError:
        pass
    return False


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.platform()}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--write", help="write the table to this Markdown file")
    a = p.parse_args()
    for path, how in [(VENV_PY, "make bench-setup"), (NEWSEXTRACT, "cargo build --release"),
                      (STAGES, "cargo build --release --example bench_stages"),
                      (os.path.join(MODELS, "marian-de-en", "ct2-int8", ".complete"),
                       "make bench-setup")]:
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing: run `{how}` first")
    os.makedirs(WORK, exist_ok=True)
    started = time.time()
    load_before = os.getloadavg()
    res = Results()
    seeds = seeds_sentences()
    n_germeval = 100 if a.quick else 1000
    ner_lines = seeds + germeval_sentences(n_germeval)
    ner_file = write_lines("ner-sentences.txt", ner_lines)
    threads = a.threads
    arrangements = [(threads, 1)] if a.quick else [(threads, 1), (1, threads), (1, 1)]
    print(f"ner: {len(ner_lines)} sentences ({len(seeds)} from the seeds, {n_germeval} "
          f"GermEval), {words(ner_lines)} words", flush=True)
    bf16 = cpu_has_bf16()
    print(f"bf16 units: {'yes' if bf16 else 'no (bf16 rows left out)'}", flush=True)
    ner(res, threads, ner_file, len(ner_lines), DEFAULT_NER, "ner_vs_transformers",
        arrangements, bf16)
    if not a.quick:
        busy_arrangements(res, threads, ner_file, len(ner_lines), arrangements)
    base_lines = ner_lines if not a.quick else ner_lines[:120]
    base_file = write_lines("ner-sentences-base.txt", base_lines)
    ner(res, threads, base_file, len(base_lines), os.path.join(MODELS, "bert-base-ner"),
        "ner_vs_transformers_bert_base", arrangements[:1], False)

    de = [s for s in seeds if 5 <= len(s.split()) <= 40]
    n_tr = 16 if a.quick else 96
    tr_lines = de[:n_tr]
    tr_file = write_lines("translate-sentences.txt", tr_lines)
    beam, length = 4, 32
    print(f"translate: {len(tr_lines)} seed sentences, beam {beam}, {length} output tokens",
          flush=True)
    translate(res, threads, tr_file, len(tr_lines), beam, length, bf16)

    rules(res)

    pipeline(res, "seeds", os.path.join(ROOT, "seeds"), threads)
    scaling = []
    for n in ([] if a.quick else [100, 300, 1000]):
        drop = make_drop(n, seeds)
        wall, rss = pipeline(res, f"{n} articles", drop, threads)
        scaling.append((n, wall, rss))
    if bf16 and not a.quick:
        # The default NER format is bf16 on this CPU; the same drop in f32 for comparison.
        pipeline(res, "300 articles, --ner-precision f32", make_drop(300, seeds), threads,
                 ["--ner-precision", "f32"])
    load_after = os.getloadavg()
    elapsed = time.time() - started
    print(f"bench: {elapsed:.0f} s; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after", flush=True)
    if a.write:
        write_table(a.write, res, scaling, threads, load_before, load_after, elapsed)


def write_table(path, res, scaling, threads, load_before, load_after, elapsed):
    def fmt(v):
        return "" if v is None else (f"{v:,.1f}" if v >= 10 else f"{v:.2f}")

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python benches/run.py --write BENCHMARKS.md`); "
        "`make bench-quick` prints a reduced set. Each figure comes from its own process, "
        "run one after the other on the same machine with the same data and thread count; "
        "model loading is excluded from the stage figures and included in the pipeline ones. "
        "Ratio = newsextract throughput / peer throughput.",
        "",
        f"- Machine: {machine()}",
        f"- Threads: {threads} for every engine; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; {elapsed / 60:.1f} minutes in all; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| measure | newsextract | peer | unit | ratio | how |",
        "|---|---|---|---|---|---|",
    ]
    for name, ours, peer, unit, ratio, note in res.rows:
        lines.append(f"| {name} | {fmt(ours)} | {fmt(peer)} | {unit} | "
                     f"{'' if ratio is None else f'{ratio:.2f}'} | {note} |")
    if scaling:
        lines += ["", "Time against drop size (whole pipeline, default model and settings, no "
                  "translation):",
                  "", "| articles | seconds | seconds per article | peak RSS MB |",
                  "|---|---|---|---|"]
        for n, wall, rss in scaling:
            lines.append(f"| {n} | {wall:.1f} | {wall / n:.3f} | {rss:.0f} |")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
