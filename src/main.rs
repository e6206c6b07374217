//! The `fixgate` command line.
//!
//! ```text
//! fixgate sample fix FILE          write a generated FIX session (the README's demo input)
//! fixgate sample cme FILE.pcap     write a generated CME feed on lines A and B, and FILE.toml to replay it
//! fixgate decode --fix FILE        one JSON line per FIX message (or error) of FILE
//! fixgate decode FILE.pcap[ng]     one JSON line per CME MDP 3.0 message of a capture
//! fixgate decode FILE.pcap --events  one JSON line per normalized event (books, trades, stats)
//! fixgate bench fix-parse FILE     frame + checksum + index FILE for a few seconds
//! fixgate bench ring-latency       one-way ring latency, ping-pong between pinned threads
//! fixgate acceptor --config FILE   FIX acceptor with QuickFIX's acceptance-test echo application
//! fixgate report --hlog FILE --out DIR   latency table, JSON and SVG plots from an interval log
//! fixgate replay FILE --venue cme [--speed max|1x|Nx] [--config FILE] [--latency-out DIR]
//!                                  a capture through arbitration, normalization, ring and strategies
//! fixgate record --config FILE --out FILE.pcap [--max-packets N] [--max-seconds S]
//!                                  capture the configured feed lines to a pcap
//! ```

use std::fs::File;
use std::io;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use fixgate::sim::fix_sample::{self, SampleConfig};
use fixgate::tools::{
    bench_fix_parse, bench_ring_latency, decode_cme, decode_cme_events, decode_fix,
};

#[derive(Parser)]
#[command(
    name = "fixgate",
    version,
    about = "Low-latency FIX gateway and feed handler"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode a capture (pcap or pcapng) or a FIX message file to JSON lines.
    Decode {
        /// The file holds concatenated FIX tag=value messages.
        #[arg(long, conflicts_with = "venue")]
        fix: bool,
        /// The venue whose market data the capture holds.
        #[arg(long, value_enum, default_value_t = Venue::Cme)]
        venue: Venue,
        /// Print normalized events (books, trades, statistics, status) instead of messages.
        #[arg(long, conflicts_with = "fix")]
        events: bool,
        /// Largest message accepted, in bytes.
        #[arg(long, default_value_t = 1 << 20)]
        max_message_len: usize,
        /// The file to decode (`-` for standard input).
        file: PathBuf,
    },
    /// Measure a codec on a file.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Run a FIX acceptor (echo application) for the sessions of a configuration file.
    Acceptor {
        /// TOML configuration (see examples/acceptance/fix44.toml).
        #[arg(long)]
        config: PathBuf,
        /// Port to listen on, overriding the file's.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Latency report (table, JSON summary, SVG percentile plots) from an HdrHistogram interval log.
    Report {
        /// The interval log a run wrote (`latency.hlog`), or any log with fixgate's tags.
        #[arg(long)]
        hlog: PathBuf,
        /// Directory for latency.txt, latency.json and latency-<stage>.svg (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replay a capture through the live pipeline (A/B arbitration,
    /// normalization, ring, strategies) on the capture's time; the last stdout
    /// line is one JSON object of counters.
    Replay {
        /// The capture (pcap or pcapng).
        file: PathBuf,
        /// The venue whose market data the capture holds.
        #[arg(long, value_enum, default_value_t = Venue::Cme)]
        venue: Venue,
        /// `max` (no pacing), `1x` (as captured) or a factor such as `10x`.
        #[arg(long, default_value = "max")]
        speed: fixgate::app::replay::Speed,
        /// TOML with `[replay]` (line map, sizes) and `[[strategy]]` blocks.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Write the latency report (latency.txt, .json, .hlog, SVGs) into this directory.
        #[arg(long)]
        latency_out: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Record the configured feed lines to a pcap file.
    Record {
        /// TOML with `[[record.line]]` blocks (see `fixgate::app::record`).
        #[arg(long)]
        config: PathBuf,
        /// The capture to write.
        #[arg(long)]
        out: PathBuf,
        /// Stop after this many packets.
        #[arg(long)]
        max_packets: Option<u64>,
        /// Stop after this many seconds.
        #[arg(long)]
        max_seconds: Option<f64>,
    },
    /// Write sample traffic that fixgate generates itself.
    Sample {
        #[command(subcommand)]
        what: SampleCommand,
    },
}

/// Venues whose captures `decode` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Venue {
    /// CME MDP 3.0 (SBE over UDP; conflated TCP headers).
    Cme,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Frame, verify the checksum of, and index every message of FILE, repeatedly.
    FixParse {
        /// Concatenated FIX messages.
        file: PathBuf,
        /// How long to run.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// One-way latency through the broadcast ring: ping-pong between two threads
    /// pinned to absolute CPU ids, into HdrHistograms.
    RingLatency {
        /// Recorded round trips at most.
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
        /// Seconds at most.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Unrecorded round trips first.
        #[arg(long, default_value_t = 10_000)]
        warmup: u64,
        /// Absolute CPU ids `PING,PONG` (default: the first two allowed).
        #[arg(long)]
        cpus: Option<String>,
        /// Do not pin the threads.
        #[arg(long)]
        no_pin: bool,
        /// spin, yield (spin then yield) or park (spin, yield, park 50 us).
        #[arg(long, default_value = "spin")]
        wait: String,
        /// Slots per ring (a power of two).
        #[arg(long, default_value_t = 1024)]
        capacity: usize,
    },
}

#[derive(Subcommand)]
enum SampleCommand {
    /// A FIX 4.4 venue session on GPU-hour futures: W, X, D, 8, heartbeats, one bad checksum.
    Fix {
        /// Where to write it.
        out: PathBuf,
        /// Messages after the Logon.
        #[arg(long, default_value_t = 1000)]
        count: usize,
        /// RNG seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Leave out the message with the corrupted checksum.
        #[arg(long)]
        all_valid: bool,
    },
    /// A CME MDP 3.0 incremental feed on lines A and B (pcap), and next to it
    /// (same name, `.toml`) the replay configuration that maps the lines and
    /// runs a market maker and a latency probe.
    Cme {
        /// The capture to write (e.g. target/sample-cme.pcap).
        out: PathBuf,
        /// Futures in the channel.
        #[arg(long, default_value_t = 8)]
        instruments: usize,
        /// Packets after the books are built.
        #[arg(long, default_value_t = 20_000)]
        packets: usize,
        /// RNG seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

/// `fixgate sample cme`: the generated feed on lines A and B, and its replay
/// configuration beside it.
fn write_cme_sample(
    out: &std::path::Path,
    instruments: usize,
    packets: usize,
    seed: u64,
) -> anyhow::Result<()> {
    use fixgate::sim::cme_sample;
    use std::io::Write;

    anyhow::ensure!(
        (1..=10_000).contains(&instruments),
        "--instruments must be 1..=10000"
    );
    let payloads = cme_sample::generate(instruments, packets, seed);
    let file = std::fs::File::create(out).with_context(|| format!("create {}", out.display()))?;
    let (mut w, datagrams) =
        cme_sample::write_ab_capture(std::io::BufWriter::new(file), &payloads)?;
    w.flush()
        .with_context(|| format!("write {}", out.display()))?;
    let config = out.with_extension("toml");
    std::fs::write(&config, cme_sample::REPLAY_TOML)
        .with_context(|| format!("write {}", config.display()))?;
    eprintln!(
        "wrote {datagrams} datagrams ({} packets on lines A and B) to {}, and the replay configuration to {}",
        payloads.len(),
        out.display(),
        config.display()
    );
    Ok(())
}

fn run_acceptor(path: &std::path::Path, port: Option<u16>) -> anyhow::Result<()> {
    use fixgate::app::echo::EchoApplication;
    use fixgate::config::ConfigFile;
    use fixgate::net::acceptor::Acceptor;
    use fixgate_core::session::Role;

    let file = ConfigFile::load(path)?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let sessions = file.sessions(Role::Acceptor, dir)?;
    anyhow::ensure!(
        !sessions.is_empty(),
        "{} defines no [[session]]",
        path.display()
    );
    let settings = file
        .acceptor
        .clone()
        .context("the configuration has no [acceptor] table")?;
    let port = port.unwrap_or(settings.port);
    let addr: std::net::SocketAddr = format!("{}:{port}", settings.bind)
        .parse()
        .context("acceptor bind address")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let acceptor = Acceptor::bind(addr, sessions, |s| {
            EchoApplication::new(s.app_dict.clone().or(s.session_dict.clone()))
        })
        .await?;
        eprintln!("fixgate acceptor listening on {}", acceptor.local_addr()?);
        acceptor.run().await
    })?;
    Ok(())
}

fn run_report(hlog: &std::path::Path, out: &std::path::Path) -> anyhow::Result<()> {
    use fixgate::report::LatencyReport;

    let text = std::fs::read(hlog).with_context(|| format!("read {}", hlog.display()))?;
    let (report, contents) =
        LatencyReport::from_hlog(&text).with_context(|| format!("read {}", hlog.display()))?;
    for (line, tag) in &contents.skipped {
        eprintln!("note: line {line}: interval with tag {tag:?} is not a fixgate stage; skipped");
    }
    let files = report.write_to(out)?;
    print!("{}", report.table());
    eprintln!(
        "{} intervals read; wrote {}",
        contents.intervals.len(),
        files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn run_record(
    config: &std::path::Path,
    out: &std::path::Path,
    max_packets: Option<u64>,
    max_seconds: Option<f64>,
) -> anyhow::Result<()> {
    use fixgate::app::record::{record_to_file, RecordSection};

    let text =
        std::fs::read_to_string(config).with_context(|| format!("read {}", config.display()))?;
    let section =
        RecordSection::parse(&text).with_context(|| format!("in {}", config.display()))?;
    let summary = record_to_file(&section, out, max_packets, max_seconds)
        .with_context(|| format!("record to {}", out.display()))?;
    eprintln!("fixgate record: {summary}");
    Ok(())
}

fn run_replay(
    file: &std::path::Path,
    speed: fixgate::app::replay::Speed,
    config: Option<&std::path::Path>,
    latency_out: Option<PathBuf>,
    quiet: bool,
) -> anyhow::Result<()> {
    use fixgate::app::replay::{replay_file, ReplayConfig, ReplayOptions};
    use fixgate::app::strategies::StrategyRegistry;

    let config = match config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("read {}", path.display()))?;
            ReplayConfig::parse(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => ReplayConfig::default(),
    };
    let options = ReplayOptions {
        speed,
        latency_out: latency_out.clone(),
        progress: !quiet,
        ..ReplayOptions::new(config)
    };
    let summary = replay_file(file, &options, &StrategyRegistry::with_builtins())
        .with_context(|| format!("replay {}", file.display()))?;
    for s in &summary.intents {
        eprintln!("strategy {}: {} intents", s.label, s.count);
    }
    if let Some(dir) = latency_out {
        eprintln!("latency report in {}", dir.display());
    }
    println!("{}", summary.counters_json());
    Ok(())
}

/// `"2,3"` as two CPU ids.
fn parse_cpu_pair(s: &str) -> anyhow::Result<(usize, usize)> {
    let (a, b) = s
        .split_once(',')
        .context("--cpus takes two CPU ids: PING,PONG")?;
    Ok((
        a.trim().parse().context("--cpus: ping CPU id")?,
        b.trim().parse().context("--cpus: pong CPU id")?,
    ))
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(io::stderr)
        .init();
    match Cli::parse().command {
        Command::Decode {
            fix,
            venue: Venue::Cme,
            events: true,
            file,
            ..
        } if !fix => {
            let input = io::BufReader::new(
                File::open(&file).with_context(|| format!("open {}", file.display()))?,
            );
            match decode_cme_events::decode_capture_events(input, io::stdout().lock()) {
                Ok(s) => eprintln!("fixgate decode --events: {s}"),
                Err(decode_cme::DecodeCaptureError::Output(e))
                    if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e).with_context(|| format!("decode {}", file.display())),
            }
        }
        Command::Decode {
            fix,
            venue: Venue::Cme,
            max_message_len: _,
            file,
            ..
        } if !fix => {
            let input = io::BufReader::new(
                File::open(&file).with_context(|| format!("open {}", file.display()))?,
            );
            match decode_cme::decode_capture(input, io::stdout().lock()) {
                Ok(s) => eprintln!("fixgate decode: {s}"),
                Err(decode_cme::DecodeCaptureError::Output(e))
                    if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("decode {} (FIX tag=value files need --fix)", file.display())
                    })
                }
            }
        }
        Command::Decode {
            max_message_len,
            file,
            ..
        } => {
            let input: Box<dyn io::Read> = if file.as_os_str() == "-" {
                Box::new(io::stdin().lock())
            } else {
                Box::new(File::open(&file).with_context(|| format!("open {}", file.display()))?)
            };
            let summary = decode_fix::decode_fix(input, io::stdout().lock(), max_message_len);
            match summary {
                Ok(s) => eprintln!("decoded {} messages, {} errors", s.messages, s.errors),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e).context("decode"),
            }
        }
        Command::Bench {
            what: BenchCommand::FixParse { file, seconds },
        } => {
            let data = std::fs::read(&file).with_context(|| format!("read {}", file.display()))?;
            let r = bench_fix_parse::bench(&data, seconds, 1 << 20);
            if r.pass.errors > 0 {
                eprintln!("note: {} bad frames skipped per pass", r.pass.errors);
            }
            println!("{r}");
        }
        Command::Bench {
            what:
                BenchCommand::RingLatency {
                    count,
                    seconds,
                    warmup,
                    cpus,
                    no_pin,
                    wait,
                    capacity,
                },
        } => {
            let cpus = cpus.map(|s| parse_cpu_pair(&s)).transpose()?;
            let wait = match wait.as_str() {
                "spin" => fixgate_ring::WaitStrategy::Spin,
                "yield" => fixgate_ring::WaitStrategy::SpinThenYield { spins: 1_000 },
                "park" => fixgate_ring::WaitStrategy::BACKOFF,
                other => anyhow::bail!("--wait {other}: expected spin, yield or park"),
            };
            let report = bench_ring_latency::run(bench_ring_latency::LatencyConfig {
                count,
                seconds,
                warmup,
                cpus,
                pin: !no_pin,
                wait,
                capacity,
            })?;
            print!("{report}");
        }
        Command::Acceptor { config, port } => run_acceptor(&config, port)?,
        Command::Report { hlog, out } => run_report(&hlog, &out)?,
        Command::Replay {
            file,
            venue: Venue::Cme,
            speed,
            config,
            latency_out,
            quiet,
        } => run_replay(&file, speed, config.as_deref(), latency_out, quiet)?,
        Command::Record {
            config,
            out,
            max_packets,
            max_seconds,
        } => run_record(&config, &out, max_packets, max_seconds)?,
        Command::Sample {
            what:
                SampleCommand::Fix {
                    out,
                    count,
                    seed,
                    all_valid,
                },
        } => {
            let bytes = fix_sample::generate(SampleConfig {
                count,
                seed,
                with_bad_message: !all_valid,
            });
            std::fs::write(&out, &bytes).with_context(|| format!("write {}", out.display()))?;
            eprintln!(
                "wrote {} bytes, {} messages, to {}",
                bytes.len(),
                count + 1,
                out.display()
            );
        }
        Command::Sample {
            what:
                SampleCommand::Cme {
                    out,
                    instruments,
                    packets,
                    seed,
                },
        } => write_cme_sample(&out, instruments, packets, seed)?,
    }
    Ok(())
}
