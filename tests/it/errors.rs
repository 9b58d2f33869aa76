//! One test per class of bad input: each names the file, the line (and
//! column) in that file, shows the line, says what would be valid, and
//! exits with status 1.

use crate::support::TestSite;

fn post_site(front: &str, body: &str) -> TestSite {
    let site = TestSite::new();
    site.post("2024-03-22-kubecon.md", front, body);
    site
}

const POST: &str = "content/posts/2024-03-22-kubecon.md";

#[test]
fn toml_syntax_error() {
    let site = post_site("title = \"KubeCon\"\ntags = [\"a\"", "x");
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:3:"), "tags = [\"a\""]);
}

#[test]
fn yaml_syntax_error() {
    let site = TestSite::new();
    site.write(
        "content/posts/2024-03-22-kubecon.md",
        "---\ntitle: KubeCon\ntags: [a, b\n---\nbody\n",
    );
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:"), "tags: [a, b"]);
}

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
fn unknown_key_in_yaml_front_matter() {
    let site = TestSite::new();
    site.write(POST, "---\ntitle: KubeCon\ntgs: [a]\n---\nbody\n");
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:3"),
        "unknown key `tgs`",
        "did you mean `tags`?",
    ]);
}

#[test]
fn unknown_session_key() {
    let site = post_site(
        "title = \"KubeCon\"\n\n[[sessions]]\ntitle = \"T\"\nspeaker = [\"x\"]",
        "x",
    );
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:6"),
        "unknown key `speaker`",
        "did you mean `speakers`?",
    ]);
}

#[test]
fn missing_required_key_points_at_line_one() {
    let site = post_site("tags = [\"a\"]", "x");
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:1:1"), "missing required key `title`"]);
}

#[test]
fn missing_date_without_a_date_prefix() {
    let site = TestSite::new();
    site.post("kubecon.md", "title = \"KubeCon\"", "x");
    site.run(&["build"]).fails_with(&[
        "content/posts/kubecon.md:1:1",
        "missing required key `date`",
        "2024-03-25",
    ]);
}

#[test]
fn wrong_type_says_what_was_expected() {
    let site = post_site("title = \"KubeCon\"\ntags = \"kubernetes\"", "x");
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:3:8"), "expected a sequence"]);
}

#[test]
fn bad_date() {
    let site = post_site("title = \"KubeCon\"\ndate = \"2024-13-45\"", "x");
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:3"),
        "invalid date `2024-13-45`",
        "2024-03-25",
    ]);
}

#[test]
fn event_ending_before_it_starts() {
    let site = TestSite::new();
    site.write(
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2024-03-19\nend = 2024-03-10\n+++\n",
    );
    site.run(&["build"]).fails_with(&[
        "content/events/kubecon.md:4:1",
        "ends (2024-03-10) before it starts (2024-03-19)",
    ]);
}

#[test]
fn unknown_event_kind_lists_the_valid_ones() {
    let site = TestSite::new();
    site.write(
        "content/events/jam.md",
        "+++\nname = \"Jam\"\nstart = 2024-03-19\nkind = \"hackaton\"\n+++\n",
    );
    site.run(&["build"]).fails_with(&[
        "content/events/jam.md:4",
        "unknown value `hackaton`",
        "did you mean `hackathon`?",
    ]);
}

#[test]
fn duplicate_permalinks_name_both_files() {
    let site = TestSite::new();
    site.post("2024-03-22-kubecon.md", "title = \"A\"", "x");
    site.post(
        "2024/2024-05-01-other.md",
        "title = \"B\"\nslug = \"kubecon\"",
        "x",
    );
    site.run(&["build"]).fails_with(&[
        "/2024/kubecon/ is claimed twice",
        "content/posts/2024-03-22-kubecon.md",
        "content/posts/2024/2024-05-01-other.md",
    ]);
}

#[test]
fn a_page_cannot_take_a_generated_url() {
    let site = TestSite::new();
    site.write("content/tags.md", "+++\ntitle = \"Tags\"\n+++\n");
    site.run(&["build"]).fails_with(&[
        "/tags/ is claimed twice",
        "the tags page",
        "content/tags.md",
    ]);
}

#[test]
fn broken_internal_link() {
    let site = post_site(
        "title = \"KubeCon\"",
        "Intro.\n\nSee [day two](@/posts/nope.md).\n",
    );
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:6:"),
        "@/posts/nope.md",
        "See [day two](@/posts/nope.md).",
    ]);
}

#[test]
fn broken_internal_anchor() {
    let site = post_site(
        "title = \"KubeCon\"",
        "See [it](@/posts/2024-03-23-two.md#keynote).\n",
    );
    site.post(
        "2024-03-23-two.md",
        "title = \"Two\"",
        "## The keynotes\n\nText.\n",
    );
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:4:"),
        "missing anchor `#keynote`",
        "did you mean `#the-keynotes`?",
    ]);
}

#[test]
fn file_that_is_not_utf8() {
    let site = TestSite::new();
    site.write_bytes(POST, b"+++\ntitle = \"Caf\xe9\"\n+++\nbody\n");
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:2:13"), "not valid UTF-8"]);
}

#[test]
fn unclosed_front_matter() {
    let site = TestSite::new();
    site.write(
        POST,
        "+++\ntitle = \"KubeCon\"\n\nBody without a closing fence.\n",
    );
    site.run(&["build"]).fails_with(&[
        &format!("{POST}:1:1"),
        "never closed",
        "add a line with only `+++`",
    ]);
}

#[test]
fn file_without_front_matter() {
    let site = TestSite::new();
    site.write(POST, "# Just markdown\n");
    site.run(&["build"])
        .fails_with(&[&format!("{POST}:1:1"), "no front matter"]);
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let site = post_site("title = \"KubeCon\"", "x");
    site.write(
        "templates/post.html",
        "<h1>{{ post.title }}</h1>\n{% if post.draft %}\n<p>draft</p>\n",
    );
    site.run(&["build"]).fails_with(&[
        "templates/post.html:",
        "template syntax error in `post.html`",
    ]);
}

#[test]
fn template_syntax_error_in_an_unused_template_still_fails() {
    let site = post_site("title = \"KubeCon\"", "x");
    site.write("templates/partials/unused.html", "line one\n{{ oops ");
    site.run(&["build"])
        .fails_with(&["templates/partials/unused.html:2", "partials/unused.html"]);
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
fn config_unknown_key_comes_before_missing_key() {
    let site = TestSite::with_config("titel = \"x\"\n");
    site.run(&["build"]).fails_with(&[
        "config.toml:1:1",
        "unknown key `titel`",
        "did you mean `title`?",
    ]);
    assert!(!site.run(&["build"]).stderr().contains("missing"));
}

#[test]
fn config_bad_base_url() {
    let site = TestSite::with_config("title = \"x\"\nbase_url = \"example.org\"\n");
    site.run(&["build"])
        .fails_with(&["config.toml:2:1", "not an absolute http(s) URL"]);
}

#[test]
fn config_unknown_highlight_theme_lists_themes() {
    let site = TestSite::with_config(
        "title = \"x\"\nbase_url = \"https://example.org\"\nhighlight_theme = \"Monokai\"\n",
    );
    site.run(&["build"])
        .fails_with(&["config.toml:3:1", "Monokai", "InspiredGitHub"]);
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
