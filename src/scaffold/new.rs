//! `recap new post` and `recap new event`: a file from an archetype (the
//! site's `archetypes/post.md` or `archetypes/event.md`, else the built-in
//! one), dated today, named from the title's slug.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::write_new;
use crate::content::date::Timestamp;
use crate::content::{self, slugs};
use crate::diagnostics::{Diagnostic, suggest};

const ARCHETYPES_DIR: &str = "archetypes";
const BUILTIN_POST: &str = include_str!("../../archetypes/post.md");
const BUILTIN_EVENT: &str = include_str!("../../archetypes/event.md");

pub(crate) struct NewPost {
    pub title: String,
    pub event: Option<String>,
}

pub(crate) struct NewEvent {
    pub name: String,
    pub start: String,
    pub end: Option<String>,
    pub location: Option<String>,
    pub kind: Option<String>,
    pub website: Option<String>,
    pub timezone: Option<String>,
    pub booth: Option<String>,
}

const EVENT_KINDS: [&str; 5] = ["conference", "hackathon", "meetup", "workshop", "other"];

/// Writes `content/posts/YYYY-MM-DD-<slug>.md`; returns its path.
pub(crate) fn new_post(
    root: &Path,
    post: &NewPost,
    today: chrono::NaiveDate,
) -> Result<PathBuf, Diagnostic> {
    let slug = slug_of(&post.title, "title")?;
    if let Some(event) = &post.event {
        check_event_exists(root, event)?;
    }
    let relative = format!("content/posts/{}-{slug}.md", today.format("%Y-%m-%d"));
    let mut context = tera::Context::new();
    context.insert("title", &post.title);
    context.insert("date", &today.format("%Y-%m-%d").to_string());
    context.insert("event", &post.event);
    context.insert("slug", &slug);
    let text = render_archetype(root, "post.md", BUILTIN_POST, &context)?;
    write_new(&root.join(&relative), &text)?;
    Ok(PathBuf::from(relative))
}

/// Writes `content/events/<slug>.md`; returns its path.
pub(crate) fn new_event(root: &Path, event: &NewEvent) -> Result<PathBuf, Diagnostic> {
    let slug = slug_of(&event.name, "name")?;
    let start = parse_date(&event.start, "--start")?;
    let end = event
        .end
        .as_deref()
        .map(|end| parse_date(end, "--end"))
        .transpose()?;
    if let Some(end) = end
        && end.date() < start.date()
    {
        return Err(Diagnostic::error(
            "--end",
            format!(
                "the event ends ({}) before it starts ({})",
                end.ymd(),
                start.ymd()
            ),
        )
        .help("--end must be on or after --start"));
    }
    let kind = event.kind.as_deref().unwrap_or("conference");
    if !EVENT_KINDS.contains(&kind) {
        let mut help = format!("kinds: {}", EVENT_KINDS.join(", "));
        if let Some(near) = suggest(kind, EVENT_KINDS) {
            help = format!("did you mean `{near}`? {help}");
        }
        return Err(Diagnostic::error("--kind", format!("unknown event kind `{kind}`")).help(help));
    }
    if let Some(scheme) = event
        .website
        .as_deref()
        .and_then(crate::url_safety::unsafe_scheme)
    {
        let website = event.website.as_deref().unwrap_or_default();
        return Err(
            Diagnostic::error("--website", crate::url_safety::refusal(website, &scheme))
                .help(crate::url_safety::HELP),
        );
    }
    if let Some(Err(problem)) = event.timezone.as_deref().map(content::date::parse_zone) {
        return Err(Diagnostic::error("--timezone", problem).help(content::date::ZONE_HELP));
    }
    let relative = format!("content/events/{slug}.md");
    let mut context = tera::Context::new();
    context.insert("name", &event.name);
    context.insert("start", &start.ymd());
    context.insert("end", &end.map(|end| end.ymd()));
    context.insert("location", &event.location);
    context.insert("kind", kind);
    context.insert("website", &event.website);
    context.insert("timezone", &event.timezone);
    context.insert("booth", &event.booth);
    context.insert("slug", &slug);
    let text = render_archetype(root, "event.md", BUILTIN_EVENT, &context)?;
    write_new(&root.join(&relative), &text)?;
    Ok(PathBuf::from(relative))
}

fn slug_of(text: &str, what: &str) -> Result<String, Diagnostic> {
    let slug = slugs::slugify(text);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            what,
            format!("the {what} `{text}` has no letters or digits to make a file name from"),
        ));
    }
    Ok(slug)
}

fn parse_date(text: &str, flag: &str) -> Result<Timestamp, Diagnostic> {
    Timestamp::parse(text)
        .map_err(|problem| Diagnostic::error(flag, problem).help("e.g. --start 2025-03-19"))
}

/// An `--event` must name a known event: an events/ file, or an event some
/// post already names. Otherwise suggest the nearest.
fn check_event_exists(root: &Path, event: &str) -> Result<(), Diagnostic> {
    let content = content::load(root).map_err(|mut errors| errors.remove(0))?;
    let mut known: Vec<String> = content
        .events
        .iter()
        .map(|(slug, _)| slug.clone())
        .collect();
    known.extend(
        content
            .posts
            .iter()
            .filter_map(|post| post.doc.front.event.as_deref().map(slugs::slugify)),
    );
    known.sort();
    known.dedup();
    let wanted = slugs::slugify(event);
    let names = content
        .events
        .iter()
        .map(|(_, doc)| slugs::slugify(&doc.front.name));
    if known.contains(&wanted) || names.into_iter().any(|name| name == wanted) {
        return Ok(());
    }
    let mut help = match suggest(event, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    if known.is_empty() {
        help.push_str(
            "there are no events yet: create one with recap new event \"Name\" --start YYYY-MM-DD",
        );
    } else {
        help.push_str(&format!("known events: {}", known.join(", ")));
    }
    Err(Diagnostic::error("--event", format!("no event `{event}` in this site")).help(help))
}

/// The site's archetype `name` if it has one, else the built-in one.
fn render_archetype(
    root: &Path,
    name: &str,
    builtin: &str,
    context: &tera::Context,
) -> Result<String, Diagnostic> {
    let site_archetype = root.join(ARCHETYPES_DIR).join(name);
    let (shown, text) = match std::fs::read_to_string(&site_archetype) {
        Ok(text) => (Path::new(ARCHETYPES_DIR).join(name), text),
        Err(_) => (
            PathBuf::from(format!("(built-in) archetypes/{name}")),
            builtin.to_string(),
        ),
    };
    let mut tera = tera::Tera::default();
    tera.register_filter("quoted", quoted);
    tera.add_raw_template(name, &text)
        .and_then(|_| tera.render(name, context))
        .map_err(|err| {
            let detail = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": ");
            Diagnostic::error(shown, format!("archetype `{name}` failed: {detail}"))
                .help("archetypes are Tera templates; they receive title, date, event and slug (posts) or name, start, end, location and slug (events)")
        })
}

/// `{{ title | quoted }}`: a TOML basic string.
fn quoted(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value.as_str().unwrap_or_default();
    Ok(Value::String(
        toml::Value::String(text.to_string()).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_makes_toml_strings() {
        let value = quoted(&Value::String("Say \"hi\"".into()), &HashMap::new()).unwrap();
        let parsed: toml::Table =
            toml::from_str(&format!("t = {}", value.as_str().unwrap())).unwrap();
        assert_eq!(parsed["t"].as_str(), Some("Say \"hi\""));
    }
}
