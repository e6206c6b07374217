//! fixgate's own acceptor passes QuickFIX's 59 FIX 4.4 server acceptance
//! definitions under the strict runner (`tests/support/acceptance_runner.rs`),
//! configured by `examples/acceptance/fix44.toml` as anyone would run it.
//!
//! The acceptor runs in-process on a free loopback port; each definition runs
//! against it in turn (they share the one ISLD↔TW44 session, with
//! reset_on_logon, as QuickFIX's runner does). `FIXGATE_ACCEPTANCE_ONLY=name`
//! runs the definitions whose file name contains `name`.

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
