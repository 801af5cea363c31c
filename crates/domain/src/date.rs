//! Partial dates: in migration contexts a date of birth is often known only as a year, or a year and month.
//! That is normal, not an error, so the type says how much is known.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A date of which the year, the year and month, or the full date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartialDateError {
    #[error("Bitte ein Datum im Format TT.MM.JJJJ, MM.JJJJ oder JJJJ eingeben.")]
    Format,
    #[error("Dieses Datum gibt es nicht.")]
    NoSuchDate,
    #[error("Das Jahr muss zwischen 1880 und 2200 liegen.")]
    YearOutOfRange,
    #[error("Das Datum liegt in der Zukunft.")]
    InFuture,
}

const MIN_YEAR: i32 = 1880;
const MAX_YEAR: i32 = 2200;

impl PartialDate {
    /// Builds a partial date from its parts (storage, registers). A day needs a month.
    pub fn from_parts(year: i32, month: Option<u32>, day: Option<u32>) -> Result<Self, PartialDateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(PartialDateError::YearOutOfRange);
        }
        match (month, day) {
            (None, Some(_)) => Err(PartialDateError::Format),
            (Some(m), None) if !(1..=12).contains(&m) => Err(PartialDateError::NoSuchDate),
            (Some(m), Some(d)) if NaiveDate::from_ymd_opt(year, m, d).is_none() => Err(PartialDateError::NoSuchDate),
            _ => Ok(Self { year, month, day }),
        }
    }

    /// Reads Swiss notation (`21.03.1985`, `03.1985`, `3.1985`, `1985`) and ISO notation (`1985-03-21`, `1985-03`).
    pub fn parse(input: &str) -> Result<Self, PartialDateError> {
        let text = input.trim();
        let parts: Vec<&str> =
            if text.contains('-') { text.split('-').rev().collect() } else { text.split('.').collect() };
        let number = |part: &str| -> Result<u32, PartialDateError> {
            if part.is_empty() || part.len() > 4 || !part.chars().all(|c| c.is_ascii_digit()) {
                return Err(PartialDateError::Format);
            }
            part.parse().map_err(|_| PartialDateError::Format)
        };
        let year_of = |part: &str| -> Result<i32, PartialDateError> {
            if part.len() != 4 {
                return Err(PartialDateError::Format);
            }
            Ok(number(part)? as i32)
        };
        match parts.as_slice() {
            [year] => Self::from_parts(year_of(year)?, None, None),
            [month, year] => Self::from_parts(year_of(year)?, Some(number(month)?), None),
            [day, month, year] => Self::from_parts(year_of(year)?, Some(number(month)?), Some(number(day)?)),
            _ => Err(PartialDateError::Format),
        }
    }

    /// Refuses dates after `today`; a partial date is in the future only if all its possible days are.
    pub fn not_after(self, today: NaiveDate) -> Result<Self, PartialDateError> {
        match self.first_possible_day() {
            Some(first_possible_day) if first_possible_day > today => Err(PartialDateError::InFuture),
            _ => Ok(self),
        }
    }

    /// The first day this date can mean (`1985` → 01.01.1985).
    fn first_possible_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date can mean (`02.1984` → 29.02.1984).
    fn last_possible_day(self) -> Option<NaiveDate> {
        match (self.month, self.day) {
            (Some(month), Some(day)) => NaiveDate::from_ymd_opt(self.year, month, day),
            (Some(12), None) | (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31),
            (Some(month), None) => NaiveDate::from_ymd_opt(self.year, month + 1, 1)?.pred_opt(),
        }
    }

    /// Whether every day this date can mean lies before every day `other` can mean.
    pub fn certainly_before(self, other: PartialDate) -> bool {
        match (self.last_possible_day(), other.first_possible_day()) {
            (Some(last), Some(first)) => last < first,
            _ => false,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> Option<u32> {
        self.month
    }

    pub fn day(self) -> Option<u32> {
        self.day
    }

    /// ISO form for the API and exports: `1985`, `1985-03` or `1985-03-21`.
    pub fn to_iso(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Age in whole years on `today`, counted from the earliest possible birthday; `None` if unknown.
    pub fn age_on(self, today: NaiveDate) -> Option<i32> {
        let birthday = NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))?;
        let mut age = today.year() - birthday.year();
        if (today.month(), today.day()) < (birthday.month(), birthday.day()) {
            age -= 1;
        }
        (age >= 0).then_some(age)
    }
}

/// Swiss notation: `21.03.1985`, `03.1985` or `1985`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{d:02}.{m:02}.{:04}", self.year),
            (Some(m), None) => write!(f, "{m:02}.{:04}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_swiss_and_iso_notation_at_every_precision() {
        let full = PartialDate::parse("21.03.1985").unwrap();
        assert_eq!(full, PartialDate::parse("1985-03-21").unwrap());
        assert_eq!(full.to_string(), "21.03.1985");
        assert_eq!(PartialDate::parse("3.1985").unwrap().to_iso(), "1985-03");
        assert_eq!(PartialDate::parse(" 1985 ").unwrap().to_string(), "1985");
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert_eq!(PartialDate::parse("30.02.2001"), Err(PartialDateError::NoSuchDate));
        assert_eq!(PartialDate::parse("13.2001"), Err(PartialDateError::NoSuchDate));
        assert_eq!(PartialDate::parse("85"), Err(PartialDateError::Format));
        assert_eq!(PartialDate::parse("1.1.1.1985"), Err(PartialDateError::Format));
        assert_eq!(PartialDate::parse("1700"), Err(PartialDateError::YearOutOfRange));
        assert_eq!(PartialDate::from_parts(1990, None, Some(4)), Err(PartialDateError::Format));
    }

    #[test]
    fn a_year_is_in_the_future_only_when_it_has_not_begun() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert!(PartialDate::parse("2026").unwrap().not_after(today).is_ok());
        assert!(PartialDate::parse("12.2026").unwrap().not_after(today).is_err());
        assert!(PartialDate::parse("22.11.2026").unwrap().not_after(today).is_err());
    }

    #[test]
    fn certainly_before_respects_what_is_unknown() {
        let date = |text: &str| PartialDate::parse(text).unwrap();
        assert!(date("1999").certainly_before(date("2000")));
        assert!(!date("2000").certainly_before(date("05.2000")), "2000 may mean a day after May");
        assert!(date("02.1984").certainly_before(date("01.03.1984")));
        assert!(!date("02.1984").certainly_before(date("29.02.1984")));
    }

    #[test]
    fn age_counts_completed_years() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(PartialDate::parse("22.11.2000").unwrap().age_on(today), Some(25));
        assert_eq!(PartialDate::parse("21.11.2000").unwrap().age_on(today), Some(26));
        assert_eq!(PartialDate::parse("2000").unwrap().age_on(today), Some(26));
    }
}
