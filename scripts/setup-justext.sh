#!/usr/bin/env bash
# Installs the jusText peer (benches/peers/justext-requirements.txt, from PyPI) into
# .deps/justext-venv for `make bench-justext`. Idempotent: returns at once when the venv was
# built from the current requirements file; after a changed pin pip moves the venv to the new
# pins in place (nothing is deleted).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/benches/peers/justext-requirements.txt"
VENV="$ROOT/.deps/justext-venv"
STAMP="$VENV/.complete"
PY="${PYTHON:-python3}"

if [ -f "$STAMP" ] && cmp -s "$STAMP" "$REQ" && "$VENV/bin/python" -c 'import justext' 2>/dev/null; then
    exit 0
fi
echo "setup: installing jusText into $VENV" >&2
mkdir -p "$ROOT/.deps"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" -c 'import justext'
cp "$REQ" "$STAMP"
