//! `recap check` lints: problems that do not stop a build but that a reader
//! would notice. Likely mojibake (UTF-8 text once decoded as Windows-1252
//! or Latin-1), images without alt text, posts about an event that has
//! no dates, sessions dated outside their event, and the placeholders of
//! `recap new post` still in a post.

use std::path::Path;

use encoding_rs::WINDOWS_1252;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, line_col};
use crate::site::{Site, read_lossy};

/// Every lint of the site, as warnings.
pub(crate) fn lint(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (display, path) in documents(site) {
        let text = read_lossy(path);
        warnings.extend(mojibake(display, &text));
        warnings.extend(images_without_alt(display, &text));
    }
    warnings.extend(events_without_dates(site));
    warnings.extend(sessions_outside_their_event(site));
    warnings.extend(placeholders(site));
    warnings.extend(images(site, root));
    warnings
}

/// The raster images the site copies: one that cannot be read as an image
/// (corrupt, cut short, or another format than its extension says), one
/// too large to decode, and one over `[images] large_kb` that gets no
/// smaller copies, which readers download whole.
fn images(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut sources: Vec<(&String, &std::path::PathBuf)> = site.image_sizes.sources().collect();
    sources.sort();
    for (_, path) in sources {
        let extension = path
            .extension()
            .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let expected = match extension.as_str() {
            "png" => "PNG",
            "jpg" | "jpeg" => "JPEG",
            "gif" => "GIF",
            "webp" => "WebP",
            _ => continue,
        };
        let shown = crate::diagnostics::relative_to(root, path);
        let mut header = vec![0; 4096];
        let read = std::fs::File::open(path)
            .and_then(|mut file| std::io::Read::read(&mut file, &mut header))
            .unwrap_or(0);
        header.truncate(read);
        let found = match imagesize::image_type(&header) {
            Ok(imagesize::ImageType::Png) => "PNG",
            Ok(imagesize::ImageType::Jpeg) => "JPEG",
            Ok(imagesize::ImageType::Gif) => "GIF",
            Ok(imagesize::ImageType::Webp) => "WebP",
            Ok(_) => "another format",
            Err(_) => "",
        };
        if found.is_empty() || imagesize::size(path).is_err() {
            warnings.push(
                Diagnostic::warning(&shown, format!("this is not a readable {expected} image (corrupt, cut short, or not an image)"))
                    .help("export the image again, or remove it"),
            );
        } else if found != expected {
            warnings.push(
                Diagnostic::warning(&shown, format!("this file is {found}, not the {expected} its name says"))
                    .help("rename it to the extension of its format; some browsers and hosts go by the name"),
            );
        }
        let Ok(probe) = crate::images::probe_file(path) else {
            continue;
        };
        if let Err(problem) = probe.check_limits() {
            warnings.push(
                Diagnostic::warning(&shown, problem)
                    .help("resize it before publishing (1,600 px wide is plenty for a page)"),
            );
            continue;
        }
        let large = probe.len > site.config.images.large_kb * 1024;
        if large && !crate::images::gets_variants(&probe, &site.config.images) {
            warnings.push(
                Diagnostic::warning(
                    &shown,
                    format!("this image is {:.1} MiB and gets no smaller copies; every reader downloads all of it", probe.len as f64 / f64::from(1 << 20)),
                )
                .help("resize or compress it; recap makes smaller copies of JPEG, PNG and WebP pictures wider than the smallest of [images] widths, not of GIFs or animations"),
            );
        }
    }
    warnings
}

fn documents(site: &Site) -> Vec<(&Path, &Path)> {
    let posts = site
        .posts
        .iter()
        .map(|p| &p.source.doc)
        .map(|d| (d.display_path.as_path(), d.path.as_path()));
    let pages = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .map(|d| (d.display_path.as_path(), d.path.as_path()));
    let events = site
        .events
        .iter()
        .filter_map(|e| e.doc.as_ref())
        .map(|d| (d.display_path.as_path(), d.path.as_path()));
    let authors = site
        .authors
        .iter()
        .filter_map(|a| a.doc.as_ref())
        .map(|d| (d.display_path.as_path(), d.path.as_path()));
    posts.chain(pages).chain(events).chain(authors).collect()
}

/// Characters that start the Windows-1252 reading of a UTF-8 lead byte:
/// Â Ã (0xC2, 0xC3: accented Latin letters), â (0xE2: quotes, dashes), ð (0xF0: emoji).
const LEADS: [char; 4] = ['Â', 'Ã', 'â', 'ð'];

/// Runs of text that, encoded back to Windows-1252, are valid UTF-8 that
/// differs from them: "â€™" is "’" read the wrong way.
fn mojibake(display: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if !LEADS.contains(&c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(at, next)) = chars.peek() {
                if next.is_ascii() {
                    break;
                }
                end = at + next.len_utf8();
                chars.next();
            }
            if let Some(repaired) = repair(&line[start..end]) {
                let column = line[..start].chars().count() + 1;
                found.push(
                    Diagnostic::warning(display, format!("`{}` looks like mojibake", &line[start..end]))
                        .at(text, index + 1, column)
                        .width(line[start..end].chars().count())
                        .help(format!(
                            "this is UTF-8 text that was once read as Windows-1252 or Latin-1; it was probably `{repaired}`"
                        )),
                );
            }
        }
    }
    found
}

/// The text `garbled` was before it was mis-decoded, if it decodes cleanly.
fn repair(garbled: &str) -> Option<String> {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(garbled);
    if unmappable {
        return None;
    }
    let repaired = String::from_utf8(bytes.into_owned()).ok()?;
    (repaired != garbled && !repaired.is_empty()).then_some(repaired)
}

fn images_without_alt(display: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut alt = String::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((range.start, dest_url.to_string()));
                alt.clear();
            }
            Event::Text(part) | Event::Code(part) if open.is_some() => alt.push_str(&part),
            Event::End(TagEnd::Image) => {
                if let Some((start, src)) = open.take()
                    && alt.trim().is_empty()
                {
                    let (line, column) = line_col(text, start);
                    found.push(
                        Diagnostic::warning(display, format!("image `{src}` has no alt text"))
                            .at(text, line, column)
                            .help("describe the image between the brackets: ![The keynote stage, packed](stage.jpg)"),
                    );
                }
            }
            _ => {}
        }
    }
    found
}

fn events_without_dates(site: &Site) -> Vec<Diagnostic> {
    site.posts
        .iter()
        .filter_map(|post| {
            let event = &site.events[post.event?];
            if event.start().is_some() {
                return None;
            }
            let doc = &post.source.doc;
            let text = read_lossy(&doc.path);
            let (line, column) = crate::locate::key_at(&text, &[crate::locate::Step::Key("event")]);
            Some(
                Diagnostic::warning(&doc.display_path, format!("the event `{}` has no dates", event.name))
                    .at(&text, line, column)
                    .width(5)
                    .help(format!(
                        "add content/events/{}.md with `name` and `start` so the event gets dates, a calendar entry and its place among past and upcoming events",
                        event.slug
                    )),
            )
        })
        .collect()
}

/// Sessions whose start falls outside their event's days (in the event's
/// time zone): usually a typo in the date.
fn sessions_outside_their_event(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for post in &site.posts {
        let Some(event) = post.event.map(|id| &site.events[id]) else {
            continue;
        };
        let (Some(first), last) = (event.start(), event.end()) else {
            continue;
        };
        let days = first.date()..=last.unwrap_or(first).date();
        let zone = event.zone(&site.config);
        let mut text = None;
        for (index, session) in post.sessions().iter().enumerate() {
            let Some(start) = session.start else { continue };
            let day = start.in_zone(zone).date_naive();
            if days.contains(&day) {
                continue;
            }
            let doc = &post.source.doc;
            let text = text.get_or_insert_with(|| read_lossy(&doc.path));
            let steps = [
                crate::locate::Step::Key("sessions"),
                crate::locate::Step::Index(index),
                crate::locate::Step::Key("start"),
            ];
            let (line, column) = crate::locate::key_at(text, &steps);
            warnings.push(
                Diagnostic::warning(
                    &doc.display_path,
                    format!(
                        "the session “{}” is on {day}, outside {} ({} to {})",
                        session.title,
                        event.name,
                        days.start(),
                        days.end()
                    ),
                )
                .at(text, line, column)
                .help("check the session's date, or the event's `start` and `end`"),
            );
        }
    }
    warnings
}

/// The sample text `recap new post` writes, which a post should not keep.
const PLACEHOLDERS: [&str; 3] = [
    "Name of the talk",
    "Speaker Name",
    "What was it like? Start with the two or three things",
];

/// A warning at each placeholder of the post archetype left in a post.
fn placeholders(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for post in &site.posts {
        let doc = &post.source.doc;
        let text = read_lossy(&doc.path);
        for placeholder in PLACEHOLDERS {
            let Some(at) = text.find(placeholder) else {
                continue;
            };
            let (line, column) = line_col(&text, at);
            warnings.push(
                Diagnostic::warning(
                    &doc.display_path,
                    format!("“{placeholder}” is sample text from `recap new post`"),
                )
                .at(&text, line, column)
                .width(placeholder.chars().count())
                .help("replace it with the real thing, or delete it (a session block the recap does not need can go whole)"),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_repairs_mojibake() {
        let text = "It\u{e2}\u{20ac}\u{2122}s caf\u{c3}\u{a9} time \u{f0}\u{178}\u{2018}\u{2039}\nClean line: café ’ 👋\n";
        let found = mojibake(Path::new("a.md"), text);
        let helps: Vec<String> = found.iter().map(|d| d.help.clone().unwrap()).collect();
        assert_eq!(found.len(), 3, "{helps:?}");
        assert!(helps[0].contains("`’`"), "{helps:?}");
        assert!(helps[1].contains("`é`"), "{helps:?}");
        assert!(helps[2].contains("`👋`"), "{helps:?}");
        assert!(found.iter().all(|d| d.line == 1));
    }

    #[test]
    fn finds_images_without_alt() {
        let found = images_without_alt(Path::new("a.md"), "Text\n\n![](one.png) ![Two](two.png)\n");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].column), (3, 1));
    }
}
