//! Turning a Jekyll post body (kramdown + Liquid) into recap Markdown.
//! What has a recap equivalent is converted; everything else is left in
//! place and reported line by line for a human.

/// What the conversion did to one body.
#[derive(Debug, Default)]
pub(super) struct Converted {
    pub text: String,
    /// Kinds of changes made, e.g. "kramdown attribute list removed".
    pub changes: Vec<&'static str>,
    /// (1-based line, text) left for a human.
    pub left: Vec<(usize, String)>,
    /// A link asked for target="_blank" (kramdown `{:target="_blank"}`).
    pub wants_target_blank: bool,
    pub wants_no_referrer: bool,
}

/// `post_url` names ("2023-05-10-devopsdays") map to recap `@/` paths.
pub(super) fn convert(body: &str, post_path: &dyn Fn(&str) -> Option<String>) -> Converted {
    let mut out = Converted::default();
    let mut in_raw = false;
    // Inside fenced code (or a converted `{% highlight %}`), kramdown's
    // attribute lists are code: `opts = {:verbose => true}`.
    let mut in_code = false;
    let mut lines: Vec<String> = Vec::new();
    for (index, line) in body.lines().enumerate() {
        let number = index + 1;
        let mut line = line.to_string();
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
            lines.push(text);
            continue;
        }
        line = convert_highlight_tags(&line, &mut out);
        let fences = line
            .lines()
            .filter(|part| {
                let part = part.trim_start();
                part.starts_with("```") || part.starts_with("~~~")
            })
            .count();
        let was_in_code = in_code;
        in_code ^= fences % 2 == 1;
        if !was_in_code && !in_code && fences == 0 {
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
        }
        line = convert_url_filters(&line, &mut out);
        line = convert_post_links(&line, post_path, &mut out);
        if line.contains("{%") || line.contains("{{") {
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
        let end = text[start..].find("%}").map(|i| start + i + 2)?;
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
fn convert_highlight_tags(line: &str, out: &mut Converted) -> String {
    let trimmed = line.trim();
    if let Some((start, end)) = find_tag(trimmed, "highlight")
        && start == 0
        && end < trimmed.len()
    {
        // Code after the opening tag: a fence, then the code on its line.
        let fence = convert_highlight_tags(&trimmed[..end], out);
        let code = convert_highlight_tags(&trimmed[end..], out);
        return format!("{fence}\n{code}");
    }
    if let Some((start, end)) = find_tag(trimmed, "endhighlight")
        && start > 0
        && end == trimmed.len()
    {
        out.changes
            .push("{% highlight %} blocks turned into fenced code");
        let code = line[..line.rfind("{%").unwrap_or(0)].trim_end();
        return format!("{code}\n```");
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
        return format!("```{language}{options}");
    }
    if find_tag(trimmed, "endhighlight").is_some_and(|(s, e)| s == 0 && e == trimmed.len()) {
        return "```".to_string();
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

/// `[text](url){:target="_blank" rel="noopener"}` → `[text](url)`.
fn strip_inline_ial(line: &str, out: &mut Converted) -> String {
    let mut text = line.to_string();
    while let Some(start) = text.find("{:") {
        let Some(length) = text[start..].find('}') else {
            break;
        };
        let ial = text[start..start + length + 1].to_string();
        if ial.contains("_blank") {
            out.wants_target_blank = true;
        }
        if ial.contains("noreferrer") {
            out.wants_no_referrer = true;
        }
        text.replace_range(start..start + length + 1, "");
        out.changes.push("kramdown attribute list removed");
    }
    text
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
            let known = url_filter || filter.starts_with("prepend: site.baseurl");
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

/// `{% post_url name %}` and `{% link _posts/name.md %}` → `@/posts/name.md`.
fn convert_post_links(
    line: &str,
    post_path: &dyn Fn(&str) -> Option<String>,
    out: &mut Converted,
) -> String {
    let mut text = line.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{%") {
        let start = from + found;
        let Some(length) = text[start..].find("%}") else {
            break;
        };
        let end = start + length + 2;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let target = inner
            .strip_prefix("post_url ")
            .map(|name| post_path(name.trim()))
            .or_else(|| {
                inner
                    .strip_prefix("link ")
                    .map(|path| link_target(path.trim(), post_path))
            })
            .flatten();
        match target {
            Some(target) => {
                text.replace_range(start..end, &target);
                out.changes
                    .push("{% post_url %} and {% link %} turned into @/ links");
                from = start + target.len();
            }
            None => from = end,
        }
    }
    text
}

fn link_target(path: &str, post_path: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let name = path.strip_prefix("_posts/")?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    post_path(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts(name: &str) -> Option<String> {
        (name == "2023-05-10-devops").then(|| "@/posts/2023-05-10-devops.md".to_string())
    }

    #[test]
    fn highlight_options_become_fence_options() {
        let mut out = Converted::default();
        assert_eq!(
            convert_highlight_tags("{% highlight js linenos %}", &mut out),
            "```js,linenos"
        );
        assert_eq!(
            convert_highlight_tags("{% highlight ruby mark_lines=\"1 3\" %}", &mut out),
            "```ruby,hl_lines=1 3"
        );
        assert_eq!(
            convert_highlight_tags("{% highlight yaml %}", &mut out),
            "```yaml"
        );
    }

    #[test]
    fn converts_what_has_an_equivalent() {
        let body = "## Reviews\n{: #reviews}\n\n[blog](https://x.org){:target=\"_blank\" rel=\"noopener\"}\n\n{% highlight yaml %}\na: 1\n{% endhighlight %}\n\n![b]({{ \"/img/b.png\" | relative_url }}) [e]({{ 'about' | relative_url }}) [c]({{ site.baseurl }}/c/) [d]({{ '/d/' | prepend: site.baseurl }})\n\nSee [it]({% post_url 2023-05-10-devops %}) and [that]({% link _posts/2023-05-10-devops.md %}).\nA lead.\n{: .lead}\n";
        let out = convert(body, &posts);
        assert!(out.text.contains("## Reviews {#reviews}"), "{}", out.text);
        assert!(out.text.contains("[blog](https://x.org)\n"), "{}", out.text);
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
        assert!(out.wants_target_blank);
        assert!(out.left.is_empty(), "{:?}", out.left);
    }

    #[test]
    fn leaves_the_rest_and_lists_it() {
        let body = "Intro\n\n{% raw %}\nGo: {{ .Summary }}\n{% endraw %}\n\n{% include signup.html %}\n{{ page.title }}\n";
        let out = convert(body, &posts);
        assert!(out.text.contains("Go: {{ .Summary }}"), "{}", out.text);
        assert!(!out.text.contains("raw"), "{}", out.text);
        let left: Vec<usize> = out.left.iter().map(|(line, _)| *line).collect();
        assert_eq!(left, [7, 8], "{:?}", out.left);
    }
}
