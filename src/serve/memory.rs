//! The site kept in memory while serving: what a build would have written.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostic;
use crate::output::{Sink, confined, content_hash};

/// One file of the served site.
pub struct Served {
    pub bytes: Arc<[u8]>,
    /// A strong validator for conditional GET.
    pub etag: String,
}

/// Collects a build's files instead of writing them.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Served>>,
}

impl MemorySink {
    pub fn into_files(self) -> HashMap<String, Served> {
        self.files
            .into_inner()
            .expect("no panics while holding the lock")
    }

    fn insert(&self, relative: &str, bytes: Vec<u8>) {
        let served = Served {
            etag: format!("\"{:016x}\"", content_hash(&bytes)),
            bytes: bytes.into(),
        };
        self.files
            .lock()
            .expect("no panics while holding the lock")
            .insert(relative.to_string(), served);
    }
}

impl Sink for MemorySink {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        confined(relative)?;
        self.insert(relative, bytes.to_vec());
        Ok(())
    }

    fn copy(&self, relative: &str, from: &Path) -> Result<(), Diagnostic> {
        confined(relative)?;
        let bytes = std::fs::read(from).map_err(|err| {
            Diagnostic::error(from, format!("cannot read {}: {err}", from.display()))
        })?;
        self.insert(relative, bytes);
        Ok(())
    }
}
