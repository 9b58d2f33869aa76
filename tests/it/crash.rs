//! Builds that die, race or find leftovers: the output is always the old
//! site or the new one, never a mix; the next build always runs; and
//! nothing recap did not write is deleted. Deaths are injected at every
//! step of the output swap (`RECAP_FAIL_AT` aborts the process there, as a
//! kill would) and by SIGKILL at many moments of real builds.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{TestSite, as_nobody, leftovers_beside, open_to_everyone, set_mode, snapshot};

type Files = BTreeMap<String, Vec<u8>>;

/// Every step of the swap where `RECAP_FAIL_AT` can stop a build.
const FAIL_POINTS: [&str; 5] = [
    "staging-created",
    "naming-folders",
    "manifest-written",
    "marker-removed",
    "swapped",
];

/// A site whose content is version `version`: the same posts with other
/// text, one post only in each version, and a tag and event page each.
fn write_version(site: &TestSite, version: u32, posts: usize) {
    let posts_dir = site.root().join("content/posts");
    let _ = std::fs::remove_dir_all(&posts_dir);
    for n in 0..posts {
        site.post(
            &format!("2024-03-{:02}-post-{n}.md", n % 28 + 1),
            &format!("title = \"Post {n}\"\ntags = [\"t{}\"]\nevent = \"Conf\"", n % 7),
            &format!("Version {version} of post {n}.\n\n## Part\n\n```rust\nfn v() -> u32 {{ {version} }}\n```\n"),
        );
    }
    site.post(
        &format!("2024-04-01-only-in-{version}.md"),
        "title = \"Only\"",
        "x\n",
    );
}

fn build_with(site: &TestSite, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_recap"));
    command.args(["build", "-q"]).current_dir(site.root());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// (site, its output as version 1, as version 2), the site left at version 1.
fn two_versions(posts: usize) -> (TestSite, Files, Files) {
    let site = TestSite::new();
    write_version(&site, 2, posts);
    site.build();
    let second = snapshot(&site.public(""));
    write_version(&site, 1, posts);
    site.build();
    let first = snapshot(&site.public(""));
    assert_ne!(first, second);
    (site, first, second)
}

fn assert_whole(site: &TestSite, old: &Files, new: &Files, when: &str) {
    let now = snapshot(&site.public(""));
    assert!(
        now == *old || now == *new,
        "{when}: the output is a mix ({} files; old {}, new {})",
        now.len(),
        old.len(),
        new.len()
    );
}

#[test]
fn a_build_killed_at_any_step_of_the_swap_leaves_a_whole_site() {
    for point in FAIL_POINTS {
        let (site, old, new) = two_versions(3);
        write_version(&site, 2, 3);
        let died = build_with(&site, &[("RECAP_FAIL_AT", point)]);
        assert!(!died.status.success(), "{point}: the build did not stop");
        assert_whole(&site, &old, &new, point);
        next_build_gives(&site, &new, point);
    }
}

/// The next build succeeds, the output is `new`, and nothing of a dead
/// build is left beside it.
fn next_build_gives(site: &TestSite, new: &Files, point: &str) {
    let run = site.run(&["build"]);
    assert!(run.ok(), "{point}: {}", run.stderr());
    assert_eq!(snapshot(&site.public("")), *new, "{point}: the next build");
    assert!(
        leftovers_beside(site.root()).is_empty(),
        "{point}: {:?}",
        leftovers_beside(site.root())
    );
}

#[test]
fn without_an_atomic_exchange_the_old_site_is_put_back() {
    let (site, old, new) = two_versions(3);
    write_version(&site, 2, 3);
    let fallback = ("RECAP_NO_EXCHANGE", "1");
    let died = build_with(&site, &[fallback, ("RECAP_FAIL_AT", "moved-aside")]);
    assert!(!died.status.success());
    assert!(!site.public("").exists(), "the old output was moved aside");
    // The next build puts it back before anything else (and then dies
    // before its own swap).
    let died = build_with(&site, &[fallback, ("RECAP_FAIL_AT", "staging-created")]);
    assert!(!died.status.success());
    assert_eq!(snapshot(&site.public("")), old);
    let run = build_with(&site, &[fallback]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(snapshot(&site.public("")), new);
    assert!(leftovers_beside(site.root()).is_empty());
}

#[test]
fn a_first_build_killed_at_any_step_leaves_nothing_in_the_way() {
    // A first build has no old output to swap with.
    for point in &FAIL_POINTS[..4] {
        let site = TestSite::new();
        write_version(&site, 1, 2);
        let died = build_with(&site, &[("RECAP_FAIL_AT", point)]);
        assert!(!died.status.success(), "{point}");
        site.build();
        assert!(site.public("index.html").is_file(), "{point}");
        assert!(leftovers_beside(site.root()).is_empty(), "{point}");
    }
}

/// Every step of a small change applied in place where `RECAP_FAIL_AT`
/// can stop a build: the journal is whole, one file is moved, all is done
/// but the staging folder.
const PATCH_POINTS: [&str; 3] = ["patch-recorded", "patch-moving", "patch-done"];

/// A site of 12 posts and its output after one post's body is edited.
fn site_with_one_edit() -> (TestSite, Files, Files) {
    let site = TestSite::new();
    write_version(&site, 1, 12);
    let edited = |text: &str| {
        site.post(
            "2024-03-05-post-4.md",
            "title = \"Post 4\"\ntags = [\"t4\"]\nevent = \"Conf\"",
            text,
        );
    };
    edited("An edited body.\n");
    site.build();
    let new = snapshot(&site.public(""));
    edited("Version 1 of post 4.\n");
    site.build();
    let old = snapshot(&site.public(""));
    edited("An edited body.\n");
    (site, old, new)
}

#[test]
fn a_small_change_killed_while_applied_is_finished_by_the_next_build() {
    for point in PATCH_POINTS {
        let (site, old, new) = site_with_one_edit();
        let died = build_with(&site, &[("RECAP_FAIL_AT", point)]);
        assert!(!died.status.success(), "{point}: the build did not stop");
        let now = snapshot(&site.public(""));
        match point {
            "patch-recorded" => assert_eq!(now, old, "{point}: nothing moved yet"),
            "patch-done" => assert_eq!(now, new, "{point}"),
            _ => assert!(now != old && now != new, "{point}: one file moved"),
        }
        // Whatever the next build is asked to do, it first finishes the
        // change (here: none left to make, so it writes nothing more).
        next_build_gives(&site, &new, point);
    }
}

#[test]
fn a_small_change_is_applied_in_place_and_a_large_one_swapped() {
    let (site, _, new) = site_with_one_edit();
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(snapshot(&site.public("")), new);
    assert!(
        run.stdout().contains("kept"),
        "only the pages that show the post are rendered: {}",
        run.stdout()
    );
    // The same change, forced through a swap, gives the same site.
    let (site, _, new) = site_with_one_edit();
    let run = build_with(&site, &[("RECAP_ALWAYS_SWAP", "1")]);
    assert!(run.status.success());
    assert_eq!(snapshot(&site.public("")), new);
}

#[cfg(unix)]
#[test]
fn builds_killed_at_random_moments_leave_the_old_site_or_the_new() {
    let (site, first, second) = two_versions(150);
    let versions = [&first, &second];
    let mut current = 0;
    for delay_ms in [0, 2, 5, 10, 20, 40, 60, 80, 120, 160, 200, 300] {
        let next = 1 - current;
        write_version(&site, next as u32 + 1, 150);
        let mut child = Command::new(env!("CARGO_BIN_EXE_recap"))
            .args(["build", "-q"])
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&site.public(""));
        assert!(
            now == *versions[current] || now == *versions[next],
            "killed after {delay_ms} ms: the output is a mix"
        );
        current = if now == *versions[next] {
            next
        } else {
            current
        };
    }
    let last = 1 - current;
    write_version(&site, last as u32 + 1, 150);
    site.build();
    assert_eq!(snapshot(&site.public("")), *versions[last]);
    let left = leftovers_beside(site.root());
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn concurrent_builds_wait_for_each_other() {
    let site = TestSite::new();
    write_version(&site, 1, 20);
    site.build();
    let expected = snapshot(&site.public(""));
    for round in 0..5 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_recap"))
                    .args(["build", "-q"])
                    .current_dir(site.root())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_eq!(snapshot(&site.public("")), expected, "round {round}");
        assert!(leftovers_beside(site.root()).is_empty(), "round {round}");
    }
}

#[test]
fn leftovers_of_earlier_builds_are_cleaned_and_foreign_ones_kept() {
    let site = TestSite::new();
    write_version(&site, 1, 2);
    site.build();
    let manifest = std::fs::read_to_string(site.public(".recap-manifest")).unwrap();
    let header = manifest.lines().next().unwrap();
    // An old staging folder that lost its marker in the swap (as builds
    // before this one left it), an old output, an empty staging folder, a
    // staging folder with its marker, and a folder of the user's.
    site.write(
        ".public.recap-staging/.recap-manifest",
        &format!("{header}\nindex.html\n"),
    );
    site.write(".public.recap-staging/index.html", "old");
    site.write(
        ".public.recap-old/.recap-manifest",
        &format!("{header}\na/b.html\n"),
    );
    site.write(".public.recap-old/a/b.html", "old");
    std::fs::create_dir(site.root().join(".public.recap-staging-1-2")).unwrap();
    site.write(".public.recap-staging-3-4/.recap-staging", "");
    site.write(
        ".public.recap-staging-3-4/tags.recap-x/y/index.html",
        "half",
    );
    site.write(".public.recap-old-5/notes.txt", "mine");
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stderr().contains("holds files recap did not write"),
        "{}",
        run.stderr()
    );
    assert_eq!(leftovers_beside(site.root()), [".public.recap-old-5"]);
    assert_eq!(
        std::fs::read_to_string(site.root().join(".public.recap-old-5/notes.txt")).unwrap(),
        "mine"
    );
    // The user's folder stays and never blocks a build.
    assert!(site.run(&["build"]).ok());
}

#[test]
fn a_read_only_output_is_refused_before_anything_changes() {
    let site = TestSite::new();
    write_version(&site, 1, 2);
    site.build();
    let before = snapshot(&site.public(""));
    write_version(&site, 2, 2);
    open_to_everyone(site.root());
    let tags = site.public("tags");
    set_mode(&tags, 0o555);
    let output = as_nobody(site.root(), &["build"]);
    set_mode(&tags, 0o755);
    let run = crate::support::Run { output };
    run.fails_with(&["is read-only", "public/tags"]);
    assert_eq!(snapshot(&site.public("")), before);
    assert!(leftovers_beside(site.root()).is_empty());
    site.build();
}

#[test]
fn odd_output_paths_name_the_folder_they_mean() {
    let site = TestSite::new();
    write_version(&site, 1, 1);
    let empty = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let run = crate::support::recap_in(empty.path(), &["build", "-q", "--root", root, "-o", "."]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(empty.path().join("index.html").is_file());
    #[cfg(unix)]
    {
        let target = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(target.path(), site.root().join("link")).unwrap();
        let run = site.run(&["build", "-o", "link"]);
        assert!(run.ok(), "{}", run.stderr());
        assert!(target.path().join("index.html").is_file());
    }
    for inside in ["static/site", "content/x", "templates/out"] {
        site.run(&["build", "-o", inside])
            .fails_with(&["recap reads as sources"]);
        assert!(!site.root().join(inside).exists(), "{inside} was created");
    }
}

/// A Docker volume as the output: no rename can replace a mount point, so
/// the build says so, and leaves neither a staging folder nor a changed
/// output. The mount is made in a namespace of its own (util-linux's
/// unshare), so nothing stays mounted.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_as_output_is_a_clear_error() {
    let site = TestSite::new();
    write_version(&site, 1, 1);
    std::fs::create_dir(site.public("")).unwrap();
    // A mount point holding a file of the user's: refused as any folder is.
    crate::support::in_mount_namespace(
        &site,
        "public",
        "echo kept > public/notes.txt && recap build",
    )
    .fails_with(&["is not empty and recap did not create it"]);
    // An empty one: the build gets as far as the swap.
    let run = crate::support::in_mount_namespace(&site, "public", "recap build");
    run.fails_with(&["is a mount point", "-o public/site"]);
    assert!(
        leftovers_beside(site.root()).is_empty(),
        "{:?}",
        leftovers_beside(site.root())
    );
}
