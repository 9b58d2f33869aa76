//! A failed build leaves the previous output untouched; recap never deletes
//! a file it did not write; every output path stays inside the output.

use crate::support::{TestSite, snapshot};

fn site_with_post() -> TestSite {
    let site = TestSite::new();
    site.post("2024-03-22-kubecon.md", "title = \"KubeCon\"", "Hello.\n");
    site
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let site = site_with_post();
    site.build();
    let before = snapshot(&site.public(""));
    assert!(before.contains_key("2024/kubecon/index.html"));

    site.post(
        "2024-03-23-broken.md",
        "title = \"Broken\"\ntagz = []",
        "x\n",
    );
    site.run(&["build"]).fails_with(&["unknown key `tagz`"]);

    assert_eq!(snapshot(&site.public("")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("recap-") && name != ".recap-cache")
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn a_template_error_also_leaves_the_output_untouched() {
    let site = site_with_post();
    site.build();
    let before = snapshot(&site.public(""));
    site.write("templates/post.html", "{{ post.no_such_thing }}");
    site.run(&["build"])
        .fails_with(&["templates/post.html:1", "no_such_thing"]);
    assert_eq!(snapshot(&site.public("")), before);
}

#[test]
fn refuses_to_replace_a_folder_recap_did_not_write() {
    let site = site_with_post();
    site.write("public/notes.txt", "mine");
    site.run(&["build"])
        .fails_with(&["refusing to replace", "did not create it"]);
    assert_eq!(
        std::fs::read_to_string(site.public("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn refuses_to_replace_output_holding_a_file_added_by_hand() {
    let site = site_with_post();
    site.build();
    site.write("public/CNAME", "recaps.example.org");
    site.run(&["build"])
        .fails_with(&["CNAME", "not written by recap"]);
    assert_eq!(
        std::fs::read_to_string(site.public("CNAME")).unwrap(),
        "recaps.example.org"
    );
}

#[test]
fn a_file_added_by_hand_deep_in_the_output_is_found_before_a_swap() {
    let site = site_with_post();
    site.build();
    let mine = site.public("2024/kubecon/mine.html");
    std::fs::write(&mine, "mine").unwrap();
    // Looked for when the whole folder would be replaced: here a new title
    // changes most pages of this one-post site.
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon EU\"",
        "Hello.\n",
    );
    site.run(&["build"])
        .fails_with(&["mine.html", "not written by recap"]);
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
}

#[cfg(unix)]
#[test]
fn a_small_change_is_never_written_through_a_link_in_the_output() {
    let site = TestSite::new();
    for n in 0..12 {
        site.post(
            &format!("2024-03-{:02}-post-{n}.md", n + 1),
            &format!("title = \"Post {n}\""),
            "Text.\n",
        );
    }
    site.build();
    // The folder of post 4's page becomes a link to a folder elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let folder = site.public("2024/post-4");
    std::fs::rename(&folder, elsewhere.path().join("post-4")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("post-4"), &folder).unwrap();
    let before = snapshot(elsewhere.path());
    site.post("2024-03-05-post-4.md", "title = \"Post 4\"", "Edited.\n");
    site.run(&["build"]).fails_with(&["not written by recap"]);
    assert_eq!(snapshot(elsewhere.path()), before, "nothing written there");
}

#[test]
fn refuses_the_site_folder_as_output() {
    let site = site_with_post();
    site.run(&["build", "-o", "."])
        .fails_with(&["refusing to use"]);
    assert!(
        site.root()
            .join("content/posts/2024-03-22-kubecon.md")
            .is_file()
    );
    site.write("elsewhere/config.toml", "x");
    site.run(&["build", "-o", "elsewhere"])
        .fails_with(&["holds the site's own files"]);
}

#[test]
fn an_empty_output_folder_is_fine() {
    let site = site_with_post();
    std::fs::create_dir_all(site.public("")).unwrap();
    site.build();
    assert!(site.public("index.html").is_file());
}

#[test]
fn a_rebuild_drops_pages_whose_source_is_gone() {
    let site = site_with_post();
    site.post("2024-03-23-second.md", "title = \"Second\"", "x\n");
    site.build();
    assert!(site.public("2024/second/index.html").is_file());
    std::fs::remove_file(site.root().join("content/posts/2024-03-23-second.md")).unwrap();
    site.build();
    assert!(!site.public("2024/second/index.html").exists());
    assert!(site.public("2024/kubecon/index.html").is_file());
    // First-level folders are staged under per-build names; none may remain,
    // and nothing of the staging or the old output is left beside it.
    let mut top: Vec<String> = std::fs::read_dir(site.public(""))
        .unwrap()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "2024",
            "archive",
            "authors",
            "events",
            "page",
            "search",
            "social-cards",
            "speakers",
            "tags",
            "talks"
        ]
    );
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("recap") && name != ".recap-cache")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn an_alias_that_escapes_the_output_is_an_error() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-a.md",
        "title = \"A\"\naliases = [\"/../../etc/evil.html\"]",
        "x\n",
    );
    site.run(&["build"])
        .fails_with(&["content/posts/2024-03-22-a.md:3", "leave the output folder"]);
    // public/../../etc is the site's parent's etc/.
    let parent = site.root().parent().unwrap();
    assert!(!parent.join("etc/evil.html").exists());
    assert!(!site.root().join("etc").exists());
}

#[test]
fn a_slug_that_is_a_path_is_an_error() {
    let site = TestSite::new();
    site.post(
        "2024-03-22-a.md",
        "title = \"A\"\nslug = \"../../x\"",
        "x\n",
    );
    site.run(&["build"])
        .fails_with(&["content/posts/2024-03-22-a.md:3", "is a path"]);
}

#[test]
fn check_writes_nothing() {
    let site = site_with_post();
    let run = site.run(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!site.public("").exists());
    let leftovers = std::fs::read_dir(site.root()).unwrap().count();
    assert_eq!(leftovers, 2, "only config.toml and content/ remain");
}

#[test]
fn an_output_holding_a_content_folder_of_its_own_builds_again() {
    let site = site_with_post();
    site.write(
        "static/content/readme.txt",
        "published as /content/readme.txt",
    );
    site.build();
    assert!(site.public("content/readme.txt").is_file());
    site.build();
}
