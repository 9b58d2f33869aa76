//! What the `/search/` page searches as the reader types: posts, sessions,
//! speakers, events and standalone pages.
//!
//! `search-index.json` is everything the page needs for its first results,
//! compact by design: rows of arrays, names stored once and referenced by
//! index, paths without the base path (given once).
//!
//! ```json
//! {"version":2,"base_path":"/team",
//!  "events":[["KubeCon EU 2024","/events/kubecon-eu-2024/","19–22 Mar 2024","Paris"]],
//!  "tags":["rust"],"authors":["Alice"],
//!  "speakers":[["Ada Lovelace","/speakers/ada-lovelace/","Analytical Engines"]],
//!  "posts":[["Title","/2024/slug/","2024-03-22",0,[0],[0],"Summary…"]],
//!  "sessions":[["Keynote",[0],0,0]],
//!  "pages":[["About","/about/","Who we are…"]],
//!  "bodies":{"posts_per_file":500,"files":["search-body-0.json"]}}
//! ```
//!
//! Rows: an event is `[name, path, dates, location]`; a speaker `[name,
//! path, company]`; a post `[title, path, date, event index or -1, tag
//! indexes, author indexes, summary]`; a session `[title, speaker indexes,
//! event index or -1, index of the newest post that covers it]`; a page
//! `[title, path, summary]`.
//!
//! The text of each post's body (its first [`BODY_LENGTH`] characters) is
//! in separate files of [`POSTS_PER_BODY_FILE`] posts each, arrays of
//! strings in post order, which the page loads after its first results:
//! at 10,000 posts the index stays small enough to download at once.

use serde::Serialize;

use super::context::date_range;
use crate::site::{AuthorId, Site, SpeakerId, TagId};

pub(crate) const SEARCH_INDEX_FILE: &str = "search-index.json";
/// Characters of each post's summary kept in the index.
const SUMMARY_LENGTH: usize = 110;
/// Characters of each post's body text kept in the body files.
const BODY_LENGTH: usize = 2_000;
/// Posts per body file.
pub(crate) const POSTS_PER_BODY_FILE: usize = 500;

#[derive(Serialize)]
struct SearchIndex<'a> {
    version: u32,
    base_path: &'a str,
    events: Vec<(&'a str, String, String, &'a str)>,
    tags: Vec<&'a str>,
    authors: Vec<&'a str>,
    speakers: Vec<(&'a str, String, &'a str)>,
    posts: Vec<PostRow<'a>>,
    sessions: Vec<(&'a str, &'a [SpeakerId], i64, usize)>,
    pages: Vec<(&'a str, &'a str, String)>,
    bodies: Bodies,
}

#[derive(Serialize)]
struct Bodies {
    posts_per_file: usize,
    files: Vec<String>,
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
        version: 2,
        base_path: site.config.base_path(),
        events: site
            .events
            .iter()
            .map(|event| {
                let dates = event
                    .start()
                    .map(|start| date_range(start, event.end(), &site.config.language))
                    .unwrap_or_default();
                let location = event
                    .doc
                    .as_ref()
                    .and_then(|doc| doc.front.location.as_deref())
                    .unwrap_or_default();
                (event.name.as_str(), event.path(), dates, location)
            })
            .collect(),
        tags: site.tags.iter().map(|t| t.name.as_str()).collect(),
        authors: site.authors.iter().map(|a| a.name.as_str()).collect(),
        speakers: site
            .speakers
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.path(),
                    s.company.as_deref().unwrap_or_default(),
                )
            })
            .collect(),
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
                    shorten(post.teaser(), SUMMARY_LENGTH),
                )
            })
            .collect(),
        sessions: site
            .sessions
            .iter()
            .map(|session| {
                (
                    session.session.title.as_str(),
                    session.speakers.as_slice(),
                    session.event.map_or(-1, |id| id.index() as i64),
                    session.recaps[0].index(),
                )
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|page| {
                let summary = page
                    .doc
                    .front
                    .description
                    .clone()
                    .unwrap_or_else(|| page.rendered.summary_text.clone());
                (
                    page.doc.front.title.as_str(),
                    page.path.as_str(),
                    shorten(&summary, SUMMARY_LENGTH),
                )
            })
            .collect(),
        bodies: Bodies {
            posts_per_file: POSTS_PER_BODY_FILE,
            files: (0..body_file_count(site)).map(body_file).collect(),
        },
    };
    serde_json::to_string(&index).unwrap_or_default()
}

/// "search-body-3.json": the body text of posts 1,500 to 1,999.
pub(crate) fn body_file(number: usize) -> String {
    format!("search-body-{number}.json")
}

pub(crate) fn body_file_count(site: &Site) -> usize {
    site.posts.len().div_ceil(POSTS_PER_BODY_FILE)
}

/// Body file `number`: the text of its posts, in post order.
pub(crate) fn body_texts(site: &Site, number: usize) -> String {
    let start = (number * POSTS_PER_BODY_FILE).min(site.posts.len());
    let end = (start + POSTS_PER_BODY_FILE).min(site.posts.len());
    let texts: Vec<String> = site.posts[start..end]
        .iter()
        .map(|post| {
            shorten(
                &crate::markdown::visible_text(html_start(&post.rendered.html)),
                BODY_LENGTH,
            )
        })
        .collect();
    serde_json::to_string(&texts).unwrap_or_default()
}

/// Enough of a post's HTML to hold [`BODY_LENGTH`] characters of text in
/// all but code-heavy posts, so long posts are not read to their end.
fn html_start(html: &str) -> &str {
    let mut end = html.len().min(BODY_LENGTH * 8);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    &html[..end]
}

fn shorten(text: &str, length: usize) -> String {
    crate::markdown::truncate(text, length)
}
