//! Metadata written in the page: authors from bylines, the dateline that opens a wire or
//! regional report ("BERLIN (dpa) -", "Lüneburg."), and the date and time of publication
//! ("Stand: 19.06.2024 14:32 Uhr", "Veröffentlicht am …", "20.06.2024 | 1:04 min").

/// Month number of a German or English month name or abbreviation ("Mai", "March", "Okt.").
pub fn month_number(w: &str) -> Option<u32> {
    crate::stages::claims::numerals::month(&w.trim_end_matches('.').to_lowercase())
}

/// How sure a date line is to give the first publication: lower is preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DateRole {
    /// "Veröffentlicht", "Erschienen", "Erstveröffentlichung", "Published", "Posted", or a
    /// bare date line.
    Published = 0,
    /// "Aktualisiert", "Updated".
    Updated = 1,
    /// "Stand:".
    AsOf = 2,
    /// The date of a video or audio line.
    Media = 3,
}

/// A date (and time) found in a line: ISO `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, and the char
/// range of the date phrase within the line.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    pub iso: String,
    pub role: DateRole,
}

/// The publication date a line states, if it states one.
pub fn date_in_line(line: &str) -> Option<FoundDate> {
    let lower = line.to_lowercase();
    // The role is what the words before the first date say ("28. August 2024 … Aktualisiert
    // am …" is a first publication, then an update).
    let before_digit = lower
        .find(|c: char| c.is_ascii_digit())
        .map_or(lower.as_str(), |p| &lower[..p]);
    let role = if before_digit.contains("aktualisiert") || before_digit.contains("updated") {
        DateRole::Updated
    } else if before_digit.starts_with("stand") {
        DateRole::AsOf
    } else if (lower.contains(" min") && lower.contains('|')) || lower.contains("im programm") {
        DateRole::Media
    } else {
        DateRole::Published
    };
    // "Eingereicht: … | Angenommen: … | Online veröffentlicht: 15.11.2023": the published part.
    let part = lower
        .split('|')
        .find(|p| p.contains("veröffentlicht") || p.contains("published"))
        .unwrap_or(&lower);
    let (y, m, d, rest) = find_date(part)?;
    let mut iso = format!("{y:04}-{m:02}-{d:02}");
    if let Some((h, min)) = find_time(rest) {
        iso.push_str(&format!("T{h:02}:{min:02}"));
    }
    Some(FoundDate { iso, role })
}

/// The first date in `s`: "19.06.2024", "16. Mai 2024", "14 March 2024", "March 14, 2024",
/// "2024-06-19"; with the text after it.
fn find_date(s: &str) -> Option<(u32, u32, u32, &str)> {
    let words: Vec<(usize, &str)> = s
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
        .collect();
    for (k, &(at, w)) in words.iter().enumerate() {
        let clean = w.trim_end_matches([',', ';']);
        // dd.mm.yyyy
        let parts: Vec<&str> = clean.trim_end_matches('.').split('.').collect();
        if parts.len() == 3 {
            if let (Ok(d), Ok(m), Ok(y)) = (parts[0].parse(), parts[1].parse(), parts[2].parse()) {
                if valid(y, m, d) {
                    return Some((y, m, d, &s[at + w.len()..]));
                }
            }
        }
        // yyyy-mm-dd
        let parts: Vec<&str> = clean.split('-').collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            if let (Ok(y), Ok(m), Ok(d)) = (parts[0].parse(), parts[1].parse(), parts[2].parse()) {
                if valid(y, m, d) {
                    return Some((y, m, d, &s[at + w.len()..]));
                }
            }
        }
        // "16. Mai 2024", "14 March 2024"
        if let (Ok(d), Some(&(_, mw)), Some(&(yat, yw))) = (
            clean.trim_end_matches('.').parse::<u32>(),
            words.get(k + 1),
            words.get(k + 2),
        ) {
            if let (Some(m), Ok(y)) = (month_number(mw), yw.trim_end_matches(',').parse::<u32>()) {
                if valid(y, m, d) {
                    return Some((y, m, d, &s[yat + yw.len()..]));
                }
            }
        }
        // "March 14, 2024"
        if let (Some(m), Some(&(_, dw)), Some(&(yat, yw))) =
            (month_number(clean), words.get(k + 1), words.get(k + 2))
        {
            if let (Ok(d), Ok(y)) = (
                dw.trim_end_matches(',').parse::<u32>(),
                yw.trim_end_matches(',').parse::<u32>(),
            ) {
                if valid(y, m, d) {
                    return Some((y, m, d, &s[yat + yw.len()..]));
                }
            }
        }
    }
    None
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// "14:32 Uhr", "09:12", "10:05 GMT", "8:00 Uhr" right after a date (or after ", " / "um").
fn find_time(rest: &str) -> Option<(u32, u32)> {
    let w = rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '|'))
        .find(|w| !w.is_empty() && *w != "um" && *w != "at")?;
    // "17.12 Uhr" (Austrian and Swiss pages) as well as "17:12".
    let (h, m) = w.split_once(':').or_else(|| {
        let (h, m) = w.split_once('.')?;
        (m.len() == 2 && rest.to_lowercase().contains("uhr")).then_some((h, m))
    })?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    // "20.06.2024 | 1:04 min": a length, not a time of day.
    let unit = rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '|'))
        .filter(|w| !w.is_empty())
        .nth(1)
        .unwrap_or("");
    if matches!(unit, "min" | "min." | "minuten" | "sek" | "s") {
        return None;
    }
    (h < 24 && m < 60).then_some((h, m))
}

/// Names in a byline line: "Von Clara Wendt und Tobias Rieger" → ["Clara Wendt", "Tobias
/// Rieger"]; "Posted by Henrik Maas on 4. März 2024" → ["Henrik Maas"]; "(Bericht von Anna
/// Keller, redigiert von Paul Brandt …)" → ["Anna Keller"]. Char ranges within `line`.
pub fn byline_names(line: &str) -> Vec<(usize, usize)> {
    let lower = line.to_lowercase();
    let openers = [
        "ein kommentar von ",
        "eine analyse von ",
        "ein gastbeitrag von ",
        "eine kolumne von ",
        "(bericht von ",
        "posted by ",
        "geschrieben von ",
        "verfasst von ",
        "written by ",
        "autorin: ",
        "autoren: ",
        "autor: ",
        "text: ",
        "von ",
        "by ",
    ];
    let Some(open) = openers.iter().find(|o| lower.starts_with(*o)) else {
        return Vec::new();
    };
    // Byte offset after the opener (lower-casing may not keep lengths: count chars).
    let skip = open.chars().count();
    let rest: String = line.chars().skip(skip).collect();
    let mut names = Vec::new();
    for chunk in split_keep(&rest, &[" und ", " and ", ", ", " & "]) {
        let (text, at) = chunk;
        let stop = [
            " on ",
            " am ",
            ", redigiert",
            " redigiert",
            ". ",
            " (",
            " |",
        ];
        let mut name = text;
        for s in stop {
            if let Some(p) = name.find(s) {
                name = &name[..p];
            }
        }
        let name = name.trim_end_matches(['.', ')', ',']).trim();
        let words: Vec<&str> = name.split_whitespace().collect();
        let is_name = (2..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    || matches!(*w, "von" | "van" | "de" | "der")
            })
            && !words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
        if is_name {
            let lead = text.len() - text.trim_start().len();
            let start = skip + rest[..at + lead].chars().count();
            names.push((start, start + name.chars().count()));
        } else if !names.is_empty() {
            break;
        }
        if text.contains("redigiert") || text.contains(" on ") {
            break;
        }
    }
    names
}

/// Splits `s` at any of `seps`, keeping each piece's byte offset.
fn split_keep<'a>(s: &'a str, seps: &[&str]) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        if let Some(sep) = seps.iter().find(|sep| s[i..].starts_with(**sep)) {
            out.push((&s[start..i], start));
            i += sep.len();
            start = i;
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push((&s[start..], start));
    out
}

/// A `[start, end)` char range within a line.
pub type CharRange = (usize, usize);

/// A dateline opening the first paragraph: "BERLIN (dpa) - ", "Frankfurt (Reuters) - ",
/// "KIEL (dpa/lno) – ", "Lüneburg. ", "Aschbrunn – ". Place and agency as char ranges within
/// `line`, and the end of the dateline.
pub fn dateline(line: &str) -> Option<(CharRange, Option<CharRange>)> {
    // The place: one capitalised word ("HEILBRONN", "Frankfurt", "Halle/Saale").
    let place_len = line
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '/')
        .count();
    if place_len < 3 || !line.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let place = (0, place_len);
    let rest: String = line.chars().skip(place_len).collect();
    if let Some(after) = rest.strip_prefix(" (") {
        let close = after.find(')')?;
        let agency = &after[..close];
        if agency.is_empty() || agency.chars().count() > 20 || agency.contains(' ') {
            return None;
        }
        let tail = &after[close + 1..];
        if [" - ", " – ", " — "].iter().any(|d| tail.starts_with(d)) {
            let a0 = place_len + 2;
            return Some((place, Some((a0, a0 + agency.chars().count()))));
        }
        return None;
    }
    // Regional "Lüneburg. Nach …", "Aschbrunn – Die …": a place word, then the report.
    let regional = [". ", " – ", " - "].iter().any(|d| rest.starts_with(d))
        && rest
            .trim_start_matches(['.', ' ', '–', '-'])
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
    regional.then_some((place, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, (a, b): (usize, usize)) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn dates_in_page_lines() {
        let d = date_in_line("Stand: 19.06.2024 14:32 Uhr").unwrap();
        assert_eq!(
            (d.iso.as_str(), d.role),
            ("2024-06-19T14:32", DateRole::AsOf)
        );
        let d = date_in_line("Veröffentlicht am 16. Mai 2024, 8:00 Uhr").unwrap();
        assert_eq!(d.iso, "2024-05-16T08:00");
        let d = date_in_line("Published 14 March 2024, 10:05 GMT").unwrap();
        assert_eq!(d.iso, "2024-03-14T10:05");
        assert_eq!(date_in_line("Die Sitzung dauerte lange."), None);
    }

    #[test]
    fn names_in_bylines() {
        let l = "Von Clara Wendt und Tobias Rieger";
        let names: Vec<String> = byline_names(l).into_iter().map(|r| slice(l, r)).collect();
        assert_eq!(names, ["Clara Wendt", "Tobias Rieger"]);
        let l = "Posted by Henrik Maas on 4. März 2024";
        let names: Vec<String> = byline_names(l).into_iter().map(|r| slice(l, r)).collect();
        assert_eq!(names, ["Henrik Maas"]);
    }

    #[test]
    fn datelines() {
        let l = "Frankfurt (Reuters) - Der Getriebehersteller senkt";
        let (p, a) = dateline(l).unwrap();
        assert_eq!(
            (slice(l, p), slice(l, a.unwrap())),
            ("Frankfurt".into(), "Reuters".into())
        );
        let l = "Lüneburg. Nach mehr als drei Stunden";
        assert_eq!(
            dateline(l).map(|(p, a)| (slice(l, p), a)),
            Some(("Lüneburg".into(), None))
        );
        assert_eq!(dateline("Die Regierung plant."), None);
    }
}
