//! The site while serving: prepared once per rebuild, each file rendered
//! the first time a browser asks for it and kept until the next rebuild.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::Diagnostic;
use crate::output::content_hash;
use crate::pipeline::Prepared;

/// One file of the served site.
pub struct Served {
    pub bytes: Arc<[u8]>,
    /// A strong validator for conditional GET.
    pub etag: String,
}

impl Served {
    pub fn new(bytes: Vec<u8>) -> Served {
        Served {
            etag: format!("\"{:016x}\"", content_hash(&bytes)),
            bytes: bytes.into(),
        }
    }
}

pub struct LiveSite {
    prepared: Prepared,
    /// Output path → index into `prepared.files`.
    index: HashMap<String, usize>,
    rendered: Mutex<HashMap<usize, Arc<Served>>>,
}

impl LiveSite {
    pub fn new(prepared: Prepared) -> LiveSite {
        let index = prepared
            .files
            .iter()
            .enumerate()
            .map(|(id, file)| (file.path.clone(), id))
            .collect();
        LiveSite {
            prepared,
            index,
            rendered: Mutex::new(HashMap::default()),
        }
    }

    pub fn has(&self, path: &str) -> bool {
        self.index.contains_key(path)
    }

    /// The file at `path`, rendered now if it was not yet. None if the site
    /// has no such file; Err if rendering it failed.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Served>, Diagnostic>> {
        let id = *self.index.get(path)?;
        if let Some(served) = self
            .rendered
            .lock()
            .expect("no panics while holding the lock")
            .get(&id)
        {
            return Some(Ok(Arc::clone(served)));
        }
        let file = &self.prepared.files[id];
        let bytes = match self
            .prepared
            .renderer
            .materialize(&file.source, &self.prepared.assets)
        {
            Ok(bytes) => bytes.into_owned(),
            Err(err) => return Some(Err(err)),
        };
        let served = Arc::new(Served::new(bytes));
        self.rendered
            .lock()
            .expect("no panics while holding the lock")
            .insert(id, Arc::clone(&served));
        Some(Ok(served))
    }
}
