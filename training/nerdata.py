"""Shared tokenisation / label alignment / span scoring for training and evaluation."""
import json

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
L2I = {l: i for i, l in enumerate(LABELS)}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f]


def char_to_word(sent):
    """Array: char position -> word index (spaces -> index of the next word)."""
    text, starts, words = sent["text"], sent["starts"], sent["words"]
    c2w = [-1] * (len(text) + 1)
    for wi, (s, w) in enumerate(zip(starts, words)):
        for c in range(s, s + len(w)):
            c2w[c] = wi
    nxt = len(words) - 1
    for c in range(len(text), -1, -1):
        if c2w[c] >= 0:
            nxt = c2w[c]
        else:
            c2w[c] = nxt
    return c2w


def align(sent, enc):
    """For an encoding of sent['text'] (tokenizers.Encoding, with <s> ... </s>):
    token -> word index (-1 for specials), first-token-of-word flags, and per-token labels."""
    c2w = char_to_word(sent)
    text = sent["text"]
    tok_word = []
    for (s, e), special in zip(enc.offsets, enc.special_tokens_mask):
        if special:
            tok_word.append(-1)
            continue
        # first non-space char of the token decides its word
        c = s
        while c < e and text[c].isspace():
            c += 1
        tok_word.append(c2w[min(c, len(text))])
    labels, first_of_word = [], {}
    for ti, wi in enumerate(tok_word):
        if wi < 0:
            labels.append(-100)
            continue
        tag = sent["tags"][wi]
        if wi not in first_of_word:
            first_of_word[wi] = ti
            labels.append(L2I[tag])
        else:
            labels.append(L2I["O"] if tag == "O" else L2I["I-" + tag[2:]])
    return tok_word, first_of_word, labels


def word_preds(sent, enc, tok_word, first_of_word, tok_pred_ids):
    """Word-level tags from token predictions (a word takes its first token's label; a word
    whose start lies inside another word's token continues that token's entity)."""
    c2w_tok = {}
    for ti, (s, e) in enumerate(enc.offsets):
        if tok_word[ti] >= 0:
            for c in range(s, e):
                c2w_tok.setdefault(c, ti)
    out = []
    for wi in range(len(sent["words"])):
        if wi in first_of_word:
            out.append(LABELS[tok_pred_ids[first_of_word[wi]]])
        else:
            ti = c2w_tok.get(sent["starts"][wi])
            lab = LABELS[tok_pred_ids[ti]] if ti is not None else "O"
            out.append("O" if lab == "O" else "I-" + lab[2:])
    return out


def spans(tags):
    """IOB2 -> set of (start, end, type); a stray I- opens a new span (conlleval style)."""
    res, start, typ = set(), None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if start is not None:
                res.add((start, i, typ))
                start, typ = None, None
            if t != "O":
                start, typ = i, t[2:]
    return res


def score(gold_seqs, pred_seqs):
    """Span-level exact-match precision/recall/F1, per type and micro overall."""
    types = ["PER", "ORG", "LOC", "MISC"]
    c = {t: [0, 0, 0] for t in types}  # tp, n_pred, n_gold
    for g, p in zip(gold_seqs, pred_seqs):
        gs, ps = spans(g), spans(p)
        for s in gs:
            c[s[2]][2] += 1
        for s in ps:
            c[s[2]][1] += 1
            if s in gs:
                c[s[2]][0] += 1
    def prf(tp, npred, ngold):
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": ngold}
    out = {t: prf(*c[t]) for t in types}
    tot = [sum(c[t][i] for t in types) for i in range(3)]
    out["micro"] = prf(*tot)
    return out
