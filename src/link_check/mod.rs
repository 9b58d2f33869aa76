//! `recap check`: every link from the site to itself resolves. Links and
//! images in Markdown and in raw HTML (site paths, relative paths,
//! `#fragments`) and the files front matter names (banners, avatars, event
//! images, slide files) must lead to a file the build writes, and a
//! `#fragment` on a post or page to one of its headings. Each broken one is
//! an error at its place in the source.

pub(crate) mod external;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::locate::{Step, key_at};
use crate::markdown::{Rendered, SiteLink};
use crate::render::files::SiteFile;
use crate::site::urls::{join, output_file, percent_decode};
use crate::site::{Site, read_lossy};

/// One document's links, and where its page is.
struct Source<'a> {
    file: &'a Path,
    path: &'a Path,
    body_line: usize,
    page: String,
    rendered: &'a Rendered,
    /// (front matter key path, URL) of the files it names.
    files: Vec<(Vec<Step<'a>>, &'a str)>,
}

/// Every broken link of the site, as errors.
pub(crate) fn broken_links(site: &Site, files: &[SiteFile]) -> Vec<Diagnostic> {
    let targets = Targets::new(site, files);
    let mut errors = Vec::new();
    for source in sources(site) {
        let mut text = None;
        for link in &source.rendered.site_links {
            if let Some(problem) = targets.problem(&source.page, &link.url) {
                let text = text.get_or_insert_with(|| read_lossy(source.path));
                errors.push(link_error(&source, text, link, problem));
            }
        }
        for (steps, url) in &source.files {
            if !SiteLink::is_into_site(url) {
                continue;
            }
            if let Some(problem) = targets.problem(&source.page, url) {
                let text = text.get_or_insert_with(|| read_lossy(source.path));
                let (line, column) = key_at(text, steps);
                errors.push(
                    Diagnostic::error(source.file, format!("`{url}` {problem}"))
                        .at(text, line, column)
                        .help("put the file in static/ (or beside index.md in a page bundle), or fix the path"),
                );
            }
        }
    }
    errors
}

fn link_error(source: &Source, text: &str, link: &SiteLink, problem: String) -> Diagnostic {
    Diagnostic::error(
        source.file,
        format!("the link `{}` {problem}", link.url),
    )
    .at(text, source.body_line + link.line - 1, link.column)
    .width(link.url.chars().count())
    .help("link to a page by its URL (/2024/kubecon/) or its file (@/posts/2024-03-22-kubecon.md), to a file in static/ by its path (/img/x.png), or to a heading by #its-id")
}

/// Every document with Markdown, and the page it is on.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let mut sources = Vec::new();
    for post in &site.posts {
        let doc = &post.source.doc;
        let mut files = Vec::new();
        if let Some(image) = &doc.front.image {
            files.push((vec![Step::Key("image")], image.as_str()));
        }
        for (at, session) in doc.front.sessions.iter().enumerate() {
            for (key, url) in [("slides", &session.slides), ("video", &session.video)] {
                if let Some(url) = url {
                    let steps = vec![Step::Key("sessions"), Step::Index(at), Step::Key(key)];
                    files.push((steps, url.as_str()));
                }
            }
        }
        sources.push(Source {
            file: &doc.display_path,
            path: &doc.path,
            body_line: doc.body_line,
            page: post.path.clone(),
            rendered: &post.rendered,
            files,
        });
    }
    for page in &site.pages {
        let doc = &page.doc;
        sources.push(Source {
            file: &doc.display_path,
            path: &doc.path,
            body_line: doc.body_line,
            page: page.path.clone(),
            rendered: &page.rendered,
            files: Vec::new(),
        });
    }
    for event in &site.events {
        let Some(doc) = &event.doc else { continue };
        let front = &doc.front;
        let files = [
            ("image", &front.image),
            ("logo", &front.logo),
            ("website", &front.website),
            ("online_url", &front.online_url),
        ]
        .into_iter()
        .filter_map(|(key, url)| Some((vec![Step::Key(key)], url.as_deref()?)))
        .collect();
        sources.push(Source {
            file: &doc.display_path,
            path: &doc.path,
            body_line: doc.body_line,
            page: event.path(),
            rendered: &event.description,
            files,
        });
    }
    // Authors and speakers: their bodies and avatars.
    let people = site
        .authors
        .iter()
        .filter_map(|a| {
            let doc = a.doc.as_ref()?;
            Some((
                &doc.display_path,
                &doc.path,
                doc.body_line,
                doc.front.avatar.as_deref(),
                a.path(),
                &a.content,
            ))
        })
        .chain(site.speakers.iter().filter_map(|s| {
            let doc = s.doc.as_ref()?;
            Some((
                &doc.display_path,
                &doc.path,
                doc.body_line,
                doc.front.avatar.as_deref(),
                s.path(),
                &s.content,
            ))
        }));
    for (file, path, body_line, avatar, page, rendered) in people {
        sources.push(Source {
            file,
            path,
            body_line,
            page,
            rendered,
            files: avatar
                .map(|avatar| (vec![Step::Key("avatar")], avatar))
                .into_iter()
                .collect(),
        });
    }
    sources
}

/// What the build writes, and the headings of its posts and pages.
struct Targets<'a> {
    files: HashSet<&'a str>,
    /// By output file ("2024/x/index.html").
    anchors: HashMap<String, &'a [String]>,
    pages: Vec<String>,
}

impl<'a> Targets<'a> {
    fn new(site: &'a Site, files: &'a [SiteFile]) -> Targets<'a> {
        let anchors = site
            .posts
            .iter()
            .map(|post| (output_file(&post.path), post.rendered.anchors.as_slice()))
            .chain(
                site.pages
                    .iter()
                    .map(|page| (output_file(&page.path), page.rendered.anchors.as_slice())),
            )
            .collect();
        let pages = site
            .posts
            .iter()
            .map(|post| post.path.clone())
            .chain(site.pages.iter().map(|page| page.path.clone()))
            .collect();
        Targets {
            files: files.iter().map(|file| file.path.as_str()).collect(),
            anchors,
            pages,
        }
    }

    /// What is wrong with `url` on the page at `page`, if anything.
    fn problem(&self, page: &str, url: &str) -> Option<String> {
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (url, None),
        };
        let rest = rest.split('?').next().unwrap_or_default();
        let path = if rest.is_empty() {
            page.to_string()
        } else {
            match join(page, &percent_decode(rest)) {
                Some(path) => path,
                None => return Some("leads above the site's root".to_string()),
            }
        };
        let file = match self.file_of(&path) {
            Ok(file) => file,
            Err(problem) => return Some(problem),
        };
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let known = self.anchors.get(&file)?;
        let is_footnote = fragment.starts_with("fn:") || fragment.starts_with("fnref:");
        if is_footnote || known.iter().any(|id| id == fragment) {
            return None;
        }
        let mut problem = format!("points at `#{fragment}`, which is no heading of {path}");
        if let Some(near) = crate::diagnostics::suggest(fragment, known.iter().map(String::as_str))
        {
            problem.push_str(&format!("; did you mean `#{near}`?"));
        }
        Some(problem)
    }

    /// The output file `path` names, or why there is none.
    fn file_of(&self, path: &str) -> Result<String, String> {
        let file = output_file(path);
        if self.files.contains(file.as_str()) {
            return Ok(file);
        }
        let folder = format!("{}/index.html", path.trim_matches('/'));
        if !path.ends_with('/') && self.files.contains(folder.as_str()) {
            return Ok(folder);
        }
        let mut problem = format!("leads to {path}, which is no page or file of the site");
        if let Some(near) = self.nearest_page(path) {
            problem.push_str(&format!("; did you mean {near}?"));
        }
        Err(problem)
    }

    /// The post or page whose last path segment is most like `path`'s
    /// (`/2024/kubcon/` → `/2024/kubecon/`), if one is close.
    fn nearest_page(&self, path: &str) -> Option<&str> {
        let wanted = last_segment(path);
        let names: Vec<&str> = self.pages.iter().map(|page| last_segment(page)).collect();
        let near = crate::diagnostics::suggest(wanted, names.iter().copied())?;
        self.pages
            .iter()
            .find(|page| last_segment(page) == near)
            .map(String::as_str)
    }
}

/// "kubecon" of "/2024/kubecon/".
fn last_segment(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}
