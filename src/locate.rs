//! Where a key or a value is written: in `config.toml`, or in the front
//! matter of a content file. TOML positions come from the TOML parser's
//! spans, so a key inside `[extra]` or a session is never mistaken for the
//! top-level one. YAML front matter is read by serde_yaml_ng, which gives
//! positions only for errors; there the key's line is found by its text.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{key_position, line_col};

/// One step of the way to a value: a key of a table or an index of a list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// 1-based line and column of the value at `path` in `source`; `text` is
/// the value as parsed, which YAML front matter is searched for.
pub(crate) fn value_at(source: &str, path: &[Step], text: &str) -> (usize, usize) {
    match toml_span(source, path, Part::Value) {
        // A string's span starts at its quote; point at its text.
        Some(span) if source[span.clone()].starts_with(['"', '\'']) => {
            line_col(source, span.start + 1)
        }
        Some(span) => line_col(source, span.start),
        None => scanned_value(source, path, text),
    }
}

/// 1-based line and column of the key that ends `path` (the key of the
/// value, or the list holding it) in `source`.
pub(crate) fn key_at(source: &str, path: &[Step]) -> (usize, usize) {
    match toml_span(source, path, Part::Key) {
        Some(span) => line_col(source, span.start),
        None => key_position(source, top_key(path)),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Key,
    Value,
}

/// The TOML text of `source` and its offset: the front matter of a
/// content file (as `frontmatter::split` cuts it), or the whole of
/// `config.toml`. None for YAML.
fn toml_block(source: &str) -> Option<(&str, usize)> {
    let first = source.lines().next().unwrap_or("").trim_end();
    if first != "+++" && first != "---" {
        return Some((source, 0));
    }
    let split = crate::content::frontmatter::split(source, std::path::Path::new("")).ok()?;
    (split.format == crate::content::frontmatter::Format::Toml)
        .then_some((split.front, split.front_offset))
}

fn toml_span(source: &str, path: &[Step], part: Part) -> Option<Range<usize>> {
    let (block, offset) = toml_block(source)?;
    let table = DeTable::parse(block).ok()?;
    let mut key_span = None;
    let mut value: Option<&toml::Spanned<DeValue>> = None;
    for step in path {
        let found = match (step, value.map(|value| value.get_ref())) {
            (Step::Key(key), None) => entry(table.get_ref(), key),
            (Step::Key(key), Some(DeValue::Table(table))) => entry(table, key),
            (Step::Index(index), Some(DeValue::Array(items))) => {
                items.get(*index).map(|item| (None, item))
            }
            _ => None,
        };
        let (key, item) = found?;
        key_span = key.or(key_span);
        value = Some(item);
    }
    let span = match part {
        Part::Key => key_span?,
        Part::Value => value?.span(),
    };
    Some(span.start + offset..span.end + offset)
}

fn entry<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(Option<Range<usize>>, &'t toml::Spanned<DeValue<'i>>)> {
    table
        .iter()
        .find(|(name, _)| name.get_ref() == key)
        .map(|(name, value)| (Some(name.span()), value))
}

fn top_key<'a>(path: &[Step<'a>]) -> &'a str {
    match path.first() {
        Some(Step::Key(key)) => key,
        _ => "",
    }
}

/// In YAML: `text` after the line of the top-level key, quoted or bare;
/// else the key.
fn scanned_value(source: &str, path: &[Step], text: &str) -> (usize, usize) {
    let (line, column) = key_position(source, top_key(path));
    let key_offset: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let after_key = &source[key_offset..];
    let quoted = ['"', '\''].into_iter().find_map(|quote| {
        let found = after_key.find(&format!("{quote}{text}{quote}"))?;
        Some(found + 1)
    });
    match quoted.or_else(|| after_key.find(text).filter(|_| !text.is_empty())) {
        Some(found) => line_col(source, key_offset + found),
        None => (line, column),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = "+++\ntitle = \"A\"\ntags = [\"rust\", \"#\"]\n\n[[sessions]]\ntitle = \"T\"\nvideo = \"javascript:x\"\n\n[extra]\ntags = \"not these\"\n+++\nBody.\n";

    #[test]
    fn finds_values_and_keys_by_their_spans() {
        let tags = [Step::Key("tags"), Step::Index(1)];
        assert_eq!(value_at(POST, &tags, "#"), (3, 18));
        assert_eq!(key_at(POST, &tags), (3, 1));
        let video = [Step::Key("sessions"), Step::Index(0), Step::Key("video")];
        assert_eq!(value_at(POST, &video, "javascript:x"), (7, 10));
        assert_eq!(key_at(POST, &video), (7, 1));
        let extra = [Step::Key("extra"), Step::Key("tags")];
        assert_eq!(key_at(POST, &extra), (10, 1));
    }

    #[test]
    fn reads_config_files_whole() {
        let config = "title = \"x\"\n\n[extra]\nbase_url = 1\n";
        assert_eq!(key_at(config, &[Step::Key("title")]), (1, 1));
        assert_eq!(
            key_at(config, &[Step::Key("extra"), Step::Key("base_url")]),
            (4, 1)
        );
    }

    #[test]
    fn yaml_falls_back_to_the_key_line() {
        let post = "---\ntitle: A\ntags: [rust, \"#\"]\n---\nBody.\n";
        assert_eq!(key_at(post, &[Step::Key("tags")]), (3, 1));
        assert_eq!(
            value_at(post, &[Step::Key("tags"), Step::Index(1)], "#"),
            (3, 15)
        );
    }
}
