//! Cuts the text into the pieces the claim patterns look at. Offsets are bytes here (cheap to
//! slice); `mod.rs` turns them into chars once, at the end.
//!
//! Only ASCII digits make numbers: superscripts (² ⁴) are footnote markers, never quantities,
//! so they fall out as punctuation.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// ASCII digits, with `.`/`,`/`:` only between digits ("10.000", "1,5", "17:32").
    Num,
    /// Letters, with inner hyphens ("US-Dollar").
    Word,
    /// Letters and digits in one piece ("F-16", "G7", "1980er", "20-jährige").
    Mixed,
    /// A URL; nothing in it is a number.
    Url,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub byte_start: usize,
    pub byte_end: usize,
    pub kind: Kind,
    /// Whitespace (or text start) right before: glued digits are footnotes and codes.
    pub space_before: bool,
    /// A line break before: no expression runs across lines.
    pub line_break_before: bool,
    /// Inside a line that reads as bibliography (URL, "vgl.", "(2024):", "S. 5").
    pub reference: bool,
    lower_start: u32,
    lower_end: u32,
}

pub(crate) struct Tokens<'t> {
    pub text: &'t str,
    pub toks: Vec<Token>,
    /// Lower-cased words, one arena for the whole text so lexicon look-ups allocate nothing.
    lower: String,
}

impl<'t> Tokens<'t> {
    /// `space_groups`: a plain space between digit groups groups thousands ("48 300"); no-break
    /// and thin spaces and apostrophes ("10 000", "65'000") always do.
    pub fn new(text: &'t str, space_groups: bool) -> Self {
        let b = text.as_bytes();
        let mut toks = Vec::with_capacity(text.len() / 5 + 1);
        let mut lower = String::with_capacity(text.len() / 4);
        let mut i = 0;
        let (mut sp, mut nl) = (true, true);
        while i < b.len() {
            let (c, len) = char_at(text, i);
            if c.is_whitespace() {
                sp = true;
                nl |= c == '\n';
                i += len;
                continue;
            }
            let start = i;
            let kind;
            if is_url_start(text, i) {
                while i < b.len() {
                    let (c, l) = char_at(text, i);
                    if c.is_whitespace() {
                        break;
                    }
                    i += l;
                }
                kind = Kind::Url;
            } else if is_alnum(c) {
                let (mut has_d, mut has_a) = (c.is_ascii_digit(), !c.is_ascii_digit());
                let mut prev = c;
                i += len;
                while i < b.len() {
                    let (ch, l) = char_at(text, i);
                    if is_alnum(ch) {
                        has_d |= ch.is_ascii_digit();
                        has_a |= !ch.is_ascii_digit();
                    } else if prev.is_ascii_digit() && group_gap(text, start, i, ch, space_groups) {
                        // A thousands group after a space or apostrophe: "10 000", "65'000".
                        i += l;
                        continue;
                    } else if matches!(ch, '.' | ',' | ':') && prev.is_ascii_digit() {
                        let (next, _) = char_at(text, i + l);
                        if !next.is_ascii_digit() {
                            break;
                        }
                    } else if ch == '-' && (prev.is_alphabetic() || prev.is_ascii_digit()) {
                        let (next, _) = char_at(text, i + l);
                        // Hyphens join words and codes ("F-16"), never two numbers
                        // ("1950-1953" is a range).
                        if !(is_alnum(next) && (prev.is_alphabetic() || next.is_alphabetic())) {
                            break;
                        }
                    } else {
                        break;
                    }
                    prev = ch;
                    i += l;
                }
                kind = match (has_d, has_a) {
                    (true, false) => Kind::Num,
                    (false, _) => Kind::Word,
                    _ => Kind::Mixed,
                };
            } else {
                i += len;
                kind = Kind::Punct(c);
            }
            let (lower_start, lower_end) = if matches!(kind, Kind::Word | Kind::Mixed) {
                let lower_start = lower.len();
                let word = &text[start..i];
                if word.is_ascii() {
                    // The common case, byte-wise: per-char `to_lowercase` costs a fifth of
                    // the stage's time.
                    lower.push_str(word);
                    lower[lower_start..].make_ascii_lowercase();
                } else {
                    for ch in word.chars() {
                        lower.extend(ch.to_lowercase());
                    }
                }
                (lower_start as u32, lower.len() as u32)
            } else {
                (0, 0)
            };
            toks.push(Token {
                byte_start: start,
                byte_end: i,
                kind,
                space_before: sp,
                line_break_before: nl,
                reference: false,
                lower_start,
                lower_end,
            });
            sp = false;
            nl = false;
        }
        Tokens { text, toks, lower }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn raw(&self, i: usize) -> &'t str {
        let t = &self.toks[i];
        &self.text[t.byte_start..t.byte_end]
    }

    /// Lower-cased text of a word (empty for numbers and punctuation).
    pub fn low(&self, i: usize) -> &str {
        let t = &self.toks[i];
        &self.lower[t.lower_start as usize..t.lower_end as usize]
    }

    /// The kind of token `i`; past the end, a NUL "punctuation" that matches no pattern, so
    /// look-aheads need no bounds checks of their own.
    pub fn kind(&self, i: usize) -> Kind {
        self.toks.get(i).map_or(Kind::Punct('\0'), |t| t.kind)
    }

    pub fn is_word(&self, i: usize) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Word
    }

    pub fn is_punct(&self, i: usize, c: char) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Punct(c)
    }

    /// The word at `i`, lower-cased, or "" when `i` is no word.
    pub fn word(&self, i: usize) -> &str {
        if self.is_word(i) {
            self.low(i)
        } else {
            ""
        }
    }

    /// Starts with an upper-case letter: in German, a noun or a sentence start.
    pub fn capitalized(&self, i: usize) -> bool {
        i < self.toks.len()
            && self.toks[i].kind == Kind::Word
            && self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Tokens `i` and `i + 1` on the same line (so they may belong to one expression).
    pub fn same_line(&self, i: usize) -> bool {
        i + 1 < self.toks.len() && !self.toks[i + 1].line_break_before
    }

    /// Byte range of the line holding byte `b`, the fallback sentence.
    pub fn line_bytes(&self, b: usize) -> (usize, usize) {
        let s = self.text[..b].rfind('\n').map_or(0, |p| p + 1);
        let e = self.text[b..].find('\n').map_or(self.text.len(), |p| b + p);
        (s, e)
    }

    /// Bibliography lines carry page ranges, volumes and issue numbers that are no claims;
    /// they are recognised by their apparatus, not by the numbers. A sentence is apparatus when
    /// it looks like a reference itself, or when its line does and the sentence is a fragment
    /// (fewer than [`PROSE_WORDS`] words: "Lara Jakes.", a title cut off by the segmenter).
    /// So a paragraph of prose on one line (as scraped text often has) keeps its numbers
    /// beside one sentence with a link or "vgl.". `sents` are the sentence ranges in bytes.
    pub fn mark_references(&mut self, sents: &[(usize, usize)]) {
        let text = self.text;
        let mut line_start = 0;
        let (mut ti, mut si) = (0, 0);
        for line in text.split('\n') {
            let line_end = line_start + line.len();
            let line_is_reference = looks_like_reference(line);
            // (sentence index, whether its part of this line looks like a reference)
            let mut judged: Option<(usize, bool)> = None;
            while ti < self.toks.len() && self.toks[ti].byte_start < line_end {
                let s = self.toks[ti].byte_start;
                while si < sents.len() && sents[si].1 <= s {
                    si += 1;
                }
                self.toks[ti].reference = match sents.get(si) {
                    Some(&(ss, se)) if ss <= s => match judged {
                        Some((j, r)) if j == si => r,
                        _ => {
                            let part = &text[ss.max(line_start)..se.min(line_end).max(s)];
                            let r = looks_like_reference(part)
                                || (line_is_reference
                                    && part.split_whitespace().nth(PROSE_WORDS - 1).is_none());
                            judged = Some((si, r));
                            r
                        }
                    },
                    // Text outside every sentence: judged by its line.
                    _ => line_is_reference,
                };
                ti += 1;
            }
            line_start = line_end + 1;
        }
    }
}

/// Sentences of at least this many words on a reference-looking line are prose.
const PROSE_WORDS: usize = 5;

fn looks_like_reference(line: &str) -> bool {
    if line.contains("http")
        || line.contains("www.")
        || line.contains("ISSN")
        || line.contains("vgl.")
        || line.contains("Ibid")
        || line.contains("In: ")
        || line.contains("doi")
    {
        return true;
    }
    let b = line.as_bytes();
    // "(2024):" / "(2024)." author-year citations, and " S. 5" page references.
    let citation = line.match_indices('(').any(|(p, _)| {
        b.len() >= p + 7
            && b[p + 1..p + 5].iter().all(u8::is_ascii_digit)
            && b[p + 5] == b')'
            && matches!(b[p + 6], b':' | b'.')
    });
    let page = line
        .match_indices(" S. ")
        .any(|(p, _)| p > 0 && b.get(p + 4).is_some_and(u8::is_ascii_digit));
    citation || page
}

/// Whether the separator `sep` at byte `at` groups thousands inside the number that started at
/// `start`: the digits so far are one to three digits or earlier groups of three, and exactly
/// three digits follow (then no digit, letter or another group on a plain space). A leading
/// "0" never groups ("0 800 06 66 66" is a phone number).
fn group_gap(text: &str, start: usize, at: usize, sep: char, space_groups: bool) -> bool {
    let fixed = matches!(sep, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’');
    if !(fixed || (sep == ' ' && space_groups)) {
        return false;
    }
    let so_far = &text[start..at];
    let mut groups = so_far.split(|c: char| !c.is_ascii_digit());
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return false;
    }
    if !groups.all(|g| g.len() == 3) {
        return false;
    }
    // Only group separators so far: a decimal mark ends the grouping.
    if so_far.contains(['.', ',', ':']) {
        return false;
    }
    let rest = &text[at + sep.len_utf8()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 3 {
        return false;
    }
    let after = rest[3..].chars().next();
    !after.is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_digit() || c.is_alphabetic()
}

/// The char at byte `i`, or '\0' past the end.
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes();
    if i >= b.len() {
        return ('\0', 0);
    }
    if b[i] < 0x80 {
        return (b[i] as char, 1);
    }
    let c = text[i..].chars().next().unwrap_or('\0');
    (c, c.len_utf8())
}

fn is_url_start(text: &str, i: usize) -> bool {
    let rest = &text.as_bytes()[i..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    let at_word_start = i == 0 || !text[..i].chars().next_back().is_some_and(is_alnum);
    at_word_start && (starts(b"http://") || starts(b"https://") || starts(b"www."))
}
