//! The front matter keys of docs/content.md, exactly: unknown keys are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::date::Timestamp;

pub(crate) type Extra = serde_json::Map<String, serde_json::Value>;

/// Reads free-form `extra` data for templates: TOML dates and datetimes
/// become their text, as YAML ones already are.
pub(crate) fn deserialize_extra<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Extra, D::Error> {
    let table = BTreeMap::<String, ExtraValue>::deserialize(deserializer)?;
    Ok(table
        .into_iter()
        .map(|(key, value)| (key, value.into_json()))
        .collect())
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ExtraValue {
    Date(toml::value::Datetime),
    List(Vec<ExtraValue>),
    Table(BTreeMap<String, ExtraValue>),
    Plain(serde_json::Value),
}

impl ExtraValue {
    fn into_json(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            ExtraValue::Date(datetime) => Value::String(datetime.to_string()),
            ExtraValue::List(items) => {
                Value::Array(items.into_iter().map(Self::into_json).collect())
            }
            ExtraValue::Table(table) => Value::Object(
                table
                    .into_iter()
                    .map(|(key, value)| (key, value.into_json()))
                    .collect(),
            ),
            ExtraValue::Plain(value) => value,
        }
    }
}

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
    #[serde(default, deserialize_with = "deserialize_extra")]
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
    /// Show the video (YouTube, Vimeo) or the PDF slides on the card itself.
    #[serde(default)]
    pub embed: bool,
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
    #[serde(default, deserialize_with = "deserialize_extra")]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_dates_become_text_at_any_depth() {
        let front: PageFront = toml::from_str(
            "title = \"x\"\n[extra]\nsince = 2024-03-25\nat = 2024-03-25T10:00:00Z\nlist = [2024-01-01, \"a\"]\n[extra.nested]\nwhen = 2024-05-01\ncount = 3\n",
        )
        .unwrap();
        let extra = serde_json::Value::Object(front.extra);
        assert_eq!(extra["since"], "2024-03-25");
        assert_eq!(extra["at"], "2024-03-25T10:00:00Z");
        assert_eq!(extra["list"][0], "2024-01-01");
        assert_eq!(extra["list"][1], "a");
        assert_eq!(extra["nested"]["when"], "2024-05-01");
        assert_eq!(extra["nested"]["count"], 3);
    }
}
