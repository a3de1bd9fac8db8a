//! The article vs the page around it. Scraped text brings menus, promo lines, captions,
//! bylines, prompts and identifiers along with the report; this stage finds them, line by line
//! and in parts of lines, and finds the headline, the authors, a dateline and a publication date
//! written in the page. Nothing is removed from `text`: every later stage reads the spans
//! ([`PageLayout::covers`]) and treats furniture accordingly (no asserted claims, no counted
//! entities, no summary sentences).
//!
//! [`lines`] tells what a line is on its own; [`meta`] reads names, datelines and dates; this
//! module adds what only the context shows (the headline, kickers and section labels above it,
//! teasers after a "Mehr zum Thema", ad copy after "Anzeige", captions over a photo credit,
//! running heads of journal pages).

pub mod lines;
pub mod meta;
mod stage;
mod vocabulary;

pub use lines::BoilerplateKind;
pub use stage::{PageStage, RULES_VERSION};

use serde::{Deserialize, Serialize};

use crate::document::Span;

/// A span of page furniture in the article text (char offsets).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Boilerplate {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: BoilerplateKind,
}

/// A dateline opening the report: "BERLIN (dpa) -", "Lüneburg.".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Dateline {
    pub place: Span,
    pub agency: Option<Span>,
}

/// A publication date written in the page ("Stand: 19.06.2024 14:32 Uhr").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PublishedInText {
    /// The line or phrase it was read from.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// ISO 8601: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (time zone dropped).
    pub value: String,
}

/// What the page stage found (`page` in the record).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageLayout {
    /// The headline as found in the text; for `.txt` inputs it is the record's `title`.
    pub headline: Option<Span>,
    pub boilerplate: Vec<Boilerplate>,
    /// Author names from bylines, as written.
    pub authors: Vec<Span>,
    pub dateline: Option<Dateline>,
    pub published: Option<PublishedInText>,
}

impl PageLayout {
    /// Whether chars `[start, end)` lie inside page furniture (the larger part of them).
    pub fn covers(&self, start: usize, end: usize) -> bool {
        let len = end.saturating_sub(start).max(1);
        let inside: usize = self
            .boilerplate
            .iter()
            .map(|b| end.min(b.end).saturating_sub(start.max(b.start)))
            .sum();
        inside * 2 > len
    }
}

/// One line of the text: char range of its trimmed content.
#[derive(Debug, Clone)]
struct Line {
    start: usize,
    end: usize,
    text: String,
    kind: Option<BoilerplateKind>,
    /// Chars from `start` that are furniture glued before the article part
    /// ("…Leitbild von RHEINBLICK.Bundesrat stoppt …"), with the furniture's kind.
    glued: Option<(usize, BoilerplateKind)>,
}

impl Line {
    fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split('\n') {
        let n = raw.chars().count();
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let start = at + lead;
            out.push(Line {
                start,
                end: start + trimmed.chars().count(),
                text: trimmed.to_string(),
                kind: None,
                glued: None,
            });
        }
        at += n + 1;
    }
    out
}

/// Where furniture glued to article text ends: a lower-case letter or period directly before
/// a capitalised word ("RHEINBLICK.Bundesrat", "AboBürgerinitiative", "EPAWährend"), the part
/// before it furniture on its own and the part after it not.
fn glue_point(line: &str) -> Option<(usize, BoilerplateKind)> {
    let chars: Vec<char> = line.chars().collect();
    for p in 1..chars.len().saturating_sub(1) {
        let (prev, cur, next) = (chars[p - 1], chars[p], chars[p + 1]);
        let glued = cur.is_uppercase()
            && next.is_lowercase()
            && (prev.is_lowercase() || prev == '.' || prev.is_uppercase() || prev == '?');
        if !glued {
            continue;
        }
        let left: String = chars[..p].iter().collect();
        let right: String = chars[p..].iter().collect();
        if right.split_whitespace().count() < 3 {
            continue;
        }
        let kind = lines::classify(left.trim()).or_else(|| breadcrumb_tail(&left));
        if let Some(kind) = kind {
            if lines::classify(right.trim()).is_none() {
                return Some((p, kind));
            }
        }
    }
    None
}

/// Above the report, a label glued to a headline with no space ("Regionalliga West, 27.
/// SpieltagRotbach dreht …"): a lower-case letter directly before a capitalised word, the part
/// before it a few words that end no sentence, the part after it a headline.
fn glued_label(line: &str) -> Option<(usize, BoilerplateKind)> {
    let chars: Vec<char> = line.chars().collect();
    for p in 1..chars.len().saturating_sub(2) {
        if !(chars[p - 1].is_lowercase() && chars[p].is_uppercase() && chars[p + 1].is_lowercase())
        {
            continue;
        }
        let left: String = chars[..p].iter().collect();
        let right: String = chars[p..].iter().collect();
        let left_words = left.split_whitespace().count();
        if (2..=8).contains(&left_words) && headline_like(right.trim()) && !prose(left.trim()) {
            return Some((p, BoilerplateKind::Navigation));
        }
    }
    None
}

/// "Abstract: Der Beitrag …": a label before the text it labels; the label alone is furniture.
fn label_prefix(line: &str) -> Option<(usize, BoilerplateKind)> {
    let lower = line.to_lowercase();
    let label = ["abstract:", "zusammenfassung:", "summary:"]
        .iter()
        .find(|l| lower.starts_with(*l))?;
    let rest = &line[label.len()..];
    (rest.split_whitespace().count() >= 5)
        .then(|| (label.chars().count(), BoilerplateKind::JournalHeader))
}

/// "Startseite > Politik > Ausland" glued to its headline: the crumbs alone.
fn breadcrumb_tail(left: &str) -> Option<BoilerplateKind> {
    (left.contains(" > ") || left.contains(" › ")).then_some(BoilerplateKind::Navigation)
}

/// "Universität Regensburg, Institut für …", "Keimyung University, Daegu": an affiliation.
fn affiliation(line: &str) -> bool {
    let lower = line.to_lowercase();
    let institution = [
        "universit",
        "institut",
        "hochschule",
        "college",
        "akademie",
        "academy",
        "fellow",
        "professor",
        "forschungs",
    ]
    .iter()
    .any(|w| lower.contains(w));
    institution && line.split_whitespace().count() <= 25 && !line.ends_with('.')
}

/// "Martina Vogl", "Ralf Havertz": a line that is only a name.
fn name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
}

/// A line that reads as a headline: a few words, not a sentence of prose.
fn headline_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (3..=25).contains(&words)
        && (!line.ends_with('.') || line.ends_with("..."))
        && !lines::shouting(line)
}

/// A line of prose: long enough and ending like a sentence.
fn prose(line: &str) -> bool {
    line.split_whitespace().count() >= 8
        && line
            .trim_end_matches(['"', '“', '”', '»', '«', ')', '\''])
            .ends_with(['.', '!', '?', ':'])
}

/// Finds the page furniture, headline and metadata of `text`.
pub fn analyse(text: &str) -> PageLayout {
    let mut lines = split_lines(text);
    let first_prose = lines
        .iter()
        .position(|l| prose(&l.text))
        .unwrap_or(lines.len());
    for (i, l) in lines.iter_mut().enumerate() {
        l.kind = lines::classify(&l.text);
        let glued = glue_point(&l.text)
            .or_else(|| label_prefix(&l.text))
            .or_else(|| (i < first_prose).then(|| glued_label(&l.text)).flatten());
        if let Some(g) = glued {
            l.glued = Some(g);
            l.kind = None;
        }
    }
    let journal = lines.iter().any(|l| {
        matches!(l.kind, Some(BoilerplateKind::Identifier))
            && (l.text.to_lowercase().contains("issn") || l.text.to_lowercase().contains("doi"))
    });
    let headline = choose_headline(&mut lines, journal);
    context_rules(&mut lines, headline, journal);
    tail_rule(&mut lines, headline);

    let mut layout = PageLayout::default();
    for l in &lines {
        if let Some(kind) = l.kind {
            layout.boilerplate.push(Boilerplate {
                start: l.start,
                end: l.end,
                text: l.text.clone(),
                kind,
            });
        } else if let Some((p, kind)) = l.glued {
            let part: String = l.text.chars().take(p).collect();
            layout.boilerplate.push(Boilerplate {
                start: l.start,
                end: l.start + p,
                text: part,
                kind,
            });
        }
    }
    if let Some(h) = headline {
        let l = &lines[h];
        let skip = l.glued.map_or(0, |(p, _)| p);
        let text: String = l.text.chars().skip(skip).collect();
        // "Allianz*": a footnote mark is not part of the headline.
        let trimmed = text.trim_end_matches(['*', '†']).trim_end();
        layout.headline = Some(Span {
            start: l.start + skip,
            end: l.start + skip + trimmed.chars().count(),
            text: trimmed.to_string(),
        });
    }
    layout.authors = authors(&lines);
    layout.dateline = find_dateline(&lines, headline);
    layout.published = published(&lines, headline);
    layout
}

/// The headline: among the headline-like lines (or article parts of glued lines) that are not
/// furniture and stand before the report starts, the longest (site names and labels above a
/// headline are shorter than it).
fn choose_headline(lines: &mut [Line], journal: bool) -> Option<usize> {
    let limit = lines.len().min(20);
    let mut best: Option<(usize, usize)> = None;
    for i in 0..limit {
        let l = &lines[i];
        if l.kind.is_some() {
            continue;
        }
        let text: String = match l.glued {
            Some((p, _)) => l.text.chars().skip(p).collect(),
            None => l.text.clone(),
        };
        // Journal pages: the author and affiliation block comes before the title.
        if journal && (name_line(&text) || affiliation(&text)) {
            continue;
        }
        if affiliation(&text) && i + 1 < lines.len() {
            continue;
        }
        if lines::shouting(&text) && i + 1 < limit {
            continue;
        }
        if headline_like(&text) {
            // A site name or label above the headline is short; the first line of five words
            // or more is the headline, else the first candidate.
            let words = text.split_whitespace().count();
            if words >= 5 {
                return Some(i);
            }
            best.get_or_insert((i, words));
            continue;
        }
        if prose(&text) && (i > 0 || best.is_some()) {
            // The report has started.
            break;
        }
    }
    best.map(|(i, _)| i)
}

fn context_rules(lines: &mut [Line], headline: Option<usize>, journal: bool) {
    use BoilerplateKind::*;
    let n = lines.len();
    let top = headline.unwrap_or(0);
    // Above the headline: mastheads, section labels and site names; the line right above the
    // headline is its kicker (article), unless it is a known label.
    for (i, line) in lines.iter_mut().enumerate().take(top) {
        if line.kind.is_some() || line.glued.is_some() {
            continue;
        }
        let t = &line.text;
        line.kind = if lines::shouting(t) {
            Some(if journal { JournalHeader } else { Navigation })
        } else if journal && (name_line(t) || affiliation(t)) {
            Some(Byline)
        } else if line.words() <= 4 && !t.ends_with('.') && i + 1 != top {
            Some(Navigation)
        } else if journal && line.words() <= 6 && t.contains(" / ") {
            Some(JournalHeader)
        } else {
            None
        };
    }
    for i in 0..n {
        if lines[i].kind.is_some() || lines[i].glued.is_some() || Some(i) == headline {
            continue;
        }
        let text = lines[i].text.clone();
        let prev = i.checked_sub(1).and_then(|p| lines[p].kind);
        let prev_text = i
            .checked_sub(1)
            .map(|p| lines[p].text.clone())
            .unwrap_or_default();
        // A run of related lines that opened with a header ("Mehr zum Thema") or a line that
        // announces a link ("… im Liveblog:").
        let related_run = prev == Some(Related) && {
            let mut k = i - 1;
            while k > 0 && lines[k].kind == Some(Related) && !related_header(&lines[k].text) {
                k -= 1;
            }
            lines[k].kind == Some(Related) && related_header(&lines[k].text)
        };
        let next_kind = lines.get(i + 1).and_then(|l| l.kind);
        let next_text = lines
            .get(i + 1)
            .map(|l| l.text.to_lowercase())
            .unwrap_or_default();
        // A name over an affiliation: an author block.
        if name_line(&text) && lines.get(i + 1).is_some_and(|l| affiliation(&l.text)) {
            lines[i].kind = Some(Byline);
            continue;
        }
        if affiliation(&text) && prev == Some(Byline) && lines[i].words() <= 25 {
            lines[i].kind = Some(Byline);
            continue;
        }
        // Teaser links after "Mehr zum Thema", "Weitere Nachrichten" (and after a related
        // line ending in a colon: "… in unserem Liveblog:").
        if related_run
            && (headline_like(&text) || prev_text.ends_with(':'))
            && lines[i].words() <= 30
        {
            lines[i].kind = Some(Related);
            continue;
        }
        // Ad copy right after an "Anzeige" marker.
        if prev == Some(Advertisement)
            && marker(&prev_text)
            && lines[i].words() <= 20
            && (!prose(&text) || text.ends_with(['!', '*']))
        {
            lines[i].kind = Some(Advertisement);
            continue;
        }
        // A photo caption: one short sentence over a photo credit (standing alone or glued
        // to the next paragraph).
        let next_glued = lines.get(i + 1).and_then(|l| l.glued).map(|g| g.1);
        let photo_credit = (next_kind == Some(Credit) || next_glued == Some(Credit))
            && ["foto", "bild", "image", "photo", "fotos"]
                .iter()
                .any(|w| next_text.starts_with(w));
        if photo_credit && lines[i].words() <= 25 && sentence_count(&text) <= 1 {
            lines[i].kind = Some(Caption);
            continue;
        }
        // A caption that carries its own credit: "… aus. Foto: Fabian Roth/dpa".
        let lower = text.to_lowercase();
        if (lower.contains(" foto: ") || lower.contains(" bild: ") || lower.contains("(foto:"))
            && lines[i].words() <= 35
        {
            lines[i].kind = Some(Caption);
            continue;
        }
        // Journal pages: running heads repeat the masthead, the author or the title.
        if journal && i > top {
            let repeats = lines[..i].iter().any(|l| {
                l.text == text && l.words() <= 12
                    || (lines::shouting(&l.text)
                        && text.starts_with(&l.text[..l.text.len().min(20)]))
            });
            let title_part = headline.is_some_and(|h| {
                lines[h].text.starts_with(&text) && lines[i].words() <= 12 && lines[i].words() >= 2
            });
            let author_title =
                text.contains(": ") && name_line(text.split(": ").next().unwrap_or(""));
            if repeats || title_part || (author_title && !prose(&text)) || lines::shouting(&text) {
                lines[i].kind = Some(JournalHeader);
                continue;
            }
        }
    }
}

/// "Mehr zum Thema", "Weitere Nachrichten", "… in unserem Liveblog:": a line that opens a list
/// of links.
fn related_header(text: &str) -> bool {
    (text.split_whitespace().count() <= 6 && !text.contains(": ")) || text.ends_with(':')
}

/// "Anzeige", "ANZEIGE", "Werbung": an ad marker line.
fn marker(text: &str) -> bool {
    matches!(
        text.to_lowercase().trim_end_matches(':'),
        "anzeige" | "werbung" | "advertisement" | "sponsored" | "anzeige:"
    )
}

/// After the report's last paragraph of prose, what is left is the page's tail: link lists,
/// prompts and footers. Lines no rule named get a kind by their shape.
fn tail_rule(lines: &mut [Line], headline: Option<usize>) {
    use BoilerplateKind::*;
    let Some(last_prose) = lines
        .iter()
        .rposition(|l| l.kind.is_none() && l.glued.is_none() && prose(&l.text))
    else {
        return;
    };
    if headline.is_some_and(|h| last_prose <= h) {
        return;
    }
    for l in lines.iter_mut().skip(last_prose + 1) {
        // Long lines are the report's, whatever their ending.
        if l.kind.is_some() || l.glued.is_some() || l.words() > 15 {
            continue;
        }
        l.kind = Some(if headline_like(&l.text) {
            Related
        } else if l.words() < 3 {
            Navigation
        } else {
            Prompt
        });
    }
}

fn sentence_count(text: &str) -> usize {
    text.matches(". ").count() + 1
}

fn authors(lines: &[Line]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.kind != Some(BoilerplateKind::Byline) {
            continue;
        }
        let mut found = meta::byline_names(&l.text);
        if found.is_empty()
            && name_line(&l.text)
            && lines.get(i + 1).is_some_and(|n| affiliation(&n.text))
        {
            found.push((0, l.text.chars().count()));
        }
        for (s, e) in found {
            let text: String = l.text.chars().skip(s).take(e - s).collect();
            if !out.iter().any(|a| a.text == text) {
                out.push(Span {
                    start: l.start + s,
                    end: l.start + e,
                    text,
                });
            }
        }
    }
    out
}

/// The dateline of the first report paragraph after the headline.
fn find_dateline(lines: &[Line], headline: Option<usize>) -> Option<Dateline> {
    let from = headline.map_or(0, |h| h + 1);
    // The dateline opens the report, which may follow a teaser or a summary box.
    let (first, (place, agency)) = lines[from.min(lines.len())..]
        .iter()
        .filter(|l| l.kind.is_none() && l.glued.is_none() && l.words() >= 8)
        .take(5)
        .find_map(|l| meta::dateline(&l.text).map(|d| (l, d)))?;
    let span = |(s, e): (usize, usize)| Span {
        start: first.start + s,
        end: first.start + e,
        text: first.text.chars().skip(s).take(e - s).collect(),
    };
    Some(Dateline {
        place: span(place),
        agency: agency.map(span),
    })
}

/// The publication date the page states: a stated first publication before an update, an
/// update before "Stand:", any of them before the date of a media line; the first of a role.
fn published(lines: &[Line], headline: Option<usize>) -> Option<PublishedInText> {
    let mut best: Option<(meta::DateRole, usize, meta::FoundDate)> = None;
    for (i, l) in lines.iter().enumerate() {
        let furniture = matches!(
            l.kind,
            Some(BoilerplateKind::Metadata | BoilerplateKind::Caption | BoilerplateKind::Byline)
        );
        // A bare date line under the headline, or a metadata/byline/media line anywhere.
        let near_top = headline.is_some_and(|h| i > h && i <= h + 6);
        if !(furniture || (near_top && lines::date_only(&l.text.to_lowercase()))) {
            continue;
        }
        let Some(found) = meta::date_in_line(&l.text) else {
            continue;
        };
        if best.as_ref().is_none_or(|(role, _, _)| found.role < *role) {
            best = Some((found.role, i, found));
        }
    }
    let (_, i, found) = best?;
    let l = &lines[i];
    Some(PublishedInText {
        start: l.start,
        end: l.end,
        text: l.text.clone(),
        value: found.iso,
    })
}
