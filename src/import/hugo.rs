//! `recap import hugo SRC [--into DIR] [--section NAME]`: a Hugo site's
//! posts section (single files and page bundles with their resources),
//! its top-level pages and its `static/` folder as recap content. Front
//! matter in YAML, TOML or JSON; every old URL (from `url`, the site's
//! `permalinks`, or Hugo's default) and every `aliases` entry kept as an
//! alias; shortcodes converted where recap has an equivalent
//! (src/import/shortcodes.rs) and reported where it has none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde_json::{Map, Value};

use super::{
    RECAP_SECTIONS, Report, SiteSettings, shortcodes, title_from_slug, toml_date, write_config,
};
use crate::content::date::Timestamp;
use crate::content::slugs;
use crate::diagnostics::Diagnostic;
use crate::scaffold::write_new;

/// Where Hugo looks for its configuration, in its order.
const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The sections blogs keep their posts in, tried in this order.
const POST_SECTIONS: [&str; 5] = ["posts", "post", "blog", "articles", "news"];

struct HugoConfig {
    /// The Hugo site's folder.
    root: PathBuf,
    site: SiteSettings,
    /// Section → pattern, e.g. "posts" → "/:year/:month/:title/".
    permalinks: BTreeMap<String, String>,
    ugly_urls: bool,
    /// Hugo lower-cases URL paths unless `disablePathToLower` is set.
    path_to_lower: bool,
    content_dir: PathBuf,
    static_dir: PathBuf,
    /// The languages of a multilingual site besides the default one:
    /// `about.sq.md` is a translation, and only the default language is
    /// imported.
    other_languages: BTreeSet<String>,
    /// Every language code of the site, the default one included.
    languages: BTreeSet<String>,
}

/// One Markdown file of the Hugo site, read.
struct HugoDoc {
    source: PathBuf,
    /// Relative to the content folder, with `/`: "posts/kubecon/index.md".
    relative: String,
    /// The folder of a page bundle (`index.md` and its resources).
    bundle: Option<PathBuf>,
    /// Front matter keys, lower-cased as Hugo reads them.
    front: Map<String, Value>,
    body: String,
    /// Lines before the body.
    front_lines: usize,
}

pub(crate) fn import_hugo(
    src: &Path,
    into: &Path,
    section: Option<&str>,
) -> Result<Report, Diagnostic> {
    let config = read_config(src)?;
    let section = find_section(&config, section)?;
    let mut report = Report::default();
    let (docs, translations) = read_section(&config, &section, &mut report)?;
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    let mut planned = Vec::new();
    for doc in docs {
        match plan_post(&doc, &config.languages) {
            Ok(plan) => {
                for key in ref_keys(&doc.relative) {
                    targets.insert(key, format!("@/posts/{}", plan.file));
                }
                planned.push((doc, plan));
            }
            Err(why) => report.skipped.push((display(&config, &doc), why)),
        }
    }
    redirect_translations(&config, &section, &translations, &mut planned, &mut report);
    let pages = read_pages(&config, &mut report)?;
    for page in &pages {
        for key in ref_keys(&page.relative) {
            targets.insert(key, format!("@/{}.md", page_slug(page, &config.languages)));
        }
    }
    let resolve = |target: &str| resolve_ref(&targets, target);
    for (doc, plan) in &planned {
        import_post(&config, &section, doc, plan, into, &resolve, &mut report)?;
    }
    for page in &pages {
        import_page(&config, page, into, &resolve, &mut report)?;
    }
    copy_static(&config, into, &mut report)?;
    // Hugo's RSS feeds: readers subscribed to them get recap's feed.
    let feeds = ["/index.xml".to_string(), format!("/{section}/index.xml")];
    let quoted: Vec<String> = feeds
        .iter()
        .map(|feed| toml::Value::from(feed.as_str()).to_string())
        .collect();
    let keys = [format!("feed_aliases = [{}]", quoted.join(", "))];
    report.config_hint = write_config(into, "Hugo", &config.site, &keys)?;
    Ok(report)
}

fn display(config: &HugoConfig, doc: &HugoDoc) -> PathBuf {
    Path::new(config.content_dir.file_name().unwrap_or_default()).join(&doc.relative)
}

/// The configuration file, or an error saying this is not a Hugo site.
fn read_config(src: &Path) -> Result<HugoConfig, Diagnostic> {
    let candidates = CONFIG_FILES.iter().map(|name| src.join(name)).chain(
        CONFIG_FILES
            .iter()
            .map(|name| src.join("config/_default").join(name)),
    );
    let Some(path) = candidates.into_iter().find(|path| path.is_file()) else {
        let hint = if src.join("_config.yml").is_file() {
            "this looks like a Jekyll site: recap import jekyll"
        } else {
            "point recap import hugo at the folder with hugo.toml (or config.toml, .yaml, .json)"
        };
        return Err(Diagnostic::error(
            src,
            format!(
                "{} is not a Hugo site: it has no hugo.toml or config.toml",
                src.display()
            ),
        )
        .help(hint));
    };
    let text = read_text(&path)?;
    let value = parse_data(&path, &text, format_of(&path))?;
    let config = lower_keys(value);
    let text_of = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_string)
    };
    let params = config.get("params");
    let permalinks = config
        .get("permalinks")
        .and_then(Value::as_object)
        .map(|table| {
            // Hugo 0.120 and later also nest them: [permalinks.page].
            let nested = table.get("page").and_then(Value::as_object);
            nested
                .unwrap_or(table)
                .iter()
                .filter_map(|(section, pattern)| {
                    Some((section.to_lowercase(), pattern.as_str()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    let site = SiteSettings {
        title: text_of(config.get("title")),
        description: text_of(params.and_then(|p| p.get("description")))
            .or_else(|| text_of(config.get("description"))),
        base_url: text_of(config.get("baseurl"))
            .filter(|url| url.contains("://"))
            .map(|url| url.trim_end_matches('/').to_string()),
        timezone: text_of(config.get("timezone"))
            .filter(|zone| crate::content::date::parse_zone(zone).is_ok()),
        language: text_of(config.get("languagecode"))
            .or_else(|| text_of(config.get("defaultcontentlanguage")))
            .and_then(|code| super::known_language(&code)),
    };
    let flag = |key: &str| config.get(key).and_then(Value::as_bool).unwrap_or(false);
    let default_language =
        text_of(config.get("defaultcontentlanguage")).unwrap_or_else(|| "en".into());
    let other_languages: BTreeSet<String> = config
        .get("languages")
        .and_then(Value::as_object)
        .map(|languages| {
            languages
                .keys()
                .filter(|code| **code != default_language.to_lowercase())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let folder = |key: &str, default: &str| {
        let name = match config.get(key) {
            Some(Value::String(name)) => name.clone(),
            Some(Value::Array(names)) => names
                .first()
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string(),
            _ => default.to_string(),
        };
        safe_join(src, &name)
    };
    Ok(HugoConfig {
        root: src.to_path_buf(),
        site,
        permalinks,
        ugly_urls: flag("uglyurls"),
        path_to_lower: !flag("disablepathtolower"),
        // A multilingual site may keep each language's content apart:
        // [languages.en] contentDir = "content/english".
        content_dir: match config
            .get("languages")
            .and_then(|languages| languages.get(default_language.to_lowercase()))
            .and_then(|language| text_of(language.get("contentdir")))
        {
            Some(dir) => safe_join(src, &dir)?,
            None => folder("contentdir", "content")?,
        },
        static_dir: folder("staticdir", "static")?,
        languages: other_languages
            .iter()
            .cloned()
            .chain([default_language.to_lowercase()])
            .collect(),
        other_languages,
    })
}

/// `src/name` when `name` stays inside `src`.
fn safe_join(src: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let relative = Path::new(name);
    let inside = relative.components().all(|part| {
        matches!(
            part,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if !inside {
        return Err(Diagnostic::error(
            src,
            format!("the Hugo configuration names the folder `{name}`, outside the site"),
        )
        .help("recap imports only from inside the Hugo site's folder"));
    }
    Ok(src.join(relative))
}

fn find_section(config: &HugoConfig, asked: Option<&str>) -> Result<String, Diagnostic> {
    let content = &config.content_dir;
    if let Some(section) = asked {
        let section = section.trim_matches('/');
        if content.join(section).is_dir() && safe_join(content, section).is_ok() {
            return Ok(section.to_string());
        }
        return Err(Diagnostic::error(
            content,
            format!("there is no section `{section}` in {}", content.display()),
        )
        .help(sections_help(content)));
    }
    POST_SECTIONS
        .iter()
        .find(|name| content.join(name).is_dir())
        .map(|name| name.to_string())
        .ok_or_else(|| {
            Diagnostic::error(
                content,
                format!(
                    "found no posts section ({}) in {}",
                    POST_SECTIONS.map(|name| format!("{name}/")).join(", "),
                    content.display()
                ),
            )
            .help(sections_help(content))
        })
}

fn sections_help(content: &Path) -> String {
    let sections: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if sections.is_empty() {
        "name the folder that holds the posts with --section".into()
    } else {
        format!(
            "name the one that holds the posts with --section; the site has: {}",
            sections.join(", ")
        )
    }
}

/// Every post of the section: single Markdown files, and page bundles
/// (a folder with `index.md`, whose other files are its resources).
/// The posts, and the translations of posts (with their language).
type Section = (Vec<HugoDoc>, Vec<(String, HugoDoc)>);

fn read_section(
    config: &HugoConfig,
    section: &str,
    report: &mut Report,
) -> Result<Section, Diagnostic> {
    let root = config.content_dir.join(section);
    let files = crate::content::files_under(&root)?;
    let bundles: BTreeSet<PathBuf> = files
        .iter()
        .filter(|(_, path)| is_index(path, "index", &config.languages))
        .filter_map(|(_, path)| path.parent().map(Path::to_path_buf))
        .collect();
    let mut docs = Vec::new();
    let mut translations = Vec::new();
    for (name, path) in files {
        let bundle = bundles.iter().find(|dir| path.starts_with(dir)).cloned();
        let markdown = is_markdown(&path);
        let is_post = match &bundle {
            Some(dir) => {
                path.parent() == Some(dir.as_path()) && is_index(&path, "index", &config.languages)
            }
            None => markdown && !is_index(&path, "_index", &config.languages),
        };
        let relative = format!("{section}/{name}");
        if markdown && let Some(language) = translation(config, &path) {
            if is_post {
                translations.push((language, read_doc(&path, relative, bundle)?));
            } else {
                let why = skipped_translation(&language);
                report
                    .skipped
                    .push((Path::new("content").join(&relative), why));
            }
            continue;
        }
        if is_post {
            docs.push(read_doc(&path, relative, bundle)?);
        }
    }
    Ok((docs, translations))
}

/// A translation is not imported; its old URL (`/sq/posts/x/`) becomes an
/// alias of the post in the default language, when there is one.
fn redirect_translations(
    config: &HugoConfig,
    section: &str,
    translations: &[(String, HugoDoc)],
    planned: &mut [(HugoDoc, Plan)],
    report: &mut Report,
) {
    for (language, doc) in translations {
        let shown = display(config, doc);
        let original = plan_post(doc, &config.languages).ok().and_then(|plan| {
            let (_, post) = planned
                .iter_mut()
                .find(|(_, post)| post.name == plan.name)?;
            let old = old_url(config, section, doc, &plan);
            post.aliases.push(format!("/{language}{old}"));
            Some(post.file.clone())
        });
        let why = match original {
            Some(file) => format!(
                "{}; its URL redirects to content/posts/{file}",
                skipped_translation(language)
            ),
            None => skipped_translation(language),
        };
        report.skipped.push((shown, why));
    }
}

fn skipped_translation(language: &str) -> String {
    format!("a translation ({language}): recap imports the site's default language")
}

/// Top-level pages (`content/about.md`), not the home page.
fn read_pages(config: &HugoConfig, report: &mut Report) -> Result<Vec<HugoDoc>, Diagnostic> {
    let mut pages = Vec::new();
    let Ok(entries) = std::fs::read_dir(&config.content_dir) else {
        return Ok(pages);
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        // A page linked to a file outside the Hugo site is not read.
        if !super::is_file_inside(&config.root, &path)
            || !is_markdown(&path)
            || is_index(&path, "_index", &config.languages)
            || name.starts_with('.')
        {
            continue;
        }
        match translation(config, &path) {
            Some(language) => report.skipped.push((
                Path::new("content").join(&name),
                skipped_translation(&language),
            )),
            None => pages.push(read_doc(&path, name, None)?),
        }
    }
    Ok(pages)
}

/// The language of `about.sq.md`, when it is a translation.
fn translation(config: &HugoConfig, path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().to_lowercase();
    let (_, language) = stem.rsplit_once('.')?;
    config
        .other_languages
        .contains(language)
        .then(|| language.to_string())
}

/// A file name without the suffix of one of the site's languages
/// (`kubecon.en`); `intro-to-vue.js` keeps its `.js`.
fn without_language<'n>(name: &'n str, languages: &BTreeSet<String>) -> &'n str {
    match name.rsplit_once('.') {
        Some((base, language)) if languages.contains(&language.to_lowercase()) => base,
        _ => name,
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "md" || ext == "markdown")
}

/// `index.md` (stem "index") or `_index.md` (stem "_index"), also with
/// a language (`index.en.md`).
fn is_index(path: &Path, stem: &str, languages: &BTreeSet<String>) -> bool {
    is_markdown(path)
        && path
            .file_stem()
            .is_some_and(|s| without_language(&s.to_string_lossy(), languages) == stem)
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Diagnostic::error(path, format!("cannot read: {err}")))?;
    // Files saved on Windows: a byte-order mark and CRLF line ends.
    Ok(text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n"))
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
    Json,
}

fn format_of(path: &Path) -> Format {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => Format::Toml,
    }
}

fn read_doc(path: &Path, relative: String, bundle: Option<PathBuf>) -> Result<HugoDoc, Diagnostic> {
    let text = read_text(path)?;
    let (front, body, front_lines) = split_front_matter(path, &text)?;
    Ok(HugoDoc {
        source: path.to_path_buf(),
        relative,
        bundle,
        front: match lower_keys(front) {
            Value::Object(map) => map,
            _ => Map::new(),
        },
        body: body.to_string(),
        front_lines,
    })
}

/// Front matter between `---` (YAML) or `+++` (TOML) lines, or a JSON
/// object at the top; the body after it.
fn split_front_matter<'t>(
    path: &Path,
    text: &'t str,
) -> Result<(Value, &'t str, usize), Diagnostic> {
    let fenced =
        |fence: &str, format: Format| -> Option<Result<(Value, &'t str, usize), Diagnostic>> {
            let rest = text.strip_prefix(fence)?.strip_prefix('\n')?;
            let close = format!("\n{fence}");
            let end = if rest.starts_with(fence) {
                0
            } else {
                rest.find(&close)? + 1
            };
            let front = &rest[..end];
            let after = &rest[end + fence.len()..];
            let body = after.strip_prefix('\n').unwrap_or(after);
            let lines = text[..text.len() - body.len()].matches('\n').count();
            // A line before it, so errors point at the file's own lines.
            let padded = format!("\n{front}");
            Some(parse_data(path, &padded, format).map(|value| (value, body, lines)))
        };
    if let Some(result) = fenced("---", Format::Yaml).or_else(|| fenced("+++", Format::Toml)) {
        return result;
    }
    if text.starts_with('{') {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return match values.next() {
            Some(Ok(value)) => {
                let body = text[values.byte_offset()..].trim_start_matches([' ', '\t', '\r', '\n']);
                let lines = text[..text.len() - body.len()].matches('\n').count();
                Ok((value, body, lines))
            }
            Some(Err(err)) => Err(Diagnostic::error(
                path,
                format!("the front matter is not valid JSON: {err}"),
            )
            .at(text, err.line(), err.column())),
            None => Ok((Value::Null, text, 0)),
        };
    }
    Ok((Value::Null, text, 0))
}

/// YAML, TOML or JSON text as a JSON value; an error at its line.
fn parse_data(path: &Path, text: &str, format: Format) -> Result<Value, Diagnostic> {
    let invalid = |what: &str, err: String, line: usize, column: usize| {
        Diagnostic::error(path, format!("not valid {what}: {err}"))
            .at(text, line, column)
            .help("fix it in the Hugo site (Hugo would not build it either), then import again")
    };
    match format {
        Format::Yaml if text.trim().is_empty() => Ok(Value::Null),
        Format::Yaml => serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
            .map(yaml_to_json)
            .map_err(|err| {
                let at = err.location();
                invalid(
                    "YAML",
                    err.to_string(),
                    at.as_ref().map_or(1, |at| at.line()),
                    at.as_ref().map_or(1, |at| at.column()),
                )
            }),
        Format::Toml => text
            .parse::<toml::Table>()
            .map(|table| toml_to_json(toml::Value::Table(table)))
            .map_err(|err| {
                let start = err.span().map_or(0, |span| span.start);
                let line = text[..start].matches('\n').count() + 1;
                let column = start - text[..start].rfind('\n').map_or(0, |at| at + 1) + 1;
                invalid("TOML", err.message().to_string(), line, column)
            }),
        Format::Json => serde_json::from_str(text)
            .map_err(|err| invalid("JSON", err.to_string(), err.line(), err.column())),
    }
}

fn yaml_to_json(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Yaml;
    match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => serde_json::to_value(number).unwrap_or(Value::Null),
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.into_iter()
                .filter_map(|(key, value)| {
                    let key = match key {
                        Yaml::String(key) => key,
                        Yaml::Number(number) => number.to_string(),
                        Yaml::Bool(flag) => flag.to_string(),
                        _ => return None,
                    };
                    Some((key, yaml_to_json(value)))
                })
                .collect(),
        ),
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::from(number),
        toml::Value::Float(number) => Value::from(number),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(date) => Value::String(date.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}

/// Hugo reads keys without regard to case (`baseURL`, `Title`).
fn lower_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key.to_lowercase(), lower_keys(value)))
                .collect(),
        ),
        other => other,
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A list of strings, also from one string.
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|item| text(Some(item))).collect(),
        Some(value) => text(Some(value)).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Where a post goes in recap and under which names.
struct Plan {
    /// "2024-03-20-kubecon.md" or "2024-03-20-kubecon/index.md".
    file: String,
    slug: String,
    date: Timestamp,
    /// Old URLs of its translations, redirected to it.
    aliases: Vec<String>,
    /// The Hugo file or bundle name: ":filename".
    name: String,
}

fn plan_post(doc: &HugoDoc, languages: &BTreeSet<String>) -> Result<Plan, String> {
    // A bundle's folder is its name as written; a file's name loses its
    // language suffix.
    let name = match &doc.bundle {
        Some(dir) => dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned()),
        None => doc
            .source
            .file_stem()
            .map(|stem| without_language(&stem.to_string_lossy(), languages).to_string()),
    }
    .unwrap_or_default();
    let (file_date, rest) = slugs::split_date_prefix(&name);
    let date = ["date", "publishdate", "lastmod"]
        .iter()
        .find_map(|key| text(doc.front.get(*key)))
        .and_then(|date| Timestamp::parse(&date).ok())
        .or(file_date.map(Timestamp::from_date))
        .ok_or("it has no date (recap needs one: add `date` to its front matter)")?;
    let slug = text(doc.front.get("slug"))
        .map(|slug| slugs::slugify(&slug))
        .filter(|slug| !slug.is_empty())
        .unwrap_or_else(|| slugs::slugify(rest));
    if slug.is_empty() {
        return Err(format!("its name `{name}` gives no usable slug"));
    }
    let stem = format!("{}-{slug}", date.ymd());
    let file = match doc.bundle {
        Some(_) => format!("{stem}/index.md"),
        None => format!("{stem}.md"),
    };
    Ok(Plan {
        file,
        slug,
        date,
        aliases: Vec::new(),
        name,
    })
}

#[allow(clippy::too_many_arguments)]
fn import_post(
    config: &HugoConfig,
    section: &str,
    doc: &HugoDoc,
    plan: &Plan,
    into: &Path,
    resolve: &dyn Fn(&str) -> Option<String>,
    report: &mut Report,
) -> Result<(), Diagnostic> {
    let relative = PathBuf::from(format!("content/posts/{}", plan.file));
    let target = into.join(&relative);
    let shown = display(config, doc);
    if target.exists() {
        let why = format!("{} already exists", relative.display());
        report.skipped.push((shown, why));
        return Ok(());
    }
    let converted = shortcodes::convert(&doc.body, resolve);
    let mut front = common_front(doc, report);
    let date = if plan.date.has_time() {
        plan.date.rfc3339()
    } else {
        plan.date.ymd()
    };
    front.insert("date".into(), toml_date(&date));
    if let Some(updated) = text(doc.front.get("lastmod")).and_then(|d| Timestamp::parse(&d).ok())
        && updated.date() > plan.date.date()
    {
        front.insert("updated".into(), toml_date(&updated.ymd()));
    }
    let mut tags = list(doc.front.get("tags"));
    tags.extend(list(doc.front.get("categories")));
    tags.dedup();
    if !tags.is_empty() {
        front.insert("tags".into(), tags.into());
    }
    let mut authors = list(doc.front.get("authors"));
    authors.extend(list(doc.front.get("author")));
    if !authors.is_empty() {
        front.insert("authors".into(), authors.into());
    }
    if let Some(image) = banner(doc) {
        front.insert("image".into(), image.into());
    }
    if !is_draft(doc) {
        let new_url = format!("/{}/{}/", plan.date.date().year(), plan.slug);
        let old = old_url(config, section, doc, plan);
        let mut aliases = aliases(doc, &old, &new_url);
        aliases.extend(plan.aliases.iter().cloned());
        if !aliases.is_empty() {
            *report
                .changes
                .entry("old Hugo URLs kept as aliases")
                .or_default() += 1;
            front.insert("aliases".into(), aliases.into());
        }
    }
    extra(doc, &mut front, report);
    let front = toml::to_string(&front).unwrap_or_default();
    write_new(&target, &format!("+++\n{front}+++\n{}", converted.text))?;
    if let Some(bundle) = &doc.bundle {
        let folder = target.parent().unwrap_or(into);
        copy_tree(
            &config.root,
            bundle,
            folder,
            &[doc.source.as_path()],
            report,
        )?;
    }
    record(&shown, doc, converted, report);
    report.converted.push(relative);
    Ok(())
}

/// What posts and pages share: title, description, draft.
fn common_front(doc: &HugoDoc, report: &mut Report) -> toml::Table {
    let mut front = toml::Table::new();
    let title = text(doc.front.get("title")).unwrap_or_else(|| {
        let stem = doc.source.file_stem().unwrap_or_default().to_string_lossy();
        title_from_slug(slugs::split_date_prefix(&stem).1)
    });
    front.insert("title".into(), title.into());
    if let Some(description) =
        text(doc.front.get("description")).or_else(|| text(doc.front.get("summary")))
    {
        front.insert("description".into(), description.into());
    }
    if is_draft(doc) {
        front.insert("draft".into(), true.into());
        *report.changes.entry("drafts kept as drafts").or_default() += 1;
    }
    front
}

fn is_draft(doc: &HugoDoc) -> bool {
    doc.front.get("draft").and_then(Value::as_bool) == Some(true)
}

/// The post's picture: `images[0]`, or what themes read (`image`,
/// `featured_image`, `cover.image`).
fn banner(doc: &HugoDoc) -> Option<String> {
    let front = &doc.front;
    list(front.get("images"))
        .into_iter()
        .next()
        .or_else(|| text(front.get("image")))
        .or_else(|| text(front.get("featured_image")))
        .or_else(|| text(front.get("featuredimage")))
        .or_else(|| text(front.get("cover").and_then(|cover| cover.get("image"))))
}

/// Front matter keys the import maps; the rest go under `[extra]`.
const MAPPED_KEYS: [&str; 20] = [
    "title",
    "date",
    "publishdate",
    "lastmod",
    "expirydate",
    "slug",
    "url",
    "aliases",
    "tags",
    "categories",
    "authors",
    "author",
    "draft",
    "description",
    "summary",
    "images",
    "image",
    "featured_image",
    "featuredimage",
    "cover",
];

fn extra(doc: &HugoDoc, front: &mut toml::Table, report: &mut Report) {
    let extra: toml::Table = doc
        .front
        .iter()
        .filter(|(key, _)| !MAPPED_KEYS.contains(&key.as_str()))
        .filter_map(|(key, value)| Some((key.clone(), json_to_toml(value)?)))
        .collect();
    super::keep_extra(front, extra, report);
}

/// JSON as TOML; None for null, which TOML cannot hold.
fn json_to_toml(value: &Value) -> Option<toml::Value> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(flag) => toml::Value::Boolean(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(integer) => toml::Value::Integer(integer),
            None => toml::Value::Float(number.as_f64()?),
        },
        Value::String(text) => toml::Value::String(text.clone()),
        Value::Array(items) => toml::Value::Array(items.iter().filter_map(json_to_toml).collect()),
        Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(key, value)| Some((key.clone(), json_to_toml(value)?)))
                .collect(),
        ),
    })
}

/// The URL Hugo gave the post: its `url`, the section's permalink
/// pattern, or `/<section>/<slug or file name>/`.
fn old_url(config: &HugoConfig, section: &str, doc: &HugoDoc, plan: &Plan) -> String {
    if let Some(url) = text(doc.front.get("url")) {
        return format!("/{}", url.trim_start_matches('/'));
    }
    let slug = text(doc.front.get("slug"));
    let title = text(doc.front.get("title")).unwrap_or_default();
    let date = plan.date.date();
    // Without a pattern, Hugo's URL follows the file's folders
    // (`posts/2024/kubecon.md` → `/posts/2024/kubecon/`).
    let pattern = config.permalinks.get(section).cloned().unwrap_or_else(|| {
        let last = if slug.is_some() { ":slug" } else { ":filename" };
        format!("/{}/{last}/", folder_of(doc))
    });
    let name = plan.name.as_str();
    let url = pattern
        // Longer tokens first: `:yearday` before `:year`.
        .replace(":yearday", &date.format("%j").to_string())
        .replace(":year", &date.format("%Y").to_string())
        .replace(":monthname", &date.format("%B").to_string().to_lowercase())
        .replace(":month", &date.format("%m").to_string())
        .replace(":day", &date.format("%d").to_string())
        .replace(":weekdayname", &date.format("%A").to_string())
        .replace(":weekday", &date.format("%w").to_string())
        .replace(":sections", section)
        .replace(":section", section)
        .replace(":slugorcontentbasename", slug.as_deref().unwrap_or(name))
        .replace(":slugorfilename", slug.as_deref().unwrap_or(name))
        .replace(":contentbasename", name)
        .replace(":filename", name)
        .replace(":slug", &slug.clone().unwrap_or_else(|| urlize(&title)))
        .replace(":title", &urlize(&title));
    let mut path = make_path(&url);
    if config.path_to_lower {
        path = path.to_lowercase();
    }
    let path = format!("/{}", path.trim_start_matches('/'));
    match (config.ugly_urls, path.ends_with('/')) {
        (true, true) if path.len() > 1 => format!("{}.html", path.trim_end_matches('/')),
        _ => path,
    }
}

/// The folders a post sits in under `content/` ("posts/2024"), its
/// bundle's folder left out.
fn folder_of(doc: &HugoDoc) -> String {
    let path = Path::new(&doc.relative);
    let parent = path.parent().unwrap_or(Path::new(""));
    let folder = if doc.bundle.is_some() {
        parent.parent().unwrap_or(Path::new(""))
    } else {
        parent
    };
    folder.to_string_lossy().replace('\\', "/")
}

/// Hugo's `urlize`: lower case, spaces to `-`, punctuation dropped.
fn urlize(text: &str) -> String {
    make_path(text).to_lowercase()
}

/// Hugo's path sanitising (`UnicodeSanitize`): letters, digits, marks
/// and `./\\_-#+~@` are kept (`%` before two hex digits too); a run of
/// spaces becomes one `-` before the next kept character, unless a `-` is
/// next to it; anything else is dropped.
fn make_path(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut path = String::with_capacity(text.len());
    let mut hyphen_due = false;
    let mut after_hyphen = false;
    for (index, &c) in chars.iter().enumerate() {
        let escape = c == '%'
            && chars.get(index + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(index + 2).is_some_and(char::is_ascii_hexdigit);
        if c.is_alphanumeric() || "./\\_#+~-@".contains(c) || escape {
            after_hyphen = c == '-';
            if hyphen_due && !after_hyphen {
                path.push('-');
            }
            hyphen_due = false;
            path.push(c);
        } else if c.is_whitespace() && !path.is_empty() {
            hyphen_due = !after_hyphen;
        }
    }
    path
}

/// The old URL and the post's `aliases` (relative ones resolved against
/// the old URL's folder), without the new URL and duplicates.
fn aliases(doc: &HugoDoc, old: &str, new_url: &str) -> Vec<String> {
    let folder = old.rsplit_once('/').map_or("", |(folder, _)| folder);
    let folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
    let mut aliases = vec![old.to_string()];
    for alias in list(doc.front.get("aliases")) {
        let alias = if alias.starts_with('/') {
            alias
        } else {
            format!("{folder}/{alias}")
        };
        aliases.push(alias);
    }
    // Hugo writes `/old` (no extension) as `/old/index.html`.
    let as_folder = |alias: String| {
        let last = alias.rsplit('/').next().unwrap_or("");
        if alias.ends_with('/') || last.contains('.') {
            alias
        } else {
            format!("{alias}/")
        }
    };
    let mut seen = BTreeSet::new();
    aliases
        .into_iter()
        .map(as_folder)
        .filter(|alias| alias != new_url && seen.insert(alias.clone()))
        .collect()
}

fn page_slug(page: &HugoDoc, languages: &BTreeSet<String>) -> String {
    let stem = page
        .source
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let stem = without_language(&stem, languages);
    text(page.front.get("slug"))
        .map(|slug| slugs::slugify(&slug))
        .unwrap_or_else(|| slugs::slugify(stem))
}

fn import_page(
    config: &HugoConfig,
    page: &HugoDoc,
    into: &Path,
    resolve: &dyn Fn(&str) -> Option<String>,
    report: &mut Report,
) -> Result<(), Diagnostic> {
    let slug = page_slug(page, &config.languages);
    let shown = display(config, page);
    if slug.is_empty() || RECAP_SECTIONS.contains(&slug.as_str()) {
        let why = format!("recap makes its own /{slug}/ page");
        report.skipped.push((shown, why));
        return Ok(());
    }
    let relative = PathBuf::from(format!("content/{slug}.md"));
    let target = into.join(&relative);
    if target.exists() {
        let why = format!("{} already exists", relative.display());
        report.skipped.push((shown, why));
        return Ok(());
    }
    let converted = shortcodes::convert(&page.body, resolve);
    let mut front = common_front(page, report);
    let stem = page
        .source
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let old = match text(page.front.get("url")) {
        Some(url) => format!("/{}", url.trim_start_matches('/')),
        None => {
            let name = text(page.front.get("slug")).unwrap_or_else(|| stem.to_string());
            let path = make_path(&name);
            let path = if config.path_to_lower {
                path.to_lowercase()
            } else {
                path
            };
            if config.ugly_urls {
                format!("/{path}.html")
            } else {
                format!("/{path}/")
            }
        }
    };
    let aliases = aliases(page, &old, &format!("/{slug}/"));
    if !aliases.is_empty() {
        front.insert("aliases".into(), aliases.into());
    }
    let front = toml::to_string(&front).unwrap_or_default();
    write_new(&target, &format!("+++\n{front}+++\n{}", converted.text))?;
    record(&shown, page, converted, report);
    report.pages.push(relative);
    Ok(())
}

/// Counts the conversion's changes and what it left, at lines of the
/// Hugo file.
fn record(shown: &Path, doc: &HugoDoc, converted: shortcodes::Converted, report: &mut Report) {
    for change in converted.changes {
        *report.changes.entry(change).or_default() += 1;
    }
    let at = |(line, text): &(usize, String)| {
        format!("{}:{}: {text}", shown.display(), line + doc.front_lines)
    };
    report.left.extend(converted.left.iter().map(at));
    report.review.extend(converted.review.iter().map(at));
}

/// Copies the files under `from` into `to`, keeping their relative paths,
/// except `skip`; never over an existing file.
fn copy_tree(
    src: &Path,
    from: &Path,
    to: &Path,
    skip: &[&Path],
    report: &mut Report,
) -> Result<(), Diagnostic> {
    for (name, path) in crate::content::files_under(from)? {
        // A bundle's other Markdown files are its translations or drafts,
        // not resources; and nothing comes from outside the Hugo site.
        if skip.contains(&path.as_path())
            || is_markdown(&path)
            || !super::is_file_inside(src, &path)
        {
            continue;
        }
        let target = to.join(&name);
        if super::copy_new(&path, &target)? {
            report.assets.push(target);
        } else {
            report
                .skipped
                .push((path.clone(), format!("{} already exists", target.display())));
        }
    }
    Ok(())
}

/// The Hugo site's `static/` into recap's `static/`.
fn copy_static(config: &HugoConfig, into: &Path, report: &mut Report) -> Result<(), Diagnostic> {
    copy_tree(
        &config.root,
        &config.static_dir,
        &into.join("static"),
        &[],
        report,
    )
}

/// Every way a `ref` may name the document at `relative`
/// ("posts/kubecon/index.md"): with and without the section, the
/// extension, `index.md` and a leading slash.
fn ref_keys(relative: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let without_ext = relative
        .trim_end_matches(".md")
        .trim_end_matches(".markdown");
    let bundle = without_ext.strip_suffix("/index");
    for path in [Some(relative), Some(without_ext), bundle]
        .into_iter()
        .flatten()
    {
        keys.push(path.to_string());
        if let Some((_, rest)) = path.split_once('/') {
            keys.push(rest.to_string());
        }
        if let Some(base) = path.rsplit('/').next() {
            keys.push(base.to_string());
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A `ref` target as a recap `@/` path, anchor kept.
fn resolve_ref(targets: &BTreeMap<String, String>, target: &str) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, format!("#{anchor}")),
        None => (target, String::new()),
    };
    let path = path.trim_start_matches('/').trim_end_matches('/');
    let path = path.strip_prefix("content/").unwrap_or(path);
    if path.is_empty() {
        return None;
    }
    targets.get(path).map(|found| format!("{found}{anchor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_paths_as_hugo_makes_them() {
        assert_eq!(
            urlize("Visiting FOSDEM - a review"),
            "visiting-fosdem-a-review"
        );
        assert_eq!(
            urlize("Visiting KubeCon & CloudNativeCon Europe 2023 – a review"),
            "visiting-kubecon-cloudnativecon-europe-2023-a-review"
        );
        assert_eq!(urlize("Graphr. - Visualizing RV"), "graphr.-visualizing-rv");
        assert_eq!(urlize("Michael Plöd über DDD"), "michael-plöd-über-ddd");
        assert_eq!(urlize("  100% C++ "), "100-c++");
    }
}
