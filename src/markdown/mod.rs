//! Temporary stand-in with the interface of the Markdown module (replaced on merge).

use pulldown_cmark::{Options, Parser, html};

pub struct MarkdownOptions {
    pub raw_html: bool,
    pub external_links_target_blank: bool,
    pub external_links_no_referrer: bool,
    pub base_path: String,
    pub site_origin: String,
}

pub trait LinkResolver: Sync {
    fn resolve(&self, content_path: &str) -> Option<String>;
}

#[derive(Default)]
pub struct Highlighter;

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter
    }
    pub fn stylesheet(&self, _light: &str, _dark: &str) -> Result<String, String> {
        Ok(String::new())
    }
    pub fn theme_names() -> Vec<String> {
        Vec::new()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub column: usize,
}
#[derive(Debug, Clone, PartialEq)]
pub enum Severity {
    Error,
    Warning,
}
#[derive(Debug, Clone)]
pub struct Problem {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Default)]
pub struct Rendered {
    pub html: String,
    pub summary_html: String,
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    pub anchors: Vec<String>,
    pub internal_links: Vec<InternalLink>,
    pub problems: Vec<Problem>,
    pub word_count: usize,
}

pub fn render(
    source: &str,
    _opts: &MarkdownOptions,
    _links: &dyn LinkResolver,
    _hl: &Highlighter,
) -> Rendered {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(source, Options::all()));
    Rendered {
        summary_html: out.clone(),
        html: out,
        has_more: false,
        toc: Vec::new(),
        anchors: Vec::new(),
        internal_links: Vec::new(),
        problems: Vec::new(),
        word_count: source.split_whitespace().count(),
    }
}
