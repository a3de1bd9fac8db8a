#!/usr/bin/env bash
# Brings CTranslate2 4.8.4 into .deps/ctranslate2: lib/ with the wheel's libctranslate2 and
# its OpenMP runtime, include/ with the headers of the same release (from the ct2rs crate on
# crates.io, sha256-checked). build.rs compiles the backend's C++ shim against them; without
# this folder the build carries no CTranslate2 backend and says so.
# Idempotent: a stamp holding the hash of the pins and of this script marks a finished set-up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.deps/ctranslate2"
pins="$root/scripts/ctranslate2-pins.txt"
stamp="$dest/.complete"
crate_url="https://static.crates.io/crates/ct2rs/ct2rs-0.10.3.crate"
crate_sha256="edf9167bb229e98360fe2ae650bf44936bf043f11cf6e620994bd0ef51c6cf8c"
want="$(cat "$pins" "$0" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$dest/lib/libctranslate2.so" ]]; then
  exit 0
fi
echo "setup: fetching CTranslate2 4.8.4 (PyPI wheel + headers from crates.io) into .deps/ctranslate2" >&2
mkdir -p "$root/.deps"
tmp="$(mktemp -d "$root/.deps.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_28_x86_64 --require-hashes -r "$pins" -d "$tmp/wheels"
curl -fsSL --retry 3 -o "$tmp/ct2rs.crate" "$crate_url"
echo "$crate_sha256  $tmp/ct2rs.crate" | sha256sum -c --quiet -
mkdir -p "$tmp/ct2/lib" "$tmp/ct2/include" "$tmp/crate"
tar -xzf "$tmp/ct2rs.crate" -C "$tmp/crate"
src="$tmp/crate/ct2rs-0.10.3/CTranslate2"
grep -q '__version__ = "4.8.4"' "$src/python/ctranslate2/version.py" \
  || { echo "setup: the ct2rs crate does not carry CTranslate2 4.8.4 headers" >&2; exit 1; }
# ctranslate2/ and the two header-only libraries its headers include (half_float, nlohmann).
cp -r "$src/include/." "$tmp/ct2/include/"
cp "$src/LICENSE" "$tmp/ct2/LICENSE"
python3 - "$tmp/wheels" "$tmp/ct2/lib" <<'PY'
import sys, zipfile, glob, os
wheels, out = sys.argv[1], sys.argv[2]
for w in glob.glob(os.path.join(wheels, "*.whl")):
    with zipfile.ZipFile(w) as z:
        for n in z.namelist():
            if n.startswith("ctranslate2.libs/") and ".so" in n:
                with open(os.path.join(out, os.path.basename(n)), "wb") as f:
                    f.write(z.read(n))
PY
lib="$(cd "$tmp/ct2/lib" && ls libctranslate2-*.so.*)"
chmod 755 "$tmp/ct2/lib/"*.so*
ln -s "$lib" "$tmp/ct2/lib/libctranslate2.so"
echo "4.8.4" > "$tmp/ct2/version"
echo "$want" > "$tmp/ct2/.complete"
rm -rf "$dest"
mv "$tmp/ct2" "$dest"
echo "setup: CTranslate2 ready ($(du -sh "$dest" | cut -f1))" >&2
