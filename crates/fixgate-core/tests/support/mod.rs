//! Support shared by the FIX property tests (`fix_roundtrip_prop` and the
//! `fix_malformed_*_prop` tests); each test binary includes it with
//! `mod support;` and uses part of it.
//!
//! | module | what it holds |
//! |---|---|
//! | `choices` | the choice stream every generator reads |
//! | `test_dictionary` | `fixgate44()` and the two small test dictionaries (`*.xml`) |
//! | `generate` | the generator's walk over a layout: which members go out |
//! | `typed_value`, `typed_message` | typed messages, for the round trips |
//! | `raw_message` | messages as raw values, for the malformed inputs |
//! | `serialize` | the independent serializer |
//! | `pipeline`, `mutation` | frame → index → validate, and where to mutate |

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use proptest::test_runner::Config as ProptestConfig;

pub mod choices;
pub mod generate;
pub mod mutation;
pub mod pipeline;
pub mod raw_message;
pub mod serialize;
pub mod test_dictionary;
pub mod typed_message;
pub mod typed_value;

/// The proptest settings of every property: 256 cases.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Bounded so that a failure reports in seconds, not minutes.
        max_shrink_iters: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
