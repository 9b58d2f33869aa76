//! Shortcodes in Markdown: the built-in ones, a site's own, arguments of
//! every type, and text that only looks like a shortcode left alone.

use crate::support::{Page, TestSite};

const BODY: &str = r#"Intro paragraph.

{{ youtube(id="dQw4w9WgXcQ", title="The keynote", start=90) }}

{{ figure(src="/img/stage.png", alt="The main stage", caption="Hall B, day one") }}

{% session(title="Thanos deep dive", speakers=["Saswata Mukherjee", "Filip Petkovski"], video="https://www.youtube.com/watch?v=abc", track="Observability") %}
{% end %}

{% callout(kind="tip", loud=true, level=2) %}
Bring a **charger**.
{% end %}

Helm values stay as written: `{{ .Values.image.tag }}`, and so does {{ unknown(x=1) }}.

```yaml
image: "{{ .Values.image }}"
sha: ${{ github.sha }}
embed: {{ youtube(id="not-me") }}
```

{% raw %}{{ jinja }}{% endraw %}
"#;

fn site() -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org/team\"\n");
    site.write(
        "templates/shortcodes/callout.html",
        "<aside class=\"callout callout-{{ kind }}\" data-loud=\"{{ loud }}\" data-level=\"{{ level }}\">{{ body | markdown | safe }}</aside>",
    );
    site.post("2024-03-22-kubecon.md", "title = \"KubeCon\"", BODY);
    site
}

#[test]
fn built_in_and_site_shortcodes_render() {
    let site = site();
    site.build();
    let page = Page::parse(&site.read("2024/kubecon/index.html"));
    let iframe = page.attr("iframe", "src");
    assert_eq!(
        iframe,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"
    );
    assert_eq!(page.attr("iframe", "loading"), "lazy");
    assert_eq!(
        page.attr("figure.video figcaption a", "href"),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s"
    );
    assert_eq!(page.attr("figure.figure img", "src"), "/team/img/stage.png");
    assert_eq!(page.attr("figure.figure img", "alt"), "The main stage");
    assert_eq!(page.text("figure.figure figcaption"), "Hall B, day one");
    assert_eq!(page.text(".prose .session-card h3"), "Thanos deep dive");
    assert!(
        page.text(".prose .session-card .speakers")
            .contains("Saswata Mukherjee, Filip Petkovski")
    );
    assert_eq!(page.attr("aside.callout-tip", "data-loud"), "true");
    assert_eq!(page.attr("aside.callout-tip", "data-level"), "2");
    assert_eq!(
        page.text("aside.callout-tip strong"),
        "charger",
        "the body went through the markdown filter"
    );
}

#[test]
fn lookalikes_are_left_exactly_as_written() {
    let site = site();
    site.build();
    let html = site.read("2024/kubecon/index.html");
    let page = Page::parse(&html);
    let prose = page.text(".prose");
    assert!(prose.contains("{{ .Values.image.tag }}"), "{prose}");
    assert!(prose.contains("{{ unknown(x=1) }}"), "{prose}");
    assert!(
        prose.contains("{% raw %}{{ jinja }}{% endraw %}"),
        "{prose}"
    );
    let code = page.text("pre.code");
    assert!(code.contains("image: \"{{ .Values.image }}\""), "{code}");
    assert!(code.contains("sha: ${{ github.sha }}"), "{code}");
    assert!(
        code.contains("embed: {{ youtube(id=\"not-me\") }}"),
        "{code}"
    );
    assert_eq!(
        page.select("iframe").len(),
        1,
        "the youtube call inside code is not rendered"
    );
}

#[test]
fn a_known_shortcode_with_bad_arguments_is_an_error_at_its_line() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "Intro.\n\n{{ youtube(id=dQw4w9) }}\n",
    );
    site.run(&["build"]).fails_with(&[
        "content/posts/2024-03-22-kubecon.md:6:1",
        "shortcode `youtube`",
        "{{ youtube(id=dQw4w9) }}",
    ]);
    let missing = TestSite::new();
    missing.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "{{ youtube(title=\"no id\") }}\n",
    );
    missing.run(&["build"]).fails_with(&[
        "content/posts/2024-03-22-kubecon.md:4:1",
        "shortcode `youtube`",
        "id",
    ]);
}

#[test]
fn a_post_opening_with_a_shortcode_is_described_without_its_placeholder() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-talk.md",
        "title = \"The talk\"",
        "{{ youtube(id=\"dQw4w9WgXcQ\", title=\"The keynote\") }}\n\nWhat we learned.\n",
    );
    site.build();
    for file in [
        "2024/talk/index.html",
        "atom.xml",
        "search-index.json",
        "index.html",
    ] {
        let text = site.read(file);
        assert!(!text.contains('\u{F8FF}'), "{file} holds a placeholder");
    }
}

#[test]
fn unknown_shortcodes_keep_their_straight_quotes() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-talk.md",
        "title = \"The talk\"",
        "Embed: {{ tweet(id=\"1\") }} -- and \"quoted\" prose.\n",
    );
    site.build();
    let page = site.html("2024/talk/index.html");
    let text = page.text(".prose");
    assert!(text.contains("{{ tweet(id=\"1\") }}"), "{text}");
    assert!(
        text.contains("“quoted”"),
        "prose keeps smart quotes: {text}"
    );
}

#[test]
fn built_in_embeds_are_lazy_and_keep_a_plain_link() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org/team\"\n");
    site.post(
        "2024-03-22-talk.md",
        "title = \"The talk\"",
        r#"Intro.

{{ youtube(list="PLabc", title="All the talks") }}

{{ vimeo(id="76979871") }}

{{ speakerdeck(id="f3c5", url="https://speakerdeck.com/ana/talk") }}

{{ slideshare(key="k3y") }}

{{ slides(src="/slides/talk.pdf", title="Our slides") }}

{{ mastodon(url="https://fosstodon.org/@ana/1234") }}

{{ gist(url="https://gist.github.com/ana/abc", file="main.rs") }}
"#,
    );
    site.build();
    let page = site.html("2024/talk/index.html");
    let iframes: Vec<String> = page
        .select(".prose iframe")
        .iter()
        .map(|frame| {
            assert_eq!(frame.value().attr("loading"), Some("lazy"));
            frame.value().attr("src").unwrap().to_string()
        })
        .collect();
    assert_eq!(
        iframes,
        [
            "https://www.youtube-nocookie.com/embed/videoseries?list=PLabc",
            "https://player.vimeo.com/video/76979871?dnt=1",
            "https://speakerdeck.com/player/f3c5",
            "https://www.slideshare.net/slideshow/embed_code/key/k3y",
            "https://fosstodon.org/@ana/1234/embed",
        ]
    );
    let links = page.links();
    for link in [
        "https://www.youtube.com/playlist?list=PLabc",
        "https://vimeo.com/76979871",
        "https://speakerdeck.com/ana/talk",
        "/team/slides/talk.pdf",
        "https://fosstodon.org/@ana/1234",
        "https://gist.github.com/ana/abc",
    ] {
        assert!(
            links.iter().any(|l| l == link),
            "no link to {link}: {links:?}"
        );
    }
    assert_eq!(page.attr(".pdf-frame", "data"), "/team/slides/talk.pdf");
}

#[test]
fn an_embed_with_a_script_url_is_an_error() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-talk.md",
        "title = \"The talk\"",
        "{{ mastodon(url=\"javascript:alert(1)\") }}\n",
    );
    site.run(&["build"])
        .fails_with(&["argument `url`", "could run script"]);
}
