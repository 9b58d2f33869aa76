//! A progress line for long builds: on a terminal, a build that has run
//! for a second shows how far each long phase (Markdown, pages) has got.
//! Quiet runs, pipes and CI logs get nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown;
/// `RECAP_PROGRESS_AFTER_MS` changes it (a test seam).
fn quiet_for() -> Duration {
    std::env::var("RECAP_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

pub(crate) struct Progress {
    /// None when progress is never shown.
    bar: Option<ProgressBar>,
    started: Instant,
    quiet_for: Duration,
    shown: AtomicBool,
}

impl Progress {
    /// Progress on stderr when `wanted` (not `--quiet`) and stderr is a
    /// terminal.
    pub(crate) fn new(wanted: bool) -> Progress {
        let on_terminal = wanted && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = on_terminal.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len}")
                .map(|style| style.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            quiet_for: quiet_for(),
            shown: AtomicBool::new(false),
        }
    }

    /// No progress at all (tests, `serve`).
    pub(crate) fn none() -> Progress {
        Progress::new(false)
    }

    /// Starts phase `name` of `total` steps.
    pub(crate) fn phase(&self, name: &'static str, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(0);
            bar.set_length(total as u64);
            bar.set_message(name);
        }
    }

    /// One step of the current phase done.
    pub(crate) fn step(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= self.quiet_for
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Clears the line before the summary is printed.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
