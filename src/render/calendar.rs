//! iCalendar export (RFC 5545): `/events/calendar.ics` with every dated
//! event and its timed sessions, and one `.ics` per event page. Events are
//! all-day; sessions are timed, in UTC, so no VTIMEZONE is needed. CRLF line endings, text escaped,
//! lines folded at 75 octets, UIDs stable across builds.

use super::context::Urls;
use super::seo::plain_text;
use crate::site::{Event, SessionId, Site};

pub(crate) const CALENDAR_FILE: &str = "calendar.ics";
const LINE_LIMIT: usize = 75;

/// `/events/calendar.ics`.
pub(crate) fn calendar_path() -> String {
    format!("/events/{CALENDAR_FILE}")
}

/// `/events/<slug>/<slug>.ics`.
pub(crate) fn event_calendar_path(event: &Event) -> String {
    format!("{}{}.ics", event.path(), event.slug)
}

/// The calendar of all dated `events`.
pub(crate) fn calendar<'a>(
    site: &Site,
    events: impl Iterator<Item = &'a Event>,
    urls: &Urls,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//recap//recap {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&site.config.title)),
    ];
    for event in events {
        lines.extend(vevent(site, event, urls));
        for &session in &event.sessions {
            lines.extend(session_vevent(site, event, session, urls));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    let mut text = String::new();
    for line in lines {
        text.push_str(&fold(&line));
        text.push_str("\r\n");
    }
    text
}

fn vevent(site: &Site, event: &Event, urls: &Urls) -> Vec<String> {
    let (Some(start), Some(doc)) = (event.start(), event.doc.as_ref()) else {
        return Vec::new();
    };
    let front = &doc.front;
    let end = event.end().unwrap_or(start).date();
    let exclusive_end = end.succ_opt().unwrap_or(end);
    let host = urls.host();
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:event-{}@{}", event.slug, host),
        // DTSTAMP is required; the start keeps the file identical across builds.
        format!("DTSTAMP:{}T000000Z", start.date().format("%Y%m%d")),
        format!("DTSTART;VALUE=DATE:{}", start.date().format("%Y%m%d")),
        format!("DTEND;VALUE=DATE:{}", exclusive_end.format("%Y%m%d")),
        format!("SUMMARY:{}", escape_text(&event.name)),
    ];
    if let Some(location) = &front.location {
        lines.push(format!("LOCATION:{}", escape_text(location)));
    }
    let url = urls.absolute(&event.path());
    let mut description = plain_text(&event.description.html);
    if !event.posts.is_empty() {
        let count = event.posts.len();
        description = format!(
            "{description}{}{count} recap{} on {}: {url}",
            if description.is_empty() { "" } else { "\n\n" },
            if count == 1 { "" } else { "s" },
            site.config.title
        );
    }
    if !description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
    }
    lines.push(format!("URL:{url}"));
    lines.push(format!("CATEGORIES:{}", escape_text(kind_name(event))));
    lines.push("END:VEVENT".to_string());
    lines
}

/// A session with a start time, in UTC, linked to the recap that covers it.
fn session_vevent(site: &Site, event: &Event, id: SessionId, urls: &Urls) -> Vec<String> {
    let merged = &site.sessions[id];
    let session = &merged.session;
    let Some(start) = session.start.filter(|start| start.has_time()) else {
        return Vec::new();
    };
    let zone = event.zone(&site.config);
    let utc = |stamp: crate::content::date::Timestamp| {
        stamp
            .in_zone(zone)
            .with_timezone(&chrono::Utc)
            .format("%Y%m%dT%H%M%SZ")
            .to_string()
    };
    let recap = urls.absolute(&site.posts[merged.recaps[0]].path);
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:session-{}-{}@{}",
            event.slug,
            crate::content::slugs::slugify(&session.title),
            urls.host()
        ),
        format!("DTSTAMP:{}", utc(start)),
        format!("DTSTART:{}", utc(start)),
    ];
    if let Some(end) = session.end {
        lines.push(format!("DTEND:{}", utc(end)));
    }
    lines.push(format!("SUMMARY:{}", escape_text(&session.title)));
    let place: Vec<&str> = [
        session.room.as_deref(),
        event.doc.as_ref().and_then(|d| d.front.venue.as_deref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        lines.push(format!("LOCATION:{}", escape_text(&place.join(", "))));
    }
    let speakers: Vec<&str> = merged
        .speakers
        .iter()
        .map(|&speaker| site.speakers[speaker].name.as_str())
        .collect();
    let mut description = format!("{} at {}", session.title, event.name);
    if !speakers.is_empty() {
        description = format!("{description}, by {}", speakers.join(", "));
    }
    description = format!("{description}.\n\nOur recap: {recap}");
    lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
    lines.push(format!("URL:{recap}"));
    lines.push("END:VEVENT".to_string());
    lines
}

fn kind_name(event: &Event) -> &'static str {
    use crate::content::front::EventKind;
    match event
        .doc
        .as_ref()
        .map(|doc| doc.front.kind)
        .unwrap_or_default()
    {
        EventKind::Conference => "Conference",
        EventKind::Hackathon => "Hackathon",
        EventKind::Meetup => "Meetup",
        EventKind::Workshop => "Workshop",
        EventKind::Other => "Other",
    }
}

/// TEXT values (RFC 5545 §3.3.11): backslash, semicolon and comma
/// escaped; every line break (CRLF, LF or a lone CR) written as `\n`; other
/// control characters, which a content line may not hold, dropped.
pub(crate) fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("\\n");
            }
            '\t' => escaped.push(' '),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Folds a content line into pieces of at most 75 octets, never splitting a
/// UTF-8 character; continuation lines start with a space (RFC 5545 §3.1).
pub(crate) fn fold(line: &str) -> String {
    let mut folded = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LINE_LIMIT {
            folded.push_str("\r\n ");
            width = 1;
        }
        folded.push(c);
        width += len;
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for piece in folded.split("\r\n") {
            assert!(piece.len() <= 75, "{} octets", piece.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(
            escape_text("Paris, France; 2024\nhall\\B"),
            "Paris\\, France\\; 2024\\nhall\\\\B"
        );
        assert_eq!(
            escape_text("a\rLOCATION:injected\r\nb\0c\u{7f}"),
            "a\\nLOCATION:injected\\nbc"
        );
    }
}
