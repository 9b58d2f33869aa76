//! `recap serve`: build the site in memory, serve it over HTTP, watch the
//! site for changes, rebuild, and tell open browsers to reload. A failed
//! rebuild keeps the last good site and shows the error in the browser.

mod http;
mod memory;
mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, Request};
use memory::{MemorySink, Served};

/// How many ports after the asked-for one to try when it is taken.
const PORT_ATTEMPTS: u16 = 20;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub color: bool,
    pub quiet: bool,
}

/// How the server talks to the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    pub color: bool,
    pub quiet: bool,
}

/// What browsers are told through the live-reload channel.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The last rebuild failed: show this text over the page.
    Failed(String),
}

/// The state shared by the HTTP server and the rebuild loop.
pub struct Shared {
    files: RwLock<Arc<HashMap<String, Served>>>,
    /// Text of the last failed build, shown as an overlay until a build succeeds.
    error: RwLock<Option<String>>,
    events: broadcast::Sender<LiveEvent>,
}

impl Shared {
    fn files(&self) -> Arc<HashMap<String, Served>> {
        self.files
            .read()
            .expect("no panics while holding the lock")
            .clone()
    }

    fn error(&self) -> Option<String> {
        self.error
            .read()
            .expect("no panics while holding the lock")
            .clone()
    }
}

pub fn run(options: ServeOptions) -> i32 {
    let (listener, address) = match bind(options.bind, options.port) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("{}", err.render(options.color));
            return 1;
        }
    };
    if address.port() != options.port {
        eprintln!(
            "Port {} is taken; using {} instead.",
            options.port,
            address.port()
        );
    }
    if options.bind.is_unspecified() {
        eprintln!(
            "Warning: serving on all interfaces ({}): anyone on this network can read the site, drafts included.",
            options.bind
        );
    }
    let url = local_url(address);
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        files: RwLock::new(Arc::new(HashMap::new())),
        error: RwLock::new(None),
        events,
    });
    let request = Request {
        root: options.root.clone(),
        drafts: true,
        base_url: Some(url.clone()),
        output: None,
        write: false,
        serving: true,
    };
    let console = Console {
        color: options.color,
        quiet: options.quiet,
    };
    rebuild(&request, &shared, console, false);
    let watcher = match watch::start(request.clone(), Arc::clone(&shared), console) {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("{}", err.render(console.color));
            return 1;
        }
    };
    println!(
        "Serving {} at {url}/ (drafts shown). Press Ctrl+C to stop.",
        options.root.display()
    );
    if options.open
        && let Err(err) = opener::open(format!("{url}/"))
    {
        eprintln!("Could not open a browser: {err}");
    }
    let result = http::serve(listener, shared);
    drop(watcher);
    match result {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: the server stopped: {err}");
            1
        }
    }
}

/// The first free port from `port` on.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), Diagnostic> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match TcpListener::bind((ip, candidate)) {
            Ok(listener) => {
                let address = listener.local_addr().map_err(|err| {
                    Diagnostic::error("--port", format!("cannot read the bound address: {err}"))
                })?;
                return Ok((listener, address));
            }
            Err(err) => last_error = Some(err),
        }
        if port == 0 {
            break;
        }
    }
    Err(Diagnostic::error(
        "--port",
        format!(
            "cannot listen on {ip} ports {port}–{}: {}",
            port.saturating_add(PORT_ATTEMPTS - 1),
            last_error.map_or_else(String::new, |e| e.to_string())
        ),
    )
    .help("pass another --port, or --port 0 for any free port"))
}

/// The address browsers use: loopback when bound to all interfaces.
fn local_url(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", address.port())
}

/// Builds the site into memory and publishes it, or publishes the error.
fn rebuild(request: &Request, shared: &Shared, console: Console, css_only: bool) {
    let started = Instant::now();
    let sink = MemorySink::default();
    match pipeline::run_into(request, &sink) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{}\n", warning.render(console.color));
            }
            *shared
                .files
                .write()
                .expect("no panics while holding the lock") = Arc::new(sink.into_files());
            *shared
                .error
                .write()
                .expect("no panics while holding the lock") = None;
            if !console.quiet {
                println!(
                    "Built {} pages ({} posts, {} events, {} tags) in {:.0} ms",
                    report.pages,
                    report.posts,
                    report.events,
                    report.tags,
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            let _ = shared.events.send(if css_only {
                LiveEvent::Css
            } else {
                LiveEvent::Reload
            });
        }
        Err(failure) => {
            let plain: Vec<String> = failure
                .diagnostics
                .iter()
                .map(|d| d.render(false))
                .collect();
            for diagnostic in &failure.diagnostics {
                eprintln!("{}\n", diagnostic.render(console.color));
            }
            eprintln!("Rebuild failed; still serving the last good build.");
            let text = plain.join("\n\n");
            *shared
                .error
                .write()
                .expect("no panics while holding the lock") = Some(text.clone());
            let _ = shared.events.send(LiveEvent::Failed(text));
        }
    }
}
