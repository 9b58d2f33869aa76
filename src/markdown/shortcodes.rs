//! Shortcodes (docs/content.md): `{{ name(arg=value, ...) }}` and
//! `{% name(...) %}body{% end %}` outside code, for names the site knows.
//! Each is rendered by its template and stands in the Markdown as a
//! placeholder until the HTML is written, so Markdown never touches it.
//! Text that only looks like a shortcode (in code, or naming no known
//! shortcode, such as `{{ .Values.image }}`) stays exactly as written.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use super::{MarkdownTemplates, Problem, Severity};

/// Marks a placeholder; a private-use character no one types.
const MARK: char = '\u{F8FF}';
/// Marks the placeholder of text that only looks like a shortcode: it is
/// put back as written, inside its paragraph.
const VERBATIM: char = '\u{F8FE}';
/// The longest lookalike (`{{ ... }}`) kept from Markdown's smart quotes.
const MAX_LOOKALIKE_BYTES: usize = 1024;

pub(super) struct Expanded {
    /// The source with each shortcode replaced by a placeholder (with the
    /// same number of line breaks, so line numbers stay right).
    pub text: String,
    /// The HTML of each shortcode, by placeholder number.
    pub pieces: Vec<String>,
    pub problems: Vec<Problem>,
    /// The URLs given in URL arguments (`src`, `href`, ...), as written,
    /// with the line and column of their shortcode: links for `recap
    /// check`, like the Markdown's own.
    pub links: Vec<(String, usize, usize)>,
}

/// Replaces known shortcodes outside code by placeholders.
pub(super) fn expand(
    source: &str,
    templates: &dyn MarkdownTemplates,
    base_path: &str,
) -> Option<Expanded> {
    if !source.contains("{{") && !source.contains("{%") {
        return None;
    }
    let code = code_ranges(source);
    let mut expanded = Expanded {
        text: String::with_capacity(source.len()),
        pieces: Vec::new(),
        problems: Vec::new(),
        links: Vec::new(),
    };
    let mut copied = 0;
    let mut search = 0;
    let lines = crate::diagnostics::LineIndex::new(source);
    let mut openings = Openings::default();
    while let Some(found) = openings.next(source, search) {
        search = found + 2;
        // Code ranges are sorted and disjoint: the one that could hold
        // `found` is the last to start at or before it.
        let in_code = code
            .partition_point(|range| range.start <= found)
            .checked_sub(1)
            .is_some_and(|at| code[at].contains(&found));
        if in_code {
            continue;
        }
        // Unknown names are skipped before their arguments and body are
        // looked for, so lookalikes cost nothing however many there are.
        if !call_name(source, found).is_some_and(|name| templates.has_shortcode(name)) {
            // Left exactly as written: quotes and dashes in it must not
            // become typographic ones.
            if let Some(end) = lookalike_end(source, found) {
                let written = &source[found..end];
                expanded.text.push_str(&source[copied..found]);
                expanded
                    .text
                    .push_str(&format!("{VERBATIM}{}{VERBATIM}", expanded.pieces.len()));
                expanded
                    .text
                    .push_str(&"\n".repeat(written.matches('\n').count()));
                expanded
                    .pieces
                    .push(crate::render::templates::escape_markup(written));
                copied = end;
                search = end;
            }
            continue;
        }
        let Some(call) = parse_call(source, found) else {
            continue;
        };
        let (line, column) = lines.position(source, found);
        if call.unclosed {
            expanded.problems.push(Problem {
                severity: Severity::Error,
                line,
                column,
                message: format!("the block shortcode `{}` is never closed", call.name),
                help: Some(format!(
                    "end its body with {{% end %}}, or write {{{{ {}(...) }}}} for the form without a body",
                    call.name
                )),
            });
            break;
        }
        let html = parse_args(call.args, base_path).and_then(|(args, urls)| {
            let linked = urls.into_iter().map(|url| (url, line, column));
            expanded.links.extend(linked);
            templates
                .render_shortcode(call.name, &args, call.body)
                .map_err(|problem| (problem, ARGUMENTS_HELP))
        });
        let piece = match html {
            Ok(html) => html,
            Err((problem, help)) => {
                expanded.problems.push(Problem {
                    severity: Severity::Error,
                    line,
                    column,
                    message: format!("shortcode `{}`: {problem}", call.name),
                    help: Some(help.to_string()),
                });
                String::new()
            }
        };
        expanded.text.push_str(&source[copied..found]);
        let newlines = source[found..call.end].matches('\n').count();
        expanded
            .text
            .push_str(&format!("{MARK}{}{MARK}", expanded.pieces.len()));
        expanded.text.push_str(&"\n".repeat(newlines));
        expanded.pieces.push(piece);
        copied = call.end;
        search = call.end;
    }
    expanded.text.push_str(&source[copied..]);
    Some(expanded)
}

/// Puts each shortcode's HTML where its placeholder ended up, in one pass.
/// A placeholder alone in a paragraph replaces the paragraph.
pub(super) fn fill(html: &str, pieces: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + pieces.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find([MARK, VERBATIM]) {
        let mark = rest[start..].chars().next().unwrap_or(MARK);
        let after = &rest[start + mark.len_utf8()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let piece = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|number| pieces.get(number))
            .filter(|_| after[digits..].starts_with(mark));
        let Some(piece) = piece else {
            out.push_str(&rest[..start + mark.len_utf8()]);
            rest = after;
            continue;
        };
        let tail = &after[digits + mark.len_utf8()..];
        let before = &rest[..start];
        let alone = (before.strip_suffix("<p>"), tail.strip_prefix("</p>\n"));
        match alone {
            (Some(before), Some(tail)) if mark == MARK => {
                out.push_str(before);
                out.push_str(piece);
                out.push('\n');
                rest = tail;
            }
            _ => {
                out.push_str(before);
                out.push_str(piece);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The end of a `{{ ... }}` or `{% ... %}` at `start` that Markdown's
/// smart punctuation would change (it holds a quote or a dash pair), on
/// its own lines of text; None for anything else, which is left to
/// Markdown as it is.
fn lookalike_end(source: &str, start: usize) -> Option<usize> {
    let close = if source[start..].starts_with("{%") {
        "%}"
    } else {
        "}}"
    };
    let mut limit = (start + MAX_LOOKALIKE_BYTES).min(source.len());
    while !source.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &source[start..limit];
    let end = window.find(close)? + close.len();
    let written = &window[..end];
    let changed_by_smart_quotes =
        written.contains(['"', '\'']) || written.contains("--") || written.contains("...");
    (changed_by_smart_quotes && !written.contains("\n\n")).then_some(start + end)
}

/// Finds `{{` and `{%` at or after increasing offsets. Each kind's next
/// position is kept until passed, so a page with thousands of one kind and
/// none of the other is searched once, not once per shortcode.
#[derive(Default)]
struct Openings {
    braces: Option<Option<usize>>,
    percent: Option<Option<usize>>,
}

impl Openings {
    fn next(&mut self, source: &str, from: usize) -> Option<usize> {
        let braces = next_of(&mut self.braces, source, from, "{{");
        let percent = next_of(&mut self.percent, source, from, "{%");
        match (braces, percent) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The cached position of `needle` at or after `from`, searched again only
/// when the cached one lies before `from`.
fn next_of(
    cached: &mut Option<Option<usize>>,
    source: &str,
    from: usize,
    needle: &str,
) -> Option<usize> {
    match *cached {
        Some(None) => return None,
        Some(Some(at)) if at >= from => return Some(at),
        _ => {}
    }
    let found = source
        .get(from..)
        .and_then(|rest| memchr::memmem::find(rest.as_bytes(), needle.as_bytes()))
        .map(|at| from + at);
    *cached = Some(found);
    found
}

struct Call<'s> {
    name: &'s str,
    args: &'s str,
    body: Option<&'s str>,
    /// Byte just past the shortcode (past `{% end %}` for the block form).
    end: usize,
    /// A block form with no `{% end %}` after it.
    unclosed: bool,
}

/// The name after the `{{` or `{%` at `start`, and where it ends.
fn name_at(source: &str, start: usize) -> Option<(&str, usize)> {
    let index = start + 2 + leading_space(&source[start + 2..]);
    let name_len = source[index..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(source.len() - index);
    (name_len > 0).then(|| (&source[index..index + name_len], index + name_len))
}

fn call_name(source: &str, start: usize) -> Option<&str> {
    name_at(source, start).map(|(name, _)| name)
}

/// `{{ name(args) }}` or `{% name(args) %}body{% end %}` starting at `start`.
fn parse_call(source: &str, start: usize) -> Option<Call<'_>> {
    let block = source[start..].starts_with("{%");
    let close = if block { "%}" } else { "}}" };
    let (name, mut index) = name_at(source, start)?;
    if !source[index..].starts_with('(') {
        return None;
    }
    let args_end = matching_paren(source, index)?;
    let args = &source[index + 1..args_end];
    index = args_end + 1;
    index += leading_space(&source[index..]);
    if !source[index..].starts_with(close) {
        return None;
    }
    index += close.len();
    if !block {
        return Some(Call {
            name,
            args,
            body: None,
            end: index,
            unclosed: false,
        });
    }
    let body_start = index;
    let Some((body_end, end)) = find_end_tag(source, body_start) else {
        return Some(Call {
            name,
            args,
            body: None,
            end: index,
            unclosed: true,
        });
    };
    Some(Call {
        name,
        args,
        body: Some(source[body_start..body_end].trim_matches('\n')),
        end,
        unclosed: false,
    })
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// The longest argument list looked through for its `)`: a `{{ name(`
/// left open must not make every later one scan the rest of the page.
const MAX_ARGS_BYTES: usize = 4 * 1024;

/// The `)` closing the `(` at `open`, skipping quoted strings and brackets.
fn matching_paren(source: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut after_newline = false;
    for (offset, c) in source[open..].char_indices() {
        // Arguments never span a blank line: an open call ends there.
        if offset > MAX_ARGS_BYTES || (c == '\n' && after_newline) {
            return None;
        }
        if c != '\r' {
            after_newline = c == '\n';
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        // Nor another shortcode's opening: each open call then reads only
        // up to the next one.
        let next = source.as_bytes().get(open + offset + 1);
        if c == '{' && matches!(next, Some(b'{' | b'%')) {
            return None;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (c == ')').then_some(open + offset);
                }
            }
            _ => {}
        }
    }
    None
}

/// `{% end %}` after `from`: (where the body ends, where the tag ends).
fn find_end_tag(source: &str, from: usize) -> Option<(usize, usize)> {
    let mut search = from;
    while let Some(found) = source[search..].find("{%") {
        let start = search + found;
        let inner = &source[start + 2..];
        let trimmed = inner.trim_start_matches([' ', '\t']);
        if let Some(after) = trimmed.strip_prefix("end") {
            let after_end = after.trim_start_matches([' ', '\t']);
            if let Some(rest) = after_end.strip_prefix("%}") {
                return Some((start, source.len() - rest.len()));
            }
        }
        search = start + 2;
    }
    None
}

/// Arguments as a TOML inline table: strings ("..." or '...'), numbers,
/// booleans and arrays, exactly the shortcode argument syntax.
/// What arguments look like, for messages.
const ARGUMENTS_HELP: &str =
    "arguments look like name=\"text\", start=30, autoplay=false, speakers=[\"A\", \"B\"]";

/// What is wrong with a shortcode's arguments, and the help to show.
type ArgumentProblem = (String, &'static str);

/// The arguments, with the URLs of its URL arguments as written (before
/// the base path); or what is wrong with them and the help to show.
fn parse_args(
    args: &str,
    base_path: &str,
) -> Result<(Map<String, Value>, Vec<String>), ArgumentProblem> {
    let table: toml::Table = toml::from_str(&format!("args = {{ {} }}", args.replace('\n', " ")))
        .map_err(|err| {
        let problem = format!(
            "cannot read the arguments `{}`: {}",
            args.trim(),
            err.message()
        );
        (problem, ARGUMENTS_HELP)
    })?;
    let value =
        serde_json::to_value(&table["args"]).map_err(|err| (err.to_string(), ARGUMENTS_HELP))?;
    let Value::Object(mut map) = value else {
        return Err(("arguments must be name=value pairs".into(), ARGUMENTS_HELP));
    };
    let mut urls = Vec::new();
    for (name, value) in &map {
        if is_url_argument(name) {
            check_url_argument(name, value)
                .map_err(|problem| (problem, crate::url_safety::HELP))?;
            urls.extend(strings_of(value));
        }
    }
    for value in map.values_mut() {
        prefix_site_paths(value, base_path);
    }
    Ok((map, urls))
}

/// The text of a string argument, or of each string in a list.
fn strings_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(strings_of).collect(),
        _ => Vec::new(),
    }
}

/// Arguments whose names say they hold a URL (`src`, `video`, `slides`,
/// `href`, `url`, `link`, `image`, and any ending in `_url`, `_src`,
/// `_href`): templates put them in `href` and `src`.
fn is_url_argument(name: &str) -> bool {
    const NAMES: [&str; 10] = [
        "src", "href", "url", "link", "video", "slides", "image", "poster", "avatar", "website",
    ];
    NAMES.contains(&name)
        || ["_url", "_src", "_href", "_link"]
            .iter()
            .any(|end| name.ends_with(end))
}

fn check_url_argument(name: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::String(url) => match crate::url_safety::unsafe_scheme(url) {
            Some(scheme) => Err(format!(
                "argument `{name}`: {}",
                crate::url_safety::refusal(url, &scheme)
            )),
            None => Ok(()),
        },
        Value::Array(items) => items
            .iter()
            .try_for_each(|item| check_url_argument(name, item)),
        _ => Ok(()),
    }
}

/// A site-absolute path in an argument gets the base path, like every
/// site-absolute URL of the site.
fn prefix_site_paths(value: &mut Value, base_path: &str) {
    match value {
        Value::String(text) if text.starts_with('/') && !text.starts_with("//") => {
            *text = format!("{base_path}{text}");
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| prefix_site_paths(item, base_path)),
        _ => {}
    }
}

/// Byte ranges of inline code and code blocks, where nothing is a shortcode.
fn code_ranges(source: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(source, super::render::EXTENSIONS).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known;

    impl MarkdownTemplates for Known {
        fn has_shortcode(&self, name: &str) -> bool {
            name == "youtube" || name == "note"
        }

        fn render_shortcode(
            &self,
            name: &str,
            args: &Map<String, Value>,
            body: Option<&str>,
        ) -> Result<String, String> {
            match name {
                "youtube" => {
                    let id = args
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or("`id` is required")?;
                    Ok(format!("<iframe data-id=\"{id}\"></iframe>"))
                }
                _ => Ok(format!("<aside>{}</aside>", body.unwrap_or(""))),
            }
        }
    }

    #[test]
    fn expands_known_shortcodes_and_keeps_lines() {
        let source = "Intro.\n\n{{ youtube(id=\"abc\", start=30) }}\n\n{% note(kind='tip') %}\nBe kind.\n{% end %}\n\nEnd.\n";
        let expanded = expand(source, &Known, "").unwrap();
        assert_eq!(expanded.pieces[0], "<iframe data-id=\"abc\"></iframe>");
        assert_eq!(expanded.pieces[1], "<aside>Be kind.</aside>");
        assert_eq!(
            expanded.text.matches('\n').count(),
            source.matches('\n').count()
        );
        assert!(expanded.problems.is_empty());
    }

    #[test]
    fn leaves_lookalikes_byte_for_byte() {
        let source = "Helm: `{{ .Values.image }}` and {{ unknown(x=1) }} and\n\n```yaml\nimage: {{ youtube(id=\"x\") }}\nrun: ${{ github.sha }}\n```\n\n{% raw %}{{ x }}{% endraw %}\n";
        let expanded = expand(source, &Known, "").unwrap();
        assert_eq!(expanded.text, source);
        assert!(expanded.pieces.is_empty());
    }

    #[test]
    fn bad_arguments_are_errors_with_a_line() {
        let expanded = expand("a\n\n{{ youtube(id=abc) }}\n", &Known, "").unwrap();
        assert_eq!(expanded.problems.len(), 1);
        assert_eq!(expanded.problems[0].line, 3);
        let missing = expand("{{ youtube(start=3) }}", &Known, "").unwrap();
        assert!(missing.problems[0].message.contains("`id` is required"));
    }

    #[test]
    fn lookalikes_with_quotes_come_back_as_written() {
        let source = "Embed {{ tweet(id=\"1\") }} and {% if x == 'a' %}.\n";
        let expanded = expand(source, &Known, "").unwrap();
        let html = fill(
            &format!("<p>{}</p>\n", expanded.text.trim_end()),
            &expanded.pieces,
        );
        assert_eq!(
            html,
            "<p>Embed {{ tweet(id=&quot;1&quot;) }} and {% if x == &#39;a&#39; %}.</p>\n"
        );
        let alone = expand("{{ tweet(id=\"1\") }}\n", &Known, "").unwrap();
        let html = fill(
            &format!("<p>{}</p>\n", alone.text.trim_end()),
            &alone.pieces,
        );
        assert_eq!(html, "<p>{{ tweet(id=&quot;1&quot;) }}</p>\n");
    }

    #[test]
    fn site_paths_in_arguments_get_the_base_path() {
        let (args, urls) = parse_args(
            "src=\"/img/a.png\", other=\"//cdn/x\", n=2, list=[\"/a\"]",
            "/team",
        )
        .unwrap();
        assert_eq!(urls, ["/img/a.png"], "as written, URL arguments only");
        assert_eq!(args["src"], "/team/img/a.png");
        assert_eq!(args["other"], "//cdn/x");
        assert_eq!(args["n"], 2);
        assert_eq!(args["list"][0], "/team/a");
    }

    #[test]
    fn an_unclosed_block_is_an_error_at_its_line() {
        let expanded = expand("a\n\n{% note() %}\nnever closed\n", &Known, "").unwrap();
        assert_eq!(expanded.problems.len(), 1);
        assert_eq!(expanded.problems[0].line, 3);
        assert!(expanded.problems[0].message.contains("never closed"));
    }

    #[test]
    fn positions_count_on_across_shortcodes() {
        let source = "{{ youtube() }}\nxé {{ youtube() }}\n\n  {{ youtube() }}";
        let expanded = expand(source, &Known, "").unwrap();
        let at: Vec<(usize, usize)> = expanded
            .problems
            .iter()
            .map(|p| (p.line, p.column))
            .collect();
        assert_eq!(at, [(1, 1), (2, 4), (4, 3)]);
    }

    /// Pieces of shortcode syntax, whole and broken, so that random texts
    /// spell known calls, open ones, nested ones and lookalikes often.
    fn shortcode_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("{{ youtube(id=\"x\") }}"),
            Just("{{ youtube(id=\"a\", start=3) }}"),
            Just("{{ youtube(id="),
            Just("{% note(kind='tip') %}"),
            Just("{% note() %}"),
            Just("{% end %}"),
            Just("{{ tweet(id=\"1\") }}"),
            Just("{{ .Values.x }}"),
            Just("{{"),
            Just("}}"),
            Just("{%"),
            Just("%}"),
            Just("("),
            Just(")"),
            Just("\""),
            Just("'"),
            Just("`"),
            Just("```\n"),
            Just("\n"),
            Just("\n\n"),
            Just("text é "),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn expansion_keeps_lines_and_unknown_text(source in shortcode_text()) {
            if let Some(expanded) = expand(&source, &Known, "") {
                proptest::prop_assert_eq!(
                    expanded.text.matches('\n').count(),
                    source.matches('\n').count()
                );
                let untouched_by_smart_quotes = !source.contains(['"', '\'']);
                if !source.contains("youtube") && !source.contains("note") && untouched_by_smart_quotes {
                    proptest::prop_assert_eq!(&expanded.text, &source);
                }
                let html = fill(&expanded.text, &expanded.pieces);
                proptest::prop_assert!(!html.contains(MARK));
            }
        }
    }

    #[test]
    fn fill_replaces_paragraph_placeholders() {
        let html = format!("<p>{MARK}0{MARK}</p>\n<p>a {MARK}1{MARK} b</p>\n");
        let out = fill(&html, &["<div>x</div>".into(), "<b>y</b>".into()]);
        assert_eq!(out, "<div>x</div>\n<p>a <b>y</b> b</p>\n");
    }
}
