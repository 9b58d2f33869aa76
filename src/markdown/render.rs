//! One pass over pulldown-cmark's events: headings get ids and anchors, code
//! is highlighted, links are resolved and rewritten, raw HTML is kept or
//! escaped, and the summary boundary is noted. pulldown-cmark's HTML writer
//! then turns the rewritten events into HTML.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde_json::{Map, Value};

use super::links::{Destination, classify, external_attributes};
use super::templates::{Hooks, MarkdownTemplates, codeblock_hook};
use super::{
    Highlighter, InternalLink, LinkResolver, MarkdownOptions, Problem, Rendered, Severity,
    SiteLink, TocEntry, toc,
};

pub(crate) const EXTENSIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_GFM)
    .union(Options::ENABLE_SMART_PUNCTUATION);

const MORE_MARKER: &str = "<!-- more -->";
/// The most HTML one Markdown text may render to: far beyond any real
/// recap, and small enough that a build never runs out of memory on one.
const MAX_HTML_BYTES: usize = 64 << 20;

pub(crate) fn render(
    source: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
    templates: &dyn MarkdownTemplates,
) -> Rendered {
    let expanded = super::shortcodes::expand(source, templates, &options.base_path);
    let text = expanded.as_ref().map_or(source, |e| e.text.as_str());
    let mut rendered = render_text(text, options, links, highlighter, templates);
    if let Some(expanded) = expanded {
        rendered.html = super::shortcodes::fill(&rendered.html, &expanded.pieces).into();
        rendered.summary_html = super::shortcodes::fill(&rendered.summary_html, &expanded.pieces);
        // From the filled summary: a post that opens with a video must not
        // describe itself with the video's placeholder.
        rendered.summary_text = super::plain_text(&rendered.summary_html);
        rendered.problems.extend(expanded.problems);
        for (url, line, column) in expanded.links {
            let list = if SiteLink::is_into_site(&url) {
                &mut rendered.site_links
            } else if SiteLink::is_external(&url) {
                &mut rendered.external_links
            } else {
                continue;
            };
            list.push(SiteLink { url, line, column });
        }
    }
    rendered
}

fn render_text(
    source: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
    templates: &dyn MarkdownTemplates,
) -> Rendered {
    let mut pass = Pass {
        source,
        lines: LineIndex::new(source),
        options,
        links,
        highlighter,
        templates,
        hooks: Hooks::of(templates),
        events: Vec::new(),
        used_ids: HashSet::new(),
        next_repeat: HashMap::new(),
        headings: Vec::new(),
        internal_links: Vec::new(),
        site_links: Vec::new(),
        external_links: Vec::new(),
        links_to_pages: false,
        problems: Vec::new(),
        open_links: Vec::new(),
        open_images: Vec::new(),
        word_count: 0,
        more_at: None,
        first_paragraph_end: None,
        depth: 0,
        footnotes: Vec::new(),
        footnote_backrefs: Vec::new(),
    };
    pass.run();
    pass.finish()
}

/// A heading's start tag, as pulldown-cmark gives it.
struct Heading<'s> {
    level: u8,
    explicit_id: Option<CowStr<'s>>,
    classes: Vec<CowStr<'s>>,
    attrs: Vec<(CowStr<'s>, Option<CowStr<'s>>)>,
}

/// How a link being written was opened.
enum OpenLink {
    /// As pulldown-cmark's tag.
    Tag,
    /// As raw HTML (external link attributes).
    Raw,
    /// Its hook writes it once its text is known; the text starts at
    /// `events[mark]`.
    Hooked {
        mark: usize,
        url: String,
        title: String,
        external: bool,
        range: Offset,
    },
}

/// An image its hook writes once its alt text, from `events[mark]`, is known.
struct OpenImage {
    mark: usize,
    url: String,
    title: String,
    /// Width and height, for the site's own image files.
    size: Option<(u32, u32)>,
    /// Smaller copies, for large photos of the site.
    responsive: Option<crate::images::Responsive>,
    range: Offset,
}

struct Pass<'s, 'o> {
    source: &'s str,
    lines: LineIndex,
    options: &'o MarkdownOptions,
    links: &'o dyn LinkResolver,
    highlighter: &'o Highlighter,
    templates: &'o dyn MarkdownTemplates,
    hooks: Hooks,
    /// The rewritten event stream.
    events: Vec<Event<'s>>,
    used_ids: HashSet<String>,
    /// The last `-n` suffix given to each heading id.
    next_repeat: HashMap<String, usize>,
    headings: Vec<TocEntry>,
    internal_links: Vec<InternalLink>,
    site_links: Vec<SiteLink>,
    external_links: Vec<SiteLink>,
    links_to_pages: bool,
    problems: Vec<Problem>,
    /// Per open link: how its end must be written.
    open_links: Vec<OpenLink>,
    /// Per open image: where its alt text starts in `events`, when a hook
    /// writes it.
    open_images: Vec<Option<OpenImage>>,
    word_count: usize,
    /// Index in `events` of the `<!-- more -->` marker.
    more_at: Option<usize>,
    /// Index in `events` just past the first top-level paragraph.
    first_paragraph_end: Option<usize>,
    depth: usize,
    /// Footnote names in the order they are first met, with how many times
    /// each was referenced: numbers and ids come from here.
    footnotes: Vec<(String, usize)>,
    /// The back-link of each footnote definition being written.
    footnote_backrefs: Vec<String>,
}

use super::events::{Offset, collect_until_end, text_of};
use super::highlight::{Fence, FenceOptions};
use crate::diagnostics::LineIndex;
use crate::render::templates::escape_markup;

impl<'s> Pass<'s, '_> {
    fn run(&mut self) {
        let extensions = if self.options.math {
            EXTENSIONS.union(Options::ENABLE_MATH)
        } else {
            EXTENSIONS
        };
        let mut parser = Parser::new_ext(self.source, extensions).into_offset_iter();
        while let Some((event, range)) = parser.next() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let inner = collect_until_end(&mut parser);
                    let heading = Heading {
                        level: level as u8,
                        explicit_id: id,
                        classes,
                        attrs,
                    };
                    self.heading(heading, inner, range);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let inner = collect_until_end(&mut parser);
                    self.code_block(kind, inner, range);
                }
                Event::Start(Tag::HtmlBlock) => {
                    let inner = collect_until_end(&mut parser);
                    self.html_block(inner);
                }
                other => self.event(other, range),
            }
        }
    }

    /// Every event but the blocks `run` takes whole (headings, code, HTML).
    fn event(&mut self, event: Event<'s>, range: Offset) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.depth += 1;
                self.link(link_type, dest_url, title, id, range);
            }
            Event::End(TagEnd::Link) => {
                self.depth -= 1;
                self.end_link();
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.depth += 1;
                self.image(link_type, dest_url, title, id, range);
            }
            Event::End(TagEnd::Image) => {
                self.depth -= 1;
                self.end_image();
            }
            Event::InlineHtml(html) | Event::Html(html) => self.inline_html(html, range),
            Event::FootnoteReference(name) => self.footnote_reference(&name),
            Event::InlineMath(tex) => self.math(&tex, false, range),
            Event::DisplayMath(tex) => self.math(&tex, true, range),
            // A labelled checkbox: screen readers say what it means.
            Event::TaskListMarker(done) => self.events.push(Event::Html(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"to do\"> "
                }
                .into(),
            )),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.depth += 1;
                self.footnote_definition(&name);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.depth -= 1;
                let back = self.footnote_backrefs.pop().unwrap_or_default();
                self.events
                    .push(Event::Html(format!("{back}</div>\n").into()));
            }
            Event::Text(text) => {
                self.word_count += text.split_whitespace().count();
                let text = self.with_emoji(text);
                self.events.push(Event::Text(text));
            }
            Event::Code(code) => {
                self.word_count += code.split_whitespace().count();
                self.events.push(Event::Code(code));
            }
            // A wrapper that scrolls a table too wide for the page on its own.
            Event::Start(tag @ Tag::Table(_)) => {
                self.depth += 1;
                self.events
                    .push(Event::Html("<div class=\"table-scroll\">".into()));
                self.events.push(Event::Start(tag));
            }
            Event::End(TagEnd::Table) => {
                self.depth -= 1;
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(tag) => {
                self.depth += 1;
                self.events.push(Event::Start(tag));
            }
            Event::End(tag) => {
                self.depth -= 1;
                self.events.push(Event::End(tag));
                if tag == TagEnd::Paragraph && self.depth == 0 && self.first_paragraph_end.is_none()
                {
                    self.first_paragraph_end = Some(self.events.len());
                }
            }
            other => self.events.push(other),
        }
    }

    /// The HTML of the events written since `mark`, taken out of the stream
    /// for a hook to wrap.
    fn take_html_since(&mut self, mark: usize) -> String {
        let events = self.events.split_off(mark);
        // A `<!-- more -->` inside the taken events ends the summary where
        // the hook's HTML will go.
        if self.more_at.is_some_and(|at| at > mark) {
            self.more_at = Some(mark);
        }
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        html
    }

    /// Renders hook `name`; a failure is an error at `range`, and `fallback`
    /// stands in its place.
    fn hook(
        &mut self,
        name: &str,
        vars: Map<String, Value>,
        range: &Offset,
        fallback: String,
    ) -> String {
        match self.templates.render_hook(name, vars) {
            Ok(html) => html.trim_matches('\n').to_string(),
            Err(problem) => {
                let (line, column) = self.lines.position(self.source, range.start);
                self.problems.push(Problem {
                    severity: Severity::Error,
                    line,
                    column,
                    message: format!("the render hook `{name}` failed: {problem}"),
                    help: Some(format!(
                        "fix templates/hooks/{name}.html; docs/templates.md lists the variables each hook receives"
                    )),
                });
                fallback
            }
        }
    }

    fn finish(mut self) -> Rendered {
        let mut html = String::with_capacity(self.source.len() * 3 / 2);
        html::push_html(&mut html, self.events.iter().cloned());
        self.problems.extend(size_problem(html.len()));
        let summary_end = self
            .more_at
            .or(self.first_paragraph_end)
            .unwrap_or(self.events.len());
        html.shrink_to_fit();
        let mut summary_html = String::new();
        html::push_html(
            &mut summary_html,
            self.events[..summary_end].iter().cloned(),
        );
        let has_more = self.events[summary_end..]
            .iter()
            .any(|event| !matches!(event, Event::SoftBreak | Event::HardBreak));
        Rendered {
            html: html.into(),
            summary_text: super::plain_text(&summary_html),
            summary_html,
            has_more,
            anchors: self.headings.iter().map(|h| h.id.clone()).collect(),
            toc: toc::nest(self.headings),
            internal_links: self.internal_links,
            site_links: self.site_links,
            external_links: self.external_links,
            links_to_pages: self.links_to_pages,
            problems: self.problems,
            word_count: self.word_count,
            image_files: Vec::new(),
            variants: Vec::new(),
        }
    }

    fn heading(&mut self, heading: Heading<'s>, inner: Vec<(Event<'s>, Offset)>, range: Offset) {
        let title = text_of(&inner, |event| match event {
            Event::Text(text) | Event::Code(text) => Some(text),
            _ => None,
        });
        let title = self.with_emoji(title.into()).to_string();
        let id = self.unique_id(heading.explicit_id.map(|id| id.to_string()), &title);
        let mark = self.events.len();
        for (event, range) in inner {
            self.event(event, range);
        }
        let text = self.take_html_since(mark);
        // Other attributes are raw HTML in all but name (`onclick=...`):
        // kept only where raw HTML is.
        let attributes: Map<String, Value> = if self.options.raw_html {
            heading
                .attrs
                .iter()
                .map(|(name, value)| {
                    let value = value.as_deref().unwrap_or_default();
                    (name.to_string(), Value::from(value))
                })
                .collect()
        } else {
            Map::new()
        };
        let classes: Vec<Value> = heading
            .classes
            .iter()
            .map(|c| Value::from(c.as_ref()))
            .collect();
        let level = heading.level;
        let fallback = format!("<h{level} id=\"{}\">{text}</h{level}>", escape_markup(&id));
        let html = if self.hooks.heading {
            let vars = Map::from_iter([
                ("level".to_string(), Value::from(level)),
                ("id".to_string(), Value::from(id.as_str())),
                ("text".to_string(), Value::from(text)),
                ("title".to_string(), Value::from(title.as_str())),
                ("classes".to_string(), Value::from(classes)),
                ("attributes".to_string(), Value::from(attributes)),
            ]);
            self.hook("heading", vars, &range, fallback)
        } else {
            fallback
        };
        self.events.push(Event::Html(format!("{html}\n").into()));
        self.headings.push(TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        });
    }

    /// An explicit id as written; otherwise the slugified title, with `-1`,
    /// `-2` added for repeats on the same page.
    fn unique_id(&mut self, explicit: Option<String>, title: &str) -> String {
        let base = explicit.unwrap_or_else(|| {
            let slug = slug::slugify(title);
            if slug.is_empty() {
                "section".to_string()
            } else {
                slug
            }
        });
        // Each base remembers its last suffix, so n repeats of one heading
        // take n steps, not n².
        let repeat = self.next_repeat.entry(base.clone()).or_insert(0);
        let mut id = base.clone();
        while self.used_ids.contains(&id) {
            *repeat += 1;
            id = format!("{base}-{repeat}");
        }
        self.used_ids.insert(id.clone());
        id
    }

    fn code_block(
        &mut self,
        kind: CodeBlockKind<'s>,
        inner: Vec<(Event<'s>, Offset)>,
        range: Offset,
    ) {
        let code = text_of(&inner, |event| match event {
            Event::Text(text) => Some(text),
            _ => None,
        });
        let (language, options) = match &kind {
            CodeBlockKind::Fenced(info) => super::highlight::parse_info(info),
            CodeBlockKind::Indented => ("", FenceOptions::default()),
        };
        if !options.unknown.is_empty() {
            self.unknown_fence_options(&options.unknown, range.clone());
        }
        let fence = super::highlight::fence(language);
        // Each line's HTML, whole, and where it ends.
        let mut body = String::with_capacity(code.len() * 3);
        let mut line_ends = Vec::new();
        let highlighted = match fence {
            Fence::Grammar(token) if !language.is_empty() => {
                self.highlighter
                    .highlight_lines_into(token, &code, &mut body, &mut line_ends)
            }
            Fence::Console => {
                self.terminal_session(&code, &mut body, &mut line_ends);
                true
            }
            _ => false,
        };
        if !highlighted {
            if matches!(fence, Fence::Grammar(_)) && !language.is_empty() {
                self.unknown_language(language, range.clone());
            }
            for line in code.split_inclusive('\n') {
                let _ = escape_html(&mut body, line);
                line_ends.push(body.len());
            }
        }
        let lines = if options.is_plain() {
            body
        } else {
            let mut lines = String::with_capacity(body.len() + line_ends.len() * 32);
            wrap_lines(&body, &line_ends, &options, &mut lines);
            lines
        };
        let fallback = plain_code_block(language, &lines);
        let html = match codeblock_hook(self.templates, language) {
            Some(hook) => {
                let vars = Map::from_iter([
                    ("language".to_string(), Value::from(language)),
                    ("code".to_string(), Value::from(code)),
                    ("html".to_string(), Value::from(lines)),
                    ("highlighted".to_string(), Value::from(highlighted)),
                    ("name".to_string(), Value::from(options.name.clone())),
                    ("linenos".to_string(), Value::from(options.linenos)),
                ]);
                self.hook(&hook, vars, &range, fallback)
            }
            None => fallback,
        };
        self.events.push(Event::Html(format!("{html}\n").into()));
    }

    /// A terminal session: each prompt line's command highlighted as shell,
    /// the prompt and the output as they are.
    fn terminal_session(&self, code: &str, block: &mut String, line_ends: &mut Vec<usize>) {
        for line in code.split_inclusive('\n') {
            match super::highlight::prompt(line) {
                Some((prompt, command)) => {
                    block.push_str("<span class=\"prompt\">");
                    let _ = escape_html(&mut *block, prompt);
                    block.push_str("</span>");
                    if !self.highlighter.highlight_into("bash", command, block) {
                        let _ = escape_html(&mut *block, command);
                    }
                }
                None => {
                    let _ = escape_html(&mut *block, line);
                }
            }
            line_ends.push(block.len());
        }
    }

    /// `text` with GitHub's emoji shortcodes (`:tada:`) as emoji, when the
    /// site asks for them; anything else between colons stays as written.
    fn with_emoji(&self, text: CowStr<'s>) -> CowStr<'s> {
        if !self.options.emoji || !text.contains(':') {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest: &str = &text;
        while let Some(start) = rest.find(':') {
            let after = &rest[start + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
                .unwrap_or(after.len());
            let emoji = after[name_len..]
                .starts_with(':')
                .then(|| emojis::get_by_shortcode(&after[..name_len]))
                .flatten()
                .filter(|_| name_len > 0);
            match emoji {
                Some(emoji) => {
                    out.push_str(&rest[..start]);
                    out.push_str(emoji.as_str());
                    rest = &after[name_len + 1..];
                }
                None => {
                    out.push_str(&rest[..=start]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out.into()
    }

    /// A formula as MathML, rendered now so pages need no script; one that
    /// cannot be read is an error at its position, shown as its source.
    fn math(&mut self, tex: &str, display: bool, range: Offset) {
        use pulldown_latex::config::DisplayMode;
        let storage = pulldown_latex::Storage::new();
        let events: Vec<_> = pulldown_latex::Parser::new(tex, &storage).collect();
        if let Some(problem) = events.iter().find_map(|event| event.as_ref().err()) {
            let (line, column) = self.lines.position(self.source, range.start);
            self.problems.push(Problem {
                severity: Severity::Error,
                line,
                column,
                message: format!(
                    "cannot read the formula `{}`: {}",
                    tex.trim(),
                    // The parser's own message; its source excerpt follows.
                    problem.to_string().lines().next().unwrap_or_default()
                ),
                help: Some("formulas are LaTeX math, e.g. $x^2$ or $$\\int_0^1 f(x)\\,dx$$; a literal dollar sign is \\$".to_string()),
            });
            let mut code = String::from("<code class=\"math-error\">");
            let _ = escape_html(&mut code, tex);
            code.push_str("</code>");
            self.events.push(Event::Html(code.into()));
            return;
        }
        let config = pulldown_latex::RenderConfig {
            display_mode: if display {
                DisplayMode::Block
            } else {
                DisplayMode::Inline
            },
            ..pulldown_latex::RenderConfig::default()
        };
        let mut mathml = String::new();
        if pulldown_latex::push_mathml(&mut mathml, events.into_iter(), config).is_err() {
            mathml.clear();
            let _ = escape_html(&mut mathml, tex);
        }
        self.events
            .push(Event::Html(escape_operator_characters(&mathml).into()));
    }

    /// A site image that is shown as it is, without smaller copies.
    fn image_warning(&mut self, url: &str, problem: &str, at: usize) {
        let (line, column) = self.lines.position(self.source, at);
        self.problems.push(Problem {
            severity: Severity::Warning,
            line,
            column,
            message: format!("image `{url}`: {problem}"),
            help: Some(
                "the image is published as it is; resize it, or open it in an editor and save it again"
                    .to_string(),
            ),
        });
    }

    fn unknown_fence_options(&mut self, unknown: &[String], range: Offset) {
        let (line, column) = self.lines.position(self.source, range.start);
        self.problems.push(Problem {
            severity: Severity::Warning,
            line,
            column,
            message: format!(
                "unknown code block option{} `{}`; it was ignored",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join("`, `")
            ),
            help: Some(
                "options: linenos, linenostart=N, hl_lines=1 3-5, hide_lines=2, name=\"file.rs\""
                    .to_string(),
            ),
        });
    }

    fn unknown_language(&mut self, language: &str, range: Offset) {
        let sample = [
            "rust", "go", "python", "js", "ts", "yaml", "sh", "json", "toml", "sql",
        ];
        let (line, column) = self.lines.position(self.source, range.start);
        self.problems.push(Problem {
            severity: Severity::Warning,
            line,
            column,
            message: format!("unknown language `{language}` in code block; shown as plain text"),
            help: Some(format!(
                "use a language name syntect knows, such as {}; or leave the fence without a language",
                sample.join(", ")
            )),
        });
    }

    /// Records `url`, written at byte `at` of the source, when it leads
    /// into the site or to another site over HTTP.
    fn note_site_link(&mut self, url: &str, at: usize) {
        let list = if SiteLink::is_into_site(url) {
            &mut self.site_links
        } else if SiteLink::is_external(url) {
            &mut self.external_links
        } else {
            return;
        };
        let (line, column) = self.lines.position(self.source, at);
        list.push(SiteLink {
            url: url.to_string(),
            line,
            column,
        });
    }

    /// The `href` and `src` values of raw HTML that starts at byte `at`.
    fn note_html_links(&mut self, html: &str, at: usize) {
        for (offset, url) in html_link_values(html) {
            self.note_site_link(url, at + offset);
        }
    }

    /// Raw HTML with each `<img>` that has no size and shows one of the
    /// site's own images given its `width` and `height` (and lazy loading
    /// unless it says otherwise), so the page keeps its space; None when
    /// nothing changes.
    fn size_raw_images(&self, html: &str) -> Option<String> {
        let lower = html.to_ascii_lowercase();
        let mut out = String::new();
        let mut copied = 0;
        let mut from = 0;
        while let Some(at) = lower[from..].find("<img") {
            let start = from + at;
            from = start + 4;
            if !lower[from..].starts_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let Some(length) = lower[start..].find('>') else {
                break;
            };
            let end = start + length;
            let tag = &lower[start..end];
            if tag.contains(" width=") || tag.contains(" height=") {
                continue;
            }
            let Some((_, src)) =
                html_link_values(&html[start..end])
                    .into_iter()
                    .find(|(offset, _)| {
                        lower[start..start + offset].ends_with("src=\"")
                            || lower[start..start + offset].ends_with("src='")
                    })
            else {
                continue;
            };
            let Some((width, height)) = self.links.image_size(src) else {
                continue;
            };
            let close = if html[..end].ends_with('/') {
                end - 1
            } else {
                end
            };
            out.push_str(&html[copied..close]);
            let close_space = if out.ends_with(' ') { "" } else { " " };
            out.push_str(&format!(
                "{close_space}width=\"{width}\" height=\"{height}\""
            ));
            if !tag.contains(" loading=") {
                out.push_str(" loading=\"lazy\" decoding=\"async\"");
            }
            copied = close;
            from = end;
        }
        if copied == 0 {
            return None;
        }
        out.push_str(&html[copied..]);
        Some(out)
    }

    /// Raw HTML blocks are kept (or escaped with `raw_html = false`); the
    /// `<!-- more -->` marker ends the summary and is not written.
    fn html_block(&mut self, inner: Vec<(Event<'s>, Offset)>) {
        let text = text_of(&inner, |event| match event {
            Event::Html(html) | Event::Text(html) => Some(html),
            _ => None,
        });
        if text.trim() == MORE_MARKER {
            if self.more_at.is_none() {
                self.more_at = Some(self.events.len());
            }
            return;
        }
        if self.options.raw_html {
            if let Some((_, range)) = inner.first() {
                self.note_html_links(&text, range.start);
            }
            let text = self.size_raw_images(&text).unwrap_or(text);
            self.events.push(Event::Html(text.into()));
        } else {
            self.events.push(Event::Start(Tag::Paragraph));
            self.events
                .push(Event::Text(text.trim_end().to_string().into()));
            self.events.push(Event::End(TagEnd::Paragraph));
        }
    }

    fn inline_html(&mut self, html: CowStr<'s>, range: Offset) {
        if html.trim() == MORE_MARKER {
            if self.more_at.is_none() {
                self.more_at = Some(self.events.len());
            }
        } else if self.options.raw_html {
            self.note_html_links(&html, range.start);
            let html = match self.size_raw_images(&html) {
                Some(sized) => sized.into(),
                None => html,
            };
            self.events.push(Event::InlineHtml(html));
        } else {
            self.events.push(Event::Text(html));
        }
    }

    fn link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'s>,
        title: CowStr<'s>,
        id: CowStr<'s>,
        range: Offset,
    ) {
        let is_external = classify(&dest_url, self.options) == Destination::External;
        let attributes = external_attributes(self.options);
        let dest_url = self.rewrite_url(dest_url, range.clone());
        if self.hooks.link {
            self.open_links.push(OpenLink::Hooked {
                mark: self.events.len(),
                url: href(&dest_url),
                title: title.to_string(),
                external: is_external,
                range,
            });
        } else if is_external && !attributes.is_empty() {
            let mut open = String::from("<a href=\"");
            let _ = escape_href(&mut open, &dest_url);
            open.push('"');
            if !title.is_empty() {
                open.push_str(" title=\"");
                let _ = escape_html(&mut open, &title);
                open.push('"');
            }
            open.push_str(&attributes);
            open.push('>');
            self.events.push(Event::Html(open.into()));
            self.open_links.push(OpenLink::Raw);
        } else {
            self.events.push(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }));
            self.open_links.push(OpenLink::Tag);
        }
    }

    /// Closes a link the way it was opened: as a tag, as raw HTML, or by
    /// its hook.
    fn end_link(&mut self) {
        match self.open_links.pop() {
            Some(OpenLink::Raw) => self.events.push(Event::Html("</a>".into())),
            Some(OpenLink::Hooked {
                mark,
                url,
                title,
                external,
                range,
            }) => {
                let text = self.take_html_since(mark);
                let fallback = format!("<a href=\"{}\">{text}</a>", escape_markup(&url));
                let vars = Map::from_iter([
                    ("url".to_string(), Value::from(url)),
                    ("title".to_string(), Value::from(title)),
                    ("text".to_string(), Value::from(text)),
                    ("external".to_string(), Value::from(external)),
                ]);
                let html = self.hook("link", vars, &range, fallback);
                self.events.push(Event::InlineHtml(html.into()));
            }
            Some(OpenLink::Tag) | None => self.events.push(Event::End(TagEnd::Link)),
        }
    }

    /// The number of footnote `name`, and how often it was referenced.
    fn footnote(&mut self, name: &str) -> (usize, &mut usize) {
        let at = match self.footnotes.iter().position(|(known, _)| known == name) {
            Some(at) => at,
            None => {
                self.footnotes.push((name.to_string(), 0));
                self.footnotes.len() - 1
            }
        };
        (at + 1, &mut self.footnotes[at].1)
    }

    /// A reference `[^name]`: ids from the footnote's number with a colon
    /// (`fn:1`, `fnref:1`), which no heading id has, so a footnote never
    /// takes a heading's id; each reference has its own id for the
    /// definition to link back to.
    fn footnote_reference(&mut self, name: &str) {
        let (number, references) = self.footnote(name);
        *references += 1;
        let back_id = match *references {
            1 => format!("fnref:{number}"),
            nth => format!("fnref:{number}-{nth}"),
        };
        self.events.push(Event::Html(
            format!(
                "<sup class=\"footnote-reference\" id=\"{back_id}\"><a href=\"#fn:{number}\">{number}</a></sup>"
            )
            .into(),
        ));
    }

    fn footnote_definition(&mut self, name: &str) {
        let (number, references) = self.footnote(name);
        let back = if *references > 0 {
            format!(
                " <a class=\"footnote-backref\" href=\"#fnref:{number}\" aria-label=\"Back to reference {number}\">↩</a>"
            )
        } else {
            String::new()
        };
        self.footnote_backrefs.push(back);
        self.events.push(Event::Html(
            format!(
                "<div class=\"footnote-definition\" id=\"fn:{number}\"><sup class=\"footnote-definition-label\">{number}</sup>\n"
            )
            .into(),
        ));
    }

    fn image(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'s>,
        title: CowStr<'s>,
        id: CowStr<'s>,
        range: Offset,
    ) {
        let size = self.links.image_size(&dest_url);
        let written = dest_url.clone();
        let dest_url = self.rewrite_url(dest_url, range.clone());
        if self.hooks.image {
            let url = href(&dest_url);
            let responsive = match self.links.responsive_image(&written, &url) {
                Ok(responsive) => responsive,
                Err(problem) => {
                    self.image_warning(&written, &problem, range.start);
                    None
                }
            };
            self.open_images.push(Some(OpenImage {
                mark: self.events.len(),
                url,
                title: title.to_string(),
                size,
                responsive,
                range,
            }));
        } else {
            self.open_images.push(None);
            self.events.push(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }));
        }
    }

    /// Closes an image: its end tag, or its hook's HTML with the alt text.
    fn end_image(&mut self) {
        let Some(Some(image)) = self.open_images.pop() else {
            self.events.push(Event::End(TagEnd::Image));
            return;
        };
        let alt: String = self
            .events
            .split_off(image.mark)
            .iter()
            .filter_map(|event| match event {
                Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        let fallback = format!(
            "<img src=\"{}\" alt=\"{}\">",
            escape_markup(&image.url),
            escape_markup(&alt)
        );
        let vars = Map::from_iter([
            ("url".to_string(), Value::from(image.url)),
            ("alt".to_string(), Value::from(alt)),
            ("title".to_string(), Value::from(image.title)),
            ("width".to_string(), Value::from(image.size.map(|s| s.0))),
            ("height".to_string(), Value::from(image.size.map(|s| s.1))),
            (
                "srcset".to_string(),
                Value::from(image.responsive.as_ref().map(|r| r.srcset.clone())),
            ),
            (
                "sources".to_string(),
                serde_json::to_value(image.responsive.map(|r| r.sources)).unwrap_or_default(),
            ),
        ]);
        let html = self.hook("image", vars, &image.range, fallback);
        self.events.push(Event::InlineHtml(html.into()));
    }

    /// Resolves `@/` links and puts the base path in front of site-absolute URLs.
    /// A URL with a scheme that could run script is dropped (the link or
    /// image keeps its text) with a warning at its position.
    fn rewrite_url(&mut self, url: CowStr<'s>, range: Offset) -> CowStr<'s> {
        // Point at the URL itself where the source spells it out.
        let written = self
            .source
            .get(range.clone())
            .and_then(|text| text.find(url.as_ref()));
        self.note_site_link(&url, range.start + written.unwrap_or(0));
        if let Some(scheme) = crate::url_safety::unsafe_scheme(&url) {
            let (line, column) = self.lines.position(self.source, range.start);
            self.problems.push(Problem {
                severity: Severity::Warning,
                line,
                column,
                message: format!(
                    "{}; it was left out",
                    crate::url_safety::refusal(&url, &scheme)
                ),
                help: Some(crate::url_safety::HELP.to_string()),
            });
            return CowStr::Borrowed("");
        }
        match classify(&url, self.options) {
            Destination::Internal { target, anchor } => {
                self.links_to_pages = true;
                let (line, column) = self.lines.position(self.source, range.start);
                match self.links.resolve(target) {
                    Some(resolved) => {
                        self.internal_links.push(InternalLink {
                            target: target.to_string(),
                            anchor: anchor.map(str::to_string),
                            line,
                            column,
                        });
                        match anchor {
                            Some(anchor) => format!("{resolved}#{anchor}").into(),
                            None => resolved.into(),
                        }
                    }
                    None => {
                        self.problems.push(Problem {
                            severity: Severity::Error,
                            line,
                            column,
                            message: format!("link to `@/{target}` does not match any page"),
                            help: Some(
                                "an @/ link names a file under content/, e.g. @/posts/2024-03-22-kubecon.md"
                                    .to_string(),
                            ),
                        });
                        url
                    }
                }
            }
            Destination::SiteAbsolute if !self.options.base_path.is_empty() => {
                format!("{}{url}", self.options.base_path).into()
            }
            _ => url,
        }
    }
}

/// Each `href="..."` and `src="..."` value in `html`, with its byte offset.
fn html_link_values(html: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attribute in ["href=", "src="] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(attribute) {
            let start = from + at + attribute.len();
            from = start;
            let preceded_by_space = lower[..from - attribute.len()]
                .chars()
                .last()
                .is_some_and(char::is_whitespace);
            let Some(quote) = html[start..]
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
            else {
                continue;
            };
            let value_start = start + 1;
            let Some(length) = html[value_start..].find(quote) else {
                continue;
            };
            if preceded_by_space {
                found.push((value_start, &html[value_start..value_start + length]));
            }
        }
    }
    found
}

/// A URL as an `href` holds it: percent-encoded where HTML needs it
/// (spaces, non-ASCII), not yet escaped for HTML (templates do that).
fn href(url: &str) -> String {
    let mut encoded = String::with_capacity(url.len());
    let _ = escape_href(&mut encoded, url);
    encoded.replace("&#x27;", "'").replace("&amp;", "&")
}

/// pulldown-cmark's HTML of a code block, for a text without a theme.
fn plain_code_block(language: &str, lines: &str) -> String {
    if language.is_empty() {
        format!("<pre><code>{lines}</code></pre>")
    } else {
        format!(
            "<pre><code class=\"language-{}\">{lines}</code></pre>",
            escape_markup(language)
        )
    }
}

/// The lines of a code block with their numbers and marks: each line's
/// HTML (`body[start..end]`, whole) in a `line` span, its trailing newline
/// outside it so a marked line's background spans one line.
fn wrap_lines(body: &str, line_ends: &[usize], options: &FenceOptions, out: &mut String) {
    let in_any = |ranges: &[std::ops::RangeInclusive<usize>], line: usize| {
        ranges.iter().any(|range| range.contains(&line))
    };
    let mut start = 0;
    for (index, &end) in line_ends.iter().enumerate() {
        let line = index + 1;
        let html = &body[start..end];
        start = end;
        if in_any(&options.hide_lines, line) {
            continue;
        }
        let (html, newline) = split_trailing_newline(html);
        out.push_str(if in_any(&options.hl_lines, line) {
            "<mark class=\"line hl\">"
        } else {
            "<span class=\"line\">"
        });
        if options.linenos {
            let number = options.linenostart + index;
            out.push_str(&format!(
                "<span class=\"ln\" aria-hidden=\"true\">{number}</span>"
            ));
        }
        out.push_str(&html);
        out.push_str(if in_any(&options.hl_lines, line) {
            "</mark>"
        } else {
            "</span>"
        });
        if newline {
            out.push('\n');
        }
    }
}

/// A line's HTML without its final newline (which may sit inside the last
/// token's closing tags), and whether it had one.
fn split_trailing_newline(html: &str) -> (std::borrow::Cow<'_, str>, bool) {
    let Some(at) = html.rfind('\n') else {
        return (html.into(), false);
    };
    let after = &html[at + 1..];
    let only_closing_tags = after.split("</span>").all(str::is_empty);
    if only_closing_tags {
        (format!("{}{after}", &html[..at]).into(), true)
    } else {
        (html.into(), false)
    }
}

/// pulldown-latex writes an operator or relation of one character as it
/// is (`<mo><</mo>` for `a<b`), which is not valid HTML; those three
/// characters are escaped. Its text content is escaped already.
fn escape_operator_characters(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(at) = rest.find('>') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let mut chars = rest.chars();
        let (Some(c), tail) = (chars.next(), chars.as_str()) else {
            break;
        };
        let tail_after_negation = tail.strip_prefix('\u{0338}').unwrap_or(tail);
        let entity = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            _ => continue,
        };
        if tail_after_negation.starts_with("</") {
            out.push_str(entity);
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// An error when one text renders to more HTML than a page may hold.
fn size_problem(html_bytes: usize) -> Option<Problem> {
    (html_bytes > MAX_HTML_BYTES).then(|| Problem {
        severity: Severity::Error,
        line: 1,
        column: 1,
        message: format!(
            "this text renders to {} MiB of HTML; one page may hold at most {} MiB",
            html_bytes >> 20,
            MAX_HTML_BYTES >> 20
        ),
        help: Some("split it into several posts or pages".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_over_the_size_limit_is_an_error() {
        assert!(size_problem(MAX_HTML_BYTES).is_none());
        let problem = size_problem(133 << 20).unwrap();
        assert_eq!(problem.severity, Severity::Error);
        assert!(problem.message.contains("133 MiB"), "{}", problem.message);
    }
}
