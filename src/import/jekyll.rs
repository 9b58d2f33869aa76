//! `recap import jekyll SRC [--into DIR]`: a Jekyll site's `_posts/` and
//! `_drafts/`, and its own pages (`about.md`), as recap content, every old
//! URL kept as an alias, referenced assets copied into `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml_ng::Value as Yaml;

use crate::content::date::Timestamp;
use crate::content::slugs;
use crate::diagnostics::Diagnostic;
use crate::scaffold::write_new;

use super::{
    RECAP_SECTIONS, Report, SiteSettings, liquid, title_from_slug, toml_date, write_config,
};

/// One Jekyll post, read.
struct JekyllPost {
    source: PathBuf,
    /// "2023-05-10-devopsdays-amsterdam"
    stem: String,
    date: Option<Timestamp>,
    title_slug: String,
    /// The file name after its date, as written: Jekyll's `:title`, case
    /// and all ("SpringIO15-Autoconfig").
    file_title: String,
    front: serde_yaml_ng::Mapping,
    body: String,
    /// Lines before the body in the Jekyll file (front matter and fences).
    front_lines: usize,
    draft: bool,
    /// recap's file name without `.md` (`settle_names`).
    output: String,
    /// Whether its old URL becomes an alias: not when a newer post had
    /// the same URL (Jekyll served that one there).
    keeps_old_url: bool,
}

pub(crate) fn import_jekyll(
    src: &Path,
    into: &Path,
    today: chrono::NaiveDate,
) -> Result<Report, Diagnostic> {
    let config = read_config(src)?;
    let mut posts = read_posts(src, today)?;
    let mut report = Report::default();
    settle_names(&mut posts, &config, src, &mut report);
    let names: BTreeMap<String, String> = posts
        .iter()
        .map(|post| (post.stem.clone(), format!("@/posts/{}.md", post.output)))
        .collect();
    let post_path = |name: &str| names.get(name).cloned();
    let images = images_by_name(src)?;
    let asset_path = |name: &str| images.get(name).cloned().flatten();
    let lookups = liquid::Lookups {
        post_path: &post_path,
        asset_path: &asset_path,
    };
    for post in &posts {
        let converted = liquid::convert(&post.body, &lookups);
        let relative = PathBuf::from(format!("content/posts/{}.md", post.output));
        let display = post
            .source
            .strip_prefix(src)
            .unwrap_or(&post.source)
            .to_path_buf();
        let target = into.join(&relative);
        if target.exists() {
            report
                .skipped
                .push((display, format!("{} already exists", relative.display())));
            continue;
        }
        let front = front_matter(post, &config, (src, into), &mut report);
        write_new(&target, &format!("+++\n{front}+++\n{}", converted.text))?;
        for change in converted.changes {
            *report.changes.entry(change).or_default() += 1;
        }
        let offset = post.front_lines;
        report
            .left
            .extend(converted.left.iter().map(|(line, text)| {
                format!("{}:{}: {}", display.display(), line + offset, text.trim())
            }));
        report
            .assets
            .extend(copy_assets(src, into, &converted.text)?);
        report.converted.push(relative);
    }
    import_pages(src, into, &config, &lookups, &mut report)?;
    import_authors(src, into, &lookups, &mut report)?;
    let feed = toml::Value::from("/feed.xml").to_string();
    let keys: Vec<String> = config
        .feed
        .then(|| format!("feed_aliases = [{feed}]"))
        .into_iter()
        .collect();
    report.config_hint = write_config(into, "Jekyll", &config.site, &keys)?;
    Ok(report)
}

/// Image files of the Jekyll site by file name, with their site paths:
/// includes often get a bare name (`file="stage.jpg"`). None for a name
/// two files share.
fn images_by_name(src: &Path) -> Result<BTreeMap<String, Option<String>>, Diagnostic> {
    let mut images: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (relative, path) in crate::content::files_under(src)? {
        let skipped = !super::is_file_inside(src, &path)
            || relative.starts_with('_')
            || relative.starts_with('.')
            || relative.starts_with("node_modules/");
        let name = relative.rsplit('/').next().unwrap_or_default().to_string();
        let lower = name.to_ascii_lowercase();
        let image = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if skipped || !image {
            continue;
        }
        images
            .entry(name)
            .and_modify(|path| *path = None)
            .or_insert_with(|| Some(format!("/{relative}")));
    }
    Ok(images)
}

/// The site's own pages: Markdown files with front matter outside the
/// `_` folders, except the home page and the repository's own files.
fn import_pages(
    src: &Path,
    into: &Path,
    config: &JekyllConfig,
    lookups: &liquid::Lookups,
    report: &mut Report,
) -> Result<(), Diagnostic> {
    for (relative, path) in crate::content::files_under(src)? {
        if !super::is_file_inside(src, &path) {
            continue;
        }
        let Some(page) = read_page(&relative, &path) else {
            continue;
        };
        let display = PathBuf::from(&relative);
        let stem = Path::new(&relative)
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        let slug_path: Vec<String> = stem.split('/').map(slugs::slugify).collect();
        if slug_path
            .first()
            .is_some_and(|top| RECAP_SECTIONS.contains(&top.as_str()))
        {
            let why = format!("recap makes its own /{}/ page", slug_path.join("/"));
            report.skipped.push((display, why));
            continue;
        }
        let target_relative = PathBuf::from(format!("content/{}.md", slug_path.join("/")));
        let target = into.join(&target_relative);
        if target.exists() {
            let why = format!("{} already exists", target_relative.display());
            report.skipped.push((display, why));
            continue;
        }
        let converted = liquid::convert(&page.body, lookups);
        let new_url = format!("/{}/", slug_path.join("/"));
        let old_url = match page.front.get("permalink").and_then(yaml_text) {
            Some(permalink) => permalink,
            None if config.permalink == "pretty" => new_url.clone(),
            None => format!("/{stem}.html"),
        };
        let mut front = toml::Table::new();
        let title = page
            .front
            .get("title")
            .and_then(yaml_text)
            .unwrap_or_else(|| title_from_slug(slug_path.last().map_or("", String::as_str)));
        front.insert("title".into(), title.into());
        if let Some(description) = page.front.get("description").and_then(yaml_text) {
            front.insert("description".into(), description.into());
        }
        if page.front.get("published").and_then(Yaml::as_bool) == Some(false) {
            front.insert("draft".into(), true.into());
        }
        // `/about/index.html` is the page's own URL.
        if old_url != new_url && old_url != format!("{new_url}index.html") {
            front.insert("aliases".into(), vec![toml::Value::from(old_url)].into());
        }
        let front = toml::to_string(&front).unwrap_or_default();
        write_new(&target, &format!("+++\n{front}+++\n{}", converted.text))?;
        for change in converted.changes {
            *report.changes.entry(change).or_default() += 1;
        }
        let offset = page.front_lines;
        report.left.extend(
            converted
                .left
                .iter()
                .map(|(line, text)| format!("{relative}:{}: {}", line + offset, text.trim())),
        );
        report
            .assets
            .extend(copy_assets(src, into, &converted.text)?);
        report.pages.push(target_relative);
    }
    Ok(())
}

/// The links an author entry of `_data/authors.yml` may have, with the
/// name recap's author pages show.
const AUTHOR_LINKS: [(&str, &str); 9] = [
    ("url", "website"),
    ("web", "website"),
    ("website", "website"),
    ("github", "github"),
    ("twitter", "twitter"),
    ("linkedin", "linkedin"),
    ("mastodon", "mastodon"),
    ("bluesky", "bluesky"),
    ("email", "email"),
];

/// `_data/authors.yml` (the file many Jekyll themes read author names,
/// bios and avatars from) as `content/authors/<key>.md`, so a post's
/// `author: pieter_vincken` shows the name and bio.
fn import_authors(
    src: &Path,
    into: &Path,
    lookups: &liquid::Lookups,
    report: &mut Report,
) -> Result<(), Diagnostic> {
    let Some((file, text)) = ["_data/authors.yml", "_data/authors.yaml"]
        .iter()
        .filter(|name| super::is_file_inside(src, &src.join(name)))
        .find_map(|name| Some((*name, std::fs::read_to_string(src.join(name)).ok()?)))
    else {
        return Ok(());
    };
    let authors: Yaml = serde_yaml_ng::from_str(&text).map_err(|err| {
        Diagnostic::error(src.join(file), format!("not valid YAML: {err}"))
            .help("fix it in the Jekyll site, then import again")
    })?;
    // A map by key (`jdoe: {name: …}`), or a list of entries with an `id`.
    let entries: Vec<(String, &Yaml)> = match &authors {
        Yaml::Mapping(map) => map
            .iter()
            .filter_map(|(key, entry)| Some((yaml_text(key)?, entry)))
            .collect(),
        Yaml::Sequence(list) => list
            .iter()
            .filter_map(|entry| {
                let key = ["id", "key", "username", "name"]
                    .iter()
                    .find_map(|field| entry.get(*field).and_then(yaml_text))?;
                Some((key, entry))
            })
            .collect(),
        _ => Vec::new(),
    };
    for (key, entry) in entries {
        let slug = slugs::slugify(&key);
        if slug.is_empty() {
            continue;
        }
        let relative = PathBuf::from(format!("content/authors/{slug}.md"));
        let target = into.join(&relative);
        if target.exists() {
            let why = format!("{} already exists", relative.display());
            report.skipped.push((PathBuf::from(file), why));
            continue;
        }
        let field = |name: &str| {
            entry
                .get(name)
                .and_then(yaml_text)
                .filter(|v| !v.is_empty())
        };
        let mut front = toml::Table::new();
        let name = field("full_name")
            .or_else(|| field("name"))
            .or_else(|| field("display_name"))
            .unwrap_or_else(|| title_from_slug(&slug));
        front.insert("name".into(), name.into());
        if let Some(bio) = field("bio").or_else(|| field("description")) {
            front.insert("bio".into(), bio.into());
        }
        if let Some(avatar) = field("avatar")
            .or_else(|| field("image"))
            .or_else(|| field("picture"))
        {
            let avatar = if avatar.contains("://") || avatar.starts_with('/') {
                avatar
            } else {
                (lookups.asset_path)(&avatar).unwrap_or_else(|| format!("/{avatar}"))
            };
            report
                .assets
                .extend(copy_assets(src, into, &format!("![]({avatar})"))?);
            front.insert("avatar".into(), avatar.into());
        }
        let mut links = toml::Table::new();
        for (key, shown) in AUTHOR_LINKS {
            if let Some(value) = field(key) {
                let url = match key {
                    "github" if !value.contains("://") => format!("https://github.com/{value}"),
                    "twitter" if !value.contains("://") => {
                        format!("https://twitter.com/{}", value.trim_start_matches('@'))
                    }
                    "email" => format!("mailto:{value}"),
                    _ => value,
                };
                links.entry(shown.to_string()).or_insert(url.into());
            }
        }
        if !links.is_empty() {
            front.insert("links".into(), links.into());
        }
        let front = toml::to_string(&front).unwrap_or_default();
        write_new(&target, &format!("+++\n{front}+++\n"))?;
        report.authors.push(relative);
    }
    Ok(())
}

/// A Jekyll page.
struct JekyllPage {
    front: serde_yaml_ng::Mapping,
    body: String,
    /// Lines before the body.
    front_lines: usize,
}

/// `relative` (a path under the Jekyll site) as a page, when Jekyll would
/// make it one: Markdown with front matter, outside `_` and hidden folders,
/// not the home page, a README or a licence.
fn read_page(relative: &str, path: &Path) -> Option<JekyllPage> {
    let parts: Vec<&str> = relative.split('/').collect();
    let in_special_folder = parts[..parts.len() - 1]
        .iter()
        .any(|part| part.starts_with(['_', '.']) || *part == "node_modules" || *part == "vendor");
    let name = parts.last()?.to_ascii_lowercase();
    let is_markdown = name.ends_with(".md") || name.ends_with(".markdown");
    let stem = name.split('.').next().unwrap_or_default();
    let not_a_page = [
        "index",
        "readme",
        "license",
        "licence",
        "changelog",
        "contributing",
        "code_of_conduct",
    ];
    if in_special_folder || !is_markdown || not_a_page.contains(&stem) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let (front, body) = split_front_matter(&text)?;
    let body = body.trim_start_matches('\n');
    Some(JekyllPage {
        front: serde_yaml_ng::from_str(front).unwrap_or_default(),
        body: body.to_string(),
        front_lines: lines_before(&text, body),
    })
}

struct JekyllConfig {
    permalink: String,
    /// jekyll-feed wrote /feed.xml.
    feed: bool,
    /// Keys of _config.yml that become keys of a new config.toml.
    site: SiteSettings,
}

fn read_config(src: &Path) -> Result<JekyllConfig, Diagnostic> {
    if !src.join("_posts").is_dir() {
        return Err(
            Diagnostic::error(src, format!("{} has no _posts folder", src.display()))
                .help("point recap import jekyll at the root of a Jekyll site"),
        );
    }
    let text = std::fs::read_to_string(src.join("_config.yml")).unwrap_or_default();
    let yaml: Yaml = serde_yaml_ng::from_str(&text).unwrap_or(Yaml::Null);
    let permalink = yaml
        .get("permalink")
        .and_then(Yaml::as_str)
        .unwrap_or("date")
        .to_string();
    let text_of = |key: &str| {
        yaml.get(key)
            .and_then(yaml_text)
            .filter(|v| !v.trim().is_empty())
    };
    let base_url = text_of("url").map(|url| {
        let base = text_of("baseurl").unwrap_or_default();
        format!("{}/{}", url.trim_end_matches('/'), base.trim_matches('/'))
            .trim_end_matches('/')
            .to_string()
    });
    let plugins = ["plugins", "gems"].iter().any(|key| match yaml.get(*key) {
        Some(Yaml::Sequence(items)) => items
            .iter()
            .any(|item| item.as_str() == Some("jekyll-feed")),
        _ => false,
    });
    let gemfile = std::fs::read_to_string(src.join("Gemfile")).unwrap_or_default();
    let site = SiteSettings {
        title: text_of("title"),
        description: text_of("description"),
        base_url,
        timezone: text_of("timezone").filter(|zone| crate::content::date::parse_zone(zone).is_ok()),
        language: text_of("lang")
            .or_else(|| text_of("locale"))
            .and_then(|code| super::known_language(&code)),
    };
    let feed = plugins || gemfile.contains("jekyll-feed") || yaml.get("feed").is_some();
    Ok(JekyllConfig {
        permalink,
        feed,
        site,
    })
}

fn read_posts(src: &Path, today: chrono::NaiveDate) -> Result<Vec<JekyllPost>, Diagnostic> {
    let mut posts = Vec::new();
    for (folder, draft) in [("_posts", false), ("_drafts", true)] {
        for (_, path) in crate::content::files_under(&src.join(folder))? {
            let is_markdown = path
                .extension()
                .is_some_and(|ext| ext == "md" || ext == "markdown");
            if is_markdown {
                posts.push(read_post(&path, draft, today)?);
            }
        }
    }
    Ok(posts)
}

fn read_post(path: &Path, draft: bool, today: chrono::NaiveDate) -> Result<JekyllPost, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Diagnostic::error(path, format!("cannot read: {err}")))?;
    // Files saved on Windows: a byte-order mark and CRLF line ends.
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let (front_text, body) = match split_front_matter(&text) {
        Some((front, body)) => (front, body.strip_prefix('\n').unwrap_or(body)),
        None => ("", text.as_str()),
    };
    let front: serde_yaml_ng::Mapping = if front_text.trim().is_empty() {
        serde_yaml_ng::Mapping::new()
    } else {
        serde_yaml_ng::from_str(front_text).map_err(|err| {
            let line = err.location().map_or(1, |at| at.line() + 1);
            Diagnostic::error(path, format!("the front matter is not valid YAML: {err}"))
                .at(&text, line, err.location().map_or(1, |at| at.column()))
                .help("fix it in the Jekyll post (Jekyll itself would skip this post's front matter), then import again")
        })?
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (file_date, rest) = date_prefix(&stem);
    let front_date = front
        .get("date")
        .and_then(yaml_text)
        .and_then(|d| Timestamp::parse(&d).ok());
    let date = front_date
        .or(file_date.map(Timestamp::from_date))
        .or(draft.then(|| Timestamp::from_date(today)));
    Ok(JekyllPost {
        source: path.to_path_buf(),
        title_slug: slugs::slugify(rest),
        file_title: rest.replace(' ', "-"),
        stem,
        date,
        front,
        front_lines: lines_before(&text, body),
        body: body.to_string(),
        draft,
        output: String::new(),
        keeps_old_url: true,
    })
}

impl JekyllPost {
    fn get(&self, key: &str) -> Option<&Yaml> {
        self.front.get(key)
    }

    fn list(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Yaml::Sequence(items)) => items.iter().filter_map(yaml_text).collect(),
            Some(Yaml::String(text)) => text.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    }
}

/// Jekyll's file name date, `2015-12-9-name` as well as `2015-12-09-name`,
/// and the rest of the name.
fn date_prefix(stem: &str) -> (Option<chrono::NaiveDate>, &str) {
    let mut parts = stem.splitn(4, '-');
    let (Some(year), Some(month), Some(day), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (None, stem);
    };
    let digits = |part: &str, most: usize| {
        (1..=most).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if year.len() != 4 || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return (None, stem);
    }
    let date = chrono::NaiveDate::from_ymd_opt(
        year.parse().unwrap_or(0),
        month.parse().unwrap_or(0),
        day.parse().unwrap_or(0),
    );
    match date {
        Some(date) => (Some(date), rest),
        None => (None, stem),
    }
}

/// `&#58;`, `&#x2011;`, `&amp;` and the other entities of HTML's own
/// characters as the characters they stand for.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|end| *end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Gives each post its recap file name and decides who keeps an old URL
/// two posts share. Newest first: two posts of a year with the same name
/// would get the same recap URL, so the older one's name gets `-2`; of two
/// posts Jekyll wrote to the same URL, the newer one (the one Jekyll left
/// there) keeps it as an alias.
fn settle_names(posts: &mut [JekyllPost], config: &JekyllConfig, src: &Path, report: &mut Report) {
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(posts[index].date.map(|date| date.rfc3339())));
    let mut taken = std::collections::HashSet::new();
    let mut old_urls = std::collections::HashSet::new();
    for index in order {
        let post = &mut posts[index];
        let year = post.date.map(|date| date.year());
        let mut slug = post.title_slug.clone();
        let mut n = 2;
        while !taken.insert((year, slug.clone())) {
            slug = format!("{}-{n}", post.title_slug);
            n += 1;
        }
        let shown = post
            .source
            .strip_prefix(src)
            .unwrap_or(&post.source)
            .display()
            .to_string();
        if slug != post.title_slug {
            report.review.push(format!(
                "{shown}: named {slug}, as a newer post of the same year is named {}",
                post.title_slug
            ));
        }
        post.output = match post.date {
            Some(date) => format!("{}-{slug}", date.ymd()),
            None => slug,
        };
        let old = old_url(post, config, &categories(post));
        post.keeps_old_url = old_urls.insert(old.clone());
        if !post.keeps_old_url && !post.draft {
            report.review.push(format!(
                "{shown}: its old URL {old} is not kept: a newer post had the same URL, and Jekyll served that one there"
            ));
        }
    }
}

fn yaml_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) => Some(text.clone()),
        Yaml::Number(number) => Some(number.to_string()),
        Yaml::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

const MAPPED_KEYS: [&str; 14] = [
    "event",
    "title",
    "date",
    "tags",
    "tag",
    "categories",
    "category",
    "author",
    "authors",
    "image",
    "excerpt",
    "description",
    "published",
    "permalink",
];

/// The TOML front matter of the converted post.
fn front_matter(
    post: &JekyllPost,
    config: &JekyllConfig,
    (src, into): (&Path, &Path),
    report: &mut Report,
) -> String {
    let mut front = toml::Table::new();
    // Jekyll prints titles as HTML: `Mini rant&#58; V for Viable`.
    let title = post
        .get("title")
        .and_then(yaml_text)
        .map(|title| decode_entities(&title))
        .unwrap_or_else(|| title_from_slug(&post.title_slug));
    front.insert("title".into(), title.into());
    if let Some(date) = post.date {
        let value = if date.has_time() {
            date.rfc3339()
        } else {
            date.ymd()
        };
        front.insert("date".into(), toml_date(&value));
    }
    if let Some(description) = post
        .get("excerpt")
        .or_else(|| post.get("description"))
        .and_then(yaml_text)
        .map(|text| decode_entities(&text))
    {
        front.insert("description".into(), description.into());
    }
    let mut tags = post.list("tags");
    tags.extend(post.list("tag"));
    let categories = categories(post);
    tags.extend(categories.iter().cloned());
    // "IoT, Cloud" written as a string splits into "IoT," and "Cloud".
    let mut tags: Vec<String> = tags
        .into_iter()
        .map(|tag| tag.trim_matches([',', ';', ' ']).to_string())
        .filter(|tag| !tag.is_empty())
        .collect();
    tags.dedup();
    if !tags.is_empty() {
        front.insert("tags".into(), tags.into());
    }
    let mut authors = post.list("authors");
    match post.get("author") {
        Some(Yaml::Sequence(items)) => authors.extend(items.iter().filter_map(yaml_text)),
        Some(author) => authors.extend(yaml_text(author)),
        None => {}
    }
    if !authors.is_empty() {
        front.insert("authors".into(), authors.into());
    }
    if let Some(image) = post
        .get("image")
        .and_then(|i| yaml_text(i).or_else(|| i.get("path").and_then(yaml_text)))
    {
        // A banner in the Jekyll site comes along into static/.
        let local = !image.contains("://") && !image.starts_with("//");
        let image = if local && !image.starts_with('/') {
            format!("/{image}")
        } else {
            image
        };
        if local && let Ok(copied) = copy_assets(src, into, &format!("![]({image})")) {
            report.assets.extend(copied);
        }
        front.insert("image".into(), image.into());
    }
    // `event: Fullstack 2016`, as themes of talk and conference posts
    // write it: the recap's event.
    if let Some(event) = post.get("event").and_then(yaml_text) {
        let slug = slugs::slugify(&event);
        if !slug.is_empty() {
            front.insert("event".into(), slug.into());
        }
    }
    let unpublished = post.get("published").and_then(Yaml::as_bool) == Some(false);
    if post.draft || unpublished {
        front.insert("draft".into(), true.into());
    }
    if !post.draft && post.keeps_old_url {
        let old = old_url(post, config, &categories);
        front.insert("aliases".into(), vec![old].into());
        *report
            .changes
            .entry("old Jekyll URL kept as an alias")
            .or_default() += 1;
    }
    let extra: toml::Table = post
        .front
        .iter()
        .filter_map(|(key, value)| {
            let key = key.as_str()?;
            if MAPPED_KEYS.contains(&key) {
                return None;
            }
            Some((key.to_string(), toml::Value::try_from(value).ok()?))
        })
        .collect();
    super::keep_extra(&mut front, extra, report);
    toml::to_string(&front).unwrap_or_default()
}

/// The post's categories as Jekyll reads them: `categories` is a list or
/// a string of space-separated names, `category` is one name, spaces and
/// all (`category: domain-driven design`).
fn categories(post: &JekyllPost) -> Vec<String> {
    let mut categories = post.list("categories");
    match post.get("category") {
        Some(Yaml::Sequence(items)) => categories.extend(items.iter().filter_map(yaml_text)),
        Some(name) => categories.extend(yaml_text(name)),
        None => {}
    }
    categories
}

/// Lines of `text` before `body`, a slice at its end.
fn lines_before(text: &str, body: &str) -> usize {
    text[..text.len() - body.len()].matches('\n').count()
}

/// Jekyll's front matter: from a first line `---` to the next line `---`
/// (or `...`), trailing spaces allowed on both: (front matter, body).
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// The URL Jekyll gave the post: its `permalink`, or the site's style.
fn old_url(post: &JekyllPost, config: &JekyllConfig, categories: &[String]) -> String {
    let pattern = post
        .get("permalink")
        .and_then(yaml_text)
        .unwrap_or_else(|| match config.permalink.as_str() {
            "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
            "pretty" => "/:categories/:year/:month/:day/:title/".into(),
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
            "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
            "none" => "/:categories/:title:output_ext".into(),
            custom => custom.to_string(),
        });
    let date = post.date.map(|d| d.date()).unwrap_or_default();
    // Jekyll lower-cases categories and keeps their spaces (served as
    // %20), and keeps the case of the file name in `:title`.
    let categories: Vec<String> = categories.iter().map(|c| c.to_lowercase()).collect();
    let title = post
        .get("slug")
        .and_then(yaml_text)
        .unwrap_or_else(|| post.file_title.clone());
    let url = pattern
        .replace(":categories", &categories.join("/"))
        .replace(":year", &date.format("%Y").to_string())
        .replace(":month", &date.format("%m").to_string())
        .replace(":day", &date.format("%d").to_string())
        .replace(":i_month", &date.format("%-m").to_string())
        .replace(":i_day", &date.format("%-d").to_string())
        .replace(":short_year", &date.format("%y").to_string())
        .replace(":y_day", &date.format("%j").to_string())
        .replace(":title", &title)
        .replace(":slug", &title)
        .replace(":output_ext", ".html");
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = if url.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", segments.join("/"))
}

/// Copies files under the Jekyll root that the body links to by
/// site-absolute path (`/assets/img/x.png`) into `static/`.
fn copy_assets(src: &Path, into: &Path, body: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut copied = Vec::new();
    // Markdown links and images, and raw HTML `src`, `href` and `srcset`.
    let starts = [
        "](/",
        "src=\"/",
        "href=\"/",
        "srcset=\"/",
        "src='/",
        "href='/",
    ];
    let mut found: Vec<&str> = Vec::new();
    for start in starts {
        for (index, _) in body.match_indices(start) {
            let rest = &body[index + start.len()..];
            let end = rest
                .find([')', ' ', '"', '\'', '#', '?', ','])
                .unwrap_or(rest.len());
            found.push(&rest[..end]);
        }
    }
    for written in found {
        let relative = crate::site::urls::percent_decode(written);
        let inside = Path::new(relative.as_str())
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !inside || relative.is_empty() {
            continue;
        }
        let from = src.join(relative.as_str());
        let to = into.join("static").join(relative.as_str());
        // Only files of the Jekyll site itself, links followed: never one
        // a link leads to from outside it.
        if super::is_file_inside(src, &from) && super::copy_new(&from, &to)? {
            copied.push(to);
        }
    }
    Ok(copied)
}
