//! Dates as authors write them: a calendar day (`2022-08-04`) or, as Zola and Hugo accept, a
//! day with a time (`2022-08-04T18:48:12Z`, `2022-08-04 18:48`, with or without an offset).
//! Parsed strictly, compared, and shown.
//!
//! A brief's date decides which facts hold for it, so a date that does not exist (`2022-02-30`)
//! is an error rather than something to round. The day as written is what windows compare; the
//! time only orders briefs published on the same day. The build reads no clock: output never
//! depends on when the build ran.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer};

/// A day on the calendar, with the time of day when the author gave one. Ordered by day, then
/// time (a date without a time sorts first on its day), so windows are plain comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    day: NaiveDate,
    time: Option<NaiveTime>,
    /// The UTC offset written with the time, in seconds east; `None` for no offset or no time.
    offset: Option<i32>,
}

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
    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS]`, optionally
    /// followed by `Z` or an offset. Anything else is `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() >= 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[..10]
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return None;
        }
        let day = NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").ok()?;
        if text.len() == 10 {
            return Some(Date {
                day,
                time: None,
                offset: None,
            });
        }
        let normalised = text.replacen(' ', "T", 1);
        let (time, offset) = if let Ok(with_offset) = DateTime::parse_from_rfc3339(&normalised) {
            (
                with_offset.naive_local(),
                Some(with_offset.offset().local_minus_utc()),
            )
        } else {
            let time = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(&normalised, format).ok())?;
            (time, None)
        };
        Some(Date {
            day,
            time: Some(time.time()),
            offset,
        })
    }

    /// The calendar day alone, as a number (days since 1 January of year 1), for comparisons
    /// where the time of day must not count: four bytes where a whole date is sixteen.
    pub fn day_number(self) -> i32 {
        self.day.num_days_from_ce()
    }

    /// `2022-08-04T18:48:12+04:00`, as Atom requires: a day alone is taken as midnight UTC, and
    /// a time without an offset as UTC, since no clock or time zone may change the output.
    pub fn rfc3339(self) -> String {
        let time = self.time.unwrap_or_default().format("%H:%M:%S");
        let offset = match self.offset {
            None | Some(0) => "Z".to_string(),
            Some(seconds) => {
                let sign = if seconds < 0 { '-' } else { '+' };
                let minutes = seconds.unsigned_abs() / 60;
                format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        };
        format!("{}T{time}{offset}", self.day.format("%Y-%m-%d"))
    }

    /// `2022-08-04`, for `<time datetime>`, sitemaps and machine readers.
    pub fn iso(self) -> String {
        // Digit by digit: chrono's `format` reads its pattern anew on every call, and every
        // card, sitemap entry and search entry needs a date (0.8% of a 10k build).
        let year = self.day.year();
        if !(0..=9999).contains(&year) {
            return self.day.format("%Y-%m-%d").to_string();
        }
        let mut text = String::with_capacity(10);
        for (value, width) in [
            (year.unsigned_abs(), 4),
            (self.day.month(), 2),
            (self.day.day(), 2),
        ] {
            if !text.is_empty() {
                text.push('-');
            }
            for place in (0..width).rev() {
                let digit = value / 10u32.pow(place) % 10;
                text.push(char::from(b'0' + digit as u8));
            }
        }
        text
    }

    /// `4 August 2022`, for readers; month names are English until sites can set a locale.
    pub fn human(self) -> String {
        format!(
            "{} {} {}",
            self.day.day(),
            MONTHS[self.day.month0() as usize],
            self.day.year()
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
                "invalid date `{text}`, expected a real calendar day written YYYY-MM-DD \
                 (optionally with a time: YYYY-MM-DDTHH:MM:SSZ)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::Date;

    #[test]
    fn iso_writes_what_chrono_writes() {
        let mut day = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        while day.year() <= 9999 {
            let date = Date::parse(&day.format("%Y-%m-%d").to_string()).unwrap();
            assert_eq!(date.iso(), day.format("%Y-%m-%d").to_string());
            day = day + chrono::Days::new(97);
        }
    }

    #[test]
    fn parses_only_real_days_in_iso_form() {
        assert!(Date::parse("2022-08-04").is_some());
        assert!(Date::parse("2022-02-30").is_none());
        assert!(Date::parse("2022-8-4").is_none());
        assert!(Date::parse("04/08/2022").is_none());
        assert!(Date::parse("2022-08-04T25:00:00Z").is_none());
    }

    #[test]
    fn accepts_times_and_orders_by_them_within_a_day() {
        let morning = Date::parse("2022-08-04T08:00:00Z").unwrap();
        let evening = Date::parse("2022-08-04 18:30").unwrap();
        let day = Date::parse("2022-08-04").unwrap();
        let offset = Date::parse("2022-08-04T23:30:00+04:00").unwrap();
        assert!(day < morning && morning < evening && evening < offset);
        assert_eq!(offset.iso(), "2022-08-04");
    }

    #[test]
    fn rfc3339_keeps_the_written_offset() {
        let rfc = |text: &str| Date::parse(text).unwrap().rfc3339();
        assert_eq!(rfc("2022-08-04"), "2022-08-04T00:00:00Z");
        assert_eq!(rfc("2022-08-04 18:30"), "2022-08-04T18:30:00Z");
        assert_eq!(
            rfc("2022-08-04T23:30:00+04:00"),
            "2022-08-04T23:30:00+04:00"
        );
        assert_eq!(
            rfc("2022-08-04T23:30:00-05:30"),
            "2022-08-04T23:30:00-05:30"
        );
    }

    #[test]
    fn shows_iso_and_human_forms() {
        let date = Date::parse("2022-08-04").unwrap();
        assert_eq!(date.iso(), "2022-08-04");
        assert_eq!(date.human(), "4 August 2022");
    }
}
