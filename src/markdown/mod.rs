//! Markdown to HTML: CommonMark plus the extensions of SPEC §6, heading ids and
//! anchors, table of contents, summaries, syntax highlighting into CSS classes,
//! `@/` internal links, external-link attributes and base-path prefixing.
//!
//! CONTRACT (stub, to be implemented):
//!
//! ```ignore
//! pub struct MarkdownOptions {
//!     pub raw_html: bool,                     // false: raw HTML is escaped as text
//!     pub external_links_target_blank: bool,
//!     pub external_links_no_referrer: bool,
//!     pub base_path: String,                  // "" or "/team": prefixed to site-absolute URLs
//!     pub site_origin: String,                // "https://example.org": links to it are internal
//! }
//!
//! /// Maps an `@/` target ("posts/2024-03-22-kubecon.md") to its URL path ("/team/2024/kubecon/").
//! pub trait LinkResolver: Sync { fn resolve(&self, content_path: &str) -> Option<String>; }
//!
//! pub struct Highlighter;  // syntect SyntaxSet loaded once; Sync; shared by all pages
//! impl Highlighter {
//!     pub fn new() -> Highlighter;
//!     pub fn stylesheet(&self, light_theme: &str, dark_theme: &str) -> Result<String, String>;
//!     pub fn theme_names() -> Vec<String>;
//! }
//!
//! pub fn render(source: &str, opts: &MarkdownOptions, links: &dyn LinkResolver, hl: &Highlighter) -> Rendered;
//!
//! pub struct Rendered {
//!     pub html: String,
//!     pub summary_html: String,          // before `<!-- more -->`, else first paragraph
//!     pub has_more: bool,
//!     pub toc: Vec<TocEntry>,            // nested by level
//!     pub anchors: Vec<String>,          // every heading id on the page
//!     pub internal_links: Vec<InternalLink>,  // resolved @/ links whose #anchor must be checked
//!     pub problems: Vec<Problem>,        // errors and warnings, with line/column in `source`
//!     pub word_count: usize,
//! }
//! ```
