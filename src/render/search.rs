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

use serde_json::{Value, json};

use crate::site::Site;

pub const SEARCH_INDEX_FILE: &str = "search-index.json";
/// Characters of each post's summary kept in the index.
const SUMMARY_LENGTH: usize = 110;

pub fn search_index(site: &Site) -> String {
    let posts: Vec<Value> = site
        .posts
        .iter()
        .map(|post| {
            let front = &post.source.doc.front;
            json!([
                front.title,
                post.path,
                post.source.date.ymd(),
                post.event.map_or(-1, |id| id as i64),
                post.tags,
                post.authors,
                shorten(post.teaser()),
            ])
        })
        .collect();
    let index = json!({
        "version": 1,
        "base_path": site.config.base_path(),
        "events": site.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        "tags": site.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "authors": site.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        "posts": posts,
    });
    index.to_string()
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SUMMARY_LENGTH {
        return text.to_string();
    }
    let cut: String = text.chars().take(SUMMARY_LENGTH).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}
