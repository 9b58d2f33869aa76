//! Rendering every Markdown body of the site, resolving `@/` links between
//! pages and checking their `#anchors` once all pages are rendered.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::markdown_cache::{Doc, MarkdownCache};
use super::{PostId, Site};
use crate::content::Document;
use crate::diagnostics::Diagnostic;
use crate::markdown::{
    self, Highlighter, LinkResolver, MarkdownOptions, MarkdownTemplates, Rendered,
};

/// `@/posts/x.md` → the page's URL, base path included.
struct PathIndex {
    urls: HashMap<String, String>,
}

impl LinkResolver for PathIndex {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.urls.get(content_path.trim_start_matches('/')).cloned()
    }
}

/// The links of one document: the site's pages, and its images from the
/// page it is on.
struct DocumentLinks<'a> {
    index: &'a PathIndex,
    images: &'a super::ImageSizes,
    page: &'a str,
}

impl LinkResolver for DocumentLinks<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.index.resolve(content_path)
    }

    fn image_size(&self, url: &str) -> Option<(u32, u32)> {
        self.images.of(self.page, url)
    }

    fn responsive_image(
        &self,
        url: &str,
        shown_as: &str,
    ) -> Result<Option<crate::images::Responsive>, String> {
        self.images.responsive(self.page, url, shown_as)
    }
}

/// A link of the site's navigation.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct NavLink {
    /// A built-in section's word key ("events"), or a menu entry's name.
    pub label: String,
    #[serde(skip)]
    pub built_in: bool,
    /// With the base path, or a full URL.
    pub url: String,
    #[serde(skip)]
    pub weight: i64,
}

/// The built-in sections after the posts, with their weights.
const SECTIONS: [(&str, &str, i64); 6] = [
    ("events", "/events/", 10),
    ("talks", "/talks/", 20),
    ("tags", "/tags/", 30),
    ("authors", "/authors/", 40),
    ("archive", "/archive/", 50),
    ("search", "/search/", 60),
];

impl Site {
    /// The navigation after "Posts": the built-in sections and the
    /// config's `[[menu]]`, by weight; or, for a `@/` link that names no
    /// page, an error at its line in config.toml.
    pub(crate) fn nav_links(&self, root: &Path) -> Result<Vec<NavLink>, Diagnostic> {
        let base = self.config.base_path();
        let mut links: Vec<NavLink> = SECTIONS
            .iter()
            .map(|(label, path, weight)| NavLink {
                label: label.to_string(),
                built_in: true,
                url: format!("{base}{path}"),
                weight: *weight,
            })
            .collect();
        // Every page's URL, only when a menu entry names a file.
        let index = self
            .config
            .menu
            .iter()
            .any(|item| item.url.starts_with("@/"))
            .then(|| self.path_index());
        for (at, item) in self.config.menu.iter().enumerate() {
            let url = if let Some(target) = item.url.strip_prefix("@/") {
                index
                    .as_ref()
                    .and_then(|index| index.resolve(target))
                    .ok_or_else(|| {
                        let file = crate::config::CONFIG_FILE;
                        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
                        let steps = [
                            crate::locate::Step::Key("menu"),
                            crate::locate::Step::Index(at),
                            crate::locate::Step::Key("url"),
                        ];
                        let (line, column) = crate::locate::value_at(&text, &steps, &item.url);
                        Diagnostic::error(
                            file,
                            format!("the menu link `{}` names no page", item.url),
                        )
                        .at(&text, line, column)
                        .width(item.url.chars().count())
                        .help("an @/ link names a file under content/, e.g. @/about.md")
                    })?
            } else if item.url.starts_with('/') {
                format!("{base}{}", item.url)
            } else {
                item.url.clone()
            };
            links.push(NavLink {
                label: item.name.clone(),
                built_in: false,
                url,
                weight: item.weight,
            });
        }
        links.sort_by_key(|link| link.weight);
        Ok(links)
    }

    fn markdown_options(&self) -> MarkdownOptions {
        MarkdownOptions {
            raw_html: self.config.raw_html,
            external_links_target_blank: self.config.external_links_target_blank,
            external_links_no_referrer: self.config.external_links_no_referrer,
            base_path: self.config.base_path().to_string(),
            site_origin: self.config.origin().to_string(),
            math: self.config.math,
            emoji: self.config.emoji,
        }
    }

    fn path_index(&self) -> PathIndex {
        let base = self.config.base_path();
        let mut urls = HashMap::with_capacity_and_hasher(self.posts.len(), Default::default());
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
        for speaker in &self.speakers {
            if let Some(doc) = &speaker.doc {
                urls.insert(
                    doc.content_path.clone(),
                    format!("{base}{}", speaker.path()),
                );
            }
        }
        PathIndex { urls }
    }

    /// Renders every body in parallel, or only the posts `only` lists when
    /// every other body is rendered already, reusing `cache` (kept by
    /// `recap serve` across rebuilds) for bodies rendered before. Returns
    /// warnings and errors; any error fails the build.
    pub(crate) fn render_markdown(
        &mut self,
        only: Option<&[PostId]>,
        highlighter: &Highlighter,
        templates: &dyn MarkdownTemplates,
        cache: Option<&MarkdownCache>,
        progress: &crate::pipeline::Progress,
    ) -> Vec<Diagnostic> {
        progress.phase("markdown", only.map_or(self.posts.len(), <[PostId]>::len));
        let options = self.markdown_options();
        let index = self.path_index();
        let urls = urls_fingerprint(&index);
        if let Some(cache) = cache {
            cache.keep_if(settings_fingerprint(&options, highlighter) ^ templates.fingerprint());
        }
        let images = Arc::clone(&self.image_sizes);
        let render = |doc: (&str, u64, &str), page: &str| {
            let (content_path, stamp, body) = doc;
            let links = DocumentLinks {
                index: &index,
                images: &images,
                page,
            };
            let render = || {
                let (mut rendered, seen) = crate::images::gathering(|| {
                    markdown::render(body, &options, &links, highlighter, templates)
                });
                rendered.image_files = seen.files.into_iter().map(|file| (file, 0)).collect();
                rendered.variants = seen.variants;
                rendered
            };
            let doc = Doc {
                content_path,
                page,
                stamp,
                body,
            };
            match cache {
                Some(cache) => cache.get_or_render(&doc, urls, images.variants(), render),
                None => Arc::new(render()),
            }
        };
        let wanted = |id: usize| only.is_none_or(|ids| ids.contains(&PostId::new(id)));
        self.posts
            .par_iter_mut()
            .enumerate()
            .filter(|(id, _)| wanted(*id))
            .for_each(|(_, post)| {
                post.rendered = render(markdown_of(&post.source.doc), &post.path);
                post.body_hash = body_hash(&post.source.doc);
                progress.step();
                // A build needs only the HTML: free the Markdown at once, so the
                // site's sources and its HTML are never all in memory together.
                // `recap serve` keeps both for its caches.
                if cache.is_none_or(MarkdownCache::is_on_disk)
                    && let Some(source) = Arc::get_mut(&mut post.source)
                {
                    source.doc.body = String::new();
                }
            });
        if only.is_none() {
            self.pages
                .par_iter_mut()
                .for_each(|page| page.rendered = render(markdown_of(&page.doc), &page.path));
            self.events.par_iter_mut().for_each(|event| {
                if let Some(doc) = &event.doc {
                    event.description = render(markdown_of(doc), &event.path());
                }
            });
            self.authors.par_iter_mut().for_each(|author| {
                if let Some(doc) = &author.doc {
                    author.content = render(markdown_of(doc), &author.path());
                }
            });
            self.speakers.par_iter_mut().for_each(|speaker| {
                if let Some(doc) = &speaker.doc {
                    speaker.content = render(markdown_of(doc), &speaker.path());
                }
            });
        }
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
        let speakers = self.speakers.iter().filter_map(|speaker| {
            let doc = speaker.doc.as_ref()?;
            Some((
                doc.display_path.as_path(),
                doc.path.as_path(),
                doc.body_line,
                &speaker.content,
            ))
        });
        posts
            .chain(pages)
            .chain(events)
            .chain(authors)
            .chain(speakers)
            .collect()
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

/// What rendering a document needs of it: its key, its load stamp, its body.
fn markdown_of<F>(doc: &Document<F>) -> (&str, u64, &str) {
    (&doc.content_path, doc.stamp, &doc.body)
}

fn hash_of(value: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// Everything besides a body and the site's URLs that its HTML depends on.
fn settings_fingerprint(options: &MarkdownOptions, highlighter: &Highlighter) -> u64 {
    hash_of((
        options.raw_html,
        options.external_links_target_blank,
        options.external_links_no_referrer,
        &options.base_path,
        &options.site_origin,
        options.math,
        options.emoji,
        highlighter.identity(),
    ))
}

/// Every page's URL, summed so that no order is needed.
fn urls_fingerprint(index: &PathIndex) -> u64 {
    index.urls.iter().map(hash_of).fold(0, u64::wrapping_add)
}

/// An error about `key` in the front matter of `file` (shown; read from
/// `path`), at the key's line.
pub(crate) fn front_matter_error(
    file: &Path,
    path: &Path,
    key: &str,
    problem: String,
) -> Diagnostic {
    let source = super::read_lossy(path);
    let (line, column) = crate::locate::key_at(&source, &[crate::locate::Step::Key(key)]);
    Diagnostic::error(file, problem)
        .at(&source, line, column)
        .width(key.len())
}

/// A hash of a document's Markdown body and where it starts.
fn body_hash<F>(doc: &Document<F>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    (&doc.body, doc.body_line).hash(&mut hasher);
    hasher.finish()
}
