//! The JSON summary: the table's numbers, for machines.
//!
//! ```json
//! {
//!   "format": "fixgate-latency-summary/1",
//!   "unit": "ns",
//!   "histogram": {"lowest_ns": 1, "highest_ns": 60000000000, "significant_digits": 3},
//!   "environment": {"cores": 2, "clocksource": "tsc", ...} or null,
//!   "unrouted": 0,
//!   "stages": [
//!     {"stage": "receive_decoded", "label": "receive → decoded", "venue": "CME",
//!      "count": 1000, "min_ns": 95, "p50_ns": 812, "p90_ns": 1020, "p99_ns": 4100,
//!      "p99_9_ns": 9000, "p99_99_ns": 12000, "max_ns": 45100, "clamped": 0}
//!   ]
//! }
//! ```

use fixgate_core::latency::{
    MergedLatency, Percentiles, HIGHEST_NS, LOWEST_NS, SIGNIFICANT_DIGITS,
};
use serde_json::{json, Value};

use super::Environment;

/// The format name and version in the summary's `format` field.
pub const SUMMARY_FORMAT: &str = "fixgate-latency-summary/1";

/// The summary of `latency` (one object per stage and venue, in table order)
/// with the environment.
pub fn summary_json(environment: Option<&Environment>, latency: &MergedLatency) -> Value {
    let stages: Vec<Value> = latency
        .iter()
        .map(|(key, entry)| {
            let p = Percentiles::of(&entry.histogram);
            json!({
                "stage": key.stage.name(),
                "label": key.stage.label(),
                "venue": key.venue.to_string(),
                "venue_id": key.venue.get(),
                "count": p.count,
                "min_ns": p.min_ns,
                "p50_ns": p.p50_ns,
                "p90_ns": p.p90_ns,
                "p99_ns": p.p99_ns,
                "p99_9_ns": p.p99_9_ns,
                "p99_99_ns": p.p99_99_ns,
                "max_ns": p.max_ns,
                "clamped": entry.clamped,
            })
        })
        .collect();
    json!({
        "format": SUMMARY_FORMAT,
        "unit": "ns",
        "histogram": {
            "lowest_ns": LOWEST_NS,
            "highest_ns": HIGHEST_NS,
            "significant_digits": SIGNIFICANT_DIGITS,
        },
        "environment": environment,
        "unrouted": latency.unrouted(),
        "stages": stages,
    })
}

#[cfg(test)]
mod tests {
    use fixgate_core::latency::{new_histogram, Stage, StageKey};
    use fixgate_core::types::VenueId;

    use super::*;

    #[test]
    fn summary_holds_every_key_and_percentile() {
        let mut merged = MergedLatency::new();
        let mut h = new_histogram();
        for v in 1..=100 {
            h.record(v * 1_000).unwrap();
        }
        merged
            .add_histogram(
                StageKey::new(VenueId::ICE, Stage::DecodedToPublished),
                &h,
                2,
            )
            .unwrap();
        merged
            .add_histogram(StageKey::new(VenueId(300), Stage::ReceiveToDecoded), &h, 0)
            .unwrap();
        let env = Environment::from_sources(4, None, Some("tsc"), None);
        let value = summary_json(Some(&env), &merged);
        // Through text and back, as a consumer reads it.
        let value: Value =
            serde_json::from_str(&serde_json::to_string_pretty(&value).unwrap()).unwrap();
        assert_eq!(value["format"], SUMMARY_FORMAT);
        assert_eq!(value["unit"], "ns");
        assert_eq!(value["histogram"]["highest_ns"], HIGHEST_NS);
        assert_eq!(value["environment"]["cores"], 4);
        assert_eq!(value["environment"]["clocksource"], "tsc");
        let stages = value["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 2);
        assert_eq!(stages[0]["stage"], "receive_decoded");
        assert_eq!(stages[0]["venue"], "venue#300");
        assert_eq!(stages[0]["venue_id"], 300);
        let ice = &stages[1];
        assert_eq!(ice["venue"], "ICE");
        assert_eq!(ice["count"], 100);
        assert_eq!(ice["clamped"], 2);
        assert_eq!(ice["min_ns"], 1_000);
        let p = Percentiles::of(&h);
        for (field, want) in [
            ("p50_ns", p.p50_ns),
            ("p90_ns", p.p90_ns),
            ("p99_ns", p.p99_ns),
            ("p99_9_ns", p.p99_9_ns),
            ("p99_99_ns", p.p99_99_ns),
            ("max_ns", p.max_ns),
        ] {
            assert_eq!(ice[field], want, "{field}");
        }
        assert!(p.p50_ns >= 50_000 && p.p50_ns < 50_100);
        assert_eq!(
            summary_json(None, &MergedLatency::new())["environment"],
            Value::Null
        );
    }
}
