//! What `recap serve` keeps from one rebuild to the next: the content as
//! last read, rendered Markdown, the templates and highlighter while nothing
//! they depend on changed, and the last site that built. A rebuild after
//! edits to post bodies alone starts from that site.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{
    Failure, Phases, Prepared, Request, Theme, finish_site, load_config, prepare_site, theme_for,
};
use crate::content;
use crate::render::Templates;
use crate::render::files::SiteFile;
use crate::site::markdown_cache::MarkdownCache;
use crate::site::{PostId, Site};

#[derive(Default)]
pub(crate) struct RebuildCache {
    content: Mutex<content::Index>,
    pub(super) markdown: MarkdownCache,
    pub(super) theme: Mutex<Option<Theme>>,
    /// The last build that succeeded, cleared by one that fails.
    last: Mutex<Option<LastBuild>>,
}

#[derive(Clone)]
struct LastBuild {
    site: Arc<Site>,
    files: Arc<Vec<SiteFile>>,
    templates: Arc<Templates>,
}

impl std::fmt::Debug for RebuildCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RebuildCache")
    }
}

impl RebuildCache {
    /// A rebuild: when only the bodies of posts changed, the last build's
    /// site model and file list stand, and only those posts are rendered
    /// again; anything else is built in full.
    pub(super) fn prepare(
        &self,
        request: &Request,
        changed: Option<&[PathBuf]>,
        phases: &mut Phases,
    ) -> Result<Prepared, Failure> {
        let started = Instant::now();
        let config = load_config(request)?;
        let theme = theme_for(request, config, changed)?;
        phases.done("config");
        let mut index = self
            .content
            .lock()
            .expect("no panics while holding the lock");
        let content = index.refresh(&request.root, changed)?;
        phases.done("load");
        let edit = index
            .touched()
            .and_then(|touched| self.edited(&theme, &content, touched));
        drop(index);
        let Some((site, files, edited)) = edit else {
            return prepare_site(request, theme, content, phases, started);
        };
        phases.done("assemble");
        finish_site(request, theme, site, Some((files, edited)), phases, started)
    }

    /// The last build's site with the posts at `touched` read anew, and
    /// their ids, when only their bodies changed: same templates, every
    /// touched file a post of that site, its front matter and files as
    /// they were.
    fn edited(
        &self,
        theme: &Theme,
        content: &content::Content,
        touched: &[PathBuf],
    ) -> Option<(Site, Arc<Vec<SiteFile>>, Vec<PostId>)> {
        let last = self
            .last
            .lock()
            .expect("no panics while holding the lock")
            .clone()?;
        // New templates mean the configuration, templates/ or static/
        // changed: the site model or its file list may have too.
        let today = chrono::Local::now().date_naive();
        if !Arc::ptr_eq(&last.templates, &theme.templates) || last.site.today != today {
            return None;
        }
        let mut site = (*last.site).clone();
        let mut edited = Vec::new();
        for path in touched {
            let source = content.posts.iter().find(|post| &post.doc.path == path)?;
            let id = PostId::new(
                site.posts
                    .iter()
                    .position(|post| &post.source.doc.path == path)?,
            );
            let before = &site.posts[id].source;
            let same_model = before.doc.front == source.doc.front
                && before.assets == source.assets
                && before.slug == source.slug
                && before.date == source.date;
            if !same_model {
                return None;
            }
            site.posts[id].source = Arc::clone(source);
            edited.push(id);
        }
        Some((site, last.files, edited))
    }

    /// Keeps what the next rebuild may start from: the build that just
    /// succeeded, or nothing after one that failed.
    pub(super) fn remember(&self, prepared: Option<&Prepared>) {
        let mut last = self.last.lock().expect("no panics while holding the lock");
        *last = prepared.map(|prepared| LastBuild {
            site: prepared.renderer.site_arc(),
            files: Arc::clone(&prepared.files),
            templates: prepared.renderer.templates(),
        });
    }
}
