//! Hostile and careless input: names whose slug is empty, script in
//! Markdown and front matter, control characters, sizes that used to blow
//! up, and the messages that used to mislead. Every build here runs in a
//! sandbox folder, and each test checks that nothing appeared outside the
//! output folder.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::support::TestSite;

/// A site inside a sandbox folder, so writes beside or above the site
/// can be seen.
struct Sandbox {
    dir: tempfile::TempDir,
    site: TestSite,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let site = TestSite {
            dir: tempfile::tempdir_in(dir.path()).unwrap(),
        };
        site.write("config.toml", crate::support::CONFIG);
        Sandbox { dir, site }
    }

    /// Every path in the sandbox, outside the site's `public/`.
    fn outside_output(&self) -> BTreeSet<PathBuf> {
        let public = self.site.public("");
        walkdir::WalkDir::new(self.dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|path| !path.starts_with(&public))
            .collect()
    }

    /// Builds and asserts the build failed with `parts` in its message
    /// and wrote nothing anywhere.
    fn fails_writing_nothing(&self, parts: &[&str]) {
        let before = self.outside_output();
        self.site.run(&["build"]).fails_with(parts);
        assert_eq!(
            self.outside_output(),
            before,
            "files appeared beside the output"
        );
        assert!(
            !self.site.public("").exists(),
            "a failed first build wrote output"
        );
    }
}

fn post(front: &str) -> String {
    format!("+++\ntitle = \"A\"\ndate = 2024-03-22\n{front}\n+++\nBody.\n")
}

#[test]
fn tags_authors_and_events_without_a_slug_are_errors_at_their_value() {
    for (front, line, column) in [
        ("tags = [\"rust\", \"#\"]", 4, 18),
        ("tags = [\"&\"]", 4, 10),
        ("tags = [\"—\"]", 4, 10),
        ("tags = [\"…\"]", 4, 10),
        ("tags = [\"-\"]", 4, 10),
        ("tags = [\" \"]", 4, 10),
        ("event = \"..\"", 4, 10),
        ("authors = [\"???\"]", 4, 13),
    ] {
        let sandbox = Sandbox::new();
        sandbox.site.write("content/posts/a.md", &post(front));
        sandbox.fails_writing_nothing(&[
            &format!("content/posts/a.md:{line}:{column}"),
            "no letters or digits",
        ]);
    }
}

#[test]
fn files_and_folders_without_a_slug_are_errors() {
    let victim = tempfile::Builder::new().prefix("victim").tempdir().unwrap();
    // Before the fix this wrote <victim>/victim/index.html: the empty
    // segment turned the rest of the path absolute.
    let through_victim = format!("content/a/!!!{}/victim.md", victim.path().display());
    for (file, text) in [
        ("content/authors/!!!.md", "+++\nname = \"X\"\n+++\n"),
        (
            "content/events/!!!.md",
            "+++\nname = \"X\"\nstart = 2024-01-01\n+++\n",
        ),
        ("content/sub/!!!.md", "+++\ntitle = \"X\"\n+++\n"),
        (through_victim.as_str(), "+++\ntitle = \"X\"\n+++\n"),
        ("content/posts/2099-01-01-..md", "+++\ntitle = \"X\"\n+++\n"),
    ] {
        let sandbox = Sandbox::new();
        sandbox
            .site
            .write("content/a/y.md", "+++\ntitle = \"Y\"\n+++\n");
        sandbox.site.write(file, text);
        sandbox.fails_writing_nothing(&["no letters or digits", ":1:1"]);
        assert_eq!(std::fs::read_dir(victim.path()).unwrap().count(), 0);
    }
}

#[test]
fn a_post_with_too_many_tags_is_an_error() {
    let sandbox = Sandbox::new();
    let tags: Vec<String> = (0..2000).map(|n| format!("\"t{n}\"")).collect();
    sandbox.site.write(
        "content/posts/a.md",
        &post(&format!("tags = [{}]", tags.join(", "))),
    );
    sandbox.fails_writing_nothing(&["content/posts/a.md:4:1", "2000 tags", "at most 100"]);
}

#[test]
fn a_static_file_named_with_a_newline_is_an_error_not_a_broken_manifest() {
    let sandbox = Sandbox::new();
    sandbox.site.write("static/a\nb.txt", "x");
    sandbox.fails_writing_nothing(&["control character U+000A", "static/a"]);
}

#[test]
fn an_alias_onto_the_manifest_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox.site.write(
        "content/posts/a.md",
        &post("aliases = [\"/.recap-manifest\"]"),
    );
    sandbox.fails_writing_nothing(&["content/posts/a.md", "keeps for its own bookkeeping"]);
}

#[test]
fn a_static_file_where_the_site_has_a_folder_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox
        .site
        .write("content/posts/a.md", &post("tags = [\"rust\"]"));
    sandbox.site.write("static/tags", "a file");
    sandbox.fails_writing_nothing(&[
        "`/tags` (from static/tags)",
        "cannot both be written",
        "needs `/tags` to be a folder",
    ]);
}

#[test]
fn raw_html_off_escapes_html_in_headings_in_pages_and_feeds() {
    let site = TestSite::with_config(&format!("{}raw_html = false\n", crate::support::CONFIG));
    site.write(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-22\n+++\n## Heading <img src=x onerror=alert(1)>\n\nText <b onmouseover=alert(2)>bold</b>.\n\n## Attributes {#x onclick=alert(3)}\n",
    );
    site.build();
    let page = site.html("2024/a/index.html");
    assert!(page.select("article img, main img").is_empty());
    assert!(
        page.select("[onerror], [onmouseover], [onclick]")
            .is_empty()
    );
    assert_eq!(page.select("h2#x").len(), 1, "the id stays");
    assert!(page.text("h2").contains("<img src=x onerror=alert(1)>"));
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let content = doc
        .descendants()
        .find(|node| node.has_tag_name("content"))
        .and_then(|node| node.text())
        .unwrap();
    assert!(!content.contains("<img"), "{content}");
    assert!(
        content.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{content}"
    );
}

#[test]
fn script_urls_in_markdown_are_dropped_with_a_warning() {
    let site = TestSite::new();
    site.write(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-22\n+++\n[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c]( JavaScript:x)\n\n[d](vbscript:x) ![e](data:text/html,x) [ok](https://example.org/)\n",
    );
    let run = site.build();
    assert_eq!(
        run.stderr().matches("could run script").count(),
        5,
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("content/posts/a.md:5:1"));
    let page = site.html("2024/a/index.html");
    for link in page.links() {
        let scheme = link.split(':').next().unwrap().trim().to_ascii_lowercase();
        assert!(
            !["javascript", "vbscript", "data"].contains(&scheme.as_str()),
            "{link}"
        );
    }
    assert!(page.links().contains(&"https://example.org/".to_string()));
}

#[test]
fn script_urls_in_front_matter_are_errors_at_their_value() {
    for (file, text, at) in [
        (
            "content/posts/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-03-22\n[[sessions]]\ntitle = \"T\"\nvideo = \"javascript:alert(1)\"\n+++\n",
            "content/posts/a.md:6:10",
        ),
        (
            "content/posts/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-03-22\n[[sessions]]\ntitle = \"T\"\nslides = \" JavaScript:x\"\n+++\n",
            "content/posts/a.md:6:11",
        ),
        (
            "content/authors/ana.md",
            "+++\nname = \"Ana\"\n[links]\nsite = \"vbscript:x\"\n+++\n",
            "content/authors/ana.md:4:9",
        ),
        (
            "content/events/kc.md",
            "+++\nname = \"KC\"\nstart = 2024-01-01\nwebsite = \"data:text/html,x\"\n+++\n",
            "content/events/kc.md:4:12",
        ),
    ] {
        let sandbox = Sandbox::new();
        sandbox.site.write(file, text);
        sandbox.fails_writing_nothing(&[at, "could run script"]);
    }
}

#[test]
fn control_characters_leave_feeds_well_formed_and_calendars_unbroken() {
    let site = TestSite::new();
    site.write(
        "content/posts/a.md",
        "+++\ntitle = \"Nul\\u0000 and \\u001b escape\"\ndate = 2024-03-22\nevent = \"KC\"\ntags = [\"t\"]\n+++\nBody with \u{1} and \u{8} inside.\n",
    );
    site.write(
        "content/events/kc.md",
        "+++\nname = \"KC\"\nstart = 2024-01-01\nlocation = \"a\\rLOCATION:injected\"\n+++\n",
    );
    site.build();
    for feed in ["atom.xml", "tags/t/atom.xml", "events/kc/atom.xml"] {
        let text = site.read(feed);
        roxmltree::Document::parse(&text).unwrap_or_else(|err| panic!("{feed}: {err}"));
    }
    for calendar in ["events/calendar.ics", "events/kc/kc.ics"] {
        let text = site.read(calendar);
        for line in text.split("\r\n") {
            assert!(
                !line.contains('\r') && !line.contains('\n'),
                "{calendar}: {line:?}"
            );
            assert!(!line.starts_with("LOCATION:injected"), "{calendar}");
        }
        assert!(text.contains("LOCATION:a\\nLOCATION:injected"), "{text}");
    }
}

#[test]
fn an_unclosed_block_shortcode_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox.site.write(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-22\n+++\nIntro.\n\n{% session(title=\"T\") %}\nNever closed.\n",
    );
    sandbox.fails_writing_nothing(&["content/posts/a.md:7:1", "never closed", "{% end %}"]);
}

#[test]
fn an_apostrophe_in_a_figure_caption_is_escaped_once() {
    let site = TestSite::new();
    site.write(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-22\n+++\n{{ figure(src=\"/a.png\", caption=\"Ana's talk & more\") }}\n",
    );
    site.build();
    let page = site.html("2024/a/index.html");
    assert_eq!(page.attr("figure img", "alt"), "Ana's talk & more");
    assert_eq!(page.text("figcaption"), "Ana's talk & more");
}

#[test]
fn markdown_files_in_any_case_and_with_the_long_extension_are_content() {
    let site = TestSite::new();
    site.write(
        "content/posts/2024-03-22-upper.MD",
        "+++\ntitle = \"Upper\"\n+++\nx\n",
    );
    site.write(
        "content/posts/2024-03-23-long.markdown",
        "+++\ntitle = \"Long\"\n+++\nx\n",
    );
    site.write("content/about.markdown", "+++\ntitle = \"About\"\n+++\nx\n");
    site.build();
    assert!(site.public("2024/upper/index.html").is_file());
    assert!(site.public("2024/long/index.html").is_file());
    assert!(site.public("about/index.html").is_file());
}

#[test]
fn config_mistakes_get_their_own_messages() {
    let site = TestSite::new();
    site.write("config.toml", "");
    site.run(&["build"])
        .fails_with(&["config.toml is empty", "base_url = "]);
    site.write_bytes("config.toml", b"title = \"caf\xe9\"\n");
    let run = site.run(&["build"]);
    run.fails_with(&["config.toml:1:", "not valid UTF-8"]);
    assert!(!run.stderr().contains("run recap in a site folder"));
    site.write(
        "config.toml",
        "title = \"\"\nbase_url = \"https://example.org\"\n",
    );
    site.run(&["build"])
        .fails_with(&["config.toml:1:1", "title is empty"]);
    site.write("config.toml", "base_url = \"https://example.org\"\n");
    let run = site.run(&["build"]);
    run.fails_with(&["missing required key `title`", "to config.toml"]);
    assert!(!run.stderr().contains("front matter"));
}

#[test]
fn init_and_new_are_quiet_with_q() {
    let dir = tempfile::tempdir().unwrap();
    let run = crate::support::recap_in(dir.path(), &["init", "-q", "site"]);
    assert!(run.ok());
    assert_eq!(run.stdout(), "");
    assert!(dir.path().join("site/config.toml").is_file());
    let run = crate::support::recap_in(&dir.path().join("site"), &["-q", "new", "post", "Hello"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(run.stdout(), "");
}

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    fn outside_secret() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hostname");
        std::fs::write(&file, "secret-host").unwrap();
        (dir, file)
    }

    fn published(site: &TestSite) -> Vec<String> {
        walkdir::WalkDir::new(site.public(""))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter(|entry| {
                std::fs::read_to_string(entry.path()).is_ok_and(|text| text.contains("secret-host"))
            })
            .map(|entry| entry.path().display().to_string())
            .collect()
    }

    #[test]
    fn links_out_of_the_site_are_not_followed() {
        let (outside, secret) = outside_secret();
        let site = TestSite::new();
        site.write(
            "content/posts/2024-03-22-trip/index.md",
            "+++\ntitle = \"Trip\"\n+++\nx\n",
        );
        let bundle = site.root().join("content/posts/2024-03-22-trip");
        symlink(&secret, bundle.join("hostname.txt")).unwrap();
        site.write("static/keep.txt", "kept");
        symlink(outside.path(), site.root().join("static/outside")).unwrap();
        symlink(&secret, site.root().join("static/host.txt")).unwrap();
        // A theme file overridden by a link out of the site keeps the
        // built-in version.
        symlink(&secret, site.root().join("static/theme.css")).unwrap();
        symlink(outside.path(), site.root().join("content/linked")).unwrap();
        site.build();
        assert!(published(&site).is_empty(), "{:?}", published(&site));
        assert!(site.public("keep.txt").is_file());
        assert!(!site.public("outside").exists());
        assert!(!site.public("2024/trip/hostname.txt").exists());
    }

    #[test]
    fn links_inside_the_site_are_followed() {
        let site = TestSite::new();
        site.write("static/img/logo.svg", "<svg/>");
        symlink(
            site.root().join("static/img"),
            site.root().join("static/images"),
        )
        .unwrap();
        site.write("shared/notes.md", "+++\ntitle = \"Notes\"\n+++\nShared.\n");
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        symlink(
            site.root().join("shared"),
            site.root().join("content/shared"),
        )
        .unwrap();
        site.build();
        assert!(site.public("images/logo.svg").is_file());
        assert!(site.public("shared/notes/index.html").is_file());
    }

    #[test]
    fn a_loop_is_an_error() {
        let sandbox = Sandbox::new();
        std::fs::create_dir_all(sandbox.site.root().join("static/a")).unwrap();
        symlink(
            sandbox.site.root().join("static"),
            sandbox.site.root().join("static/a/back"),
        )
        .unwrap();
        sandbox.fails_writing_nothing(&["symlink loop", "static/a/back"]);
    }

    /// root reads every folder whatever its mode, so under root the build
    /// runs as `nobody` (util-linux's setpriv), in a sandbox opened to it.
    #[test]
    fn an_unreadable_static_folder_is_an_error() {
        let sandbox = Sandbox::new();
        sandbox.site.write("static/img/a.png", "x");
        crate::support::open_to_everyone(sandbox.dir.path());
        let folder = sandbox.site.root().join("static/img");
        crate::support::set_mode(&folder, 0o000);
        let output = crate::support::as_nobody(sandbox.site.root(), &["build"]);
        crate::support::set_mode(&folder, 0o755);
        let run = crate::support::Run { output };
        run.fails_with(&["cannot read", "static/img", "Permission denied"]);
        assert!(!sandbox.site.public("").exists());
    }
}

#[test]
fn the_markdown_filter_is_as_safe_as_post_bodies() {
    let site = TestSite::with_config(&format!("{}raw_html = false\n", crate::support::CONFIG));
    site.write(
        "templates/shortcodes/note.html",
        "<aside class=\"note\">{{ body | markdown | safe }}</aside>",
    );
    site.write(
        "content/posts/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-22\n+++\n{% note() %}\n[x](javascript:alert(1)) <script>alert(2)</script> [ok](https://example.org/)\n{% end %}\n",
    );
    site.build();
    let page = site.html("2024/a/index.html");
    assert!(page.select("aside.note script").is_empty());
    assert!(
        page.text("aside.note")
            .contains("<script>alert(2)</script>")
    );
    let links: Vec<String> = page
        .select("aside.note a")
        .iter()
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(links, ["", "https://example.org/"]);
}
