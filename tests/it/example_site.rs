//! The repository's example site, built at a domain root and under a
//! sub-path: every internal link resolves, feeds and the calendar parse,
//! and the HTML passes the W3C Nu HTML checker.

use std::path::Path;
use std::process::Command;

use crate::support::{Page, broken_links, build_example, external_tool};

#[test]
fn every_internal_link_resolves_at_a_domain_root() {
    let out = build_example("https://recap.example.org");
    let broken = broken_links(&out.path().join("site"), "");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let out = build_example("https://example.org/team");
    let site = out.path().join("site");
    let broken = broken_links(&site, "/team");
    assert!(broken.is_empty(), "{broken:#?}");
    for file in ["sitemap.xml", "atom.xml", "robots.txt"] {
        let text = std::fs::read_to_string(site.join(file)).unwrap();
        assert!(
            text.contains("https://example.org/team/"),
            "{file} carries the sub-path"
        );
    }
    let index = std::fs::read_to_string(site.join("search-index.json")).unwrap();
    assert!(
        index.contains("\"base_path\":\"/team\""),
        "search results get the sub-path"
    );
    let home = Page::parse(&std::fs::read_to_string(site.join("index.html")).unwrap());
    for link in home.links() {
        let internal = link.starts_with('/') && !link.starts_with("//");
        assert!(!internal || link.starts_with("/team/"), "{link}");
    }
}

/// Every JSON-LD block of every page parses, and events carry their
/// sessions with start times that have an offset.
#[test]
fn every_json_ld_block_parses() {
    let out = build_example("https://recap.example.org");
    let site = out.path().join("site");
    let mut blocks = 0;
    let mut sessions = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        let page = Page::parse(&std::fs::read_to_string(entry.path()).unwrap());
        for script in page.select("script[type='application/ld+json']") {
            let text: String = script.text().collect();
            let value: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{}: {err}: {text}", entry.path().display()));
            blocks += 1;
            for session in value["subEvent"].as_array().into_iter().flatten() {
                let start = session["startDate"].as_str().unwrap();
                assert!(
                    start.ends_with('Z') || start[19..].contains(['+', '-']),
                    "{start} has an offset"
                );
                sessions += 1;
            }
        }
    }
    assert!(blocks > 10, "{blocks} blocks");
    assert!(sessions >= 5, "{sessions} sessions");
}

#[test]
fn example_feeds_and_calendar_parse() {
    let out = build_example("https://example.org/team");
    let site = out.path().join("site");
    let mut feeds = 0;
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_name() == "atom.xml" {
            let text = std::fs::read(entry.path()).unwrap();
            roxmltree::Document::parse(std::str::from_utf8(&text).unwrap())
                .unwrap_or_else(|err| panic!("{}: {err}", entry.path().display()));
            let feed = feed_rs::parser::parse(text.as_slice())
                .unwrap_or_else(|err| panic!("{}: {err}", entry.path().display()));
            assert!(!feed.entries.is_empty(), "{}", entry.path().display());
            for item in &feed.entries {
                assert!(item.links[0].href.starts_with("https://example.org/team/"));
            }
            feeds += 1;
        }
    }
    assert!(feeds > 5, "site, tag and event feeds: {feeds}");
    let text = std::fs::read_to_string(site.join("events/calendar.ics")).unwrap();
    let calendar: icalendar::Calendar =
        icalendar::parser::read_calendar(&icalendar::parser::unfold(&text))
            .unwrap()
            .into();
    assert!(
        calendar
            .components
            .iter()
            .filter(|c| c.as_event().is_some())
            .count()
            >= 4
    );
}

/// Pages of every template, validated by the W3C Nu HTML checker
/// (`RECAP_VNU_JAR`, or the one `.ci/run` installs under target/tools).
#[test]
#[ignore = "needs Java and the Nu HTML checker; .ci/run runs it"]
fn html_passes_the_nu_checker() {
    let jar = external_tool(
        "vnu.jar",
        "RECAP_VNU_JAR",
        &["target/tools/node_modules/vnu-jar/build/dist/vnu.jar"],
    );
    let out = build_example("https://example.org/team");
    let site = out.path().join("site");
    let mut pages = vec![
        site.join("index.html"),
        site.join("page/2/index.html"),
        site.join("archive/index.html"),
        site.join("tags/index.html"),
        site.join("events/index.html"),
        site.join("authors/index.html"),
        site.join("talks/index.html"),
        site.join("search/index.html"),
        site.join("404.html"),
    ];
    pages.extend(first_page_under(&site, "tags"));
    pages.extend(first_page_under(&site, "events"));
    pages.extend(first_page_under(&site, "authors"));
    pages.extend(posts(&site));
    let about = site.join("about/index.html");
    if about.is_file() {
        pages.push(about);
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(&pages)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "Nu checker found errors ({}):\n{report}{stdout}",
        output.status
    );
    assert!(report.contains("No errors found"), "{report}");
}

fn first_page_under(site: &Path, section: &str) -> Option<std::path::PathBuf> {
    std::fs::read_dir(site.join(section))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("index.html"))
        .find(|p| p.is_file())
}

/// Every post page of the example site.
fn posts(site: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            let relative = p.strip_prefix(site).unwrap().to_string_lossy().into_owned();
            relative.starts_with("20")
                && relative.ends_with("/index.html")
                && relative.matches('/').count() == 2
        })
        .collect()
}
