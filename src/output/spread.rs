//! Fresh block groups for a new site. ext4 without a journal (common in
//! virtual machines) will not reuse an inode freed in the last minutes, and
//! checks each candidate while it places new inodes near their parent
//! folder's, which is where the deleted output was. Writing a site right
//! after deleting the last one (every rebuild, every benchmark run) then
//! costs seconds of kernel time per ten thousand pages. So the staging
//! folder carries ext4's "top of directory hierarchies" hint (`chattr +T`),
//! which spreads its subfolders over the disk by the hash of their names,
//! and each first-level folder is written under a name unique to the build
//! until the swap: the new site lands in block groups the deleted one did
//! not use. Elsewhere the hint is ignored. `RECAP_NO_SPREAD=1` turns both
//! off (the staging folder then holds the site under its real names).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::path::OutputPath;
use super::{fail_point, io_error};
use crate::diagnostics::Diagnostic;

pub(super) struct Spread {
    /// Added to each first-level folder's name until the swap; None when
    /// spreading is switched off.
    suffix: Option<String>,
}

impl Spread {
    pub(super) fn new(build_suffix: &str) -> Spread {
        let off = std::env::var_os("RECAP_NO_SPREAD").is_some_and(|value| value != "0");
        Spread {
            suffix: (!off).then(|| build_suffix.to_string()),
        }
    }

    /// Asks ext4 to spread `dir`'s subfolders over the disk.
    pub(super) fn mark(&self, dir: &Path) {
        #[cfg(target_os = "linux")]
        if self.suffix.is_some()
            && let Ok(folder) = fs::File::open(dir)
            && let Ok(flags) = rustix::fs::ioctl_getflags(&folder)
        {
            let _ = rustix::fs::ioctl_setflags(&folder, flags | rustix::fs::IFlags::TOPDIR);
        }
        #[cfg(not(target_os = "linux"))]
        let _ = dir;
    }

    /// Where the file `path` is in `dir` until the swap.
    pub(super) fn staged_file(&self, dir: &Path, path: &OutputPath) -> PathBuf {
        match path.split_first() {
            Some(_) => self.staged_folder(dir, path),
            None => dir.join(path.as_str()),
        }
    }

    /// Where the folder `folder` ("tags/rust") is in `dir` until the swap.
    pub(super) fn staged_folder(&self, dir: &Path, folder: &str) -> PathBuf {
        let Some(suffix) = &self.suffix else {
            return dir.join(folder);
        };
        match folder.split_once('/') {
            Some((first, rest)) => dir.join(format!("{first}.{suffix}")).join(rest),
            None => dir.join(format!("{folder}.{suffix}")),
        }
    }

    /// Gives every first-level folder of the written files its real name.
    pub(super) fn finish(
        &self,
        dir: &Path,
        written: &BTreeSet<OutputPath>,
    ) -> Result<(), Diagnostic> {
        let Some(suffix) = &self.suffix else {
            return Ok(());
        };
        let folders: BTreeSet<&str> = written
            .iter()
            .filter_map(|file| Some(file.split_first()?.0))
            .collect();
        for folder in folders {
            let staged = dir.join(format!("{folder}.{suffix}"));
            fs::rename(&staged, dir.join(folder))
                .map_err(|err| io_error(&staged, "rename", err))?;
            fail_point("naming-folders");
        }
        Ok(())
    }
}
