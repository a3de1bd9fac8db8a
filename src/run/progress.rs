//! Progress on stderr: a bar with rate and ETA on a terminal, plain periodic lines otherwise
//! (logs and CI), nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

pub enum Progress {
    Bar(ProgressBar),
    Lines {
        total: u64,
        done: Mutex<(u64, Instant)>,
        started: Instant,
        every: Duration,
    },
    Quiet,
}

impl Progress {
    pub fn new(total: u64, quiet: bool) -> Self {
        if quiet {
            return Progress::Quiet;
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} articles  {per_sec}  ETA {eta}  {msg}",
                )
                .expect("static template"),
            );
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Lines {
                total,
                done: Mutex::new((0, now)),
                started: now,
                every: Duration::from_secs(5),
            }
        }
    }

    /// Counts `n` more articles done (processed, skipped or failed).
    pub fn advance(&self, n: u64) {
        match self {
            Progress::Bar(bar) => bar.inc(n),
            Progress::Lines {
                total,
                done,
                started,
                every,
            } => {
                let mut state = done.lock().unwrap_or_else(|e| e.into_inner());
                state.0 += n;
                if state.1.elapsed() >= *every {
                    state.1 = Instant::now();
                    let elapsed = started.elapsed().as_secs_f64();
                    let rate = state.0 as f64 / elapsed.max(1e-9);
                    let eta = total.saturating_sub(state.0) as f64 / rate.max(1e-9);
                    eprintln!(
                        "progress: {}/{} articles, {:.1}/s, ETA {:.0}s",
                        state.0, total, rate, eta
                    );
                }
            }
            Progress::Quiet => {}
        }
    }

    /// Prints a line without tearing the bar.
    pub fn println(&self, line: &str) {
        match self {
            Progress::Bar(bar) => bar.suspend(|| eprintln!("{line}")),
            _ => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
