//! URL paths: permalinks, aliases, pagination. Paths here never carry the
//! base path ("/2024/kubecon/"); rendering adds it.

use std::path::PathBuf;

use super::Site;
use crate::content::date::Timestamp;

/// Expands the `permalink` template for a post.
pub(crate) fn post_path(
    template: &str,
    date: &Timestamp,
    slug: &str,
    event: Option<&str>,
) -> String {
    use chrono::Datelike;
    use std::fmt::Write as _;
    const TOKENS: [&str; 5] = [":year", ":month", ":day", ":slug", ":event"];
    let date = date.date();
    let mut expanded = String::with_capacity(template.len() + slug.len() + 8);
    let mut rest = template;
    while let Some(colon) = rest.find(':') {
        expanded.push_str(&rest[..colon]);
        rest = &rest[colon..];
        let Some(token) = TOKENS.into_iter().find(|token| rest.starts_with(token)) else {
            expanded.push(':');
            rest = &rest[1..];
            continue;
        };
        let _ = match token {
            ":year" => write!(expanded, "{:04}", date.year()),
            ":month" => write!(expanded, "{:02}", date.month()),
            ":day" => write!(expanded, "{:02}", date.day()),
            ":slug" => expanded.write_str(slug),
            _ => expanded.write_str(event.unwrap_or("")),
        };
        rest = &rest[token.len()..];
    }
    expanded.push_str(rest);
    normalize(&expanded)
}

/// Collapses empty segments and makes sure a directory path ends in `/`.
fn normalize(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut normal = format!("/{}", segments.join("/"));
    if !normal.ends_with(".html") && !normal.ends_with('/') {
        normal.push('/');
    }
    normal
}

/// The file a URL path is written to, relative to the output root.
pub(crate) fn output_file(path: &str) -> String {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

/// The folder of a page's URL path, where its bundle files go: "/2024/x/"
/// for "/2024/x/" and "/2024/03/" for "/2024/03/x.html".
pub(crate) fn page_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(index) => &path[..=index],
        None => "/",
    }
}

/// Checks an alias and returns its URL path, or what is wrong with it.
pub(crate) fn alias_path(alias: &str) -> Result<String, String> {
    if alias.contains("://") || alias.starts_with("//") {
        return Err(format!(
            "alias `{alias}` is a full URL; an alias is a path on this site such as \"/2024/03/old-post.html\""
        ));
    }
    if alias.contains('\\') {
        return Err(format!("alias `{alias}` contains a backslash"));
    }
    let segments: Vec<&str> = alias.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(format!("alias `{alias}` is the site root"));
    }
    if segments[0].starts_with(".recap-") {
        return Err(format!(
            "alias `{alias}` uses `{}`, a name recap keeps for its own bookkeeping in the output folder",
            segments[0]
        ));
    }
    if let Some(bad) = segments
        .iter()
        .find(|s| **s == ".." || **s == "." || s.contains(':') || s.contains('\0'))
    {
        return Err(format!(
            "alias `{alias}` has the segment `{bad}`, which would leave the output folder"
        ));
    }
    let mut path = format!("/{}", segments.join("/"));
    if !path.ends_with(".html") {
        path.push('/');
    }
    Ok(path)
}

/// The URL path of page `number` (1-based) of a paginated listing at `base`.
pub(crate) fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The places in a listing of `items` that its page `number` (1-based)
/// shows. Rendering and `recap serve`'s "which pages show this post" both
/// use it, so they cannot disagree.
pub(crate) fn page_range(items: usize, number: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = (number.saturating_sub(1) * per_page).min(items);
    start..(start + per_page).min(items)
}

/// The places in a list of `items` posts that its feed shows.
pub(crate) fn feed_range(items: usize, feed_limit: usize) -> std::ops::Range<usize> {
    0..items.min(feed_limit)
}

/// Number of pages needed for `items` at `per_page` (at least one page).
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The URL paths recap generates itself (not from a content file), with a
/// description for collision messages.
pub(crate) fn generated_paths(site: &Site) -> Vec<(String, PathBuf)> {
    let fixed = [
        ("/", "the home page"),
        ("/archive/", "the archive page"),
        ("/tags/", "the tags page"),
        ("/events/", "the events page"),
        ("/authors/", "the authors page"),
        ("/speakers/", "the speakers page"),
        ("/talks/", "the talks page"),
        ("/search/", "the search page"),
        ("/atom.xml", "the site feed"),
        ("/sitemap.xml", "the sitemap"),
        ("/search-index.json", "the search index"),
        ("/events/calendar.ics", "the events calendar"),
        ("/404.html", "the 404 page"),
        ("/page/1/", "the home page's pagination"),
    ];
    let mut paths: Vec<(String, PathBuf)> = fixed
        .iter()
        .map(|(path, what)| (path.to_string(), PathBuf::from(what)))
        .collect();
    for alias in &site.config.feed_aliases {
        paths.push((alias.clone(), PathBuf::from("a feed alias in config.toml")));
    }
    for number in 0..crate::render::search::body_file_count(site) {
        paths.push((
            format!("/{}", crate::render::search::body_file(number)),
            PathBuf::from("the search index"),
        ));
    }
    let per_page = site.config.posts_per_page;
    let listing = |base: String, what: String, posts: usize| {
        (1..=page_count(posts, per_page).max(2))
            .map(move |n| (page_path(&base, n), PathBuf::from(&what)))
    };
    paths.extend(listing(
        "/".into(),
        "the home page's pagination".into(),
        site.posts.len(),
    ));
    for tag in &site.tags {
        paths.extend(listing(
            tag.path(),
            format!("the page of tag `{}`", tag.name),
            tag.posts.len(),
        ));
    }
    for author in &site.authors {
        paths.extend(listing(
            author.path(),
            format!("the page of author `{}`", author.name),
            author.posts.len(),
        ));
    }
    for event in &site.events {
        paths.push((
            event.path(),
            PathBuf::from(format!("the page of event `{}`", event.name)),
        ));
    }
    for speaker in &site.speakers {
        paths.push((
            speaker.path(),
            PathBuf::from(format!("the page of speaker `{}`", speaker.name)),
        ));
    }
    paths
}

/// `url` (a site path or a relative one) from the page at `page`, as a
/// site path; None when it climbs above the root.
pub(crate) fn join(page: &str, url: &str) -> Option<String> {
    let base = if url.starts_with('/') {
        ""
    } else {
        &page[..page.rfind('/').map_or(0, |at| at + 1)]
    };
    let mut parts: Vec<&str> = Vec::new();
    let joined = format!("{base}{url}");
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let trailing = if joined.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("/{}{trailing}", parts.join("/")))
}

/// `%20` and its kin as the characters they stand for.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_permalink_tokens() {
        let date = Timestamp::parse("2024-03-05").unwrap();
        assert_eq!(post_path("/:year/:slug/", &date, "kc", None), "/2024/kc/");
        assert_eq!(
            post_path("/:year/:month/:day/:slug.html", &date, "kc", None),
            "/2024/03/05/kc.html"
        );
        assert_eq!(post_path("/:event/:slug", &date, "kc", None), "/kc/");
        assert_eq!(
            post_path("/:event/:slug", &date, "kc", Some("ev")),
            "/ev/kc/"
        );
    }

    #[test]
    fn confines_aliases() {
        assert_eq!(
            alias_path("/2024/03/old.html").unwrap(),
            "/2024/03/old.html"
        );
        assert_eq!(alias_path("old/path").unwrap(), "/old/path/");
        assert!(alias_path("/../../etc/passwd").is_err());
        assert!(alias_path("..\\x").is_err());
        assert!(alias_path("https://example.org/x").is_err());
        assert!(alias_path("C:/x").is_err());
    }

    #[test]
    fn joins_relative_links_to_the_page() {
        assert_eq!(join("/2024/x/", "img.png").unwrap(), "/2024/x/img.png");
        assert_eq!(join("/2024/x/", "../y/").unwrap(), "/2024/y/");
        assert_eq!(
            join("/2024/03/x.html", "y.html").unwrap(),
            "/2024/03/y.html"
        );
        assert_eq!(join("/2024/x/", "/tags/").unwrap(), "/tags/");
        assert_eq!(join("/", "../../etc").as_deref(), None);
        assert_eq!(percent_decode("/a%20b/%E2%9C%93"), "/a b/✓");
    }

    #[test]
    fn paginates() {
        assert_eq!(page_path("/tags/rust/", 1), "/tags/rust/");
        assert_eq!(page_path("/tags/rust/", 3), "/tags/rust/page/3/");
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(21, 10), 3);
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert_eq!(output_file("/a/b.html"), "a/b.html");
        assert_eq!(output_file("/"), "index.html");
    }
}
