//! Time is a function parameter: everything that depends on "now" asks a [`Clock`], so deadlines, session
//! expiry and throttling can be tested at any date.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use chrono_tz::Europe::Zurich;

/// Source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Switzerland.
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }
}

/// The date an instant falls on in Switzerland (a dossier opened at 23:30 UTC in winter was opened the next
/// day here).
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Zurich).date_naive()
}

/// Formats an instant as Swiss local time, e.g. `21.11.2026 20:15`.
pub fn format_swiss(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&Zurich).format("%d.%m.%Y %H:%M").to_string()
}

/// The real clock. Timestamps are cut to microseconds, the precision both databases keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock standing still at a given instant, for tests and reproducible runs.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_evening_utc_in_winter_is_next_day_in_zurich() {
        let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 21, 23, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!(format_swiss(clock.now()), "22.11.2026 00:30");
    }
}
