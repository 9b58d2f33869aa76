//! Leftovers of builds that died (killed, out of power, out of space)
//! beside the output: staging folders and moved-aside old outputs. Each is
//! recognised as recap's own by its marker or manifest, and cleaned up (or,
//! when the output itself is missing, put back) by the next build, which
//! holds the build lock, so no other build is using them.

use std::fs;
use std::path::{Path, PathBuf};

use super::{MANIFEST, STAGING_MARKER, read_manifest, remove_listed};
use crate::diagnostics::Diagnostic;

/// What kind of leftover a name beside the output is.
#[derive(Debug, PartialEq)]
enum Leftover {
    Staging,
    Old,
}

/// The name prefix of everything a build of `output` puts beside it.
pub(super) fn sibling_prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.recap-")
}

fn leftover_kind(prefix: &str, name: &str) -> Option<Leftover> {
    let rest = name.strip_prefix(prefix)?;
    if rest == "staging" || rest.starts_with("staging-") {
        Some(Leftover::Staging)
    } else if rest == "old" || rest.starts_with("old-") {
        Some(Leftover::Old)
    } else {
        None
    }
}

/// Restores or removes what earlier builds of `output` left behind, and
/// returns a warning for each leftover that could not be removed.
pub(super) fn clean_leftovers(output: &Path) -> Vec<Diagnostic> {
    let Some(parent) = output.parent() else {
        return Vec::new();
    };
    let prefix = sibling_prefix(output);
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut leftovers: Vec<(Leftover, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let kind = leftover_kind(&prefix, &entry.file_name().to_string_lossy())?;
            let is_folder = entry.file_type().ok()?.is_dir();
            is_folder.then(|| (kind, entry.path()))
        })
        .collect();
    // An old output that was moved aside when the build died before the
    // new one took its place is put back.
    if !output.exists()
        && let Some(at) = leftovers
            .iter()
            .position(|(kind, dir)| *kind == Leftover::Old && read_manifest(dir).is_some())
    {
        let (_, old) = leftovers.remove(at);
        let _ = fs::rename(&old, output);
    }
    // A small change a build was applying when it died is finished; one
    // that cannot be is kept for the next build to try again.
    let mut warnings = Vec::new();
    leftovers.retain(|(kind, dir)| {
        if *kind != Leftover::Staging {
            return true;
        }
        match super::patch::finish_interrupted(dir, output) {
            None => true,
            Some(finished) => {
                warnings.extend(finished.err());
                false
            }
        }
    });
    leftovers
        .into_iter()
        .filter_map(|(_, dir)| remove_leftover(&dir).err())
        .chain(warnings)
        .collect()
}

/// Removes one leftover folder if it is recap's: an output (by its
/// manifest, only the files listed), a staging folder (by its marker,
/// whole) or an empty folder.
pub(super) fn remove_leftover(dir: &Path) -> Result<(), Diagnostic> {
    if read_manifest(dir).is_some() {
        remove_listed(dir);
    } else if dir.join(STAGING_MARKER).is_file() {
        let _ = fs::remove_dir_all(dir);
    } else {
        let _ = fs::remove_dir(dir);
    }
    if !dir.exists() {
        return Ok(());
    }
    let reason = if dir.join(MANIFEST).exists() || dir.join(STAGING_MARKER).exists() {
        "recap could not remove it (check its permissions)"
    } else {
        "it holds files recap did not write, so it was left alone"
    };
    Err(Diagnostic::warning(
        dir,
        format!(
            "{} is left over from an earlier build: {reason}",
            dir.display()
        ),
    )
    .help("remove it yourself once you have checked it"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_its_own_names() {
        let prefix = sibling_prefix(Path::new("/site/public"));
        assert_eq!(prefix, ".public.recap-");
        assert_eq!(
            leftover_kind(&prefix, ".public.recap-staging"),
            Some(Leftover::Staging)
        );
        assert_eq!(
            leftover_kind(&prefix, ".public.recap-staging-1a-2b"),
            Some(Leftover::Staging)
        );
        assert_eq!(
            leftover_kind(&prefix, ".public.recap-old"),
            Some(Leftover::Old)
        );
        assert_eq!(leftover_kind(&prefix, ".public.recap-stagingx"), None);
        assert_eq!(leftover_kind(&prefix, ".public2.recap-old"), None);
        assert_eq!(leftover_kind(&prefix, "public"), None);
    }
}
