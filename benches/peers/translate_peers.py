#!/usr/bin/env python3
"""The translation peers: `transformers` `generate` and CTranslate2 on the same Marian model.

    python benches/peers/translate_peers.py --models DIR --sentences FILE --threads N \
        --beam B --length L [--batch-size 16]
        [--engines transformers,transformers-bf16,ct2-float32,ct2-int8]

DIR is `marian-de-en/` from make_models.py. Every engine translates every sentence of FILE
with beam size B and exactly L output tokens (end token included: minimum and maximum length
both fixed, so random weights do the same work as trained ones), sentences sorted by length
and cut into batches as newsextract does. Prints one JSON line per engine: seconds (model
load excluded, after a warm-up batch) and the mean output length in tokens, which must equal
L for every engine.
"""
import argparse
import json
import os
import time


def batches(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_transformers(a, sentences, dtype="float32"):
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(a.threads)
    hf = os.path.join(a.models, "hf")
    tok = MarianTokenizer.from_pretrained(hf)
    model = MarianMTModel.from_pretrained(hf, dtype=getattr(torch, dtype)).eval()
    # generate()'s lengths count the decoder start token: L output tokens are L + 1 in all.
    kw = dict(num_beams=a.beam, min_length=a.length + 1, max_length=a.length + 1,
              early_stopping=True, do_sample=False)
    lengths = []
    with torch.inference_mode():
        model.generate(**tok(sentences[:2], return_tensors="pt", padding=True), **kw)
        t = time.perf_counter()
        for batch in batches(sentences, a.batch_size):
            out = model.generate(**tok(batch, return_tensors="pt", padding=True), **kw)
            lengths += [int((row != model.config.pad_token_id).sum()) for row in out]
        return time.perf_counter() - t, lengths, f"torch {torch.__version__}"


def run_ct2(a, sentences, quant):
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=os.path.join(a.models, "hf", "source.spm"))
    tr = ctranslate2.Translator(
        os.path.join(a.models, f"ct2-{quant}"),
        device="cpu",
        compute_type=quant,
        inter_threads=1,
        intra_threads=a.threads,
    )
    kw = dict(beam_size=a.beam, min_decoding_length=a.length, max_decoding_length=a.length,
              max_batch_size=a.batch_size)
    tokens = [sp.encode(s, out_type=str) + ["</s>"] for s in sentences]
    tr.translate_batch(tokens[:2], **kw)
    t = time.perf_counter()
    lengths = []
    for batch in batches(tokens, a.batch_size):
        for r in tr.translate_batch(batch, **kw):
            lengths.append(len(r.hypotheses[0]))
    return time.perf_counter() - t, lengths, f"ctranslate2 {ctranslate2.__version__}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", required=True)
    p.add_argument("--sentences", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--beam", type=int, required=True)
    p.add_argument("--length", type=int, required=True)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--engines", default="transformers,transformers-bf16,ct2-float32,ct2-int8")
    a = p.parse_args()
    sentences = [l.rstrip("\n") for l in open(a.sentences, encoding="utf-8") if l.strip()]
    sentences.sort(key=len, reverse=True)
    for engine in a.engines.split(","):
        if engine == "transformers":
            seconds, lengths, version = run_transformers(a, sentences)
        elif engine == "transformers-bf16":
            seconds, lengths, version = run_transformers(a, sentences, "bfloat16")
        else:
            seconds, lengths, version = run_ct2(a, sentences, engine.split("-", 1)[1])
        print(
            json.dumps(
                {
                    "engine": engine,
                    "version": version,
                    "threads": a.threads,
                    "sentences": len(sentences),
                    "seconds": seconds,
                    "mean_output_tokens": sum(lengths) / max(1, len(lengths)),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
