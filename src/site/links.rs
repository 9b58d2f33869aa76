//! Rendering every Markdown body of the site, resolving `@/` links between
//! pages and checking their `#anchors` once all pages are rendered.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::Site;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Highlighter, LinkResolver, MarkdownOptions, Rendered, Shortcodes};

/// `@/posts/x.md` → the page's URL, base path included.
struct PathIndex {
    urls: HashMap<String, String>,
}

impl LinkResolver for PathIndex {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.urls.get(content_path.trim_start_matches('/')).cloned()
    }
}

impl Site {
    fn markdown_options(&self) -> MarkdownOptions {
        MarkdownOptions {
            raw_html: self.config.raw_html,
            external_links_target_blank: self.config.external_links_target_blank,
            external_links_no_referrer: self.config.external_links_no_referrer,
            base_path: self.config.base_path().to_string(),
            site_origin: self.config.origin().to_string(),
        }
    }

    fn path_index(&self) -> PathIndex {
        let base = self.config.base_path();
        let mut urls = HashMap::new();
        for post in &self.posts {
            urls.insert(
                post.source.doc.content_path.clone(),
                format!("{base}{}", post.path),
            );
        }
        for page in &self.pages {
            urls.insert(
                page.doc.content_path.clone(),
                format!("{base}{}", page.path),
            );
        }
        for event in &self.events {
            if let Some(doc) = &event.doc {
                urls.insert(doc.content_path.clone(), format!("{base}{}", event.path()));
            }
        }
        for author in &self.authors {
            if let Some(doc) = &author.doc {
                urls.insert(doc.content_path.clone(), format!("{base}{}", author.path()));
            }
        }
        PathIndex { urls }
    }

    /// Renders every body in parallel, reusing `cache` (kept by `recap
    /// serve` across rebuilds) for bodies rendered before. Returns warnings
    /// and errors; any error fails the build.
    pub fn render_markdown(
        &mut self,
        highlighter: &Highlighter,
        shortcodes: &dyn Shortcodes,
        cache: Option<&MarkdownCache>,
    ) -> Vec<Diagnostic> {
        let options = self.markdown_options();
        let index = self.path_index();
        if let Some(cache) = cache {
            cache.keep_if(fingerprint(&options, &index) ^ shortcodes.fingerprint());
        }
        let render = |key: &str, body: &str| match cache {
            Some(cache) => cache.get_or_render(key, body, || {
                markdown::render(body, &options, &index, highlighter, shortcodes)
            }),
            None => Arc::new(markdown::render(
                body,
                &options,
                &index,
                highlighter,
                shortcodes,
            )),
        };
        self.posts.par_iter_mut().for_each(|post| {
            post.rendered = render(&post.source.doc.content_path, &post.source.doc.body);
            // A build needs only the HTML: free the Markdown at once, so the
            // site's sources and its HTML are never all in memory together.
            // `recap serve` keeps both for its caches.
            if cache.is_none()
                && let Some(source) = Arc::get_mut(&mut post.source)
            {
                source.doc.body = String::new();
            }
        });
        self.pages
            .par_iter_mut()
            .for_each(|page| page.rendered = render(&page.doc.content_path, &page.doc.body));
        self.events.par_iter_mut().for_each(|event| {
            if let Some(doc) = &event.doc {
                event.description = render(&doc.content_path, &doc.body);
            }
        });
        self.authors.par_iter_mut().for_each(|author| {
            if let Some(doc) = &author.doc {
                author.content = render(&doc.content_path, &doc.body);
            }
        });
        let mut diagnostics = self.markdown_problems();
        diagnostics.extend(self.check_anchors());
        diagnostics
    }

    /// Every rendered body with the document it came from.
    fn rendered_documents(&self) -> Vec<(&Path, &Path, usize, &Arc<Rendered>)> {
        let posts = self.posts.iter().map(|post| {
            let doc = &post.source.doc;
            (
                doc.display_path.as_path(),
                doc.path.as_path(),
                doc.body_line,
                &post.rendered,
            )
        });
        let pages = self.pages.iter().map(|page| {
            let doc = &page.doc;
            (
                doc.display_path.as_path(),
                doc.path.as_path(),
                doc.body_line,
                &page.rendered,
            )
        });
        let events = self.events.iter().filter_map(|event| {
            let doc = event.doc.as_ref()?;
            Some((
                doc.display_path.as_path(),
                doc.path.as_path(),
                doc.body_line,
                &event.description,
            ))
        });
        let authors = self.authors.iter().filter_map(|author| {
            let doc = author.doc.as_ref()?;
            Some((
                doc.display_path.as_path(),
                doc.path.as_path(),
                doc.body_line,
                &author.content,
            ))
        });
        posts.chain(pages).chain(events).chain(authors).collect()
    }

    fn markdown_problems(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for (file, path, body_line, rendered) in self.rendered_documents() {
            if rendered.problems.is_empty() {
                continue;
            }
            let source = super::read_lossy(path);
            for problem in &rendered.problems {
                let diagnostic = match problem.severity {
                    markdown::Severity::Error => Diagnostic::error(file, &problem.message),
                    markdown::Severity::Warning => Diagnostic::warning(file, &problem.message),
                };
                let diagnostic =
                    diagnostic.at(&source, body_line + problem.line - 1, problem.column);
                diagnostics.push(match &problem.help {
                    Some(help) => diagnostic.help(help),
                    None => diagnostic,
                });
            }
        }
        diagnostics
    }

    /// `@/posts/x.md#anchor` must name a heading that exists on that page.
    fn check_anchors(&self) -> Vec<Diagnostic> {
        let anchors: HashMap<&str, &[String]> = self
            .posts
            .iter()
            .map(|post| {
                (
                    post.source.doc.content_path.as_str(),
                    post.rendered.anchors.as_slice(),
                )
            })
            .chain(self.pages.iter().map(|page| {
                (
                    page.doc.content_path.as_str(),
                    page.rendered.anchors.as_slice(),
                )
            }))
            .collect();
        let mut diagnostics = Vec::new();
        for (file, path, body_line, rendered) in self.rendered_documents() {
            for link in &rendered.internal_links {
                let Some(anchor) = &link.anchor else { continue };
                let target = link.target.trim_start_matches('/');
                let known = anchors.get(target).copied().unwrap_or(&[]);
                if known.iter().any(|id| id == anchor) {
                    continue;
                }
                let mut help = format!("`{target}` has no heading with the id `{anchor}`");
                if let Some(near) =
                    crate::diagnostics::suggest(anchor, known.iter().map(String::as_str))
                {
                    help = format!("did you mean `#{near}`? {help}");
                } else if !known.is_empty() {
                    help.push_str(&format!("; its headings: {}", known.join(", ")));
                }
                diagnostics.push(
                    Diagnostic::error(file, format!("link to a missing anchor `#{anchor}`"))
                        .at(
                            &super::read_lossy(path),
                            body_line + link.line - 1,
                            link.column,
                        )
                        .help(help),
                );
            }
        }
        diagnostics
    }
}

/// Rendered Markdown by file, reused while a file's body, the Markdown
/// options and every page's URL stay the same.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    entries: Mutex<HashMap<String, (String, Arc<Rendered>)>>,
    fingerprint: Mutex<u64>,
}

impl MarkdownCache {
    /// Forgets everything when what rendering depends on changed.
    fn keep_if(&self, fingerprint: u64) {
        let mut current = self
            .fingerprint
            .lock()
            .expect("no panics while holding the lock");
        if *current != fingerprint {
            self.entries
                .lock()
                .expect("no panics while holding the lock")
                .clear();
            *current = fingerprint;
        }
    }

    fn get_or_render(
        &self,
        key: &str,
        body: &str,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        let cached = self
            .entries
            .lock()
            .expect("no panics while holding the lock")
            .get(key)
            .and_then(|(cached_body, rendered)| {
                (cached_body == body).then(|| Arc::clone(rendered))
            });
        if let Some(rendered) = cached {
            return rendered;
        }
        let rendered = Arc::new(render());
        self.entries
            .lock()
            .expect("no panics while holding the lock")
            .insert(key.to_string(), (body.to_string(), Arc::clone(&rendered)));
        rendered
    }
}

/// Everything besides a body that its HTML depends on.
fn fingerprint(options: &MarkdownOptions, index: &PathIndex) -> u64 {
    let mut urls: Vec<(&String, &String)> = index.urls.iter().collect();
    urls.sort();
    let mut text = format!(
        "{}|{}|{}|{}|{}",
        options.raw_html,
        options.external_links_target_blank,
        options.external_links_no_referrer,
        options.base_path,
        options.site_origin
    );
    for (path, url) in urls {
        text.push_str(path);
        text.push('=');
        text.push_str(url);
        text.push('\n');
    }
    crate::output::content_hash(text.as_bytes())
}

/// An error about `key` in the front matter of `file` (shown; read from
/// `path`), at the key's line.
pub fn front_matter_error(file: &Path, path: &Path, key: &str, problem: String) -> Diagnostic {
    let source = super::read_lossy(path);
    let (line, column) = crate::config::key_position(&source, key);
    Diagnostic::error(file, problem)
        .at(&source, line, column)
        .width(key.len())
}
