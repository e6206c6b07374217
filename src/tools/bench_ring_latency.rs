//! `fixgate bench ring-latency`: one-way latency through the broadcast ring,
//! ping-pong between two threads pinned to absolute CPU ids.
//!
//! Two rings of 64-byte events, one each way, one blocking subscriber on each.
//! The ping thread stamps a TSC reading into an event and publishes it; the pong
//! thread reads it, stamps the TSC again and records the difference (one-way,
//! ping → pong), then publishes its own stamped event back, whose one-way time
//! (pong → ping) and the whole round trip the ping thread records. Only one event
//! is in flight at a time, so each sample is a ring crossing, not queueing.
//!
//! One-way samples subtract TSC readings taken on two cores: right on CPUs with
//! an invariant TSC synchronised across cores (the environment line says what
//! `/proc/cpuinfo` reports); half the round trip is printed as a cross-check that
//! needs no such assumption. Each thread pins itself with `sched_setaffinity` to
//! the CPU id given (absolute, as the OS numbers them, not an index into the
//! allowed set) and asserts with `sched_getcpu` that it runs there.
//!
//! Bounded: stops after `count` round trips or `seconds`, whichever is first,
//! after `warmup` unrecorded ones. Histograms (HdrHistogram, 3 significant
//! digits, 1 ns to 10 s) are allocated before the loop and never resize.

use std::fmt;
use std::sync::Arc;
use std::thread;

use fixgate_core::time::{Clock, Ticks, TscClock};
use fixgate_ring::{channel, Blocking, Producer, RingConfig, WaitStrategy};
use hdrhistogram::Histogram;
use nix::sched::{sched_getaffinity, sched_getcpu, sched_setaffinity, CpuSet};
use nix::unistd::Pid;

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatencyConfig {
    /// Recorded round trips at most.
    pub count: u64,
    /// Wall time at most, seconds (the warm-up included).
    pub seconds: f64,
    /// Unrecorded round trips first.
    pub warmup: u64,
    /// Absolute CPU ids for the ping and the pong thread; `None`: the first two
    /// CPUs this process may run on.
    pub cpus: Option<(usize, usize)>,
    /// Leave the threads unpinned (the report says so).
    pub pin: bool,
    /// How both threads wait for the other's event.
    pub wait: WaitStrategy,
    /// Slots per ring.
    pub capacity: usize,
}

impl Default for LatencyConfig {
    fn default() -> LatencyConfig {
        LatencyConfig {
            count: 1_000_000,
            seconds: 10.0,
            warmup: 10_000,
            cpus: None,
            pin: true,
            wait: WaitStrategy::Spin,
            capacity: 1024,
        }
    }
}

/// Why the harness could not run.
#[derive(Debug, thiserror::Error)]
pub enum LatencyError {
    /// Fewer than two CPUs are allowed and none were named.
    #[error("need two CPUs to pin to; this process may run on {allowed}")]
    TooFewCpus {
        /// CPUs in the process's affinity mask.
        allowed: usize,
    },
    /// `sched_setaffinity` or `sched_getcpu` failed.
    #[error("pinning to CPU {cpu}: {errno}")]
    Pin {
        /// The CPU asked for.
        cpu: usize,
        /// The OS error.
        errno: nix::Error,
    },
    /// The thread runs somewhere else after pinning.
    #[error("pinned to CPU {wanted} but sched_getcpu says {actual}")]
    WrongCpu {
        /// The CPU asked for.
        wanted: usize,
        /// Where the thread runs.
        actual: usize,
    },
    /// The ring refused the capacity.
    #[error(transparent)]
    Ring(#[from] fixgate_ring::ConfigError),
    /// A measuring thread panicked (a sequence check failed).
    #[error("the {0} thread panicked")]
    Thread(&'static str),
}

/// One ping or pong: a sequence and the sender's TSC reading, 64 bytes without
/// padding like fixgate's `Event`.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Stamp {
    seq: u64,
    sent_ticks: u64,
    _fill: [u64; 6],
}
fixgate_ring::ring_payload!(
    struct Stamp {
        seq: u64,
        sent_ticks: u64,
        _fill: [u64; 6],
    }
);

impl Stamp {
    fn new(seq: u64, sent_ticks: u64) -> Stamp {
        Stamp {
            seq,
            sent_ticks,
            _fill: [0; 6],
        }
    }
}

/// Where the run happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// `available_parallelism`.
    pub cores: usize,
    /// CPU ids in this process's affinity mask.
    pub allowed_cpus: Vec<usize>,
    /// Where each thread was pinned and checked, or `None` when unpinned.
    pub pinned: Option<(usize, usize)>,
    /// The wait strategy's name.
    pub wait: &'static str,
    /// `/sys/.../current_clocksource`, if readable.
    pub clocksource: String,
    /// `constant_tsc` and `nonstop_tsc` in `/proc/cpuinfo` (an invariant TSC).
    pub invariant_tsc: bool,
}

/// The histograms and the counts.
#[derive(Debug)]
pub struct LatencyReport {
    /// Where it ran.
    pub env: Environment,
    /// Ping → pong one-way, ns.
    pub ping_to_pong: Histogram<u64>,
    /// Pong → ping one-way, ns.
    pub pong_to_ping: Histogram<u64>,
    /// Round trips, ns.
    pub round_trip: Histogram<u64>,
    /// Recorded round trips.
    pub samples: u64,
    /// Whether the time bound ended the run before the count.
    pub stopped_by_time: bool,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 10_000_000_000, 3).expect("static bounds are valid")
}

fn allowed_cpus() -> Vec<usize> {
    match sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => (0..CpuSet::count())
            .filter(|&c| set.is_set(c).unwrap_or(false))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Pins the calling thread to `cpu` (absolute id) and checks where it runs.
///
/// # Errors
/// [`LatencyError::Pin`] when the OS refuses, [`LatencyError::WrongCpu`] when
/// `sched_getcpu` disagrees afterwards.
pub fn pin_current_thread(cpu: usize) -> Result<(), LatencyError> {
    let mut set = CpuSet::new();
    set.set(cpu)
        .map_err(|errno| LatencyError::Pin { cpu, errno })?;
    sched_setaffinity(Pid::from_raw(0), &set).map_err(|errno| LatencyError::Pin { cpu, errno })?;
    let actual = sched_getcpu().map_err(|errno| LatencyError::Pin { cpu, errno })?;
    if actual != cpu {
        return Err(LatencyError::WrongCpu {
            wanted: cpu,
            actual,
        });
    }
    Ok(())
}

fn environment(pinned: Option<(usize, usize)>, wait: WaitStrategy) -> Environment {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let flags = cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .unwrap_or_default();
    let has = |f: &str| flags.split_whitespace().any(|x| x == f);
    Environment {
        cores: thread::available_parallelism().map_or(0, usize::from),
        allowed_cpus: allowed_cpus(),
        pinned,
        wait: wait.name(),
        clocksource: std::fs::read_to_string(
            "/sys/devices/system/clocksource/clocksource0/current_clocksource",
        )
        .map_or_else(|_| "unknown".to_owned(), |s| s.trim().to_owned()),
        invariant_tsc: has("constant_tsc") && has("nonstop_tsc"),
    }
}

/// Runs the ping-pong and returns the histograms.
///
/// # Errors
/// Pinning failures, a bad capacity, or a panicked thread.
pub fn run(config: LatencyConfig) -> Result<LatencyReport, LatencyError> {
    let cpus = if config.pin {
        Some(match config.cpus {
            Some(pair) => pair,
            None => {
                let allowed = allowed_cpus();
                if allowed.len() < 2 {
                    return Err(LatencyError::TooFewCpus {
                        allowed: allowed.len(),
                    });
                }
                (allowed[0], allowed[1])
            }
        })
    } else {
        None
    };
    let ring = RingConfig {
        capacity: config.capacity,
        max_blocking: 1,
        producer_wait: config.wait,
    };
    let (ping_tx, ping_subs) = channel::<Stamp>(ring)?;
    let (pong_tx, pong_subs) = channel::<Stamp>(ring)?;
    let ping_rx = ping_subs
        .blocking(config.wait)
        .expect("a fresh ring has a seat");
    let pong_rx = pong_subs
        .blocking(config.wait)
        .expect("a fresh ring has a seat");
    let clock = Arc::new(TscClock::new());

    let pong_clock = Arc::clone(&clock);
    let pong_cpu = cpus.map(|c| c.1);
    let pong = thread::Builder::new()
        .name("ring-pong".into())
        .spawn(move || pong_side(pong_cpu, &pong_clock, config.warmup, ping_rx, pong_tx))
        .expect("spawn");
    let ping_clock = Arc::clone(&clock);
    let ping_cpu = cpus.map(|c| c.0);
    let ping = thread::Builder::new()
        .name("ring-ping".into())
        .spawn(move || ping_side(ping_cpu, &ping_clock, config, ping_tx, pong_rx))
        .expect("spawn");

    let ping_result = ping.join().map_err(|_| LatencyError::Thread("ping"))?;
    let pong_result = pong.join().map_err(|_| LatencyError::Thread("pong"))?;
    let (pong_to_ping, round_trip, samples, stopped_by_time) = ping_result?;
    let ping_to_pong = pong_result?;
    Ok(LatencyReport {
        env: environment(cpus, config.wait),
        ping_to_pong,
        pong_to_ping,
        round_trip,
        samples,
        stopped_by_time,
    })
}

type PingResult = Result<(Histogram<u64>, Histogram<u64>, u64, bool), LatencyError>;

fn ping_side(
    cpu: Option<usize>,
    clock: &TscClock,
    config: LatencyConfig,
    mut tx: Producer<Stamp>,
    mut rx: Blocking<Stamp>,
) -> PingResult {
    if let Some(cpu) = cpu {
        pin_current_thread(cpu)?;
    }
    let (mut one_way, mut round_trip) = (histogram(), histogram());
    let start = clock.mono();
    let limit_ns = (config.seconds.max(0.0) * 1e9) as u64;
    let total = config.warmup + config.count;
    let (mut seq, mut samples, mut stopped_by_time) = (0u64, 0u64, false);
    while seq < total {
        if seq % 256 == 0 && clock.mono().saturating_sub(start) > limit_ns {
            stopped_by_time = true;
            break;
        }
        let sent = clock.raw();
        tx.publish(Stamp::new(seq, sent.as_raw()));
        let (_, pong) = rx.recv().map_err(|_| LatencyError::Thread("pong"))?;
        let back = clock.raw();
        assert_eq!(pong.seq, seq, "pong answered the wrong ping");
        if seq >= config.warmup {
            let pong_sent = Ticks::from_raw(pong.sent_ticks);
            one_way.saturating_record(clock.delta_nanos(pong_sent, back).max(1));
            round_trip.saturating_record(clock.delta_nanos(sent, back).max(1));
            samples += 1;
        }
        seq += 1;
    }
    Ok((one_way, round_trip, samples, stopped_by_time))
}

fn pong_side(
    cpu: Option<usize>,
    clock: &TscClock,
    warmup: u64,
    mut rx: Blocking<Stamp>,
    mut tx: Producer<Stamp>,
) -> Result<Histogram<u64>, LatencyError> {
    if let Some(cpu) = cpu {
        pin_current_thread(cpu)?;
    }
    let mut one_way = histogram();
    while let Ok((_, ping)) = rx.recv() {
        let now = clock.raw();
        if ping.seq >= warmup {
            let sent = Ticks::from_raw(ping.sent_ticks);
            one_way.saturating_record(clock.delta_nanos(sent, now).max(1));
        }
        tx.publish(Stamp::new(ping.seq, clock.raw().as_raw()));
    }
    Ok(one_way)
}

impl fmt::Display for LatencyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.env;
        writeln!(
            f,
            "environment: cores={} allowed_cpus={:?} pinning={} wait={} clocksource={} invariant_tsc={}",
            e.cores,
            e.allowed_cpus,
            e.pinned.map_or_else(
                || "none".to_owned(),
                |(a, b)| format!("ping->cpu{a},pong->cpu{b} (sched_getcpu checked)")
            ),
            e.wait,
            e.clocksource,
            e.invariant_tsc
        )?;
        writeln!(
            f,
            "samples={} stopped_by={}",
            self.samples,
            if self.stopped_by_time {
                "time"
            } else {
                "count"
            }
        )?;
        writeln!(
            f,
            "{:<22} {:>8} {:>8} {:>8} {:>10}",
            "ns", "p50", "p99", "p99.9", "max"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, h: &Histogram<u64>, div: u64| {
            writeln!(
                f,
                "{:<22} {:>8} {:>8} {:>8} {:>10}",
                name,
                h.value_at_quantile(0.5) / div,
                h.value_at_quantile(0.99) / div,
                h.value_at_quantile(0.999) / div,
                h.max() / div
            )
        };
        row(f, "one-way ping->pong", &self.ping_to_pong, 1)?;
        row(f, "one-way pong->ping", &self.pong_to_ping, 1)?;
        row(f, "round trip / 2", &self.round_trip, 2)?;
        row(f, "round trip", &self.round_trip, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::{run, LatencyConfig};
    use fixgate_ring::WaitStrategy;

    #[test]
    fn a_short_pinned_run_records_every_round_trip() {
        let report = run(LatencyConfig {
            count: 2_000,
            seconds: 30.0,
            warmup: 100,
            // Whatever the machine, yield so two threads share small CI boxes.
            wait: WaitStrategy::SpinThenYield { spins: 100 },
            ..LatencyConfig::default()
        });
        let report = match report {
            Err(super::LatencyError::TooFewCpus { allowed }) => {
                println!("skipped: only {allowed} CPU allowed");
                return;
            }
            r => r.unwrap(),
        };
        assert_eq!(report.samples, 2_000);
        assert!(!report.stopped_by_time);
        assert_eq!(report.round_trip.len(), 2_000);
        assert_eq!(report.pong_to_ping.len(), 2_000);
        assert_eq!(report.ping_to_pong.len(), 2_000);
        let (a, b) = report.env.pinned.unwrap();
        assert_ne!(a, b);
        assert!(report.env.allowed_cpus.contains(&a) && report.env.allowed_cpus.contains(&b));
        let text = report.to_string();
        assert!(text.contains("round trip / 2") && text.contains("sched_getcpu checked"));
        println!("{text}");
    }

    #[test]
    fn pinning_to_a_cpu_outside_the_mask_is_an_error() {
        assert!(super::pin_current_thread(nix::sched::CpuSet::count() + 1).is_err());
    }
}
