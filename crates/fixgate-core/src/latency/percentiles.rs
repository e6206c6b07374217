//! The percentiles every latency report shows.

use hdrhistogram::Histogram;

/// The summary of one histogram that reports print: count, the standard
/// percentiles, and the maximum, in nanoseconds.
///
/// Each percentile is HdrHistogram's `value_at_quantile`: the highest value
/// equivalent to the bucket holding that quantile (so within the histogram's
/// precision, three significant digits, and never below the true value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percentiles {
    /// How many values were recorded.
    pub count: u64,
    /// The smallest value.
    pub min_ns: u64,
    /// Median.
    pub p50_ns: u64,
    /// 90th percentile.
    pub p90_ns: u64,
    /// 99th percentile.
    pub p99_ns: u64,
    /// 99.9th percentile.
    pub p99_9_ns: u64,
    /// 99.99th percentile.
    pub p99_99_ns: u64,
    /// The largest value.
    pub max_ns: u64,
}

impl Percentiles {
    /// The quantiles of the percentile columns, with their labels, in order.
    pub const COLUMNS: [(&'static str, f64); 5] = [
        ("p50", 0.5),
        ("p90", 0.9),
        ("p99", 0.99),
        ("p99.9", 0.999),
        ("p99.99", 0.9999),
    ];

    /// The percentiles of `histogram` (all zero when it is empty).
    pub fn of(histogram: &Histogram<u64>) -> Self {
        if histogram.is_empty() {
            return Percentiles {
                count: 0,
                min_ns: 0,
                p50_ns: 0,
                p90_ns: 0,
                p99_ns: 0,
                p99_9_ns: 0,
                p99_99_ns: 0,
                max_ns: 0,
            };
        }
        let [p50_ns, p90_ns, p99_ns, p99_9_ns, p99_99_ns] =
            Self::COLUMNS.map(|(_, q)| histogram.value_at_quantile(q));
        Percentiles {
            count: histogram.len(),
            min_ns: histogram.min(),
            p50_ns,
            p90_ns,
            p99_ns,
            p99_9_ns,
            p99_99_ns,
            max_ns: histogram.max(),
        }
    }

    /// The percentile columns' values, in [`Percentiles::COLUMNS`] order.
    pub fn columns(&self) -> [u64; 5] {
        [
            self.p50_ns,
            self.p90_ns,
            self.p99_ns,
            self.p99_9_ns,
            self.p99_99_ns,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::latency::new_histogram;

    #[test]
    fn percentiles_of_one_to_ten_thousand() {
        let mut h = new_histogram();
        for v in 1..=10_000 {
            h.record(v).unwrap();
        }
        let p = Percentiles::of(&h);
        assert_eq!(p.count, 10_000);
        assert_eq!(p.min_ns, 1);
        // Three significant digits: each within 0.1% above the true value.
        for (got, want) in [
            (p.p50_ns, 5_000),
            (p.p90_ns, 9_000),
            (p.p99_ns, 9_900),
            (p.p99_9_ns, 9_990),
            (p.p99_99_ns, 9_999),
            (p.max_ns, 10_000),
        ] {
            assert!(got >= want && got <= want + want / 1000, "{got} vs {want}");
        }
        assert_eq!(p.columns()[0], p.p50_ns);
        assert_eq!(Percentiles::of(&new_histogram()).count, 0);
        assert_eq!(Percentiles::of(&new_histogram()).max_ns, 0);
    }
}
