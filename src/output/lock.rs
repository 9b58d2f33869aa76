//! One build at a time per output folder: an advisory lock on the folder
//! that holds the output (the output itself is swapped, so it cannot carry
//! the lock). The lock goes with the process, so a build that dies
//! releases it; nothing is left on disk.

use std::fs::File;
use std::path::Path;

use super::io_error;
use crate::diagnostics::Diagnostic;

pub(super) struct BuildLock {
    _folder: File,
}

impl BuildLock {
    /// Takes the lock of `parent`, waiting (and saying so) while another
    /// build holds it.
    pub(super) fn acquire(parent: &Path, output: &Path) -> Result<BuildLock, Diagnostic> {
        let folder = File::open(parent).map_err(|err| io_error(parent, "open", err))?;
        #[cfg(unix)]
        {
            use rustix::fs::{FlockOperation, flock};
            if flock(&folder, FlockOperation::NonBlockingLockExclusive).is_err() {
                eprintln!(
                    "waiting for another recap build writing to {} to finish...",
                    output.display()
                );
                flock(&folder, FlockOperation::LockExclusive)
                    .map_err(|err| io_error(parent, "lock", err.into()))?;
            }
        }
        #[cfg(not(unix))]
        let _ = output;
        Ok(BuildLock { _folder: folder })
    }
}
