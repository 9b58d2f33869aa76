//! `recap check --external`: every link to another site is asked whether
//! it still answers. A HEAD request, and a GET where a server refuses HEAD;
//! hosts are asked in parallel but one request at a time each; 429 and 503
//! answers are retried after a pause (`Retry-After`, capped); answers are
//! remembered in the cache folder for `check.cache_hours`. A link that is
//! gone (4xx, 5xx) or a host that does not answer is a warning at each
//! place the link is written, an error only with `--deny-external`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Source, sources};
use crate::config::CheckConfig;
use crate::diagnostics::Diagnostic;
use crate::locate::key_at;
use crate::markdown::SiteLink;
use crate::site::{Site, read_lossy};

/// The cache file, in the site's cache folder.
const CACHE_FILE: &str = "external-links.json";
/// Hosts asked at the same time.
const WORKERS: usize = 8;
/// Tries of a link that answers 429 or 503.
const TRIES: u32 = 3;
/// The longest pause asked for by `Retry-After` that is honoured.
const LONGEST_PAUSE: Duration = Duration::from_secs(10);

/// What a link's host said.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    /// A status below 400, after redirects.
    Fine(u16),
    Gone(u16),
    TimedOut,
    /// No answer: no such host, connection refused, a TLS failure.
    Failed(String),
}

/// Where a link is written.
struct Place<'a> {
    file: &'a Path,
    source: &'a Path,
    line: usize,
    column: usize,
}

/// The outcome of the check: a diagnostic at each place of each link that
/// does not answer, and a summary line.
pub(crate) struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: String,
}

pub(crate) fn check(site: &Site, root: &Path, deny: bool) -> Checked {
    let settings = &site.config.check;
    let sources = sources(site);
    let links = external_links(&sources, settings);
    let cache_path = site.config.cache_path(root).join(CACHE_FILE);
    let mut cache = Cache::load(root, &cache_path);
    let now = now();
    let fresh = Duration::from_secs(settings.cache_hours * 3600).as_secs();
    let (known, unknown): (Vec<&str>, Vec<&str>) =
        links.keys().map(String::as_str).partition(|url| {
            cache
                .fine_since(url)
                .is_some_and(|at| now.saturating_sub(at) < fresh)
        });
    let answers = ask_all(&unknown, Duration::from_secs(settings.timeout.max(1)));
    for (url, answer) in &answers {
        if let Answer::Fine(_) = answer {
            cache.remember(url, now);
        }
    }
    let mut diagnostics = Vec::new();
    let mut texts: HashMap<&Path, String> = HashMap::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for (url, answer) in &answers {
        let problem = match answer {
            Answer::Fine(_) => {
                *tally.entry("ok".into()).or_default() += 1;
                continue;
            }
            Answer::Gone(status) => {
                *tally.entry(format!("gone ({status})")).or_default() += 1;
                format!("answered {status} {}", reason(*status))
            }
            Answer::TimedOut => {
                *tally.entry("timed out".into()).or_default() += 1;
                format!("did not answer within {} s", settings.timeout.max(1))
            }
            Answer::Failed(why) => {
                *tally.entry("no answer".into()).or_default() += 1;
                format!("could not be reached: {why}")
            }
        };
        for place in &links[*url] {
            let text = texts
                .entry(place.source)
                .or_insert_with(|| read_lossy(place.source));
            let message = format!("the external link `{url}` {problem}");
            let diagnostic = if deny {
                Diagnostic::error(place.file, message)
            } else {
                Diagnostic::warning(place.file, message)
            };
            diagnostics.push(
                diagnostic
                    .at(text, place.line, place.column)
                    .width(url.chars().count())
                    .help("update or remove the link; add a prefix to `check.skip_prefixes` in config.toml to stop checking it"),
            );
        }
    }
    *tally.entry("ok".into()).or_default() += known.len();
    let mut summary = format!(
        "External links: {} checked ({} known good from the cache)",
        links.len(),
        known.len()
    );
    let parts: Vec<String> = tally
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(what, count)| format!("{count} {what}"))
        .collect();
    if !parts.is_empty() {
        summary.push_str(": ");
        summary.push_str(&parts.join(", "));
    }
    summary.push('.');
    if let Some(warning) = cache.save(root, &cache_path) {
        diagnostics.push(Diagnostic::warning(&cache_path, warning));
    }
    Checked {
        diagnostics,
        summary,
    }
}

/// Each external URL (without its `#fragment`) and where it is written,
/// the skipped prefixes left out.
fn external_links<'a>(
    sources: &'a [Source<'a>],
    settings: &CheckConfig,
) -> BTreeMap<String, Vec<Place<'a>>> {
    let mut links: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let skipped = |url: &str| {
        settings
            .skip_prefixes
            .iter()
            .any(|prefix| url.starts_with(prefix.as_str()))
    };
    for source in sources {
        let mut add = |url: &str, line: usize, column: usize| {
            // Raw HTML writes `&` as `&amp;`; the link is the decoded one.
            let url = url.trim().replace("&amp;", "&");
            let url = url.split_once('#').map_or(url.as_str(), |(url, _)| url);
            if SiteLink::is_external(url) && !skipped(url) {
                links.entry(url.to_string()).or_default().push(Place {
                    file: source.file,
                    source: source.path,
                    line,
                    column,
                });
            }
        };
        for link in &source.rendered.external_links {
            add(&link.url, source.body_line + link.line - 1, link.column);
        }
        let mut text = None;
        for (steps, url) in &source.files {
            if SiteLink::is_external(url) {
                let text = text.get_or_insert_with(|| read_lossy(source.path));
                let (line, column) = key_at(text, steps);
                add(url, line, column);
            }
        }
    }
    links
}

/// Asks every host in parallel, each host's links one after another.
fn ask_all<'u>(urls: &[&'u str], timeout: Duration) -> Vec<(&'u str, Answer)> {
    let mut by_host: BTreeMap<String, Vec<&'u str>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_of(url)).or_default().push(url);
    }
    let hosts = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let answers = Mutex::new(Vec::new());
    let agent = agent(timeout);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(urls.len()) {
            scope.spawn(|| {
                while let Some(host) = hosts.lock().map(|mut hosts| hosts.pop()).ok().flatten() {
                    for url in host {
                        let answer = ask(&agent, url);
                        if let Ok(mut answers) = answers.lock() {
                            answers.push((url, answer));
                        }
                    }
                }
            });
        }
    });
    let mut answers = answers.into_inner().unwrap_or_default();
    answers.sort_by(|a, b| a.0.cmp(b.0));
    answers
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "recap/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .new_agent()
}

/// HEAD, then GET when the server refuses HEAD; 429 and 503 are tried
/// again after a pause.
fn ask(agent: &ureq::Agent, url: &str) -> Answer {
    let mut tries = 0;
    loop {
        tries += 1;
        let answer = match request(agent, url, true) {
            Ok((status, _)) if status >= 400 && status != 429 && status != 503 => {
                request(agent, url, false)
            }
            other => other,
        };
        match answer {
            Ok((status, pause)) if (status == 429 || status == 503) && tries < TRIES => {
                std::thread::sleep(pause.unwrap_or(Duration::from_secs(u64::from(tries))));
            }
            Ok((status, _)) if status < 400 => return Answer::Fine(status),
            Ok((status, _)) => return Answer::Gone(status),
            Err(answer) => return answer,
        }
    }
}

/// One request: its status and the pause `Retry-After` asks for.
fn request(agent: &ureq::Agent, url: &str, head: bool) -> Result<(u16, Option<Duration>), Answer> {
    let url = percent_encoded(url);
    let response = if head {
        agent.head(&url).call()
    } else {
        agent.get(&url).call()
    };
    match response {
        Ok(response) => {
            let pause = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
                .map(|seconds| Duration::from_secs(seconds).min(LONGEST_PAUSE));
            Ok((response.status().as_u16(), pause))
        }
        Err(ureq::Error::Timeout(_)) => Err(Answer::TimedOut),
        Err(err) => Err(Answer::Failed(err.to_string())),
    }
}

/// `url` with spaces and non-ASCII characters percent-encoded, as HTTP
/// wants it (`/wiki/Köln` → `/wiki/K%C3%B6ln`).
fn percent_encoded(url: &str) -> String {
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii() && !c.is_ascii_whitespace() && !c.is_ascii_control() {
            encoded.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    encoded
}

/// "Not Found" for 404, as HTTP names it ("" for an unknown status).
fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Links known to answer, with when they last did (seconds since 1970).
#[derive(Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    fine: BTreeMap<String, u64>,
    #[serde(skip)]
    changed: bool,
    #[serde(skip)]
    warning: Option<String>,
}

impl Cache {
    const VERSION: u32 = 1;

    /// The cache file, or an empty cache when there is none, it is not
    /// ours, or it is damaged (a warning then) or reached through a link.
    fn load(root: &Path, path: &Path) -> Cache {
        if let Some(link) = crate::cache_files::link_on_the_way(root, path) {
            return Cache {
                warning: Some(format!(
                    "{} is a symbolic link; answers are not remembered",
                    link.display()
                )),
                ..Cache::default()
            };
        }
        let Ok(bytes) = std::fs::read(path) else {
            return Cache::default();
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(cache) if cache.version == Cache::VERSION => cache,
            _ => Cache {
                changed: true,
                warning: Some("the cache of link answers was damaged; it was started again".into()),
                ..Cache::default()
            },
        }
    }

    fn fine_since(&self, url: &str) -> Option<u64> {
        self.fine.get(url).copied()
    }

    fn remember(&mut self, url: &str, at: u64) {
        self.fine.insert(url.to_string(), at);
        self.changed = true;
    }

    /// Writes the cache back when it changed; a warning when it could not.
    fn save(&mut self, root: &Path, path: &Path) -> Option<String> {
        if self
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("symbolic link"))
        {
            return self.warning.take();
        }
        let damaged = self.warning.take();
        if !self.changed {
            return damaged;
        }
        self.version = Cache::VERSION;
        let bytes = serde_json::to_vec(&self).unwrap_or_default();
        let folder: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if crate::cache_files::link_on_the_way(root, &folder).is_some() {
            return damaged;
        }
        match crate::cache_files::write_atomically(path, &bytes) {
            Ok(()) => damaged,
            Err(err) => Some(format!(
                "could not remember the link answers in {}: {err}",
                path.display()
            )),
        }
    }
}
