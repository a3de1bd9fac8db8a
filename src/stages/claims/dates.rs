//! Calendar dates of claims: the parts written (day, month, year), a year given only relative
//! to the time of writing ("30. Dezember letzten Jahres", "2. Februar d. J."), and the
//! resolution of a missing year against the article's publication date.
//!
//! A date without a year is never given a made-up number: until a year is known its `value`
//! is null and its [`DateParts`] print as ISO 8601's month-day form (`--12-30`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::lexer::Tokens;
use super::month_days::{days_in_month, valid_day};
use super::{Claim, ClaimKind};

/// A date at the precision it was written: a month with an optional day and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateParts {
    pub year: Option<u32>,
    pub month: u32,
    pub day: Option<u32>,
}

impl DateParts {
    /// Reads a date written as a number back into parts: YYYYMMDD, YYYYMM, MMDD or MM.
    pub fn from_value(v: f64) -> Option<DateParts> {
        if !(v.is_finite() && v >= 1.0 && v.fract() == 0.0) {
            return None;
        }
        let v = v as u64;
        let (year, month, day) = match v {
            10_000_000..=99_999_999 => (Some(v / 10_000), v / 100 % 100, Some(v % 100)),
            100_000..=999_999 => (Some(v / 100), v % 100, None),
            101..=1231 => (None, v / 100, Some(v % 100)),
            1..=12 => (None, v, None),
            _ => return None,
        };
        let parts = DateParts {
            year: year.map(|y| y as u32),
            month: month as u32,
            day: day.map(|d| d as u32),
        };
        parts.valid().then_some(parts)
    }

    /// The claim value of these parts; None while the year is unknown (a bare MMDD would read
    /// as a number).
    pub fn value(&self) -> Option<f64> {
        let y = self.year?;
        Some(f64::from(match self.day {
            Some(d) => y * 10_000 + self.month * 100 + d,
            None => y * 100 + self.month,
        }))
    }

    /// A month and a day that month can have. Not checked against the year: a text that
    /// writes "29.02.2023" is reported as written.
    fn valid(&self) -> bool {
        (1..=12).contains(&self.month) && self.day.is_none_or(|d| valid_day(d, self.month))
    }
}

/// ISO 8601 at the written precision: `2024-12-30`, `2024-12`, `--12-30` (no year), `--12`.
impl fmt::Display for DateParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}", self.month)?,
            None => write!(f, "--{:02}", self.month)?,
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for DateParts {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("not an ISO 8601 date: {s:?}");
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        let parts: Vec<&str> = s.split('-').collect();
        let parsed = match parts.as_slice() {
            ["", "", m] => DateParts {
                year: None,
                month: num(m)?,
                day: None,
            },
            ["", "", m, d] => DateParts {
                year: None,
                month: num(m)?,
                day: Some(num(d)?),
            },
            [y, m] => DateParts {
                year: Some(num(y)?),
                month: num(m)?,
                day: None,
            },
            [y, m, d] => DateParts {
                year: Some(num(y)?),
                month: num(m)?,
                day: Some(num(d)?),
            },
            _ => return Err(bad()),
        };
        parsed.valid().then_some(parsed).ok_or_else(bad)
    }
}

impl Serialize for DateParts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateParts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a date's year comes from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum YearFrom {
    /// Written with the date.
    Text,
    /// A phrase relative to the time of writing ("letzten Jahres") applied to the year of the
    /// article's `published` date.
    PublishedRelative,
    /// No year written: the year that puts the date nearest the `published` date.
    PublishedNearest,
    /// As `published_relative`, with the publication date written in the page
    /// (`page.published`) because the input gave none.
    PageRelative,
    /// As `published_nearest`, with the publication date written in the page.
    PageNearest,
}

/// Dates resolved against the publication date found in the page say so.
pub(crate) fn mark_year_from_page(claims: &mut [Claim]) {
    for d in claims.iter_mut().filter_map(|c| c.date.as_mut()) {
        d.year_from = match d.year_from {
            Some(YearFrom::PublishedRelative) => Some(YearFrom::PageRelative),
            Some(YearFrom::PublishedNearest) => Some(YearFrom::PageNearest),
            other => other,
        };
    }
}

/// The calendar reading of a `date` claim (see `docs/claims.md`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimDate {
    /// The date, or the first day of a range.
    pub start: DateParts,
    /// The last day of a range; null for a single date.
    pub end: Option<DateParts>,
    /// Null while the year is unknown.
    pub year_from: Option<YearFrom>,
    /// The year as written relative to the time of writing: -1 for "letzten Jahres",
    /// "last year"; 0 for "dieses Jahres"; 1 for "nächsten Jahres". Null when none is written.
    pub relative_year: Option<i32>,
}

impl ClaimDate {
    /// From the values the patterns computed (see [`DateParts::from_value`]).
    pub(crate) fn from_values(
        value: f64,
        value_high: Option<f64>,
        relative_year: Option<i32>,
    ) -> Option<ClaimDate> {
        let start = DateParts::from_value(value)?;
        let end = match value_high {
            Some(h) => Some(DateParts::from_value(h)?),
            None => None,
        };
        let year_from = start.year.is_some().then_some(YearFrom::Text);
        Some(ClaimDate {
            start,
            end,
            year_from,
            relative_year,
        })
    }
}

/// The year offset of a phrase after a date without a year, and its last token:
/// "letzten/vergangenen/vorigen Jahres" and "des Vorjahres" (-1), "dieses/diesen/laufenden
/// Jahres" and "d. J." (0), "nächsten/kommenden Jahres" (+1), "v. J." (-1); English "(of)
/// last/this/next year".
pub(crate) fn relative_year_after(t: &Tokens, last: usize) -> Option<(i32, usize)> {
    if !t.same_line(last) {
        return None;
    }
    let mut k = last + 1;
    if matches!(t.word(k), "des" | "of") && t.same_line(k) {
        k += 1;
    }
    let offset = |w: &str| match w {
        "letzten" | "vergangenen" | "vorigen" | "last" => Some(-1),
        "dieses" | "diesen" | "laufenden" | "this" => Some(0),
        "nächsten" | "kommenden" | "next" => Some(1),
        _ => None,
    };
    if t.word(k) == "vorjahres" {
        return Some((-1, k));
    }
    if let Some(off) = offset(t.word(k)) {
        if t.same_line(k) && matches!(t.word(k + 1), "jahres" | "year") {
            return Some((off, k + 1));
        }
        return None;
    }
    // "d. J." / "v. J.": the official abbreviations, periods glued to the letters.
    let abbrev = match t.word(k) {
        "d" => 0,
        "v" => -1,
        _ => return None,
    };
    let glued_dot = |i: usize| t.is_punct(i, '.') && !t.toks[i].space_before;
    if glued_dot(k + 1) && t.word(k + 2) == "j" && t.same_line(k + 1) && t.same_line(k + 2) {
        let end = if glued_dot(k + 3) { k + 3 } else { k + 2 };
        return Some((abbrev, end));
    }
    None
}

/// Gives the date claims without a written year the year of `published` (an ISO 8601 date,
/// optionally followed by a time, or `DD.MM.YYYY`), and sets their `value`s. A relative
/// phrase is applied to the publication year; a bare day and month takes the year that puts
/// it nearest the publication date (an article of 5 January 2025 saying "am 30. Dezember"
/// means 2024). Without a readable `published`, dates stay partial.
pub fn resolve_dates(claims: &mut [Claim], published: Option<&str>) {
    let Some(published) = published.and_then(parse_published) else {
        return;
    };
    for claim in claims.iter_mut().filter(|c| c.kind == ClaimKind::Date) {
        let Some(date) = claim.date.as_mut() else {
            continue;
        };
        if date.start.year.is_some() {
            continue;
        }
        let (year, from) = match date.relative_year {
            Some(off) => (
                published.year as i64 + off as i64,
                YearFrom::PublishedRelative,
            ),
            None => match nearest_year(date.start, published) {
                Some(y) => (y, YearFrom::PublishedNearest),
                None => continue,
            },
        };
        let Ok(year) = u32::try_from(year) else {
            continue;
        };
        let start = DateParts {
            year: Some(year),
            ..date.start
        };
        if !start.valid() {
            continue;
        }
        let end = date.end.map(|e| DateParts {
            // "30. Dezember bis 2. Januar" runs into the next year.
            year: Some(if (e.month, e.day) < (start.month, start.day) {
                year + 1
            } else {
                year
            }),
            ..e
        });
        if end.is_some_and(|e| !e.valid()) {
            continue;
        }
        date.start = start;
        date.end = end;
        date.year_from = Some(from);
        claim.value = start.value();
        claim.value_high = end.and_then(|e| e.value());
    }
}

#[derive(Debug, Clone, Copy)]
struct Day {
    year: u32,
    month: u32,
    day: u32,
}

/// `2025-01-05`, `2025-01-05T10:00:00Z`, `2025-01-05 10:00`, or `05.01.2025`.
fn parse_published(s: &str) -> Option<Day> {
    let s = s.trim();
    let digits = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (year, month, day) = if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
    {
        let rest = &s[10..];
        if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
            return None;
        }
        (digits(&s[..4])?, digits(&s[5..7])?, digits(&s[8..10])?)
    } else {
        let mut p = s.split('.');
        let (d, m, y) = (p.next()?, p.next()?, p.next()?);
        if p.next().is_some() || y.len() != 4 {
            return None;
        }
        (digits(y)?, digits(m)?, digits(d)?)
    };
    let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    ok.then_some(Day { year, month, day })
}

/// The year among the publication year and its neighbours that puts `parts` (a month and
/// maybe a day) nearest the publication day; ties go to the earlier year.
fn nearest_year(parts: DateParts, published: Day) -> Option<i64> {
    let p = days_from_civil(published.year as i64, published.month, published.day);
    (-1..=1)
        .filter_map(|off| {
            let y = published.year as i64 + off;
            let y32 = u32::try_from(y).ok()?;
            let day = parts.day.unwrap_or(15);
            (day <= days_in_month(y32, parts.month))
                .then(|| ((days_from_civil(y, parts.month, day) - p).abs(), y))
        })
        .min()
        .map(|(_, y)| y)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_print_and_parse_as_iso_8601() {
        for s in ["2024-12-30", "2024-12", "--12-30", "--02", "2024-02-29"] {
            let p: DateParts = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
        for bad in [
            "2024-02-30",
            "2024-13",
            "--12-32",
            "12-30",
            "2024-1x-01",
            "",
        ] {
            assert!(bad.parse::<DateParts>().is_err(), "{bad}");
        }
    }

    #[test]
    fn values_read_back_at_their_precision() {
        let p = |v| DateParts::from_value(v).map(|p| p.to_string());
        assert_eq!(p(20241230.0).as_deref(), Some("2024-12-30"));
        assert_eq!(p(202202.0).as_deref(), Some("2022-02"));
        assert_eq!(p(1230.0).as_deref(), Some("--12-30"));
        assert_eq!(p(910.0).as_deref(), Some("--09-10"));
        assert_eq!(p(1232.0), None);
        assert_eq!(p(0.5), None);
    }

    #[test]
    fn published_dates_in_the_usual_forms() {
        for s in [
            "2025-01-05",
            "2025-01-05T10:00:00Z",
            "2025-01-05 10:00",
            "05.01.2025",
        ] {
            let d = parse_published(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((d.year, d.month, d.day), (2025, 1, 5), "{s}");
        }
        for s in ["2025-13-05", "gestern", "2025-01-05x", "5.1.25", ""] {
            assert!(parse_published(s).is_none(), "{s}");
        }
    }

    #[test]
    fn nearest_year_crosses_new_year_both_ways() {
        let jan5 = parse_published("2025-01-05").unwrap();
        let dec30 = DateParts {
            year: None,
            month: 12,
            day: Some(30),
        };
        assert_eq!(nearest_year(dec30, jan5), Some(2024));
        let dec28 = parse_published("2024-12-28").unwrap();
        let jan3 = DateParts {
            year: None,
            month: 1,
            day: Some(3),
        };
        assert_eq!(nearest_year(jan3, dec28), Some(2025));
        let feb29 = DateParts {
            year: None,
            month: 2,
            day: Some(29),
        };
        assert_eq!(nearest_year(feb29, jan5), Some(2024));
    }

    #[test]
    fn days_from_civil_matches_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            days_from_civil(2024, 12, 31) - days_from_civil(2024, 1, 1),
            365
        );
    }
}
