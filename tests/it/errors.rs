//! Bad input through the real binary: the message on stderr with its
//! file and line, and the exit status (1 for a site error, 2 for a usage
//! error). Every kind of mistake has its own fixture folder under
//! `tests/invalid/`, whose whole message is a reviewed snapshot
//! (`src/fixture_tests.rs`); these few check the command line around them.

use crate::support::TestSite;

fn post_site(front: &str, body: &str) -> TestSite {
    let site = TestSite::new();
    site.post("2024-03-22-kubecon.md", front, body);
    site
}

const POST: &str = "content/posts/2024-03-22-kubecon.md";

#[test]
fn unknown_key_suggests_the_nearest() {
    let site = post_site("title = \"KubeCon\"\nauthor = [\"alice\"]", "x");
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:3:1"),
        "unknown key `author`",
        "author = [\"alice\"]",
        "did you mean `authors`?",
    ]);
}

#[test]
fn template_render_error_names_template_and_line() {
    let site = post_site("title = \"KubeCon\"", "x");
    site.write(
        "templates/post.html",
        "<h1>{{ post.title }}</h1>\n<p>{{ post.subtitle }}</p>\n",
    );
    site.run(&["build"])
        .fails_with(&["templates/post.html:2:7", "post.subtitle"]);
}

#[test]
fn all_content_errors_are_reported_at_once() {
    let site = TestSite::new();
    site.post("2024-03-22-a.md", "title = \"A\"\ntagz = []", "x");
    site.post("2024-03-23-b.md", "titl = \"B\"", "x");
    site.write(
        "content/events/e.md",
        "+++\nname = \"E\"\nstart = \"soon\"\n+++\n",
    );
    let run = site.run(&["build"]);
    run.fails_with(&[
        "content/posts/2024-03-22-a.md:3",
        "content/posts/2024-03-23-b.md:2",
        "content/events/e.md:3",
        "3 errors",
    ]);
}

#[test]
fn usage_errors_exit_with_two() {
    let site = TestSite::new();
    assert_eq!(site.run(&["build", "--no-such-flag"]).code(), Some(2));
    assert_eq!(site.run(&["frobnicate"]).code(), Some(2));
}

#[test]
fn no_site_here_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_recap"))
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no config.toml"));
}
