//! Word tokens with char offsets: words (with inner hyphens and apostrophes), numbers with
//! their grouping and decimal marks ("10.000", "1,5", "20.06.2024", "17:32"), URLs and e-mail
//! addresses as one token each, and every other visible char as a punctuation token.

/// Char ranges of the tokens of `text`.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let end = if let Some(end) = url_or_email_end(&chars, i) {
            end
        } else if c.is_alphanumeric() {
            word_end(&chars, i)
        } else {
            i + 1
        };
        out.push((i, end));
        i = end;
    }
    out
}

fn word_end(chars: &[char], start: usize) -> usize {
    let mut j = start + 1;
    while j < chars.len() {
        let c = chars[j];
        if c.is_alphanumeric() {
            j += 1;
            continue;
        }
        let prev = chars[j - 1];
        let next = chars.get(j + 1).copied();
        let joins = match c {
            '-' | '\u{2011}' => {
                // "US-Geheimdienst", and the truncated "Sicherheits- und".
                prev.is_alphanumeric()
                    && (next.is_some_and(char::is_alphanumeric)
                        || next.is_some_and(char::is_whitespace) && prev.is_alphabetic())
            }
            '\'' | '’' => prev.is_alphabetic() && next.is_some_and(char::is_alphabetic),
            '.' | ',' | ':' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
        j += if matches!(c, '-' | '\u{2011}') && !next.is_some_and(char::is_alphanumeric) {
            1
        } else {
            2
        };
        if matches!(c, '-' | '\u{2011}') && !chars.get(j - 1).is_some_and(|c| c.is_alphanumeric()) {
            break;
        }
    }
    j
}

fn url_or_email_end(chars: &[char], i: usize) -> Option<usize> {
    if i > 0
        && !chars[i - 1].is_whitespace()
        && !matches!(chars[i - 1], '(' | '<' | '"' | '„' | '»')
    {
        return None;
    }
    let mut end = i;
    while end < chars.len() && !chars[end].is_whitespace() {
        end += 1;
    }
    let raw: String = chars[i..end].iter().collect();
    let lower = raw.to_lowercase();
    let is_url =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
    let is_email = {
        let at = raw.find('@');
        at.is_some_and(|a| {
            a > 0
                && raw[a + 1..].contains('.')
                && raw[..a]
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        })
    };
    if !is_url && !is_email {
        return None;
    }
    while end > i
        && matches!(
            chars[end - 1],
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '"' | '\'' | '“' | '”' | '«' | '»' | '>'
        )
    {
        end -= 1;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect()
    }

    #[test]
    fn words_numbers_and_punctuation() {
        assert_eq!(
            tokens("Am 20.06.2024 kamen fast 2.000 Container (1,5 %) um 17:32."),
            [
                "Am",
                "20.06.2024",
                "kamen",
                "fast",
                "2.000",
                "Container",
                "(",
                "1,5",
                "%",
                ")",
                "um",
                "17:32",
                "."
            ]
        );
    }

    #[test]
    fn hyphens_and_truncations() {
        assert_eq!(
            tokens("Sicherheits- und US-Verteidigungspolitik, F-16."),
            [
                "Sicherheits-",
                "und",
                "US-Verteidigungspolitik",
                ",",
                "F-16",
                "."
            ]
        );
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(
            tokens("Siehe https://www.zdf.de/a?b=1, oder info@zdf.de."),
            [
                "Siehe",
                "https://www.zdf.de/a?b=1",
                ",",
                "oder",
                "info@zdf.de",
                "."
            ]
        );
    }

    #[test]
    fn umlauts_offsets_are_chars() {
        assert_eq!(tokenize("Größe zählt"), [(0, 5), (6, 11)]);
    }
}
