//! cargo-fuzz target `md_cme_decode`: the CME MDP 3.0 decoder against the
//! generic SBE interpreter. The checks live in `fuzz/checks/md_cme_decode.rs`,
//! which `tests/fuzz_corpus_md.rs` also runs over the committed corpus.
//!
//! The interpreter loads the v9 schema at start-up from `FIXGATE_CME_SCHEMA`, or
//! else from `../shared/conformance/mdp3/schema/templates_FixBinary_v9.xml`
//! beside the repository.
#![no_main]

use std::sync::OnceLock;

use fixgate_core::md::sbe::Schema;
use libfuzzer_sys::fuzz_target;

#[path = "../checks/md_cme_decode.rs"]
mod checks;
#[path = "../known_issues.rs"]
mod known_issues;

use known_issues::KnownIssue;

/// Reported bugs stepped over while their fix is pending (see known_issues.rs):
/// none for this target.
static KNOWN: [KnownIssue; 0] = [];

static SCHEMA: OnceLock<Schema> = OnceLock::new();

fn schema() -> &'static Schema {
    SCHEMA.get_or_init(|| {
        let path = std::env::var("FIXGATE_CME_SCHEMA").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/conformance/mdp3/schema/templates_FixBinary_v9.xml"
            )
            .to_owned()
        });
        let xml = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("md_cme_decode needs the v9 schema at {path}: {e}"));
        Schema::from_xml(&xml).expect("the v9 schema loads")
    })
}

fuzz_target!(
    init: {
        known_issues::install(&KNOWN);
        schema();
    },
    |data: &[u8]| known_issues::run(data, |d| checks::check(schema(), d), &KNOWN)
);
