//! Byte and char offsets. Rust strings index by UTF-8 bytes, tokenizers report bytes, and the
//! output contract speaks chars: every conversion goes through [`CharIndex`], built once per
//! text, so no stage recomputes offsets its own way.

/// Maps between byte offsets and char offsets of one text.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of each char, plus the text length at the end; empty when the text is ASCII
    /// (then bytes and chars coincide).
    byte_of_char: Vec<usize>,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let byte_of_char = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharIndex {
            byte_of_char,
            len_bytes: text.len(),
        }
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        if self.byte_of_char.is_empty() {
            self.len_bytes
        } else {
            self.byte_of_char.len() - 1
        }
    }

    /// Byte offset of char `c` (`c == len_chars()` gives the text length).
    pub fn byte(&self, c: usize) -> usize {
        if self.byte_of_char.is_empty() {
            c
        } else {
            self.byte_of_char[c]
        }
    }

    /// Char offset of byte `b`; a byte inside a char maps to the start of that char.
    pub fn char(&self, b: usize) -> usize {
        if self.byte_of_char.is_empty() {
            b
        } else {
            match self.byte_of_char.binary_search(&b) {
                Ok(c) => c,
                Err(c) => c - 1,
            }
        }
    }

    /// The text between two char offsets.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        &text[self.byte(start)..self.byte(end)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_umlauts_and_emoji_both_ways() {
        let text = "Größe 😀 ok";
        let idx = CharIndex::new(text);
        assert_eq!(idx.len_chars(), text.chars().count());
        assert_eq!(idx.slice(text, 0, 5), "Größe");
        assert_eq!(idx.slice(text, 6, 7), "😀");
        let emoji_byte = text.find('😀').unwrap();
        assert_eq!(idx.char(emoji_byte), 6);
        assert_eq!(idx.char(emoji_byte + 2), 6);
        assert_eq!(idx.char(text.len()), idx.len_chars());
    }

    #[test]
    fn ascii_is_identity() {
        let idx = CharIndex::new("abc");
        assert_eq!((idx.byte(2), idx.char(2), idx.len_chars()), (2, 2, 3));
    }
}
