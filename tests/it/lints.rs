//! `recap check` lints: warnings with file and line, exit status 0, and
//! nothing `recap build` complains about.

use crate::support::TestSite;

#[test]
fn check_reports_mojibake_missing_alt_text_and_undated_events() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\nevent = \"Some Meetup\"",
        "It\u{e2}\u{20ac}\u{2122}s a caf\u{c3}\u{a9} talk.\n\n![](stage.png)\n",
    );
    let run = site.run(&["check"]);
    assert!(run.ok(), "lints are warnings: {}", run.stderr());
    let stderr = run.stderr();
    for part in [
        "content/posts/2024-03-22-kubecon.md:5:3",
        "`â€™` looks like mojibake",
        "it was probably `’`",
        "probably `é`",
        "content/posts/2024-03-22-kubecon.md:7:1",
        "image `stage.png` has no alt text",
        "content/posts/2024-03-22-kubecon.md:3:1",
        "the event `Some Meetup` has no dates",
        "content/events/some-meetup.md",
    ] {
        assert!(stderr.contains(part), "lacks {part:?}:\n{stderr}");
    }
    let build = site.build();
    assert!(!build.stderr().contains("mojibake"), "build does not lint");
}

#[test]
fn a_clean_site_checks_quietly() {
    let site = TestSite::new();
    site.write(
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2024-03-19\n+++\n",
    );
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\nevent = \"kubecon\"",
        "Café, “quotes” and 👋.\n\n![The stage](stage.png)\n",
    );
    let run = site.run(&["check"]);
    assert!(run.ok());
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
}
