//! Render hooks: a site's `templates/hooks/*.html` write the HTML of links,
//! images, headings and code blocks, with a per-language code block
//! variant; the built-in ones own the theme's markup.

use crate::support::TestSite;

const BODY: &str = r#"Read [the **schedule**](https://kccnceu2025.sched.com/ "Sched") and [our notes](/notes/).

![Hall *B*, day one](/img/stage.png "The stage")

## Keynotes {#keys .wide}

```rust
fn main() {}
```

```mermaid
graph TD; A-->B
```

```
plain text
```
"#;

fn site() -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org/team\"\n");
    site.post("2025-04-02-kubecon.md", "title = \"KubeCon\"", BODY);
    site
}

#[test]
fn built_in_hooks_write_the_themes_markup() {
    let site = site();
    site.build();
    let page = site.html("2025/kubecon/index.html");
    assert_eq!(page.attr("h2.wide", "id"), "keys");
    assert_eq!(page.attr("h2#keys a.heading-anchor", "href"), "#keys");
    assert_eq!(page.attr(".prose img", "src"), "/team/img/stage.png");
    assert_eq!(page.attr(".prose img", "alt"), "Hall B, day one");
    assert_eq!(page.attr(".prose img", "title"), "The stage");
    assert_eq!(page.attr(".prose img", "loading"), "lazy");
    assert_eq!(page.attr("pre.hl-code", "data-lang"), "rust");
    assert_eq!(page.attr("pre.hl-code", "tabindex"), "0");
    assert_eq!(page.text("pre.mermaid"), "graph TD; A-->B\n");
    assert_eq!(page.select("pre.code").len(), 2, "rust and the plain block");
    assert_eq!(
        page.attr(".prose a[title=Sched]", "href"),
        "https://kccnceu2025.sched.com/"
    );
}

#[test]
fn site_hooks_replace_the_built_in_html() {
    let site = site();
    site.write(
        "templates/hooks/link.html",
        r#"<a href="{{ url }}" data-external="{{ external }}"{% if external %} rel="external"{% endif %}>{{ text | safe }}</a>"#,
    );
    site.write(
        "templates/hooks/image.html",
        r#"<figure class="hooked"><img src="{{ url }}" alt="{{ alt }}"><figcaption>{{ title }}</figcaption></figure>"#,
    );
    site.write(
        "templates/hooks/heading.html",
        r#"<h{{ level }} id="{{ id }}" data-title="{{ title }}" class="{{ classes | join(sep=',') }}">{{ text | safe }}</h{{ level }}>"#,
    );
    site.write(
        "templates/hooks/codeblock-rust.html",
        r#"<div class="rusty" data-highlighted="{{ highlighted }}">{{ html | safe }}</div>"#,
    );
    site.write(
        "templates/hooks/codeblock.html",
        r#"<pre class="mine" data-lang="{{ language }}">{{ code }}</pre>"#,
    );
    site.build();
    let page = site.html("2025/kubecon/index.html");
    assert_eq!(
        page.attr("a[rel=external]", "href"),
        "https://kccnceu2025.sched.com/"
    );
    assert_eq!(page.text("a[rel=external] strong"), "schedule");
    assert_eq!(page.attr("a[data-external=false]", "href"), "/team/notes/");
    assert_eq!(page.attr("figure.hooked img", "alt"), "Hall B, day one");
    assert_eq!(page.text("figure.hooked figcaption"), "The stage");
    assert_eq!(page.attr("h2#keys", "class"), "wide");
    assert_eq!(page.attr("h2#keys", "data-title"), "Keynotes");
    assert!(page.select("h2 a.heading-anchor").is_empty());
    assert_eq!(page.attr("div.rusty", "data-highlighted"), "true");
    assert!(page.select("div.rusty span").len() > 1, "highlighted HTML");
    // The general hook replaces the built-in mermaid variant's fallback
    // only where no variant exists: the built-in one still draws diagrams.
    assert_eq!(page.text("pre.mermaid"), "graph TD; A-->B\n");
    assert_eq!(page.text("pre.mine"), "plain text\n");
    assert_eq!(page.attr("pre.mine", "data-lang"), "");
    let toc_and_summary = site.read("index.html");
    assert!(
        toc_and_summary.contains("https://kccnceu2025.sched.com/"),
        "summaries are written by the hooks too"
    );
}

#[test]
fn a_failing_hook_is_an_error_at_the_element() {
    let site = site();
    site.write(
        "templates/hooks/image.html",
        r#"<img src="{{ url }}" width="{{ size.width }}">"#,
    );
    site.run(&["build"]).fails_with(&[
        "content/posts/2025-04-02-kubecon.md:6:1",
        "render hook `image`",
        "templates/hooks/image.html",
    ]);
}
