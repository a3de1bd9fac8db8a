#!/usr/bin/env bash
# Brings libtorch 2.4.0 (CPU) for rust-bert 0.23 into .deps/libtorch from PyPI wheels.
# Why wheels: tch's own download comes from pytorch.org, which this project cannot rely on;
# PyPI always answers. The torch wheel is a CUDA build, but its CPU libraries are enough:
# libtorch_cpu.so needs libcudart/libcupti at load time only as DT_NEEDED entries, which the
# two small nvidia wheels provide. tch links -ltorch; the real libtorch.so pulls in the
# 900 MB libtorch_cuda.so, so an empty stand-in satisfies the linker (nothing uses it).
# Idempotent: a stamp holding the hash of the pinned wheel list marks a finished set-up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.deps/libtorch"
pins="$root/scripts/libtorch-wheels.txt"
stamp="$dest/.complete"
want="$(sha256sum "$pins" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$dest/lib/libtorch_cpu.so" ]]; then
  exit 0
fi
echo "setup: fetching libtorch 2.4.0 (CPU) from PyPI wheels into .deps/libtorch" >&2
tmp="$(mktemp -d "$root/.deps.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux1_x86_64 --require-hashes -r "$pins" -d "$tmp/wheels"
mkdir -p "$tmp/libtorch/lib" "$tmp/x"
( cd "$tmp/x"
  python3 - "$tmp/wheels" <<'PY'
import sys, zipfile, glob, os
wheels = sys.argv[1]
keep_lib = ("libtorch_cpu.so", "libc10.so", "libgomp-", "libcudart.so.12", "libcupti.so.12")
for w in glob.glob(os.path.join(wheels, "*.whl")):
    with zipfile.ZipFile(w) as z:
        for n in z.namelist():
            base = os.path.basename(n)
            if n.startswith("torch/include/") or n.startswith("torch/share/cmake/") \
               or (base.startswith(keep_lib) and "/lib/" in n):
                z.extract(n, ".")
PY
)
mv "$tmp/x/torch/include" "$tmp/libtorch/include"
find "$tmp/x" -path '*/lib/*.so*' -exec mv {} "$tmp/libtorch/lib/" \;
# The stand-in libtorch.so (see above).
gcc -shared -o "$tmp/libtorch/lib/libtorch.so" -x c /dev/null
echo "2.4.0" > "$tmp/libtorch/build-version"
echo "$want" > "$tmp/libtorch/.complete"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/libtorch" "$dest"
echo "setup: libtorch ready ($(du -sh "$dest" | cut -f1))" >&2
