//! Dates in front matter: a TOML date or datetime, or a string in YAML.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date with an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    instant: DateTime<FixedOffset>,
    has_time: bool,
}

const VALID_FORMS: &str =
    "expected a date like 2024-03-25 or an RFC 3339 datetime like 2024-03-25T14:30:00+01:00";

impl Timestamp {
    pub fn from_date(date: NaiveDate) -> Timestamp {
        let midnight = date.and_time(NaiveTime::MIN);
        Timestamp {
            instant: Utc.from_utc_datetime(&midnight).fixed_offset(),
            has_time: false,
        }
    }

    /// Parses the forms people write in front matter: a date, an RFC 3339
    /// datetime, or Jekyll's "2024-03-25 14:30:00 +0100".
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Timestamp::from_date(date));
        }
        let with_offset = DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z"))
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M %z"));
        if let Ok(instant) = with_offset {
            return Ok(Timestamp {
                instant,
                has_time: true,
            });
        }
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"));
        match local {
            Ok(naive) => Ok(Timestamp {
                instant: Utc.from_utc_datetime(&naive).fixed_offset(),
                has_time: true,
            }),
            Err(_) => Err(format!("invalid date `{text}`: {VALID_FORMS}")),
        }
    }

    /// The calendar date as written (in the date's own offset).
    pub fn date(&self) -> NaiveDate {
        self.instant.date_naive()
    }

    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.date().year()
    }

    /// RFC 3339, for feeds, sitemaps and `<time datetime>`.
    pub fn rfc3339(&self) -> String {
        self.instant.to_rfc3339()
    }

    pub fn ymd(&self) -> String {
        self.date().format("%Y-%m-%d").to_string()
    }

    pub fn has_time(&self) -> bool {
        self.has_time
    }

    /// The moment it names (midnight UTC for a date alone).
    pub fn instant(&self) -> DateTime<FixedOffset> {
        self.instant
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        match WrittenDate::deserialize(deserializer)? {
            WrittenDate::Text(text) => Timestamp::parse(&text).map_err(de::Error::custom),
            WrittenDate::Toml(datetime) => {
                Timestamp::parse(&datetime.to_string()).map_err(de::Error::custom)
            }
            WrittenDate::Other(_) => Err(de::Error::custom(format!(
                "this is not a date: {VALID_FORMS}"
            ))),
        }
    }
}

/// A date as front matter may hold it: text (YAML, or a quoted TOML
/// string), or a TOML date or datetime.
#[derive(Deserialize)]
#[serde(untagged)]
enum WrittenDate {
    Toml(toml::value::Datetime),
    Text(String),
    Other(de::IgnoredAny),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_write() {
        assert_eq!(Timestamp::parse("2024-03-25").unwrap().ymd(), "2024-03-25");
        let dated = Timestamp::parse("2024-03-25T23:30:00+01:00").unwrap();
        assert_eq!(dated.ymd(), "2024-03-25");
        assert!(dated.has_time());
        assert!(Timestamp::parse("2024-03-25 14:30:00 +0100").is_ok());
        assert!(
            Timestamp::parse("2024-13-01")
                .unwrap_err()
                .contains("invalid date")
        );
    }

    #[test]
    fn reads_toml_datetimes() {
        #[derive(Deserialize)]
        struct Front {
            date: Timestamp,
        }
        let front: Front = toml::from_str("date = 2024-03-25T10:00:00Z").unwrap();
        assert_eq!(front.date.ymd(), "2024-03-25");
        let front: Front = toml::from_str("date = 2024-03-25").unwrap();
        assert!(!front.date.has_time());
    }
}
