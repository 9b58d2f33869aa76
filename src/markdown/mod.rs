//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough, task lists, heading ids
//! and anchors, a table of contents, summaries, syntax highlighting into CSS
//! classes, `@/` internal links, external-link attributes and base-path
//! prefixing of site-absolute URLs.

mod events;
mod highlight;
mod html;
mod links;
mod render;
mod shortcodes;
mod templates;
mod text;
mod toc;

#[cfg(test)]
mod tests;

pub(crate) use highlight::{
    Highlighter, SYNTAXES_DIR, SiteSyntaxFiles, SiteSyntaxes, THEMES_DIR, built_in_syntaxes,
};

/// What `recap languages` prints: the built-in grammars with `site`'s.
pub(crate) fn language_table(site: &SiteSyntaxes) -> String {
    Highlighter::language_table(site)
}
pub(crate) use html::Html;
pub(crate) use render::render;
pub(crate) use templates::MarkdownTemplates;
#[cfg(test)]
pub(crate) use templates::NoTemplates;
pub(crate) use text::{plain_text, truncate, visible_text};

pub(crate) struct MarkdownOptions {
    /// false: raw HTML in the Markdown is escaped and shown as text.
    pub raw_html: bool,
    pub external_links_target_blank: bool,
    pub external_links_no_referrer: bool,
    /// "" or "/team": put in front of site-absolute URLs.
    pub base_path: String,
    /// "https://example.org": absolute links to it are internal.
    pub site_origin: String,
    /// `$...$` and `$$...$$` are formulas, rendered to MathML.
    pub math: bool,
    /// `:tada:` and the other GitHub emoji shortcodes become emoji.
    pub emoji: bool,
}

/// Markdown to HTML with the same extensions, for templates (the
/// `markdown` filter, e.g. the body of a block shortcode). No highlighting
/// and no `@/` links: those need the whole site. The same safety as post
/// bodies: raw HTML escaped unless `raw_html`, and links and images with a
/// scheme that could run script left without their URL.
pub(crate) fn to_html(text: &str, raw_html: bool) -> String {
    use pulldown_cmark::{CowStr, Event, Tag};
    let safe = |url: CowStr<'static>| match crate::url_safety::unsafe_scheme(&url) {
        Some(_) => CowStr::Borrowed(""),
        None => url,
    };
    let events =
        pulldown_cmark::Parser::new_ext(text, render::EXTENSIONS).map(|event| match event {
            Event::Html(html) | Event::InlineHtml(html) if !raw_html => Event::Text(html),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe(dest_url.into_static()),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe(dest_url.into_static()),
                title,
                id,
            }),
            other => other,
        });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Maps an `@/` target ("posts/2024-03-22-kubecon.md", relative to
/// `content/`) to its URL path with the base path ("/team/2024/kubecon/").
pub(crate) trait LinkResolver: Sync {
    fn resolve(&self, content_path: &str) -> Option<String>;
    /// The width and height of the site's image at `url`, as written in
    /// the text, when it is one of the site's files.
    fn image_size(&self, _url: &str) -> Option<(u32, u32)> {
        None
    }
    /// The smaller copies of the site's image at `url` (shown as
    /// `shown_as`) for `srcset`; Err with a warning when it cannot be
    /// resized.
    fn responsive_image(
        &self,
        _url: &str,
        _shown_as: &str,
    ) -> Result<Option<crate::images::Responsive>, String> {
        Ok(None)
    }
}

/// A rendered document. Its serialised form (the build cache's) leaves out
/// the three texts, which the cache keeps as they are: decoding HTML
/// escaped as JSON strings cost a build more than reading it.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    #[serde(skip)]
    pub html: Html,
    /// Everything before a line `<!-- more -->`, else the first paragraph.
    #[serde(skip)]
    pub summary_html: String,
    /// The summary as plain text, shortened for meta descriptions.
    #[serde(skip)]
    pub summary_text: String,
    /// The body holds more than its summary.
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page, in order.
    pub anchors: Vec<String>,
    /// Every resolved `@/` link, for the caller to check `#anchor`s.
    pub internal_links: Vec<InternalLink>,
    /// Every other link, image and raw-HTML `href`/`src` into the site
    /// itself (site paths, relative paths, `#fragments`), as written, for
    /// `recap check` to resolve.
    pub site_links: Vec<SiteLink>,
    /// Links and images to other sites (http and https), where written.
    pub external_links: Vec<SiteLink>,
    /// The body has `@/` links (resolved or not): its HTML depends on the
    /// URLs of other pages.
    pub links_to_pages: bool,
    pub problems: Vec<Problem>,
    /// Words of prose (code blocks and HTML tags excluded).
    pub word_count: usize,
    /// The site's image files the body shows (their sizes and variants are
    /// in the HTML), with the hash of their bytes when a build's cache
    /// keeps the rendering.
    #[serde(default)]
    pub image_files: Vec<(std::path::PathBuf, u64)>,
    /// The image variants the body's `srcset`s name, by output path.
    #[serde(default)]
    pub(crate) variants: Vec<(String, crate::images::Variant)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct InternalLink {
    /// "posts/x.md"
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SiteLink {
    /// As written: "/2024/x/", "../y/", "img.png", "#intro".
    pub url: String,
    pub line: usize,
    pub column: usize,
}

impl SiteLink {
    /// Whether a destination leads into the site: a path or a fragment,
    /// not a scheme (`mailto:`, `https:`) or another host.
    pub(crate) fn is_into_site(url: &str) -> bool {
        let url = url.trim();
        if url.is_empty() || url.starts_with("//") || url.starts_with("@/") {
            return false;
        }
        let before_path = url.split(['/', '?', '#']).next().unwrap_or_default();
        !before_path.contains(':')
    }

    /// Whether a destination is a page of another site (`http://`,
    /// `https://`).
    pub(crate) fn is_external(url: &str) -> bool {
        let url = url.trim();
        ["http://", "https://"].iter().any(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based, within the Markdown source.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}
