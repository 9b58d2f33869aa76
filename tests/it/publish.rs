//! Feeds, sitemap, robots.txt, calendar and search index, read by real
//! consumers: feed-rs for Atom, icalendar's parser for the calendar.

use icalendar::{Component, EventLike};

use crate::support::TestSite;

fn site() -> TestSite {
    let site = TestSite::with_config(
        "title = \"Team Recaps\"\nbase_url = \"https://example.org/team\"\nfeed_limit = 2\ndescription = \"Where we went.\"\n",
    );
    site.write(
        "content/events/kubecon-eu-2024.md",
        "+++\nname = \"KubeCon EU 2024\"\nstart = 2024-03-19\nend = 2024-03-22\nlocation = \"Paris, France\"\nwebsite = \"https://events.example/kubecon\"\n+++\nThe big one; bring comfortable shoes, and a charger.\n",
    );
    site.write(
        "content/events/wasm-day.md",
        "+++\nname = \"Wasm Day\"\nstart = 2024-06-01\nlocation = \"Online\"\nkind = \"meetup\"\n+++\n",
    );
    site.post(
        "2024-03-22-day-one.md",
        "title = \"Day one\"\nevent = \"kubecon-eu-2024\"\ntags = [\"Kubernetes\"]\nauthors = [\"Alice\"]\nupdated = 2024-04-02",
        "Summary line.\n\n![stage](/img/stage.png) and [tags](/tags/)\n",
    );
    site.post("2024-03-23-day-two.md", "title = \"Day two\"\nevent = \"kubecon-eu-2024\"\ntags = [\"kubernetes\"]\ndescription = \"Second day.\"", "Body two.\n");
    site.post(
        "2024-01-10-older.md",
        "title = \"Older\"\ntags = [\"rust\"]",
        "Old.\n",
    );
    site.write("static/img/stage.png", "png");
    site
}

fn parse_feed(text: &str) -> feed_rs::model::Feed {
    roxmltree::Document::parse(text).expect("well-formed XML 1.0");
    feed_rs::parser::parse(text.as_bytes()).expect("a valid Atom feed")
}

#[test]
fn site_feed_is_valid_atom_with_absolute_links() {
    let site = site();
    site.build();
    let feed = parse_feed(&site.read("atom.xml"));
    assert_eq!(feed.title.unwrap().content, "Team Recaps");
    let self_link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .unwrap();
    assert_eq!(self_link.href, "https://example.org/team/atom.xml");
    assert_eq!(feed.entries.len(), 2, "feed_limit");
    let newest = &feed.entries[0];
    assert_eq!(newest.title.as_ref().unwrap().content, "Day two");
    assert_eq!(
        newest.links[0].href,
        "https://example.org/team/2024/day-two/"
    );
    assert_eq!(newest.summary.as_ref().unwrap().content, "Second day.");
    let day_one = &feed.entries[1];
    assert_eq!(day_one.authors[0].name.as_deref(), Some("Alice"));
    assert_eq!(day_one.categories[0].term, "kubernetes");
    let content = day_one.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        content.contains("src=\"https://example.org/team/img/stage.png\""),
        "{content}"
    );
    assert!(
        content.contains("href=\"https://example.org/team/tags/\""),
        "{content}"
    );
    // `updated` of the feed is the newest change among its entries (day one was updated in April).
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2024-04-02T00:00:00+00:00"
    );
}

#[test]
fn tag_and_event_feeds_hold_their_posts() {
    let site = site();
    site.build();
    let tag = parse_feed(&site.read("tags/kubernetes/atom.xml"));
    assert_eq!(tag.entries.len(), 2);
    let event = parse_feed(&site.read("events/kubecon-eu-2024/atom.xml"));
    let titles: Vec<String> = event
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles, ["Day two", "Day one"]);
    assert!(
        site.read("tags/kubernetes/index.html")
            .contains("/team/tags/kubernetes/atom.xml")
    );
    assert!(site.read("index.html").contains("href=\"/team/atom.xml\""));
}

/// Feed content travels as a CDATA section; HTML that itself holds `]]>`
/// (raw HTML, here in an attribute) must come out of a real parser intact.
#[test]
fn feed_content_survives_a_cdata_terminator() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.post(
        "2024-05-01-raw.md",
        "title = \"Raw\"",
        "Intro & <em>more</em>.\n\n<p data-note=\"a]]>b\">raw block</p>\n\n```xml\n<![CDATA[ x ]]>\n```\n",
    );
    site.build();
    let xml = site.read("atom.xml");
    assert!(xml.contains("<![CDATA["), "{xml}");
    let feed = parse_feed(&xml);
    let content = feed.entries[0]
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert!(
        content.contains("<p data-note=\"a]]>b\">raw block</p>"),
        "{content}"
    );
    assert!(content.contains("Intro &amp; <em>more</em>."), "{content}");
    assert!(content.contains("]]&gt;"), "{content}");
}

#[test]
fn calendar_parses_and_lists_each_dated_event() {
    let site = site();
    site.build();
    let text = site.read("events/calendar.ics");
    assert!(text.contains("\r\n"), "CRLF line endings");
    assert!(
        text.lines()
            .all(|line| line.trim_end_matches('\r').len() <= 75),
        "folded lines"
    );
    let unfolded = icalendar::parser::unfold(&text);
    let calendar: icalendar::Calendar = icalendar::parser::read_calendar(&unfolded).unwrap().into();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 2);
    let kubecon = events
        .iter()
        .find(|e| e.get_summary() == Some("KubeCon EU 2024"))
        .unwrap();
    assert_eq!(kubecon.get_location(), Some("Paris, France"));
    assert_eq!(
        kubecon.get_url(),
        Some("https://example.org/team/events/kubecon-eu-2024/")
    );
    assert_eq!(kubecon.get_uid(), Some("event-kubecon-eu-2024@example.org"));
    let start = chrono::NaiveDate::from_ymd_opt(2024, 3, 19).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2024, 3, 23).unwrap();
    assert_eq!(
        kubecon.get_start(),
        Some(icalendar::DatePerhapsTime::Date(start))
    );
    assert_eq!(
        kubecon.get_end(),
        Some(icalendar::DatePerhapsTime::Date(end)),
        "DTEND is exclusive"
    );
    assert!(
        kubecon
            .get_description()
            .unwrap()
            .contains("comfortable shoes, and a charger")
    );

    site.build();
    assert_eq!(
        site.read("events/calendar.ics"),
        text,
        "stable across builds"
    );
    assert!(
        site.public("events/kubecon-eu-2024/kubecon-eu-2024.ics")
            .is_file()
    );
}

#[test]
fn sitemap_and_robots() {
    let site = site();
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/team/2024/day-one/</loc>\n    <lastmod>2024-04-02</lastmod>"
    ));
    assert!(sitemap.contains("<loc>https://example.org/team/events/wasm-day/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/team/tags/rust/</loc>"));
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/team/sitemap.xml"));
}

#[test]
fn search_index_lists_every_post() {
    let site = site();
    site.build();
    let index: serde_json::Value = serde_json::from_str(&site.read("search-index.json")).unwrap();
    assert_eq!(index["base_path"], "/team");
    let posts = index["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[0][0], "Day two");
    assert_eq!(posts[0][1], "/2024/day-two/");
    let event = posts[0][3].as_u64().unwrap() as usize;
    assert_eq!(index["events"][event][0], "KubeCon EU 2024");
    assert!(site.public("search/index.html").is_file());
    // Body text in files of their own, loaded after the first results.
    assert_eq!(index["bodies"]["files"][0], "search-body-0.json");
    let bodies: Vec<String> = serde_json::from_str(&site.read("search-body-0.json")).unwrap();
    assert_eq!(bodies.len(), 3);
    assert!(
        !bodies[0].is_empty() && !bodies[0].contains('<'),
        "{}",
        bodies[0]
    );
}

#[test]
fn search_index_holds_sessions_speakers_events_and_pages() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.write(
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2025-04-01\nlocation = \"London\"\n+++\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nWe write recaps.\n",
    );
    site.post(
        "2025-04-02-day-one.md",
        "title = \"Day one\"\nevent = \"kubecon\"\n\n[[sessions]]\ntitle = \"The keynote\"\nspeakers = [\"Ada Lovelace @ Analytical\"]",
        "The summary.\n\nBody text with a rare word: quokka.\n",
    );
    site.build();
    let index: serde_json::Value = serde_json::from_str(&site.read("search-index.json")).unwrap();
    assert_eq!(index["version"], 2);
    assert_eq!(
        index["speakers"][0],
        serde_json::json!(["Ada Lovelace", "/speakers/ada-lovelace/", "Analytical"])
    );
    assert_eq!(
        index["sessions"][0],
        serde_json::json!(["The keynote", [0], 0, 0])
    );
    assert_eq!(
        index["events"][0],
        serde_json::json!(["KubeCon", "/events/kubecon/", "1 Apr 2025", "London"])
    );
    assert_eq!(index["pages"][0][0], "About us");
    assert_eq!(index["pages"][0][1], "/about/");
    assert!(!site.read("search-index.json").contains("quokka"));
    assert!(site.read("search-body-0.json").contains("quokka"));
}

#[test]
fn theme_assets_have_content_hashed_names() {
    let site = site();
    site.build();
    let css: Vec<String> = std::fs::read_dir(site.public(""))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".css"))
        .collect();
    assert!(
        css.iter()
            .any(|n| n.starts_with("highlight.") && n.len() == "highlight.12345678.css".len()),
        "{css:?}"
    );
    let home = site.read("index.html");
    for name in &css {
        assert!(
            home.contains(&format!("/team/{name}")),
            "{name} linked from the home page"
        );
    }
}
