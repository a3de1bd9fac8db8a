//! Calendar dates: a day and a month word ("19. Juni 2024"), a month word first ("Februar
//! 2022", "June 20, 2024"), years after them, and the value a date is written as.

use super::super::lexer::Kind;
use super::super::month_days::valid_day;
use super::{Core, Ctx};

impl Ctx<'_, '_> {
    pub(super) fn year_at(&self, i: usize) -> Option<u32> {
        let t = self.t;
        if i >= t.len() || t.kind(i) != Kind::Num || t.toks[i].line_break_before {
            return None;
        }
        let r = t.raw(i);
        if r.len() != 4 || !r.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: u32 = r.parse().ok()?;
        (1000..=2200).contains(&y).then_some(y)
    }

    /// Day number at `i`, month word at `k`, optional year after.
    pub(super) fn day_month(&self, i: usize, k: usize, d: u32, m: u32) -> Core {
        let t = self.t;
        let mut last = k;
        if t.is_punct(k + 1, '.') && !t.toks[k + 1].space_before && t.word(k).len() <= 4 {
            last = k + 1;
        }
        let year = if t.same_line(last) {
            self.year_at(last + 1)
        } else {
            None
        };
        if year.is_some() {
            last += 1;
        }
        Core::date(t, i, last, year, m, Some(d))
    }

    /// Month word at `i`: "Februar 2022", "June 20, 2024", "June 2024".
    pub(super) fn month_first(&self, i: usize, m: u32) -> Option<Core> {
        let t = self.t;
        let mut k = i;
        if t.is_punct(k + 1, '.') && !t.toks[k + 1].space_before && t.low(i).len() <= 4 {
            k += 1;
        }
        if !t.same_line(k) {
            return None;
        }
        if let Some(y) = self.year_at(k + 1) {
            return Some(Core::date(t, i, k + 1, Some(y), m, None));
        }
        if !self.en || t.kind(k + 1) != Kind::Num {
            return None;
        }
        let d: u32 = t.raw(k + 1).parse().ok()?;
        if !valid_day(d, m) {
            return None;
        }
        let mut last = k + 1;
        let mut year = None;
        if t.is_punct(last + 1, ',') && t.same_line(last + 1) {
            if let Some(y) = self.year_at(last + 2) {
                year = Some(y);
                last += 2;
            }
        }
        Some(Core::date(t, i, last, year, m, Some(d)))
    }
}

/// YYYYMMDD, YYYYMM or MMDD: the date at the precision it was written.
pub(super) fn date_value(year: Option<u32>, month: u32, day: Option<u32>) -> f64 {
    let v = match (year, day) {
        (Some(y), Some(d)) => y * 10_000 + month * 100 + d,
        (Some(y), None) => y * 100 + month,
        (None, Some(d)) => month * 100 + d,
        (None, None) => month,
    };
    f64::from(v)
}
