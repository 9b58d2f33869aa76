//! Dates in front matter: a TOML date or datetime, or a string in YAML.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date with an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    instant: DateTime<FixedOffset>,
    has_time: bool,
    /// An offset (or `Z`) was written; without one, a time is a wall-clock
    /// time, read as UTC unless a time zone applies ([`Timestamp::in_zone`]).
    zone_written: bool,
}

const VALID_FORMS: &str =
    "expected a date like 2024-03-25 or an RFC 3339 datetime like 2024-03-25T14:30:00+01:00";

impl Timestamp {
    pub fn from_date(date: NaiveDate) -> Timestamp {
        let midnight = date.and_time(NaiveTime::MIN);
        Timestamp {
            instant: Utc.from_utc_datetime(&midnight).fixed_offset(),
            has_time: false,
            zone_written: false,
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
                zone_written: true,
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
                zone_written: false,
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

    /// The moment in `zone`: a time written without an offset is a
    /// wall-clock time there (the earlier one when clocks go back; just
    /// after the gap when they go forward), one with an offset is moved
    /// into it.
    pub fn in_zone(&self, zone: chrono_tz::Tz) -> DateTime<chrono_tz::Tz> {
        if self.zone_written {
            return self.instant.with_timezone(&zone);
        }
        let wall = self.instant.naive_utc();
        zone.from_local_datetime(&wall)
            .earliest()
            .or_else(|| {
                zone.from_local_datetime(&(wall + chrono::Duration::hours(1)))
                    .earliest()
            })
            .unwrap_or_else(|| zone.from_utc_datetime(&wall))
    }
}

/// An IANA time zone name (`Europe/Berlin`), or what is wrong with it and
/// the nearest valid name.
pub(crate) fn parse_zone(name: &str) -> Result<chrono_tz::Tz, String> {
    if let Ok(zone) = name.parse::<chrono_tz::Tz>() {
        return Ok(zone);
    }
    let names = chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name());
    let same_but_case = names.clone().find(|known| known.eq_ignore_ascii_case(name));
    let nearest = same_but_case.or_else(|| crate::diagnostics::suggest(name, names));
    Err(match nearest {
        Some(known) => format!("unknown time zone `{name}`; did you mean `{known}`?"),
        None => format!("unknown time zone `{name}`"),
    })
}

/// What a time zone key takes.
pub(crate) const ZONE_HELP: &str =
    "an IANA time zone name such as \"Europe/Berlin\", \"America/Chicago\" or \"UTC\"";

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
