//! Turning a Hugo post body (Markdown with Hugo shortcodes) into recap
//! Markdown. Shortcodes with a recap equivalent are converted (`youtube`,
//! `vimeo`, `figure`, `gist`, `highlight`, `ref`/`relref`, `x`/`tweet`,
//! `instagram`), in both the `{{< >}}` and the `{{% %}}` form; any other
//! is left as written and reported with its line. Escaped shortcodes
//! (`{{</* name */>}}`, written to show a shortcode) become the text they
//! show, and `<!--more-->` becomes recap's summary marker.

use std::fmt::Write as _;

/// What the conversion did to one body.
#[derive(Debug, Default)]
pub(super) struct Converted {
    pub text: String,
    /// Kinds of changes made, e.g. "youtube shortcodes converted".
    pub changes: Vec<&'static str>,
    /// (1-based line in the body, text) left for a human.
    pub left: Vec<(usize, String)>,
    /// (1-based line, text) converted with some loss, worth a look.
    pub review: Vec<(usize, String)>,
}

/// One `{{< name args >}}` or `{{% name args %}}` in the body.
#[derive(Debug)]
struct Shortcode<'a> {
    /// Byte range of the whole tag.
    start: usize,
    end: usize,
    name: &'a str,
    closing: bool,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Shortcode<'_> {
    fn arg(&self, name: &str, position: usize) -> Option<&str> {
        self.named
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .or_else(|| self.positional.get(position).map(String::as_str))
            .filter(|value| !value.is_empty())
    }

    fn named(&self, name: &str) -> Option<&str> {
        self.arg(name, usize::MAX)
    }
}

/// `resolve_ref` maps a `ref`/`relref` target ("posts/kubecon.md#day-two")
/// to a recap `@/` path.
pub(super) fn convert(body: &str, resolve_ref: &dyn Fn(&str) -> Option<String>) -> Converted {
    convert_nested(body, resolve_ref, 0)
}

/// Shortcodes inside shortcodes deeper than this are left as written: a
/// hostile file nesting thousands would exhaust the stack.
const MAX_DEPTH: usize = 16;

fn convert_nested(
    body: &str,
    resolve_ref: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Converted {
    let mut out = Converted::default();
    if depth > MAX_DEPTH {
        out.text = body.to_string();
        out.left.push((
            1,
            format!("shortcodes nested more than {MAX_DEPTH} deep, left as written"),
        ));
        return out;
    }
    let code = fenced_code_ranges(body);
    let in_code = |at: usize| code.iter().any(|range| range.contains(&at));
    let mut text = String::with_capacity(body.len());
    let mut at = 0;
    while let Some(found) = find_tag_start(body, at) {
        text.push_str(&body[at..found]);
        // `{{</* name */>}}`: a shortcode shown, not run, in code or not.
        if let Some((shown, end)) = escaped(body, found) {
            text.push_str(&shown);
            out.changes
                .push("escaped shortcodes written as the text they show");
            at = end;
            continue;
        }
        let Some(tag) = parse_tag(body, found) else {
            text.push_str(&body[found..found + 3]);
            at = found + 3;
            continue;
        };
        if in_code(found) {
            text.push_str(&body[tag.start..tag.end]);
            at = tag.end;
            continue;
        }
        at = convert_tag(body, &tag, &mut text, &mut out, resolve_ref, depth);
    }
    text.push_str(&body[at..]);
    out.text = more_marker(&text, &mut out.changes);
    out.changes.dedup();
    out
}

/// Writes what `tag` becomes into `text`; returns where the body goes on.
fn convert_tag(
    body: &str,
    tag: &Shortcode,
    text: &mut String,
    out: &mut Converted,
    resolve_ref: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> usize {
    let line = line_of(body, tag.start);
    let written = &body[tag.start..tag.end];
    let converted = match tag.name {
        "youtube" | "vimeo" => tag.arg("id", 0).map(|id| {
            let mut call = format!("{{{{ {}(id={}", tag.name, quote(id));
            if let Some(title) = tag.named("title") {
                let _ = write!(call, ", title={}", quote(title));
            }
            call.push_str(") }}");
            (call, "video shortcodes converted")
        }),
        "figure" => tag
            .named("src")
            .map(|src| (figure(tag, src), "figure shortcodes converted")),
        "gist" => match (tag.arg("user", 0), tag.arg("id", 1)) {
            (Some(user), Some(id)) => {
                let mut call = format!(
                    "{{{{ gist(url={}",
                    quote(&format!("https://gist.github.com/{user}/{id}"))
                );
                if let Some(file) = tag.arg("file", 2) {
                    let _ = write!(call, ", file={}", quote(file));
                }
                call.push_str(") }}");
                Some((call, "gist shortcodes converted"))
            }
            _ => None,
        },
        "x" | "tweet" | "twitter" => tag.arg("id", 0).map(|id| {
            let link = match tag.named("user") {
                Some(user) => format!("[A post by @{user} on X](https://x.com/{user}/status/{id})"),
                None => format!("[A post on X](https://x.com/i/status/{id})"),
            };
            (link, "X (Twitter) shortcodes turned into links")
        }),
        "instagram" => tag.arg("id", 0).map(|id| {
            (
                format!("[A post on Instagram](https://www.instagram.com/p/{id}/)"),
                "Instagram shortcodes turned into links",
            )
        }),
        "ref" | "relref" => tag
            .arg("path", 0)
            .and_then(resolve_ref)
            .map(|path| (path, "ref and relref links turned into @/ links")),
        "notice" | "alert" | "callout" | "admonition" | "hint" | "note" | "tip" | "warning"
            if !tag.closing =>
        {
            if let Some((inner_text, end)) = paired_body(body, tag) {
                let offset = lines_before(body, inner_text);
                let inner = convert_nested(inner_text, resolve_ref, depth + 1);
                text.push_str(&alert(tag, &inner.text));
                out.changes
                    .push("notice shortcodes turned into alerts (> [!NOTE])");
                absorb(out, inner, offset);
                return end;
            }
            None
        }
        "highlight" if !tag.closing => {
            if let Some((fence, end)) = highlight_block(body, tag) {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&fence);
                out.changes
                    .push("highlight shortcodes turned into code fences");
                return end;
            }
            None
        }
        _ => None,
    };
    if converted.is_none() && !tag.closing && !KNOWN.contains(&tag.name) {
        if let Some((inner_text, end)) = paired_body(body, tag) {
            // A shortcode of the site's own around text: the text stays.
            let offset = lines_before(body, inner_text);
            let inner = convert_nested(inner_text, resolve_ref, depth + 1);
            let kept = match tag
                .named("href")
                .or_else(|| tag.named("url"))
                .or_else(|| tag.named("link"))
            {
                Some(href) if !inner.text.trim().contains('\n') => {
                    format!("[{}]({href})", inner.text.trim())
                }
                _ => inner.text.clone(),
            };
            text.push_str(&kept);
            out.changes
                .push("the site's own shortcodes around text unwrapped (text kept)");
            out.review.push((
                line,
                format!(
                    "{} … {{{{< /{} >}}}}: the text kept, the shortcode's markup dropped",
                    one_line(written),
                    tag.name
                ),
            ));
            absorb(out, inner, offset);
            return end;
        }
        if let Some(replacement) = link_or_image(tag) {
            text.push_str(&replacement);
            out.changes
                .push("the site's own image and link shortcodes turned into Markdown");
            out.review
                .push((line, format!("{} became {replacement}", one_line(written))));
            return tag.end;
        }
    }
    match converted {
        Some((replacement, change)) => {
            text.push_str(&replacement);
            out.changes.push(change);
        }
        None => {
            text.push_str(written);
            let why = match tag.name {
                "ref" | "relref" => "a link to a page that was not imported",
                _ => "a shortcode recap has no equivalent for",
            };
            out.left
                .push((line, format!("{} ({why})", one_line(written))));
        }
    }
    tag.end
}

/// Shortcodes this module converts itself.
const KNOWN: [&str; 9] = [
    "youtube",
    "vimeo",
    "figure",
    "gist",
    "x",
    "tweet",
    "twitter",
    "instagram",
    "highlight",
];

/// The text between `open` and its closing tag (nested ones of the same
/// name counted), and where the body goes on after it.
fn paired_body<'b>(body: &'b str, open: &Shortcode) -> Option<(&'b str, usize)> {
    let mut depth = 0;
    let mut at = open.end;
    loop {
        let found = find_tag_start(body, at)?;
        let Some(tag) = parse_tag(body, found) else {
            at = found + 3;
            continue;
        };
        if tag.name == open.name {
            if !tag.closing {
                depth += 1;
            } else if depth == 0 {
                let inner = &body[open.end..tag.start];
                return Some((inner.strip_prefix('\n').unwrap_or(inner), tag.end));
            } else {
                depth -= 1;
            }
        }
        at = tag.end;
    }
}

/// What converting an inner text did, moved into `out`; its lines start
/// after line `offset` of the body.
fn absorb(out: &mut Converted, inner: Converted, offset: usize) {
    out.changes.extend(inner.changes);
    out.left.extend(
        inner
            .left
            .into_iter()
            .map(|(line, text)| (line + offset, text)),
    );
    out.review.extend(
        inner
            .review
            .into_iter()
            .map(|(line, text)| (line + offset, text)),
    );
}

/// `{{< notice warning >}}text{{< /notice >}}` as a GitHub alert.
fn alert(tag: &Shortcode, inner: &str) -> String {
    let kind = tag.arg("type", 0).unwrap_or(tag.name).to_ascii_lowercase();
    let kind = match kind.as_str() {
        "tip" | "hint" | "success" => "TIP",
        "warning" | "warn" => "WARNING",
        "danger" | "error" | "caution" => "CAUTION",
        "important" => "IMPORTANT",
        _ => "NOTE",
    };
    let mut text = format!("> [!{kind}]\n");
    for line in inner.trim_end().lines() {
        text.push_str(if line.is_empty() { ">" } else { "> " });
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// A site's own shortcode whose arguments name a file or a link
/// (`img-post path="/img/" file="x.png" alt="…"`, `download file=… title=…`,
/// `button href=…`), as a Markdown image or link.
fn link_or_image(tag: &Shortcode) -> Option<String> {
    let file = tag
        .named("src")
        .or_else(|| tag.named("file"))
        .or_else(|| tag.named("image"));
    let target = match (tag.named("path"), file) {
        (Some(path), Some(file)) if !file.contains('/') => {
            format!("{}/{file}", path.trim_end_matches('/'))
        }
        (_, Some(file)) => file.to_string(),
        (_, None) => tag
            .named("href")
            .or_else(|| tag.named("url"))
            .or_else(|| tag.named("link"))?
            .to_string(),
    };
    let words = tag
        .named("alt")
        .or_else(|| tag.named("title"))
        .or_else(|| tag.named("caption"))
        .or_else(|| tag.named("text"))
        .unwrap_or("");
    let image = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"]
        .iter()
        .any(|ext| target.to_ascii_lowercase().ends_with(ext));
    let target = if target.contains(' ') {
        format!("<{target}>")
    } else {
        target
    };
    Some(if image {
        format!("![{words}]({target})")
    } else {
        format!(
            "[{}]({target})",
            if words.is_empty() {
                target.as_str()
            } else {
                words
            }
        )
    })
}

/// `{{< figure src="x.jpg" alt="..." caption="..." >}}` as recap's figure.
fn figure(tag: &Shortcode, src: &str) -> String {
    let mut call = format!("{{{{ figure(src={}", quote(src));
    let caption = tag.named("caption").or_else(|| tag.named("title"));
    for (key, value) in [("alt", tag.named("alt")), ("caption", caption)] {
        if let Some(value) = value {
            let _ = write!(call, ", {key}={}", quote(value));
        }
    }
    for key in ["width", "height"] {
        if let Some(number) = tag.named(key).filter(|v| v.parse::<u32>().is_ok()) {
            let _ = write!(call, ", {key}={number}");
        }
    }
    call.push_str(") }}");
    call
}

/// `{{< highlight go "linenos=table,hl_lines=2 4-5" >}}…{{< /highlight >}}`
/// as a fence; the body goes on after the closing tag.
fn highlight_block(body: &str, open: &Shortcode) -> Option<(String, usize)> {
    let mut at = open.end;
    let close = loop {
        let found = find_tag_start(body, at)?;
        match parse_tag(body, found) {
            Some(tag) if tag.closing && tag.name == "highlight" => break tag,
            Some(tag) => at = tag.end,
            None => at = found + 3,
        }
    };
    let code = body[open.end..close.start]
        .strip_prefix('\n')
        .unwrap_or(&body[open.end..close.start]);
    let code = code.strip_suffix('\n').unwrap_or(code);
    let mut info = open.arg("lang", 0).unwrap_or("").to_string();
    for option in open.arg("options", 1).unwrap_or("").split(',') {
        match option.trim().split_once('=') {
            Some(("linenos", value)) if value != "false" => info.push_str(",linenos"),
            Some(("hl_lines", lines)) => {
                let _ = write!(info, ",hl_lines={}", lines.trim_matches('"'));
            }
            _ => {}
        }
    }
    let fence = if code.contains("```") { "~~~~" } else { "```" };
    let mut text = format!("{fence}{info}\n{code}\n{fence}");
    if !body[close.end..].starts_with('\n') {
        text.push('\n');
    }
    Some((text, close.end))
}

/// The next `{{<` or `{{%` at or after `from`.
fn find_tag_start(body: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = body[at..].find("{{") {
        let start = at + offset;
        if matches!(body.as_bytes().get(start + 2), Some(b'<' | b'%')) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// `{{</* name */>}}` at `start`: the text it shows and where it ends.
fn escaped(body: &str, start: usize) -> Option<(String, usize)> {
    let (open, close) = delimiters(body, start);
    let rest = &body[start + 3..];
    let inner = rest.trim_start();
    let inner = inner.strip_prefix("/*")?;
    let close_escaped = format!("*/{close}}}}}");
    let end = inner.find(&close_escaped)?;
    let shown = format!("{{{{{open}{}{close}}}}}", &inner[..end]);
    let close = close_escaped;
    let consumed = body.len() - inner.len() + end + close.len();
    Some((shown, consumed))
}

/// `('<', '>')` for `{{< >}}`, `('%', '%')` for `{{% %}}`.
fn delimiters(body: &str, start: usize) -> (char, char) {
    match body.as_bytes()[start + 2] {
        b'<' => ('<', '>'),
        _ => ('%', '%'),
    }
}

/// Parses the tag at `start` (`{{<` or `{{%`), None when it is not one.
fn parse_tag(body: &str, start: usize) -> Option<Shortcode<'_>> {
    let (_, close) = delimiters(body, start);
    let close = format!("{close}}}}}");
    let inner_start = start + 3;
    let inner_len = body[inner_start..].find(&close)?;
    let inner = body[inner_start..inner_start + inner_len].trim();
    let end = inner_start + inner_len + close.len();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    let name_len = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_/.".contains(c))
    {
        return None;
    }
    let (positional, named) = arguments(&inner[name_len..]);
    Some(Shortcode {
        start,
        end,
        name,
        closing,
        positional,
        named,
    })
}

/// `"a b" id=123 title="x"`: positional and named arguments of a Hugo
/// shortcode or a Liquid tag. A key is a word (`https://x?a=b` is one
/// positional value).
pub(super) fn arguments(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut positional = Vec::new();
    let mut named = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace() || "\"'`".contains(c))
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        let is_key = rest[key_end..].starts_with('=')
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let key = is_key.then_some(key);
        if key.is_some() {
            rest = &rest[key_end + 1..];
        }
        let (value, after) = value(rest);
        match key {
            Some(key) => named.push((key.to_ascii_lowercase(), value)),
            None => positional.push(value),
        }
        rest = after.trim_start();
    }
    (positional, named)
}

/// A quoted ("…" with \" escapes, '…' or `…`) or bare value, and the rest.
fn value(text: &str) -> (String, &str) {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, quote @ ('"' | '`' | '\''))) => {
            let mut value = String::new();
            let mut escaped = false;
            for (index, c) in chars {
                if escaped {
                    value.push(c);
                    escaped = false;
                } else if c == '\\' && quote == '"' {
                    escaped = true;
                } else if c == quote {
                    return (value, &text[index + 1..]);
                } else {
                    value.push(c);
                }
            }
            (value, "")
        }
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (text[..end].to_string(), &text[end..])
        }
    }
}

/// Byte ranges of fenced code blocks (``` and ~~~), fences included.
fn fenced_code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, char, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (open, fence_char) {
            (None, Some(c)) if run >= 3 => open = Some((offset, c, run)),
            (Some((start, c, length)), Some(this))
                if this == c && run >= length && trimmed[run..].trim().is_empty() =>
            {
                ranges.push(start..offset + line.len());
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((start, _, _)) = open {
        ranges.push(start..body.len());
    }
    ranges
}

/// Hugo's `<!--more-->` (spaced or not) as recap's `<!-- more -->`, on a
/// line of its own.
fn more_marker(text: &str, changes: &mut Vec<&'static str>) -> String {
    let Some(at) = text
        .find("<!--more-->")
        .or_else(|| text.find("<!-- more -->"))
    else {
        return text.to_string();
    };
    let end = at + text[at..].find("-->").unwrap_or(0) + 3;
    let before = text[..at].trim_end_matches([' ', '\t']);
    let after = text[end..].trim_start_matches([' ', '\t', '\n']);
    let mut out = before.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str("\n\n");
    }
    out.push_str("<!-- more -->\n\n");
    out.push_str(after);
    if text[at..end] != *"<!-- more -->" || out.len() != text.len() {
        changes.push("<!--more--> written as recap's <!-- more -->");
    }
    out
}

/// Lines of `body` before `part`, a slice of it.
fn lines_before(body: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize - body.as_ptr() as usize;
    line_of(body, start) - 1
}

fn line_of(body: &str, at: usize) -> usize {
    body[..at].matches('\n').count() + 1
}

fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 100 {
        format!("{}…", line.chars().take(100).collect::<String>())
    } else {
        line
    }
}

/// A recap shortcode argument: a double-quoted string.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Converted {
        convert(body, &|target: &str| {
            (target.trim_start_matches('/') == "posts/kubecon.md")
                .then(|| "@/posts/2024-03-20-kubecon.md".to_string())
        })
    }

    #[test]
    fn embeds_become_recap_shortcodes() {
        let out = run(concat!(
            "{{< youtube w7Ft2ymGmfc >}}\n",
            "{{< vimeo id=\"146022717\" title=\"A talk\" >}}\n",
            "{{< figure src=\"stage.jpg\" alt=\"The stage\" title=\"Day one\" >}}\n",
            "{{< gist spf13 7896402 \"img.html\" >}}\n",
            "{{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}\n",
            "{{% tweet 877500564405444608 %}}\n",
        ));
        assert_eq!(
            out.text,
            concat!(
                "{{ youtube(id=\"w7Ft2ymGmfc\") }}\n",
                "{{ vimeo(id=\"146022717\", title=\"A talk\") }}\n",
                "{{ figure(src=\"stage.jpg\", alt=\"The stage\", caption=\"Day one\") }}\n",
                "{{ gist(url=\"https://gist.github.com/spf13/7896402\", file=\"img.html\") }}\n",
                "[A post by @SanDiegoZoo on X](https://x.com/SanDiegoZoo/status/1453110110599868418)\n",
                "[A post on X](https://x.com/i/status/877500564405444608)\n",
            )
        );
        assert!(out.left.is_empty(), "{:?}", out.left);
    }

    #[test]
    fn refs_become_at_links_and_unknown_ones_are_reported() {
        let out = run(
            "See [day one]({{< ref \"/posts/kubecon.md\" >}}) and [x]({{< relref \"nope.md\" >}}).\n",
        );
        assert_eq!(
            out.text,
            "See [day one](@/posts/2024-03-20-kubecon.md) and [x]({{< relref \"nope.md\" >}}).\n"
        );
        assert_eq!(out.left.len(), 1);
        assert_eq!(out.left[0].0, 1);
    }

    #[test]
    fn highlight_becomes_a_fence_with_its_options() {
        let out = run(
            "Code:\n\n{{< highlight go \"linenos=table,hl_lines=2 3\" >}}\nfunc main() {\n}\n{{< /highlight >}}\nAfter.\n",
        );
        assert_eq!(
            out.text,
            "Code:\n\n```go,linenos,hl_lines=2 3\nfunc main() {\n}\n```\nAfter.\n"
        );
    }

    #[test]
    fn code_is_left_alone_and_escaped_shortcodes_show_as_written() {
        let body = "```go-html-template\n{{< youtube abc >}}\n{{</* figure src=\"x\" */>}}\n```\n\nWrite `{{%/* note */%}}` for a note.\n";
        let out = run(body);
        assert_eq!(
            out.text,
            "```go-html-template\n{{< youtube abc >}}\n{{< figure src=\"x\" >}}\n```\n\nWrite `{{% note %}}` for a note.\n"
        );
    }

    #[test]
    fn unknown_shortcodes_stay_and_are_reported_by_line() {
        let out = run("Intro.\n\n{{< calendly user=\"x\" >}}\n\n{{< ref \"gone.md\" >}}\n");
        assert!(out.text.contains("{{< calendly user=\"x\" >}}"));
        let lines: Vec<usize> = out.left.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn lines_inside_paired_shortcodes_are_reported_where_they_are() {
        let out = run("A.\n\n{{< notice note >}}\nOne.\n{{< calendly >}}\n{{< /notice >}}\n");
        let lines: Vec<usize> = out.left.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [5]);
    }

    #[test]
    fn deep_nesting_stops_and_is_reported() {
        let body = "{{< note >}}".repeat(5000) + &"{{< /note >}}".repeat(5000);
        let out = run(&body);
        assert!(
            out.left
                .iter()
                .any(|(_, text)| text.contains("nested more than"))
        );
    }

    #[test]
    fn a_sites_own_shortcodes_keep_their_text_links_and_images() {
        let out = run(concat!(
            "{{< notice warning >}}\nMind the **gap**.\n{{< /notice >}}\n",
            "{{< button href=\"https://example.org/\" >}}Read it{{< /button >}}\n",
            "{{< img-post path=\"/img/\" file=\"logo.png\" alt=\"Logo\" >}}\n",
            "{{< download file=\"/docs/talk.pdf\" title=\"The slides\" >}}\n",
            "{{< collapsible-code language=\"yaml\" >}}\n```yaml\na: 1\n```\n{{< /collapsible-code >}}\n",
        ));
        assert_eq!(
            out.text,
            concat!(
                "> [!WARNING]\n> Mind the **gap**.\n\n",
                "[Read it](https://example.org/)\n",
                "![Logo](/img/logo.png)\n",
                "[The slides](/docs/talk.pdf)\n",
                "```yaml\na: 1\n```\n\n",
            )
        );
        assert!(out.left.is_empty(), "{:?}", out.left);
        assert_eq!(out.review.len(), 4, "{:?}", out.review);
    }

    #[test]
    fn the_more_marker_gets_recaps_spelling_on_its_own_line() {
        assert_eq!(
            run("Summary.<!--more-->\nRest.\n").text,
            "Summary.\n\n<!-- more -->\n\nRest.\n"
        );
        assert_eq!(
            run("A.\n\n<!--more-->\n\nB.\n").text,
            "A.\n\n<!-- more -->\n\nB.\n"
        );
    }
}
