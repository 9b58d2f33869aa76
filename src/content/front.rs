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
    pub speakers: Vec<Speaker>,
    pub video: Option<String>,
    pub slides: Option<String>,
    /// When it starts; `when` is the older name.
    #[serde(alias = "when")]
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub track: Option<String>,
    pub room: Option<String>,
    pub kind: Option<SessionKind>,
    /// Markdown.
    #[serde(rename = "abstract")]
    pub summary: Option<String>,
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// Show the video (YouTube, Vimeo) or the PDF slides on the card itself.
    #[serde(default)]
    pub embed: bool,
    #[serde(default, deserialize_with = "deserialize_extra")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    Keynote,
    Talk,
    Panel,
    Workshop,
    Lightning,
    Demo,
    Tutorial,
}

/// A session's speaker: a name, "Name @ Company", "Name (Company)", or a
/// table `{ name = "...", company = "...", slug = "..." }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    pub name: String,
    pub company: Option<String>,
    /// The speaker's page: `content/speakers/<slug>.md`; default: the
    /// slugified name.
    pub slug: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerTable {
    name: String,
    company: Option<String>,
    slug: Option<String>,
}

impl Speaker {
    /// "Ada Lovelace @ Analytical" and "Ada Lovelace (Analytical)" name a
    /// company; anything else is a name.
    pub fn parse(text: &str) -> Speaker {
        let text = text.trim();
        let split = text
            .rsplit_once(" @ ")
            .or_else(|| {
                let inner = text.strip_suffix(')')?;
                let (name, company) = inner.rsplit_once(" (")?;
                Some((name, company))
            })
            .filter(|(name, company)| !name.trim().is_empty() && !company.trim().is_empty());
        match split {
            Some((name, company)) => Speaker {
                name: name.trim().to_string(),
                company: Some(company.trim().to_string()),
                slug: None,
            },
            None => Speaker {
                name: text.to_string(),
                company: None,
                slug: None,
            },
        }
    }
}

impl<'de> Deserialize<'de> for Speaker {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Speaker, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Speaker;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name (\"Ada Lovelace\", \"Ada Lovelace @ Company\") or a table { name = \"...\", company = \"...\", slug = \"...\" }")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Speaker, E> {
                Ok(Speaker::parse(text))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Speaker, A::Error> {
                let table =
                    SpeakerTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Speaker {
                    name: table.name,
                    company: table.company,
                    slug: table.slug,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    pub name: String,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    /// City or "Online".
    pub location: Option<String>,
    /// The building: "ExCeL London".
    pub venue: Option<String>,
    /// Where to find the team: "R39".
    pub booth: Option<String>,
    /// IANA name; times written without an offset are read in it.
    pub timezone: Option<String>,
    pub website: Option<String>,
    /// Where an online event is watched.
    pub online_url: Option<String>,
    pub image: Option<String>,
    pub logo: Option<String>,
    pub cfp_deadline: Option<Timestamp>,
    #[serde(default)]
    pub kind: EventKind,
    #[serde(default, deserialize_with = "deserialize_extra")]
    pub extra: Extra,
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
    #[serde(default, deserialize_with = "deserialize_extra")]
    pub extra: Extra,
}

/// `content/speakers/<slug>.md`: a person who gave sessions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerFront {
    pub name: String,
    pub company: Option<String>,
    pub bio: Option<String>,
    pub avatar: Option<String>,
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// The author slug of the same person, when they also write recaps.
    pub author: Option<String>,
    #[serde(default, deserialize_with = "deserialize_extra")]
    pub extra: Extra,
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
