//! Numbers that name rather than count: labels before them ("Artikel 4", "S. 28", "Gleis 3")
//! and the apparatus of reference sentences.

use super::super::tokens::Kind;
use super::super::{ClaimKind, Qualifier};
use super::{Core, Ctx, Raw};

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
                "s" | "bd" | "abs" | "art" | "vol" | "p" | "pp" | "kap" | "ziff" | "h"
            );
            return abbreviated.then_some(p - 1);
        }
        let named = matches!(
            t.word(p),
            "artikel"
                | "article"
                | "resolution"
                | "resolutionen"
                | "paragraf"
                | "paragraph"
                | "paragrafen"
                | "absatz"
                | "kapitel"
                | "chapter"
                | "seite"
                | "seiten"
                | "page"
                | "pages"
                | "band"
                | "heft"
                | "jahrgang"
                | "volume"
                | "issue"
                | "tagesordnungspunkt"
                | "tagesordnungspunkte"
        );
        named.then_some(p)
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
            && !(t.toks[k].sp || t.toks[k + 1].sp || t.toks[k + 2].sp);
        let last = if issue { k + 2 } else { c.last };
        let raw = Raw {
            s: t.toks[first].s.min(c.s),
            e: t.toks[last].e.max(c.e),
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
                "nr" | "no" | "abb" | "fig" | "tel" | "tab" | "bsp"
            );
        }
        matches!(
            t.word(p),
            "nr" | "nummer"
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
                | "ziffer"
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
