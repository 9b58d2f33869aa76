//! `/search-index.json`: what the `/search/` page filters as the reader
//! types. Compact by design (a 10,000-post site stays under 3 MB): posts are
//! rows of an array, and events, tags and authors are stored once and
//! referenced by index.
//!
//! ```json
//! {"version":1,"base_path":"/team","events":["KubeCon EU 2024"],"tags":["rust"],
//!  "authors":["Alice"],
//!  "posts":[["Title","/2024/slug/","2024-03-22",0,[0],[0],"Summary…"]]}
//! ```
//! A post row is `[title, path, date, event index or -1, tag indexes,
//! author indexes, summary]`; paths lack the base path, which is given once.

use serde::Serialize;

use crate::site::{AuthorId, Site, TagId};

pub(crate) const SEARCH_INDEX_FILE: &str = "search-index.json";
/// Characters of each post's summary kept in the index.
const SUMMARY_LENGTH: usize = 110;

#[derive(Serialize)]
struct SearchIndex<'a> {
    version: u32,
    base_path: &'a str,
    events: Vec<&'a str>,
    tags: Vec<&'a str>,
    authors: Vec<&'a str>,
    posts: Vec<PostRow<'a>>,
}

/// `[title, path, date, event index or -1, tag indexes, author indexes, summary]`
type PostRow<'a> = (
    &'a str,
    &'a str,
    String,
    i64,
    &'a [TagId],
    &'a [AuthorId],
    String,
);

/// Serialised straight from the site: no tree of JSON values for every post.
pub(crate) fn search_index(site: &Site) -> String {
    let index = SearchIndex {
        version: 1,
        base_path: site.config.base_path(),
        events: site.events.iter().map(|e| e.name.as_str()).collect(),
        tags: site.tags.iter().map(|t| t.name.as_str()).collect(),
        authors: site.authors.iter().map(|a| a.name.as_str()).collect(),
        posts: site
            .posts
            .iter()
            .map(|post| {
                (
                    post.title(),
                    post.path.as_str(),
                    post.source.date.ymd(),
                    post.event.map_or(-1, |id| id.index() as i64),
                    post.tags.as_slice(),
                    post.authors.as_slice(),
                    shorten(post.teaser()),
                )
            })
            .collect(),
    };
    serde_json::to_string(&index).unwrap_or_default()
}

fn shorten(text: &str) -> String {
    crate::markdown::truncate(text, SUMMARY_LENGTH)
}
