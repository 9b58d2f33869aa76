//! Every HTML page of the site as a job: which template, which URL, which
//! variables. Jobs are independent and rendered in parallel.

use serde_json::{Value, json};
use tera::Context;

use super::context::{self, Urls};
use super::seo::Meta;
use super::{Renderer, templates};
use crate::site::urls::{page_count, page_path, page_range};
use crate::site::{AliasId, AuthorId, EventId, PageId, PostId, SessionId, Site, SpeakerId, TagId};

/// Bytes of a page besides the post it shows, to start its buffer with:
/// the layout and ten post cards come to about that.
const PAGE_CAPACITY: usize = 16 << 10;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Job {
    Home {
        page: usize,
    },
    Post(PostId),
    Page(PageId),
    Archive,
    Tags,
    Tag {
        tag: TagId,
        page: usize,
    },
    Events,
    Event(EventId),
    Authors,
    Author {
        author: AuthorId,
        page: usize,
    },
    Speakers,
    Speaker(SpeakerId),
    Talks,
    Search,
    NotFound,
    Alias(AliasId),
    /// `/page/1/` and its kin redirect to the listing's first page.
    FirstPage {
        base: BaseOf,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum BaseOf {
    Home,
    Tag(TagId),
    Author(AuthorId),
}

/// All jobs of a site.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.posts_per_page;
    let mut jobs = vec![
        Job::Archive,
        Job::Tags,
        Job::Events,
        Job::Search,
        Job::Authors,
        Job::Speakers,
        Job::Talks,
        Job::NotFound,
    ];
    jobs.extend((1..=page_count(site.posts.len(), per_page)).map(|page| Job::Home { page }));
    jobs.push(Job::FirstPage { base: BaseOf::Home });
    jobs.extend(PostId::all(site.posts.len()).map(Job::Post));
    jobs.extend(PageId::all(site.pages.len()).map(Job::Page));
    for (id, tag) in TagId::all(site.tags.len()).zip(&site.tags) {
        jobs.extend(
            (1..=page_count(tag.posts.len(), per_page)).map(|page| Job::Tag { tag: id, page }),
        );
        jobs.push(Job::FirstPage {
            base: BaseOf::Tag(id),
        });
    }
    jobs.extend(EventId::all(site.events.len()).map(Job::Event));
    for (id, author) in AuthorId::all(site.authors.len()).zip(&site.authors) {
        jobs.extend(
            (1..=page_count(author.posts.len(), per_page))
                .map(|page| Job::Author { author: id, page }),
        );
        jobs.push(Job::FirstPage {
            base: BaseOf::Author(id),
        });
    }
    jobs.extend(SpeakerId::all(site.speakers.len()).map(Job::Speaker));
    jobs.extend(AliasId::all(site.aliases.len()).map(Job::Alias));
    jobs
}

/// The URL path a job renders.
pub(crate) fn job_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home { page } => page_path("/", page),
        Job::Post(id) => site.posts[id].path.clone(),
        Job::Page(id) => site.pages[id].path.clone(),
        Job::Archive => "/archive/".into(),
        Job::Tags => "/tags/".into(),
        Job::Tag { tag, page } => page_path(&site.tags[tag].path(), page),
        Job::Events => "/events/".into(),
        Job::Event(id) => site.events[id].path(),
        Job::Authors => "/authors/".into(),
        Job::Author { author, page } => page_path(&site.authors[author].path(), page),
        Job::Speakers => "/speakers/".into(),
        Job::Speaker(id) => site.speakers[id].path(),
        Job::Talks => "/talks/".into(),
        Job::Search => "/search/".into(),
        Job::NotFound => "/404.html".into(),
        Job::Alias(id) => site.aliases[id].path.clone(),
        Job::FirstPage { base } => format!("{}page/1/", first_page_base(site, base)),
    }
}

pub(super) fn first_page_base(site: &Site, base: BaseOf) -> String {
    match base {
        BaseOf::Home => "/".to_string(),
        BaseOf::Tag(id) => site.tags[id].path(),
        BaseOf::Author(id) => site.authors[id].path(),
    }
}

/// A page ready to render: its template, URL path and variables.
pub(super) struct PageParts {
    pub(super) template: &'static str,
    pub(super) path: String,
    pub(super) context: Context,
}

impl Renderer {
    /// Renders one job into (URL path, HTML).
    pub(crate) fn render_job(&self, job: Job) -> Result<(String, String), tera::Error> {
        let shown_body_len = match job {
            Job::Post(id) => self.site.posts[id].rendered.html.len(),
            _ => 0,
        };
        let PageParts {
            template,
            path,
            mut context,
        } = match job {
            Job::Home { page } => self.home_page(job, page),
            Job::Post(id) => self.post_page(id),
            Job::Page(id) => self.standalone_page(id),
            Job::Tag { tag, page } => self.tag_page(job, tag, page),
            Job::Event(id) => self.event_page(job, id),
            Job::Author { author, page } => self.author_page(job, author, page),
            Job::Speaker(id) => self.speaker_page(job, id),
            Job::Alias(id) => self.alias_page(id),
            Job::FirstPage { base } => self.first_page_redirect(job, base),
            Job::Archive
            | Job::Tags
            | Job::Events
            | Job::Authors
            | Job::Speakers
            | Job::Talks
            | Job::Search
            | Job::NotFound => self.section_page(job),
        };
        let urls = self.urls();
        context.insert("feeds", &self.feed_links(job));
        context.insert("current_path", &urls.path(&path));
        context.insert("current_url", &urls.absolute(&path));
        let html = templates::render_sized(
            &self.templates.tera,
            template,
            &context,
            PAGE_CAPACITY + shown_body_len,
        )?;
        Ok((path, html))
    }

    /// The feeds a page announces with `<link rel="alternate">`: the site's,
    /// and the tag's or event's own.
    fn feed_links(&self, job: Job) -> Vec<Value> {
        use super::feeds::{FeedOf, feed_paths};
        let site = &*self.site;
        let urls = self.urls();
        let link = |of: FeedOf, title: String| json!({"title": title, "url": urls.path(&feed_paths(site, of).0)});
        let mut links = vec![link(FeedOf::Site, site.config.title.clone())];
        match job {
            Job::Tag { tag, .. } => {
                links.push(link(
                    FeedOf::Tag(tag),
                    format!("{} · {}", site.tags[tag].name, site.config.title),
                ));
            }
            Job::Event(event) => {
                links.push(link(
                    FeedOf::Event(event),
                    format!("{} · {}", site.events[event].name, site.config.title),
                ));
            }
            _ => {}
        }
        links
    }

    pub(super) fn context(&self, _path: &str, meta: Meta) -> Context {
        let mut context = self.globals.clone();
        context.insert("meta", &meta);
        context
    }

    pub(super) fn insert_listing(
        &self,
        context: &mut Context,
        base: &str,
        post_ids: &[PostId],
        page: usize,
    ) {
        let per_page = self.site.config.posts_per_page;
        let posts = post_ids[page_range(post_ids.len(), page, per_page)]
            .iter()
            .map(|&id| self.summary(id))
            .collect();
        insert_owned(context, "posts", Value::Array(posts));
        let urls = self.urls();
        context.insert(
            "paginator",
            &context::paginator(base, page, post_ids.len(), per_page, &urls),
        );
    }

    pub(crate) fn tag_value(&self, tag: &crate::site::Tag) -> Value {
        json!({
            "name": tag.name,
            "slug": tag.slug,
            "url": self.urls().path(&tag.path()),
            "count": tag.posts.len(),
        })
    }

    /// Upcoming events, soonest first.
    pub(crate) fn upcoming_events(&self) -> Vec<&Value> {
        let mut upcoming: Vec<EventId> = EventId::all(self.site.events.len())
            .filter(|&id| self.site.events[id].is_upcoming(self.site.today))
            .collect();
        upcoming.reverse();
        upcoming
            .into_iter()
            .map(|id| &self.events[id.index()])
            .collect()
    }

    pub(super) fn insert_events_overview(&self, context: &mut Context) {
        let site = &*self.site;
        context.insert("upcoming", &self.upcoming_events());
        let mut past: Vec<(i32, Value)> = Vec::new();
        let mut undated: Vec<&Value> = Vec::new();
        for (id, event) in site.events.iter().enumerate() {
            match event.start() {
                None => undated.push(&self.events[id]),
                Some(_) if event.is_upcoming(site.today) => {}
                Some(start) => past.push((start.year(), self.events[id].clone())),
            }
        }
        let past_years = group_by_year(past, "events");
        context.insert("past_years", &past_years);
        context.insert("undated", &undated);
    }

    pub(super) fn archive_years(&self) -> Vec<Value> {
        let urls = self.urls();
        let entries = self.site.posts.iter().map(|post| {
            let entry = context::archive_entry(&self.site, post, &urls);
            (
                post.source.date.year(),
                serde_json::to_value(entry).unwrap_or_default(),
            )
        });
        group_by_year(entries, "posts")
    }

    /// Sessions grouped by event (newest first), then sessions of recaps with no event.
    pub(super) fn talks_by_event(&self) -> Vec<Value> {
        let site = &*self.site;
        let urls = self.urls();
        let mut groups: Vec<Value> = site
            .events
            .iter()
            .enumerate()
            .filter(|(_, event)| !event.sessions.is_empty())
            .map(|(id, event)| {
                json!({
                    "event": self.events[id],
                    "sessions": context::session_views(site, &event.sessions, &urls),
                })
            })
            .collect();
        let loose: Vec<SessionId> = SessionId::all(site.sessions.len())
            .filter(|&id| site.sessions[id].event.is_none())
            .collect();
        if !loose.is_empty() {
            groups.push(
                json!({"event": null, "sessions": context::session_views(site, &loose, &urls)}),
            );
        }
        groups
    }

    /// The sessions of `talks_by_event` in one group per year, newest
    /// first: `{year, events: [{event, sessions}]}`. An event counts in the
    /// year it starts; sessions without an event (or of an event without
    /// dates) in the year of their newest recap.
    pub(super) fn talks_by_year(&self) -> Vec<Value> {
        let site = &*self.site;
        let urls = self.urls();
        let recap_year = |id: SessionId| {
            site.sessions[id]
                .recaps
                .first()
                .map_or(0, |&post| site.posts[post].source.date.year())
        };
        let mut groups: Vec<(i32, Value)> = Vec::new();
        for (id, event) in site.events.iter().enumerate() {
            let Some(&first) = event.sessions.first() else {
                continue;
            };
            let year = event
                .start()
                .map_or_else(|| recap_year(first), |start| start.year());
            let sessions = context::session_views(site, &event.sessions, &urls);
            groups.push((
                year,
                json!({"event": self.events[id], "sessions": sessions}),
            ));
        }
        let loose =
            SessionId::all(site.sessions.len()).filter(|&id| site.sessions[id].event.is_none());
        for id in loose {
            let session = context::session_view(site, id, &urls);
            groups.push((
                recap_year(id),
                json!({"event": null, "sessions": [session]}),
            ));
        }
        // Stable: events keep their order (newest first) within a year.
        groups.sort_by_key(|(year, _)| std::cmp::Reverse(*year));
        group_by_year(groups, "events")
    }

    /// A post for its own page: its summary plus the body and what only
    /// the page shows (docs/templates.md "Post").
    pub(super) fn post_value(&self, id: PostId) -> Value {
        let post = &self.site.posts[id];
        let mut value = self.summary(id);
        value["content"] = Value::String(post.rendered.html.to_string());
        value["toc"] = serde_json::to_value(&post.rendered.toc).unwrap_or_default();
        value["sessions"] = serde_json::to_value(context::session_views(
            &self.site,
            &post.session_ids,
            &self.urls(),
        ))
        .unwrap_or_default();
        value["extra"] = serde_json::to_value(&post.source.doc.front.extra).unwrap_or_default();
        value
    }

    pub(crate) fn urls(&self) -> Urls<'_> {
        Urls {
            base_path: self.site.config.base_path(),
            base_url: &self.site.config.base_url,
        }
    }
}

/// `items`, in order, as `[{year, <key>: [...]}]`: a new group wherever
/// the year changes.
fn group_by_year(items: impl IntoIterator<Item = (i32, Value)>, key: &str) -> Vec<Value> {
    let mut groups: Vec<Value> = Vec::new();
    for (year, item) in items {
        if groups
            .last()
            .is_none_or(|group| group["year"] != json!(year))
        {
            groups.push(json!({"year": year, key: []}));
        }
        if let Some(Value::Array(list)) = groups.last_mut().map(|group| &mut group[key]) {
            list.push(item);
        }
    }
    groups
}

/// Moves `value` into `context`: `Context::insert` would serialise a copy.
pub(super) fn insert_owned(context: &mut Context, key: &str, value: Value) {
    let mut object = serde_json::Map::new();
    object.insert(key.to_string(), value);
    context.extend(Context::from_value(Value::Object(object)).expect("an object is a context"));
}

/// "Tags" on page 1, "Tags (page 2)" after.
pub(super) fn heading_for_page(heading: Option<&str>, page: usize) -> Option<String> {
    match (heading, page) {
        (Some(heading), 1) => Some(heading.to_string()),
        (Some(heading), n) => Some(format!("{heading} (page {n})")),
        (None, 1) => None,
        (None, n) => Some(format!("Page {n}")),
    }
}
