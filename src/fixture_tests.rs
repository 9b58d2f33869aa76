//! The fixture harness: every folder under `tests/invalid/` is a site with
//! one kind of mistake, checked in process (as `recap check` would) and
//! its messages, rendered exactly as the terminal shows them without
//! colour, compared with the reviewed snapshot beside it
//! (`tests/invalid/<case>.snap`). A new case is a new folder; run
//! `INSTA_UPDATE=always cargo test fixture` once and read the `.snap` it
//! writes before committing it.

use std::path::{Path, PathBuf};

use crate::pipeline::{self, Mode, Request};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// What `recap check` reports for the site in `dir`, as it prints it.
fn check_output(dir: &Path) -> String {
    let request = Request {
        root: dir.to_path_buf(),
        drafts: false,
        progress: false,
        future: false,
        base_url: None,
        mode: Mode::Check { external: None },
    };
    let (verdict, diagnostics) = match pipeline::run(&request) {
        Ok(report) => ("passes", report.warnings),
        Err(failure) => ("fails", failure.diagnostics),
    };
    let mut text = format!("check {verdict}\n");
    for diagnostic in &diagnostics {
        text.push('\n');
        text.push_str(&diagnostic.render(false));
        text.push('\n');
    }
    text
}

fn cases(folder: &str) -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(fixture_root().join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_invalid_fixture_reports_what_its_snapshot_says() {
    let cases = cases("invalid");
    assert!(cases.len() >= 30, "fixtures missing: {}", cases.len());
    for (name, dir) in cases {
        let output = check_output(&dir);
        insta::with_settings!({
            snapshot_path => fixture_root().join("invalid"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("recap check in tests/invalid/{name}"),
        }, {
            insta::assert_snapshot!(name.as_str(), output);
        });
    }
}

/// The pages of a built fixture that say most about the templates and the
/// model: a post, its event, a tag, an author, and the feed. Pages are cut
/// to their `<main>` (the rest, the layout, is the same on every page and
/// carries content-hashed asset names).
const KEY_PAGES: [&str; 5] = [
    "2025/kubecon-day-one/index.html",
    "events/kubecon-eu-2025/index.html",
    "tags/kubernetes/index.html",
    "authors/ana/index.html",
    "atom.xml",
];

fn main_of(page: &str) -> &str {
    let start = page.find("<main").unwrap_or(0);
    let end = page
        .find("</main>")
        .map_or(page.len(), |end| end + "</main>".len());
    &page[start..end]
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        if relative.starts_with(".recap-cache") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn key_pages_of_valid_fixtures_match_their_snapshots() {
    for (name, dir) in cases("valid") {
        let out = tempfile::tempdir().unwrap();
        let output = out.path().join("public");
        // A build keeps a cache beside its site: build a copy, so that the
        // fixture folder stays as it is in the repository.
        let root = out.path().join("site");
        copy_folder(&dir, &root);
        let request = Request {
            root,
            drafts: false,
            progress: false,
            future: false,
            base_url: None,
            mode: Mode::Build {
                output: Some(output.clone()),
            },
        };
        if let Err(failure) = pipeline::run(&request) {
            panic!(
                "tests/valid/{name} does not build: {:?}",
                failure.diagnostics
            );
        }
        for page in KEY_PAGES {
            let text = std::fs::read_to_string(output.join(page))
                .unwrap_or_else(|err| panic!("{name}: {page}: {err}"));
            let snapshot = format!("{name}@{}", page.replace('/', "_"));
            insta::with_settings!({
                snapshot_path => fixture_root().join("valid"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{page} of tests/valid/{name}"),
            }, {
                insta::assert_snapshot!(snapshot.as_str(), main_of(&text));
            });
        }
    }
}
