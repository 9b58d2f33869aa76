//! `recap check` lints: warnings with file and line, exit status 0, and
//! nothing `recap build` complains about.

use crate::support::TestSite;

/// A 1 × 1 PNG's signature and header: all a size reader looks at.
const STAGE_PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

#[test]
fn check_reports_mojibake_missing_alt_text_and_undated_events() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\nevent = \"Some Meetup\"",
        "It\u{e2}\u{20ac}\u{2122}s a caf\u{c3}\u{a9} talk.\n\n![](stage.png)\n",
    );
    site.write_bytes("static/2024/kubecon/stage.png", STAGE_PNG);
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
    site.write_bytes("static/2024/kubecon/stage.png", STAGE_PNG);
    let run = site.run(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
}

/// `recap check` resolves every link into the site, not only `@/` ones,
/// and points at each broken one; `recap build` does not check them.
#[test]
fn check_finds_every_broken_link_into_the_site() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org/team\"\n");
    site.write("static/img/real.png", "png");
    site.post(
        "2025-04-02-b.md",
        "title = \"B\"\ntags = [\"rust\"]",
        "## Intro\n\nText.\n",
    );
    site.post(
        "2025-04-01-a.md",
        "title = \"A\"\nimage = \"/img/banner.jpg\"",
        r#"## Real

Fine: [b](/2025/b/), [b intro](/2025/b/#intro), [tag](/tags/rust/), [feed](/atom.xml),
[relative](../b/), [here](#real), ![img](/img/real.png), [mail](mailto:a@example.org),
[away](https://elsewhere.example/x), [file](@/posts/2025-04-02-b.md).

Broken: [nope](/2026/nope/) and [up](../missing/) and [frag](#no-such-heading)
and [theirs](/2025/b/#outro) and ![stage](/img/stage.jpg).

<a href="/nope.html">raw</a>

{{ figure(src="/img/real.png", alt="Fine") }}

{{ figure(src="/img/missing.jpg", alt="Gone") }}
"#,
    );
    assert!(
        site.run(&["build"]).ok(),
        "build does not check plain links"
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let stderr = run.stderr();
    for expected in [
        "content/posts/2025-04-01-a.md:11:16",
        "the link `/2026/nope/` leads to /2026/nope/, which is no page or file of the site",
        "the link `../missing/` leads to /2025/missing/",
        "the link `#no-such-heading` points at `#no-such-heading`, which is no heading of /2025/a/",
        "the link `/2025/b/#outro` points at `#outro`",
        "the link `/img/stage.jpg` leads to /img/stage.jpg",
        "content/posts/2025-04-01-a.md:14:10",
        "the link `/nope.html` leads to /nope.html",
        // A shortcode's URL arguments are links too, at the shortcode.
        "content/posts/2025-04-01-a.md:18:1",
        "the link `/img/missing.jpg` leads to /img/missing.jpg",
        "content/posts/2025-04-01-a.md:3:1",
        "`/img/banner.jpg` leads to /img/banner.jpg",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("error:").count(), 8, "{stderr}");
}
