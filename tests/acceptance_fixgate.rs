//! fixgate's own acceptor passes QuickFIX's 59 FIX 4.4 server acceptance
//! definitions under the strict runner (`tests/support/acceptance_runner.rs`),
//! configured by `examples/acceptance/fix44.toml` as anyone would run it.
//!
//! The acceptor runs in-process on a free loopback port; each definition runs
//! against it in turn (they share the one ISLD↔TW44 session, with
//! reset_on_logon, as QuickFIX's runner does). `FIXGATE_ACCEPTANCE_ONLY=name`
//! runs the definitions whose file name contains `name`.
//!
//! FIX 4.2 goes through `examples/acceptance/fix42.toml` the same way: there
//! are no FIX 4.2 server definitions in the reference data, so the FIX 4.4 ones
//! run with BeginString FIX.4.2 and client TW42, except the seven whose
//! exchanges differ in FIX 4.2 (`NOT_FIX42`).

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc;

use fixgate::app::echo::EchoApplication;
use fixgate::config::ConfigFile;
use fixgate::net::acceptor::Acceptor;
use fixgate_core::session::Role;
use support::acceptance_runner::run_definition;
use support::shared::fix44_definitions;

/// Starts the acceptor of `config` on a free port in a background thread.
fn start_acceptor(config: &Path) -> SocketAddr {
    let file = ConfigFile::load(config).expect("config loads");
    let sessions = file
        .sessions(Role::Acceptor, config.parent().unwrap())
        .expect("sessions resolve");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let acceptor = Acceptor::bind("127.0.0.1:0".parse().unwrap(), sessions, |s| {
                EchoApplication::new(s.app_dict.clone().or(s.session_dict.clone()))
            })
            .await
            .expect("bind");
            tx.send(acceptor.local_addr().expect("addr"))
                .expect("send addr");
            let _ = acceptor.run().await;
        });
    });
    rx.recv().expect("acceptor started")
}

#[test]
fn fixgate_acceptor_passes_the_quickfix_fix44_server_suite() {
    let Some(defs) = fix44_definitions() else {
        return;
    };
    let addr = start_acceptor(Path::new("examples/acceptance/fix44.toml"));
    let only = std::env::var("FIXGATE_ACCEPTANCE_ONLY").ok();
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, bytes) in &defs {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        ran += 1;
        match run_definition(addr, name, bytes) {
            Ok(stats) => {
                passed += 1;
                println!(
                    "PASS {name} ({} steps, {} ms)",
                    stats.steps, stats.elapsed_ms
                );
            }
            Err(f) => {
                println!("FAIL {f}");
                failures.push(name.clone());
            }
        }
    }
    println!("fixgate acceptor: {passed}/{ran} QuickFIX FIX 4.4 definitions passed");
    assert!(failures.is_empty(), "failed: {failures:?}");
}

/// FIX 4.4 definitions whose exchanges differ in FIX 4.2, so they are not run
/// with it: 14g, 14h and 14i expect SessionRejectReason 13, 14 and 16, which a
/// FIX 4.2 Reject does not carry (373 goes only with reasons up to 11, as
/// QuickFIX does it); 21 and 2r use SecurityDefinition and ExecutionReport
/// layouts that FIX42.xml defines differently; 4a and 6 only wait for
/// heartbeats and test requests, which the FIX 4.4 run already covers.
const NOT_FIX42: &[&str] = &[
    "14g_HeaderBodyTrailerFieldsOutOfOrder",
    "14h_RepeatedTag",
    "14i_RepeatingGroupCountNotEqual",
    "21_RepeatingGroupSpecifierWithValueOfZero",
    "2r_UnregisteredMsgType",
    "4a_NoDataSentDuringHeartBtInt",
    "6_SendTestRequest",
];

/// A FIX 4.4 definition rewritten for FIX 4.2: BeginString and client CompID.
fn to_fix42(def: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(def).into_owned();
    text.replace("8=FIX.4.4", "8=FIX.4.2")
        .replace("=TW44\x01", "=TW42\x01")
        .into_bytes()
}

#[test]
fn fixgate_acceptor_runs_fix42_through_its_config() {
    let Some(defs) = fix44_definitions() else {
        return;
    };
    let addr = start_acceptor(Path::new("examples/acceptance/fix42.toml"));
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, bytes) in &defs {
        if NOT_FIX42
            .iter()
            .any(|p| name.trim_end_matches(".def") == *p)
        {
            continue;
        }
        ran += 1;
        if let Err(f) = run_definition(addr, name, &to_fix42(bytes)) {
            println!("FAIL (FIX.4.2) {f}");
            failures.push(name.clone());
        }
    }
    println!(
        "fixgate acceptor, FIX 4.2: {}/{ran} definitions passed",
        ran - failures.len()
    );
    assert_eq!(
        ran,
        defs.len() - NOT_FIX42.len(),
        "every excluded definition exists"
    );
    assert!(failures.is_empty(), "failed: {failures:?}");
}
