//! Sessions and speakers. The sessions of every recap are merged per event
//! (a talk two recaps cover is one session crediting both), put in time
//! order, and the people who gave them become speakers, with a page each.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{
    AuthorId, EventId, PostId, SessionId, Site, SpeakerId, find_or_add, index_by_slug_and_name,
    sort_by,
};
use crate::content::front::{Session, SpeakerFront};
use crate::content::{Document, slugs};
use crate::diagnostics::Diagnostic;
use crate::locate::{Step, key_at};
use crate::markdown::Rendered;

/// One session as the site shows it: every recap's copy merged.
#[derive(Clone)]
pub struct SiteSession {
    pub session: Session,
    pub event: Option<EventId>,
    /// Every recap that covers it, newest first.
    pub recaps: Vec<PostId>,
    pub speakers: Vec<SpeakerId>,
}

#[derive(Clone)]
pub struct Speaker {
    pub name: String,
    pub slug: String,
    pub company: Option<String>,
    /// None for a speaker named only by sessions.
    pub doc: Option<Arc<Document<SpeakerFront>>>,
    pub content: Arc<Rendered>,
    /// In site order: by event, then time.
    pub sessions: Vec<SessionId>,
    /// The same person as an author of recaps.
    pub author: Option<AuthorId>,
}

impl Speaker {
    pub fn path(&self) -> String {
        format!("/speakers/{}/", self.slug)
    }

    fn from_file((slug, doc): (String, Arc<Document<SpeakerFront>>)) -> Speaker {
        Speaker {
            name: doc.front.name.clone(),
            company: doc.front.company.clone(),
            slug,
            doc: Some(doc),
            content: Arc::default(),
            sessions: Vec::new(),
            author: None,
        }
    }

    fn named(name: &str, slug: String) -> Speaker {
        Speaker {
            name: name.to_string(),
            slug,
            company: None,
            doc: None,
            content: Arc::default(),
            sessions: Vec::new(),
            author: None,
        }
    }
}

/// A session being merged, with where each copy came from.
struct Merging {
    session: Session,
    event: Option<EventId>,
    recaps: Vec<PostId>,
}

impl Site {
    /// Merges, orders and links sessions and speakers; returns a warning
    /// for each field two recaps of one session disagree on.
    pub(super) fn link_sessions(
        &mut self,
        speaker_files: Vec<(String, Arc<Document<SpeakerFront>>)>,
    ) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        let mut merged: Vec<Merging> = Vec::new();
        let mut by_key: HashMap<(EventId, String), usize> = HashMap::new();
        let mut of_post: Vec<Vec<usize>> = Vec::with_capacity(self.posts.len());
        for post_id in PostId::all(self.posts.len()) {
            let post = &self.posts[post_id];
            let mut mine = Vec::with_capacity(post.sessions().len());
            for (index, session) in post.sessions().iter().enumerate() {
                let key = post
                    .event
                    .map(|event| (event, slugs::slugify(&session.title)));
                let existing = key.as_ref().and_then(|key| by_key.get(key).copied());
                let at = match existing {
                    Some(at) => {
                        let target = &mut merged[at];
                        let conflicts = merge(&mut target.session, session);
                        if !conflicts.is_empty() {
                            let first =
                                self.posts[target.recaps[0]].source.doc.display_path.clone();
                            warnings.extend(conflict_warnings(post, index, &first, &conflicts));
                        }
                        target.recaps.push(post_id);
                        at
                    }
                    None => {
                        merged.push(Merging {
                            session: session.clone(),
                            event: post.event,
                            recaps: vec![post_id],
                        });
                        if let Some(key) = key {
                            by_key.insert(key, merged.len() - 1);
                        }
                        merged.len() - 1
                    }
                };
                mine.push(at);
            }
            of_post.push(mine);
        }
        let new_place = sort_by(&mut merged, |a, b| {
            let event = |m: &Merging| m.event.map_or(usize::MAX, EventId::index);
            let start = |m: &Merging| m.session.start.map(|s| s.instant());
            event(a)
                .cmp(&event(b))
                .then_with(|| match (start(a), start(b)) {
                    (Some(a), Some(b)) => a.cmp(&b),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    // Untimed: in the order the recaps list them.
                    (None, None) => std::cmp::Ordering::Equal,
                })
        });
        for (post, mine) in self.posts.iter_mut().zip(of_post) {
            post.session_ids = mine
                .into_iter()
                .map(|at| SessionId::new(new_place[at]))
                .collect();
        }
        self.sessions = merged
            .into_iter()
            .map(|m| SiteSession {
                session: m.session,
                event: m.event,
                recaps: m.recaps,
                speakers: Vec::new(),
            })
            .collect();
        for (id, session) in self.sessions.iter().enumerate() {
            if let Some(event) = session.event {
                self.events[event].sessions.push(SessionId::new(id));
            }
        }
        self.link_speakers(speaker_files);
        warnings
    }

    /// Speakers from their files and from every session's speakers.
    fn link_speakers(&mut self, speaker_files: Vec<(String, Arc<Document<SpeakerFront>>)>) {
        self.speakers = speaker_files.into_iter().map(Speaker::from_file).collect();
        let mut index = index_by_slug_and_name(&self.speakers, |s| (&s.slug, &s.name));
        let mut named: Vec<Vec<usize>> = Vec::with_capacity(self.sessions.len());
        for session in &self.sessions {
            let mut ids = Vec::new();
            for speaker in &session.session.speakers {
                let slug = slugs::slugify(speaker.slug.as_deref().unwrap_or(&speaker.name));
                let id = find_or_add(
                    &mut index,
                    &mut self.speakers,
                    &speaker.name,
                    &slug,
                    Speaker::named,
                );
                let known = &mut self.speakers[id];
                if known.company.is_none() {
                    known.company.clone_from(&speaker.company);
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            named.push(ids);
        }
        let new_place = sort_by(&mut self.speakers, |a, b| {
            a.name.to_lowercase().cmp(&b.name.to_lowercase())
        });
        for (at, ids) in named.into_iter().enumerate() {
            let session_id = SessionId::new(at);
            for old in ids {
                let id = SpeakerId::new(new_place[old]);
                self.sessions[session_id].speakers.push(id);
                self.speakers[id].sessions.push(session_id);
            }
        }
        let authors: HashMap<&str, usize> = self
            .authors
            .iter()
            .enumerate()
            .map(|(at, author)| (author.slug.as_str(), at))
            .collect();
        let mut links = Vec::new();
        for (at, speaker) in self.speakers.iter().enumerate() {
            let wanted = speaker
                .doc
                .as_ref()
                .and_then(|doc| doc.front.author.as_deref())
                .map(slugs::slugify)
                .unwrap_or_else(|| speaker.slug.clone());
            if let Some(&author) = authors.get(wanted.as_str()) {
                links.push((SpeakerId::new(at), AuthorId::new(author)));
            }
        }
        for (speaker, author) in links {
            self.speakers[speaker].author = Some(author);
            self.authors[author].speaker = Some(speaker);
        }
    }
}

/// Fills what `into` lacks from `from`; returns the fields both have with
/// different values (`into`'s, from the newer recap, are kept).
fn merge(into: &mut Session, from: &Session) -> Vec<&'static str> {
    let mut conflicts = Vec::new();
    macro_rules! field {
        ($name:ident, $key:literal) => {
            match (&into.$name, &from.$name) {
                (None, Some(_)) => into.$name = from.$name.clone(),
                (Some(kept), Some(other)) if kept != other => conflicts.push($key),
                _ => {}
            }
        };
    }
    field!(start, "start");
    field!(end, "end");
    field!(room, "room");
    field!(kind, "kind");
    field!(track, "track");
    field!(video, "video");
    field!(slides, "slides");
    field!(summary, "abstract");
    for speaker in &from.speakers {
        let same = |known: &crate::content::front::Speaker| {
            slugs::slugify(known.slug.as_deref().unwrap_or(&known.name))
                == slugs::slugify(speaker.slug.as_deref().unwrap_or(&speaker.name))
        };
        if !into.speakers.iter().any(same) {
            into.speakers.push(speaker.clone());
        }
    }
    for (name, url) in &from.links {
        into.links
            .entry(name.clone())
            .or_insert_with(|| url.clone());
    }
    for (key, value) in &from.extra {
        into.extra
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    into.embed |= from.embed;
    conflicts
}

/// A warning at each field of session `index` of `post` that disagrees
/// with the copy in `first` (the newer recap, whose value is kept).
fn conflict_warnings(
    post: &super::Post,
    index: usize,
    first: &Path,
    fields: &[&str],
) -> Vec<Diagnostic> {
    let doc = &post.source.doc;
    let text = std::fs::read_to_string(&doc.path).unwrap_or_default();
    let title = &post.sessions()[index].title;
    fields
        .iter()
        .map(|&field| {
            let (line, column) = key_at(
                &text,
                &[Step::Key("sessions"), Step::Index(index), Step::Key(field)],
            );
            Diagnostic::warning(
                &doc.display_path,
                format!(
                    "the session “{title}” has another `{field}` in {}; the newer recap's is shown",
                    first.display()
                ),
            )
            .at(&text, line, column)
            .width(field.len())
            .help("two recaps of one talk are merged into one session: give them the same value, or leave it out of one")
        })
        .collect()
}
