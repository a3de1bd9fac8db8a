//! What one line of a scraped page is, on its own: the rules that recognise page furniture by
//! its words and shape (German and English pages). Context (where the line stands, what is
//! around it) is `mod.rs`'s job.

use serde::{Deserialize, Serialize};

/// The kind of page furniture a span is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BoilerplateKind {
    /// The portal's self-promotion ("Mehr als 150 Journalistinnen …").
    Promo,
    /// Menus, breadcrumbs, section labels, site names, footer link rows, tag lists.
    Navigation,
    /// Author lines and bios, affiliations, wire sign-offs.
    Byline,
    /// Photo, video and audio captions, media lines, player controls.
    Caption,
    /// Photo and source credits.
    Credit,
    /// Share, comment, newsletter, subscription, paywall, login and listen prompts.
    Prompt,
    /// Cookie and consent notices, external-content placeholders.
    Consent,
    /// "Lesen Sie auch", "Mehr zum Thema" and teaser links to other articles.
    Related,
    /// Advertisement markers and ad copy.
    Advertisement,
    /// Copyright and licence lines.
    Copyright,
    /// Journal mastheads, volume lines, running heads, page numbers, abstract labels.
    JournalHeader,
    /// ISSN, DOI, ORCID, agency codes.
    Identifier,
    /// Lines that only give dates, reading time or update notes.
    Metadata,
}

impl BoilerplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoilerplateKind::Promo => "promo",
            BoilerplateKind::Navigation => "navigation",
            BoilerplateKind::Byline => "byline",
            BoilerplateKind::Caption => "caption",
            BoilerplateKind::Credit => "credit",
            BoilerplateKind::Prompt => "prompt",
            BoilerplateKind::Consent => "consent",
            BoilerplateKind::Related => "related",
            BoilerplateKind::Advertisement => "advertisement",
            BoilerplateKind::Copyright => "copyright",
            BoilerplateKind::JournalHeader => "journal_header",
            BoilerplateKind::Identifier => "identifier",
            BoilerplateKind::Metadata => "metadata",
        }
    }
}

use super::vocabulary::{PHRASES, STARTS, WHOLE};
use BoilerplateKind::*;

/// The furniture kind a line is by its own words and shape, or `None` when it reads as
/// article text (or cannot be told on its own). `line` is trimmed.
pub fn classify(line: &str) -> Option<BoilerplateKind> {
    let lower = line.to_lowercase();
    let bare = lower
        .trim_matches(['.', ':', '!', ' ', '–', '—', '-', '·', '•', '|', '*'])
        .trim();
    let words = bare.split_whitespace().count();
    if bare.is_empty() {
        // Only separators and bullets: "|", "* * *", "—".
        return Some(Navigation);
    }
    if let Some(&(_, kind)) = WHOLE.iter().find(|(w, _)| *w == bare) {
        return Some(kind);
    }
    for &(start, kind) in STARTS {
        if lower.starts_with(start) {
            // "Von" and "By" open bylines only when a name follows, not sentences ("Von den
            // 30 Abgeordneten …").
            if matches!(start, "von " | "by ") && !looks_like_byline(line) {
                continue;
            }
            if kind == Metadata && words > 12 {
                continue;
            }
            return Some(kind);
        }
    }
    // A long line is prose even when it mentions a newsletter; a prompt is short.
    let prompt_len = words <= 25;
    for &(phrase, kind) in PHRASES {
        if lower.contains(phrase) && (kind != Prompt || prompt_len) {
            return Some(kind);
        }
    }
    if agency_code(&lower)
        || code_line(line)
        || lower.contains("issn ")
        || lower.contains("doi.org/")
        || lower.contains("doi: ")
    {
        return Some(Identifier);
    }
    if media_line(&lower) || ends_in_media_length(&lower) {
        return Some(Caption);
    }
    if date_only(&lower) || dated_label(line) {
        return Some(Metadata);
    }
    if words <= 4 && (lower.starts_with("nachrichten aus") || lower.starts_with("news from")) {
        return Some(Navigation);
    }
    if link_row(line) {
        return Some(Navigation);
    }
    if breadcrumb(line) {
        return Some(Navigation);
    }
    if volume_line(&lower) {
        return Some(JournalHeader);
    }
    if issue_reference(&lower) {
        return Some(Identifier);
    }
    if author_bio(line) {
        return Some(Byline);
    }
    if source_item(&lower) || bracketed_credit(&lower) {
        return Some(Credit);
    }
    if inline_credit(&lower) && words <= 35 {
        return Some(Caption);
    }
    if page_number(bare) {
        return Some(JournalHeader);
    }
    if comment_count(bare) {
        return Some(Prompt);
    }
    if line.ends_with("(Reuters)") && words <= 2 || bare == "(reuters)" || bare == "(dpa)" {
        return Some(Credit);
    }
    None
}

/// "Von Lea Hartmann", "By Emily Carter", "von Jan Schneider, Brüssel": a short line whose
/// words after the opener are names.
pub fn looks_like_byline(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next();
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() || rest.len() > 10 {
        return false;
    }
    let capitalised = rest
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let joiners = rest
        .iter()
        .filter(|w| {
            matches!(
                **w,
                "und" | "and" | "&" | "von" | "van" | "de" | "der" | "on" | "am"
            )
        })
        .count();
    capitalised >= 1
        && capitalised + joiners + digits_words(&rest) >= rest.len().saturating_sub(1)
        && !line.trim_end().ends_with('.')
}

fn digits_words(words: &[&str]) -> usize {
    words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count()
}

/// "dpa:240614-99-123456/3", "dpa lno kfb yyzz a3 mk": agency and tracking codes.
fn agency_code(lower: &str) -> bool {
    lower.contains("dpa:") && lower.chars().filter(char::is_ascii_digit).count() >= 6
        || lower.split_whitespace().count() >= 4
            && lower.starts_with("dpa ")
            && lower.split_whitespace().all(|w| w.len() <= 4)
}

/// "ttn-de-58", "AFP-123": one token of letters, digits and hyphens with both letters and
/// digits, nothing else on the line.
fn code_line(line: &str) -> bool {
    let t = line.trim();
    !t.contains(' ')
        && t.len() >= 5
        && t.contains('-')
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().any(|c| c.is_ascii_alphabetic())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// "20.06.2024 | 1:04 min", "1:04 min", "Video | 2:31": media lines of players.
fn media_line(lower: &str) -> bool {
    let has_duration = lower
        .split(|c: char| c.is_whitespace() || c == '|')
        .any(|w| {
            let mut p = w.split(':');
            matches!((p.next(), p.next(), p.next()), (Some(a), Some(b), None)
                if !a.is_empty() && a.len() <= 2 && b.len() == 2
                    && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()))
        });
    has_duration
        && (lower.contains("min") || lower.contains('|'))
        && lower.split_whitespace().count() <= 8
}

/// "… Ein Munitionsdepot soll gewachsen sein. 20.06.2024 | 1:04 min": a video or audio teaser
/// that ends in the clip's date and length.
fn ends_in_media_length(lower: &str) -> bool {
    let Some(rest) = lower.trim_end().strip_suffix("min") else {
        return false;
    };
    let rest = rest.trim_end();
    let Some((before, length)) = rest.rsplit_once(['|', ' ']) else {
        return false;
    };
    let length_ok = length.split_once(':').is_some_and(|(m, s)| {
        !m.is_empty()
            && m.bytes().all(|b| b.is_ascii_digit())
            && s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
    });
    let before = before.trim_end();
    length_ok && (before.ends_with('|') || before.ends_with(|c: char| c.is_ascii_digit()))
}

/// A line that is only a date and maybe a time: "14.06.2024, 14:32 Uhr", "16. Mai 2024,
/// 8:00 Uhr", "24.10.2023 09:12", "March 14, 2024".
pub fn date_only(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 12 {
        return false;
    }
    let dateish = |w: &str| {
        let w = w.trim_end_matches('.');
        w.bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b':' || c == b'/' || c == b'-')
            || super::meta::month_number(w).is_some()
            || matches!(
                w,
                "uhr"
                    | "am"
                    | "pm"
                    | "gmt"
                    | "utc"
                    | "mez"
                    | "mesz"
                    | "cet"
                    | "cest"
                    | "aktualisiert"
                    | "updated"
                    | "veröffentlicht"
                    | "erstellt"
                    | "um"
                    | "at"
            )
    };
    words.iter().all(|w| dateish(w))
        && words.iter().any(|w| {
            w.matches('.').count() >= 2 || w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit())
        })
}

/// "Impressum | Datenschutz | AGB | Kontakt", "Abo | Anmelden", "Kurse | Watchlist | Depot":
/// short items separated by bars.
fn link_row(line: &str) -> bool {
    let parts: Vec<&str> = line.split(['|', '·', '•']).map(str::trim).collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.split_whitespace().count() <= 3 && !p.ends_with('.'))
}

/// "Startseite > Politik > Ausland", "Lokales > Lüneburg", "Home / World / Europe".
fn breadcrumb(line: &str) -> bool {
    for sep in [" > ", " › ", " » ", " / "] {
        let parts: Vec<&str> = line.split(sep).map(str::trim).collect();
        if parts.len() >= 2 && parts.iter().all(|p| p.split_whitespace().count() <= 3) {
            return sep != " / " || parts.len() >= 3;
        }
    }
    false
}

/// A line that is only a page number ("46", "- 12 -").
fn page_number(bare: &str) -> bool {
    let t = bare.trim_matches(|c: char| c == '-' || c.is_whitespace());
    !t.is_empty() && t.len() <= 4 && t.bytes().all(|c| c.is_ascii_digit())
}

/// "Publiziert: 12.06.2024, 06:45", "Online seit 03.04.2024", "Artikel vom 13.04.2024,
/// 18:07 Uhr": a short line that states a full date and is no sentence.
fn dated_label(line: &str) -> bool {
    line.split_whitespace().count() <= 14
        && !line.trim_end().ends_with(['.', '!', '?'])
        && super::meta::date_in_line(line).is_some()
}

/// "(Image: Fenbridge Courier / Tom Halliwell)", "(Foto: Keystone)": a credit in brackets.
fn bracketed_credit(lower: &str) -> bool {
    let t = lower.trim();
    t.starts_with('(')
        && t.ends_with(')')
        && t.split_whitespace().count() <= 12
        && [
            "foto", "bild", "image", "photo", "quelle", "source", "grafik", "archiv",
        ]
        .iter()
        .any(|w| t[1..].starts_with(w))
}

/// "Jg. 12 (2023), Nr. 2, S. 45–68", "2024, Nr. 1 (31)", "Vol. 5, No. 2": a journal's volume
/// and issue line: short, mostly numbers, with a volume or issue word.
fn volume_line(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let marker = words.iter().any(|w| {
        matches!(
            w.trim_end_matches([',', '.']),
            "jg" | "nr" | "vol" | "no" | "heft" | "bd" | "jahrgang" | "issue"
        )
    });
    let numeric = words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count();
    marker && words.len() <= 10 && numeric * 2 >= words.len()
}

/// "Aus der WOCHENSCHAU Nr. 21/2024": a line naming a print issue.
fn issue_reference(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.len() <= 8
        && words.windows(2).any(|w| {
            w[0] == "nr."
                && w[1].contains('/')
                && w[1].chars().filter(char::is_ascii_digit).count() >= 4
        })
}

/// "Jonas Albrecht ist Redakteur im Ressort Wissen …", "Emily Carter is a reporter …": an
/// author's note about themselves.
fn author_bio(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(at) = words
        .iter()
        .position(|w| matches!(*w, "ist" | "is" | "war" | "was"))
    else {
        return false;
    };
    let name = &words[..at];
    let role = words[at + 1..].iter().take(3).any(|w| {
        let w = w.to_lowercase();
        [
            "redakteur",
            "korrespondent",
            "reporter",
            "journalist",
            "autor",
            "kolumnist",
            "editor",
            "correspondent",
            "professor",
            "ressortleiter",
        ]
        .iter()
        .any(|r| w.starts_with(r))
    });
    (2..=3).contains(&name.len())
        && name
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && role
        && words.len() <= 40
}

/// "- nytimes.com: …", "- Telefonat mit Dr. …": an item of a sources list.
fn source_item(lower: &str) -> bool {
    let Some(item) = lower.strip_prefix("- ") else {
        return false;
    };
    let domain = item.split_whitespace().next().is_some_and(|w| {
        let w = w.trim_end_matches(':');
        w.contains('.')
            && [
                ".com", ".de", ".org", ".net", ".gov", ".eu", ".ch", ".at", ".uk",
            ]
            .iter()
            .any(|t| w.ends_with(t))
    });
    domain
        || [
            "telefonat mit",
            "gespräch mit",
            "interview mit",
            "eigene recherche",
        ]
        .iter()
        .any(|p| item.starts_with(p))
}

/// A caption that carries its own credit: "… aus. Foto: Fabian Roth/dpa", "… © Nordfunk",
/// "(eigenes Foto)".
fn inline_credit(lower: &str) -> bool {
    let trimmed = lower.trim_end();
    // "… die Rinder zusammen. (Archivbild: Keystone)", "… (Foto: dpa)"
    if let Some(open) = trimmed.rfind('(').filter(|_| trimmed.ends_with(')')) {
        let inner = &trimmed[open + 1..];
        if ["foto", "bild", "archivbild", "image", "photo", "grafik"]
            .iter()
            .any(|w| inner.starts_with(w))
            && open > 0
        {
            return true;
        }
    }
    [" foto: ", " bild: ", "(foto:", "(bild:"]
        .iter()
        .any(|p| lower.contains(p))
        || trimmed.ends_with("foto)")
        || lower
            .rfind(" © ")
            .is_some_and(|p| trimmed[p..].split_whitespace().count() <= 5)
}

/// "3 Kommentare", "12 comments", "Kommentare (52)".
fn comment_count(bare: &str) -> bool {
    if let Some(rest) = bare
        .strip_prefix("kommentare (")
        .or_else(|| bare.strip_prefix("comments ("))
    {
        return rest
            .trim_end_matches(')')
            .bytes()
            .all(|b| b.is_ascii_digit());
    }
    let mut w = bare.split_whitespace();
    matches!((w.next(), w.next(), w.next()), (Some(n), Some(c), None)
        if n.bytes().all(|b| b.is_ascii_digit()) && matches!(c, "kommentare" | "kommentar" | "comments" | "comment"))
}

/// A masthead: a line in capitals of at least three words ("KRAKOWSKIE STUDIA …",
/// "ZEITSCHRIFT FÜR …"), as journals and magazines print their names.
pub fn shouting(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 12
        && line.split_whitespace().count() >= 2
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_by_kind() {
        assert_eq!(
            classify("Lesen Sie auch: Warum die Mieten steigen"),
            Some(Related)
        );
        assert_eq!(classify("Foto: Marc Engel / laif"), Some(Credit));
        assert_eq!(classify("Von Lea Hartmann"), Some(Byline));
        assert_eq!(
            classify("Von den 30 Abgeordneten stimmten 12 dagegen."),
            None
        );
        assert_eq!(classify("Stand: 19.06.2024 14:32 Uhr"), Some(Metadata));
        assert_eq!(classify("20.06.2024 | 1:04 min"), Some(Caption));
        assert_eq!(classify("Impressum | Datenschutz | AGB"), Some(Navigation));
        assert_eq!(
            classify("© dpa-infocom, dpa:240614-99-123456/3"),
            Some(Copyright)
        );
        assert_eq!(classify("e-ISSN 2451-0610"), Some(Identifier));
        assert_eq!(classify("14.06.2024, 14:32 Uhr"), Some(Metadata));
        assert_eq!(classify("Die Regierung plant eine Reform der Rente."), None);
        assert!(shouting("KRAKOWSKIE STUDIA MIĘDZYNARODOWE"));
    }
}
