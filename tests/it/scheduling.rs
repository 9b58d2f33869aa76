//! Scheduled posts: a post dated after the build is left out of every page,
//! listing, feed, sitemap and search index, unless `--future`; `serve`
//! shows it with a banner; the summary says what was held back.

use crate::server::Server;
use crate::support::TestSite;

fn site() -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.post(
        "2025-04-02-kubecon.md",
        "title = \"KubeCon recap\"",
        "Went.",
    );
    site.post(
        "2099-01-05-future.md",
        "title = \"Future recap\"\ndate = 2099-01-05T09:00:00+01:00\ntags = [\"later\"]",
        "Not yet.",
    );
    site.post(
        "2099-03-01-further.md",
        "title = \"Further recap\"",
        "Later still.",
    );
    site
}

#[test]
fn posts_dated_after_the_build_are_left_out() {
    let site = site();
    let run = site.build();
    assert!(
        run.stdout().contains(
            "2 scheduled posts left out, dated after now (the next: 2099-01-05T09:00:00+01:00); --future includes them"
        ),
        "{}",
        run.stdout()
    );
    assert!(!site.public("2099/future/index.html").exists());
    assert!(!site.public("tags/later/index.html").exists());
    for file in [
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "archive/index.html",
    ] {
        let text = site.read(file);
        assert!(
            text.contains("KubeCon recap") || text.contains("/2025/kubecon/"),
            "{file}"
        );
        assert!(
            !text.contains("Future recap") && !text.contains("/2099/"),
            "{file}"
        );
    }
    let search: String = std::fs::read_dir(site.public(""))
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains("search"))
        .filter(|entry| entry.path().is_file())
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap_or_default())
        .collect();
    assert!(!search.contains("Future recap"));
}

#[test]
fn future_builds_include_them_with_a_banner() {
    let site = site();
    let run = site.run(&["build", "--future"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!run.stdout().contains("scheduled"), "{}", run.stdout());
    let page = site.html("2099/future/index.html");
    assert!(page.text(".draft-banner").starts_with("Scheduled"));
    assert!(site.read("index.html").contains("Scheduled</span>"));
    assert!(site.public("tags/later/index.html").exists());
}

#[test]
fn serve_shows_them_with_a_banner() {
    let site = site();
    let server = Server::start(&site);
    let page = server.get("/2099/future/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Scheduled: this recap goes live"));
}
