//! `config.toml`: the site's settings (docs/config.md), read strictly: unknown keys
//! are errors with the nearest valid key suggested.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::frontmatter::parse_toml_document;
use crate::diagnostics::Diagnostic;

pub(crate) const CONFIG_FILE: &str = "config.toml";

/// The folders of a site that recap reads as sources: nothing a build
/// writes (the output, the cache) may be inside one.
pub(crate) const SOURCE_FOLDERS: [&str; 7] = [
    "content",
    "static",
    "templates",
    "archetypes",
    "syntaxes",
    "themes",
    "i18n",
];

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default = "default_permalink")]
    pub permalink: String,
    #[serde(default = "default_posts_per_page")]
    pub posts_per_page: usize,
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
    #[serde(default = "default_highlight_theme_dark")]
    pub highlight_theme_dark: String,
    #[serde(default)]
    pub external_links_target_blank: bool,
    #[serde(default)]
    pub external_links_no_referrer: bool,
    #[serde(default = "default_true")]
    pub raw_html: bool,
    /// `$...$` and `$$...$$` in Markdown are formulas (rendered to MathML).
    #[serde(default)]
    pub math: bool,
    /// `:tada:` in Markdown becomes 🎉 (GitHub's emoji shortcodes).
    #[serde(default)]
    pub emoji: bool,
    /// How dates are written (strftime), with month names in `language`.
    /// Default: the language's usual form ("2 Apr 2025", "2. Apr 2025").
    pub date_format: Option<String>,
    /// The IANA time zone of times written without an offset (post dates,
    /// session times), unless an event names its own.
    pub timezone: Option<String>,
    /// Where builds keep what they can reuse (highlighted code), relative
    /// to the site; default `.recap-cache`.
    pub cache_dir: Option<String>,
    /// The most the image copies and social cards kept in the cache folder
    /// may take, in megabytes (default 1024): beyond it, the longest
    /// unused go after a build.
    pub cache_size_mb: Option<u64>,
    /// More paths the site's Atom feed is written at (`/feed.xml`, where a
    /// blog's readers are subscribed from before).
    #[serde(default)]
    pub feed_aliases: Vec<String>,
    /// Links added to the site's navigation.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// The picture shared with pages that have none of their own (a site
    /// path, e.g. "/img/team.jpg").
    pub image: Option<String>,
    /// Posts and events without an image get a drawn card to share.
    #[serde(default = "default_true")]
    pub social_cards: bool,
    /// How `recap check --external` checks links to other sites.
    #[serde(default)]
    pub check: CheckConfig,
    /// How the site's photos are resized and cleaned.
    #[serde(default)]
    pub images: ImagesConfig,
    #[serde(default, deserialize_with = "crate::content::front::deserialize_extra")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// What is wrong with `cache_dir`, if anything: builds write there, so it
/// must stay inside the site and out of its sources.
fn cache_dir_problem(dir: &str) -> Option<String> {
    let path = Path::new(dir);
    let inside = !dir.trim().is_empty()
        && path
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
    if !inside {
        return Some(format!("cache_dir `{dir}` leaves the site folder"));
    }
    let top = path
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    SOURCE_FOLDERS
        .contains(&top.as_str())
        .then(|| format!("cache_dir `{dir}` is inside {top}/, which recap reads as sources"))
}

/// `[check]` in config.toml: the external link check.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct CheckConfig {
    /// Links starting with one of these are not checked.
    pub skip_prefixes: Vec<String>,
    /// Seconds to wait for a host to answer.
    pub timeout: u64,
    /// Hours a link that answered stays known good in the cache.
    pub cache_hours: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            skip_prefixes: Vec::new(),
            timeout: 10,
            cache_hours: 24,
        }
    }
}

/// `[images]` in config.toml: responsive variants of the site's photos.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ImagesConfig {
    /// The widths, in pixels, of the smaller copies made of each JPEG, PNG
    /// or WebP image wider than the smallest of them.
    pub widths: Vec<u32>,
    /// Formats made beside the image's own (which stays the fallback).
    pub formats: Vec<String>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// Camera data (GPS position, camera serial, time) is removed from the
    /// copied originals too, not only from the variants.
    pub strip_metadata: bool,
    /// `recap check` warns about images larger than this many kilobytes
    /// that get no smaller copies.
    pub large_kb: u64,
}

impl ImagesConfig {
    fn invalid(&mut self) -> Option<Invalid> {
        self.widths.sort_unstable();
        self.widths.dedup();
        if let Some(width) = self.widths.iter().find(|w| !(16..=8192).contains(*w)) {
            return Some(Invalid {
                key: "images",
                problem: format!("[images] widths has {width}, outside 16 to 8192 pixels"),
                help: "e.g. widths = [480, 960, 1600]",
            });
        }
        for format in &mut self.formats {
            *format = format.to_ascii_lowercase().replace("jpg", "jpeg");
        }
        if let Some(format) = self
            .formats
            .iter()
            .find(|format| !VARIANT_FORMATS.contains(&format.as_str()))
        {
            return Some(Invalid {
                key: "images",
                problem: format!("[images] formats has `{format}`, which recap cannot write"),
                help: "formats are \"webp\", \"jpeg\" or \"png\", e.g. formats = [\"webp\"]",
            });
        }
        if !(1..=100).contains(&self.quality) {
            return Some(Invalid {
                key: "images",
                problem: format!("[images] quality is {}, outside 1 to 100", self.quality),
                help: "e.g. quality = 80",
            });
        }
        None
    }
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![480, 960, 1600],
            formats: vec!["webp".into()],
            quality: 80,
            strip_metadata: true,
            large_kb: 2048,
        }
    }
}

/// Formats `[images] formats` may name.
pub(crate) const VARIANT_FORMATS: &[&str] = &["webp", "jpeg", "png"];

/// A `[[menu]]` entry of config.toml.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MenuItem {
    pub name: String,
    /// A site path (`/about/`), a file (`@/about.md`) or a full URL.
    pub url: String,
    /// Lower comes first; the built-in sections weigh 10 to 60.
    #[serde(default = "default_menu_weight")]
    pub weight: i64,
}

fn default_menu_weight() -> i64 {
    100
}

fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_permalink() -> String {
    "/:year/:slug/".into()
}
fn default_posts_per_page() -> usize {
    10
}
fn default_feed_limit() -> usize {
    20
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}
fn default_highlight_theme_dark() -> String {
    "base16-ocean.dark".into()
}
fn default_true() -> bool {
    true
}

/// A config value that is well-formed TOML but not a valid setting.
struct Invalid {
    key: &'static str,
    problem: String,
    help: &'static str,
}

const PERMALINK_TOKENS: [&str; 5] = [":year", ":month", ":day", ":slug", ":event"];

impl Config {
    /// Reads and validates `config.toml` in `root`.
    pub(crate) fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|err| {
            let error = Diagnostic::error(
                CONFIG_FILE,
                format!("cannot read {}: {err}", path.display()),
            );
            if err.kind() == std::io::ErrorKind::NotFound {
                error.help("run recap in a site folder (one with config.toml), or pass --root DIR")
            } else {
                error.help("check the file's permissions")
            }
        })?;
        let source = crate::content::utf8_text(bytes, Path::new(CONFIG_FILE))?;
        if source.trim().is_empty() {
            return Err(Diagnostic::error(CONFIG_FILE, "config.toml is empty").help(
                "a site needs at least its title and address, e.g.\n  title = \"Team recaps\"\n  base_url = \"https://example.org\"",
            ));
        }
        let mut config: Config = parse_toml_document(&source, CONFIG_FILE)?;
        config.validate(&source)?;
        Ok(config)
    }

    fn validate(&mut self, source: &str) -> Result<(), Diagnostic> {
        self.check().map_err(|invalid| {
            let (line, column) =
                crate::locate::key_at(source, &[crate::locate::Step::Key(invalid.key)]);
            Diagnostic::error(CONFIG_FILE, invalid.problem)
                .at(source, line, column)
                .width(invalid.key.len())
                .help(invalid.help)
        })
    }

    /// Checks the config again after a command-line override.
    pub(crate) fn revalidate(&mut self) -> Result<(), String> {
        self.check().map_err(|invalid| invalid.problem)
    }

    fn check(&mut self) -> Result<(), Invalid> {
        if self.title.trim().is_empty() {
            return Err(Invalid {
                key: "title",
                problem: "the site's title is empty".into(),
                help: "it names the site in every page, feed and calendar, e.g. title = \"Team recaps\"",
            });
        }
        self.base_url = self.base_url.trim_end_matches('/').to_string();
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://"))
            || origin_of(&self.base_url).len() <= "https://".len()
        {
            return Err(Invalid {
                key: "base_url",
                problem: format!(
                    "base_url `{}` is not an absolute http(s) URL",
                    self.base_url
                ),
                help: "write the full address the site is served from, e.g. \"https://example.org/team\"",
            });
        }
        if self.posts_per_page == 0 {
            return Err(Invalid {
                key: "posts_per_page",
                problem: "posts_per_page must be at least 1".into(),
                help: "e.g. posts_per_page = 10",
            });
        }
        if let Some(Err(problem)) = self
            .timezone
            .as_deref()
            .map(crate::content::date::parse_zone)
        {
            return Err(Invalid {
                key: "timezone",
                problem,
                help: crate::content::date::ZONE_HELP,
            });
        }
        if let Some(item) = self
            .menu
            .iter()
            .find(|item| crate::url_safety::unsafe_scheme(&item.url).is_some())
        {
            return Err(Invalid {
                key: "menu",
                problem: format!(
                    "the menu link `{}` has a scheme that could run script",
                    item.url
                ),
                help: crate::url_safety::HELP,
            });
        }
        if let Some(invalid) = self.images.invalid() {
            return Err(invalid);
        }
        let cache_problem = self.cache_dir.as_deref().and_then(|dir| {
            let in_output = Path::new(dir).starts_with(self.output_dir.trim_start_matches("./"));
            cache_dir_problem(dir).or_else(|| {
                in_output.then(|| {
                    format!(
                        "cache_dir `{dir}` is inside the output folder, which every build replaces"
                    )
                })
            })
        });
        if let Some(problem) = cache_problem {
            return Err(Invalid {
                key: "cache_dir",
                problem,
                help: "a folder of its own inside the site, e.g. cache_dir = \".recap-cache\"",
            });
        }
        if let Some(alias) = self.feed_aliases.iter().find(|alias| {
            !alias.starts_with('/') || !alias.ends_with(".xml") || alias.contains("..")
        }) {
            return Err(Invalid {
                key: "feed_aliases",
                problem: format!("the feed alias `{alias}` is not a site path ending in .xml"),
                help: "e.g. feed_aliases = [\"/feed.xml\"]",
            });
        }
        if let Err(problem) = check_permalink(&self.permalink) {
            return Err(Invalid {
                key: "permalink",
                problem,
                help: "use a path such as \"/:year/:slug/\"; tokens: :year :month :day :slug :event",
            });
        }
        Ok(())
    }

    /// The cache folder of the site at `root`.
    pub(crate) fn cache_path(&self, root: &Path) -> PathBuf {
        root.join(self.cache_dir.as_deref().unwrap_or(".recap-cache"))
    }

    /// Where builds keep the smaller copies of images.
    pub(crate) fn image_cache_path(&self, root: &Path) -> PathBuf {
        self.cache_path(root).join("images")
    }

    /// Where builds keep the social cards they drew.
    pub(crate) fn card_cache_path(&self, root: &Path) -> PathBuf {
        self.cache_path(root).join("social-cards")
    }

    /// `cache_size_mb` in bytes.
    pub(crate) fn cache_size_limit(&self) -> u64 {
        self.cache_size_mb.unwrap_or(1024).saturating_mul(1_000_000)
    }

    /// The site's time zone: `timezone`, or UTC.
    pub(crate) fn zone(&self) -> chrono_tz::Tz {
        self.timezone
            .as_deref()
            .and_then(|name| crate::content::date::parse_zone(name).ok())
            .unwrap_or(chrono_tz::Tz::UTC)
    }

    /// The path part of `base_url`, without a trailing slash: "" or "/team".
    pub(crate) fn base_path(&self) -> &str {
        &self.base_url[origin_of(&self.base_url).len()..]
    }

    /// Scheme and host of `base_url`: "https://example.org".
    pub(crate) fn origin(&self) -> &str {
        origin_of(&self.base_url)
    }

    pub(crate) fn output_path(&self, root: &Path) -> PathBuf {
        root.join(&self.output_dir)
    }
}

/// Scheme and host of an absolute URL: "https://example.org".
pub(crate) fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let host_end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..host_end]
}

fn check_permalink(permalink: &str) -> Result<(), String> {
    if !permalink.starts_with('/') {
        return Err(format!("permalink `{permalink}` must start with `/`"));
    }
    if !permalink.contains(":slug") {
        return Err(format!(
            "permalink `{permalink}` has no `:slug`, so every post would share one URL"
        ));
    }
    for (index, _) in permalink.match_indices(':') {
        let rest = &permalink[index..];
        if !PERMALINK_TOKENS.iter().any(|token| rest.starts_with(token)) {
            let token: String = rest.chars().take_while(|c| *c != '/').collect();
            return Err(format!("unknown permalink token `{token}`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        let source = format!("title = \"t\"\nbase_url = \"{base_url}\"\n");
        let mut config: Config = toml::from_str(&source).unwrap();
        config.check().map(|_| config).ok().unwrap()
    }

    #[test]
    fn splits_base_url_into_origin_and_path() {
        let site = config("https://example.org/team/");
        assert_eq!(site.origin(), "https://example.org");
        assert_eq!(site.base_path(), "/team");
        assert_eq!(config("https://example.org").base_path(), "");
    }

    #[test]
    fn rejects_unknown_permalink_tokens() {
        assert!(check_permalink("/:year/:slug/").is_ok());
        assert!(
            check_permalink("/:yeer/:slug/")
                .unwrap_err()
                .contains(":yeer")
        );
        assert!(check_permalink("/:year/").is_err());
    }
}
