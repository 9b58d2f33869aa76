//! Creating files for the user: `recap init` (a new site) and `recap new`
//! (a post or an event from an archetype). Nothing here ever overwrites a
//! file that exists.

mod new;

pub(crate) use new::{NewEvent, NewPost, new_event, new_post};

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The files of a new site, relative to its folder.
fn starter_files(today: chrono::NaiveDate) -> Vec<(String, String)> {
    let date = today.format("%Y-%m-%d");
    let event_start = today
        .checked_sub_days(chrono::Days::new(10))
        .unwrap_or(today);
    let event_end = event_start
        .checked_add_days(chrono::Days::new(2))
        .unwrap_or(event_start);
    vec![
        ("config.toml".into(), STARTER_CONFIG.into()),
        (
            ".gitignore".into(),
            "/public/\n/.public.recap-*\n/.recap-cache/\n".into(),
        ),
        (
            "content/events/first-conference.md".into(),
            STARTER_EVENT
                .replace("{start}", &event_start.format("%Y-%m-%d").to_string())
                .replace("{end}", &event_end.format("%Y-%m-%d").to_string()),
        ),
        (
            format!("content/posts/{date}-our-first-recap.md"),
            STARTER_POST.into(),
        ),
        ("content/authors/you.md".into(), STARTER_AUTHOR.into()),
    ]
}

const STARTER_CONFIG: &str = r#"# Site settings: see docs/config.md in recap's repository for every key.
title = "Our Conference Recaps"
base_url = "https://example.org"        # where the site will be published
description = "What our team saw and learned at conferences, meetups and hackathons."
language = "en"
posts_per_page = 10

[extra]
"#;

const STARTER_EVENT: &str = r#"+++
name = "Our First Conference"
start = {start}
end = {end}
location = "Amsterdam, Netherlands"
website = "https://example.org/conference"
kind = "conference"
+++
Three days of talks on platform engineering and observability.
"#;

const STARTER_POST: &str = r#"+++
title = "Our first recap: three talks worth your time"
description = "What we brought home from Our First Conference."
event = "first-conference"
tags = ["conferences"]
authors = ["you"]

[[sessions]]
title = "Boring Technology, Revisited"
speakers = ["A. Speaker"]
video = "https://www.youtube.com/watch?v=example"
+++
This is a recap post. Edit it, or create another with
`recap new post "Title" --event first-conference`, and watch the preview
update while `recap serve` runs.

<!-- more -->

## What we will try

- [ ] Pick one idea from the keynote and try it for a week
"#;

const STARTER_AUTHOR: &str = r#"+++
name = "Your Name"
bio = "One line about you."
+++
"#;

/// Creates a new site in `dir`. A non-empty `dir` is refused unless
/// `force`, and even then no existing file is overwritten. Returns the
/// files written.
pub(crate) fn init(
    dir: &Path,
    force: bool,
    today: chrono::NaiveDate,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let is_empty = std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    if !is_empty && !force {
        return Err(Diagnostic::error(
            dir,
            format!("{} is not empty", dir.display()),
        )
        .help("choose a new folder (recap init my-site), or pass --force to add the missing starter files; existing files are never overwritten"));
    }
    let mut written = Vec::new();
    for (relative, text) in starter_files(today) {
        let path = dir.join(&relative);
        if path.exists() {
            continue;
        }
        write_new(&path, &text)?;
        written.push(PathBuf::from(relative));
    }
    Ok(written)
}

/// Writes `text` to a file that must not exist yet.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|err| {
            Diagnostic::error(parent, format!("cannot create {}: {err}", parent.display()))
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|err| {
            let message = if err.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists; recap does not overwrite files",
                    path.display()
                )
            } else {
                format!("cannot create {}: {err}", path.display())
            };
            Diagnostic::error(path, message)
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|err| Diagnostic::error(path, format!("cannot write {}: {err}", path.display())))
}
