//! The Gregorian calendar's month lengths, which both the reading of numerals (is "31.04." a
//! date?) and the resolution of dates need.

/// Days of `month` in `year`; 0 for a month that does not exist.
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// A day the month can have (29 February in any year: the text may be about a leap year).
pub(crate) fn valid_day(d: u32, m: u32) -> bool {
    // 2000 is a leap year.
    d >= 1 && d <= days_in_month(2000, m)
}
