//! Model label sets: parsing a tag into its scheme prefix and entity type, and mapping entity
//! types of the common label sets (CoNLL, GermEval 2014, OntoNotes and plain names) onto the
//! four types the record uses: PER, ORG, LOC, MISC.

/// Where a tag sits in an entity, by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// `O`: outside any entity.
    Outside,
    /// `B-`: begins an entity (IOB2), or separates two adjacent entities of one type (IOB1).
    Begin,
    /// `I-` (or no prefix, IO scheme): inside; starts an entity when the previous word is not
    /// of the same type, which is how IOB1 begins entities.
    Inside,
    /// `E-` / `L-`: last word of an entity (BIOES / BILOU).
    End,
    /// `S-` / `U-`: a one-word entity (BIOES / BILOU).
    Single,
}

/// A model label split into its position and entity type (`B-LOCderiv` → Begin, `LOCderiv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub position: Position,
    /// The model's own entity type, as written in its label set (empty for `O`).
    pub kind: String,
}

impl Tag {
    pub fn parse(label: &str) -> Tag {
        let label = label.trim();
        if label.is_empty() || label.eq_ignore_ascii_case("O") {
            return Tag {
                position: Position::Outside,
                kind: String::new(),
            };
        }
        let bytes = label.as_bytes();
        if bytes.len() > 2 && (bytes[1] == b'-' || bytes[1] == b'_') {
            let position = match bytes[0].to_ascii_uppercase() {
                b'B' => Some(Position::Begin),
                b'I' => Some(Position::Inside),
                b'E' | b'L' => Some(Position::End),
                b'S' | b'U' => Some(Position::Single),
                _ => None,
            };
            if let Some(position) = position {
                return Tag {
                    position,
                    kind: label[2..].to_string(),
                };
            }
        }
        Tag {
            position: Position::Inside,
            kind: label.to_string(),
        }
    }
}

/// Maps a model's entity type to PER, ORG, LOC or MISC; `None` when it has no counterpart
/// there (dates, amounts, GermEval's `part` compounds, unknown types), and the caller drops
/// the span and counts it.
///
/// - CoNLL: PER, ORG, LOC, MISC.
/// - GermEval 2014: PER, ORG, LOC, OTH (→ MISC); `*deriv` (words derived from a name, such as
///   "deutsche") → MISC, following CoNLL, which tags such adjectives MISC; `*part` (a compound
///   that only contains a name, such as "Putin-Regierung") is no mention of the entity and is
///   dropped.
/// - OntoNotes: PERSON → PER; ORG → ORG; GPE, LOC, FAC → LOC; NORP, EVENT, WORK_OF_ART, LAW,
///   LANGUAGE, PRODUCT → MISC; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL dropped.
pub fn map_kind(kind: &str) -> Option<&'static str> {
    let upper = kind.trim().to_ascii_uppercase();
    if let Some(base) = upper.strip_suffix("DERIV") {
        return map_base(base).map(|_| "MISC");
    }
    if upper.ends_with("PART") {
        return None;
    }
    map_base(&upper)
}

fn map_base(upper: &str) -> Option<&'static str> {
    Some(match upper {
        "PER" | "PERS" | "PERSON" => "PER",
        "ORG" | "ORGANIZATION" | "ORGANISATION" => "ORG",
        "LOC" | "LOCATION" | "GPE" | "FAC" => "LOC",
        "MISC" | "OTH" | "OTHER" | "NORP" | "EVENT" | "WORK_OF_ART" | "LAW" | "LANGUAGE"
        | "PRODUCT" => "MISC",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes() {
        assert_eq!(Tag::parse("O").position, Position::Outside);
        let t = Tag::parse("B-LOCderiv");
        assert_eq!((t.position, t.kind.as_str()), (Position::Begin, "LOCderiv"));
        let t = Tag::parse("I-PER");
        assert_eq!((t.position, t.kind.as_str()), (Position::Inside, "PER"));
        assert_eq!(Tag::parse("E-ORG").position, Position::End);
        assert_eq!(Tag::parse("L-ORG").position, Position::End);
        assert_eq!(Tag::parse("S-ORG").position, Position::Single);
        assert_eq!(Tag::parse("U_ORG").position, Position::Single);
        let t = Tag::parse("PERSON");
        assert_eq!((t.position, t.kind.as_str()), (Position::Inside, "PERSON"));
        // A type that merely starts with a letter and a dash is not a prefix of one letter.
        assert_eq!(Tag::parse("B-").kind, "B-");
    }

    #[test]
    fn maps_common_label_sets() {
        for (kind, want) in [
            ("PER", Some("PER")),
            ("ORG", Some("ORG")),
            ("LOC", Some("LOC")),
            ("MISC", Some("MISC")),
            ("OTH", Some("MISC")),
            ("LOCderiv", Some("MISC")),
            ("PERderiv", Some("MISC")),
            ("ORGpart", None),
            ("LOCpart", None),
            ("PERSON", Some("PER")),
            ("GPE", Some("LOC")),
            ("FAC", Some("LOC")),
            ("NORP", Some("MISC")),
            ("WORK_OF_ART", Some("MISC")),
            ("DATE", None),
            ("CARDINAL", None),
            ("MONEY", None),
            ("weird", None),
            ("per", Some("PER")),
        ] {
            assert_eq!(map_kind(kind), want, "{kind}");
        }
    }
}
