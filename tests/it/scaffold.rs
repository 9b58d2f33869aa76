//! `recap init` and `recap new`: files that build at once, and nothing
//! ever overwritten.

use crate::support::TestSite;

fn recap(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    crate::support::recap_in(dir, args).output
}

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = recap(dir.path(), &["init", "team-site"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("team-site");
    for file in [
        "config.toml",
        ".gitignore",
        "content/events/first-conference.md",
        "content/authors/you.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(
        site.join(format!("content/posts/{}-our-first-recap.md", today()))
            .is_file()
    );
    let build = recap(&site, &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let post =
        std::fs::read_to_string(site.join("public/events/first-conference/index.html")).unwrap();
    assert!(
        post.contains("Boring Technology, Revisited"),
        "the sample session is on the event page"
    );
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .contains("/public/")
    );
}

#[test]
fn init_refuses_a_non_empty_folder_and_force_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "title = \"Mine\"\nbase_url = \"https://mine.example\"\n",
    )
    .unwrap();
    let out = recap(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    let forced = recap(dir.path(), &["init", "--force"]);
    assert!(forced.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        "title = \"Mine\"\nbase_url = \"https://mine.example\"\n"
    );
    assert!(dir.path().join("content/authors/you.md").is_file());
}

#[test]
fn new_post_uses_today_the_title_slug_and_the_event() {
    let site = TestSite::new();
    site.write(
        "content/events/kubecon-eu-2025.md",
        "+++\nname = \"KubeCon EU 2025\"\nstart = 2025-04-01\n+++\n",
    );
    let run = site.run(&[
        "new",
        "post",
        "KubeCon \"EU\": day one",
        "--event",
        "kubecon-eu-2025",
    ]);
    assert!(run.ok(), "{}", run.stderr());
    let path = site
        .root()
        .join(format!("content/posts/{}-kubecon-eu-day-one.md", today()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title = 'KubeCon \"EU\": day one'"), "{text}");
    assert!(text.contains("event = \"kubecon-eu-2025\""), "{text}");
    assert!(
        text.contains("draft = true"),
        "a new post is a draft: {text}"
    );
    assert!(!text.contains("video = \"\""), "no empty URLs: {text}");
    site.build();
    assert!(
        !site.public("2025").exists()
            || std::fs::read_dir(site.public("2025"))
                .unwrap()
                .next()
                .is_none(),
        "the draft is not published"
    );
    // Until they are replaced, check points at the sample text.
    let check = site.run(&["check", "--drafts"]);
    assert!(check.ok(), "{}", check.stderr());
    let stderr = check.stderr();
    assert!(
        stderr.contains("“Name of the talk” is sample text from `recap new post`"),
        "{stderr}"
    );
    assert!(stderr.contains("“Speaker Name” is sample text"), "{stderr}");
    assert!(
        stderr.contains("“What was it like? Start with the two or three things”"),
        "{stderr}"
    );
    let again = site.run(&["new", "post", "KubeCon \"EU\": day one"]);
    again.fails_with(&["already exists", "does not overwrite"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn new_post_with_an_unknown_event_suggests_the_nearest() {
    let site = TestSite::new();
    site.write(
        "content/events/kubecon-eu-2025.md",
        "+++\nname = \"KubeCon EU 2025\"\nstart = 2025-04-01\n+++\n",
    );
    site.run(&["new", "post", "Day one", "--event", "kubecon-eu-2052"])
        .fails_with(&[
            "no event `kubecon-eu-2052`",
            "did you mean `kubecon-eu-2025`?",
        ]);
    assert!(!site.root().join("content/posts").exists());
}

#[test]
fn new_event_checks_dates_and_uses_the_site_archetype() {
    let site = TestSite::new();
    site.run(&[
        "new",
        "event",
        "RustFest",
        "--start",
        "2025-06-10",
        "--end",
        "2025-06-01",
    ])
    .fails_with(&["ends (2025-06-01) before it starts (2025-06-10)"]);
    site.run(&["new", "event", "RustFest", "--start", "soon"])
        .fails_with(&["invalid date `soon`"]);
    site.write("archetypes/event.md", "+++\nname = {{ name | quoted }}\nstart = {{ start }}\nkind = \"meetup\"\n+++\nOur own archetype.\n");
    let run = site.run(&[
        "new",
        "event",
        "Rust Meetup Utrecht",
        "--start",
        "2026-03-19",
    ]);
    assert!(run.ok(), "{}", run.stderr());
    let text =
        std::fs::read_to_string(site.root().join("content/events/rust-meetup-utrecht.md")).unwrap();
    assert!(
        text.contains("Our own archetype.") && text.contains("kind = \"meetup\""),
        "{text}"
    );
    site.build();
    assert!(
        site.public("events/rust-meetup-utrecht/index.html")
            .is_file()
    );
}

#[test]
fn new_event_takes_kind_website_timezone_and_booth() {
    let site = TestSite::new();
    let run = site.run(&[
        "new",
        "event",
        "PlatformCon",
        "--start",
        "2027-05-18",
        "--end",
        "2027-05-20",
        "--location",
        "Berlin",
        "--kind",
        "conference",
        "--website",
        "https://platformcon.example.org",
        "--timezone",
        "Europe/Berlin",
        "--booth",
        "S42",
    ]);
    assert!(run.ok(), "{}", run.stderr());
    let text = std::fs::read_to_string(site.root().join("content/events/platformcon.md")).unwrap();
    for line in [
        "website = \"https://platformcon.example.org\"",
        "timezone = \"Europe/Berlin\"",
        "booth = \"S42\"",
        "kind = \"conference\"",
        "end = 2027-05-20",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    site.build();
    site.run(&[
        "new",
        "event",
        "X",
        "--start",
        "2027-01-01",
        "--kind",
        "meetp",
    ])
    .fails_with(&["unknown event kind `meetp`", "did you mean `meetup`?"]);
    site.run(&[
        "new",
        "event",
        "Y",
        "--start",
        "2027-01-01",
        "--timezone",
        "Europe/Berln",
    ])
    .fails_with(&["unknown time zone `Europe/Berln`"]);
    site.run(&[
        "new",
        "event",
        "Z",
        "--start",
        "2027-01-01",
        "--website",
        "javascript:alert(1)",
    ])
    .fails_with(&["--website"]);
}
