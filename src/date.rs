//! Calendar dates as authors write them (`2022-08-04`): parsed strictly, compared, and shown.
//!
//! A brief's date decides which facts hold for it, so a date that does not exist (`2022-02-30`)
//! is an error rather than something to round. No clock is read anywhere: output never depends
//! on when the build ran.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// A day on the calendar. Ordered, so windows (`since <= date <= until`) are plain comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parses exactly `YYYY-MM-DD`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Date)
    }

    /// `2022-08-04`, for `<time datetime>`, sitemaps and machine readers.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// `4 August 2022`, for readers; month names are English until sites can set a locale.
    pub fn human(self) -> String {
        format!(
            "{} {} {}",
            self.0.day(),
            MONTHS[self.0.month0() as usize],
            self.0.year()
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(text.trim()).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid date `{text}`, expected a real calendar day written YYYY-MM-DD"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn parses_only_real_days_in_iso_form() {
        assert!(Date::parse("2022-08-04").is_some());
        assert!(Date::parse("2022-02-30").is_none());
        assert!(Date::parse("2022-8-4").is_none());
        assert!(Date::parse("04/08/2022").is_none());
    }

    #[test]
    fn shows_iso_and_human_forms() {
        let date = Date::parse("2022-08-04").unwrap();
        assert_eq!(date.iso(), "2022-08-04");
        assert_eq!(date.human(), "4 August 2022");
    }
}
