//! Time: the only module of fixgate-core that may read a clock.

mod utc;

pub use utc::{days_in_month, is_leap_year, Civil, UtcNanos};
