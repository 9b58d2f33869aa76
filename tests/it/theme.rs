//! What the built-in theme shows: recap-first post cards, the events
//! timeline, one talks table a year, event counts, code blocks with a bar
//! for their labels, tables that scroll on their own, and initials for
//! authors without a photo. How it looks is checked in a browser
//! (tests/browser.rs).

use crate::support::{Page, TestSite, png};

fn site() -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.write(
        "content/events/hack-2025.md",
        "+++\nname = \"Hack the Grid 2025\"\nkind = \"hackathon\"\nstart = 2025-09-12\nend = 2025-09-14\nlocation = \"Rotterdam\"\n+++\n",
    );
    site.write(
        "content/events/meetup-2024.md",
        "+++\nname = \"Rust Meetup\"\nkind = \"meetup\"\nstart = 2024-03-19\nlocation = \"Utrecht\"\n+++\n",
    );
    site.write(
        "content/authors/ada.md",
        "+++\nname = \"Ada King Lovelace\"\n+++\n",
    );
    site.write_bytes("content/posts/hack/team.png", &png(1200, 600));
    site.post(
        "hack/index.md",
        "title = \"Hack the Grid\"\ndate = 2025-09-15\nevent = \"hack-2025\"\nimage = \"team.png\"\nauthors = [\"ada\"]\ntags = [\"hackathon\"]\n\n[[sessions]]\ntitle = \"Kick-off\"\nstart = 2025-09-12T10:00:00\n\n[[sessions]]\ntitle = \"Final demos\"\nstart = 2025-09-14T13:00:00",
        "We came fourth.\n\n<!-- more -->\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n",
    );
    site.post(
        "2024-03-20-meetup.md",
        "title = \"Meetup\"\nevent = \"meetup-2024\"\n\n[[sessions]]\ntitle = \"Rewrites\"\nspeakers = [\"Jonas\"]\nstart = 2024-03-19T19:30:00",
        "Our talk.\n",
    );
    site.build();
    site
}

#[test]
fn post_cards_say_which_event_a_recap_covers() {
    let site = site();
    let home = site.html("index.html");
    let card = &home.select(".post-card")[0];
    let card = Page::parse(&card.html());
    assert_eq!(card.text(".card-event .badge"), "Hackathon");
    assert_eq!(card.text(".card-event a"), "Hack the Grid 2025");
    assert_eq!(card.text(".card-event-facts"), "12–14 Sep 2025 · Rotterdam");
    assert!(
        card.text(".byline").contains("2 sessions"),
        "{}",
        card.text(".byline")
    );
    assert_eq!(card.attr(".card-thumb", "src"), "/2025/hack/team.png");
    assert_eq!(card.attr(".card-thumb", "width"), "1200");
    assert_eq!(card.attr(".card-thumb", "loading"), "lazy");
    assert_eq!(card.text(".tag-list").trim(), "#hackathon");
    // A recap without a banner has no thumbnail.
    let second = Page::parse(&home.select(".post-card")[1].html());
    assert!(second.select(".card-thumb").is_empty());
    assert!(second.text(".byline").contains("1 session"));
}

#[test]
fn events_page_is_a_timeline_by_year() {
    let site = site();
    let events = site.html("events/index.html");
    let years: Vec<String> = events
        .select(".timeline-year h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(years, ["2025", "2024"]);
    assert_eq!(events.select(".timeline-entry").len(), 2);
    assert_eq!(
        events.text(".timeline-entry .timeline-date"),
        "12–14 Sep 2025"
    );
    assert!(
        events
            .text(".timeline-facts")
            .contains("1 recap · 2 sessions")
    );
    // Event pages count the same way.
    let event = site.html("events/hack-2025/index.html");
    assert_eq!(event.text(".event-counts"), "1 recap · 2 sessions");
}

#[test]
fn talks_page_has_one_table_a_year() {
    let site = site();
    let talks = site.html("talks/index.html");
    let years: Vec<String> = talks
        .select(".talks-year h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(years, ["2025", "2024"]);
    assert_eq!(talks.select("table.talks").len(), 2);
    for table in talks.select("table.talks") {
        let table = Page::parse(&table.html());
        let heads: Vec<String> = table
            .select("th")
            .iter()
            .map(|h| h.text().collect())
            .collect();
        assert_eq!(heads, ["When", "Session", "Speakers", "Event", "Recap"]);
    }
    // Sessions in the order they took place; every cell names its column
    // for phones.
    let sessions: Vec<String> = talks
        .select(".talk-title")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(sessions, ["Kick-off", "Final demos", "Rewrites"]);
    let labels: Vec<&str> = talks.select("tbody tr")[0]
        .children()
        .filter_map(|cell| cell.value().as_element()?.attr("data-label"))
        .collect();
    assert_eq!(labels, ["When", "Session", "Speakers", "Event", "Recap"]);
}

#[test]
fn code_labels_sit_in_a_bar_and_tables_scroll_on_their_own() {
    let site = site();
    let post = site.html("2025/hack/index.html");
    assert_eq!(post.attr(".code-block > .code-bar", "data-lang"), "rust");
    // The language is drawn by the stylesheet: feeds show no stray word.
    assert_eq!(post.text(".code-bar"), "");
    assert_eq!(post.select(".prose > .table-scroll > table").len(), 1);
}

#[test]
fn authors_without_a_photo_get_two_initials() {
    let site = site();
    let authors = site.html("authors/ada/index.html");
    assert_eq!(authors.text(".avatar-initials"), "AL");
}
