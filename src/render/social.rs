//! Social cards: the picture a post or event without an image of its own
//! shows when it is shared (Open Graph, 1200 x 630 PNG). The theme's
//! `social-card.svg` template (a site may write its own) is filled in and
//! drawn with resvg, with the Lato fonts embedded in the binary, so a card
//! is the same on every machine. Builds keep drawn cards in the cache
//! folder (`social-cards/`, keyed by the SVG), so an unchanged card is
//! never drawn twice.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use serde_json::json;
use tera::Context;

use super::Renderer;
use crate::diagnostics::Diagnostic;
use crate::site::{Event, EventId, Post, PostId, Site};

pub(crate) const CARD_TEMPLATE: &str = "social-card.svg";
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// The theme's accent colour, for the built-in card.
const ACCENT: &str = "#b4451f";
/// Characters on one line of the title at its size on the card.
const LINE_LENGTH: usize = 30;
const MAX_LINES: usize = 3;

/// What a card is for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CardOf {
    Post(PostId),
    Event(EventId),
}

/// The card's path on the site, when the post gets one: `social_cards`
/// on and no `image` of its own.
pub(crate) fn post_card_path(site: &Site, id: PostId) -> Option<String> {
    post_card(site, &site.posts[id])
}

pub(crate) fn post_card(site: &Site, post: &Post) -> Option<String> {
    (site.config.social_cards && post.source.doc.front.image.is_none()).then(|| {
        format!(
            "/social-cards/{}-{}.png",
            post.source.date.year(),
            post.source.slug
        )
    })
}

/// The card's path for an event without `image` or `logo`.
pub(crate) fn event_card_path(site: &Site, id: EventId) -> Option<String> {
    event_card(site, &site.events[id])
}

pub(crate) fn event_card(site: &Site, event: &Event) -> Option<String> {
    let front = event.doc.as_ref().map(|doc| &doc.front);
    let has_image = front.is_some_and(|front| front.image.is_some() || front.logo.is_some());
    (site.config.social_cards && !has_image)
        .then(|| format!("/social-cards/event-{}.png", event.slug))
}

impl Renderer {
    /// The card as PNG bytes: from the cache when the same card was drawn
    /// before, else drawn (and kept).
    pub(crate) fn social_card(&self, of: CardOf) -> Result<Vec<u8>, Diagnostic> {
        let svg = self
            .templates
            .tera
            .render(CARD_TEMPLATE, &self.card_context(of))
            .map_err(|err| self.diagnostic(&err))?;
        let cached = self
            .card_cache
            .as_deref()
            .map(|folder| cache_file(folder, &svg));
        if let Some(bytes) = cached.as_deref().and_then(crate::cache_files::read_entry) {
            return Ok(bytes);
        }
        let png = draw(&svg).map_err(|problem| {
            Diagnostic::error(
                Path::new("templates").join(CARD_TEMPLATE),
                format!("the social card cannot be drawn: {problem}"),
            )
            .help("the template must give a valid SVG document")
        })?;
        if let (Some(file), Some(root)) = (cached, self.card_cache_root.as_deref()) {
            crate::cache_files::keep_entry(root, &file, &png);
        }
        Ok(png)
    }
}

/// Where the card drawn from `svg` is kept.
fn cache_file(folder: &Path, svg: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    svg.hash(&mut hasher);
    folder.join(format!("{:016x}.png", hasher.finish()))
}

impl Renderer {
    /// The card template's variables. Event facts come from the event
    /// values the renderer made once for the build.
    fn card_context(&self, of: CardOf) -> Context {
        let site = &*self.site;
        let config = &site.config;
        let event_facts = |id: EventId| {
            let view = &self.events[id.index()];
            let text = |key: &str| view[key].as_str().unwrap_or_default().to_string();
            let place = if view["online"] == true {
                self.templates.words.word("online")
            } else {
                text("location")
            };
            (text("name"), text("date_range"), place)
        };
        let (title, kind, (event, dates, place), authors) = match of {
            CardOf::Post(id) => {
                let post = &site.posts[id];
                let authors: Vec<&str> = post
                    .authors
                    .iter()
                    .map(|&author| site.authors[author].name.as_str())
                    .collect();
                (
                    post.title().to_string(),
                    "post",
                    post.event.map(event_facts).unwrap_or_default(),
                    authors.join(", "),
                )
            }
            CardOf::Event(id) => {
                let (name, dates, place) = event_facts(id);
                (name, "event", (String::new(), dates, place), String::new())
            }
        };
        let mut context = Context::from_value(json!({
            "title_lines": lines(&xml_text(&title)),
            "kind": kind,
            "event": xml_text(&event),
            "dates": dates,
            "place": xml_text(&place),
            "authors": xml_text(&authors),
            "site": xml_text(&config.title),
            "accent": ACCENT,
        }))
        .unwrap_or_default();
        context.insert("config", config);
        context
    }
}

/// `text` without the characters XML cannot hold (control characters,
/// which a title may carry from a pasted text), so the card always draws.
fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// The title broken into at most three lines; what does not fit ends
/// in an ellipsis.
fn lines(title: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // A word longer than a line (a URL, a title without spaces) is cut.
    let words = title.split_whitespace().flat_map(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars
            .chunks(LINE_LENGTH)
            .map(|chunk| chunk.iter().collect::<String>())
            .collect::<Vec<_>>()
    });
    for word in words {
        let word = word.as_str();
        let fits = lines
            .last()
            .is_some_and(|line| line.chars().count() + 1 + word.chars().count() <= LINE_LENGTH);
        if fits {
            let line = lines.last_mut().expect("a line");
            line.push(' ');
            line.push_str(word);
        } else if lines.len() < MAX_LINES {
            lines.push(word.to_string());
        } else {
            let last = lines.last_mut().expect("three lines");
            while last.chars().count() + 1 > LINE_LENGTH {
                last.pop();
            }
            last.push('…');
            break;
        }
    }
    lines
}

/// The card drawn: PNG bytes.
fn draw(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "Lato".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|err| err.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no pixels to draw on")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|err| err.to_string())
}

/// Lato, regular and bold (SIL Open Font License, assets/fonts/OFL.txt).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    Arc::clone(FONTS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(include_bytes!("../../assets/fonts/Lato-Regular.ttf").to_vec());
        fonts.load_font_data(include_bytes!("../../assets/fonts/Lato-Bold.ttf").to_vec());
        Arc::new(fonts)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_break_into_three_lines_at_most() {
        assert_eq!(lines("KubeCon EU"), ["KubeCon EU"]);
        assert_eq!(
            lines("The hallway track at CloudNative Summit, in pictures and quotes"),
            [
                "The hallway track at",
                "CloudNative Summit, in",
                "pictures and quotes"
            ]
        );
        let long = lines(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
        );
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'), "{long:?}");
        let unbroken = lines(&"字".repeat(100));
        assert_eq!(unbroken.len(), 3);
        assert!(
            unbroken
                .iter()
                .all(|line| line.chars().count() <= LINE_LENGTH)
        );
    }

    #[test]
    fn a_card_is_a_png_of_the_open_graph_size() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="10" y="100" font-family="Lato" font-size="60">Hi</text></svg>"#;
        let png = draw(svg).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let size = imagesize::blob_size(&png).unwrap();
        assert_eq!((size.width, size.height), (1200, 630));
    }
}
