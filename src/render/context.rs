//! The objects templates see (docs/templates.md), as borrowed views of the
//! site model. List entries are serialised once per build and reused by
//! every listing page.

use serde::Serialize;
use serde_json::Value;

use crate::content::date::Timestamp;
use crate::content::front::{EventKind, SessionKind};
use crate::images::{Op, SourceSet};
use crate::site::{Author, Event, Post, SessionId, Site, Speaker};

/// A URL with a scheme or a host (`https://...`, `//cdn...`), left as written.
pub(crate) fn is_full_url(value: &str) -> bool {
    value.contains("://") || value.starts_with("//")
}

/// Words a reader gets through in a minute, for `reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// URLs of the site: paths get the base path, permalinks the whole base URL.
pub(crate) struct Urls<'a> {
    pub base_path: &'a str,
    pub base_url: &'a str,
}

impl Urls<'_> {
    pub(crate) fn path(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    pub(crate) fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Scheme and host of the base URL: "https://example.org".
    pub(crate) fn origin(&self) -> &str {
        crate::config::origin_of(self.base_url)
    }

    /// The host of the base URL: "example.org".
    pub(crate) fn host(&self) -> &str {
        let origin = self.origin();
        origin.split_once("://").map_or(origin, |(_, host)| host)
    }

    /// A URL from front matter: site-absolute paths get the base path,
    /// bundle-relative ones the page's path; full URLs stay.
    pub(crate) fn asset(&self, value: &str, page_path: &str) -> String {
        if is_full_url(value) {
            value.to_string()
        } else if value.starts_with('/') {
            self.path(value)
        } else {
            self.path(&format!(
                "{}{value}",
                crate::site::urls::page_dir(page_path)
            ))
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Ref<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct EventView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub date_range: Option<String>,
    pub location: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub booth: Option<&'a str>,
    /// The IANA name of its time zone.
    pub timezone: String,
    pub online: bool,
    pub website: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub image: Option<String>,
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// Smaller copies of `image`, for `srcset` and `<source>`.
    pub image_srcset: Option<String>,
    pub image_sources: Vec<SourceSet>,
    /// A small copy of the logo where it is a large photo of the site.
    pub logo: Option<String>,
    pub logo_width: Option<u32>,
    pub logo_height: Option<u32>,
    pub cfp_deadline: Option<String>,
    pub cfp_deadline_text: Option<String>,
    pub kind: EventKind,
    pub extra: Option<&'a crate::content::front::Extra>,
    pub upcoming: bool,
    pub post_count: usize,
    pub session_count: usize,
    /// URL of the event's own `.ics` file, for dated events.
    pub calendar_url: Option<String>,
    /// URL of the event's Atom feed.
    pub feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

pub(crate) fn event_view<'a>(site: &'a Site, event: &'a Event, urls: &Urls) -> EventView<'a> {
    let front = event.doc.as_ref().map(|doc| &doc.front);
    let image = front
        .and_then(|f| f.image.as_deref())
        .map(|image| Picture::of(site, &event.path(), image, urls));
    let logo = front
        .and_then(|f| f.logo.as_deref())
        .map(|logo| Thumbnail::of(site, &event.path(), logo, urls, LOGO_BOX));
    let location = front.and_then(|f| f.location.as_deref());
    EventView {
        name: &event.name,
        slug: &event.slug,
        url: urls.path(&event.path()),
        start: event.start().map(|d| d.ymd()),
        end: event.end().map(|d| d.ymd()),
        date_range: event
            .start()
            .map(|start| date_range(start, event.end(), &site.config.language)),
        location,
        venue: front.and_then(|f| f.venue.as_deref()),
        booth: front.and_then(|f| f.booth.as_deref()),
        timezone: event.zone(&site.config).name().to_string(),
        online: location.is_some_and(|l| l.trim().eq_ignore_ascii_case("online"))
            || front.is_some_and(|f| f.online_url.is_some()),
        website: front.and_then(|f| f.website.as_deref()),
        online_url: front.and_then(|f| f.online_url.as_deref()),
        image_width: image.as_ref().and_then(|p| p.width),
        image_height: image.as_ref().and_then(|p| p.height),
        image_srcset: image.as_ref().and_then(|p| p.srcset.clone()),
        image_sources: image
            .as_ref()
            .map(|p| p.sources.clone())
            .unwrap_or_default(),
        image: image.map(|p| p.url),
        logo_width: logo.as_ref().and_then(|t| t.width),
        logo_height: logo.as_ref().and_then(|t| t.height),
        logo: logo.map(|t| t.url),
        cfp_deadline: front.and_then(|f| f.cfp_deadline).map(|d| d.ymd()),
        cfp_deadline_text: front
            .and_then(|f| f.cfp_deadline)
            .map(|d| date_text(site, d)),
        kind: front.map(|f| f.kind).unwrap_or_default(),
        extra: front.map(|f| &f.extra),
        upcoming: event.is_upcoming(site.today),
        post_count: event.posts.len(),
        session_count: event.sessions.len(),
        calendar_url: event
            .start()
            .map(|_| urls.path(&super::calendar::event_calendar_path(event))),
        feed_url: urls.path(&format!("{}{}", event.path(), super::feeds::FEED_FILE)),
        description: None,
    }
}

/// "19–22 Mar 2024", "28 Feb – 2 Mar 2024", "30 Dec 2024 – 2 Jan 2025",
/// with the month names of `language`.
pub(crate) fn date_range(start: Timestamp, end: Option<Timestamp>, language: &str) -> String {
    let (start, end) = (start.date(), end.map(|e| e.date()).unwrap_or(start.date()));
    let format = |d: chrono::NaiveDate, f: &str| super::i18n::format_date(d, f, language);
    let full = |d: chrono::NaiveDate| format(d, "%-d %b %Y");
    if end <= start {
        full(start)
    } else if start.format("%Y-%m").to_string() == end.format("%Y-%m").to_string() {
        format!("{}–{}", start.format("%-d"), full(end))
    } else if start.format("%Y").to_string() == end.format("%Y").to_string() {
        format!("{} – {}", format(start, "%-d %b"), full(end))
    } else {
        format!("{} – {}", full(start), full(end))
    }
}

/// A date in the site's `date_format` and language.
pub(crate) fn date_text(site: &Site, date: Timestamp) -> String {
    let language = &site.config.language;
    let format = site
        .config
        .date_format
        .as_deref()
        .unwrap_or(super::i18n::date_formats(language).0);
    super::i18n::format_date(date.date(), format, language)
}

/// A post as listings show it. Its `event` is not here: the renderer adds
/// a copy of the event's value, serialised once per build
/// (`Renderer::bare_summary`).
#[derive(Serialize)]
pub(crate) struct PostSummary<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub slug: &'a str,
    pub date: String,
    /// `date` in the site's `date_format` and language.
    pub date_text: String,
    pub date_iso: String,
    pub year: i32,
    pub updated: Option<String>,
    /// `updated` in the site's `date_format` and language.
    pub updated_text: Option<String>,
    pub description: Option<&'a str>,
    pub summary: &'a str,
    pub has_more: bool,
    pub tags: Vec<Ref<'a>>,
    pub authors: Vec<Ref<'a>>,
    pub image: Option<String>,
    /// Of `image`, when it is one of the site's files.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// Smaller copies of `image`, for `srcset` and `<source>`.
    pub image_srcset: Option<String>,
    pub image_sources: Vec<SourceSet>,
    pub draft: bool,
    /// Dated after the build (only `--future` builds and `serve` show it).
    pub scheduled: bool,
    pub session_count: usize,
    pub word_count: usize,
    pub reading_time: usize,
}

pub(crate) fn post_summary<'a>(site: &'a Site, post: &'a Post, urls: &Urls) -> PostSummary<'a> {
    let front = &post.source.doc.front;
    let banner = front
        .image
        .as_deref()
        .map(|image| Picture::of(site, &post.path, image, urls));
    PostSummary {
        title: &front.title,
        url: urls.path(&post.path),
        permalink: urls.absolute(&post.path),
        slug: &post.source.slug,
        date: post.source.date.ymd(),
        date_text: date_text(site, post.source.date),
        date_iso: post.source.date.rfc3339(),
        year: post.source.date.year(),
        updated: front.updated.map(|d| d.ymd()),
        updated_text: front.updated.map(|d| date_text(site, d)),
        description: front.description.as_deref(),
        summary: &post.rendered.summary_html,
        has_more: post.rendered.has_more,
        tags: post
            .tags
            .iter()
            .map(|&id| {
                let tag = &site.tags[id];
                Ref {
                    name: &tag.name,
                    slug: &tag.slug,
                    url: urls.path(&tag.path()),
                }
            })
            .collect(),
        authors: post
            .authors
            .iter()
            .map(|&id| author_ref(&site.authors[id], urls))
            .collect(),
        image_width: banner.as_ref().and_then(|p| p.width),
        image_height: banner.as_ref().and_then(|p| p.height),
        image_srcset: banner.as_ref().and_then(|p| p.srcset.clone()),
        image_sources: banner
            .as_ref()
            .map(|p| p.sources.clone())
            .unwrap_or_default(),
        image: banner.map(|p| p.url),
        draft: front.draft,
        scheduled: post.scheduled,
        session_count: front.sessions.len(),
        word_count: post.rendered.word_count,
        reading_time: post.rendered.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
    }
}

/// A post in the archive: what its one line shows. The archive lists every
/// post of the site on one page, where full summaries would take ~9 KB of
/// memory a post.
#[derive(Serialize)]
pub(crate) struct ArchiveEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub date_text: String,
    pub date_iso: String,
    pub event: Option<Ref<'a>>,
}

pub(crate) fn archive_entry<'a>(site: &'a Site, post: &'a Post, urls: &Urls) -> ArchiveEntry<'a> {
    ArchiveEntry {
        title: post.title(),
        url: urls.path(&post.path),
        date: post.source.date.ymd(),
        date_text: date_text(site, post.source.date),
        date_iso: post.source.date.rfc3339(),
        event: post.event.map(|id| event_ref(&site.events[id], urls)),
    }
}

pub(crate) fn event_ref<'a>(event: &'a Event, urls: &Urls) -> Ref<'a> {
    Ref {
        name: &event.name,
        slug: &event.slug,
        url: urls.path(&event.path()),
    }
}

pub(crate) fn author_ref<'a>(author: &'a Author, urls: &Urls) -> Ref<'a> {
    Ref {
        name: &author.name,
        slug: &author.slug,
        url: urls.path(&author.path()),
    }
}

/// A session in an event or talks list, with the recap that covers it.
/// A session as templates see it: merged from every recap of it, its
/// times in its event's time zone.
#[derive(Serialize)]
pub(crate) struct SessionView<'a> {
    pub title: &'a str,
    pub speakers: Vec<SpeakerRef<'a>>,
    pub video: Option<&'a str>,
    pub slides: Option<&'a str>,
    /// RFC 3339 with the zone's offset.
    pub start: Option<String>,
    pub end: Option<String>,
    /// `start`, under its older name.
    pub when: Option<String>,
    /// "Thu 19 Nov, 20:45–21:20 GMT".
    pub time: Option<String>,
    /// The day it starts, in its zone: "2025-11-19".
    pub day: Option<String>,
    /// That day in words: "Wednesday 19 November 2025".
    pub day_label: Option<String>,
    pub track: Option<&'a str>,
    pub room: Option<&'a str>,
    pub kind: Option<SessionKind>,
    /// The abstract as HTML.
    #[serde(rename = "abstract")]
    pub summary: Option<String>,
    pub links: &'a std::collections::BTreeMap<String, String>,
    pub embed: bool,
    pub extra: &'a crate::content::front::Extra,
    pub event: Option<Ref<'a>>,
    /// The newest recap that covers it.
    pub post: PostLink<'a>,
    /// Every recap that covers it, newest first.
    pub recaps: Vec<PostLink<'a>>,
}

#[derive(Serialize)]
pub(crate) struct PostLink<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct SpeakerRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub company: Option<&'a str>,
    pub url: String,
}

pub(crate) fn speaker_ref<'a>(speaker: &'a Speaker, urls: &Urls) -> SpeakerRef<'a> {
    SpeakerRef {
        name: &speaker.name,
        slug: &speaker.slug,
        company: speaker.company.as_deref(),
        url: urls.path(&speaker.path()),
    }
}

pub(crate) fn session_views<'a>(
    site: &'a Site,
    sessions: &[SessionId],
    urls: &Urls,
) -> Vec<SessionView<'a>> {
    sessions
        .iter()
        .map(|&id| session_view(site, id, urls))
        .collect()
}

pub(crate) fn session_view<'a>(site: &'a Site, id: SessionId, urls: &Urls) -> SessionView<'a> {
    let merged = &site.sessions[id];
    let session = &merged.session;
    let event = merged.event.map(|event| &site.events[event]);
    let zone = event.map_or_else(|| site.config.zone(), |event| event.zone(&site.config));
    let start = session.start.map(|start| start.in_zone(zone));
    let end = session.end.map(|end| end.in_zone(zone));
    let timed = session.start.is_some_and(|start| start.has_time());
    let post_link = |&post: &crate::site::PostId| {
        let post = &site.posts[post];
        PostLink {
            title: post.title(),
            url: urls.path(&post.path),
        }
    };
    SessionView {
        title: &session.title,
        speakers: merged
            .speakers
            .iter()
            .map(|&speaker| speaker_ref(&site.speakers[speaker], urls))
            .collect(),
        video: session.video.as_deref(),
        slides: session.slides.as_deref(),
        start: start.map(|start| start.to_rfc3339()),
        end: end.map(|end| end.to_rfc3339()),
        when: start.map(|start| start.to_rfc3339()),
        time: start.map(|start| session_time(start, end, timed, &site.config.language)),
        day: start.map(|start| start.format("%Y-%m-%d").to_string()),
        day_label: start.map(|start| {
            let language = &site.config.language;
            let day = super::i18n::date_formats(language).1;
            super::i18n::format_date(start.date_naive(), day, language)
        }),
        track: session.track.as_deref(),
        room: session.room.as_deref(),
        kind: session.kind,
        summary: session
            .summary
            .as_deref()
            .map(|text| crate::markdown::to_html(text, site.config.raw_html)),
        links: &session.links,
        embed: session.embed,
        extra: &session.extra,
        event: event.map(|event| event_ref(event, urls)),
        post: post_link(&merged.recaps[0]),
        recaps: merged.recaps.iter().map(post_link).collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct SpeakerView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub company: Option<&'a str>,
    pub bio: Option<&'a str>,
    /// A small square copy where the avatar is a large photo of the site.
    pub avatar: Option<String>,
    pub avatar_width: Option<u32>,
    pub avatar_height: Option<u32>,
    pub links: Option<&'a std::collections::BTreeMap<String, String>>,
    pub session_count: usize,
    /// The names of the events they spoke at, newest first.
    pub events: Vec<Ref<'a>>,
    /// The page of the same person as an author of recaps.
    pub author_url: Option<String>,
    pub extra: Option<&'a crate::content::front::Extra>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

pub(crate) fn speaker_view<'a>(
    site: &'a Site,
    speaker: &'a Speaker,
    urls: &Urls,
) -> SpeakerView<'a> {
    let front = speaker.doc.as_ref().map(|doc| &doc.front);
    let mut events: Vec<crate::site::EventId> = speaker
        .sessions
        .iter()
        .filter_map(|&session| site.sessions[session].event)
        .collect();
    events.dedup();
    let avatar = front
        .and_then(|f| f.avatar.as_deref())
        .map(|avatar| Thumbnail::of(site, &speaker.path(), avatar, urls, AVATAR_BOX));
    SpeakerView {
        name: &speaker.name,
        slug: &speaker.slug,
        url: urls.path(&speaker.path()),
        company: speaker.company.as_deref(),
        bio: front.and_then(|f| f.bio.as_deref()),
        avatar_width: avatar.as_ref().and_then(|t| t.width),
        avatar_height: avatar.as_ref().and_then(|t| t.height),
        avatar: avatar.map(|t| t.url),
        links: front.map(|f| &f.links),
        session_count: speaker.sessions.len(),
        events: events
            .into_iter()
            .map(|id| event_ref(&site.events[id], urls))
            .collect(),
        author_url: speaker
            .author
            .map(|author| urls.path(&site.authors[author].path())),
        extra: front.map(|f| &f.extra),
        content: None,
    }
}

/// "Thu 19 Nov, 20:45–21:20 GMT"; "Thu 19 Nov" for a date alone; an end on
/// another day gets its own date.
fn session_time(
    start: chrono::DateTime<chrono_tz::Tz>,
    end: Option<chrono::DateTime<chrono_tz::Tz>>,
    timed: bool,
    language: &str,
) -> String {
    let locale = super::i18n::locale_of(language);
    if !timed {
        return start.format_localized("%a %-d %b", locale).to_string();
    }
    let mut text = start
        .format_localized("%a %-d %b, %H:%M", locale)
        .to_string();
    match end {
        Some(end) if end.date_naive() == start.date_naive() => {
            text.push_str(&end.format("–%H:%M").to_string());
        }
        Some(end) => text.push_str(
            &end.format_localized(" – %a %-d %b, %H:%M", locale)
                .to_string(),
        ),
        None => {}
    }
    text.push_str(&start.format(" %Z").to_string());
    text
}

/// Sessions by the day they start in their zone, in order; sessions with
/// no time come last, under a day of `null`.
pub(crate) fn agenda(sessions: Vec<SessionView<'_>>) -> Vec<Value> {
    let mut days: Vec<(Option<String>, Vec<SessionView<'_>>)> = Vec::new();
    for session in sessions {
        match days.iter_mut().find(|(day, _)| *day == session.day) {
            Some((_, list)) => list.push(session),
            None => days.push((session.day.clone(), vec![session])),
        }
    }
    days.sort_by_key(|(day, _)| (day.is_none(), day.clone()));
    days.into_iter()
        .map(|(day, sessions)| {
            let label = sessions.first().and_then(|s| s.day_label.clone());
            serde_json::json!({"day": day, "label": label, "sessions": sessions})
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct AuthorView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub bio: Option<&'a str>,
    /// A small square copy where the avatar is a large photo of the site.
    pub avatar: Option<String>,
    pub avatar_width: Option<u32>,
    pub avatar_height: Option<u32>,
    pub links: Value,
    pub post_count: usize,
    /// The page of the same person as a speaker.
    pub speaker_url: Option<String>,
    pub extra: Option<&'a crate::content::front::Extra>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

pub(crate) fn author_view<'a>(site: &'a Site, author: &'a Author, urls: &Urls) -> AuthorView<'a> {
    let front = author.doc.as_ref().map(|doc| &doc.front);
    let avatar = front
        .and_then(|f| f.avatar.as_deref())
        .map(|avatar| Thumbnail::of(site, &author.path(), avatar, urls, AVATAR_BOX));
    AuthorView {
        name: &author.name,
        slug: &author.slug,
        url: urls.path(&author.path()),
        bio: front.and_then(|f| f.bio.as_deref()),
        avatar_width: avatar.as_ref().and_then(|t| t.width),
        avatar_height: avatar.as_ref().and_then(|t| t.height),
        avatar: avatar.map(|t| t.url),
        links: front
            .map(|f| serde_json::to_value(&f.links).unwrap_or(Value::Null))
            .unwrap_or_else(|| Value::Object(Default::default())),
        post_count: author.posts.len(),
        speaker_url: author
            .speaker
            .map(|speaker| urls.path(&site.speakers[speaker].path())),
        extra: front.map(|f| &f.extra),
        content: None,
    }
}

/// Page navigation of a paginated listing (docs/templates.md "Paginator").
#[derive(Serialize)]
pub(crate) struct Paginator {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub first_url: String,
    pub last_url: String,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageNumber>,
}

#[derive(Serialize)]
pub(crate) struct PageNumber {
    pub number: usize,
    pub url: String,
}

pub(crate) fn paginator(
    base: &str,
    current: usize,
    total_items: usize,
    per_page: usize,
    urls: &Urls,
) -> Paginator {
    use crate::site::urls::{page_count, page_path};
    let total_pages = page_count(total_items, per_page);
    let url = |n: usize| urls.path(&page_path(base, n));
    Paginator {
        current,
        total_pages,
        total_items,
        first_url: url(1),
        last_url: url(total_pages),
        previous_url: (current > 1).then(|| url(current - 1)),
        next_url: (current < total_pages).then(|| url(current + 1)),
        pages: page_window(current, total_pages)
            .map(|number| PageNumber {
                number,
                url: url(number),
            })
            .collect(),
    }
}

/// Up to `2 * PAGE_WINDOW + 1` page numbers around `current`: listing every
/// page on every page would make pagination quadratic in the number of posts.
fn page_window(current: usize, total_pages: usize) -> std::ops::RangeInclusive<usize> {
    const PAGE_WINDOW: usize = 3;
    let first = current.saturating_sub(PAGE_WINDOW).max(1);
    let last = (current + PAGE_WINDOW).min(total_pages);
    first..=last
}

/// A picture of a page (a banner, an event's photo) as templates show it.
struct Picture {
    url: String,
    width: Option<u32>,
    height: Option<u32>,
    srcset: Option<String>,
    sources: Vec<SourceSet>,
}

impl Picture {
    /// `image` as the page at `page` names it (a site path, a path relative
    /// to the page, or a remote URL).
    fn of(site: &Site, page: &str, image: &str, urls: &Urls) -> Picture {
        let url = urls.asset(image, page);
        let size = site.image_sizes.of(page, image);
        // A picture that cannot be resized is shown as it is; `recap check`
        // names what is wrong with it.
        let responsive = site
            .image_sizes
            .responsive(page, image, &url)
            .ok()
            .flatten();
        Picture {
            url,
            width: size.map(|size| size.0),
            height: size.map(|size| size.1),
            srcset: responsive.as_ref().map(|r| r.srcset.clone()),
            sources: responsive.map(|r| r.sources).unwrap_or_default(),
        }
    }
}

/// Avatars are shown in a box of 96 CSS pixels at most: twice that for
/// sharp screens.
const AVATAR_BOX: (u32, u32, Op) = (192, 192, Op::Fill);
/// Event logos fit a box of 64 CSS pixels.
const LOGO_BOX: (u32, u32, Op) = (128, 128, Op::Fit);

/// A small image (an avatar, a logo): a copy resized to `fit` when it is a
/// larger photo of the site, else the file itself.
struct Thumbnail {
    url: String,
    width: Option<u32>,
    height: Option<u32>,
}

impl Thumbnail {
    fn of(site: &Site, page: &str, image: &str, urls: &Urls, fit: (u32, u32, Op)) -> Thumbnail {
        let (width, height, op) = fit;
        if let Some(resized) = site.image_sizes.thumbnail(page, image, (width, height), op) {
            return Thumbnail {
                url: resized.url,
                width: Some(resized.width),
                height: Some(resized.height),
            };
        }
        let size = site.image_sizes.of(page, image);
        Thumbnail {
            url: urls.asset(image, page),
            width: size.map(|size| size.0),
            height: size.map(|size| size.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn formats_date_ranges() {
        assert_eq!(date_range(day("2024-03-19"), None, "en"), "19 Mar 2024");
        assert_eq!(
            date_range(day("2024-03-19"), Some(day("2024-03-22")), "en"),
            "19–22 Mar 2024"
        );
        assert_eq!(
            date_range(day("2024-02-28"), Some(day("2024-03-02")), "en"),
            "28 Feb – 2 Mar 2024"
        );
        assert_eq!(
            date_range(day("2024-12-30"), Some(day("2025-01-02")), "en"),
            "30 Dec 2024 – 2 Jan 2025"
        );
    }
}
