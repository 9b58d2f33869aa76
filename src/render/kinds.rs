//! One function per kind of page: the variables each template receives
//! (docs/templates.md lists them).

use serde_json::{Value, json};

use super::Renderer;
use super::context;
use super::pages::{
    BaseOf, Job, PageParts, first_page_base, heading_for_page, insert_owned, job_path,
};
use super::seo::Meta;
use crate::site::{AliasId, AuthorId, EventId, PageId, PostId, SpeakerId, TagId};

impl Renderer {
    pub(super) fn home_page(&self, job: Job, page: usize) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let path = job_path(site, job);
        let mut context = self.context(
            &path,
            Meta::page(site, heading_for_page(None, page).as_deref(), &path, &urls),
        );
        let ids: Vec<PostId> = PostId::all(site.posts.len()).collect();
        self.insert_listing(&mut context, "/", &ids, page);
        context.insert("upcoming_events", &self.upcoming_events());
        PageParts {
            template: "index.html",
            path,
            context,
        }
    }

    pub(super) fn post_page(&self, id: PostId) -> PageParts {
        let site = &*self.site;
        let post = &site.posts[id];
        let mut context = self.context(&post.path, Meta::post(site, post, &self.urls()));
        insert_owned(&mut context, "post", self.post_value(id));
        let newer = id.index().checked_sub(1).map(PostId::new);
        let older =
            Some(PostId::new(id.index() + 1)).filter(|older| older.index() < site.posts.len());
        let newer = newer.map(|id| self.summary(id));
        let older = older.map(|id| self.summary(id));
        insert_owned(&mut context, "newer", newer.unwrap_or_default());
        insert_owned(&mut context, "older", older.unwrap_or_default());
        PageParts {
            template: "post.html",
            path: post.path.clone(),
            context,
        }
    }

    pub(super) fn standalone_page(&self, id: PageId) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let page = &site.pages[id];
        let front = &page.doc.front;
        let meta = Meta::page(site, Some(&front.title), &page.path, &urls)
            .with_description(front.description.as_deref());
        let mut context = self.context(&page.path, meta);
        context.insert(
            "page",
            &json!({
                "title": front.title,
                "description": front.description,
                "url": urls.path(&page.path),
                "content": page.rendered.html,
                "toc": page.rendered.toc,
                "extra": front.extra,
            }),
        );
        PageParts {
            template: "page.html",
            path: page.path.clone(),
            context,
        }
    }

    /// The pages of the site as a whole: archive, tags, events, authors,
    /// talks, search and 404.
    pub(super) fn section_page(&self, job: Job) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let (template, title) = match job {
            Job::Archive => ("archive.html", "archive"),
            Job::Tags => ("tags.html", "tags"),
            Job::Events => ("events.html", "events"),
            Job::Authors => ("authors.html", "authors"),
            Job::Speakers => ("speakers.html", "speakers"),
            Job::Talks => ("talks.html", "talks"),
            Job::Search => ("search.html", "search"),
            _ => ("404.html", "page_not_found"),
        };
        let path = job_path(site, job);
        let title = self.templates.words.word(title);
        let mut context = self.context(&path, Meta::page(site, Some(&title), &path, &urls));
        match job {
            Job::Archive => {
                insert_owned(&mut context, "years", Value::Array(self.archive_years()));
            }
            Job::Tags => {
                let tags: Vec<Value> = site.tags.iter().map(|tag| self.tag_value(tag)).collect();
                context.insert("tags", &tags);
            }
            Job::Events => self.insert_events_overview(&mut context),
            Job::Authors => {
                let authors: Vec<_> = site
                    .authors
                    .iter()
                    .map(|a| context::author_view(site, a, &urls))
                    .collect();
                context.insert("authors", &authors);
            }
            Job::Speakers => {
                let speakers: Vec<_> = site
                    .speakers
                    .iter()
                    .map(|s| context::speaker_view(site, s, &urls))
                    .collect();
                context.insert("speakers", &speakers);
            }
            Job::Talks => {
                context.insert("events", &self.talks_by_event());
                context.insert("years", &self.talks_by_year());
            }
            _ => {}
        }
        PageParts {
            template,
            path,
            context,
        }
    }

    pub(super) fn tag_page(&self, job: Job, id: TagId, page: usize) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let tag = &site.tags[id];
        let path = job_path(site, job);
        let tagged = format!(
            "{} “{}”",
            self.templates.words.word("recaps_tagged"),
            tag.name
        );
        let heading = heading_for_page(Some(&tagged), page);
        let mut context = self.context(&path, Meta::page(site, heading.as_deref(), &path, &urls));
        context.insert("tag", &self.tag_value(tag));
        self.insert_listing(&mut context, &tag.path(), &tag.posts, page);
        PageParts {
            template: "tag.html",
            path,
            context,
        }
    }

    pub(super) fn event_page(&self, job: Job, id: EventId) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let event = &site.events[id];
        let path = job_path(site, job);
        let mut context = self.context(&path, Meta::event(site, event, &urls));
        let mut view = context::event_view(site, event, &urls);
        view.description = Some(&event.description.html);
        context.insert("event", &view);
        let posts = event.posts.iter().map(|&i| self.summary(i)).collect();
        insert_owned(&mut context, "posts", Value::Array(posts));
        let sessions = context::session_views(site, &event.sessions, &urls);
        context.insert("sessions", &sessions);
        insert_owned(
            &mut context,
            "agenda",
            Value::Array(context::agenda(sessions)),
        );
        let authors: Vec<_> = event
            .authors
            .iter()
            .map(|&a| context::author_ref(&site.authors[a], &urls))
            .collect();
        context.insert("authors", &authors);
        PageParts {
            template: "event.html",
            path,
            context,
        }
    }

    pub(super) fn author_page(&self, job: Job, id: AuthorId, page: usize) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let author = &site.authors[id];
        let path = job_path(site, job);
        let description = author.doc.as_ref().and_then(|d| d.front.bio.as_deref());
        let meta = Meta::page(
            site,
            heading_for_page(Some(&author.name), page).as_deref(),
            &path,
            &urls,
        )
        .with_description(description);
        let mut context = self.context(&path, meta);
        let mut view = context::author_view(site, author, &urls);
        view.content = Some(&author.content.html);
        context.insert("author", &view);
        self.insert_listing(&mut context, &author.path(), &author.posts, page);
        PageParts {
            template: "author.html",
            path,
            context,
        }
    }

    pub(super) fn speaker_page(&self, job: Job, id: SpeakerId) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let speaker = &site.speakers[id];
        let path = job_path(site, job);
        let description = speaker.doc.as_ref().and_then(|d| d.front.bio.as_deref());
        let meta =
            Meta::page(site, Some(&speaker.name), &path, &urls).with_description(description);
        let mut context = self.context(&path, meta);
        let mut view = context::speaker_view(site, speaker, &urls);
        view.content = Some(&speaker.content.html);
        context.insert("speaker", &view);
        context.insert(
            "sessions",
            &context::session_views(site, &speaker.sessions, &urls),
        );
        PageParts {
            template: "speaker.html",
            path,
            context,
        }
    }

    pub(super) fn alias_page(&self, id: AliasId) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let alias = &site.aliases[id];
        let mut context = self.context(&alias.path, Meta::page(site, None, &alias.target, &urls));
        context.insert("target", &urls.absolute(&alias.target));
        PageParts {
            template: "alias.html",
            path: alias.path.clone(),
            context,
        }
    }

    /// `/page/1/` of a listing redirects to the listing itself.
    pub(super) fn first_page_redirect(&self, job: Job, base: BaseOf) -> PageParts {
        let site = &*self.site;
        let urls = self.urls();
        let base = first_page_base(site, base);
        let path = job_path(site, job);
        let mut context = self.context(&path, Meta::page(site, None, &base, &urls));
        context.insert("target", &urls.absolute(&base));
        PageParts {
            template: "alias.html",
            path,
            context,
        }
    }
}
