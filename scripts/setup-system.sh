#!/usr/bin/env bash
# Checks the few system tools the build needs beyond Rust and Python: a C++ compiler (tch
# compiles its libtorch bindings) and pip. On Debian as root, installs what is missing.
set -euo pipefail
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "setup: please install: ${missing[*]}" >&2
  exit 2
fi
