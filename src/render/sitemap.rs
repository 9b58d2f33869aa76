//! `/sitemap.xml` (every public page, `lastmod` from `updated`/`date`) and
//! `/robots.txt` pointing at it.

use std::fmt::Write;

use super::context::Urls;
use crate::content::date::Timestamp;
use crate::site::urls::{page_count, page_path};
use crate::site::{PostId, Site};

pub(crate) const SITEMAP_FILE: &str = "sitemap.xml";
pub(crate) const ROBOTS_FILE: &str = "robots.txt";

/// Every public HTML page with the date it last changed, if known.
fn pages(site: &Site) -> Vec<(String, Option<Timestamp>)> {
    let newest = |ids: &[PostId]| ids.iter().map(|&id| last_change(site, id)).max();
    let per_page = site.config.posts_per_page;
    let all: Vec<PostId> = PostId::all(site.posts.len()).collect();
    let mut pages: Vec<(String, Option<Timestamp>)> = Vec::new();
    let mut listing = |base: &str, ids: &[PostId]| {
        for n in 1..=page_count(ids.len(), per_page) {
            let on_page = &ids[((n - 1) * per_page).min(ids.len())..(n * per_page).min(ids.len())];
            pages.push((page_path(base, n), newest(on_page)));
        }
    };
    listing("/", &all);
    for tag in &site.tags {
        listing(&tag.path(), &tag.posts);
    }
    for author in &site.authors {
        listing(&author.path(), &author.posts);
    }
    for (id, post) in PostId::all(site.posts.len()).zip(&site.posts) {
        pages.push((post.path.clone(), Some(last_change(site, id))));
    }
    for page in &site.pages {
        pages.push((page.path.clone(), None));
    }
    for event in &site.events {
        pages.push((event.path(), newest(&event.posts)));
    }
    for speaker in &site.speakers {
        let recaps: Vec<PostId> = speaker
            .sessions
            .iter()
            .flat_map(|&session| site.sessions[session].recaps.iter().copied())
            .collect();
        pages.push((speaker.path(), newest(&recaps)));
    }
    for path in [
        "/archive/",
        "/tags/",
        "/events/",
        "/authors/",
        "/speakers/",
        "/talks/",
        "/search/",
    ] {
        pages.push((path.to_string(), newest(&all)));
    }
    pages
}

fn last_change(site: &Site, post: PostId) -> Timestamp {
    site.posts[post].last_change()
}

pub(crate) fn sitemap(site: &Site, urls: &Urls) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages(site) {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            super::templates::escape_markup(&urls.absolute(&path))
        );
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", lastmod.ymd());
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub(crate) fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(&format!("/{SITEMAP_FILE}"))
    )
}
