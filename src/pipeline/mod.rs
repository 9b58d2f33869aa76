//! One build, start to end: config → content → site model → Markdown →
//! templates → output. `recap check` runs the same steps into a sink that
//! writes nothing; `recap serve` stops before writing and keeps what the
//! next rebuild can start from (`rebuild`).

mod kept_pages;
mod progress;
mod rebuild;
mod unchanged;

pub(crate) use progress::Progress;

pub(crate) use rebuild::RebuildCache;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Highlighter, SYNTAXES_DIR, SiteSyntaxFiles, THEMES_DIR, built_in_syntaxes};
use crate::output::{DryRun, OutputPath, Sink, Staging};
use crate::render::files::{SiteFile, Source, ThemeAsset, site_files, theme_assets};
use crate::render::templates::TEMPLATES_DIR;
use crate::render::{Renderer, Templates};
use crate::site::markdown_cache::MarkdownCache;
use crate::site::{BuildOptions, PostId, Site};

pub(crate) use crate::render::files::STATIC_DIR;

/// What to build, and for what.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub root: PathBuf,
    /// Show a progress line on a terminal for long builds.
    pub progress: bool,
    pub drafts: bool,
    /// Keep posts dated after the build.
    pub future: bool,
    pub base_url: Option<String>,
    pub mode: Mode,
}

/// `recap check --external [--deny-external]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExternalCheck {
    /// A link that does not answer is an error, not a warning.
    pub deny: bool,
}

/// What a run of the pipeline is for.
#[derive(Debug, Clone)]
pub(crate) enum Mode {
    /// `recap build`: write the site into this folder (None: the config's
    /// `output_dir`).
    Build { output: Option<PathBuf> },
    /// `recap check`: every step of a build and the lints; nothing written.
    /// With `external`, links to other sites are asked too.
    Check { external: Option<ExternalCheck> },
    /// `recap serve`: the site in memory, each rebuild starting from what
    /// the last one made.
    Serve(Arc<RebuildCache>),
}

impl Mode {
    /// Templates see `serving` (for the live-reload banner and drafts).
    pub(crate) fn is_serving(&self) -> bool {
        matches!(self, Mode::Serve(_))
    }

    fn lints(&self) -> bool {
        matches!(self, Mode::Check { .. })
    }

    fn cache(&self) -> Option<&RebuildCache> {
        match self {
            Mode::Serve(cache) => Some(cache),
            _ => None,
        }
    }
}

/// The templates, theme files and highlighter of one configuration.
#[derive(Clone)]
pub(super) struct Theme {
    config: Config,
    highlighter: Arc<Highlighter>,
    assets: Arc<Vec<ThemeAsset>>,
    templates: Arc<Templates>,
}

#[derive(Debug, Default)]
pub(crate) struct Report {
    pub pages: usize,
    pub posts: usize,
    pub events: usize,
    pub tags: usize,
    pub warnings: Vec<Diagnostic>,
    /// Lines for the summary, such as the external link check's.
    pub notes: Vec<String>,
    pub elapsed: Duration,
    pub output: Option<PathBuf>,
    /// Posts left out because their date has not come yet.
    pub held_back: crate::site::HeldBack,
    /// What the build changed in the output (None when nothing was written).
    pub changes: Option<crate::output::Changes>,
}

/// "212 pages (12 posts, 9 events, 1 tag)", for build summaries.
pub(crate) fn site_counts(pages: usize, posts: usize, events: usize, tags: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} ({}, {}, {})",
        count(pages, "page", "pages"),
        count(posts, "post", "posts"),
        count(events, "event", "events"),
        count(tags, "tag", "tags")
    )
}

/// Why a build failed: every error found (and the warnings before them).
#[derive(Debug)]
pub(crate) struct Failure {
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
            progress: Progress::none(),
        }
    }
}

pub(crate) struct Phases {
    enabled: bool,
    last: Instant,
    /// The progress line of long builds.
    pub(crate) progress: Progress,
}

impl Phases {
    pub(crate) fn new() -> Phases {
        Phases::default()
    }

    pub(crate) fn done(&mut self, phase: &str) {
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
pub(crate) struct Prepared {
    pub renderer: Renderer,
    pub assets: Arc<Vec<ThemeAsset>>,
    pub files: Arc<Vec<SiteFile>>,
    /// After a rebuild that only read the bodies of some posts again (the
    /// same site otherwise): those posts. None after any other build.
    pub edited: Option<Vec<PostId>>,
    pub warnings: Vec<Diagnostic>,
    /// Lines for the summary, such as the external link check's.
    pub notes: Vec<String>,
    pub started: Instant,
    pub highlighter: Arc<Highlighter>,
    /// A build's rendered Markdown, saved for the next build.
    pub disk_markdown: Option<Arc<MarkdownCache>>,
}

impl Prepared {
    pub(crate) fn site(&self) -> &Site {
        self.renderer.site()
    }

    pub(crate) fn page_count(&self) -> usize {
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
            held_back: site.held_back.clone(),
            changes: None,
            output,
            warnings: self.warnings,
            notes: self.notes,
        }
    }
}

/// Builds the site into the output folder (or, for `check`, nowhere).
pub(crate) fn run(request: &Request) -> Result<Report, Failure> {
    let mut phases = Phases::new();
    phases.progress = Progress::new(request.progress);
    let Mode::Build { output } = &request.mode else {
        let prepared = prepare(request, None, &mut phases)?;
        write_all(&prepared, &DryRun, None, &phases.progress, None)?;
        phases.progress.finish();
        phases.done("render");
        return Ok(prepared.report(None));
    };
    let started = Instant::now();
    let config = load_config(request)?;
    let output = output
        .clone()
        .unwrap_or_else(|| config.output_path(&request.root));
    let mut staging = Staging::prepare(&output, &request.root)?;
    phases.done("staging");
    let inputs = unchanged::Inputs::of(request, staging.output());
    phases.done("inputs");
    if let Some(inputs) = &inputs
        && let Some(mut report) = unchanged::nothing_to_do(&config, request, inputs, &staging)
    {
        report.warnings = staging.take_warnings();
        staging.abandon();
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    let mut built = build_into(request, staging, &mut phases, inputs.as_ref(), true);
    if let Ok(report) = &mut built {
        // From the start: a build that started over took both tries.
        report.elapsed = started.elapsed();
    }
    match &built {
        Ok(report) => unchanged::remember(&config, request, inputs.as_ref(), report),
        Err(_) => unchanged::remember(&config, request, None, &Report::default()),
    }
    built
}

/// Builds the site into `staging` and swaps it in; a failed build
/// abandons it, leaving the output as it was. Pages that show nothing the
/// build changed since the last one are kept as they are (`kept_pages`).
fn build_into(
    request: &Request,
    mut staging: Staging,
    phases: &mut Phases,
    inputs: Option<&unchanged::Inputs>,
    may_start_over: bool,
) -> Result<Report, Failure> {
    let build_started = std::time::SystemTime::now();
    let mut prepared = match prepare(request, None, phases) {
        Ok(prepared) => prepared,
        Err(failure) => {
            staging.abandon();
            return Err(failure);
        }
    };
    prepared.warnings.extend(staging.take_warnings());
    let cache_folder = prepared.site().config.cache_path(&request.root);
    let digest = inputs.map(|inputs| kept_pages::Digest::of(inputs, &prepared.renderer));
    let keepable = digest
        .as_ref()
        .and_then(|digest| kept_pages::keepable(&cache_folder, digest, prepared.site()));
    let config = &prepared.site().config;
    let (image_cache, card_cache) = (
        config.image_cache_path(&request.root),
        config.card_cache_path(&request.root),
    );
    let pages = PagesOfBuild {
        keepable: keepable.as_ref(),
        planned: kept_pages::PlannedByPage::default(),
    };
    let written = write_all(
        &prepared,
        &staging,
        Some((&request.root, &image_cache)),
        &phases.progress,
        Some(&pages),
    );
    phases.progress.finish();
    let lost_html = prepared
        .disk_markdown
        .as_ref()
        .filter(|cache| cache.lost_kept_html());
    if let Some(cache) = lost_html {
        // A page showed "" for HTML the cache lost: this build's pages
        // must not be published, and an error they gave may come from
        // the missing HTML. Without the cache it renders it all.
        let output = staging.output().to_path_buf();
        staging.abandon();
        let warning = cache.forget_kept();
        if !may_start_over {
            return Err(Failure::from(Diagnostic::error(
                &cache_folder,
                format!("{warning}, and lost HTML again; delete the cache folder and build again"),
            )));
        }
        drop(prepared);
        let staging = Staging::prepare(&output, &request.root)?;
        let mut report = build_into(request, staging, phases, inputs, false)?;
        report
            .warnings
            .push(Diagnostic::warning(&cache_folder, warning));
        return Ok(report);
    }
    match written {
        Ok(written) => {
            prepared.warnings.extend(written.warnings);
            if written.made > 0 {
                let plural = if written.made == 1 { "" } else { "s" };
                prepared
                    .notes
                    .push(format!("made {} image variant{plural}", written.made));
            }
            if keepable.is_some() {
                let rendered = written.rendered;
                let plural = if rendered == 1 { "" } else { "s" };
                prepared.notes.push(format!(
                    "rendered {rendered} page{plural} again; kept {} as the last build made them",
                    written.kept
                ));
            }
        }
        Err(failure) => {
            staging.abandon();
            return Err(failure);
        }
    }
    phases.done("render+write");
    let output = staging.output().to_path_buf();
    let committed = staging.commit();
    // Warnings need not stop the next build keeping pages: they come from
    // the Markdown, the model and the image copies, which every build
    // works out again, never from the pages it keeps.
    let whole = committed.as_ref().is_ok_and(|(_, left)| left.is_empty());
    kept_pages::remember(
        &request.root,
        &cache_folder,
        digest.filter(|_| whole),
        pages.planned,
    );
    let (changes, leftovers) = committed?;
    prepared.warnings.extend(leftovers);
    let kept = prepared
        .highlighter
        .save_disk_cache()
        .into_iter()
        .chain(prepared.disk_markdown.iter().flat_map(|cache| cache.save()))
        .chain(prepared.renderer.images().save_hashes().err());
    prepared
        .warnings
        .extend(kept.map(|problem| Diagnostic::warning(&cache_folder, problem)));
    let freed = crate::cache_files::trim(
        &request.root,
        &[image_cache, card_cache],
        prepared.site().config.cache_size_limit(),
        // Some file systems keep times to the second or two.
        build_started - Duration::from_secs(2),
    );
    if freed > 0 {
        prepared.notes.push(format!(
            "removed {:.1} MB of image copies and cards no build used lately from the cache (cache_size_mb)",
            freed as f64 / 1e6
        ));
    }
    phases.done("swap");
    let mut report = prepared.report(Some(output));
    report.changes = Some(changes);
    Ok(report)
}

/// Loads, links and renders the Markdown of the site; pages are rendered
/// later. `changed` lists the paths that changed since the session's last
/// build (`recap serve`); None means anything may have.
pub(crate) fn prepare(
    request: &Request,
    changed: Option<&[PathBuf]>,
    phases: &mut Phases,
) -> Result<Prepared, Failure> {
    match request.mode.cache() {
        Some(cache) => {
            let prepared = cache.prepare(request, changed, phases);
            cache.remember(prepared.as_ref().ok());
            prepared
        }
        None => prepare_all(request, phases),
    }
}

/// Builds the site from scratch.
fn prepare_all(request: &Request, phases: &mut Phases) -> Result<Prepared, Failure> {
    let started = Instant::now();
    let config = load_config(request)?;
    let theme = theme_for(request, config, None)?;
    phases.done("config");
    let content = content::load(&request.root)?;
    phases.done("load");
    prepare_site(request, theme, content, phases, started)
}

/// Links the content into a site, renders its Markdown and lists its files.
pub(super) fn prepare_site(
    request: &Request,
    theme: Theme,
    content: content::Content,
    phases: &mut Phases,
    started: Instant,
) -> Result<Prepared, Failure> {
    let now = chrono::Utc::now();
    let options = BuildOptions {
        drafts: request.drafts,
        future: request.future,
        now,
        today: now.with_timezone(&chrono::Local).date_naive(),
    };
    let site = Site::assemble(theme.config.clone(), content, &options)?;
    phases.done("assemble");
    finish_site(request, theme, site, None, phases, started)
}

/// Renders the site's Markdown and readies its pages. `edit` is the last
/// build's file list and the posts whose bodies changed since, when only
/// those need rendering again.
pub(super) fn finish_site(
    request: &Request,
    theme: Theme,
    mut site: Site,
    edit: Option<(Arc<Vec<SiteFile>>, Vec<PostId>)>,
    phases: &mut Phases,
    started: Instant,
) -> Result<Prepared, Failure> {
    // The file list first: Markdown images get their sizes from the files
    // the build copies.
    let (files, edited) = match edit {
        Some((files, edited)) => (files, Some(edited)),
        None => (
            Arc::new(site_files(&site, &theme.assets, &request.root)?),
            None,
        ),
    };
    site.image_sizes = Arc::new(crate::site::ImageSizes::new(
        &files,
        Arc::clone(&theme.templates.images),
    ));
    let only = edited.as_deref();
    let markdown_templates = theme.templates.for_markdown(&theme.config);
    // Builds keep rendered Markdown in the cache folder; serve in memory.
    let disk_markdown = matches!(request.mode, Mode::Build { .. }).then(|| {
        Arc::new(MarkdownCache::on_disk(
            &request.root,
            &site.config.cache_path(&request.root),
        ))
    });
    let markdown_cache = request
        .mode
        .cache()
        .map(|cache| &cache.markdown)
        .or(disk_markdown.as_deref());
    let diagnostics = site.render_markdown(
        only,
        &theme.highlighter,
        &markdown_templates,
        markdown_cache,
        &phases.progress,
    );
    if let Some(cache) = &disk_markdown {
        cache.release();
    }
    let mut warnings = fail_on_errors(diagnostics)?;
    warnings.extend(site.warnings.iter().cloned());
    if let Err(menu) = site.nav_links(&request.root) {
        return Err(Failure::from([warnings, vec![menu]].concat()));
    }
    if request.mode.lints() {
        warnings.extend(crate::lint::lint(&site, &request.root));
        warnings.extend(theme.templates.words.missing_warning());
    }
    phases.done("markdown");
    let mut notes = Vec::new();
    if request.mode.lints() {
        let broken = crate::link_check::broken_links(&site, &files);
        if !broken.is_empty() {
            return Err(Failure::from([warnings, broken].concat()));
        }
    }
    if let Mode::Check {
        external: Some(external),
    } = &request.mode
    {
        let checked = crate::link_check::external::check(&site, &request.root, external.deny);
        notes.push(checked.summary);
        warnings.extend(checked.diagnostics);
        if warnings.iter().any(Diagnostic::is_error) {
            return Err(Failure::from(warnings));
        }
    }
    let card_cache = match request.mode {
        Mode::Build { .. } => Some(site.config.card_cache_path(&request.root)),
        _ => None,
    };
    let mut renderer = Renderer::new(Arc::new(site), theme.templates, request.mode.is_serving());
    if let Some(folder) = card_cache {
        renderer = renderer.with_card_cache(&request.root, folder);
    }
    phases.done("templates");
    Ok(Prepared {
        highlighter: Arc::clone(&theme.highlighter),
        renderer,
        assets: theme.assets,
        files,
        edited,
        warnings,
        notes,
        started,
        disk_markdown,
    })
}

/// The warnings among `diagnostics`; Err with all of them if any is an error.
fn fail_on_errors(diagnostics: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Failure> {
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(Failure::from([warnings, errors].concat()))
    }
}

/// The templates, theme files and highlighter for `config`: the session's
/// last ones while the configuration, `templates/` and `static/` are as
/// they were. The highlighter (and its memo of highlighted lines) is kept
/// while the highlight themes are.
pub(super) fn theme_for(
    request: &Request,
    config: Config,
    changed: Option<&[PathBuf]>,
) -> Result<Theme, Failure> {
    let root = &request.root;
    let cache = request.mode.cache();
    let last = cache.and_then(|s| {
        s.theme
            .lock()
            .expect("no panics while holding the lock")
            .clone()
    });
    let theme_folders = [
        TEMPLATES_DIR,
        STATIC_DIR,
        SYNTAXES_DIR,
        THEMES_DIR,
        crate::render::i18n::I18N_DIR,
    ];
    let theme_files_changed = changed.is_none_or(|paths| {
        paths.iter().any(|path| {
            theme_folders
                .iter()
                .any(|folder| path.starts_with(root.join(folder)))
        })
    });
    if let Some(last) = &last
        && last.config == config
        && !theme_files_changed
    {
        return Ok(last.clone());
    }
    let syntax_files = SiteSyntaxFiles::read(root)?;
    let wanted = (
        config.highlight_theme.as_str(),
        config.highlight_theme_dark.as_str(),
        syntax_files.fingerprint(),
    );
    let highlighter = match &last {
        Some(last) if last.highlighter.identity() == wanted => Arc::clone(&last.highlighter),
        _ => {
            let mut highlighter = highlighter_for(&config, root, &syntax_files)?;
            // Only builds keep highlighted code between runs: serve keeps
            // it in memory, and check writes nothing.
            if matches!(request.mode, Mode::Build { .. }) {
                highlighter.use_disk_cache(root, &config.cache_path(root));
            }
            Arc::new(highlighter)
        }
    };
    let assets = theme_assets(root, highlighter.stylesheet());
    let asset_names: HashMap<String, String> = assets
        .iter()
        .map(|asset| (asset.name.clone(), asset.written_as.clone()))
        .collect();
    // Only builds keep image variants between runs, like highlighted code.
    let image_cache =
        matches!(request.mode, Mode::Build { .. }).then(|| config.image_cache_path(root));
    let templates = Templates::load(root, &config, asset_names, image_cache)?;
    let theme = Theme {
        config,
        highlighter,
        assets: Arc::new(assets),
        templates: Arc::new(templates),
    };
    if let Some(cache) = cache {
        *cache
            .theme
            .lock()
            .expect("no panics while holding the lock") = Some(theme.clone());
    }
    Ok(theme)
}

/// What a build does with pages it may keep from the last build, and what
/// its pages ask for, for the next.
pub(crate) struct PagesOfBuild<'a> {
    keepable: Option<&'a kept_pages::Keepable>,
    planned: kept_pages::PlannedByPage,
}

/// What `write_all` did.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub warnings: Vec<Diagnostic>,
    /// Image variants made now (not found in the cache).
    pub made: usize,
    /// Files rendered, and files kept from the last build unrendered.
    pub rendered: usize,
    pub kept: usize,
}

/// Renders and copies every file of the site into `sink`, in parallel,
/// then the image variants its pages asked for (kept in `image_cache`, a
/// folder inside the site at the first path, when given). With `pages`,
/// pages the last build made as this one would are kept, and what each
/// page asks for is noted. Reports every distinct error.
pub(crate) fn write_all(
    prepared: &Prepared,
    sink: &dyn Sink,
    image_cache: Option<(&Path, &Path)>,
    progress: &Progress,
    pages: Option<&PagesOfBuild>,
) -> Result<Written, Failure> {
    let strip = prepared.site().config.images.strip_metadata;
    progress.phase("pages", prepared.files.len());
    // Files made from the whole site (the archive, the search index) take
    // longest: start them first, so the other threads' work overlaps them.
    let (site_wide, rest): (Vec<&SiteFile>, Vec<&SiteFile>) = prepared
        .files
        .iter()
        .partition(|file| file.source.is_site_wide());
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let count = |counter: &std::sync::atomic::AtomicUsize| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let results: Vec<Result<(), Diagnostic>> = site_wide
        .into_par_iter()
        .chain(rest)
        .map(|file| {
            let written = match &file.source {
                Source::Copy(from) if strip && crate::images::may_carry_metadata(from) => {
                    copy_without_metadata(sink, &file.path, from)
                }
                Source::Copy(from) => sink.copy(&file.path, from),
                _ if pages.is_some_and(|pages| keeps(prepared, sink, pages, file)) => {
                    count(&kept);
                    Ok(())
                }
                source => {
                    if source.is_rendered() {
                        count(&rendered);
                    }
                    let (bytes, seen) = crate::images::gathering(|| {
                        prepared.renderer.materialize(source, &prepared.assets)
                    });
                    if let Some(pages) = pages {
                        pages.planned.note(file.path.as_str(), seen.variants);
                    }
                    bytes.and_then(|bytes| sink.write(&file.path, &bytes))
                }
            };
            progress.step();
            written
        })
        .collect();
    let mut errors = unique_errors(results);
    if !errors.is_empty() {
        return Err(Failure::from(errors));
    }
    let planned = prepared.renderer.images().all_planned();
    progress.phase("images", planned.len());
    let made = crate::images::write_variants(planned, sink, image_cache);
    errors.extend(made.errors);
    if !errors.is_empty() {
        return Err(Failure::from(errors));
    }
    Ok(Written {
        warnings: made.warnings,
        made: made.made,
        rendered: rendered.into_inner(),
        kept: kept.into_inner(),
    })
}

/// Keeps the last build's `file` when it is a rendered file or a card
/// that shows nothing this build changed (`Keepable::affected`) and is as
/// that build left it; its image copies are asked for again.
fn keeps(prepared: &Prepared, sink: &dyn Sink, pages: &PagesOfBuild, file: &SiteFile) -> bool {
    let Some(keepable) = pages.keepable else {
        return false;
    };
    let kept = file.source.is_keepable()
        && !keepable.affected(prepared.site(), &file.source)
        && sink.keep(&file.path);
    if kept {
        let planned = keepable.planned(file.path.as_str());
        prepared.renderer.images().plan_again(planned);
        pages.planned.note(file.path.as_str(), planned.to_vec());
    }
    kept
}

/// Copies the picture at `from` without its camera data. Its stamp is the
/// file's size and time, marked as stripped, so an unchanged photo is not
/// read again.
fn copy_without_metadata(
    sink: &dyn Sink,
    path: &OutputPath,
    from: &Path,
) -> Result<(), Diagnostic> {
    let stamp = crate::output::stamps::of_file(from).map_or(0, |stamp| stamp ^ STRIPPED);
    sink.produce(path, stamp, &mut || {
        crate::images::copied_bytes(from, true).map_err(|err| {
            Diagnostic::error(from, format!("cannot read {}: {err}", from.display()))
        })
    })
}

/// Marks the stamp of a copy made without metadata.
const STRIPPED: u64 = 0x5354_5249_5050_4544;

/// The same template error repeats for every page that uses the template.
fn unique_errors(results: Vec<Result<(), Diagnostic>>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    results
        .into_iter()
        .filter_map(Result::err)
        .filter(|err| seen.insert((err.location(), err.message.clone())))
        .collect()
}

pub(super) fn load_config(request: &Request) -> Result<Config, Diagnostic> {
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

/// The highlighter for the configured themes, with the site's grammars and
/// themes; an unknown theme is an error at its key in config.toml.
fn highlighter_for(
    config: &Config,
    root: &Path,
    syntax_files: &SiteSyntaxFiles,
) -> Result<Highlighter, Failure> {
    let site = syntax_files.parse(built_in_syntaxes)?;
    Highlighter::with_site(&config.highlight_theme, &config.highlight_theme_dark, &site).map_err(
        |problem| {
            let source =
                std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
            let light_is_valid = Highlighter::theme_names(&site).contains(&config.highlight_theme);
            let key = if light_is_valid {
                "highlight_theme_dark"
            } else {
                "highlight_theme"
            };
            let (line, column) = crate::locate::key_at(&source, &[crate::locate::Step::Key(key)]);
            Failure::from(vec![
                Diagnostic::error(config::CONFIG_FILE, problem)
                    .at(&source, line, column)
                    .width(key.len()),
            ])
        },
    )
}
