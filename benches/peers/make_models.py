#!/usr/bin/env python3
"""Builds the random-weight models the peer benchmarks run in every engine.

    python benches/peers/make_models.py --out .deps/bench/models

Speed does not depend on the weight values (with the output length forced for translation),
so random weights of the real shapes stand in for models that cannot be downloaded here:

* `bert-base-ner/`: a BERT-base-sized token classifier (12 layers, 768 wide, 3,072 FFN) with
  the default NER model's tokenizer (XLM-R's 250k sentencepiece vocabulary) and labels, in the
  layout `newsextract` and `transformers` both load (config.json, model.safetensors,
  tokenizer.json).
* `marian-de-en/hf/`: Marian with the configuration of Helsinki-NLP/opus-mt-de-en (6+6 layers,
  512 wide, 58,101 tokens), saved by `transformers`, with a sentencepiece model trained on the
  seed articles and GermEval's dev sentences (its pieces padded with filler tokens to opus-mt's vocabulary size, so the
  output layer has the real size); `marian-de-en/rust/`: the same weights prepared for
  rust-bert by scripts/prepare-marian.py; `marian-de-en/ct2-float32/`, `ct2-int8/`: converted
  by CTranslate2's converter.

Deterministic for a given seed and package versions; a folder that is complete is left alone.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

OPUS_MT_DE_EN = {
    "activation_dropout": 0.0,
    "activation_function": "swish",
    "architectures": ["MarianMTModel"],
    "attention_dropout": 0.0,
    "bad_words_ids": [[58100]],
    "bos_token_id": 0,
    "d_model": 512,
    "decoder_attention_heads": 8,
    "decoder_ffn_dim": 2048,
    "decoder_layerdrop": 0.0,
    "decoder_layers": 6,
    "decoder_start_token_id": 58100,
    "dropout": 0.1,
    "encoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "encoder_layerdrop": 0.0,
    "encoder_layers": 6,
    "eos_token_id": 0,
    "init_std": 0.02,
    "is_encoder_decoder": True,
    "max_position_embeddings": 512,
    "model_type": "marian",
    "normalize_embedding": False,
    "num_hidden_layers": 6,
    "pad_token_id": 58100,
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "static_position_embeddings": True,
    "vocab_size": 58101,
}


def done(path):
    return os.path.exists(os.path.join(path, ".complete"))


def mark(path):
    open(os.path.join(path, ".complete"), "w").write("ok\n")


def bert_base(ner_dir, out, seed):
    if done(out):
        return
    from transformers import BertConfig, BertForTokenClassification

    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    small = json.load(open(os.path.join(ner_dir, "config.json")))
    config = BertConfig(
        vocab_size=small["vocab_size"],
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=512,
        pad_token_id=small.get("pad_token_id", 1),
        id2label={int(k): v for k, v in small["id2label"].items()},
        label2id=small["label2id"],
    )
    torch.manual_seed(seed)
    model = BertForTokenClassification(config).eval()
    model.save_pretrained(out, safe_serialization=True)
    cfg = json.load(open(os.path.join(out, "config.json")))
    cfg["tag_scheme"] = small.get("tag_scheme", "IOB2")
    json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=2)
    for f in ("tokenizer.json", "special_tokens_map.json"):
        shutil.copy(os.path.join(ner_dir, f), out)
    mark(out)


def marian(text_file, out, seed):
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel

    hf = os.path.join(out, "hf")
    if not done(hf):
        shutil.rmtree(hf, ignore_errors=True)
        os.makedirs(hf)
        prefix = os.path.join(hf, "spm")
        spm.SentencePieceTrainer.train(
            input=text_file,
            model_prefix=prefix,
            vocab_size=8000,
            character_coverage=1.0,
            model_type="unigram",
            unk_id=1,
            eos_id=0,
            bos_id=-1,
            pad_id=-1,
            minloglevel=2,
        )
        os.rename(prefix + ".model", os.path.join(hf, "source.spm"))
        shutil.copy(os.path.join(hf, "source.spm"), os.path.join(hf, "target.spm"))
        sp = spm.SentencePieceProcessor(model_file=os.path.join(hf, "source.spm"))
        vocab = {"</s>": 0, "<unk>": 1}
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if piece not in vocab:
                vocab[piece] = len(vocab)
        size = OPUS_MT_DE_EN["vocab_size"]
        n = 0
        while len(vocab) < size - 1:
            vocab[f"▁fill{n}"] = len(vocab)
            n += 1
        vocab["<pad>"] = size - 1
        json.dump(vocab, open(os.path.join(hf, "vocab.json"), "w"), ensure_ascii=False)
        json.dump(
            {"source_lang": "de", "target_lang": "en", "model_max_length": 512},
            open(os.path.join(hf, "tokenizer_config.json"), "w"),
        )
        torch.manual_seed(seed)
        model = MarianMTModel(MarianConfig(**OPUS_MT_DE_EN)).eval()
        model.save_pretrained(hf, safe_serialization=True)
        os.remove(prefix + ".vocab")
        mark(hf)

    rust = os.path.join(out, "rust")
    if not done(rust):
        shutil.rmtree(rust, ignore_errors=True)
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "scripts", "prepare-marian.py"), hf, "--out", rust],
            check=True,
        )
        mark(rust)

    import ctranslate2

    for quant in ("float32", "int8"):
        ct2 = os.path.join(out, f"ct2-{quant}")
        if not done(ct2):
            shutil.rmtree(ct2, ignore_errors=True)
            ctranslate2.converters.TransformersConverter(hf).convert(ct2, quantization=quant)
            mark(ct2)


def german_text(path):
    """The seeds and GermEval's dev sentences, one per line: what the tokenizer learns from."""
    lines = []
    seeds = os.path.join(ROOT, "seeds")
    for name in sorted(os.listdir(seeds)):
        if name.endswith(".txt"):
            lines += [l for l in open(os.path.join(seeds, name), encoding="utf-8") if l.strip()]
    words = []
    tsv = os.path.join(ROOT, "tests", "data", "germeval2014", "NER-de-dev.tsv")
    for line in open(tsv, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            words.append(line.split("\t")[1])
        elif words:
            lines.append(" ".join(words) + "\n")
            words = []
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--ner-model", default=os.path.join(ROOT, "models", "ner-de-e5small"))
    p.add_argument("--seed", type=int, default=20261203)
    a = p.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    bert_base(a.ner_model, os.path.join(a.out, "bert-base-ner"), a.seed)
    os.makedirs(a.out, exist_ok=True)
    text = german_text(os.path.join(a.out, "tokenizer-text.txt"))
    marian(text, os.path.join(a.out, "marian-de-en"), a.seed)


if __name__ == "__main__":
    main()
