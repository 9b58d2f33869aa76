//! Bringing a blog over from another generator: `recap import jekyll` and
//! `recap import hugo`. Each importer reads the old site, writes recap
//! content beside it (posts, pages, authors, files they use), keeps every
//! old URL as an alias, and reports what it converted and what is left for
//! a human. Nothing existing is ever overwritten and nothing is written
//! outside the target folder.

mod hugo;
mod jekyll;
mod liquid;
mod shortcodes;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::scaffold::write_new;

pub(crate) use hugo::import_hugo;
pub(crate) use jekyll::import_jekyll;

/// What an import did, for the report.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub converted: Vec<PathBuf>,
    pub pages: Vec<PathBuf>,
    pub authors: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, String)>,
    pub changes: BTreeMap<&'static str, usize>,
    /// "file:line: text" left for a human.
    pub left: Vec<String>,
    /// "file:line: text" converted with some loss, worth a look.
    pub review: Vec<String>,
    pub assets: Vec<PathBuf>,
    pub config_hint: Option<String>,
}

impl Report {
    pub(crate) fn render(&self) -> String {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut text = format!(
            "Imported {}, {} and {}.\n",
            count(self.converted.len(), "post"),
            count(self.pages.len(), "page"),
            count(self.authors.len(), "author")
        );
        for (path, why) in &self.skipped {
            let _ = writeln!(text, "  skipped {}: {why}", path.display());
        }
        if !self.changes.is_empty() {
            text.push_str("Changed:\n");
            for (change, count) in &self.changes {
                let _ = writeln!(
                    text,
                    "  {change} ({count} post{})",
                    if *count == 1 { "" } else { "s" }
                );
            }
        }
        if !self.assets.is_empty() {
            let _ = writeln!(
                text,
                "Copied {} referenced files into static/.",
                self.assets.len()
            );
        }
        if let Some(hint) = &self.config_hint {
            let _ = writeln!(text, "{hint}");
        }
        if !self.review.is_empty() {
            let _ = writeln!(
                text,
                "Converted with some loss, worth a look ({}):",
                count(self.review.len(), "place")
            );
            for line in &self.review {
                let _ = writeln!(text, "  {line}");
            }
        }
        if self.left.is_empty() {
            text.push_str("Nothing was left for a human to convert.\n");
        } else {
            let files: std::collections::BTreeSet<&str> = self
                .left
                .iter()
                .filter_map(|line| line.split(':').next())
                .collect();
            let _ = writeln!(
                text,
                "Left as written, for a human ({} in {}; recap runs no Liquid or Hugo shortcodes):",
                count(self.left.len(), "line"),
                count(files.len(), "file")
            );
            for line in &self.left {
                let _ = writeln!(text, "  {line}");
            }
        }
        text
    }
}

/// What a new config.toml takes over from the old site's configuration.
#[derive(Default)]
pub(crate) struct SiteSettings {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `url` and `baseurl` together.
    pub base_url: Option<String>,
    pub timezone: Option<String>,
    /// `language`, when the old site names one recap ships words for.
    pub language: Option<String>,
}

/// The URL paths recap makes itself: a page of the old site there (an
/// archive or tag index its templates made) is replaced by recap's own.
pub(super) const RECAP_SECTIONS: [&str; 9] = [
    "archive", "tags", "events", "authors", "speakers", "talks", "search", "404", "page",
];

/// Writes a new config.toml from `site` and `keys` (whole `key = value`
/// lines), or, when the target has one, names the keys to add to it (an
/// existing config is never rewritten). `source` names the old generator.
fn write_config(
    into: &Path,
    source: &str,
    site: &SiteSettings,
    keys: &[String],
) -> Result<Option<String>, Diagnostic> {
    let config = into.join(crate::config::CONFIG_FILE);
    let quoted = |text: &str| toml::Value::from(text).to_string();
    if config.exists() {
        return Ok((!keys.is_empty()).then(|| {
            format!(
                "To keep the {source} blog's behaviour, add to config.toml:\n  {}",
                keys.join("\n  ")
            )
        }));
    }
    let mut text = format!(
        "title = {}\nbase_url = {}\n",
        quoted(
            site.title
                .as_deref()
                .unwrap_or(&format!("Imported from {source}"))
        ),
        quoted(site.base_url.as_deref().unwrap_or("https://example.org"))
    );
    for (key, value) in [
        ("description", &site.description),
        ("timezone", &site.timezone),
        ("language", &site.language),
    ] {
        if let Some(value) = value {
            let _ = writeln!(text, "{key} = {}", quoted(value));
        }
    }
    for key in keys {
        text.push_str(key);
        text.push('\n');
    }
    write_new(&config, &text)?;
    Ok(Some(match site.base_url {
        Some(_) => format!(
            "Wrote config.toml from the {source} configuration (title, base URL, description, time zone, language)."
        ),
        None => {
            format!("Wrote config.toml: the {source} configuration has no URL, so set base_url.")
        }
    }))
}

/// Whether `path` is a file of the old site at `src` once links are
/// followed: a site being imported must not hand over files from outside
/// it (a post's image linked to `~/.ssh/id_rsa`).
fn is_file_inside(src: &Path, path: &Path) -> bool {
    let (Ok(src), Ok(file)) = (src.canonicalize(), path.canonicalize()) else {
        return false;
    };
    file.starts_with(src) && file.is_file()
}

/// Copies `from` to the new file `to` (its folders made): never over an
/// existing file, nor through a link planted at `to`. False when `to`
/// already exists.
fn copy_new(from: &Path, to: &Path) -> Result<bool, Diagnostic> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| Diagnostic::error(parent, format!("cannot create: {err}")))?;
    }
    let target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to);
    let mut target = match target {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(err) => return Err(Diagnostic::error(to, format!("cannot create: {err}"))),
    };
    let mut source = std::fs::File::open(from)
        .map_err(|err| Diagnostic::error(from, format!("cannot read: {err}")))?;
    std::io::copy(&mut source, &mut target)
        .map_err(|err| Diagnostic::error(to, format!("cannot copy {}: {err}", from.display())))?;
    Ok(true)
}

/// Front matter keys recap does not know, under `[extra]`.
fn keep_extra(front: &mut toml::Table, extra: toml::Table, report: &mut Report) {
    if !extra.is_empty() {
        front.insert("extra".into(), extra.into());
        *report
            .changes
            .entry("keys recap does not know kept under [extra]")
            .or_default() += 1;
    }
}

/// The two-letter code of a language recap ships words for, from a
/// locale such as `en-us` or `de_DE`.
fn known_language(code: &str) -> Option<String> {
    let language = code.split(['-', '_']).next()?.to_ascii_lowercase();
    crate::render::i18n::is_built_in(&language).then_some(language)
}

pub(crate) fn toml_date(text: &str) -> toml::Value {
    text.parse::<toml::value::Datetime>()
        .map_or_else(|_| text.into(), toml::Value::Datetime)
}

pub(crate) fn title_from_slug(slug: &str) -> String {
    let mut title = slug.replace('-', " ");
    if let Some(first) = title.get(..1) {
        title.replace_range(..1, &first.to_uppercase());
    }
    title
}
