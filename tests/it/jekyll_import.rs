//! `recap import jekyll`, checked against Jekyll itself: the fixture site
//! (tests/fixtures/jekyll-site) is built by Debian's `jekyll` and, after
//! import, by recap; every post's visible text and every internal link
//! target must match, and every old URL must still lead to the post.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Page, TestSite, external_tool};

const FIXTURE: &str = "tests/fixtures/jekyll-site";
const JEKYLL_BASEURL: &str = "/notes";

/// What the one `{% include %}` of the fixture renders in Jekyll; recap
/// leaves the tag as written and lists it in the report.
const INCLUDE_TEXT: &str = "Join our mailing list.";
const INCLUDE_TAG: &str = "{% include signup.html %}";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

fn jekyll_build(out: &Path) {
    let jekyll = external_tool("jekyll", "RECAP_JEKYLL", &[]);
    let build = Command::new(jekyll)
        .args(["build", "--quiet", "--disable-disk-cache", "-s"])
        .arg(fixture())
        .arg("-d")
        .arg(out)
        .output()
        .expect("jekyll runs");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

fn import() -> TestSite {
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", fixture().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    site.build();
    site
}

/// Visible text without any whitespace (the two highlighters split code
/// into different text nodes; what counts is the characters), heading
/// anchors left out.
fn visible_text(element: scraper::ElementRef) -> String {
    let mut text = String::new();
    for node in element.descendants() {
        let Some(part) = node.value().as_text() else {
            continue;
        };
        let in_anchor = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                e.has_class("heading-anchor", scraper::CaseSensitivity::CaseSensitive)
            })
        });
        if !in_anchor {
            text.extend(part.chars().filter(|c| !c.is_whitespace()));
        }
    }
    text
}

/// Where a recap alias page sends the reader (its canonical link).
fn alias_target(site: &TestSite, old_path: &str) -> String {
    let alias = site.html(old_path.trim_start_matches('/'));
    let target = alias.attr("link[rel=canonical]", "href");
    target.trim_start_matches("https://example.org").to_string()
}

#[test]
#[ignore = "needs Jekyll (RECAP_JEKYLL, or jekyll on the PATH); .ci/run runs it"]
fn imported_posts_match_what_jekyll_built() {
    let out = tempfile::tempdir().unwrap();
    jekyll_build(out.path());
    let site = import();
    let mut compared = 0;
    let mut old_to_new: BTreeMap<String, String> = BTreeMap::new();
    let jekyll_pages: Vec<PathBuf> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        // Posts: the pages Jekyll built with the post layout.
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|text| text.contains("post-body")))
        .collect();
    // A page of the blog's own comes over at its slug, its old URL kept.
    assert!(out.path().join("about.html").is_file());
    assert_eq!(alias_target(&site, "/about.html"), "/about/");
    assert!(
        site.read("about/index.html")
            .contains("We are the platform team.")
    );
    for page in &jekyll_pages {
        let old = format!(
            "/{}",
            page.strip_prefix(out.path()).unwrap().to_string_lossy()
        );
        old_to_new.insert(old.clone(), alias_target(&site, &old));
    }
    for page in &jekyll_pages {
        let old = format!(
            "/{}",
            page.strip_prefix(out.path()).unwrap().to_string_lossy()
        );
        let new = &old_to_new[&old];
        let jekyll = Page::parse(&std::fs::read_to_string(page).unwrap());
        let recap = site.html(&format!("{}index.html", new.trim_start_matches('/')));
        let jekyll_body = jekyll.select("article.post-body")[0];
        let recap_body = recap.select(".prose")[0];
        let without_space = |text: &str| text.split_whitespace().collect::<String>();
        let jekyll_text = visible_text(jekyll_body).replace(&without_space(INCLUDE_TEXT), "");
        let recap_text = visible_text(recap_body).replace(&without_space(INCLUDE_TAG), "");
        assert!(jekyll_text.len() > 100, "{old} has text: {jekyll_text}");
        assert_eq!(jekyll_text, recap_text, "visible text of {old}");
        // Internal links lead to the same posts and files.
        let internal = |page: &Page, base: &str| -> Vec<String> {
            let mut links: Vec<String> = page
                .select("article.post-body a[href], .prose a[href], article.post-body img[src], .prose img[src]")
                .iter()
                .filter_map(|el| el.value().attr("href").or_else(|| el.value().attr("src")))
                .filter(|href| href.starts_with('/') && !href.starts_with("//"))
                .map(|href| href.strip_prefix(base).unwrap_or(href).to_string())
                .collect();
            links.sort();
            links
        };
        let mut jekyll_targets: Vec<String> = internal(&jekyll, JEKYLL_BASEURL)
            .into_iter()
            .map(|link| old_to_new.get(&link).cloned().unwrap_or(link))
            .collect();
        jekyll_targets.sort();
        let recap_targets = internal(&recap, "");
        assert_eq!(jekyll_targets, recap_targets, "link targets of {old}");
        for target in &recap_targets {
            let file = site.public(target.trim_start_matches('/'));
            assert!(
                file.is_file() || file.join("index.html").is_file(),
                "{target} resolves"
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 2, "both published posts were compared");
}

#[test]
fn import_maps_front_matter_drafts_and_reports_leftovers() {
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", fixture().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let report = run.stdout();
    assert!(report.contains("Imported 4 posts"), "{report}");
    assert!(
        report.contains(
            "_posts/2023-06-02-incident-review-template.md:29: {% include signup.html %}"
        ),
        "{report}"
    );
    // A {:target="_blank"} is that one link's, not the whole site's.
    assert!(!report.contains("external_links_target_blank"), "{report}");
    let devopsdays = std::fs::read_to_string(
        site.root()
            .join("content/posts/2023-05-10-devopsdays-amsterdam.md"),
    )
    .unwrap();
    assert!(
        devopsdays.contains("<a href=\"https://blog.example.net/reviews\" target=\"_blank\" rel=\"noopener\">on their blog</a>"),
        "{devopsdays}"
    );
    let posts = site.root().join("content/posts");
    let first = std::fs::read_to_string(posts.join("2023-05-10-devopsdays-amsterdam.md")).unwrap();
    assert!(
        first.starts_with("+++\ntitle = \"DevOpsDays Amsterdam: what we took home\""),
        "{first}"
    );
    assert!(
        first.contains("description = \"Two days of open spaces"),
        "{first}"
    );
    assert!(first.contains("authors = [\"Jonas Berg\"]"), "{first}");
    assert!(
        first.contains("aliases = [\"/conferences/2023/05/10/devopsdays-amsterdam.html\"]"),
        "{first}"
    );
    let second =
        std::fs::read_to_string(posts.join("2023-06-02-incident-review-template.md")).unwrap();
    assert!(
        second.contains("custom_field = \"kept\""),
        "unknown keys under [extra]: {second}"
    );
    assert!(
        second.contains("Fields use Go templates: {{ .Summary }}"),
        "{second}"
    );
    let unpublished = std::fs::read_to_string(posts.join("2024-01-15-fosdem-plans.md")).unwrap();
    assert!(unpublished.contains("draft = true"), "{unpublished}");
    assert!(site.root().join("static/assets/img/board.png").is_file());
    // A second import overwrites nothing.
    std::fs::write(posts.join("2023-05-10-devopsdays-amsterdam.md"), "mine").unwrap();
    let again = site.run(&["import", "jekyll", fixture().to_str().unwrap()]);
    assert!(
        again.stdout().contains("already exists"),
        "{}",
        again.stdout()
    );
    assert_eq!(
        std::fs::read_to_string(posts.join("2023-05-10-devopsdays-amsterdam.md")).unwrap(),
        "mine"
    );
}

/// Posts saved on Windows (a byte-order mark, CRLF line ends) keep their
/// front matter; a post whose YAML cannot be read stops the import at its
/// line before anything is written.
#[test]
fn windows_files_import_and_broken_yaml_is_an_error() {
    let jekyll = tempfile::tempdir().unwrap();
    let posts = jekyll.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        posts.join("2024-02-03-fosdem.md"),
        "\u{feff}---\r\ntitle: FOSDEM, from Windows\r\ntags: [conf]\r\n---\r\nBody line.\r\n",
    )
    .unwrap();
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", jekyll.path().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let text =
        std::fs::read_to_string(site.root().join("content/posts/2024-02-03-fosdem.md")).unwrap();
    assert!(text.contains("title = \"FOSDEM, from Windows\""), "{text}");
    assert!(!text.contains('\r'), "{text:?}");
    site.build();
    assert!(
        site.read("2024/fosdem/index.html")
            .contains("FOSDEM, from Windows")
    );

    std::fs::write(
        posts.join("2024-03-01-broken.md"),
        "---\ntitle: Broken\ntags: [unclosed\n---\nBody.\n",
    )
    .unwrap();
    let fresh = TestSite::new();
    fresh
        .run(&["import", "jekyll", jekyll.path().to_str().unwrap()])
        .fails_with(&["2024-03-01-broken.md:", "not valid YAML"]);
    assert!(
        !fresh.root().join("content/posts").exists(),
        "nothing written"
    );
}

/// `_data/authors.yml` becomes author files: a post's `author: maya_okonkwo`
/// shows the name, bio, avatar and links.
#[test]
fn data_authors_become_author_pages() {
    let site = import();
    let maya =
        std::fs::read_to_string(site.root().join("content/authors/maya-okonkwo.md")).unwrap();
    assert!(maya.contains("name = \"Maya Okonkwo\""), "{maya}");
    assert!(
        maya.contains("avatar = \"/assets/img/board.png\""),
        "{maya}"
    );
    assert!(
        maya.contains("github = \"https://github.com/maya-okonkwo-example\""),
        "{maya}"
    );
    assert!(
        maya.contains("twitter = \"https://twitter.com/maya_example\""),
        "{maya}"
    );
    assert!(site.root().join("static/assets/img/board.png").is_file());
    let page = site.html("authors/maya-okonkwo/index.html");
    assert_eq!(page.text("h1"), "Maya Okonkwo");
    assert!(
        page.text("main")
            .contains("Staff engineer on the platform team.")
    );
    let post = site.read("2023/incident-review-template/index.html");
    assert!(
        post.contains("/authors/maya-okonkwo/"),
        "the post links its author"
    );
    assert!(site.run(&["check"]).ok());
}

/// Categories as Jekyll reads them, banners copied along.
#[test]
fn categories_tags_and_banners_come_over_as_jekyll_meant_them() {
    let jekyll = tempfile::tempdir().unwrap();
    let posts = jekyll.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::create_dir_all(jekyll.path().join("assets/img")).unwrap();
    std::fs::write(jekyll.path().join("assets/img/banner.png"), b"png").unwrap();
    std::fs::write(
        posts.join("2015-05-08-ddd.md"),
        "---\ntitle: DDD Europe\ncategory: domain-driven design\nimage: assets/img/banner.png\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(
        posts.join("2015-05-09-SpringIO15-Autoconfig.md"),
        "---\ntitle: Spring I/O\ncategories: [spring]\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(
        posts.join("2016-01-02-iot.md"),
        "---\ntitle: IoT day\ncategories: IoT, Cloud\n---\nBody.\n",
    )
    .unwrap();
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", jekyll.path().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let iot = std::fs::read_to_string(site.root().join("content/posts/2016-01-02-iot.md")).unwrap();
    assert!(iot.contains("tags = [\"IoT\", \"Cloud\"]"), "{iot}");
    let ddd = std::fs::read_to_string(site.root().join("content/posts/2015-05-08-ddd.md")).unwrap();
    assert!(ddd.contains("tags = [\"domain-driven design\"]"), "{ddd}");
    assert!(ddd.contains("image = \"/assets/img/banner.png\""), "{ddd}");
    assert!(
        ddd.contains("\"/domain-driven design/2015/05/08/ddd.html\""),
        "{ddd}"
    );
    assert!(site.root().join("static/assets/img/banner.png").is_file());
    let spring = std::fs::read_to_string(
        site.root()
            .join("content/posts/2015-05-09-springio15-autoconfig.md"),
    )
    .unwrap();
    assert!(
        spring.contains("\"/spring/2015/05/09/SpringIO15-Autoconfig.html\""),
        "the old URL keeps its case: {spring}"
    );
    site.build();
    assert!(
        site.public("spring/2015/05/09/SpringIO15-Autoconfig.html")
            .is_file()
    );
    assert!(
        site.public("domain-driven%20design/2015/05/08/ddd.html")
            .is_file()
            || site
                .public("domain-driven design/2015/05/08/ddd.html")
                .is_file()
    );
    assert!(site.run(&["check"]).ok());
}

/// kramdown and Liquid as real posts write them: `{:` in code is code, a
/// `{% highlight %}` closed on a code line or written on one line, `<br/>`
/// alone on a line, and heading ids with letters recap transliterates.
#[test]
fn code_breaks_and_heading_ids_survive_the_import() {
    let jekyll = tempfile::tempdir().unwrap();
    let posts = jekyll.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        posts.join("2020-01-01-edge.md"),
        "---\ntitle: Edge cases\n---\nRuby:\n\n```ruby\nopts = {:verbose => true}\n```\n\n{% highlight ruby %}\nputs 1 {% endhighlight %}\n\n{% highlight ruby %}puts 2{% endhighlight %}\n\nLine one\n<br/>\nLine two\n\n## Talk by Michael Plöd\n\nSee [the talk](#talk-by-michael-plöd).\n",
    )
    .unwrap();
    let site = TestSite::new();
    assert!(
        site.run(&["import", "jekyll", jekyll.path().to_str().unwrap()])
            .ok()
    );
    site.build();
    let page = site.html("2020/edge/index.html");
    let code: Vec<String> = page
        .select("pre code")
        .iter()
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(
        code,
        ["opts = {:verbose => true}\n", "puts 1\n", "puts 2\n"]
    );
    assert_eq!(page.select(".prose br").len(), 1);
    assert!(page.text(".prose").contains("Line two"));
    assert_eq!(page.attr(".prose h2", "id"), "talk-by-michael-plöd");
    assert!(site.run(&["check"]).ok(), "the hand-written anchor lands");
}

/// A new config.toml takes the blog's title, address, description and time
/// zone from _config.yml, and jekyll-feed's /feed.xml keeps being written.
#[test]
fn a_new_config_comes_from_config_yml_and_the_feed_keeps_its_path() {
    let jekyll = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(jekyll.path().join("_posts")).unwrap();
    std::fs::write(
        jekyll.path().join("_config.yml"),
        "title: \"Ops \\\"Notes\\\"\"\ndescription: What we saw.\nurl: https://blog.example.org\nbaseurl: /team\ntimezone: Europe/Brussels\nplugins:\n  - jekyll-feed\n",
    )
    .unwrap();
    std::fs::write(
        jekyll.path().join("_posts/2024-02-03-fosdem.md"),
        "---\ntitle: FOSDEM\n---\nBody.\n",
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    let run = crate::support::recap_in(
        site.path(),
        &[
            "import",
            "jekyll",
            jekyll.path().to_str().unwrap(),
            "--into",
            "new",
        ],
    );
    assert!(run.ok(), "{}", run.stderr());
    let root = site.path().join("new");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    for line in [
        "title = 'Ops \"Notes\"'",
        "base_url = \"https://blog.example.org/team\"",
        "description = \"What we saw.\"",
        "timezone = \"Europe/Brussels\"",
        "feed_aliases = [\"/feed.xml\"]",
    ] {
        assert!(config.contains(line), "{line} in {config}");
    }
    let build = crate::support::recap_in(&root, &["build"]);
    assert!(build.ok(), "{}", build.stderr());
    let feed = std::fs::read(root.join("public/feed.xml")).unwrap();
    let parsed = feed_rs::parser::parse(&feed[..]).unwrap();
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(feed, std::fs::read(root.join("public/atom.xml")).unwrap());
}

/// The report counts what came over and what a human must look at.
#[test]
fn the_report_counts_what_was_imported_and_what_is_left() {
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", fixture().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let report = run.stdout();
    assert!(
        report.contains("Imported 4 posts, 1 page and 2 authors."),
        "{report}"
    );
    assert!(
        report.contains("skipped archive.md: recap makes its own /archive/ page"),
        "{report}"
    );
    assert!(
        report.contains("for a human (1 line in 1 file;"),
        "{report}"
    );
    assert!(
        report.contains(
            "_posts/2023-06-02-incident-review-template.md:29: {% include signup.html %}"
        ),
        "{report}"
    );
}

/// What three real Jekyll blogs had that the fixture lacked (see
/// docs/migrating.md): includes and plugin tags that name an image,
/// `{% link %}` to a file, `{{ site.baseurl }}` in raw HTML, front matter
/// fences with trailing spaces, `category:` as a list, a one-digit day,
/// two posts on one URL, entities in titles, authors as a list, `event:`.
#[test]
fn real_blog_quirks_come_over() {
    let jekyll = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = jekyll.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "_config.yml",
        "title: Quirks\nurl: https://quirks.example.org\nbaseurl: /blog\npermalink: /:categories/:title/\n",
    );
    write("assets/img/stage.png", "png");
    write("img/room.png", "png");
    write("img/hall.png", "png");
    write(
        "_data/authors.yml",
        "- id: ada\n  full_name: Ada Lovelace\n  image: room.png\n",
    );
    write(
        "_posts/2019-07-19-rematch.md",
        "--- \ntitle: \"Mini rant&#58; state\"\ncategory: [Development]\nauthor: ada\nevent: Fullstack 2019\n---  \n{% include image.html file=\"stage.png\" alt=\"The stage\" %}\n\n{% image_custom image=\"/img/room.png\" width=\"50\" lightbox %}\n\n![Hall](/{% link /img/hall.png %})\n\n<img src=\"{{ site.baseurl }}/img/room.png\" alt=\"Room\">\n\n{% twitter https://twitter.com/x/status/1 %}\n",
    );
    write(
        "_posts/2016-6-21-meetup.md",
        "---\ntitle: Meetup London\ncategory: events\n---\nLondon.\n",
    );
    write(
        "_posts/2016-09-09-meetup.md",
        "---\ntitle: Meetup Birmingham\ncategory: events\n---\nBirmingham.\n",
    );
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", jekyll.path().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let report = run.stdout();
    let posts = site.root().join("content/posts");
    let rematch = std::fs::read_to_string(posts.join("2019-07-19-rematch.md")).unwrap();
    for line in [
        "title = \"Mini rant: state\"",
        "aliases = [\"/development/rematch/\"]",
        "event = \"fullstack-2019\"",
        "![The stage](/assets/img/stage.png)",
        "![](/img/room.png)",
        "![Hall](/img/hall.png)",
        "<img src=\"/img/room.png\" alt=\"Room\">",
        "<https://twitter.com/x/status/1>",
    ] {
        assert!(rematch.contains(line), "{line}\n{rematch}");
    }
    for copied in ["assets/img/stage.png", "img/room.png", "img/hall.png"] {
        assert!(
            site.root().join("static").join(copied).is_file(),
            "{copied}"
        );
    }
    let ada = std::fs::read_to_string(site.root().join("content/authors/ada.md")).unwrap();
    assert!(
        ada.contains("name = \"Ada Lovelace\"") && ada.contains("avatar = \"/img/room.png\""),
        "{ada}"
    );
    // Both meetups were written to /events/meetup/; Jekyll left the newer
    // one there, so it keeps the alias and the older one is renamed.
    let newer = std::fs::read_to_string(posts.join("2016-09-09-meetup.md")).unwrap();
    assert!(newer.contains("aliases = [\"/events/meetup/\"]"), "{newer}");
    let older = std::fs::read_to_string(posts.join("2016-06-21-meetup-2.md")).unwrap();
    assert!(!older.contains("aliases"), "{older}");
    assert!(
        report.contains("named meetup-2, as a newer post of the same year is named meetup"),
        "{report}"
    );
    let build = site.run(&["build"]);
    assert!(build.ok(), "{}", build.stderr());
}

/// A post's image or banner linked to a file outside the Jekyll site is
/// not copied into the new site.
#[cfg(unix)]
#[test]
fn links_out_of_the_jekyll_site_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "secret").unwrap();
    let jekyll = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(jekyll.path().join("_posts")).unwrap();
    std::fs::create_dir_all(jekyll.path().join("assets")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("id_rsa"),
        jekyll.path().join("assets/x.png"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), jekyll.path().join("assets/home")).unwrap();
    std::fs::write(
        jekyll.path().join("_posts/2024-01-01-a.md"),
        "---\ntitle: A\nimage: /assets/home/id_rsa\n---\n![](/assets/x.png)\n",
    )
    .unwrap();
    let site = TestSite::new();
    let run = site.run(&["import", "jekyll", jekyll.path().to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!site.root().join("static/assets/x.png").exists());
    assert!(!site.root().join("static/assets/home/id_rsa").exists());
}
