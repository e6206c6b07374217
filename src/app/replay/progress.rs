//! The replay's progress bar on stderr (indicatif): bytes of the capture read,
//! packets and events so far. Hidden when stderr is not a terminal, so that
//! scripts and tests see only the final JSON line on stdout.

use std::io::{BufRead, IsTerminal, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A `BufRead` that counts the bytes consumed (the bar's position).
#[derive(Debug)]
pub struct CountingRead<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R> CountingRead<R> {
    /// Wraps `inner`; the count is shared through the returned `Arc`.
    pub fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let consumed = Arc::new(AtomicU64::new(0));
        (
            CountingRead {
                inner,
                consumed: Arc::clone(&consumed),
            },
            consumed,
        )
    }
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingRead<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.consumed.fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

/// The bar (see the [module docs](self)).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    consumed: Arc<AtomicU64>,
}

impl Progress {
    /// A bar over `total_bytes`, drawn only when `enabled` and stderr is a
    /// terminal.
    pub fn new(total_bytes: u64, consumed: Arc<AtomicU64>, enabled: bool) -> Self {
        let bar = if enabled && std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {elapsed_precise} eta {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress { bar, consumed }
    }

    /// Moves the bar to the bytes read so far, with the datagrams and events so
    /// far as its message.
    pub fn update(&self, datagrams: u64, events: u64) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_position(self.consumed.load(Ordering::Relaxed));
        self.bar
            .set_message(format!("datagrams {datagrams} events {events}"));
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
