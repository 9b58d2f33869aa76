//! Events, sessions and speakers as recaps describe them: time zones,
//! venues and booths, sessions merged across recaps and shown by day,
//! speakers with pages of their own, custom fields, the calendar and
//! JSON-LD, and what bad input gets.

use icalendar::{Component, EventLike};

use crate::support::{Page, TestSite};

const PICKS: &str = r#"title = "KubeCon NA: our picks"
event = "kubecon-na-2025"
authors = ["ada"]

[[sessions]]
title = "Keynote: The Next Decade"
speakers = ["Ada Lovelace @ Analytical Engines", { name = "Grace Hopper", company = "Navy" }]
start = "2025-11-11T09:00:00"
end = "2025-11-11T09:30:00"
room = "Hall B"
kind = "keynote"
abstract = "Why **the next** decade belongs to platforms."
links = { repo = "https://git.example.org/next" }
extra = { level = "beginner" }

[[sessions]]
title = "Day two talk"
speakers = ["Linus Example (Kernel Org)"]
start = 2025-11-12T14:00:00-05:00

[[sessions]]
title = "Day one lightning"
start = 2025-11-11T16:00:00
kind = "lightning""#;

const DAY_TWO: &str = r#"title = "KubeCon NA, day two"
event = "kubecon-na-2025"

[[sessions]]
title = "Keynote: the next decade"
speakers = ["Ada Lovelace"]
slides = "/slides/next.pdf"
room = "Hall C""#;

const VIRTUAL: &str = r#"title = "Virtual KubeCon"
event = "virtual-kubecon"

[[sessions]]
title = "Thursday talk"
when = "2025-11-19T20:45:00"
end = "2025-11-19T21:20:00"
speakers = ["Grace Hopper"]"#;

fn site() -> TestSite {
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org\"\ntimezone = \"Europe/Berlin\"\n",
    );
    site.write(
        "content/events/kubecon-na-2025.md",
        "+++\nname = \"KubeCon NA 2025\"\nstart = 2025-11-10\nend = 2025-11-13\nlocation = \"Atlanta\"\nvenue = \"Georgia World Congress Center\"\nbooth = \"R39\"\ntimezone = \"America/New_York\"\ncfp_deadline = 2025-07-01\nimage = \"/img/atlanta.jpg\"\n[extra]\nsponsor_level = \"gold\"\n+++\nThe big one.\n",
    );
    site.write(
        "content/events/virtual-kubecon.md",
        "+++\nname = \"Virtual KubeCon\"\nstart = 2025-11-19\nlocation = \"Online\"\nonline_url = \"https://events.example.org/live\"\ntimezone = \"Europe/London\"\n+++\n",
    );
    site.write(
        "content/events/devopsdays-2099.md",
        "+++\nname = \"DevOpsDays 2099\"\nstart = 2099-05-01\nlocation = \"Ghent\"\nbooth = \"R39\"\n+++\n",
    );
    site.write(
        "content/speakers/ada-lovelace.md",
        "+++\nname = \"Ada Lovelace\"\ncompany = \"Analytical Engines\"\nbio = \"Wrote the first program.\"\nauthor = \"ada\"\n+++\nShe also writes recaps.\n",
    );
    site.write("content/authors/ada.md", "+++\nname = \"Ada L.\"\n+++\n");
    site.write("static/slides/next.pdf", "%PDF-1.4");
    site.write("static/img/atlanta.jpg", "jpg");
    site.post("2025-11-12-kubecon-picks.md", PICKS, "Our picks.\n");
    site.post("2025-11-13-kubecon-day-two.md", DAY_TWO, "Day two.\n");
    site.post("2025-06-01-virtual.md", VIRTUAL, "Online.\n");
    site.post(
        "2025-01-10-booth.md",
        "title = \"Visit us at DevOpsDays\"\nevent = \"devopsdays-2099\"\nauthors = [\"ada\"]",
        "Come say hi.\n",
    );
    site
}

fn texts(page: &Page, css: &str) -> Vec<String> {
    page.select(css)
        .iter()
        .map(|element| element.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn event_pages_show_venue_booth_and_an_agenda_by_day_in_the_events_zone() {
    let site = site();
    site.build();
    let page = site.html("events/kubecon-na-2025/index.html");
    let facts = page.text(".facts");
    assert!(
        facts.contains("Georgia World Congress Center, Atlanta"),
        "{facts}"
    );
    assert!(facts.contains("We were at booth R39"), "{facts}");
    assert!(facts.contains("1 Jul 2025"), "{facts}");
    assert_eq!(page.attr("img.event-image", "src"), "/img/atlanta.jpg");
    assert_eq!(
        texts(&page, ".agenda-day"),
        ["Tuesday 11 November 2025", "Wednesday 12 November 2025"]
    );
    assert_eq!(
        texts(&page, ".agenda .session-card h3"),
        [
            "Keynote: the next decade",
            "Day one lightning",
            "Day two talk"
        ]
    );
    let times: Vec<(String, String)> = page
        .select(".agenda .session-card time")
        .iter()
        .map(|time| {
            (
                time.value().attr("datetime").unwrap().to_string(),
                time.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        times[0],
        (
            "2025-11-11T09:00:00-05:00".to_string(),
            "Tue 11 Nov, 09:00–09:30 EST".to_string()
        )
    );
    assert_eq!(times[2].1, "Wed 12 Nov, 14:00 EST");
    let keynote = page.text(".agenda .session-card");
    assert!(
        keynote.contains("Hall C") && keynote.contains("Keynote"),
        "{keynote}"
    );
    assert_eq!(page.text(".agenda .abstract strong"), "the next");
    let upcoming = site.html("events/devopsdays-2099/index.html");
    assert!(upcoming.text(".facts").contains("Find us at booth R39"));
    assert_eq!(upcoming.text("#who-title"), "Who’s going");
}

#[test]
fn sessions_of_two_recaps_merge_and_credit_both() {
    let site = site();
    let run = site.build();
    let page = site.html("events/kubecon-na-2025/index.html");
    let keynote = &page.select(".agenda .session-card")[0];
    let html = keynote.html();
    assert!(
        html.contains("/slides/next.pdf"),
        "slides from the other recap: {html}"
    );
    assert!(html.contains("/2025/kubecon-picks/") && html.contains("/2025/kubecon-day-two/"));
    // Both recaps name a room; the newer one's is kept (as is its spelling
    // of the title) and the other is pointed at.
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/posts/2025-11-12-kubecon-picks.md:11:1"),
        "{stderr}"
    );
    assert!(stderr.contains("has another `room`"), "{stderr}");
    let talks = site.html("talks/index.html");
    // One table for 2025; each session's time names its day.
    assert_eq!(texts(&talks, ".talks-year h2"), ["2025"]);
    let times = texts(&talks, ".talk-when time");
    assert!(
        times
            .first()
            .is_some_and(|time| time.starts_with("Wed 19 Nov")),
        "the newest event's sessions come first: {times:?}"
    );
    assert!(
        times
            .iter()
            .any(|time| time.starts_with("Tue 11 Nov, 09:00")),
        "{times:?}"
    );
    assert_eq!(
        texts(&talks, "table.talks tbody tr td:nth-child(2)")
            .iter()
            .filter(|title| title.to_lowercase().starts_with("keynote"))
            .count(),
        1
    );
}

#[test]
fn speakers_have_pages_linked_with_authors() {
    let site = site();
    site.build();
    let index = site.html("speakers/index.html");
    assert_eq!(
        texts(&index, ".card-title"),
        ["Ada Lovelace", "Grace Hopper", "Linus Example"]
    );
    assert!(index.text("main").contains("Kernel Org"));
    let ada = site.html("speakers/ada-lovelace/index.html");
    assert_eq!(ada.text("h1"), "Ada Lovelace");
    assert!(ada.text(".prose").contains("She also writes recaps."));
    assert!(ada.links().contains(&"/authors/ada/".to_string()));
    assert_eq!(
        texts(&ada, ".session-card h3"),
        ["Keynote: the next decade"]
    );
    assert!(
        ada.links()
            .contains(&"/events/kubecon-na-2025/".to_string())
    );
    let grace = site.html("speakers/grace-hopper/index.html");
    assert_eq!(
        texts(&grace, ".session-card h3"),
        ["Thursday talk", "Keynote: the next decade"],
        "newest event first, as everywhere"
    );
    assert!(
        site.html("authors/ada/index.html")
            .links()
            .contains(&"/speakers/ada-lovelace/".to_string())
    );
    let card = site.html("2025/kubecon-picks/index.html");
    assert!(
        card.links()
            .contains(&"/speakers/grace-hopper/".to_string())
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/speakers/linus-example/"));
}

#[test]
fn json_ld_has_sessions_performers_and_real_locations() {
    let site = site();
    site.build();
    let jsonld = |path: &str| -> serde_json::Value {
        let page = site.html(path);
        serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap()
    };
    let event = jsonld("events/kubecon-na-2025/index.html");
    assert_eq!(event["location"]["name"], "Georgia World Congress Center");
    let keynote = &event["subEvent"][0];
    assert_eq!(keynote["name"], "Keynote: the next decade");
    assert_eq!(keynote["startDate"], "2025-11-11T09:00:00-05:00");
    assert_eq!(keynote["performer"][1]["name"], "Grace Hopper");
    assert_eq!(keynote["performer"][1]["affiliation"]["name"], "Navy");
    let online = jsonld("events/virtual-kubecon/index.html");
    assert_eq!(online["location"]["@type"], "VirtualLocation");
    assert_eq!(online["location"]["url"], "https://events.example.org/live");
    let no_place = jsonld("events/devopsdays-2099/index.html");
    assert_eq!(no_place["location"]["@type"], "Place");
    let post = jsonld("2025/kubecon-picks/index.html");
    assert!(post["about"].get("subEvent").is_none());
}

#[test]
fn calendars_carry_timed_sessions_in_utc() {
    let site = site();
    site.build();
    let read = |path: &str| -> icalendar::Calendar {
        let text = site.read(path);
        icalendar::parser::read_calendar(&icalendar::parser::unfold(&text))
            .unwrap()
            .into()
    };
    for path in [
        "events/calendar.ics",
        "events/kubecon-na-2025/kubecon-na-2025.ics",
    ] {
        let calendar = read(path);
        let events: Vec<&icalendar::Event> = calendar
            .components
            .iter()
            .filter_map(|component| component.as_event())
            .collect();
        let keynote = events
            .iter()
            .find(|event| event.get_summary() == Some("Keynote: the next decade"))
            .unwrap_or_else(|| panic!("{path} has the keynote"));
        assert_eq!(keynote.property_value("DTSTART"), Some("20251111T140000Z"));
        assert_eq!(keynote.property_value("DTEND"), Some("20251111T143000Z"));
        assert_eq!(
            keynote.get_url(),
            Some("https://example.org/2025/kubecon-day-two/")
        );
        assert!(keynote.get_location().unwrap().contains("Hall C"));
        let uid = keynote.get_uid().unwrap();
        assert!(uid.starts_with("session-kubecon-na-2025-"), "{uid}");
    }
    let all = site.read("events/calendar.ics");
    assert!(
        all.contains("DTSTART:20251119T204500Z"),
        "London wall time in November is UTC"
    );
}

/// Python's icalendar package reads every calendar too (a second parser,
/// written independently of the one above).
#[test]
#[ignore = "needs Python's icalendar package (.ci/run installs it)"]
fn python_icalendar_reads_the_calendars() {
    let python = crate::support::external_tool("python3", "RECAP_PYTHON", &["/usr/bin/python3"]);
    let site = site();
    site.build();
    let script = r#"
import sys, icalendar
for path in sys.argv[1:]:
    calendar = icalendar.Calendar.from_ical(open(path, 'rb').read())
    for event in calendar.walk('VEVENT'):
        assert event.decoded('DTSTART') is not None
        if str(event.get('SUMMARY')) == 'Keynote: the next decade':
            print(event.decoded('DTSTART').isoformat())
"#;
    let output = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(site.public("events/calendar.ics"))
        .arg(site.public("events/kubecon-na-2025/kubecon-na-2025.ics"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        printed.lines().collect::<Vec<_>>(),
        ["2025-11-11T14:00:00+00:00"; 2]
    );
}

#[test]
fn custom_fields_reach_templates() {
    let site = site();
    site.write(
        "templates/event.html",
        "{{ event.extra.sponsor_level | default(value='none') }}|{% for session in sessions %}{{ session.extra.level | default(value='-') }};{% endfor %}|{{ event.timezone }}",
    );
    site.build();
    assert_eq!(
        site.read("events/kubecon-na-2025/index.html"),
        "gold|beginner;-;-;|America/New_York"
    );
    assert_eq!(
        site.read("events/virtual-kubecon/index.html"),
        "none|-;|Europe/London"
    );
}

#[test]
fn bad_event_and_session_input_points_at_the_line() {
    let site = site();
    site.write(
        "content/events/virtual-kubecon.md",
        "+++\nname = \"Virtual KubeCon\"\nstart = 2025-11-19\ntimezone = \"europe/london\"\n+++\n",
    );
    site.run(&["build"]).fails_with(&[
        "content/events/virtual-kubecon.md:4:13",
        "unknown time zone `europe/london`; did you mean `Europe/London`?",
    ]);
    let site = site_with_post(
        "title = \"X\"\n\n[[sessions]]\ntitle = \"Backwards\"\nstart = 2025-11-11T10:00:00\nend = 2025-11-11T09:00:00",
    );
    site.run(&["build"]).fails_with(&[
        "content/posts/2025-11-12-x.md:7:1",
        "session “Backwards” ends",
        "before it starts",
    ]);
    let site = site_with_post(
        "title = \"X\"\n\n[[sessions]]\ntitle = \"Nameless\"\nspeakers = [{ company = \"Navy\" }]",
    );
    site.run(&["build"]).fails_with(&[
        "content/posts/2025-11-12-x.md:6:13",
        "missing required key `name` in this table",
    ]);
    let site = site_with_post("title = \"X\"\n\n[[sessions]]\ntitle = \"K\"\nkind = \"keynot\"");
    site.run(&["build"])
        .fails_with(&["content/posts/2025-11-12-x.md:6", "keynote"]);
    let site = TestSite::with_config(
        "title = \"T\"\nbase_url = \"https://example.org\"\ntimezone = \"Mars/Olympus\"\n",
    );
    site.run(&["build"])
        .fails_with(&["config.toml:3", "unknown time zone `Mars/Olympus`"]);
}

#[test]
fn check_warns_about_a_session_outside_its_events_days() {
    let site = site();
    site.post(
        "2025-11-14-typo.md",
        "title = \"Typo\"\nevent = \"kubecon-na-2025\"\n\n[[sessions]]\ntitle = \"Last year\"\nstart = 2024-11-12T10:00:00",
        "Oops.\n",
    );
    let run = site.run(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/posts/2025-11-14-typo.md:7:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the session “Last year” is on 2024-11-12, outside KubeCon NA 2025"),
        "{stderr}"
    );
}

fn site_with_post(front: &str) -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.post("2025-11-12-x.md", front, "Body.\n");
    site
}

#[test]
fn two_speaker_files_with_one_slug_are_an_error() {
    let site = site();
    site.write(
        "content/speakers/Ada-Lovelace.md",
        "+++\nname = \"Ada\"\n+++\n",
    );
    site.run(&["build"]).fails_with(&[
        "both give the page /speakers/ada-lovelace/",
        "content/speakers/ada-lovelace.md",
        "content/speakers/Ada-Lovelace.md",
    ]);
}
