//! Wall-clock time: nanoseconds since the Unix epoch, UTC.

use std::fmt;

/// A UTC wall-clock instant in nanoseconds since 1970-01-01T00:00:00Z.
///
/// Venue event times, receive times and FIX `UTCTimestamp`s are all `UtcNanos`.
/// Differences between two `UtcNanos` are only meaningful when both come from the
/// same clock; stage latencies use [`super::MonoNanos`] instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct UtcNanos(u64);
fixgate_ring::ring_payload!(struct UtcNanos { 0: u64 });

/// A broken-down UTC date and time (proleptic Gregorian calendar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// Year, 1970..=2554 for values an `UtcNanos` can hold.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=60 (60 only as a leap second on input; it rolls into the next minute).
    pub second: u8,
    /// Nanoseconds within the second, 0..=999_999_999.
    pub nanos: u32,
}

const NANOS_PER_SEC: u64 = 1_000_000_000;
const SECS_PER_DAY: u64 = 86_400;

impl UtcNanos {
    /// The epoch itself.
    pub const EPOCH: UtcNanos = UtcNanos(0);

    /// Wraps nanoseconds since the epoch.
    #[inline]
    pub const fn from_nanos(nanos: u64) -> Self {
        UtcNanos(nanos)
    }

    /// Nanoseconds since the epoch.
    #[inline]
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Builds an instant from a civil UTC date and time; `None` when a field is out
    /// of range, the date does not exist (30 February) or the instant is before the
    /// epoch or past what 64 bits of nanoseconds hold (year 2554).
    pub fn from_civil(c: Civil) -> Option<Self> {
        if !(1..=12).contains(&c.month)
            || c.day == 0
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 60
            || c.nanos >= NANOS_PER_SEC as u32
            || c.year < 1970
        {
            return None;
        }
        let days = days_from_civil(c.year as i64, c.month, c.day);
        let secs = days as u64 * SECS_PER_DAY
            + c.hour as u64 * 3600
            + c.minute as u64 * 60
            + c.second as u64;
        secs.checked_mul(NANOS_PER_SEC)?
            .checked_add(c.nanos as u64)
            .map(UtcNanos)
    }

    /// The civil UTC date and time of this instant.
    pub fn to_civil(self) -> Civil {
        let secs = self.0 / NANOS_PER_SEC;
        let nanos = (self.0 % NANOS_PER_SEC) as u32;
        let days = secs / SECS_PER_DAY;
        let sod = secs % SECS_PER_DAY;
        let (year, month, day) = civil_from_days(days as i64);
        Civil {
            year: year as u16,
            month,
            day,
            hour: (sod / 3600) as u8,
            minute: (sod / 60 % 60) as u8,
            second: (sod % 60) as u8,
            nanos,
        }
    }

    /// `self - earlier` in nanoseconds, saturating at zero.
    #[inline]
    pub const fn saturating_sub(self, earlier: UtcNanos) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// This instant moved forward by `nanos`, saturating at the maximum.
    #[inline]
    pub const fn saturating_add_nanos(self, nanos: u64) -> UtcNanos {
        UtcNanos(self.0.saturating_add(nanos))
    }
}

impl fmt::Display for UtcNanos {
    /// ISO 8601 with nanoseconds, e.g. `2026-03-16T14:30:00.000000000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.to_civil();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second, c.nanos
        )
    }
}

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1..=12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01 (inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8, nanos: u32) -> Civil {
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        }
    }

    #[test]
    fn known_instants() {
        let t = UtcNanos::from_civil(civil(2026, 3, 16, 14, 30, 0, 123_000_000)).unwrap();
        assert_eq!(t.as_nanos(), 1_773_671_400_123_000_000);
        assert_eq!(t.to_string(), "2026-03-16T14:30:00.123000000Z");
        assert_eq!(
            UtcNanos::from_civil(civil(1970, 1, 1, 0, 0, 0, 0)),
            Some(UtcNanos::EPOCH)
        );
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let mut t = UtcNanos::from_civil(civil(1970, 1, 1, 23, 59, 59, 999_999_999)).unwrap();
        for _ in 0..146_097 {
            let c = t.to_civil();
            assert_eq!(UtcNanos::from_civil(c), Some(t));
            t = t.saturating_add_nanos(SECS_PER_DAY * NANOS_PER_SEC);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(UtcNanos::from_civil(civil(2026, 2, 29, 0, 0, 0, 0)), None);
        assert!(UtcNanos::from_civil(civil(2024, 2, 29, 0, 0, 0, 0)).is_some());
        assert_eq!(UtcNanos::from_civil(civil(2026, 13, 1, 0, 0, 0, 0)), None);
        assert_eq!(UtcNanos::from_civil(civil(2026, 1, 1, 24, 0, 0, 0)), None);
        assert_eq!(UtcNanos::from_civil(civil(1969, 12, 31, 0, 0, 0, 0)), None);
        assert_eq!(UtcNanos::from_civil(civil(2600, 1, 1, 0, 0, 0, 0)), None);
    }
}
