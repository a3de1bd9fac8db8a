#!/usr/bin/env python3
"""Sanity check: tag raw text with an assembled model folder (transformers + tokenizers),
decoding spans straight from sub-token IOB2 labels. usage: tag_text.py MODEL_DIR TEXT"""
import sys

import torch
from tokenizers import Tokenizer
from transformers import BertForTokenClassification

model_dir, text = sys.argv[1], sys.argv[2]
torch.set_num_threads(1)
tok = Tokenizer.from_file(model_dir + "/tokenizer.json")
model = BertForTokenClassification.from_pretrained(model_dir).eval()
enc = tok.encode(text)
with torch.inference_mode():
    pred = model(input_ids=torch.tensor([enc.ids])).logits[0].argmax(-1).tolist()
labels = [model.config.id2label[p] for p in pred]
spans, cur = [], None
for (s, e), lab, sp in zip(enc.offsets, labels, enc.special_tokens_mask):
    if sp or lab == "O" or lab.startswith("B-") or (cur and lab[2:] != cur[2]):
        if cur:
            spans.append(cur)
        cur = None
        if not sp and lab != "O":
            cur = [s, e, lab[2:]]
    else:
        cur[1] = e
if cur:
    spans.append(cur)
for s, e, t in spans:
    print("%-5s %s" % (t, text[s:e].strip()))
