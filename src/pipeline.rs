//! One build, start to end: config → content → site model → Markdown →
//! templates → output. `recap check` runs the same steps into a sink that
//! writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::markdown::Highlighter;
use crate::output::{DryRun, Sink, Staging};
use crate::render::Renderer;
use crate::render::pages::jobs;
use crate::render::templates::BUILTIN_STATIC;
use crate::render::{calendar, feeds, search, sitemap};
use crate::site::{BuildOptions, Site, urls};

pub const STATIC_DIR: &str = "static";
/// The generated syntax-highlighting stylesheet.
pub const HIGHLIGHT_CSS: &str = "highlight.css";

#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    pub output: Option<PathBuf>,
    /// false: `recap check`, nothing is written.
    pub write: bool,
    /// true under `recap serve`: templates see `serving`.
    pub serving: bool,
}

#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub posts: usize,
    pub events: usize,
    pub tags: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub output: Option<PathBuf>,
}

/// Why a build failed: every error found (and the warnings before them).
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![diagnostic],
        }
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure { diagnostics }
    }
}

/// Prints how long each phase took when RECAP_TIMINGS is set (for profiling).
struct Phases {
    enabled: bool,
    last: Instant,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            enabled: std::env::var_os("RECAP_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn done(&mut self, phase: &str) {
        if self.enabled {
            let rss_mib = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * 4096 / (1 << 20));
            eprintln!(
                "{phase:>12}: {:7.1} ms, {rss_mib} MiB resident",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// Builds the site into the output folder (or, for `check`, nowhere).
pub fn run(request: &Request) -> Result<Report, Failure> {
    let output = request.output.clone();
    build(request, |site, write_site| {
        let output = output.unwrap_or_else(|| site.config.output_path(&request.root));
        if !request.write {
            return write_site(&DryRun).map(|pages| (pages, None));
        }
        let staging = Staging::prepare(&output, &request.root)?;
        match write_site(&staging) {
            Ok(pages) => {
                staging.commit()?;
                Ok((pages, Some(output)))
            }
            Err(failure) => {
                staging.abandon();
                Err(failure)
            }
        }
    })
}

/// Builds the site into `sink` (`recap serve` keeps it in memory).
pub fn run_into(request: &Request, sink: &dyn Sink) -> Result<Report, Failure> {
    build(request, |_, write_site| {
        write_site(sink).map(|pages| (pages, None))
    })
}

/// Writes every file of a site into a sink; returns the page count.
type WriteSite<'a> = dyn Fn(&dyn Sink) -> Result<usize, Failure> + 'a;

/// Runs every step of a build; `deliver` decides where the files go.
fn build(
    request: &Request,
    deliver: impl FnOnce(&Site, &WriteSite) -> Result<(usize, Option<PathBuf>), Failure>,
) -> Result<Report, Failure> {
    let started = Instant::now();
    let mut phases = Phases::new();
    let config = load_config(request)?;
    let highlighter = Highlighter::new();
    let stylesheet = highlight_stylesheet(&config, &highlighter, &request.root)?;
    phases.done("config");
    let content = content::load(&request.root)?;
    phases.done("load");
    let options = BuildOptions {
        drafts: request.drafts,
        today: chrono::Local::now().date_naive(),
    };
    let mut site = Site::assemble(config, content, &options)?;
    phases.done("assemble");
    let (errors, warnings): (Vec<_>, Vec<_>) = site
        .render_markdown(&highlighter)
        .into_iter()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Failure::from([warnings, errors].concat()));
    }
    phases.done("markdown");
    let assets = theme_assets(&request.root, stylesheet);
    let asset_names: HashMap<String, String> = assets
        .iter()
        .map(|asset| (asset.name.clone(), asset.written_as.clone()))
        .collect();
    let renderer = Renderer::new(&site, &request.root, asset_names, request.serving)?;
    phases.done("templates");
    let write = |sink: &dyn Sink| write_site(&site, &renderer, &assets, &request.root, sink);
    let (pages, output) = deliver(&site, &write)?;
    phases.done("render+write");
    Ok(Report {
        pages,
        posts: site.posts.len(),
        events: site.events.len(),
        tags: site.tags.len(),
        warnings,
        elapsed: started.elapsed(),
        output,
    })
}

fn load_config(request: &Request) -> Result<Config, Diagnostic> {
    let mut config = Config::load(&request.root)?;
    if let Some(base_url) = &request.base_url {
        config.base_url = base_url.clone();
        config.revalidate().map_err(|problem| {
            Diagnostic::error("--base-url", problem)
                .help("pass a full URL such as https://example.org/team")
        })?;
    }
    Ok(config)
}

fn highlight_stylesheet(
    config: &Config,
    highlighter: &Highlighter,
    root: &Path,
) -> Result<String, Diagnostic> {
    highlighter
        .stylesheet(&config.highlight_theme, &config.highlight_theme_dark)
        .map_err(|problem| {
            let source =
                std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
            let light_is_valid = Highlighter::theme_names().contains(&config.highlight_theme);
            let key = if light_is_valid {
                "highlight_theme_dark"
            } else {
                "highlight_theme"
            };
            let (line, column) = config::key_position(&source, key);
            Diagnostic::error(config::CONFIG_FILE, problem)
                .at(&source, line, column)
                .width(key.len())
        })
}

/// Renders every page and copies every asset into `sink`. Returns the page count.
fn write_site(
    site: &Site,
    renderer: &Renderer,
    assets: &[ThemeAsset],
    root: &Path,
    sink: &dyn Sink,
) -> Result<usize, Failure> {
    let jobs = jobs(site);
    let feeds = feeds::all_feeds(site);
    let pages = jobs.par_iter().map(|&job| renderer.render_job(job));
    let feed_files = feeds.par_iter().map(|&of| renderer.render_feed(of));
    let results: Vec<Result<(), Diagnostic>> = pages
        .chain(feed_files)
        .map(|rendered| {
            let (path, text) = rendered.map_err(|err| renderer.diagnostic(&err))?;
            sink.write(&urls::output_file(&path), text.as_bytes())
        })
        .collect();
    let mut errors = unique_errors(results);
    if errors.is_empty() {
        errors.extend(write_indexes(site, renderer, sink));
    }
    if errors.is_empty() {
        errors.extend(
            copy_assets(site, assets, root, sink)
                .err()
                .unwrap_or_default(),
        );
    }
    if errors.is_empty() {
        Ok(jobs.len())
    } else {
        Err(Failure::from(errors))
    }
}

/// Sitemap, robots.txt, calendars and the search index.
fn write_indexes(site: &Site, renderer: &Renderer, sink: &dyn Sink) -> Vec<Diagnostic> {
    let urls = renderer.urls();
    let mut files = vec![
        (
            sitemap::SITEMAP_FILE.to_string(),
            sitemap::sitemap(site, &urls),
        ),
        (sitemap::ROBOTS_FILE.to_string(), sitemap::robots(&urls)),
        (
            search::SEARCH_INDEX_FILE.to_string(),
            search::search_index(site),
        ),
        (
            urls::output_file(&calendar::calendar_path()),
            calendar::calendar(site, site.events.iter(), &urls),
        ),
    ];
    for event in site.events.iter().filter(|event| event.start().is_some()) {
        files.push((
            urls::output_file(&calendar::event_calendar_path(event)),
            calendar::calendar(site, std::iter::once(event), &urls),
        ));
    }
    files
        .par_iter()
        .filter_map(|(path, text)| sink.write(path, text.as_bytes()).err())
        .collect()
}

/// The same template error repeats for every page that uses the template.
fn unique_errors(results: Vec<Result<(), Diagnostic>>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    results
        .into_iter()
        .filter_map(Result::err)
        .filter(|err| seen.insert((err.location(), err.message.clone())))
        .collect()
}

/// A file of the built-in theme (or the generated highlight stylesheet),
/// written under a content-hashed name when it is CSS or JavaScript so
/// hosts can cache it for a year.
pub struct ThemeAsset {
    pub name: String,
    pub written_as: String,
    pub bytes: Vec<u8>,
}

/// The theme's files, each with the site's `static/` version when it has
/// one (a site overrides a theme file by name; it is still written under a
/// hashed name, which `get_url` resolves), and the highlight stylesheet.
fn theme_assets(root: &Path, stylesheet: String) -> Vec<ThemeAsset> {
    let static_dir = root.join(STATIC_DIR);
    BUILTIN_STATIC
        .iter()
        .map(|(name, bytes)| {
            let bytes = std::fs::read(static_dir.join(name)).unwrap_or_else(|_| bytes.to_vec());
            (name.to_string(), bytes)
        })
        .chain(std::iter::once((
            HIGHLIGHT_CSS.to_string(),
            stylesheet.into_bytes(),
        )))
        .map(|(name, bytes)| ThemeAsset {
            written_as: hashed_name(&name, &bytes),
            name,
            bytes,
        })
        .collect()
}

/// "theme.css" → "theme.1a2b3c4d.css" for CSS and JavaScript; other names stay.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return name.to_string();
    };
    if ext != "css" && ext != "js" {
        return name.to_string();
    }
    let hash = crate::output::content_hash(bytes);
    format!("{stem}.{:08x}.{ext}", hash as u32)
}

/// Theme assets, `static/` and page bundles' files.
fn copy_assets(
    site: &Site,
    assets: &[ThemeAsset],
    root: &Path,
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = assets
        .iter()
        .filter_map(|asset| sink.write(&asset.written_as, &asset.bytes).err())
        .collect();
    let bundle_files = site.posts.iter().flat_map(|post| {
        let bundle = post.source.bundle_dir.as_deref();
        post.source.assets.iter().filter_map(move |asset| {
            let relative = asset
                .strip_prefix(bundle?)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let dir = urls::page_dir(&post.path).trim_start_matches('/');
            Some((format!("{dir}{relative}"), asset.clone()))
        })
    });
    let theme_names: std::collections::HashSet<&str> =
        assets.iter().map(|a| a.name.as_str()).collect();
    let copies: Vec<(String, PathBuf)> = content::files_under(&root.join(STATIC_DIR))
        .into_iter()
        .filter(|(name, _)| !theme_names.contains(name.as_str()))
        .chain(bundle_files)
        .collect();
    errors.extend(
        copies
            .par_iter()
            .filter_map(|(name, from)| sink.copy(name, from).err())
            .collect::<Vec<_>>(),
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
