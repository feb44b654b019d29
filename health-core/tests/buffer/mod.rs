//! A log buffer for the tests that read what tracing writes.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
pub(crate) struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    /// A buffer receiving this thread's INFO log, each span's close
    /// included, for as long as the guard lives.
    pub(crate) fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let buffer = Self::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .finish();
        (buffer, tracing::subscriber::set_default(subscriber))
    }

    pub(crate) fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().expect("log buffer")))
            .expect("UTF-8 log")
    }

    /// The log so far once it has `lines` transition lines: they are written
    /// by the registry's delivery thread, off the probe's path.
    #[allow(dead_code, reason = "log.rs's only")]
    pub(crate) async fn take_after(&self, lines: usize) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let count = String::from_utf8_lossy(&self.0.lock().expect("log buffer"))
                .matches("health check ")
                .count();
            if count >= lines || std::time::Instant::now() > deadline {
                return self.take();
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}
