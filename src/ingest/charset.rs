//! Bytes to text: UTF-8, else Windows-1252, else an error that says why.

/// Decoded article text and the encoding it was read in.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("empty article (no text)")]
    Empty,
    #[error("contains NUL bytes: not a text file")]
    Nul,
    #[error("not valid UTF-8 and not plausible Windows-1252 text (control byte 0x{0:02X})")]
    Undecodable(u8),
    #[error("text contains control character U+{0:04X}")]
    Control(u32),
}

/// Decodes an article file. A UTF-8 byte-order mark is dropped (it is an encoding detail, not
/// text). Bytes that are not UTF-8 are read as Windows-1252 only when every byte is a printable
/// Windows-1252 character: WHATWG's Windows-1252 maps all 256 bytes, so without that check any
/// binary file would "decode".
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.contains(&0) {
        return Err(DecodeError::Nul);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let decoded = match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: "utf-8",
        },
        Err(_) => {
            if let Some(&b) = bytes.iter().find(|&&b| is_bad_1252_byte(b)) {
                return Err(DecodeError::Undecodable(b));
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Decoded {
                text: text.into_owned(),
                encoding: "windows-1252",
            }
        }
    };
    check_text(&decoded.text)?;
    Ok(decoded)
}

/// Control bytes, and the five bytes Windows-1252 leaves undefined.
fn is_bad_1252_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        || matches!(b, 0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
}

/// Rejects text a reviewer could not read: empty, NUL, or other control characters.
pub fn check_text(text: &str) -> Result<(), DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
    {
        return Err(if c == '\0' {
            DecodeError::Nul
        } else {
            DecodeError::Control(c as u32)
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_and_bom_dropped() {
        let d = decode_text("\u{FEFF}Größe".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Größe", "utf-8"));
    }

    #[test]
    fn windows_1252_umlauts_and_quotes() {
        let d = decode_text(b"Gr\xF6\xDFe \x84Zitat\x93 \x80").unwrap();
        assert_eq!(d.text, "Größe „Zitat“ €");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn binary_and_empty_are_errors() {
        assert_eq!(decode_text(b"ab\0c").unwrap_err(), DecodeError::Nul);
        assert_eq!(decode_text(b" \n\t").unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode_text(b"\xFF\x01\x02").unwrap_err(),
            DecodeError::Undecodable(1)
        );
        assert_eq!(
            decode_text(b"\xE4\x8D").unwrap_err(),
            DecodeError::Undecodable(0x8D)
        );
    }
}
