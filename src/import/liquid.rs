//! Turning a Jekyll post body (kramdown + Liquid) into recap Markdown.
//! What has a recap equivalent is converted; everything else is left in
//! place and reported line by line for a human.

use crate::render::templates::escape_markup;

/// What the conversion did to one body.
#[derive(Debug, Default)]
pub(super) struct Converted {
    pub text: String,
    /// Kinds of changes made, e.g. "kramdown attribute list removed".
    pub changes: Vec<&'static str>,
    /// (1-based line, text) left for a human.
    pub left: Vec<(usize, String)>,
}

/// What the conversion needs to know of the Jekyll site.
pub(super) struct Lookups<'a> {
    /// `post_url` names ("2023-05-10-devopsdays") as recap `@/` paths.
    pub post_path: &'a dyn Fn(&str) -> Option<String>,
    /// A bare image name (`stage.jpg`, as an include gets it) as the site
    /// path of the one file of that name in the site (`/img/stage.jpg`).
    pub asset_path: &'a dyn Fn(&str) -> Option<String>,
}

pub(super) fn convert(body: &str, lookups: &Lookups) -> Converted {
    let post_path = lookups.post_path;
    let mut out = Converted::default();
    let mut in_raw = false;
    // Inside fenced code (or a converted `{% highlight %}`), kramdown's
    // attribute lists are code: `opts = {:verbose => true}`.
    let mut fence = Fence::default();
    let mut lines: Vec<String> = Vec::new();
    let source = join_code_spans(body, &mut out);
    let tilde_blocks = highlights_holding_fences(&source);
    let mut marker = "```";
    for (index, line) in source.into_iter().enumerate() {
        let number = index + 1;
        let mut line = line;
        // A highlighted block with a line of backticks in it is written
        // with a ~~~ fence, which that line cannot close.
        if tilde_blocks.contains(&index) {
            marker = "~~~";
        }
        if in_raw || line.contains("{% raw %}") || line.contains("{%- raw -%}") {
            let (text, still_raw) = strip_raw(&line, in_raw);
            in_raw = still_raw;
            if text.trim().is_empty() && line.trim() != text.trim() {
                out.changes.push("{% raw %} tags removed");
                continue;
            }
            if text != line {
                out.changes.push("{% raw %} tags removed");
            }
            // `{% highlight text %}{% raw %}`: the block starts here too.
            let text =
                if text != line && (text.contains("highlight") || text.contains("endhighlight")) {
                    let converted = convert_highlight_tags(&text, marker, &mut out);
                    fence.follow(&converted);
                    converted
                } else {
                    text
                };
            lines.push(text);
            continue;
        }
        let before = line.clone();
        line = convert_highlight_tags(&line, marker, &mut out);
        if line != before
            && line.trim_end().ends_with(marker)
            && find_tag(&before, "endhighlight").is_some()
        {
            marker = "```";
        }
        let was_in_code = fence.is_open();
        let fences = fence.follow(&line);
        if !was_in_code && !fence.is_open() && fences == 0 {
            if is_lone_break(&line) && lines.last().is_some_and(|last| !last.trim().is_empty()) {
                // kramdown: a line break; CommonMark: the start of an HTML
                // block that swallows the next lines.
                if let Some(last) = lines.last_mut() {
                    last.push('\\');
                }
                out.changes
                    .push("line breaks (<br/> alone on a line) turned into Markdown breaks");
                continue;
            }
            line = convert_block_ial(&line, &mut lines, &mut out);
            line = strip_inline_ial(&line, &mut out);
            line = keep_heading_id(&line, &mut out);
            let in_html = line.trim_start().starts_with('<');
            line = convert_media_tags(&line, lookups.asset_path, in_html, &mut out);
        }
        line = convert_url_filters(&line, &mut out);
        line = convert_post_links(&line, post_path, &mut out);
        // Liquid left; recap's own `{{ youtube(…) }}` is not.
        if line.contains("{%") || line.replace("{{ youtube(", "").contains("{{") {
            out.left.push((number, line.clone()));
        }
        lines.push(line);
    }
    out.text = lines.join("\n");
    if body.ends_with('\n') {
        out.text.push('\n');
    }
    out.changes.sort_unstable();
    out.changes.dedup();
    out
}

/// Removes `{% raw %}`/`{% endraw %}`; returns the text and whether raw continues.
fn strip_raw(line: &str, mut in_raw: bool) -> (String, bool) {
    let mut text = String::new();
    let mut rest = line;
    loop {
        let tag = if in_raw { "endraw" } else { "raw" };
        match find_tag(rest, tag) {
            Some((start, end)) => {
                text.push_str(&rest[..start]);
                rest = &rest[end..];
                in_raw = !in_raw;
            }
            None => {
                text.push_str(rest);
                return (text, in_raw);
            }
        }
    }
}

/// `{% name ... %}` (with optional `-` trims): (start, end) in `text`.
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("{%") {
        let start = from + found;
        // After the `{%`: in `{%}` the `%` is not a closing `%}`.
        let end = text[start + 2..].find("%}").map(|i| start + 2 + i + 2)?;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == name || inner.starts_with(&format!("{name} ")) {
            return Some((start, end));
        }
        from = start + 2;
    }
    None
}

/// A heading whose id Jekyll (kramdown's GFM ids) and recap would make
/// differently gets Jekyll's as an explicit `{#id}`, so old anchors and
/// hand-written tables of contents still land: "Michael Plöd" is
/// `#michael-plöd` to Jekyll and `#michael-plod` to recap.
fn keep_heading_id(line: &str, out: &mut Converted) -> String {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    let is_heading = (1..=6).contains(&hashes) && line[hashes..].starts_with(' ');
    if !is_heading || line.contains("{#") {
        return line.to_string();
    }
    let title = line[hashes..].trim().trim_end_matches('#').trim();
    let jekyll: String = title
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '\t'))
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect();
    if jekyll.is_empty() || jekyll == slug::slugify(title) {
        return line.to_string();
    }
    out.changes.push("kramdown heading ids kept as {#id}");
    format!("{} {{#{jekyll}}}", line.trim_end())
}

/// `<br/>` alone on a line.
fn is_lone_break(line: &str) -> bool {
    let compact: String = line.split_whitespace().collect();
    matches!(compact.to_ascii_lowercase().as_str(), "<br>" | "<br/>")
}

/// `{% highlight yaml %}` → ```yaml and `{% endhighlight %}` → ```, also
/// with code on the tag's line (`puts 1 {% endhighlight %}`, or a whole
/// block on one line); Jekyll's `linenos` and Rouge's `mark_lines="1 3"`
/// become the fence options `linenos` and `hl_lines=1 3`.
fn convert_highlight_tags(line: &str, marker: &str, out: &mut Converted) -> String {
    let trimmed = line.trim();
    if let Some((start, end)) = find_tag(trimmed, "highlight")
        && start == 0
        && end < trimmed.len()
    {
        // Code after the opening tag: a fence, then the code on its line.
        let fence = convert_highlight_tags(&trimmed[..end], marker, out);
        let code = convert_highlight_tags(&trimmed[end..], marker, out);
        return format!("{fence}\n{code}");
    }
    if let Some((start, end)) = find_tag(trimmed, "endhighlight")
        && start > 0
        && end == trimmed.len()
    {
        out.changes
            .push("{% highlight %} blocks turned into fenced code");
        let code = line[..line.rfind("{%").unwrap_or(0)].trim_end();
        return format!("{code}\n{marker}");
    }
    if let Some((start, end)) = find_tag(trimmed, "highlight")
        && start == 0
        && end == trimmed.len()
    {
        let inner =
            trimmed[2..trimmed.len() - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = inner.split_whitespace().skip(1);
        let language = words.next().unwrap_or("");
        let rest: Vec<&str> = words.collect();
        let mut options = String::new();
        if rest.iter().any(|word| word.starts_with("linenos")) {
            options.push_str(",linenos");
        }
        let marked = rest.join(" ");
        if let Some(lines) = marked.split("mark_lines=").nth(1) {
            let lines = lines.trim_start_matches(['"', '\'']);
            let lines = &lines[..lines.find(['"', '\'']).unwrap_or(lines.len())];
            options.push_str(&format!(",hl_lines={lines}"));
        }
        out.changes
            .push("{% highlight %} blocks turned into fenced code");
        return format!("{marker}{language}{options}");
    }
    if find_tag(trimmed, "endhighlight").is_some_and(|(s, e)| s == 0 && e == trimmed.len()) {
        return marker.to_string();
    }
    line.to_string()
}

/// A line that is only a kramdown attribute list (`{: .lead}`, `{: #id}`,
/// `{:refdef: ...}`) is dropped; a `#id` right after a heading becomes
/// recap's `{#id}` on that heading, so anchors keep working.
fn convert_block_ial(line: &str, previous: &mut [String], out: &mut Converted) -> String {
    let trimmed = line.trim();
    let is_ial = trimmed.starts_with("{:") && trimmed.ends_with('}');
    if !is_ial {
        return line.to_string();
    }
    let id = trimmed
        .trim_start_matches("{:")
        .trim_end_matches('}')
        .split_whitespace()
        .find_map(|part| part.strip_prefix('#'))
        .map(str::to_string);
    if let (Some(id), Some(heading)) = (id, previous.last_mut())
        && heading.starts_with('#')
    {
        heading.push_str(&format!(" {{#{id}}}"));
        out.changes.push("kramdown heading ids kept as {#id}");
        return String::new();
    }
    out.changes.push("kramdown attribute list removed");
    String::new()
}

/// `[text](url){:target="_blank" rel="noopener"}`: that one link opens in
/// a new tab, written as HTML (CommonMark still reads the text inside as
/// Markdown); any other inline attribute list is dropped.
fn strip_inline_ial(line: &str, out: &mut Converted) -> String {
    let mut text = line.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{:") {
        let start = from + found;
        let Some(length) = text[start..].find('}') else {
            break;
        };
        let end = start + length + 1;
        let ial = text[start..end].to_string();
        // Only links to other sites: a site link stays Markdown, so recap
        // still adds the base path, resolves `@/` and checks it.
        let link = ial
            .contains("_blank")
            .then(|| link_before(&text, start))
            .flatten()
            .filter(|(_, _, url, _)| url.starts_with("https://") || url.starts_with("http://"));
        match link {
            Some((link_start, label, url, title)) => {
                let mut rel = vec!["noopener"];
                if ial.contains("noreferrer") {
                    rel.push("noreferrer");
                }
                let title = title.map_or(String::new(), |t| {
                    format!(" title=\"{}\"", escape_markup(&t))
                });
                let html = format!(
                    "<a href=\"{}\"{title} target=\"_blank\" rel=\"{}\">{label}</a>",
                    escape_markup(&url),
                    rel.join(" ")
                );
                text.replace_range(link_start..end, &html);
                out.changes.push(
                    "links with {:target=\"_blank\"} written as HTML links that open a new tab",
                );
                from = link_start + html.len();
            }
            None => {
                text.replace_range(start..end, "");
                out.changes.push("kramdown attribute list removed");
                from = start;
            }
        }
    }
    text
}

/// The Markdown link `[label](url "title")` that ends at `end`: where it
/// starts, its label, URL and title. None for an image or no link.
fn link_before(text: &str, end: usize) -> Option<(usize, String, String, Option<String>)> {
    let before = &text[..end];
    let before = before.strip_suffix(')')?;
    let open = before.rfind("](")?;
    let target = &before[open + 2..];
    let mut depth = 0;
    let mut label_start = None;
    for (index, c) in before[..open].char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => {
                label_start = Some(index);
                break;
            }
            '[' => depth -= 1,
            _ => {}
        }
    }
    let label_start = label_start?;
    if before[..label_start].ends_with('!') {
        return None;
    }
    let label = before[label_start + 1..open].to_string();
    let (url, title) = match target.split_once(char::is_whitespace) {
        Some((url, title)) => (
            url,
            Some(title.trim().trim_matches(['"', '\'']).to_string()),
        ),
        None => (target, None),
    };
    Some((
        label_start,
        label,
        url.trim_matches(['<', '>']).to_string(),
        title,
    ))
}

/// `{{ "/x" | relative_url }}`, `absolute_url`, `prepend: site.baseurl` and
/// `{{ site.baseurl }}/x` become the site-absolute path `/x`: recap puts the
/// base path in front of site-absolute links itself.
fn convert_url_filters(line: &str, out: &mut Converted) -> String {
    let mut text = line.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let start = from + found;
        let Some(length) = text[start..].find("}}") else {
            break;
        };
        let end = start + length + 2;
        let inner = text[start + 2..end - 2].trim();
        let replacement = if inner == "site.baseurl" || inner == "site.url" {
            Some(String::new())
        } else if let Some((value, filter)) = inner.split_once('|') {
            let filter = filter.trim();
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            let url_filter = filter == "relative_url" || filter == "absolute_url";
            let known = url_filter
                || filter.starts_with("prepend: site.baseurl")
                || filter.starts_with("prepend: site.url");
            // Jekyll's URL filters make `about` the site path `/about`.
            let value = match url_filter && !value.starts_with('/') && !value.contains("://") {
                true => format!("/{value}"),
                false => value.to_string(),
            };
            (known && !value.contains(' ')).then_some(value)
        } else {
            None
        };
        match replacement {
            Some(replacement) => {
                text.replace_range(start..end, &replacement);
                out.changes
                    .push("Liquid URL filters turned into site paths");
                from = start + replacement.len();
            }
            None => from = end,
        }
    }
    text
}

/// The open code fence while reading a body: its character and length. A
/// fence closes only with a run of the same character at least as long.
#[derive(Default)]
struct Fence(Option<(char, usize)>);

impl Fence {
    fn is_open(&self) -> bool {
        self.0.is_some()
    }

    /// Follows the fence lines of `text`; returns how many there were.
    fn follow(&mut self, text: &str) -> usize {
        let mut seen = 0;
        for part in text.lines() {
            let part = part.trim_start();
            let Some(c) = part.chars().next().filter(|c| *c == '`' || *c == '~') else {
                continue;
            };
            let run = part.chars().take_while(|x| *x == c).count();
            if run < 3 {
                continue;
            }
            match self.0 {
                // "```inline``` text" is a code span, not a fence: a
                // backtick fence's info string has no backtick.
                None if c == '`' && part[run..].contains('`') => {}
                None => {
                    self.0 = Some((c, run));
                    seen += 1;
                }
                Some((open, length))
                    if open == c && run >= length && part[run..].trim().is_empty() =>
                {
                    self.0 = None;
                    seen += 1;
                }
                Some(_) => {}
            }
        }
        seen
    }
}

/// The lines that open a `{% highlight %}` block holding a line that starts
/// with three backticks (code about Markdown, or a stray fence).
fn highlights_holding_fences(lines: &[String]) -> std::collections::HashSet<usize> {
    let mut found = std::collections::HashSet::new();
    let mut open: Option<usize> = None;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        match open {
            None if find_tag(trimmed, "highlight").is_some_and(|(start, _)| start == 0) => {
                open = Some(index);
            }
            Some(start) if find_tag(line, "endhighlight").is_some() => {
                if trimmed.starts_with("```") {
                    found.insert(start);
                }
                open = None;
            }
            Some(start) if trimmed.starts_with("```") => {
                found.insert(start);
            }
            _ => {}
        }
    }
    found
}

/// The body's lines, with kramdown's code spans over lines made one line:
/// `* On Mac: ```` then the code, then a line ```` ``` ````. kramdown reads
/// that as inline code; CommonMark would open a code block at the last
/// line and run it to the end of the post. The lines the span took are
/// left empty, so line numbers stay.
fn join_code_spans(body: &str, out: &mut Converted) -> Vec<String> {
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    let mut in_code = false;
    let mut index = 0;
    while index < lines.len() {
        let trimmed = lines[index].trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            index += 1;
            continue;
        }
        let opens_span = !in_code
            && lines[index].trim_end().ends_with("```")
            && lines[index].matches("```").count() % 2 == 1;
        let close = (index + 1..lines.len().min(index + 6)).find(|&at| lines[at].trim() == "```");
        if let (true, Some(close)) = (opens_span, close) {
            let code: Vec<&str> = lines[index + 1..close].iter().map(|l| l.trim()).collect();
            let code = code.join(" ");
            let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest + 1);
            let start = lines[index].trim_end().trim_end_matches('`').to_string();
            lines[index] = format!("{start}{fence} {code} {fence}");
            for line in &mut lines[index + 1..=close] {
                line.clear();
            }
            out.changes
                .push("kramdown code spans over several lines joined into one line");
            index = close + 1;
            continue;
        }
        index += 1;
    }
    lines
}

/// `{% post_url name %}` and `{% link _posts/name.md %}` → `@/posts/name.md`.
fn convert_post_links(
    line: &str,
    post_path: &dyn Fn(&str) -> Option<String>,
    out: &mut Converted,
) -> String {
    replace_tags(line, out, |inner| {
        let target = inner
            .strip_prefix("post_url ")
            .map(|name| post_path(name.trim()))
            .or_else(|| {
                inner
                    .strip_prefix("link ")
                    .map(|path| link_target(path.trim(), post_path))
            })
            .flatten()?;
        Some((target, "{% post_url %} and {% link %} turned into @/ links"))
    })
}

/// Replaces each `{% … %}` tag of `line` that `convert` converts (given
/// the tag's inside, `-` trim marks off), counting the change.
fn replace_tags(
    line: &str,
    out: &mut Converted,
    convert: impl Fn(&str) -> Option<(String, &'static str)>,
) -> String {
    let mut text = line.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{%") {
        let start = from + found;
        let Some(length) = text[start + 2..].find("%}") else {
            break;
        };
        let end = start + 2 + length + 2;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        match convert(inner) {
            Some((replacement, change)) => {
                // `{{ site.baseurl }}/{% link /img/x.png %}`: the base path
                // is gone, and the path must not start `//`.
                let replacement = match replacement.strip_prefix('/') {
                    Some(rest) if text[..start].ends_with('/') => rest.to_string(),
                    _ => replacement,
                };
                text.replace_range(start..end, &replacement);
                out.changes.push(change);
                from = start + replacement.len();
            }
            None => from = end,
        }
    }
    text
}

/// `{% link _posts/x.md %}` as an `@/` link; `{% link /img/x.png %}` (a
/// file Jekyll copies as it is) as its site path.
fn link_target(path: &str, post_path: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    match path.strip_prefix("_posts/") {
        Some(name) => {
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            post_path(stem)
        }
        None if path.contains("{{") || path.contains(' ') => None,
        None => Some(format!("/{}", path.trim_start_matches('/'))),
    }
}

/// `{% include image.html file="x.png" alt="…" %}` and the tags of a
/// site's own plugins that name an image (`{% image_custom image="/img/x.png" %}`)
/// become Markdown images; `{% youtube ID %}` recap's shortcode;
/// `{% twitter URL %}` a link.
fn convert_media_tags(
    line: &str,
    asset_path: &dyn Fn(&str) -> Option<String>,
    in_html: bool,
    out: &mut Converted,
) -> String {
    replace_tags(line, out, |inner| media_tag(inner, asset_path, in_html))
}

const IMAGE_EXTENSIONS: [&str; 7] = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"];

/// What a media tag becomes: Markdown, or HTML inside an HTML block
/// (`in_html`: a table cell, say), where Markdown is not read.
fn media_tag(
    inner: &str,
    asset_path: &dyn Fn(&str) -> Option<String>,
    in_html: bool,
) -> Option<(String, &'static str)> {
    let mut words = inner.split_whitespace();
    let mut name = words.next()?;
    let rest = &inner[inner.find(name)? + name.len()..];
    if name == "include" {
        name = rest.split_whitespace().next()?;
    }
    let (positional, named) = super::shortcodes::arguments(rest);
    let named_value = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            named
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    };
    match name {
        "youtube" | "youtube_video" => {
            let id = named_value(&["video_id", "id"])
                .or(positional.first().map(String::as_str))
                .filter(|id| {
                    id.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })?;
            return Some((
                format!("{{{{ youtube(id=\"{id}\") }}}}"),
                "video tags turned into recap's youtube shortcode",
            ));
        }
        "twitter" | "tweet" => {
            let url = positional.first().filter(|url| {
                url.starts_with("http")
                    && !url.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
            })?;
            return Some((format!("<{url}>"), "twitter tags turned into links"));
        }
        _ => {}
    }
    let file = named_value(&["image", "img", "file", "src", "url", "path", "name"])?;
    let is_image = IMAGE_EXTENSIONS
        .iter()
        .any(|ext| file.to_ascii_lowercase().ends_with(ext));
    if !is_image || file.contains("{{") || file.contains(['<', '>']) {
        return None;
    }
    let path = if file.starts_with('/') || file.contains("://") {
        file.to_string()
    } else {
        match named_value(&["path", "folder", "dir"]).filter(|folder| *folder != file) {
            Some(folder) => format!("/{}/{file}", folder.trim_matches('/')),
            None => asset_path(file).unwrap_or_else(|| format!("/{file}")),
        }
    };
    let alt = named_value(&["alt", "title", "caption", "description", "text"]).unwrap_or("");
    let alt = alt.replace(['[', ']'], "");
    let image = if in_html {
        format!(
            "<img src=\"{}\" alt=\"{}\">",
            escape_markup(&path),
            escape_markup(&alt)
        )
    } else if path.contains([' ', '(', ')']) {
        format!("![{alt}](<{path}>)")
    } else {
        format!("![{alt}]({path})")
    };
    Some((
        image,
        "includes and tags that name an image turned into images",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body converted, with one post known and no images.
    fn run(body: &str) -> Converted {
        convert(
            body,
            &Lookups {
                post_path: &posts,
                asset_path: &|_| None,
            },
        )
    }

    fn posts(name: &str) -> Option<String> {
        (name == "2023-05-10-devops").then(|| "@/posts/2023-05-10-devops.md".to_string())
    }

    #[test]
    fn highlight_options_become_fence_options() {
        let mut out = Converted::default();
        assert_eq!(
            convert_highlight_tags("{% highlight js linenos %}", "```", &mut out),
            "```js,linenos"
        );
        assert_eq!(
            convert_highlight_tags("{% highlight ruby mark_lines=\"1 3\" %}", "```", &mut out),
            "```ruby,hl_lines=1 3"
        );
        assert_eq!(
            convert_highlight_tags("{% highlight yaml %}", "```", &mut out),
            "```yaml"
        );
    }

    #[test]
    fn a_highlight_block_holding_backticks_gets_a_tilde_fence() {
        let out = run(
            "{% highlight go %}\nfunc a() {}\n```\n{% endhighlight %}\n\nSee [x](https://x.org){:target=\"_blank\"}.\n",
        );
        assert_eq!(
            out.text,
            "~~~go\nfunc a() {}\n```\n~~~\n\nSee <a href=\"https://x.org\" target=\"_blank\" rel=\"noopener\">x</a>.\n"
        );
    }

    #[test]
    fn a_line_starting_with_a_code_span_is_not_a_fence() {
        let out = run("```WEAVE_BRIDGE``` is set per host.\n\n![Scope](/s.png){: .small}\n");
        assert_eq!(
            out.text,
            "```WEAVE_BRIDGE``` is set per host.\n\n![Scope](/s.png)\n"
        );
    }

    #[test]
    fn protocol_relative_urls_stay_and_links_to_files_join_the_base_path() {
        let out = run(
            "<iframe src=\"//www.youtube.com/embed/x\"></iframe>\n\n![a](/{% link /img/a.png %}) <img src=\"{{ site.baseurl }}/{% link /img/b.png %}\">\n",
        );
        assert_eq!(
            out.text,
            "<iframe src=\"//www.youtube.com/embed/x\"></iframe>\n\n![a](/img/a.png) <img src=\"/img/b.png\">\n"
        );
    }

    #[test]
    fn attributes_from_tags_are_escaped() {
        let out = run(
            "<p>{% image_custom image='/x\" onerror=\"alert(1).png' %}</p>\n\n{% include image.html file=\"/my photo.jpg\" alt=\"A\" %}\n\n{% youtube abc\"def %}\n\n{% youtube w7Ft2ymGmfc %}\n\n[x](https://x.org/?a=1&b=\"2\"){:target=\"_blank\"} [y](/about/){:target=\"_blank\"}\n",
        );
        assert!(
            out.text
                .contains("<img src=\"/x&quot; onerror=&quot;alert(1).png\" alt=\"\">"),
            "{}",
            out.text
        );
        assert!(out.text.contains("![A](</my photo.jpg>)"), "{}", out.text);
        assert!(out.text.contains("{% youtube abc\"def %}"), "{}", out.text);
        assert!(
            out.text.contains("{{ youtube(id=\"w7Ft2ymGmfc\") }}"),
            "{}",
            out.text
        );
        assert!(
            out.text
                .contains("href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""),
            "{}",
            out.text
        );
        assert!(out.text.contains("[y](/about/)"), "{}", out.text);
        let left: Vec<usize> = out.left.iter().map(|(line, _)| *line).collect();
        assert_eq!(left, [5], "only the youtube tag with a bad id is left");
    }

    #[test]
    fn odd_liquid_never_panics() {
        for body in [
            "The {%} sign.",
            "{%%}",
            "{% %}",
            "{{}}",
            "{%- -%}",
            "a {% link",
            "é{%}é",
        ] {
            let out = run(body);
            assert!(!out.text.is_empty(), "{body}");
        }
    }

    #[test]
    fn code_spans_over_lines_become_one_line() {
        let out = run("* On Mac: ```\n  Cmd + Shift + `\n```\n* Next\n\n```\nreal code\n```\n");
        assert_eq!(
            out.text,
            "* On Mac: `` Cmd + Shift + ` ``\n\n\n* Next\n\n```\nreal code\n```\n"
        );
    }

    #[test]
    fn converts_what_has_an_equivalent() {
        let body = "## Reviews\n{: #reviews}\n\n[blog](https://x.org){:target=\"_blank\" rel=\"noopener\"}\n\n{% highlight yaml %}\na: 1\n{% endhighlight %}\n\n![b]({{ \"/img/b.png\" | relative_url }}) [e]({{ 'about' | relative_url }}) [c]({{ site.baseurl }}/c/) [d]({{ '/d/' | prepend: site.baseurl }})\n\nSee [it]({% post_url 2023-05-10-devops %}) and [that]({% link _posts/2023-05-10-devops.md %}).\nA lead.\n{: .lead}\n";
        let out = run(body);
        assert!(out.text.contains("## Reviews {#reviews}"), "{}", out.text);
        assert!(out.text.contains("```yaml\na: 1\n```"), "{}", out.text);
        assert!(
            out.text
                .contains("![b](/img/b.png) [e](/about) [c](/c/) [d](/d/)"),
            "{}",
            out.text
        );
        assert!(
            out.text.contains(
                "[it](@/posts/2023-05-10-devops.md) and [that](@/posts/2023-05-10-devops.md)"
            ),
            "{}",
            out.text
        );
        assert!(!out.text.contains("{:"), "{}", out.text);
        assert!(
            out.text
                .contains("<a href=\"https://x.org\" target=\"_blank\" rel=\"noopener\">blog</a>"),
            "{}",
            out.text
        );
        assert!(out.left.is_empty(), "{:?}", out.left);
    }

    #[test]
    fn leaves_the_rest_and_lists_it() {
        let body = "Intro\n\n{% raw %}\nGo: {{ .Summary }}\n{% endraw %}\n\n{% include signup.html %}\n{{ page.title }}\n";
        let out = run(body);
        assert!(out.text.contains("Go: {{ .Summary }}"), "{}", out.text);
        assert!(!out.text.contains("raw"), "{}", out.text);
        let left: Vec<usize> = out.left.iter().map(|(line, _)| *line).collect();
        assert_eq!(left, [7, 8], "{:?}", out.left);
    }
}
