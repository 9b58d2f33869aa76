//! What `<head>` needs: title, description, canonical URL, Open
//! Graph type and image, and JSON-LD (`BlogPosting`, `Event`).

use serde::Serialize;
use serde_json::{Value, json};

use super::context::Urls;
use crate::markdown::truncate;
use crate::site::{Event, Post, Site};

const DESCRIPTION_LENGTH: usize = 160;

#[derive(Serialize)]
pub(crate) struct Meta {
    pub title: String,
    /// The title without the site's name, for Open Graph and cards.
    pub og_title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: &'static str,
    /// Absolute URL of the picture shared with the page: its own image, or
    /// the site's `image`.
    pub image: Option<String>,
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub image_alt: Option<String>,
    /// Articles: RFC 3339 dates, tag names and author names.
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub jsonld: Option<String>,
}

impl Meta {
    /// A listing or other page of the site: "Tags · Team Recaps".
    pub(crate) fn page(site: &Site, heading: Option<&str>, path: &str, urls: &Urls) -> Meta {
        let title = match heading {
            Some(heading) => format!("{heading} · {}", site.config.title),
            None => site.config.title.clone(),
        };
        let mut meta = Meta {
            title,
            og_title: heading.unwrap_or(&site.config.title).to_string(),
            description: site.config.description.clone(),
            canonical: urls.absolute(path),
            og_type: "website",
            image: None,
            image_width: None,
            image_height: None,
            image_alt: None,
            published_time: None,
            modified_time: None,
            tags: Vec::new(),
            authors: Vec::new(),
            jsonld: None,
        };
        if let Some(image) = &site.config.image {
            meta = meta.with_image(site, "/", image, &site.config.title, urls);
        }
        meta
    }

    /// The page's social card (a site path), 1200 x 630.
    fn with_card(mut self, card: &str, alt: &str, urls: &Urls) -> Meta {
        self.image = Some(absolute(urls, &urls.path(card)));
        self.image_width = Some(super::social::WIDTH);
        self.image_height = Some(super::social::HEIGHT);
        self.image_alt = Some(alt.to_string());
        self
    }

    /// The page's picture: `url` as written on the page at `page`, its size
    /// read from the file when it is the site's own.
    pub(crate) fn with_image(
        mut self,
        site: &Site,
        page: &str,
        url: &str,
        alt: &str,
        urls: &Urls,
    ) -> Meta {
        let size = site.image_sizes.of(page, url);
        self.image = Some(absolute(urls, &urls.asset(url, page)));
        self.image_width = size.map(|size| size.0);
        self.image_height = size.map(|size| size.1);
        self.image_alt = Some(alt.to_string());
        self
    }

    pub(crate) fn with_description(mut self, description: Option<&str>) -> Meta {
        if let Some(text) = description.filter(|d| !d.trim().is_empty()) {
            self.description = truncate(text, DESCRIPTION_LENGTH);
        }
        self
    }

    pub(crate) fn post(site: &Site, post: &Post, urls: &Urls) -> Meta {
        let front = &post.source.doc.front;
        let description = post.teaser().to_string();
        let mut meta = Meta::page(site, Some(&front.title), &post.path, urls)
            .with_description(Some(&description));
        if let Some(image) = &front.image {
            meta = meta.with_image(site, &post.path, image, &front.title, urls);
        } else if let Some(card) = super::social::post_card(site, post) {
            meta = meta.with_card(&card, &front.title, urls);
        }
        let jsonld = blog_posting(site, post, urls, &description, meta.image.as_deref());
        Meta {
            og_type: "article",
            published_time: Some(post.source.date.rfc3339()),
            modified_time: front.updated.map(|updated| updated.rfc3339()),
            tags: post
                .tags
                .iter()
                .map(|&tag| site.tags[tag].name.clone())
                .collect(),
            authors: post
                .authors
                .iter()
                .map(|&author| site.authors[author].name.clone())
                .collect(),
            jsonld: Some(script_safe(&jsonld)),
            ..meta
        }
    }

    pub(crate) fn event(site: &Site, event: &Event, urls: &Urls) -> Meta {
        let description = event
            .doc
            .as_ref()
            .map(|_| plain_text(&event.description.summary_html))
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| format!("Our recaps of {}", event.name));
        let mut meta = Meta::page(site, Some(&event.name), &event.path(), urls)
            .with_description(Some(&description));
        let front = event.doc.as_ref().map(|doc| &doc.front);
        if let Some(image) = front.and_then(|front| front.image.as_ref().or(front.logo.as_ref())) {
            meta = meta.with_image(site, &event.path(), image, &event.name, urls);
        } else if let Some(card) = super::social::event_card(site, event) {
            meta = meta.with_card(&card, &event.name, urls);
        }
        Meta {
            jsonld: event_jsonld(site, event, urls).map(|value| script_safe(&value)),
            ..meta
        }
    }
}

/// A base-prefixed path made absolute with the site's origin.
fn absolute(urls: &Urls, path_or_url: &str) -> String {
    if super::context::is_full_url(path_or_url) {
        return path_or_url.to_string();
    }
    format!("{}{path_or_url}", urls.origin())
}

fn blog_posting(
    site: &Site,
    post: &Post,
    urls: &Urls,
    description: &str,
    image: Option<&str>,
) -> Value {
    let front = &post.source.doc.front;
    let authors: Vec<Value> = post
        .authors
        .iter()
        .map(|&id| {
            let author = &site.authors[id];
            json!({"@type": "Person", "name": author.name, "url": urls.absolute(&author.path())})
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": front.title,
        "description": description,
        "datePublished": post.source.date.rfc3339(),
        "dateModified": front.updated.unwrap_or(post.source.date).rfc3339(),
        "url": urls.absolute(&post.path),
        "mainEntityOfPage": urls.absolute(&post.path),
        "author": authors,
        "keywords": post.tags.iter().map(|&id| site.tags[id].name.as_str()).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": site.config.title},
    });
    if let Some(image) = image {
        value["image"] = json!(image);
    }
    if let Some(event) = post.event.map(|id| &site.events[id]) {
        value["about"] = event_jsonld(site, event, urls).unwrap_or_else(
            || json!({"@type": "Event", "name": event.name, "url": urls.absolute(&event.path())}),
        );
        if let Some(map) = value["about"].as_object_mut() {
            map.remove("@context");
            map.remove("subEvent");
        }
    }
    value
}

/// JSON-LD of a dated event, with its sessions as `subEvent`s; undated
/// events are not valid schema.org Events.
fn event_jsonld(site: &Site, event: &Event, urls: &Urls) -> Option<Value> {
    let doc = event.doc.as_ref()?;
    let front = &doc.front;
    let zone = event.zone(&site.config);
    let location = front.location.as_deref().unwrap_or("");
    let online_url = front.online_url.as_deref().or(front.website.as_deref());
    let online = location.trim().eq_ignore_ascii_case("online") || front.online_url.is_some();
    let date = |stamp: crate::content::date::Timestamp| match stamp.has_time() {
        true => stamp.in_zone(zone).to_rfc3339(),
        false => stamp.ymd(),
    };
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.name,
        "startDate": date(front.start),
        "endDate": date(front.end.unwrap_or(front.start)),
        "url": urls.absolute(&event.path()),
        "eventAttendanceMode": if online {
            "https://schema.org/OnlineEventAttendanceMode"
        } else {
            "https://schema.org/OfflineEventAttendanceMode"
        },
    });
    let place =
        (!location.is_empty() && !location.trim().eq_ignore_ascii_case("online")).then(|| {
            let name = front.venue.as_deref().unwrap_or(location);
            json!({"@type": "Place", "name": name, "address": location})
        });
    match (online, online_url, place) {
        (true, Some(url), Some(place)) => {
            value["location"] = json!([{"@type": "VirtualLocation", "url": url}, place]);
        }
        (true, Some(url), None) => {
            value["location"] = json!({"@type": "VirtualLocation", "url": url})
        }
        (_, _, Some(place)) => value["location"] = place,
        _ => {}
    }
    let sessions: Vec<Value> = event
        .sessions
        .iter()
        .filter_map(|&id| session_jsonld(site, id, zone, urls))
        .collect();
    if !sessions.is_empty() {
        value["subEvent"] = json!(sessions);
    }
    Some(value)
}

/// A timed session as an Event with its speakers as performers.
fn session_jsonld(
    site: &Site,
    id: crate::site::SessionId,
    zone: chrono_tz::Tz,
    urls: &Urls,
) -> Option<Value> {
    let merged = &site.sessions[id];
    let session = &merged.session;
    let start = session.start?;
    let performers: Vec<Value> = merged
        .speakers
        .iter()
        .map(|&speaker| {
            let speaker = &site.speakers[speaker];
            let mut person = json!({
                "@type": "Person",
                "name": speaker.name,
                "url": urls.absolute(&speaker.path()),
            });
            if let Some(company) = &speaker.company {
                person["affiliation"] = json!({"@type": "Organization", "name": company});
            }
            person
        })
        .collect();
    let mut value = json!({
        "@type": "Event",
        "name": session.title,
        "startDate": start.in_zone(zone).to_rfc3339(),
        "url": urls.absolute(&site.posts[merged.recaps[0]].path),
    });
    if let Some(end) = session.end {
        value["endDate"] = json!(end.in_zone(zone).to_rfc3339());
    }
    if !performers.is_empty() {
        value["performer"] = json!(performers);
    }
    if let Some(room) = &session.room {
        value["location"] = json!({"@type": "Place", "name": room});
    }
    Some(value)
}

/// JSON that can sit inside `<script>`: no `</script>` or `<!--` can end it early.
fn script_safe(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub(crate) use crate::markdown::plain_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_strips_tags_and_entities() {
        assert_eq!(
            plain_text("<p>Fish &amp; <em>chips</em></p>"),
            "Fish & chips"
        );
    }

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let text = script_safe(&json!({"x": "</script><!--"}));
        assert!(!text.contains("</"));
        assert!(!text.contains("<!--"));
    }
}
