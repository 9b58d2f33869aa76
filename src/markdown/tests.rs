//! Behaviour of the Markdown renderer, one feature a test.

use super::*;

struct Pages;

impl LinkResolver for Pages {
    fn resolve(&self, content_path: &str) -> Option<String> {
        (content_path == "posts/2024-03-22-kubecon.md").then(|| "/team/2024/kubecon/".to_string())
    }
}

fn options() -> MarkdownOptions {
    MarkdownOptions {
        raw_html: true,
        external_links_target_blank: false,
        external_links_no_referrer: false,
        base_path: "/team".into(),
        site_origin: "https://example.org".into(),
        math: false,
        emoji: false,
    }
}

/// The built-in theme's templates, loaded once for every test.
fn built_in_theme() -> &'static (crate::config::Config, crate::render::Templates) {
    static THEME: std::sync::OnceLock<(crate::config::Config, crate::render::Templates)> =
        std::sync::OnceLock::new();
    THEME.get_or_init(|| {
        let config: crate::config::Config =
            toml::from_str("title = \"t\"\nbase_url = \"https://example.org/team\"\n").unwrap();
        let no_site_templates = std::path::Path::new("/nonexistent");
        let templates =
            crate::render::Templates::load(no_site_templates, &config, Default::default(), None)
                .unwrap_or_else(|_| panic!("the built-in templates load"));
        (config, templates)
    })
}

fn render_with(source: &str, options: &MarkdownOptions) -> Rendered {
    let (config, templates) = built_in_theme();
    render(
        source,
        options,
        &Pages,
        &Highlighter::new("InspiredGitHub", "base16-ocean.dark").unwrap(),
        &templates.for_markdown(config),
    )
}

/// Without a theme: pulldown-cmark's plain HTML for every element.
fn render_without_theme(source: &str) -> Rendered {
    render(
        source,
        &options(),
        &Pages,
        &Highlighter::new("InspiredGitHub", "base16-ocean.dark").unwrap(),
        &NoTemplates,
    )
}

fn html(source: &str) -> String {
    render_with(source, &options()).html.to_string()
}

#[test]
fn headings_get_ids_and_anchors() {
    let out = render_with(
        "# Café Déjà vu\n\n## Intro\n\n## Intro\n\n## Custom {#mine}\n",
        &options(),
    );
    assert!(out.html.contains("<h1 id=\"cafe-deja-vu\">Café Déjà vu <a class=\"heading-anchor\" href=\"#cafe-deja-vu\""), "{}", out.html);
    assert_eq!(out.anchors, ["cafe-deja-vu", "intro", "intro-1", "mine"]);
}

#[test]
fn toc_nests_headings() {
    let out = render_with("## A\n\n### A1\n\n### A2\n\n## B\n", &options());
    assert_eq!(out.toc.len(), 2);
    assert_eq!(out.toc[0].title, "A");
    assert_eq!(out.toc[0].children.len(), 2);
    assert_eq!(out.toc[0].children[1].id, "a2");
}

#[test]
fn summary_ends_at_the_more_marker() {
    let out = render_with("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n", &options());
    assert_eq!(out.summary_html, "<p>First.</p>\n<p>Second.</p>\n");
    assert!(out.has_more);
    assert!(!out.html.contains("more -->"));
    assert!(out.html.contains("<p>Third.</p>"));
}

#[test]
fn summary_defaults_to_the_first_paragraph() {
    let out = render_with("First *one*.\n\nSecond.\n", &options());
    assert_eq!(out.summary_html, "<p>First <em>one</em>.</p>\n");
    assert!(out.has_more);
    let short = render_with("Only.\n", &options());
    assert!(!short.has_more);
}

#[test]
fn extensions_are_on() {
    let out = html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n\n~~gone~~\n\n- [x] done\n- [ ] todo\n\n\"Quoted\" -- dash\n",
    );
    assert!(out.contains("<table>"), "{out}");
    assert!(out.contains("class=\"footnote-definition\""), "{out}");
    assert!(out.contains("<del>gone</del>"), "{out}");
    assert!(out.contains("type=\"checkbox\""), "{out}");
    assert!(out.contains("“Quoted” – dash"), "{out}");
}

#[test]
fn code_is_highlighted_into_classes() {
    let out = render_with("```rust\nfn main() {}\n```\n", &options());
    assert!(
        out.html.contains(
            "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\">"
        ),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<span class=\"lc-a71d5d lb dc-b48ead\">fn</span>"),
        "{}",
        out.html
    );
    assert!(out.problems.is_empty());
}

#[test]
fn unknown_language_is_plain_text_with_a_warning() {
    let out = render_with("Intro.\n\n```klingon\nqapla' <b>\n```\n", &options());
    assert!(
        out.html.contains("qapla&#39; &lt;b&gt;") || out.html.contains("qapla' &lt;b&gt;"),
        "{}",
        out.html
    );
    assert_eq!(out.problems.len(), 1);
    let problem = &out.problems[0];
    assert_eq!(problem.severity, Severity::Warning);
    assert_eq!((problem.line, problem.column), (3, 1));
    assert!(problem.message.contains("klingon"));
}

#[test]
fn internal_links_resolve_and_record_anchors() {
    let out = render_with(
        "See [day one](@/posts/2024-03-22-kubecon.md#keynote).\n",
        &options(),
    );
    assert!(
        out.html.contains("href=\"/team/2024/kubecon/#keynote\""),
        "{}",
        out.html
    );
    assert_eq!(out.internal_links.len(), 1);
    assert_eq!(out.internal_links[0].anchor.as_deref(), Some("keynote"));
}

#[test]
fn unresolved_internal_link_is_an_error_at_its_line() {
    let out = render_with("Intro.\n\nA [broken](@/posts/nope.md) link.\n", &options());
    let problem = &out.problems[0];
    assert_eq!(problem.severity, Severity::Error);
    assert_eq!((problem.line, problem.column), (3, 3));
    assert!(problem.message.contains("@/posts/nope.md"));
}

#[test]
fn site_absolute_urls_get_the_base_path() {
    let out = html(
        "![booth](/img/booth.png) [tags](/tags/) ![cdn](//cdn.example.com/x.png) ![rel](stage.png)\n",
    );
    assert!(out.contains("src=\"/team/img/booth.png\""), "{out}");
    assert!(out.contains("href=\"/team/tags/\""), "{out}");
    assert!(out.contains("src=\"//cdn.example.com/x.png\""), "{out}");
    assert!(out.contains("src=\"stage.png\""), "{out}");
}

#[test]
fn external_links_get_attributes_only_when_asked() {
    let plain = html("[x](https://other.org/)\n");
    assert!(
        plain.contains("<a href=\"https://other.org/\">x</a>"),
        "{plain}"
    );
    let mut opts = options();
    opts.external_links_target_blank = true;
    opts.external_links_no_referrer = true;
    let out = render_with(
        "[x](https://other.org/) [us](https://example.org/team/) [rel](/tags/)\n",
        &opts,
    )
    .html;
    assert!(
        out.contains(
            "<a href=\"https://other.org/\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>"
        ),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"https://example.org/team/\">us</a>"),
        "{out}"
    );
    assert!(out.contains("<a href=\"/team/tags/\">rel</a>"), "{out}");
}

#[test]
fn raw_html_can_be_escaped() {
    let mut opts = options();
    opts.raw_html = false;
    let out = render_with(
        "<div class=\"x\">hi</div>\n\nText <script>alert(1)</script>.\n",
        &opts,
    )
    .html;
    assert!(!out.contains("<div"), "{out}");
    assert!(!out.contains("<script>"), "{out}");
    assert!(out.contains("&lt;script&gt;"), "{out}");
    assert!(html("<div class=\"x\">hi</div>\n").contains("<div class=\"x\">hi</div>"));
}

#[test]
fn counts_words_of_prose_not_code() {
    let out = render_with(
        "# Title here\n\nOne two three.\n\n```rust\nlet a = 1; let b = 2;\n```\n",
        &options(),
    );
    assert_eq!(out.word_count, 5);
}

#[test]
fn footnotes_have_their_own_ids_and_link_back() {
    let out = html(
        "## 1\n\n## Fn 1\n\nA claim.[^1] Another.[^note] Again.[^1]\n\n[^1]: The source.\n[^note]: A note.\n",
    );
    assert!(
        out.contains("<h2 id=\"1\">") && out.contains("<h2 id=\"fn-1\">"),
        "{out}"
    );
    assert!(
        out.contains(
            "<sup class=\"footnote-reference\" id=\"fnref:1\"><a href=\"#fn:1\">1</a></sup>"
        ),
        "{out}"
    );
    assert!(out.contains("id=\"fnref:1-2\""), "{out}");
    assert!(
        out.contains("<div class=\"footnote-definition\" id=\"fn:1\">"),
        "{out}"
    );
    assert!(out.contains("href=\"#fnref:1\""), "{out}");
    assert!(
        out.contains("id=\"fn:2\"><sup class=\"footnote-definition-label\">2</sup>"),
        "{out}"
    );
    assert_eq!(out.matches(" id=\"1\"").count(), 1, "{out}");
    assert_eq!(out.matches(" id=\"fn-1\"").count(), 1, "{out}");
}

#[test]
fn github_alerts_become_styled_blockquotes() {
    let out = html("> [!WARNING]\n> The demo ran on a laptop.\n\n> Plain quote.\n");
    assert!(
        out.contains("<blockquote class=\"markdown-alert-warning\">"),
        "{out}"
    );
    assert!(!out.contains("[!WARNING]"), "{out}");
    assert!(out.contains("<blockquote>\n<p>Plain quote.</p>"), "{out}");
}

#[test]
fn fence_options_number_mark_hide_and_name_lines() {
    let out = render_with(
        "```rust,linenos,hl_lines=2,hide_lines=3,name=\"main.rs\"\nfn a() {}\n/* two\nthree */\nfn four() {}\n```\n",
        &options(),
    );
    let html = &out.html;
    assert!(
        html.starts_with(
            "<figure class=\"code-block\"><figcaption class=\"code-bar\" data-lang=\"rust\"><span class=\"code-name\">main.rs</span></figcaption><pre"
        ),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>"),
        "{html}"
    );
    assert!(
        html.contains("<mark class=\"line hl\"><span class=\"ln\" aria-hidden=\"true\">2</span>"),
        "{html}"
    );
    assert!(!html.contains(">3</span>"), "line 3 is hidden: {html}");
    assert!(html.contains(">4</span>"), "{html}");
    assert!(!html.contains("three"), "{html}");
    // Every line's tags are closed before its newline.
    assert_eq!(
        html.matches("<span class=\"line\">").count() + html.matches("<mark").count(),
        3
    );
    assert!(out.problems.is_empty());
    let warned = render_with("```rust,linenoss\nx\n```\n", &options());
    assert_eq!(warned.problems.len(), 1);
    assert!(warned.problems[0].message.contains("`linenoss`"));
}

#[test]
fn task_list_checkboxes_are_labelled() {
    let out = html("- [x] slides uploaded\n- [ ] recording\n");
    assert!(
        out.contains(
            "<input type=\"checkbox\" disabled checked aria-label=\"done\"> slides uploaded"
        ),
        "{out}"
    );
    assert!(
        out.contains("<input type=\"checkbox\" disabled aria-label=\"to do\"> recording"),
        "{out}"
    );
}

#[test]
fn math_is_mathml_when_asked_for() {
    let math = MarkdownOptions {
        math: true,
        ..options()
    };
    let out = render_with("Area: $x^2$.\n\n$$\\int x\\,dx$$\n", &math);
    assert!(out.html.contains("<math"), "{}", out.html);
    assert!(out.html.contains("display=\"block\""), "{}", out.html);
    assert!(out.html.contains("∫"), "{}", out.html);
    assert!(out.problems.is_empty());
    let less = render_with("$a<b$ and $c>d$\n", &math).html;
    assert!(!less.contains("><<") && !less.contains(">><"), "{less}");
    assert!(
        less.contains("<mo>&lt;</mo>") && less.contains("<mo>&gt;</mo>"),
        "{less}"
    );
    let bad = render_with("Broken: $\\frac{1}$.\n", &math);
    assert_eq!(bad.problems.len(), 1, "{:?}", bad.problems);
    assert!(bad.problems[0].message.contains("cannot read the formula"));
    let off = html("Costs $5 and $6.\n");
    assert!(off.contains("Costs $5 and $6."), "{off}");
}

#[test]
fn emoji_shortcodes_when_asked_for() {
    let emoji = MarkdownOptions {
        emoji: true,
        ..options()
    };
    let out = render_with(
        "Shipped :tada: at 10:30, see :not_an_emoji: and `:tada:`.\n",
        &emoji,
    )
    .html;
    assert!(
        out.contains("Shipped 🎉 at 10:30, see :not_an_emoji: and <code>:tada:</code>."),
        "{out}"
    );
    assert!(html("Shipped :tada:\n").contains(":tada:"));
    let heading = render_with("## Launch :rocket:\n", &emoji);
    assert!(heading.html.contains("Launch 🚀"), "{}", heading.html);
    assert_eq!(heading.toc[0].title, "Launch 🚀");
}

#[test]
fn without_a_theme_elements_get_plain_html() {
    let html = render_without_theme(
        "## Intro\n\n```rust\nfn x() {}\n```\n\n![a *b*](/x.png)\n\n[c](/y/)\n",
    )
    .html;
    assert!(html.contains("<h2 id=\"intro\">Intro</h2>"), "{html}");
    assert!(
        html.contains("<pre><code class=\"language-rust\"><span"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/team/x.png\" alt=\"a b\""),
        "{html}"
    );
    assert!(html.contains("<a href=\"/team/y/\">c</a>"), "{html}");
}

#[test]
fn hooks_see_links_and_images_inside_headings() {
    let html = html("## See [the *talk*](/talk/) ![icon](/i.png)\n");
    assert!(
        html.contains("<h2 id=\"see-the-talk-icon\">See <a href=\"/team/talk/\">the <em>talk</em></a> <img src=\"/team/i.png\" alt=\"icon\" loading=\"lazy\""),
        "{html}"
    );
}

#[test]
fn a_more_marker_inside_a_hooked_element_ends_the_summary_there() {
    let out = render_with(
        "![a](/x.png)\n\n## Title <!-- more --> here\n\nrest\n",
        &options(),
    );
    assert!(out.summary_html.contains("<img"), "{}", out.summary_html);
    assert!(!out.summary_html.contains("<h2"), "{}", out.summary_html);
    assert!(out.has_more);
}
