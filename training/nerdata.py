"""Shared tokenisation / label alignment / span scoring for training and evaluation."""
import json
import random

import numpy as np

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
L2I = {l: i for i, l in enumerate(LABELS)}


def report(result, out=None):
    """Prints a score dict and, with `out`, writes it there as JSON."""
    print(json.dumps(result, indent=1))
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=2)


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


def allowed_transitions(labels=LABELS):
    """IOB2 constraints: (start[j], follows[i, j]): may label j open a sentence / follow i?
    `I-X` only continues `B-X` or `I-X`; everything else may come anywhere."""
    n = len(labels)
    start = np.ones(n, bool)
    follows = np.ones((n, n), bool)
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            start[j] = False
            for i, prev in enumerate(labels):
                follows[i, j] = prev != "O" and prev[2:] == lab[2:]
    return start, follows


IOB2_TRANSITIONS = allowed_transitions()


def constrained_path(logp, start, follows):
    """Viterbi: the label sequence with the highest summed log-probability (one row of
    `logp` per position) among those the IOB2 constraints allow. Same rule as the Rust
    pipeline's `entities::decode::constrained_labels`."""
    neg = -1e30
    best = np.where(start, logp[0], neg)
    trans = np.where(follows, 0.0, neg)
    back = []
    for row in logp[1:]:
        cand = best[:, None] + trans
        back.append(cand.argmax(0))
        best = cand.max(0) + row
    path = [int(best.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


def constrained_token_preds(tok_logp, first_of_word):
    """Token label ids: the argmax everywhere, except that the first tokens of the words
    (the ones word tags are read from) take the constrained Viterbi path over words."""
    preds = tok_logp.argmax(-1).tolist()
    firsts = [first_of_word[w] for w in sorted(first_of_word)]
    if firsts:
        for ti, lab in zip(firsts, constrained_path(tok_logp[firsts], *IOB2_TRANSITIONS)):
            preds[ti] = lab
    return preds


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


ALL_TYPES = ("PER", "ORG", "LOC", "MISC")
# Sets that do not annotate MISC (ner-extra: SmartData, Europeana) are scored without it.
NO_MISC_TYPES = ("PER", "ORG", "LOC")


def score_types(sents):
    """The entity types a set of sentences can be scored on: all four, or PER/ORG/LOC when
    any sentence comes from a set that does not annotate MISC (`misc_known` false)."""
    return ALL_TYPES if all(s.get("misc_known", True) for s in sents) else NO_MISC_TYPES


def score(gold_seqs, pred_seqs, types=ALL_TYPES):
    """Span-level exact-match precision/recall/F1, per type and micro overall. Spans of types
    not in `types` are left out on both sides (a set that does not annotate MISC)."""
    types = list(types)
    c = {t: [0, 0, 0] for t in types}  # tp, n_pred, n_gold
    for g, p in zip(gold_seqs, pred_seqs):
        gs = {s for s in spans(g) if s[2] in c}
        ps = {s for s in spans(p) if s[2] in c}
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


# ---------------------------------------------------------------------------------------
# Views of a sentence for noisy news text: all caps, umlauts folded. Each word is transformed
# on its own and the text is rebuilt with the original gaps between words, so `starts`
# stay right even where the transform changes a word's length ("ß".upper() == "SS",
# "ä" -> "ae"); tags are unchanged per word.

VIEWS = ("clean", "caps", "umlaut")
FOLD = {
    # "e": the usual ASCII spelling (Muenchen); "dot": the dots simply lost (Munchen)
    "e": {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"},
    "dot": {"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "ẞ": "SS"},
}


def fold_word(w, mode):
    table = FOLD[mode]
    up = len(w) > 1 and w.isupper()  # "ÄRGER" -> "AERGER", not "AeRGER"
    return "".join(table[c].upper() if up and c in table else table.get(c, c) for c in w)


def has_foldable(sent):
    return any(c in FOLD["e"] for c in sent["text"])


def with_words(sent, new_words, gap=lambda g: g):
    """A copy of `sent` whose words are `new_words` (same count, same tags), text rebuilt
    from them and the original gaps (passed through `gap`)."""
    text, starts, words = sent["text"], sent["starts"], sent["words"]
    assert len(new_words) == len(words)
    out, new_starts, pos, n = [], [], 0, 0
    for s, w, nw in zip(starts, words, new_words):
        assert text[s:s + len(w)] == w, (sent["text"], w)
        g = gap(text[pos:s])
        out.append(g); n += len(g)
        new_starts.append(n)
        out.append(nw); n += len(nw)
        pos = s + len(w)
    out.append(gap(text[pos:]))
    new = dict(sent)
    new.update(words=list(new_words), text="".join(out), starts=new_starts, tags=list(sent["tags"]))
    return new


def transform(sent, view, mode="e"):
    """The sentence as seen under `view` ("clean", "caps", "umlaut" with fold `mode`)."""
    if view == "clean":
        return sent
    if view == "caps":
        new = with_words(sent, [w.upper() for w in sent["words"]], gap=str.upper)
    elif view == "umlaut":
        new = with_words(sent, [fold_word(w, mode) for w in sent["words"]])
    else:
        raise ValueError(view)
    new["view"] = view if view != "umlaut" else "umlaut-" + mode
    return new


def eval_view(sents, view):
    """A fixed view of a scoring set (same for every model): caps, or umlauts folded with
    the fold ("e" or "dot") picked per sentence from its sha1, so half of each."""
    if view == "umlaut":
        return [transform(s, "umlaut", "e" if int(s["sha1"][:8], 16) % 2 == 0 else "dot") for s in sents]
    return [transform(s, view) for s in sents]


def augment(sents, kinds, share, seed):
    """Extra training copies: a seeded `share` of `sents` gets ONE copy each, its view
    ("caps" or "umlaut") drawn per sentence from `kinds`, the umlaut fold ("e"/"dot")
    drawn per sentence too. A sentence without ä/ö/ü/ß drawn for "umlaut" gets the other
    kind if there is one (else no copy); a copy identical to its source is not added."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(sents)), int(round(share * len(sents)))))
    out = []
    for i in chosen:
        s = sents[i]
        kind = rng.choice(kinds)
        mode = rng.choice(("e", "dot"))
        if kind == "umlaut" and not has_foldable(s):
            others = [k for k in kinds if k != "umlaut"]
            if not others:
                continue
            kind = others[0]
        new = transform(s, kind, mode)
        if new["text"] != s["text"]:
            out.append(new)
    return out


def split_validation(n, val, seed):
    """(training indices, validation indices) of n training sentences, val of them held out."""
    perm = list(range(n))
    random.Random(seed + 1000).shuffle(perm)
    return sorted(perm[val:]), sorted(perm[:val])
