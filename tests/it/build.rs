//! `recap build` on small sites: the pages of SPEC §3 and what they hold.

use crate::support::{Page, TestSite, broken_links};

/// Three posts over two years, two events (one named only by a post), tags
/// differing in case, an author with a file and one without, sessions.
fn recap_site() -> TestSite {
    let site = TestSite::with_config(
        "title = \"Team Recaps\"\nbase_url = \"https://example.org\"\nposts_per_page = 2\n",
    );
    site.write(
        "content/events/kubecon-eu-2024.md",
        "+++\nname = \"KubeCon EU 2024\"\nstart = 2024-03-19\nend = 2024-03-22\nlocation = \"Paris, France\"\n+++\nThe big one.\n",
    );
    site.write(
        "content/authors/alice.md",
        "+++\nname = \"Alice Martin\"\nbio = \"Platform engineer.\"\n+++\nAlice writes about clusters.\n",
    );
    site.post(
        "2024-03-22-kubecon-day-one.md",
        "title = \"KubeCon day one\"\nevent = \"kubecon-eu-2024\"\ntags = [\"Kubernetes\", \"observability\"]\nauthors = [\"alice\", \"Bob Okafor\"]\n\n[[sessions]]\ntitle = \"Thanos deep dive\"\nspeakers = [\"Saswata Mukherjee\"]\nvideo = \"https://www.youtube.com/watch?v=abc\"\n",
        "First paragraph of day one.\n\nSecond paragraph.\n",
    );
    site.post(
        "2024-03-23-kubecon-day-two.md",
        "title = \"KubeCon day two\"\nevent = \"KubeCon EU 2024\"\ntags = [\"kubernetes\"]\nauthors = [\"alice\"]\n\n[[sessions]]\ntitle = \"Thanos Deep Dive\"\nspeakers = [\"Filip Petkovski\"]\n\n[[sessions]]\ntitle = \"eBPF for everyone\"\nspeakers = [\"Liz\"]\n",
        "Day two.\n",
    );
    site.post(
        "2023-11-10-rustfest.md",
        "title = \"RustFest notes\"\nevent = \"RustFest Zürich 2023\"\ntags = [\"rust\"]",
        "Rust all day.\n",
    );
    site
}

#[test]
fn builds_every_page_of_the_site() {
    let site = recap_site();
    let run = site.build();
    assert!(
        run.stdout().contains("3 posts, 2 events, 3 tags"),
        "{}",
        run.stdout()
    );
    for page in [
        "index.html",
        "page/2/index.html",
        "page/1/index.html",
        "2024/kubecon-day-one/index.html",
        "2023/rustfest/index.html",
        "archive/index.html",
        "tags/index.html",
        "tags/kubernetes/index.html",
        "events/index.html",
        "events/kubecon-eu-2024/index.html",
        "events/rustfest-zurich-2023/index.html",
        "authors/index.html",
        "authors/alice/index.html",
        "authors/bob-okafor/index.html",
        "talks/index.html",
        "404.html",
        "search/index.html",
        "atom.xml",
    ] {
        assert!(site.public(page).is_file(), "missing {page}");
    }
    assert!(
        broken_links(&site.public(""), "").is_empty(),
        "{:?}",
        broken_links(&site.public(""), "")
    );
}

#[test]
fn home_lists_posts_newest_first_and_paginates() {
    let site = recap_site();
    site.build();
    let home = site.html("index.html");
    let links: Vec<String> = home.links();
    let day_two = links
        .iter()
        .position(|l| l == "/2024/kubecon-day-two/")
        .expect("day two linked");
    let day_one = links
        .iter()
        .position(|l| l == "/2024/kubecon-day-one/")
        .expect("day one linked");
    assert!(day_two < day_one);
    assert!(
        !links.contains(&"/2023/rustfest/".to_string()),
        "third post is on page 2"
    );
    assert!(
        site.html("page/2/index.html")
            .links()
            .contains(&"/2023/rustfest/".to_string())
    );
    assert!(
        site.read("page/1/index.html")
            .contains("https://example.org/")
    );
}

#[test]
fn tags_that_slugify_alike_are_one_tag() {
    let site = recap_site();
    site.build();
    let tag = site.html("tags/kubernetes/index.html");
    let links = tag.links();
    assert!(links.contains(&"/2024/kubecon-day-one/".to_string()));
    assert!(links.contains(&"/2024/kubecon-day-two/".to_string()));
    assert!(!site.public("tags/Kubernetes").exists());
}

#[test]
fn event_page_dedupes_sessions_and_lists_recaps_and_authors() {
    let site = recap_site();
    site.build();
    let text = site.read("events/kubecon-eu-2024/index.html");
    let titles: Vec<String> = site
        .html("events/kubecon-eu-2024/index.html")
        .select(".session-card h3")
        .iter()
        .map(|title| title.text().collect::<String>().to_lowercase())
        .collect();
    assert_eq!(
        titles.iter().filter(|t| *t == "thanos deep dive").count(),
        1,
        "{titles:?}"
    );
    // The merged session credits both recaps and keeps the video one of
    // them had.
    assert!(text.contains("From our recaps"), "{text}");
    assert!(text.contains("/2024/kubecon-day-one/") && text.contains("/2024/kubecon-day-two/"));
    assert!(text.contains("eBPF for everyone"));
    assert!(text.contains("/authors/alice/"));
    assert!(text.contains("/authors/bob-okafor/"));
    let page = site.html("events/kubecon-eu-2024/index.html");
    let jsonld = page.text("script[type='application/ld+json']");
    let value: serde_json::Value = serde_json::from_str(&jsonld).unwrap();
    assert_eq!(value["@type"], "Event");
    assert_eq!(value["startDate"], "2024-03-19");
    assert_eq!(value["endDate"], "2024-03-22");
}

#[test]
fn post_page_has_head_metadata_and_blogposting_jsonld() {
    let site = recap_site();
    site.build();
    let page = site.html("2024/kubecon-day-one/index.html");
    assert_eq!(page.text("title"), "KubeCon day one · Team Recaps");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/2024/kubecon-day-one/"
    );
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "First paragraph of day one."
    );
    assert_eq!(page.attr("meta[property='og:type']", "content"), "article");
    let value: serde_json::Value =
        serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(value["@type"], "BlogPosting");
    assert_eq!(value["about"]["@type"], "Event");
    assert_eq!(value["about"]["location"]["name"], "Paris, France");
    assert_eq!(value["author"][1]["name"], "Bob Okafor");
}

#[test]
fn prev_next_links_follow_date_order() {
    let site = recap_site();
    site.build();
    let links = site.html("2024/kubecon-day-one/index.html").links();
    assert!(
        links.contains(&"/2024/kubecon-day-two/".to_string()),
        "newer"
    );
    assert!(links.contains(&"/2023/rustfest/".to_string()), "older");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = recap_site();
    site.post(
        "2024-04-01-draft.md",
        "title = \"Secret draft\"\ndraft = true\ntags = [\"secret\"]",
        "x\n",
    );
    site.build();
    assert!(!site.public("2024/draft").exists());
    assert!(!site.public("tags/secret").exists());
    assert!(!site.read("index.html").contains("Secret draft"));
    assert!(!site.read("archive/index.html").contains("Secret draft"));
    let run = site.run(&["build", "--drafts"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(site.public("2024/draft/index.html").is_file());
    assert!(site.public("tags/secret/index.html").is_file());
}

#[test]
fn bundles_copy_their_files_beside_the_page() {
    let site = TestSite::new();
    site.write(
        "content/posts/promcon/index.md",
        "+++\ntitle = \"PromCon\"\ndate = 2024-05-02\nimage = \"stage.png\"\n+++\n![The stage](stage.png)\n",
    );
    site.write_bytes("content/posts/promcon/stage.png", b"\x89PNG fake");
    site.build();
    assert_eq!(
        std::fs::read(site.public("2024/promcon/stage.png")).unwrap(),
        b"\x89PNG fake"
    );
    let page = site.html("2024/promcon/index.html");
    assert_eq!(
        page.attr("meta[property='og:image']", "content"),
        "https://example.org/2024/promcon/stage.png"
    );
}

#[test]
fn aliases_become_redirect_pages() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\naliases = [\"/2024/03/22/kubecon-2024.html\", \"old/path\"]",
        "x\n",
    );
    site.build();
    for alias in ["2024/03/22/kubecon-2024.html", "old/path/index.html"] {
        let text = site.read(alias);
        assert!(
            text.contains("https://example.org/2024/kubecon/"),
            "{alias}: {text}"
        );
        assert!(
            Page::parse(&text).select("meta[http-equiv=refresh]").len() == 1,
            "{alias}"
        );
    }
}

#[test]
fn standalone_pages_and_static_files() {
    let site = TestSite::new();
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nWe go to conferences.\n",
    );
    site.write("static/img/logo.svg", "<svg/>");
    site.build();
    assert!(
        site.read("about/index.html")
            .contains("We go to conferences.")
    );
    assert_eq!(site.read("img/logo.svg"), "<svg/>");
}

#[test]
fn sub_path_base_url_prefixes_every_link() {
    let site = recap_site();
    let run = site.run(&["build", "--base-url", "https://example.org/team"]);
    assert!(run.ok(), "{}", run.stderr());
    let broken = broken_links(&site.public(""), "/team");
    assert!(broken.is_empty(), "{broken:?}");
    let page = site.html("2024/kubecon-day-one/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/team/2024/kubecon-day-one/"
    );
}

#[test]
fn a_site_with_only_a_config_builds() {
    let site = TestSite::new();
    let run = site.build();
    assert!(run.stdout().contains("0 posts"), "{}", run.stdout());
    assert!(site.public("index.html").is_file());
}

#[test]
fn templates_override_the_built_in_ones_file_by_file() {
    let site = recap_site();
    site.write(
        "templates/tags.html",
        "<p>my own tags page: {{ tags | length }}</p>",
    );
    site.build();
    assert_eq!(site.read("tags/index.html"), "<p>my own tags page: 3</p>");
    assert!(
        site.read("index.html").contains("<html"),
        "other templates stay built-in"
    );
}

#[test]
fn prints_a_one_line_summary_and_is_quiet_when_asked() {
    let site = recap_site();
    let run = site.build();
    let stdout = run.stdout();
    let line = stdout.lines().next().unwrap_or_default();
    assert!(line.starts_with("Built "), "{stdout}");
    assert!(
        line.contains(" pages (3 posts, 2 events, 3 tags) in "),
        "{stdout}"
    );
    assert!(line.contains(" s → "), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}'),
        "no colour codes when not on a terminal"
    );
    let quiet = site.run(&["--quiet", "build"]);
    assert!(quiet.ok());
    assert!(quiet.stdout().is_empty(), "{}", quiet.stdout());
}

#[test]
fn help_shows_examples() {
    let site = TestSite::new();
    let help = site.run(&["build", "--help"]);
    assert!(help.ok());
    assert!(help.stdout().contains("Examples:"), "{}", help.stdout());
    assert!(help.stdout().contains("--base-url"), "{}", help.stdout());
}

/// The fences real recaps use (kubectl sessions, Dockerfiles, Terraform,
/// TypeScript, ...) highlight, or are plain on purpose, without a warning.
#[test]
fn the_languages_recaps_use_need_no_warning() {
    let languages = "console shell powershell dockerfile Dockerfile toml hcl terraform tf ts \
        typescript tsx jsx kotlin swift csharp cmake nginx ini jsonc proto protobuf graphql scss \
        vue svelte elixir nix cue rego promql http mermaid text plaintext sh zsh yml";
    let body: Vec<String> = languages
        .split_whitespace()
        .map(|language| format!("```{language}\n$ echo \"x\" -- 1\n```\n"))
        .collect();
    let site = TestSite::new();
    site.post("2024-03-22-code.md", "title = \"Code\"", &body.join("\n"));
    let run = site.build();
    assert!(
        !run.stderr().contains("unknown language"),
        "{}",
        run.stderr()
    );
    let page = site.read("2024/code/index.html");
    for language in ["typescript", "kotlin", "hcl", "console"] {
        let block = page
            .split(&format!("data-lang=\"{language}\"><code"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {language} block"));
        let code = &block[..block.find("</pre>").unwrap()];
        assert!(
            code.contains("<span class="),
            "{language} is not highlighted: {code}"
        );
    }
    assert!(page.contains("<pre class=\"mermaid\">"));
}

#[test]
fn recap_languages_lists_grammars_and_aliases() {
    let site = TestSite::new();
    let run = site.run(&["languages"]);
    assert!(run.ok());
    let out = run.stdout();
    for expected in [
        "TypeScript: ts",
        "Dockerfile",
        "Kotlin",
        "sh → bash",
        "promql",
    ] {
        assert!(out.contains(expected), "{expected} missing from:\n{out}");
    }
}

#[test]
fn only_pages_with_code_load_the_copy_button() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-code.md",
        "title = \"Code\"",
        "```rust\nfn main() {}\n```\n",
    );
    site.post("2024-03-23-prose.md", "title = \"Prose\"", "Just words.\n");
    site.build();
    let script = |page: &str| {
        site.html(page)
            .select("script[src]")
            .iter()
            .any(|s| s.value().attr("src").unwrap().contains("/copy."))
    };
    assert!(script("2024/code/index.html"));
    assert!(!script("2024/prose/index.html"));
    let copy = std::fs::read_dir(site.public(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("copy.") && name.ends_with(".js"));
    assert!(copy.is_some(), "copy.js is published under a hashed name");
}

#[test]
fn a_site_partial_loads_mermaid_only_where_there_is_a_diagram() {
    let site = TestSite::new();
    site.write(
        "templates/partials/mermaid.html",
        "<script src=\"/js/mermaid.js\" defer></script>",
    );
    site.post(
        "2024-03-22-flow.md",
        "title = \"Flow\"",
        "```mermaid\ngraph TD; A-->B\n```\n",
    );
    site.post("2024-03-23-prose.md", "title = \"Prose\"", "Just words.\n");
    site.build();
    assert!(site.read("2024/flow/index.html").contains("/js/mermaid.js"));
    assert!(
        !site
            .read("2024/prose/index.html")
            .contains("/js/mermaid.js")
    );
    // Without the partial, a diagram page builds and loads nothing.
    std::fs::remove_file(site.root().join("templates/partials/mermaid.html")).unwrap();
    site.build();
    assert!(!site.read("2024/flow/index.html").contains("mermaid.js"));
}

#[test]
fn sessions_can_show_their_video_and_slides_on_the_card() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-talks.md",
        "title = \"Talks\"\nevent = \"KubeCon\"\n\n[[sessions]]\ntitle = \"On YouTube\"\nvideo = \"https://www.youtube.com/watch?v=abc123&t=42\"\nembed = true\n\n[[sessions]]\ntitle = \"On Vimeo\"\nvideo = \"https://vimeo.com/76979871\"\nslides = \"/slides/deck.pdf\"\nembed = true\n\n[[sessions]]\ntitle = \"Linked only\"\nvideo = \"https://youtu.be/xyz\"",
        "Text.\n",
    );
    site.build();
    for page in ["2024/talks/index.html", "events/kubecon/index.html"] {
        let html = site.html(page);
        let players: Vec<String> = html
            .select(".session-card iframe")
            .iter()
            .map(|frame| frame.value().attr("src").unwrap().to_string())
            .collect();
        assert_eq!(
            players,
            [
                "https://www.youtube-nocookie.com/embed/abc123",
                "https://player.vimeo.com/video/76979871?dnt=1"
            ],
            "{page}"
        );
        assert_eq!(
            html.select(".session-card object.pdf-frame").len(),
            1,
            "{page}"
        );
    }
}

#[test]
fn config_menu_adds_links_to_the_navigation_by_weight() {
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/team\"\n\n[[menu]]\nname = \"About\"\nurl = \"@/about.md\"\nweight = 5\n\n[[menu]]\nname = \"Jobs\"\nurl = \"https://jobs.example.org/\"\n\n[[menu]]\nname = \"Contact\"\nurl = \"/contact/\"\nweight = 35\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nHello.\n",
    );
    site.write(
        "content/contact.md",
        "+++\ntitle = \"Contact\"\n+++\nWrite.\n",
    );
    site.build();
    let page = site.html("about/index.html");
    let nav: Vec<(String, String)> = page
        .select(".site-nav a")
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let labels: Vec<&str> = nav.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Posts", "About", "Events", "Talks", "Tags", "Contact", "Authors", "Archive", "Search",
            "Jobs"
        ]
    );
    assert_eq!(nav[1].1, "/team/about/");
    assert_eq!(nav[5].1, "/team/contact/");
    assert_eq!(nav[9].1, "https://jobs.example.org/");
    assert_eq!(
        page.attr(".site-nav a[aria-current=page]", "href"),
        "/team/about/"
    );
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n\n[[menu]]\nname = \"Gone\"\nurl = \"@/gone.md\"\n",
    );
    site.run(&["build"])
        .fails_with(&["config.toml:6:8", "the menu link `@/gone.md` names no page"]);
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n\n[[menu]]\nname = \"X\"\nurl = \"javascript:alert(1)\"\n",
    );
    site.run(&["build"])
        .fails_with(&["config.toml", "could run script"]);
}

/// On a terminal, a long build shows a progress line per phase (the test
/// calls any build long); `--quiet` and pipes get none.
#[test]
#[ignore = "needs util-linux's script for a terminal (.ci/run installs it)"]
fn a_long_build_on_a_terminal_shows_progress() {
    let script = crate::support::external_tool("script", "RECAP_SCRIPT", &["/usr/bin/script"]);
    let site = recap_site();
    let on_terminal = |args: &str| {
        let output = std::process::Command::new(&script)
            .args([
                "-qec",
                &format!("{} {args}", env!("CARGO_BIN_EXE_recap")),
                "/dev/null",
            ])
            .current_dir(site.root())
            .env("RECAP_PROGRESS_AFTER_MS", "0")
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let shown = on_terminal("build");
    assert!(shown.contains("markdown ["), "{shown}");
    assert!(shown.contains("pages ["), "{shown}");
    assert!(!on_terminal("build --quiet").contains("pages ["));
    let piped = site.run(&["build"]);
    assert!(!piped.stderr().contains("pages ["), "{}", piped.stderr());
}
