//! The keys each kind of front matter, and `config.toml`, accepts, read
//! from the types' own `Deserialize` impls, and the check that finds the
//! keys outside them when a block fails to deserialise: each unknown key is
//! reported at its own position (the TOML parser's span) with the nearest
//! valid key.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use super::front::Session;
use crate::diagnostics::{Diagnostic, key_position, line_col, suggest};

/// The field names `T` deserialises from, as its derived impl declares
/// them (an empty list for types that are not structs).
pub(crate) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames {
        fields: &mut fields,
    });
    fields
}

/// A deserializer that only asks which fields a struct has.
struct FieldNames<'a> {
    fields: &'a mut &'static [&'static str],
}

#[derive(Debug)]
struct Asked;

impl fmt::Display for Asked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field names only")
    }
}

impl std::error::Error for Asked {}

impl de::Error for Asked {
    fn custom<T: fmt::Display>(_: T) -> Asked {
        Asked
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Asked;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Asked> {
        Err(Asked)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Asked> {
        *self.fields = fields;
        Err(Asked)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A key of `block` that `T` does not have, or that a session does not.
/// `block` is TOML starting at byte `offset` of `source`.
pub(crate) fn unknown_toml_key<'de, T: Deserialize<'de>>(
    block: &str,
    offset: usize,
    source: &str,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    let table = DeTable::parse(block).ok()?;
    let fields = fields_of::<T>();
    for (key, value) in table.get_ref() {
        let span = key.span();
        if !fields.contains(&key.get_ref().as_ref()) {
            return Some(unknown_key(
                file,
                source,
                key.get_ref(),
                offset + span.start,
                fields,
            ));
        }
        if key.get_ref() == "sessions"
            && let DeValue::Array(sessions) = value.get_ref()
        {
            let session_fields = fields_of::<Session>();
            for session in sessions {
                let DeValue::Table(session) = session.get_ref() else {
                    continue;
                };
                if let Some((key, _)) = session
                    .iter()
                    .find(|(key, _)| !session_fields.contains(&key.get_ref().as_ref()))
                {
                    let at = offset + key.span().start;
                    return Some(unknown_key(file, source, key.get_ref(), at, session_fields));
                }
            }
        }
    }
    None
}

/// The same for YAML front matter, whose parser gives no positions for
/// keys: the key is shown on the first line that starts with it.
pub(crate) fn unknown_yaml_key<'de, T: Deserialize<'de>>(
    block: &str,
    source: &str,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    let mapping: serde_yaml_ng::Mapping = serde_yaml_ng::from_str(block).ok()?;
    let fields = fields_of::<T>();
    let session_fields = fields_of::<Session>();
    let sessions = mapping
        .get("sessions")
        .and_then(serde_yaml_ng::Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(serde_yaml_ng::Value::as_mapping);
    let top = mapping.keys().map(|key| (key, fields));
    let nested = sessions.flat_map(|session| session.keys().map(|key| (key, session_fields)));
    let (key, valid) = top
        .chain(nested)
        .find(|(key, valid)| key.as_str().is_some_and(|key| !valid.contains(&key)))?;
    let key = key.as_str()?;
    let (line, column) = key_position(source, key);
    let offset = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>()
        + column
        - 1;
    Some(unknown_key(file, source, key, offset, valid))
}

fn unknown_key(
    file: &std::path::Path,
    source: &str,
    key: &str,
    offset: usize,
    valid: &[&str],
) -> Diagnostic {
    let mut help = format!("valid keys here: {}", valid.join(", "));
    if let Some(near) = suggest(key, valid.iter().copied()) {
        help = format!("did you mean `{near}`? {help}");
    }
    if valid.contains(&"extra") {
        help.push_str("; put free-form data under [extra]");
    }
    let (line, column) = line_col(source, offset);
    Diagnostic::error(file, format!("unknown key `{key}`"))
        .at(source, line, column)
        .width(key.chars().count())
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front::PostFront;

    #[test]
    fn reads_field_names_from_the_types() {
        let fields = fields_of::<PostFront>();
        assert!(fields.contains(&"title") && fields.contains(&"sessions"));
        assert!(fields_of::<Session>().contains(&"speakers"));
        assert!(fields_of::<crate::config::Config>().contains(&"base_url"));
        assert!(fields_of::<String>().is_empty());
    }

    #[test]
    fn finds_unknown_keys_where_they_are() {
        let source = "+++\ntitle = \"A\"\n[extra]\nanything = 1\n[[sessions]]\ntitle = \"T\"\nspeaker = [\"x\"]\n+++\n";
        let block = &source[4..source.len() - 4];
        let err = unknown_toml_key::<PostFront>(block, 4, source, "a.md".as_ref()).unwrap();
        let text = err.render(false);
        assert!(text.contains("unknown key `speaker`"), "{text}");
        assert!(text.contains("a.md:7:1"), "{text}");
        assert!(text.contains("did you mean `speakers`?"), "{text}");
        let clean = "title = \"A\"\n[extra]\ntitel = 1\n";
        assert!(unknown_toml_key::<PostFront>(clean, 0, clean, "a.md".as_ref()).is_none());
    }
}
