#!/usr/bin/env python3
"""Format check and counts for the held-out batch. Run from this folder: python3 check_heldout.py"""
import re, glob, os, sys
MARK = re.compile(r'⟦([^⟦⟧|\n]+)\|(PER|ORG|LOC|MISC)⟧')
TITLES = ('Dr.', 'Prof.', 'Frau ', 'Herr ', 'Frl.')
LABELS = ['PER', 'ORG', 'LOC', 'MISC']
rows = []; ok = True
def err(f, m):
    global ok; ok = False; print(f'ERROR {f}: {m}')
for f in sorted(glob.glob('[0-9][0-9]_*.ann')):
    s = open(f, encoding='utf-8').read()
    if '\r' in s: err(f, 'CR line ending')
    # balanced and well formed: every ⟦ starts a marker, no stray ⟧
    pos = 0; plain = []; spans = []; counts = dict.fromkeys(LABELS, 0)
    for m in MARK.finditer(s):
        between = s[pos:m.start()]
        if '⟦' in between or '⟧' in between: err(f, f'malformed/stray marker near {between[-40:]!r}')
        if '|' in between: err(f, f'| in plain text near {between[-40:]!r}')
        plain.append(between)
        start = sum(map(len, plain)); surf = m.group(1)
        plain.append(surf); spans.append((start, start + len(surf), m.group(2), surf))
        counts[m.group(2)] += 1; pos = m.end()
    tail = s[pos:]
    if '⟦' in tail or '⟧' in tail or '|' in tail: err(f, 'stray marker/| at end')
    if s.count('⟦') != s.count('⟧') or s.count('⟦') != len(spans): err(f, 'unbalanced markers')
    plain.append(tail); text = ''.join(plain)
    for a, b, lab, surf in spans:
        if surf != surf.strip(): err(f, f'whitespace at span edge {surf!r}')
        before = text[a-1] if a > 0 else ' '; after = text[b] if b < len(text) else ' '
        if before.isalnum() or before == '-': err(f, f'span starts inside word: {text[a-15:b]!r}')
        if after.isalnum() or after == '-': err(f, f'span ends inside word: {text[a:b+15]!r}')
        if lab == 'PER' and surf.startswith(TITLES): err(f, f'title inside PER {surf!r}')
        if surf[0] in '„“"(' or surf[-1] in '„“")': err(f, f'quote/bracket in span {surf!r}')
    words = len(text.split())
    if not 200 <= words <= 350: err(f, f'word count {words}')
    rows.append((f, words, counts))
print('| file | words | PER | ORG | LOC | MISC | total |')
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
tot = dict.fromkeys(LABELS, 0); tw = 0
for f, w, c in rows:
    print(f'| {f} | {w} | ' + ' | '.join(str(c[l]) for l in LABELS) + f' | {sum(c.values())} |')
    tw += w
    for l in LABELS: tot[l] += c[l]
print(f'| **total** | **{tw}** | ' + ' | '.join(f'**{tot[l]}**' for l in LABELS) + f' | **{sum(tot.values())}** |')
print('OK' if ok else 'FAILED'); sys.exit(0 if ok else 1)
