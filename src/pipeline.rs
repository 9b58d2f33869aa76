//! One build, start to end: config → content → site model → Markdown →
//! templates → output. `recap check` runs the same steps into a sink that
//! writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::markdown::Highlighter;
use crate::output::{DryRun, Sink, Staging};
use crate::render::files::{SiteFile, Source, ThemeAsset, site_files, theme_assets};
use crate::render::{Renderer, Templates};
use crate::site::links::MarkdownCache;
use crate::site::{BuildOptions, Site};

pub use crate::render::files::STATIC_DIR;

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
    /// true for `recap check`: also report lints (mojibake, missing alt text, ...).
    pub lints: bool,
    /// Parsed posts and rendered Markdown kept between the builds of one `recap serve`.
    pub load_cache: Option<Arc<content::LoadCache>>,
    pub markdown_cache: Option<Arc<MarkdownCache>>,
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
impl Default for Phases {
    fn default() -> Phases {
        Phases {
            enabled: std::env::var_os("RECAP_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }
}

pub struct Phases {
    enabled: bool,
    last: Instant,
}

impl Phases {
    pub fn new() -> Phases {
        Phases::default()
    }

    pub fn done(&mut self, phase: &str) {
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

/// A site ready to render: its renderer (which holds the model), the theme
/// files, and the list of every file it consists of.
pub struct Prepared {
    pub renderer: Renderer,
    pub assets: Vec<ThemeAsset>,
    pub files: Vec<SiteFile>,
    pub warnings: Vec<Diagnostic>,
    pub started: Instant,
}

impl Prepared {
    pub fn site(&self) -> &Site {
        self.renderer.site()
    }

    pub fn page_count(&self) -> usize {
        self.files.iter().filter(|file| file.is_page()).count()
    }

    fn report(self, output: Option<PathBuf>) -> Report {
        let site = self.site();
        Report {
            pages: self.page_count(),
            posts: site.posts.len(),
            events: site.events.len(),
            tags: site.tags.len(),
            elapsed: self.started.elapsed(),
            output,
            warnings: self.warnings,
        }
    }
}

/// Builds the site into the output folder (or, for `check`, nowhere).
pub fn run(request: &Request) -> Result<Report, Failure> {
    let mut phases = Phases::new();
    let prepared = prepare(request, &mut phases)?;
    if !request.write {
        write_all(&prepared, &DryRun)?;
        phases.done("render");
        return Ok(prepared.report(None));
    }
    let output = request
        .output
        .clone()
        .unwrap_or_else(|| prepared.site().config.output_path(&request.root));
    let staging = Staging::prepare(&output, &request.root)?;
    if let Err(failure) = write_all(&prepared, &staging) {
        staging.abandon();
        return Err(failure);
    }
    phases.done("render+write");
    staging.commit()?;
    phases.done("swap");
    Ok(prepared.report(Some(output)))
}

/// Loads, links and renders the Markdown of the site; pages are rendered later.
pub fn prepare(request: &Request, phases: &mut Phases) -> Result<Prepared, Failure> {
    let started = Instant::now();
    let config = load_config(request)?;
    let highlighter = highlighter_for(&config, &request.root)?;
    let assets = theme_assets(&request.root, highlighter.stylesheet());
    let asset_names: HashMap<String, String> = assets
        .iter()
        .map(|asset| (asset.name.clone(), asset.written_as.clone()))
        .collect();
    let templates = Templates::load(&request.root, &config, asset_names)?;
    phases.done("config");
    let content = content::load(&request.root, request.load_cache.as_deref())?;
    phases.done("load");
    let options = BuildOptions {
        drafts: request.drafts,
        today: chrono::Local::now().date_naive(),
    };
    let mut site = Site::assemble(config, content, &options)?;
    phases.done("assemble");
    let config = site.config.clone();
    let shortcodes = templates.shortcodes(&config);
    let (errors, mut warnings): (Vec<_>, Vec<_>) = site
        .render_markdown(&highlighter, &shortcodes, request.markdown_cache.as_deref())
        .into_iter()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Failure::from([warnings, errors].concat()));
    }
    if request.lints {
        warnings.extend(crate::lint::lint(&site));
    }
    phases.done("markdown");
    let files = site_files(&site, &assets, &request.root);
    let renderer = Renderer::new(Arc::new(site), templates, request.serving);
    phases.done("templates");
    Ok(Prepared {
        renderer,
        assets,
        files,
        warnings,
        started,
    })
}

/// Renders and copies every file of the site into `sink`, in parallel.
/// Reports every distinct error.
pub fn write_all(prepared: &Prepared, sink: &dyn Sink) -> Result<(), Failure> {
    let results: Vec<Result<(), Diagnostic>> = prepared
        .files
        .par_iter()
        .map(|file| match &file.source {
            Source::Copy(from) => sink.copy(&file.path, from),
            source => {
                let bytes = prepared.renderer.materialize(source, &prepared.assets)?;
                sink.write(&file.path, &bytes)
            }
        })
        .collect();
    let errors = unique_errors(results);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::from(errors))
    }
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

/// The highlighter for the configured themes; an unknown theme is an error
/// at its key in config.toml.
fn highlighter_for(config: &Config, root: &Path) -> Result<Highlighter, Diagnostic> {
    Highlighter::new(&config.highlight_theme, &config.highlight_theme_dark).map_err(|problem| {
        let source = std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
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
