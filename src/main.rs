//! The `fixgate` command line.
//!
//! ```text
//! fixgate sample fix FILE          write a generated FIX session (the README's demo input)
//! fixgate decode --fix FILE        one JSON line per FIX message (or error) of FILE
//! fixgate decode FILE.pcap[ng]     one JSON line per CME MDP 3.0 message of a capture
//! fixgate decode FILE.pcap --events  one JSON line per normalized event (books, trades, stats)
//! fixgate bench fix-parse FILE     frame + checksum + index FILE for a few seconds
//! fixgate acceptor --config FILE   FIX acceptor with QuickFIX's acceptance-test echo application
//! ```

use std::fs::File;
use std::io;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use fixgate::sim::fix_sample::{self, SampleConfig};
use fixgate::tools::{bench_fix_parse, decode_cme, decode_cme_events, decode_fix};

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
        Command::Acceptor { config, port } => run_acceptor(&config, port)?,
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
    }
    Ok(())
}
