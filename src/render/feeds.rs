//! Atom 1.0 feeds: the site's, one per tag and one per event,
//! rendered through the overridable `atom.xml` template.

use serde::Serialize;
use tera::Context;

use super::context::Urls;
use super::{Renderer, templates};
use crate::site::urls::feed_range;
use crate::site::{EventId, Post, PostId, Site, TagId};

pub(crate) const FEED_FILE: &str = "atom.xml";

/// What a feed is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FeedOf {
    Site,
    Tag(TagId),
    Event(EventId),
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: String,
    subtitle: &'a str,
    /// Absolute URL of the feed itself (`rel="self"`) and of the page it mirrors.
    url: String,
    alternate: String,
    id: String,
    updated: String,
    generator_version: &'static str,
}

#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    url: String,
    id: String,
    published: String,
    updated: String,
    authors: Vec<&'a str>,
    categories: Vec<Category<'a>>,
    summary: &'a str,
    content: String,
}

#[derive(Serialize)]
struct Category<'a> {
    term: &'a str,
    label: &'a str,
}

/// The URL path of a feed and of the page it mirrors.
pub(crate) fn feed_paths(site: &Site, of: FeedOf) -> (String, String) {
    let page = match of {
        FeedOf::Site => "/".to_string(),
        FeedOf::Tag(id) => site.tags[id].path(),
        FeedOf::Event(id) => site.events[id].path(),
    };
    (format!("{page}{FEED_FILE}"), page)
}

/// Every feed of the site.
pub(crate) fn all_feeds(site: &Site) -> Vec<FeedOf> {
    std::iter::once(FeedOf::Site)
        .chain(TagId::all(site.tags.len()).map(FeedOf::Tag))
        .chain(EventId::all(site.events.len()).map(FeedOf::Event))
        .collect()
}

impl Renderer {
    /// Renders one feed into (URL path, XML).
    pub(crate) fn render_feed(&self, of: FeedOf) -> Result<(String, String), tera::Error> {
        let site = &*self.site;
        let urls = self.urls();
        let (path, page) = feed_paths(site, of);
        let (title, post_ids): (String, Vec<PostId>) = match of {
            FeedOf::Site => (
                site.config.title.clone(),
                PostId::all(site.posts.len()).collect(),
            ),
            FeedOf::Tag(id) => {
                let tag = &site.tags[id];
                (
                    format!("{} · {}", tag.name, site.config.title),
                    tag.posts.clone(),
                )
            }
            FeedOf::Event(id) => {
                let event = &site.events[id];
                (
                    format!("{} · {}", event.name, site.config.title),
                    event.posts.clone(),
                )
            }
        };
        let shown = &post_ids[feed_range(post_ids.len(), site.config.feed_limit)];
        let entries: Vec<EntryView> = shown
            .iter()
            .map(|&id| entry(site, &site.posts[id], &urls))
            .collect();
        let updated = shown
            .iter()
            .map(|&id| site.posts[id].last_change())
            .max()
            .map(|stamp| stamp.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
        let feed = FeedView {
            title,
            subtitle: &site.config.description,
            url: urls.absolute(&path),
            alternate: urls.absolute(&page),
            id: urls.absolute(&path),
            updated,
            generator_version: env!("CARGO_PKG_VERSION"),
        };
        let mut context = Context::new();
        context.insert("config", &site.config);
        context.insert("feed", &feed);
        context.insert("entries", &entries);
        let capacity = entries
            .iter()
            .map(|entry| entry.content.len() + entry.summary.len() + 1024)
            .sum::<usize>();
        let xml = templates::render_sized(&self.templates.tera, FEED_FILE, &context, capacity)?;
        Ok((path, xml_chars_only(xml)))
    }
}

/// `text` without the characters XML 1.0 forbids (C0 controls other than
/// tab and line breaks, U+FFFE, U+FFFF), which a title or body may hold
/// and which would make the whole feed ill-formed for every reader.
pub(crate) fn xml_chars_only(text: String) -> String {
    let forbidden = |c: char| {
        (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') && c != '\u{7f}')
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    // A byte scan first: feeds are large and almost never hold any.
    let has_control = text
        .bytes()
        .any(|byte| byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'));
    let has_nonchar = memchr::memmem::find(text.as_bytes(), "\u{fffe}".as_bytes()).is_some()
        || memchr::memmem::find(text.as_bytes(), "\u{ffff}".as_bytes()).is_some();
    if !has_control && !has_nonchar {
        return text;
    }
    text.chars().filter(|&c| !forbidden(c)).collect()
}

fn entry<'a>(site: &'a Site, post: &'a Post, urls: &Urls) -> EntryView<'a> {
    let front = &post.source.doc.front;
    let permalink = urls.absolute(&post.path);
    EntryView {
        title: &front.title,
        id: permalink.clone(),
        // Made per entry, not cached: most posts are in one feed only, and a
        // cache would hold a second copy of every post's HTML.
        content: absolute_links(&post.rendered.html, &permalink, urls),
        url: permalink,
        published: post.source.date.rfc3339(),
        updated: post.last_change().rfc3339(),
        authors: post
            .authors
            .iter()
            .map(|&id| site.authors[id].name.as_str())
            .collect(),
        categories: post
            .tags
            .iter()
            .map(|&id| Category {
                term: &site.tags[id].slug,
                label: &site.tags[id].name,
            })
            .collect(),
        summary: post.teaser(),
    }
}

/// Makes every `href="..."` and `src="..."` in `html` absolute: feed
/// readers show content away from the site, where relative links break.
pub(crate) fn absolute_links(html: &str, page_url: &str, urls: &Urls) -> String {
    let origin = &urls.base_url[..urls.base_url.len() - urls.base_path.len()];
    let page_dir = match page_url.rfind('/') {
        Some(index) => &page_url[..=index],
        None => page_url,
    };
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied_to = 0;
    for value_start in url_attribute_values(html) {
        let value_end = html[value_start..]
            .find('"')
            .map_or(html.len(), |end| value_start + end);
        let value = &html[value_start..value_end];
        out.push_str(&html[copied_to..value_start]);
        if value.starts_with("//") || value.contains(':') {
            out.push_str(value);
        } else if value.starts_with('/') {
            out.push_str(origin);
            out.push_str(value);
        } else if value.starts_with('#') {
            out.push_str(page_url);
            out.push_str(value);
        } else {
            out.push_str(page_dir);
            out.push_str(value);
        }
        copied_to = value_end;
    }
    out.push_str(&html[copied_to..]);
    out
}

/// Where the value of each ` href="` and ` src="` in `html` starts.
fn url_attribute_values(html: &str) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = html[from..].find('=') {
            let equals = from + offset;
            from = equals + 1;
            let before = &html[..equals];
            if html[from..].starts_with('"')
                && (before.ends_with(" href") || before.ends_with(" src"))
            {
                return Some(from + 1);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(xml_chars_only("a\0b\u{1b}c\td\u{ffff}".into()), "abc\td");
        assert_eq!(xml_chars_only("plain é".into()), "plain é");
    }

    #[test]
    fn makes_links_absolute() {
        let urls = Urls {
            base_path: "/team",
            base_url: "https://example.org/team",
        };
        let html = r##"<a href="/team/tags/x/">t</a><img src="stage.png"><a href="#h">h</a><a href="https://x.org/">x</a>"##;
        let out = absolute_links(html, "https://example.org/team/2024/p/", &urls);
        assert_eq!(
            out,
            r##"<a href="https://example.org/team/tags/x/">t</a><img src="https://example.org/team/2024/p/stage.png"><a href="https://example.org/team/2024/p/#h">h</a><a href="https://x.org/">x</a>"##
        );
    }
}
