//! A small change applied to the output in place. When a build changes
//! only a few of the site's files (one post edited), swapping the whole
//! folder would cost a hard link for every unchanged file and the removal
//! of the whole previous tree; instead the new files are moved from the
//! staging folder over the old ones, one atomic rename each, and removed
//! pages are deleted (only files the manifest lists).
//!
//! Before the first rename, the staging folder gets a journal naming every
//! move and removal and the new manifest. A build killed while applying it
//! leaves the journal behind, and the next build finishes the change
//! before anything else, so the output ends up as the new site; a build
//! killed before the journal is complete leaves the output untouched.

use std::fs;
use std::path::Path;

use super::{MANIFEST, OutputPath, fail_point, io_error, read_manifest};
use crate::diagnostics::Diagnostic;

/// The journal, inside the staging folder.
const JOURNAL: &str = ".recap-patch";
const HEADER: &str = "recap patch 1";
/// The new manifest, inside the staging folder until the change is done.
const NEXT_MANIFEST: &str = ".recap-manifest-next";

/// What a small change does to the output.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Patch {
    /// (where the new file is, relative to the staging folder; where it
    /// goes, relative to the output).
    pub moves: Vec<(String, String)>,
    /// Files of the previous output the new site does not have.
    pub removals: Vec<String>,
}

impl Patch {
    /// Records the change in the staging folder `dir`, then makes it in
    /// `output`. Once recorded, an interrupted change is finished by
    /// `finish_interrupted`.
    pub(super) fn apply(
        &self,
        dir: &Path,
        output: &Path,
        manifest: &str,
    ) -> Result<(), Diagnostic> {
        fs::write(dir.join(NEXT_MANIFEST), manifest)
            .map_err(|err| io_error(dir, "write the manifest in", err))?;
        let pending = dir.join(format!("{JOURNAL}.part"));
        fs::write(&pending, self.journal()).map_err(|err| io_error(&pending, "write", err))?;
        fs::rename(&pending, dir.join(JOURNAL)).map_err(|err| io_error(&pending, "rename", err))?;
        fail_point("patch-recorded");
        self.carry_out(dir, output)
    }

    fn journal(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for (from, to) in &self.moves {
            text.push_str(&format!("move\t{from}\t{to}\n"));
        }
        for path in &self.removals {
            text.push_str(&format!("remove\t{path}\n"));
        }
        text
    }

    fn parse(journal: &str) -> Option<Patch> {
        let mut lines = journal.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut patch = Patch::default();
        for line in lines {
            let mut fields = line.split('\t');
            // Every path stays inside its folder, whoever wrote the journal.
            let inside = |path: &str| OutputPath::new(path).is_ok();
            match (fields.next()?, fields.next()?, fields.next()) {
                ("move", from, Some(to)) if inside(from) && inside(to) => {
                    patch.moves.push((from.into(), to.into()));
                }
                ("remove", path, None) if inside(path) => patch.removals.push(path.into()),
                _ => return None,
            }
        }
        Some(patch)
    }

    /// Moves, removals, then the new manifest. A move already made (its
    /// staged file gone) is skipped, so this can run again after a kill.
    /// Nothing is done when a folder on the way is a link (it could lead
    /// out of the output).
    fn carry_out(&self, dir: &Path, output: &Path) -> Result<(), Diagnostic> {
        let targets = self.moves.iter().map(|(_, to)| to).chain(&self.removals);
        if let Some(linked) = targets
            .into_iter()
            .find(|path| goes_through_link(output, path))
        {
            return Err(Diagnostic::error(
                output,
                format!(
                    "cannot update {}: a folder on the way to {linked} is a link or a file, which recap does not write through",
                    output.display()
                ),
            ));
        }
        for (at, (from, to)) in self.moves.iter().enumerate() {
            let (from, to) = (dir.join(from), output.join(to));
            // Only files recap staged are moved, never a link.
            if !fs::symlink_metadata(&from).is_ok_and(|metadata| metadata.is_file()) {
                continue;
            }
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
            }
            fs::rename(&from, &to).map_err(|err| io_error(&to, "replace", err))?;
            if at == 0 {
                fail_point("patch-moving");
            }
        }
        for path in &self.removals {
            let file = output.join(path);
            let _ = fs::remove_file(&file);
            remove_empty_parents(&file, output);
        }
        let next = dir.join(NEXT_MANIFEST);
        fs::rename(&next, output.join(MANIFEST))
            .map_err(|err| io_error(&output.join(MANIFEST), "write", err))?;
        fail_point("patch-done");
        let _ = fs::remove_dir_all(dir);
        Ok(())
    }
}

/// Finishes the change a build killed while applying it left in the
/// staging folder `dir`: None when `dir` holds no whole journal (it is then
/// an ordinary leftover), else how finishing went.
pub(super) fn finish_interrupted(dir: &Path, output: &Path) -> Option<Result<(), Diagnostic>> {
    let journal = fs::read_to_string(dir.join(JOURNAL)).ok()?;
    let mut patch = Patch::parse(&journal)?;
    if !dir.join(NEXT_MANIFEST).is_file() {
        return None;
    }
    // Only files recap wrote there are removed.
    let listed = read_manifest(output)?;
    patch.removals.retain(|path| listed.contains(path));
    Some(patch.carry_out(dir, output))
}

/// Whether a folder on the way from `output` to the file at `relative`
/// exists as something other than a folder: a link (which could lead out
/// of the output) or a file.
pub(super) fn goes_through_link(output: &Path, relative: &str) -> bool {
    let mut folder = output.to_path_buf();
    let Some((folders, _)) = relative.rsplit_once('/') else {
        return false;
    };
    for name in folders.split('/') {
        folder.push(name);
        match fs::symlink_metadata(&folder) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return true,
            Err(_) => return false,
        }
    }
    false
}

/// Removes the folders above `file` that its removal left empty, up to
/// (not including) `output`.
fn remove_empty_parents(file: &Path, output: &Path) {
    let mut folder = file.parent();
    while let Some(current) = folder {
        if current == output || !current.starts_with(output) || fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_round_trips() {
        let patch = Patch {
            moves: vec![("posts.x/a/index.html".into(), "posts/a/index.html".into())],
            removals: vec!["tags/old/index.html".into()],
        };
        assert_eq!(Patch::parse(&patch.journal()), Some(patch));
        assert_eq!(Patch::parse("recap patch 1\nmove\tonly-one\n"), None);
        assert_eq!(Patch::parse("something else\n"), None);
        assert_eq!(Patch::parse("recap patch 1\nmove\ta\t../../etc/x\n"), None);
        assert_eq!(Patch::parse("recap patch 1\nremove\t/etc/passwd\n"), None);
    }

    #[test]
    fn an_interrupted_change_is_finished() {
        let root = tempfile::tempdir().unwrap();
        let (dir, output) = (root.path().join("staging"), root.path().join("public"));
        fs::create_dir_all(dir.join("new")).unwrap();
        fs::create_dir_all(output.join("gone")).unwrap();
        fs::write(dir.join("new/a.html"), "new a").unwrap();
        fs::write(output.join("a.html"), "old a").unwrap();
        fs::write(output.join("gone/b.html"), "b").unwrap();
        fs::write(
            output.join(MANIFEST),
            format!("{}\na.html\ngone/b.html\n", super::super::MANIFEST_HEADER),
        )
        .unwrap();
        let patch = Patch {
            moves: vec![("new/a.html".into(), "a.html".into())],
            removals: vec!["gone/b.html".into()],
        };
        // As a killed build leaves it: recorded, nothing moved.
        fs::write(dir.join(NEXT_MANIFEST), "manifest").unwrap();
        fs::write(dir.join(JOURNAL), patch.journal()).unwrap();
        assert!(matches!(finish_interrupted(&dir, &output), Some(Ok(()))));
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "new a");
        assert!(!output.join("gone").exists(), "an emptied folder goes too");
        assert_eq!(
            fs::read_to_string(output.join(MANIFEST)).unwrap(),
            "manifest"
        );
        assert!(!dir.exists());
        assert!(finish_interrupted(&dir, &output).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link_in_the_output() {
        let root = tempfile::tempdir().unwrap();
        let (dir, output) = (root.path().join("staging"), root.path().join("public"));
        let elsewhere = root.path().join("elsewhere");
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&output).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, output.join("posts")).unwrap();
        fs::write(dir.join("a.html"), "a").unwrap();
        assert!(goes_through_link(&output, "posts/a.html"));
        assert!(!goes_through_link(&output, "a.html"));
        assert!(!goes_through_link(&output, "new/folder/a.html"));
        let patch = Patch {
            moves: vec![("a.html".into(), "posts/a.html".into())],
            removals: vec![],
        };
        assert!(patch.apply(&dir, &output, "manifest").is_err());
        assert!(!elsewhere.join("a.html").exists());
    }
}
