#!/usr/bin/env python3
"""The NER peer: `transformers`' token-classification pipeline, as a notebook would run it.

    python benches/peers/ner_transformers.py --model DIR --sentences FILE --threads N \
        [--batch-sizes 1,8,32] [--dtype float32|bfloat16]

Loads the model folder (config.json, model.safetensors, tokenizer.json), runs every sentence
of FILE (one per line) through `pipeline("token-classification",
aggregation_strategy="simple")` once per batch size after one warm-up pass over a few
sentences, and prints one JSON line: seconds per batch size (model load excluded), the best,
and the entity count (to check both engines did the same work). `--dtype bfloat16` loads
the weights as bf16, as `from_pretrained(..., dtype=torch.bfloat16)` does in a notebook.
"""
import argparse
import json
import os
import time

import torch
from transformers import AutoModelForTokenClassification, PreTrainedTokenizerFast, pipeline


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--sentences", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch-sizes", default="1,8,32")
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    sentences = [l.rstrip("\n") for l in open(a.sentences, encoding="utf-8") if l.strip()]
    special = json.load(open(os.path.join(a.model, "special_tokens_map.json")))
    special = {k: (v["content"] if isinstance(v, dict) else v) for k, v in special.items()}
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=os.path.join(a.model, "tokenizer.json"), model_max_length=512, **special
    )
    t = time.perf_counter()
    model = AutoModelForTokenClassification.from_pretrained(
        a.model, dtype=getattr(torch, a.dtype)
    ).eval()
    load = time.perf_counter() - t
    ner = pipeline(
        "token-classification",
        model=model,
        tokenizer=tokenizer,
        aggregation_strategy="simple",
        device=-1,
    )
    with torch.inference_mode():
        ner(sentences[:8], batch_size=8)
        seconds = {}
        entities = 0
        for bs in [int(b) for b in a.batch_sizes.split(",")]:
            t = time.perf_counter()
            out = ner(sentences, batch_size=bs)
            seconds[bs] = time.perf_counter() - t
            entities = sum(len(o) for o in out)
    best = min(seconds, key=seconds.get)
    print(
        json.dumps(
            {
                "engine": "transformers" if a.dtype == "float32" else "transformers-bf16",
                "dtype": a.dtype,
                "torch": torch.__version__,
                "threads": a.threads,
                "sentences": len(sentences),
                "seconds_by_batch_size": seconds,
                "best_batch_size": best,
                "seconds": seconds[best],
                "load_seconds": load,
                "entities": entities,
            }
        )
    )


if __name__ == "__main__":
    main()
