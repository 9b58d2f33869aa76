//! `recap serve`: build the site in memory, serve it over HTTP, watch the
//! site for changes, rebuild, and tell open browsers to reload. A failed
//! rebuild keeps the last good site and shows the error in the browser.

mod http;
#[cfg(test)]
mod incremental_tests;
mod memory;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, Mode, Phases, Prepared, Request};
use memory::LiveSite;

/// How many ports after the asked-for one to try when it is taken.
const PORT_ATTEMPTS: u16 = 20;

pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub color: bool,
    pub quiet: bool,
}

/// How the server talks to the terminal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Console {
    pub color: bool,
    pub quiet: bool,
}

/// What browsers are told through the live-reload channel.
#[derive(Debug, Clone)]
pub(crate) enum LiveEvent {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The last rebuild failed: show this text over the page.
    Failed(String),
}

/// The state shared by the HTTP server and the rebuild loop.
pub(crate) struct Shared {
    /// The site being served; None until a first build succeeded.
    site: RwLock<Option<Arc<LiveSite>>>,
    /// Text of the last failed build, shown as an overlay until a build succeeds.
    error: RwLock<Option<String>>,
    events: broadcast::Sender<LiveEvent>,
    /// Live-reload channels open at once, each holding a connection: fewer
    /// than the connection cap, so open tabs never take every slot.
    streams: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    fn site(&self) -> Option<Arc<LiveSite>> {
        self.site
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

    fn publish(&self, site: LiveSite) {
        *self.site.write().expect("no panics while holding the lock") = Some(Arc::new(site));
        *self
            .error
            .write()
            .expect("no panics while holding the lock") = None;
    }

    fn fail(&self, text: String) {
        *self
            .error
            .write()
            .expect("no panics while holding the lock") = Some(text);
    }
}

pub(crate) fn run(options: ServeOptions) -> i32 {
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
        site: RwLock::new(None),
        error: RwLock::new(None),
        events,
        streams: Arc::new(tokio::sync::Semaphore::new(http::MAX_LIVE_STREAMS)),
    });
    // Watched paths arrive absolute and canonical; so must the site's own.
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let request = Request {
        root,
        drafts: true,
        progress: false,
        future: true,
        base_url: Some(url.clone()),
        mode: Mode::Serve(Arc::default()),
    };
    let console = Console {
        color: options.color,
        quiet: options.quiet,
    };
    rebuild(&request, &shared, console, None);
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
        eprintln!("Could not open a browser ({err}); open {url}/ yourself.");
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

/// Prepares the site (pages are rendered when asked for) and publishes it,
/// or shows the error and keeps serving the last good site. `changed`: the
/// paths that changed since the last rebuild, None for "anything may have".
fn rebuild(request: &Request, shared: &Shared, console: Console, changed: Option<&[PathBuf]>) {
    let started = Instant::now();
    let css_only = changed.is_some_and(|paths| {
        paths
            .iter()
            .all(|path| watch::is_stylesheet(&request.root, path))
    });
    match pipeline::prepare(request, changed, &mut Phases::new()).and_then(check_templates) {
        Ok(prepared) => {
            for warning in &prepared.warnings {
                eprintln!("{}\n", warning.render(console.color));
            }
            let site = prepared.site();
            let summary = format!(
                "Built {} in {:.0} ms",
                pipeline::site_counts(
                    prepared.page_count(),
                    site.posts.len(),
                    site.events.len(),
                    site.tags.len()
                ),
                started.elapsed().as_secs_f64() * 1000.0
            );
            let live = LiveSite::new(prepared, shared.site().as_deref());
            shared.publish(live);
            if !console.quiet {
                println!("{summary}");
            }
            let event = if css_only {
                LiveEvent::Css
            } else {
                LiveEvent::Reload
            };
            let _ = shared.events.send(event);
        }
        Err(failure) => {
            let text: Vec<String> = failure
                .diagnostics
                .iter()
                .map(|d| d.render(false))
                .collect();
            let text = text.join("\n\n");
            // An editor's save can arrive as two changes: the same failure
            // is reported once.
            let repeated = shared
                .error
                .read()
                .expect("no panics while holding the lock")
                .as_deref()
                == Some(text.as_str());
            if !repeated {
                for diagnostic in &failure.diagnostics {
                    eprintln!("{}\n", diagnostic.render(console.color));
                }
                eprintln!("Rebuild failed; still serving the last good build.");
            }
            shared.fail(text.clone());
            let _ = shared.events.send(LiveEvent::Failed(text));
        }
    }
}

/// Renders one page of each template once, so a template error shows at
/// once rather than when its page is first opened.
fn check_templates(prepared: Prepared) -> Result<Prepared, pipeline::Failure> {
    use crate::render::pages::Job;
    use crate::site::{AuthorId, EventId, PageId, PostId, SpeakerId, TagId};
    let site = prepared.site();
    // Not the archive or talks pages: on a big site they alone take longer
    // than the whole rest of a rebuild. Their templates are checked when opened.
    let mut jobs = vec![Job::Home { page: 1 }, Job::NotFound];
    jobs.extend(PostId::all(site.posts.len()).next().map(Job::Post));
    jobs.extend(EventId::all(site.events.len()).next().map(Job::Event));
    jobs.extend(
        TagId::all(site.tags.len())
            .next()
            .map(|tag| Job::Tag { tag, page: 1 }),
    );
    jobs.extend(
        AuthorId::all(site.authors.len())
            .next()
            .map(|author| Job::Author { author, page: 1 }),
    );
    jobs.extend(PageId::all(site.pages.len()).next().map(Job::Page));
    jobs.extend(SpeakerId::all(site.speakers.len()).next().map(Job::Speaker));
    for job in jobs {
        if let Err(err) = prepared.renderer.render_job(job) {
            return Err(pipeline::Failure::from(prepared.renderer.diagnostic(&err)));
        }
    }
    Ok(prepared)
}
