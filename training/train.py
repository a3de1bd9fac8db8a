#!/usr/bin/env python3
"""Fine-tune the dequantised multilingual-e5-small for German NER (token classification).

Seeded and deterministic on CPU. The embedding block is frozen (so set-up can rebuild it
exactly from the 4-bit package), and so are the bottom `freeze_layers` encoder layers
(0 by default: all 12 layers train); their output is computed once and cached. Tokenised
data are cached next to the JSONL produced by prepare_data.py. Defaults are the values
chosen with `--val 800` (see training/README.md, "Choosing the hyper-parameters").
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertForTokenClassification

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import predict_and_score  # noqa: E402
from nerdata import LABELS, VIEWS, align, augment, eval_view, read_jsonl, split_validation  # noqa: E402

HP = {
    "seed": 42,
    "epochs": 6,
    "batch_size": 16,
    "lr": 1e-4,
    "weight_decay": 0.01,
    "warmup_ratio": 0.1,
    "max_len": 128,
    "freeze_embeddings": True,
    "dropout": 0.1,
    "grad_clip": 1.0,
    "threads": 1,  # 2 OpenMP threads on 2 shared cores ran 8x slower (spin-waits)
    "freeze_layers": 0,
    "order_seed": 42,  # batch order only; a second run from the same init for a weight average
    # noisy-text augmentation (off by default): a seeded share of the training sentences
    # (never the validation part) gets one extra copy in all caps or with umlauts folded
    "augment": "",  # comma list of "caps", "umlaut"
    "augment_share": 0.0,
    "augment_seed": 42,
    # comma list of files in --cache (without .jsonl) to train on: "train" (GermEval dev+test
    # training part, from prepare_data.py), "germeval_train", "smartdata_train",
    # "europeana_train" (prepare_extra.py). Sentences with "misc_known": false count an `O` as
    # "O or MISC" in the loss (their sets do not annotate MISC).
    "train_sets": "train",
    # comma list of validation files in --cache scored after every epoch besides --val
    "val_sets": "",
    # arithmetic of the forward and backward: "f32", or "bf16" (autocast; about 3x faster on
    # CPUs with AMX, same loss curve within noise; weights and optimizer stay f32)
    "precision": "f32",
    # 1: a sentence with "misc_known": false counts its O tokens as "O or MISC" (partial-label
    # loss); 0: as plain O (the naive mix, kept to measure what the masking is worth)
    "mask_misc": 1,
}

# Label id meaning "O or B-MISC or I-MISC" (a token tagged O in a set without MISC).
O_OR_MISC = -2


def encode_cached(tok, sents, cache_path, max_len, mask_misc=True):
    if os.path.exists(cache_path):
        data = torch.load(cache_path)
        return with_misc_unknown(data, sents) if mask_misc else data
    data = []
    for s in sents:
        enc = tok.encode(s["text"])
        _, _, labels = align(s, enc)
        ids = enc.ids
        if len(ids) > max_len:
            ids = ids[:max_len - 1] + [ids[-1]]
            labels = labels[:max_len - 1] + [-100]
        data.append((ids, labels))
    torch.save(data, cache_path)
    return with_misc_unknown(data, sents) if mask_misc else data


def with_misc_unknown(data, sents):
    """Labels of sentences from sets without MISC annotation: every `O` becomes O_OR_MISC."""
    o = LABELS.index("O")
    return [(ids, [O_OR_MISC if (y == o and not s.get("misc_known", True)) else y for y in labels])
            for (ids, labels), s in zip(data, sents)]


def token_loss(logits, lab):
    """Mean negative log-likelihood over the labelled tokens; a token labelled O_OR_MISC counts
    the probability of O, B-MISC and I-MISC together (partial annotation)."""
    logp = torch.log_softmax(logits.float(), -1).view(-1, len(LABELS))
    y = lab.view(-1)
    full = y >= 0
    partial = y == O_OR_MISC
    nll = -logp[full].gather(1, y[full].unsqueeze(1)).sum()
    if partial.any():
        cols = [LABELS.index(l) for l in ("O", "B-MISC", "I-MISC")]
        nll = nll - torch.logsumexp(logp[partial][:, cols], dim=1).sum()
    return nll / max(1, int(full.sum()) + int(partial.sum()))


def batches(data, indices, bs, rng):
    idx = list(indices)
    rng.shuffle(idx)
    # length bucketing: sort within chunks of 50 batches, then shuffle the batches
    chunk = bs * 50
    out = []
    for i in range(0, len(idx), chunk):
        part = sorted(idx[i:i + chunk], key=lambda j: len(data[j][0]))
        out += [part[k:k + bs] for k in range(0, len(part), bs)]
    rng.shuffle(out)
    return out


def collate(data, b, pad_id):
    L = max(len(data[j][0]) for j in b)
    ids = torch.full((len(b), L), pad_id, dtype=torch.long)
    lab = torch.full((len(b), L), -100, dtype=torch.long)
    att = torch.zeros((len(b), L), dtype=torch.long)
    for r, j in enumerate(b):
        x, y = data[j]
        ids[r, :len(x)] = torch.tensor(x)
        lab[r, :len(y)] = torch.tensor(y)
        att[r, :len(x)] = 1
    return ids, att, lab


def frozen_features(model, cfg, data, cache_dir, prefix, max_len, k):
    """Output of the frozen part (embeddings + bottom k layers) for every item of `data`,
    cached in `cache_dir/<prefix>.feat<max_len>.k<k>.pt`."""
    feats_path = os.path.join(cache_dir, "%s.feat%d.k%d.pt" % (prefix, max_len, k))
    if os.path.exists(feats_path):
        return torch.load(feats_path)
    t0 = time.time()
    # resume from the deepest cached frozen prefix, if any (same data, same weights)
    k0, prev = 0, None
    for kk in range(k - 1, 0, -1):
        pth = os.path.join(cache_dir, "%s.feat%d.k%d.pt" % (prefix, max_len, kk))
        if os.path.exists(pth):
            k0, prev = kk, torch.load(pth)
            break
    feats = [None] * len(data)
    model.eval()
    order = sorted(range(len(data)), key=lambda j: len(data[j][0]))
    with torch.no_grad():
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            ids, att, _ = collate(data, b, cfg.pad_token_id)
            if prev is None:
                h = model.bert.embeddings(input_ids=ids)
            else:
                h = torch.zeros(len(b), ids.shape[1], cfg.hidden_size)
                for r, j in enumerate(b):
                    h[r, :prev[j].shape[0]] = prev[j]
            ext = model.bert.get_extended_attention_mask(att, ids.shape)
            for layer in model.bert.encoder.layer[k0:k]:
                h = layer(h, attention_mask=ext)[0]
            for r, j in enumerate(b):
                feats[j] = h[r, :len(data[j][0])].clone()
    torch.save(feats, feats_path)
    print("cached frozen features (%s) in %.0fs" % (prefix, time.time() - t0), flush=True)
    return feats


def validate(model, tok, sents):
    """Word-level span F1 of the current model on sentences held out of training."""
    model.eval()
    res, _ = predict_and_score(model, tok, sents)
    print("validation", json.dumps({t: res[t]["f1"] for t in res}), flush=True)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="dequantised BertModel dir")
    ap.add_argument("--cache", required=True, help="dir with train.jsonl (prepare_data.py)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", default=None, help="continue from a trained run dir (same frozen part)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop early (timing runs)")
    ap.add_argument("--val", type=int, default=0,
                    help="hold out N training sentences (seeded) and score them after every epoch; "
                         "for choosing hyper-parameters without touching the held-out part")
    ap.add_argument("--val-views", default="clean,caps,umlaut",
                    help="after the last epoch, score the validation part under these views "
                         "(nerdata.eval_view), full per-label precision/recall/F1")
    for k, v in HP.items():
        if isinstance(v, bool):
            continue
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    a = ap.parse_args()
    hp = dict(HP)
    for k in HP:
        if not isinstance(HP[k], bool):
            hp[k] = getattr(a, k)

    torch.set_num_threads(hp["threads"])
    random.seed(hp["seed"]); np.random.seed(hp["seed"]); torch.manual_seed(hp["seed"])
    torch.use_deterministic_algorithms(True)

    tok = Tokenizer.from_file(os.path.join(a.base, "tokenizer.json"))
    tok.no_padding(); tok.no_truncation()
    # Every set keeps its own tokenisation and feature caches; `train` (GermEval dev+test
    # training part) comes first so that `--val N` picks the same sentences as before.
    sets = hp["train_sets"].split(",")
    if "train" in sets:
        sets = ["train"] + [x for x in sets if x != "train"]
    train, data, offsets = [], [], {}
    for name in sets:
        sents = read_jsonl(os.path.join(a.cache, name + ".jsonl"))
        offsets[name] = (len(data), len(data) + len(sents))
        train += sents
        data += encode_cached(tok, sents, os.path.join(a.cache, "%s.tok%d.pt" % (name, hp["max_len"])),
                              hp["max_len"], bool(hp["mask_misc"]))
    if a.val:
        assert sets[0] == "train", "--val holds out sentences of the set `train`"
        t_idx, val_idx = split_validation(offsets["train"][1], a.val, hp["seed"])
        train_idx = t_idx + list(range(offsets["train"][1], len(data)))
    else:
        train_idx, val_idx = list(range(len(data))), []
    val_sets = {v: read_jsonl(os.path.join(a.cache, v + ".jsonl")) for v in hp["val_sets"].split(",") if v}
    print("train sentences", len(train_idx), {n: o[1] - o[0] for n, o in offsets.items()},
          "validation", len(val_idx), {n: len(v) for n, v in val_sets.items()},
          "tokens", sum(len(data[j][0]) for j in train_idx), flush=True)
    n_clean, aug_data, aug_prefix, aug_counts = len(data), [], None, {}
    if hp["augment"]:
        kinds = hp["augment"].split(",")
        assert all(kd in ("caps", "umlaut") for kd in kinds), kinds
        # copies only of the training part (train_idx excludes the validation sentences)
        aug_sents = augment([train[j] for j in train_idx], kinds, hp["augment_share"], hp["augment_seed"])
        for s_ in aug_sents:
            aug_counts[s_["view"]] = aug_counts.get(s_["view"], 0) + 1
        key = hashlib.sha1(json.dumps([(s_["text"], s_["tags"]) for s_ in aug_sents],
                                      ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
        aug_prefix = "train.aug-" + key
        aug_data = encode_cached(tok, aug_sents, os.path.join(a.cache, "%s.tok%d.pt" % (aug_prefix, hp["max_len"])),
                                 hp["max_len"], bool(hp["mask_misc"]))
        print("augmented copies", len(aug_data), aug_counts, "cache", aug_prefix, flush=True)

    cfg = BertConfig.from_pretrained(a.base)
    cfg.num_labels = len(LABELS)
    cfg.id2label = {i: l for i, l in enumerate(LABELS)}
    cfg.label2id = {l: i for i, l in enumerate(LABELS)}
    cfg.hidden_dropout_prob = hp["dropout"]
    cfg.attention_probs_dropout_prob = hp["dropout"]
    cfg.architectures = ["BertForTokenClassification"]
    model = BertForTokenClassification.from_pretrained(a.init or a.base, config=cfg)
    k = hp["freeze_layers"]
    for p in model.bert.embeddings.parameters():
        p.requires_grad_(False)
    for layer in model.bert.encoder.layer[:k]:
        for p in layer.parameters():
            p.requires_grad_(False)

    # Frozen part (embeddings + bottom k layers) runs once, in eval mode: cache its output.
    feats = []
    for name in sets:
        lo, hi = offsets[name]
        feats += frozen_features(model, cfg, data[lo:hi], a.cache, name, hp["max_len"], k)
    if aug_data:
        # augmented copies have their own cache files (keyed by a hash of their text and
        # tags), never a clean sentence's features
        feats = feats + frozen_features(model, cfg, aug_data, a.cache, aug_prefix, hp["max_len"], k)
        data = data + aug_data
        train_idx = train_idx + list(range(n_clean, n_clean + len(aug_data)))
        print("with augmented copies: train sentences", len(train_idx),
              "tokens", sum(len(data[j][0]) for j in train_idx), flush=True)
    model.train()
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    nodecay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in params if not n.endswith(nodecay)], "weight_decay": hp["weight_decay"]},
        {"params": [p for n, p in params if n.endswith(nodecay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=hp["lr"])
    steps_per_epoch = math.ceil(len(train_idx) / hp["batch_size"])
    total = steps_per_epoch * hp["epochs"]
    warm = int(total * hp["warmup_ratio"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    rng = random.Random(hp["order_seed"])
    assert hp["precision"] in ("f32", "bf16"), hp["precision"]
    autocast = hp["precision"] == "bf16"
    step, t0, log = 0, time.time(), []
    for ep in range(hp["epochs"]):
        run_loss, n = 0.0, 0
        for b in batches(data, train_idx, hp["batch_size"], rng):
            ids, att, lab = collate(data, b, cfg.pad_token_id)
            h = torch.zeros(len(b), ids.shape[1], cfg.hidden_size)
            for r, j in enumerate(b):
                h[r, :feats[j].shape[0]] = feats[j]
            ext = model.bert.get_extended_attention_mask(att, ids.shape)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                for layer in model.bert.encoder.layer[k:]:
                    h = layer(h, attention_mask=ext)[0]
                logits = model.classifier(model.dropout(h))
            loss = token_loss(logits, lab)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in params], hp["grad_clip"])
            opt.step(); sched.step(); opt.zero_grad(set_to_none=True)
            step += 1; run_loss += loss.item(); n += 1
            if step % 20 == 0:
                el = time.time() - t0
                print("epoch %d step %d/%d loss %.4f  %.2f s/step  elapsed %.0fs  eta %.0fs"
                      % (ep, step, total, run_loss / n, el / step, el, el / step * (total - step)), flush=True)
            if a.max_steps and step >= a.max_steps:
                print("max steps reached: %.2f s/step" % ((time.time() - t0) / step))
                return
        log.append({"epoch": ep, "train_loss": round(run_loss / max(n, 1), 5), "elapsed_s": round(time.time() - t0)})
        if val_idx:
            res = validate(model, tok, [train[j] for j in val_idx])
            log[-1]["val"] = {t: res[t]["f1"] for t in ("PER", "ORG", "LOC", "MISC", "micro")}
            model.train()
        for v, sents in val_sets.items():
            res = validate(model, tok, sents)
            log[-1]["val_" + v] = {t: res[t]["f1"] for t in res}
            model.train()
        print("epoch done", log[-1], flush=True)
    os.makedirs(a.out, exist_ok=True)
    model.save_pretrained(a.out, safe_serialization=True)
    val_views = {}
    if val_idx and a.val_views:
        model.eval()
        for v in a.val_views.split(","):
            res, _ = predict_and_score(model, tok, eval_view([train[j] for j in val_idx], v))
            val_views[v] = res
            print("validation view", v, json.dumps({t: res[t]["f1"] for t in res}), flush=True)
    prev_log = None
    if a.init and os.path.exists(os.path.join(a.init, "train_log.json")):
        prev_log = json.load(open(os.path.join(a.init, "train_log.json")))
    with open(os.path.join(a.out, "train_log.json"), "w") as f:
        json.dump({"hyperparameters": hp, "continued_from": prev_log, "epochs": log,
                   "train_sentences": len(train_idx), "validation_sentences": len(val_idx),
                   "train_sets": {n: o[1] - o[0] for n, o in offsets.items()},
                   "augmented_sentences": len(aug_data), "augmented_by_view": aug_counts,
                   "validation_views": val_views,
                   "steps": step, "train_seconds": round(time.time() - t0),
                   "torch": torch.__version__}, f, indent=2)
    print("saved", a.out)


if __name__ == "__main__":
    main()
