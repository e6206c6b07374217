//! The feed thread: one dedicated OS thread per receiver, polling its
//! sockets and handing each batch to a handler.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use thiserror::Error;

use super::rx::{Rx, RxBatch, RxError};
use super::wait::{Idler, WaitStrategy};

/// Why a feed thread ended badly.
#[derive(Debug, Error)]
pub enum FeedThreadError {
    /// The receive path failed; the thread stopped.
    #[error("feed thread {name}: {error}")]
    Rx {
        /// The thread's name.
        name: String,
        /// The failure.
        error: RxError,
    },
    /// The handler (or the receive path) panicked.
    #[error("feed thread {name} panicked")]
    Panicked {
        /// The thread's name.
        name: String,
    },
}

/// What a feed thread hands back when it ends: its receiver (with its
/// counters) and its handler (with whatever it accumulated).
#[derive(Debug)]
pub struct FeedExit<R, H> {
    /// The receiver.
    pub rx: R,
    /// The batch handler.
    pub handler: H,
    /// Batches handed to the handler.
    pub batches: u64,
    /// Packets handed to the handler.
    pub packets: u64,
}

/// A running feed thread.
///
/// The thread loops: `recv_batch`; a non-empty batch goes to the handler
/// (which may end the thread with `ControlFlow::Break`); an empty one makes it
/// wait per its [`WaitStrategy`]. It ends when [`FeedThread::stop`] is called,
/// the handler breaks, or the receive path fails.
pub struct FeedThread<R, H> {
    name: String,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<(Result<(), RxError>, FeedExit<R, H>)>,
}

impl<R, H> FeedThread<R, H>
where
    R: Rx + Send + 'static,
    H: FnMut(&RxBatch) -> ControlFlow<()> + Send + 'static,
{
    /// Starts the thread `name` with its receiver, batch (the buffer pool) and
    /// handler.
    ///
    /// # Errors
    /// The OS refused to create the thread.
    pub fn spawn(
        name: &str,
        mut rx: R,
        mut batch: RxBatch,
        wait: WaitStrategy,
        mut handler: H,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut idler = Idler::new(wait);
                let (mut batches, mut packets) = (0u64, 0u64);
                let result = loop {
                    if stop_flag.load(Ordering::Relaxed) {
                        break Ok(());
                    }
                    match rx.recv_batch(&mut batch) {
                        Ok(0) => {
                            if let Err(e) = idler.idle(&mut rx) {
                                break Err(e);
                            }
                        }
                        Ok(n) => {
                            idler.busy();
                            batches += 1;
                            packets += n as u64;
                            if handler(&batch).is_break() {
                                break Ok(());
                            }
                        }
                        Err(e) => break Err(e),
                    }
                };
                let exit = FeedExit {
                    rx,
                    handler,
                    batches,
                    packets,
                };
                (result, exit)
            })?;
        Ok(FeedThread {
            name: name.to_owned(),
            stop,
            handle,
        })
    }

    /// Asks the thread to end after its current batch (it notices within one
    /// receive call, or one `Block` timeout).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread to end (call [`FeedThread::stop`] first unless the
    /// handler ends it) and hands back its receiver and handler.
    ///
    /// # Errors
    /// [`FeedThreadError`] when the receive path failed or the thread panicked.
    pub fn join(self) -> Result<FeedExit<R, H>, FeedThreadError> {
        match self.handle.join() {
            Ok((Ok(()), exit)) => Ok(exit),
            Ok((Err(error), _)) => Err(FeedThreadError::Rx {
                name: self.name,
                error,
            }),
            Err(_) => Err(FeedThreadError::Panicked { name: self.name }),
        }
    }
}
