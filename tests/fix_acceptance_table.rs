//! Pins, for every `I` (sent) and `E` (expected) line of QuickFIX's FIX 4.4 server
//! acceptance definitions, what fixgate's codec makes of the message under the
//! FIX44 dictionary: valid, a framing error, or the SessionRejectReason and
//! RefTagID that validation reports.
//!
//! `E` lines are what an acceptor must send; their placeholders
//! (`00000000-00:00:00.000`, `10=0`) are replaced by a real time of the same
//! length and the real checksum, and they must all be valid.

mod support;

use std::collections::BTreeMap;

use fixgate_core::fix::{
    check_frame, Dictionary, FieldIndex, FrameStatus, IndexError, ValidationError, Validator,
};
use fixgate_core::time::UtcNanos;
use support::acceptance_def::{materialize, parse, Step};
use support::shared::{fix44_definitions, quickfix_spec};

/// What the codec makes of one message.
fn outcome(bytes: &[u8], validator: &Validator<'_>) -> String {
    let layout = match check_frame(bytes, 1 << 20) {
        FrameStatus::Complete(l) => l,
        FrameStatus::Invalid(e) => return e.name().to_string(),
        FrameStatus::Incomplete { .. } => return "Incomplete".to_string(),
    };
    if layout.len != bytes.len() {
        return "TrailingBytes".to_string();
    }
    let mut index = FieldIndex::<256>::new();
    let msg = match index.index(bytes) {
        Ok(m) => m,
        Err(IndexError::BadTag { .. }) => return "Garbled".to_string(),
        Err(e) => return format!("{e:?}"),
    };
    match validator.validate(&msg) {
        Ok(()) => "valid".to_string(),
        Err(ValidationError::UnsupportedVersion) => "UnsupportedVersion".to_string(),
        Err(ValidationError::Reject { reason, ref_tag }) => match ref_tag {
            Some(t) => format!("reject {} tag {}", reason.0, t),
            None => format!("reject {}", reason.0),
        },
    }
}

/// Replaces the expected-message placeholders with concrete values of the same
/// length and recomputes the checksum.
fn concretize_expected(template: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(template)
        .replace("00000000-00:00:00.000", "20260316-14:30:00.000")
        .replace("00000000-00:00:00", "20260316-14:30:00");
    let mut m = s.into_bytes();
    if let Some(p) = m.windows(4).rposition(|w| w == b"\x0110=") {
        m.truncate(p + 1);
    }
    materialize(&m, UtcNanos::EPOCH)
}

/// Every line whose outcome is not "valid", by file and line number.
///
/// The three `E Incomplete` lines are the definitions' own: their BodyLength was
/// written for a SendingTime without milliseconds, so it is longer than the line.
const NOT_VALID: &[(&str, usize, &str)] = &[
    ("14a_BadField.def", 15, "reject 0 tag 999"),
    ("14a_BadField.def", 20, "reject 0 tag 0"),
    ("14a_BadField.def", 25, "reject 0 tag -1"),
    ("14a_BadField.def", 30, "reject 0 tag 5000"),
    ("14b_RequiredFieldMissing.def", 15, "reject 1 tag 56"),
    ("14b_RequiredFieldMissing.def", 20, "reject 1 tag 11"),
    ("14c_TagNotDefinedForMsgType.def", 15, "reject 2 tag 55"),
    ("14d_TagSpecifiedWithoutValue.def", 15, "reject 4 tag 56"),
    ("14e_IncorrectEnumValue.def", 14, "reject 5 tag 21"),
    ("14e_IncorrectEnumValue.def", 19, "reject 5 tag 167"),
    ("14e_IncorrectEnumValue.def", 26, "E Incomplete"),
    ("14f_IncorrectDataFormat.def", 13, "reject 6 tag 38"),
    (
        "14g_HeaderBodyTrailerFieldsOutOfOrder.def",
        15,
        "reject 14 tag 34",
    ),
    (
        "14g_HeaderBodyTrailerFieldsOutOfOrder.def",
        20,
        "reject 14 tag 34",
    ),
    ("14h_RepeatedTag.def", 14, "reject 13 tag 40"),
    (
        "14i_RepeatingGroupCountNotEqual.def",
        14,
        "reject 16 tag 386",
    ),
    ("1d_InvalidLogonLengthInvalid.def", 4, "BodyLengthMismatch"),
    (
        "1d_InvalidLogonWrongBeginString.def",
        4,
        "UnsupportedVersion",
    ),
    ("2d_GarbledMessage.def", 8, "BodyLengthMismatch"),
    ("2d_GarbledMessage.def", 13, "BodyLengthMismatch"),
    ("2i_BeginStringValueUnexpected.def", 8, "UnsupportedVersion"),
    (
        "2i_BeginStringValueUnexpected.def",
        18,
        "UnsupportedVersion",
    ),
    ("2m_BodyLengthValueNotCorrect.def", 8, "BodyLengthMismatch"),
    ("2m_BodyLengthValueNotCorrect.def", 22, "Incomplete"),
    ("2q_MsgTypeNotValid.def", 6, "reject 11"),
    ("2t_FirstThreeFieldsOutOfOrder.def", 8, "BadBeginString"),
    ("2t_FirstThreeFieldsOutOfOrder.def", 13, "MissingMsgType"),
    ("3b_InvalidChecksum.def", 8, "BadChecksum"),
    ("3b_InvalidChecksum.def", 12, "BadChecksum"),
    ("3c_GarbledMessage.def", 8, "BodyLengthMismatch"),
    ("3c_GarbledMessage.def", 13, "BodyLengthMismatch"),
    ("8_OnlyApplicationMessages.def", 29, "E Incomplete"),
    ("RejectResentMessage.def", 6, "E Incomplete"),
    ("RejectResentMessage.def", 13, "reject 6 tag 126"),
    ("ReverseRoute.def", 9, "reject 5 tag 40"),
    ("ReverseRoute.def", 14, "reject 5 tag 40"),
    ("ReverseRoute.def", 19, "reject 5 tag 40"),
    ("ReverseRoute.def", 24, "reject 5 tag 40"),
    ("ReverseRoute.def", 29, "reject 5 tag 40"),
    ("ReverseRoute.def", 34, "reject 5 tag 40"),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        9,
        "reject 4 tag 115",
    ),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        14,
        "reject 4 tag 128",
    ),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        19,
        "reject 4 tag 116",
    ),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        24,
        "reject 4 tag 129",
    ),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        29,
        "reject 4 tag 144",
    ),
    (
        "ReverseRouteWithEmptyRoutingTags.def",
        34,
        "reject 4 tag 145",
    ),
];

#[test]
fn every_definition_line_has_its_pinned_outcome() {
    let (Some(defs), Some(xml)) = (fix44_definitions(), quickfix_spec("FIX44.xml")) else {
        return;
    };
    let dict = Dictionary::from_xml(&xml).expect("FIX44.xml loads");
    let validator = Validator::new(&dict);
    let now = UtcNanos::from_nanos(1_773_671_400_123_000_000);
    let mut got: BTreeMap<(String, usize), String> = BTreeMap::new();
    let (mut sent, mut expected) = (0, 0);
    for (name, bytes) in &defs {
        for line in parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}")) {
            let o = match &line.step {
                Step::Send { template, .. } => {
                    sent += 1;
                    outcome(&materialize(template, now), &validator)
                }
                Step::Expect { template, .. } => {
                    expected += 1;
                    let o = outcome(&concretize_expected(template), &validator);
                    format!("E {o}")
                }
                _ => continue,
            };
            got.insert((name.clone(), line.number), o);
        }
    }
    if std::env::var_os("FIXGATE_DUMP_TABLE").is_some() {
        for ((f, l), o) in &got {
            if o != "valid" && o != "E valid" {
                println!("    (\"{f}\", {l}, \"{o}\"),");
            }
        }
    }
    let mut failures = Vec::new();
    for ((f, l), o) in &got {
        let want = NOT_VALID
            .iter()
            .find(|(nf, nl, _)| nf == f && nl == l)
            .map_or(
                if o.starts_with("E ") {
                    "E valid"
                } else {
                    "valid"
                },
                |(_, _, w)| w,
            );
        if o != want {
            failures.push(format!("{f}:{l}: got {o:?}, pinned {want:?}"));
        }
    }
    println!(
        "{} definitions, {sent} sent and {expected} expected messages checked",
        defs.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
