//! The front matter keys of docs/content.md, exactly: unknown keys are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::date::Timestamp;

pub(crate) type Extra = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostFront {
    pub title: String,
    pub date: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub event: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub image: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub title: String,
    #[serde(default)]
    pub speakers: Vec<String>,
    pub video: Option<String>,
    pub slides: Option<String>,
    pub when: Option<Timestamp>,
    pub track: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    pub name: String,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub location: Option<String>,
    pub website: Option<String>,
    #[serde(default)]
    pub kind: EventKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    #[default]
    Conference,
    Hackathon,
    Meetup,
    Workshop,
    Other,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorFront {
    pub name: String,
    pub bio: Option<String>,
    pub avatar: Option<String>,
    #[serde(default)]
    pub links: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    pub description: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: Extra,
}
