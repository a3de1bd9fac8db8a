//! Numbers that name rather than count: labels before them ("Artikel 4", "S. 28", "Gleis 3")
//! and the apparatus of reference sentences.

use super::super::lexer::Kind;
use super::super::{ClaimKind, Qualifier};
use super::{Core, Ctx, Raw};

/// Words naming a place in a document, in every form the number may follow: "Artikel 4",
/// "in den Artikeln 12 und 13", "Erwägung 7", "Änderungsanträge 3, 6", "Satz 1", "TOP 3".
const DOCUMENT_LABELS: &[&str] = &[
    "artikel",
    "artikeln",
    "artikels",
    "article",
    "articles",
    "resolution",
    "resolutionen",
    "paragraf",
    "paragrafen",
    "paragraph",
    "paragraphen",
    "paragraphs",
    "absatz",
    "absatzes",
    "absätze",
    "absätzen",
    "kapitel",
    "kapiteln",
    "kapitels",
    "chapter",
    "chapters",
    "abschnitt",
    "abschnitts",
    "abschnitte",
    "abschnitten",
    "satz",
    "sätze",
    "nummer",
    "nummern",
    "ziffer",
    "ziffern",
    "randnummer",
    "randnummern",
    "erwägung",
    "erwägungen",
    "erwägungsgrund",
    "erwägungsgründe",
    "änderungsantrag",
    "änderungsantrags",
    "änderungsanträge",
    "änderungsanträgen",
    "einzelplan",
    "einzelplans",
    "einzelpläne",
    "anlage",
    "anhang",
    "seite",
    "seiten",
    "page",
    "pages",
    "band",
    "heft",
    "jahrgang",
    "volume",
    "issue",
    "tagesordnungspunkt",
    "tagesordnungspunkte",
    "tagesordnungspunkten",
    "punkt",
];

impl Ctx<'_, '_> {
    /// The first token of a label naming a place in a document right before token `first`
    /// ("Artikel 4", "§ 5", "S. 28", "Resolution 1718", "Band 3"), if there is one.
    pub(super) fn document_label(&self, first: usize) -> Option<usize> {
        let t = self.t;
        let p = first.checked_sub(1)?;
        if matches!(t.kind(p), Kind::Punct('§')) {
            return Some(p);
        }
        if t.is_punct(p, '.') && p > 0 {
            let abbreviated = matches!(
                t.word(p - 1),
                "s" | "bd"
                    | "abs"
                    | "art"
                    | "vol"
                    | "p"
                    | "pp"
                    | "kap"
                    | "ziff"
                    | "h"
                    | "nr"
                    | "nrn"
                    | "rn"
                    | "rdnr"
                    | "rz"
                    | "abschn"
                    | "anl"
                    | "buchst"
            );
            return abbreviated.then_some(p - 1);
        }
        // "TOP 3" (Tagesordnungspunkt) only in capitals: "top 10" is a ranking.
        if t.raw(p) == "TOP" {
            return Some(p);
        }
        DOCUMENT_LABELS.contains(&t.word(p)).then_some(p)
    }

    /// Whether the tokens between `prev_last` (the last token of a reference) and `first` only
    /// join list items ("Artikel 12 und 13", "Nr. 3, 6, 9 und 14", "Absätze 5 bzw. 6"): the
    /// number at `first` continues the list and names a place in the document too.
    pub(super) fn continues_references(&self, prev_last: usize, first: usize) -> bool {
        let t = self.t;
        if first <= prev_last + 1 || first - prev_last > 4 || !t.same_line(first) {
            return false;
        }
        (prev_last + 1..first).all(|k| {
            t.is_punct(k, ',')
                || matches!(
                    t.word(k),
                    "und" | "oder" | "sowie" | "bzw" | "bis" | "u" | "and" | "or" | "to"
                )
                || (t.is_punct(k, '.') && k > 0 && matches!(t.word(k - 1), "bzw" | "u"))
        })
    }

    /// A document code with a year in brackets glued to its letters ("COM(2022) 677",
    /// "KOM(2021) 206", "P9_TA(2023)0068"): the last token of the code when the number at `i`
    /// is its year; nothing in it is a number.
    pub(super) fn bracketed_code(&self, i: usize) -> Option<usize> {
        let t = self.t;
        if t.kind(i) != Kind::Num || i < 2 || t.toks[i].space_before || !t.is_punct(i + 1, ')') {
            return None;
        }
        let open = i - 1;
        let letters = t.raw(open - 1);
        let code = t.is_punct(open, '(')
            && !t.toks[open].space_before
            && matches!(t.kind(open - 1), Kind::Word | Kind::Mixed)
            && letters.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && letters
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_uppercase());
        if !code {
            return None;
        }
        // The serial number after the bracket, glued or after a space on the same line.
        let after = i + 2;
        Some(if t.kind(after) == Kind::Num && t.same_line(i + 1) {
            after
        } else {
            i + 1
        })
    }

    /// A number tagged `reference` whose span starts at token `first` (its label, if any);
    /// a volume's issue glued to it belongs to it ("33(1)").
    pub(super) fn reference(&self, first: usize, c: &Core) -> (Raw, usize) {
        let t = self.t;
        let high = c.high.filter(|&h| h >= c.v);
        let k = c.last + 1;
        let issue = t.is_punct(k, '(')
            && t.kind(k + 1) == Kind::Num
            && t.is_punct(k + 2, ')')
            && !(t.toks[k].space_before
                || t.toks[k + 1].space_before
                || t.toks[k + 2].space_before);
        let last = if issue { k + 2 } else { c.last };
        let raw = Raw {
            byte_start: t.toks[first].byte_start.min(c.byte_start),
            byte_end: t.toks[last].byte_end.max(c.byte_end),
            value: c.v,
            value_high: high,
            qualifier: if high.is_some() {
                Qualifier::Range
            } else {
                Qualifier::Exact
            },
            unit: None,
            kind: ClaimKind::Reference,
            is_claim: false,
            relative_year: None,
        };
        (raw, last)
    }

    /// A label before token `first` that makes the number a name, not a count ("Gleis 3",
    /// "Flug 714", "ISSN 1733", "Nr. 5"); such numbers are not reported. Labels naming a place
    /// in a document are [`document_label`](Self::document_label)'s, checked first.
    pub(super) fn is_label(&self, first: usize) -> bool {
        let t = self.t;
        if first == 0 {
            return false;
        }
        let p = first - 1;
        if matches!(t.kind(p), Kind::Punct('#') | Kind::Punct('№')) {
            return true;
        }
        if t.is_punct(p, '.') && p > 0 {
            return matches!(
                t.word(p - 1),
                "no" | "abb" | "fig" | "tel" | "tab" | "bsp" | "az" | "aktz"
            );
        }
        matches!(
            t.word(p),
            "aktenzeichen"
                | "raum"
                | "ausgabe"
                | "folge"
                | "episode"
                | "teil"
                | "part"
                | "gleis"
                | "linie"
                | "route"
                | "flug"
                | "flight"
                | "zimmer"
                | "version"
                | "typ"
                | "type"
                | "modell"
                | "kanal"
                | "staffel"
                | "season"
                | "sektor"
                | "sector"
                | "tabelle"
                | "table"
                | "abbildung"
                | "figure"
                | "stufe"
                | "level"
                | "kategorie"
                | "category"
                | "issn"
                | "isbn"
                | "kalenderwoche"
                | "telefon"
                | "fax"
                | "hotline"
                | "kw"
                | "model"
                | "bündnis"
        )
    }
}
