//! The environment a latency run had: what a reader needs to trust (or
//! discount) its numbers.
//!
//! Probed from Linux's `/proc` and `/sys` ([`Environment::probe`]); what the
//! files do not say (the wait strategy, which thread ran on which CPU) the
//! caller adds. Elsewhere (or in a container that hides the files) the fields
//! are `None` and the report says "unknown" rather than guessing.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Where the kernel says which clock source it uses.
pub const CLOCKSOURCE_PATH: &str =
    "/sys/devices/system/clocksource/clocksource0/current_clocksource";
/// CPU model and flags.
pub const CPUINFO_PATH: &str = "/proc/cpuinfo";
/// The kernel release.
pub const OSRELEASE_PATH: &str = "/proc/sys/kernel/osrelease";

/// One thread's CPU placement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pinning {
    /// The thread's role (`feed-cme-a`, `strategy-mm`).
    pub thread: String,
    /// The absolute CPU id it is pinned to; `None` when it is not pinned.
    pub cpu: Option<usize>,
}

/// The machine and run settings printed at the head of every report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    /// CPUs this process may run on (`available_parallelism`: affinity and
    /// cgroup quota applied).
    pub cores: usize,
    /// Processors the kernel lists in `/proc/cpuinfo`.
    pub cpus_online: Option<usize>,
    /// The first `model name` of `/proc/cpuinfo`.
    pub cpu_model: Option<String>,
    /// The kernel's current clock source (`tsc`, `hpet`, `kvm-clock`, ...):
    /// anything but `tsc` makes `clock_gettime` slower, and suggests the TSC was
    /// found unreliable.
    pub clocksource: Option<String>,
    /// The CPU's `constant_tsc` flag: the TSC ticks at a fixed rate whatever
    /// the core's frequency.
    pub constant_tsc: Option<bool>,
    /// The CPU's `nonstop_tsc` flag: the TSC keeps ticking in deep C-states.
    pub nonstop_tsc: Option<bool>,
    /// The kernel release.
    pub kernel: Option<String>,
    /// How waiting threads wait (`spin`, `spin-then-yield`, `park`), as
    /// configured.
    pub wait_strategy: Option<String>,
    /// Each thread's CPU, as configured and checked by the runner.
    pub pinning: Vec<Pinning>,
}

impl Environment {
    /// Reads the machine's side from `/proc` and `/sys` (files that are missing
    /// leave their fields `None`); the run settings start empty.
    pub fn probe() -> Self {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::from_sources(
            cores,
            read(CPUINFO_PATH).as_deref(),
            read(CLOCKSOURCE_PATH).as_deref(),
            read(OSRELEASE_PATH).as_deref(),
        )
    }

    /// The machine's side from the texts of `/proc/cpuinfo`, the
    /// `current_clocksource` file and `/proc/sys/kernel/osrelease` (each `None`
    /// when unreadable).
    pub fn from_sources(
        cores: usize,
        cpuinfo: Option<&str>,
        clocksource: Option<&str>,
        osrelease: Option<&str>,
    ) -> Self {
        let non_empty = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        let mut env = Environment {
            cores,
            clocksource: clocksource.and_then(non_empty),
            kernel: osrelease.and_then(non_empty),
            ..Environment::default()
        };
        if let Some(cpuinfo) = cpuinfo {
            let mut processors = 0;
            let mut flags: Option<&str> = None;
            for line in cpuinfo.lines() {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                match name.trim() {
                    "processor" => processors += 1,
                    "model name" if env.cpu_model.is_none() => env.cpu_model = non_empty(value),
                    "flags" if flags.is_none() => flags = Some(value),
                    _ => {}
                }
            }
            env.cpus_online = (processors > 0).then_some(processors);
            // Only x86 lists TSC flags; elsewhere "unknown", not "no".
            if let Some(flags) = flags {
                let has = |f: &str| flags.split_whitespace().any(|x| x == f);
                env.constant_tsc = Some(has("constant_tsc"));
                env.nonstop_tsc = Some(has("nonstop_tsc"));
            }
        }
        env
    }

    /// This environment with the wait strategy set.
    pub fn with_wait_strategy(mut self, strategy: &str) -> Self {
        self.wait_strategy = Some(strategy.to_owned());
        self
    }

    /// This environment with one more thread's placement.
    pub fn with_pinning(mut self, thread: &str, cpu: Option<usize>) -> Self {
        self.pinning.push(Pinning {
            thread: thread.to_owned(),
            cpu,
        });
        self
    }

    /// Whether the TSC is invariant (both `constant_tsc` and `nonstop_tsc`):
    /// then TSC deltas are wall-time deltas on every core, the premise of
    /// fixgate's stage timing. `None` when the flags are unknown.
    pub fn invariant_tsc(&self) -> Option<bool> {
        Some(self.constant_tsc? && self.nonstop_tsc?)
    }

    /// The report header: one `name: value` line each, unknowns said so.
    pub fn header(&self) -> String {
        let unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".into());
        let mut out = String::new();
        let online = self
            .cpus_online
            .map_or_else(String::new, |n| format!(", {n} online"));
        let _ = writeln!(
            out,
            "cpu:           {} ({} cores available{online})",
            unknown(&self.cpu_model),
            self.cores
        );
        let _ = writeln!(
            out,
            "kernel:        {}, clocksource {}",
            unknown(&self.kernel),
            unknown(&self.clocksource)
        );
        let flag = |name: &str, v: Option<bool>| match v {
            Some(true) => name.to_owned(),
            Some(false) => format!("no {name}"),
            None => format!("{name} unknown"),
        };
        let verdict = match self.invariant_tsc() {
            Some(true) => "yes",
            Some(false) => "NO: stage times across cores or idle periods are suspect",
            None => "unknown",
        };
        let _ = writeln!(
            out,
            "invariant TSC: {verdict} ({}, {})",
            flag("constant_tsc", self.constant_tsc),
            flag("nonstop_tsc", self.nonstop_tsc)
        );
        let _ = writeln!(out, "wait strategy: {}", unknown(&self.wait_strategy));
        let pins = if self.pinning.is_empty() {
            "none given".to_owned()
        } else {
            self.pinning
                .iter()
                .map(|p| match p.cpu {
                    Some(cpu) => format!("{} on cpu {cpu}", p.thread),
                    None => format!("{} unpinned", p.thread),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "pinning:       {pins}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\nflags\t\t: fpu tsc constant_tsc rep_good nopl nonstop_tsc cpuid\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13 64-Core Processor\nflags\t\t: fpu tsc constant_tsc\n";

    #[test]
    fn reads_cpuinfo_clocksource_and_kernel() {
        let env =
            Environment::from_sources(2, Some(CPUINFO), Some("tsc\n"), Some("6.1.0-18-amd64\n"))
                .with_wait_strategy("spin")
                .with_pinning("feed-cme", Some(2))
                .with_pinning("merger", None);
        assert_eq!(env.cpus_online, Some(2));
        assert_eq!(
            env.cpu_model.as_deref(),
            Some("AMD EPYC 7B13 64-Core Processor")
        );
        assert_eq!(env.clocksource.as_deref(), Some("tsc"));
        assert_eq!(env.kernel.as_deref(), Some("6.1.0-18-amd64"));
        // The first processor's flags decide.
        assert_eq!(
            (env.constant_tsc, env.nonstop_tsc),
            (Some(true), Some(true))
        );
        assert_eq!(env.invariant_tsc(), Some(true));
        let header = env.header();
        for want in [
            "cpu:           AMD EPYC 7B13 64-Core Processor (2 cores available, 2 online)",
            "kernel:        6.1.0-18-amd64, clocksource tsc",
            "invariant TSC: yes (constant_tsc, nonstop_tsc)",
            "wait strategy: spin",
            "pinning:       feed-cme on cpu 2, merger unpinned",
        ] {
            assert!(header.contains(want), "{want:?} not in\n{header}");
        }
    }

    #[test]
    fn missing_or_partial_sources_say_unknown_or_no() {
        let env = Environment::from_sources(1, None, None, Some("  "));
        assert_eq!(env.invariant_tsc(), None);
        assert_eq!(env.kernel, None);
        let header = env.header();
        assert!(
            header.contains("cpu:           unknown (1 cores available)"),
            "{header}"
        );
        assert!(
            header.contains("invariant TSC: unknown (constant_tsc unknown, nonstop_tsc unknown)")
        );
        assert!(header.contains("pinning:       none given"));

        let no_nonstop = "processor: 0\nflags: tsc constant_tsc nonstop_tsc_s3\n";
        let env = Environment::from_sources(1, Some(no_nonstop), Some("hpet"), None);
        assert_eq!(env.invariant_tsc(), Some(false));
        assert!(env.header().contains("invariant TSC: NO"));
        assert!(env.header().contains("no nonstop_tsc"));

        // An ARM cpuinfo has no flags line: unknown, not "no".
        let arm = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n";
        assert_eq!(
            Environment::from_sources(1, Some(arm), None, None).invariant_tsc(),
            None
        );
    }

    #[test]
    fn probes_this_machine_without_failing() {
        let env = Environment::probe();
        assert!(env.cores >= 1);
        println!("{}", env.header());
        if std::path::Path::new(CPUINFO_PATH).exists() {
            assert!(env.cpus_online.is_some());
        }
    }

    #[test]
    fn serializes_to_json_and_back() {
        let env = Environment::from_sources(2, Some(CPUINFO), Some("tsc"), None)
            .with_pinning("a", Some(1));
        let text = serde_json::to_string(&env).unwrap();
        assert!(!text.contains('\n'));
        assert_eq!(serde_json::from_str::<Environment>(&text).unwrap(), env);
    }
}
