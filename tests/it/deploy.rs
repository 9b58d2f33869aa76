//! Builds that leave unchanged output files exactly as they were (same
//! inode, same modification time), say what changed, and so let a deploy
//! with `rsync -a` send only the files that really changed.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use crate::support::{TestSite, external_tool};

fn site() -> TestSite {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.write("static/img/logo.svg", "<svg/>");
    for day in 1..=3 {
        site.post(
            &format!("2025-04-0{day}-day-{day}.md"),
            &format!("title = \"Day {day}\"\ntags = [\"kubecon\"]"),
            &format!("Summary of day {day}.\n\nMore about day {day}.\n"),
        );
    }
    site
}

/// Every output file with its inode and modification time.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let metadata = entry.metadata().unwrap();
            let name = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                (metadata.ino(), metadata.mtime(), metadata.mtime_nsec()),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_leaves_unchanged_files_untouched() {
    let site = site();
    site.build();
    let before = identities(&site.public(""));
    let list = site.root().join("changed.txt");
    let run = site.run(&["build", "--list-changed", list.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stdout()
            .contains("Output: 0 added, 0 changed, 0 removed,"),
        "{}",
        run.stdout()
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "");
    let after = identities(&site.public(""));
    let moved: Vec<&String> = before
        .iter()
        .filter(|(name, id)| !name.starts_with(".recap") && after.get(*name) != Some(id))
        .map(|(name, _)| name)
        .collect();
    assert!(moved.is_empty(), "rewritten: {moved:?}");
}

#[test]
fn an_edit_rewrites_only_the_files_that_show_it() {
    let site = site();
    site.build();
    let before = identities(&site.public(""));
    site.post(
        "2025-04-02-day-2.md",
        "title = \"Day 2\"\ntags = [\"kubecon\"]",
        "Summary of day 2.\n\nMore about day 2, edited.\n",
    );
    site.write("static/img/new.svg", "<svg id=\"new\"/>");
    let list = site.root().join("changed.txt");
    let run = site.run(&["build", "--list-changed", list.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
    let listed = std::fs::read_to_string(&list).unwrap();
    assert!(listed.contains("M 2025/day-2/index.html\n"), "{listed}");
    assert!(listed.contains("A img/new.svg\n"), "{listed}");
    assert!(!listed.contains("2025/day-1/"), "{listed}");
    assert!(!listed.contains("img/logo.svg"), "{listed}");
    let after = identities(&site.public(""));
    assert_eq!(
        before["2025/day-1/index.html"],
        after["2025/day-1/index.html"]
    );
    assert_eq!(before["img/logo.svg"], after["img/logo.svg"]);
    assert_ne!(
        before["2025/day-2/index.html"],
        after["2025/day-2/index.html"]
    );
}

#[test]
fn a_hand_edited_output_file_is_written_again() {
    let site = site();
    site.build();
    let page = site.public("2025/day-1/index.html");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, original.replace("Day 1", "Day X")).unwrap();
    site.build();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), original);
}

#[test]
#[ignore = "needs rsync (.ci/run installs it)"]
fn rsync_sends_only_what_a_build_changed() {
    let rsync = external_tool("rsync", "RECAP_RSYNC", &["/usr/bin/rsync"]);
    let site = site();
    site.build();
    let deployed = tempfile::tempdir().unwrap();
    let sync = || -> Vec<String> {
        let output = Command::new(&rsync)
            .arg("-a")
            .arg("--itemize-changes")
            .arg("--exclude=.recap-manifest")
            .arg(format!("{}/", site.public("").display()))
            .arg(deployed.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.starts_with(">f"))
            .map(|line| line.split_once(' ').unwrap().1.to_string())
            .collect()
    };
    assert!(sync().len() > 10, "the first deploy sends everything");
    site.build();
    assert_eq!(sync(), Vec::<String>::new(), "a rebuild sends nothing");
    site.post(
        "2025-04-03-day-3.md",
        "title = \"Day 3\"\ntags = [\"kubecon\"]",
        "Summary of day 3.\n\nMore about day 3, edited.\n",
    );
    let list = site.root().join("changed.txt");
    site.run(&["build", "--list-changed", list.to_str().unwrap()]);
    let mut sent = sync();
    sent.sort();
    let mut changed: Vec<String> = std::fs::read_to_string(&list)
        .unwrap()
        .lines()
        .filter_map(|line| line.strip_prefix("M ").or(line.strip_prefix("A ")))
        .map(str::to_string)
        .collect();
    changed.sort();
    assert_eq!(sent, changed);
    assert!(
        sent.contains(&"2025/day-3/index.html".to_string()),
        "{sent:?}"
    );
    assert!(
        !sent.contains(&"2025/day-1/index.html".to_string()),
        "{sent:?}"
    );
}

/// Highlighted code is kept in `.recap-cache/` between builds: a rebuild
/// with the cache writes the same site, a damaged or unwritable cache is a
/// warning and never a failed build, and `check` writes no cache.
#[test]
fn the_highlight_cache_is_reused_and_never_trusted_blindly() {
    let site = site();
    let code = "```rust\nfn main() { println!(\"hi\"); }\n```\n\n```yaml\na: 1\n```\n";
    site.post("2025-04-04-code.md", "title = \"Code\"", code);
    assert!(site.run(&["check"]).ok());
    assert!(
        !site.root().join(".recap-cache").exists(),
        "check writes no cache"
    );
    site.build();
    let cache = site.root().join(".recap-cache/highlight.bin");
    assert!(cache.is_file());
    let first = crate::support::snapshot(&site.public(""));
    site.build();
    assert_eq!(crate::support::snapshot(&site.public("")), first);

    // Rendered Markdown is kept too; a damaged file is a warning, and the
    // bodies are rendered again (highlighted from the highlight cache).
    // (The post is written again, the same, so the build has work to do.)
    let markdown = site.root().join(".recap-cache/markdown.bin");
    let kept_markdown = std::fs::read(&markdown).unwrap();
    std::fs::write(&markdown, &kept_markdown[..kept_markdown.len() - 5]).unwrap();
    site.post("2025-04-04-code.md", "title = \"Code\"", code);
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stderr().contains("markdown.bin is damaged"),
        "{}",
        run.stderr()
    );
    assert_eq!(crate::support::snapshot(&site.public("")), first);
    // Whole again (under a new generation number, so not byte for byte).
    assert_eq!(std::fs::read(&markdown).unwrap().len(), kept_markdown.len());

    // The bodies' HTML is kept apart and read only when a page shows it.
    // HTML that reads back damaged then must not leave a page without its
    // body: the build starts over without the cache.
    let html = site.root().join(".recap-cache/markdown-html.bin");
    let mut texts = std::fs::read(&html).unwrap();
    let header = 24;
    for byte in &mut texts[header..] {
        *byte = b'x';
    }
    std::fs::write(&html, &texts).unwrap();
    // A new file: every page is made again, with the kept bodies.
    site.write("static/notes.txt", "new");
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stderr().contains("the build started over without it"),
        "{}",
        run.stderr()
    );
    let started_over = crate::support::snapshot(&site.public(""));
    assert!(
        site.read("2025/code/index.html").contains("println"),
        "the body is on the page"
    );
    std::fs::remove_dir_all(site.root().join(".recap-cache")).unwrap();
    site.build();
    let clean = crate::support::snapshot(&site.public(""));
    let differing: Vec<&String> = clean
        .keys()
        .chain(started_over.keys())
        .filter(|name| clean.get(*name) != started_over.get(*name))
        .collect();
    assert!(
        differing.is_empty(),
        "differ from a clean build: {differing:?}"
    );
    std::fs::remove_file(site.root().join("static/notes.txt")).unwrap();
    site.build();

    let bytes = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(&markdown).unwrap();
    site.post("2025-04-04-code.md", "title = \"Code\"", code);
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.stderr().contains("is damaged"), "{}", run.stderr());
    assert_eq!(crate::support::snapshot(&site.public("")), first);
    assert_eq!(
        std::fs::read(&cache).unwrap(),
        bytes,
        "the cache is whole again"
    );

    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\ncache_dir = \"build-cache\"\n",
    );
    site.build();
    assert!(site.root().join("build-cache/highlight.bin").is_file());
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_a_warning() {
    let site = site();
    site.post(
        "2025-04-04-code.md",
        "title = \"Code\"",
        "```rust\nfn main() {}\n```\n",
    );
    // A file where the cache folder should be.
    site.write(".recap-cache", "not a folder");
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.stderr().contains("cannot save"), "{}", run.stderr());
    assert!(site.read("2025/code/index.html").contains("hl-code"));
}

/// Where the output's file system has no hard links, a build that swaps
/// the whole folder copies the files it keeps, with their time: a deploy
/// that compares size and time still sees them unchanged, and a failed
/// build still leaves the previous output.
#[test]
fn without_hard_links_kept_files_are_copied_with_their_time() {
    let site = site();
    site.build();
    let kept = site.public("2025/day-2/index.html");
    let edited = site.public("2025/day-1/index.html");
    let before = std::fs::metadata(&kept).unwrap();
    let kept_bytes = std::fs::read(&kept).unwrap();
    let build = |env: &[(&str, &str)]| {
        Command::new(env!("CARGO_BIN_EXE_recap"))
            .arg("build")
            .current_dir(site.root())
            .env("RECAP_NO_HARD_LINKS", "1")
            .env("RECAP_ALWAYS_SWAP", "1")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    site.post(
        "2025-04-01-day-1.md",
        "title = \"Day 1\"\ntags = [\"kubecon\"]",
        "Summary of day 1.\n\nMore about day 1, edited.\n",
    );
    // Killed before the swap: the previous output stays as it was.
    let killed = build(&[("RECAP_FAIL_AT", "manifest-written")]);
    assert!(!killed.status.success());
    assert!(!site.read("2025/day-1/index.html").contains("edited"));
    let run = build(&[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(std::fs::read_to_string(&edited).unwrap().contains("edited"));
    let after = std::fs::metadata(&kept).unwrap();
    assert_ne!(before.ino(), after.ino(), "a copy, not a link");
    assert_eq!(std::fs::read(&kept).unwrap(), kept_bytes);
    assert_eq!(
        (before.mtime(), before.mtime_nsec()),
        (after.mtime(), after.mtime_nsec())
    );
}

/// The cache on a file system of its own (a tmpfs): used like any other;
/// full, or read-only, it is a warning and the site is built whole.
#[cfg(target_os = "linux")]
#[test]
fn a_full_read_only_or_separate_cache_file_system_never_fails_a_build() {
    let site = site();
    site.post(
        "2025-04-04-code.md",
        "title = \"Code\"",
        "```rust\nfn main() {}\n```\n",
    );
    let edit = "echo 'One more line.' >> content/posts/2025-04-01-day-1.md";
    let script = format!(
        "recap build && {edit} && recap build && \
         mount -o remount,ro .recap-cache && {edit} && recap build && \
         mount -o remount,rw .recap-cache && rm -f .recap-cache/*.bin && \
         (cat /dev/zero > .recap-cache/filler 2>/dev/null; true) && {edit} && recap build"
    );
    let run = crate::support::in_mount_namespace(&site, ".recap-cache", &script);
    assert!(run.ok(), "{}", run.stderr());
    let out = run.stdout() + &run.stderr();
    // On its own file system the cache is used: the edit renders a few pages.
    assert!(out.contains("rendered"), "{out}");
    // Read-only: nothing can be saved, which is a warning.
    assert!(out.contains("Read-only file system"), "{out}");
    // Full: the same.
    assert!(out.contains("No space left on device"), "{out}");
    let day_one = site.read("2025/day-1/index.html");
    assert_eq!(day_one.matches("One more line.").count(), 3, "{day_one}");
    assert!(site.read("2025/code/index.html").contains("hl-code"));
}

/// A cache folder deleted while a build runs: the build still succeeds,
/// with the whole site.
#[test]
fn a_cache_deleted_during_a_build_never_fails_it() {
    let site = site();
    for n in 0..150 {
        site.post(
            &format!("2025-05-{:02}-note-{n}.md", n % 28 + 1),
            &format!("title = \"Note {n}\"\ntags = [\"notes\"]"),
            &format!("Note {n}.\n\n```rust\nfn note_{n}() {{}}\n```\n"),
        );
    }
    site.build();
    let clean = crate::support::snapshot(&site.public(""));
    let cache = site.root().join(".recap-cache");
    for delay_ms in [0, 20, 60, 150] {
        // The same text written again: the build has work to do.
        site.post(
            "2025-04-01-day-1.md",
            "title = \"Day 1\"\ntags = [\"kubecon\"]",
            "Summary of day 1.\n\nMore about day 1.\n",
        );
        let build = Command::new(env!("CARGO_BIN_EXE_recap"))
            .arg("build")
            .current_dir(site.root())
            .output();
        let deleter = std::thread::spawn({
            let cache = cache.clone();
            move || {
                std::thread::sleep(std::time::Duration::from_millis(delay_ms));
                let _ = std::fs::remove_dir_all(&cache);
            }
        });
        let output = build.unwrap();
        deleter.join().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "after {delay_ms} ms: {stderr}");
        let now = crate::support::snapshot(&site.public(""));
        let differing: Vec<&String> = now
            .keys()
            .filter(|name| *name != ".recap-manifest" && now.get(*name) != clean.get(*name))
            .collect();
        assert!(differing.is_empty(), "after {delay_ms} ms: {differing:?}");
    }
}

#[test]
fn the_cache_folder_stays_inside_the_site_and_out_of_its_sources() {
    let site = site();
    for (dir, problem) in [
        ("../elsewhere", "leaves the site folder"),
        ("/tmp/x", "leaves the site folder"),
        ("content/cache", "which recap reads as sources"),
    ] {
        site.write(
            "config.toml",
            &format!("title = \"T\"\nbase_url = \"https://example.org\"\ncache_dir = \"{dir}\"\n"),
        );
        site.run(&["build"]).fails_with(&["config.toml:3", problem]);
    }
    let elsewhere = tempfile::tempdir().unwrap();
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n",
    );
    site.post(
        "2025-04-04-code.md",
        "title = \"Code\"",
        "```rust\nfn main() {}\n```\n",
    );
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join(".recap-cache")).unwrap();
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "nothing written through the link"
    );
}

/// Links inside the cache path, or planted as the cache file, never lead a
/// build's writes out of the site.
#[test]
fn links_on_the_cache_path_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let site = site();
    site.post(
        "2025-04-04-code.md",
        "title = \"Code\"",
        "```rust\nfn main() {}\n```\n",
    );
    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\ncache_dir = \"build/cache\"\n",
    );
    std::os::unix::fs::symlink(outside.path(), site.root().join("build")).unwrap();
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert!(!outside.path().join("cache").exists());

    site.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\n",
    );
    std::fs::create_dir_all(site.root().join(".recap-cache")).unwrap();
    std::os::unix::fs::symlink(&victim, site.root().join(".recap-cache/highlight.bin")).unwrap();
    let run = site.run(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

/// A build whose inputs, command line and output are as the last build
/// left them does nothing; any change to an input, a file missing from the
/// output, a warning or a post coming due makes it build again.
#[test]
fn a_build_with_nothing_to_do_writes_nothing() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    site.build();
    let page = site.public("2025/day-1/index.html");
    let before = std::fs::metadata(&page).unwrap();
    let again = site.build();
    assert!(
        again
            .stdout()
            .contains("nothing changed since the last build"),
        "{}",
        again.stdout()
    );
    let after = std::fs::metadata(&page).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec())
    );

    // A file gone from the output is written again.
    std::fs::remove_file(&page).unwrap();
    let run = site.build();
    assert!(
        !run.stdout().contains("nothing changed"),
        "{}",
        run.stdout()
    );
    assert!(page.is_file());

    // An edited input is built, and only what it changes is written.
    let day_three = site.public("2025/day-3/index.html");
    let day_three_before = std::fs::metadata(&day_three).unwrap();
    site.post(
        "2025-04-01-day-1.md",
        "title = \"Day 1, edited\"",
        "Edited.\n",
    );
    let run = site.build();
    assert!(
        !run.stdout().contains("nothing changed"),
        "{}",
        run.stdout()
    );
    assert!(site.read("2025/day-1/index.html").contains("Edited."));
    let day_three_after = std::fs::metadata(&day_three).unwrap();
    assert_eq!(day_three_before.ino(), day_three_after.ino());

    // Other command lines are other builds.
    let run = site.run(&["build", "--base-url", "https://preview.example.org"]);
    assert!(
        !run.stdout().contains("nothing changed"),
        "{}",
        run.stdout()
    );
    assert!(
        site.read("2025/day-1/index.html")
            .contains("preview.example.org")
    );
    let run = site.build();
    assert!(
        !run.stdout().contains("nothing changed"),
        "{}",
        run.stdout()
    );

    // A build with warnings is never skipped: its warnings show again.
    site.post(
        "2025-04-05-warn.md",
        "title = \"W\"",
        "```nosuchlanguage\nx\n```\n",
    );
    assert!(site.build().stderr().contains("unknown language"));
    let run = site.build();
    assert!(
        run.stderr().contains("unknown language"),
        "{}",
        run.stderr()
    );
}

/// A post held back for its date is published by the first build after
/// it, though no file changed.
#[test]
fn a_post_coming_due_is_built() {
    let site = site();
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    site.post(
        "soon.md",
        &format!(
            "title = \"Soon\"\ndate = {}",
            due.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        "Soon.\n",
    );
    site.build();
    assert!(site.build().stdout().contains("nothing changed"));
    std::thread::sleep(std::time::Duration::from_secs(3));
    let run = site.build();
    assert!(
        !run.stdout().contains("nothing changed"),
        "{}",
        run.stdout()
    );
    assert!(site.html("index.html").text("main").contains("Soon"));
}
