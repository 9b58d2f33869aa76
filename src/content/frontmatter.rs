//! Front matter: splitting a file into its `+++` TOML or `---` YAML block and
//! its body, and deserialising the block with errors placed on lines of the
//! file itself (not of the block).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, line_col, suggest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Yaml,
}

/// A file cut into front matter and body; offsets are bytes into the file.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `source` into front matter and body. The block must open on the first line.
pub(crate) fn split<'a>(source: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let (format, fence) = if first_line(source) == "+++" {
        (Format::Toml, "+++")
    } else if first_line(source) == "---" {
        (Format::Yaml, "---")
    } else {
        return Err(Diagnostic::error(file, "this file has no front matter")
            .at(source, 1, 1)
            .help("start the file with a `+++` line, the TOML keys (title = \"...\", ...), and a closing `+++` line"));
    };
    let front_offset = source.find('\n').map_or(source.len(), |i| i + 1);
    let mut offset = front_offset;
    for line in source[front_offset..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let body_offset = offset + line.len();
            return Ok(Split {
                format,
                front: &source[front_offset..offset],
                front_offset,
                body: &source[body_offset..],
                body_line: source[..body_offset].matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        format!("front matter opened with `{fence}` is never closed"),
    )
    .at(source, 1, 1)
    .width(3)
    .help(format!(
        "add a line with only `{fence}` after the last front matter key"
    )))
}

fn first_line(source: &str) -> &str {
    source.lines().next().unwrap_or("").trim_end()
}

/// Deserialises the front matter of `split` (from `source`, the whole file).
pub(crate) fn parse<T: DeserializeOwned>(
    split: &Split,
    source: &str,
    file: &Path,
) -> Result<T, Diagnostic> {
    let parsed = match split.format {
        Format::Toml => parse_toml_block(split.front, split.front_offset, source, file),
        Format::Yaml => parse_yaml_block(split, source, file),
    };
    // Only a block that fails is read again, for an unknown key at its
    // own position (the types deny unknown keys, so a clean parse has none).
    parsed.map_err(|error| {
        let unknown = match split.format {
            Format::Toml => {
                super::schema::unknown_toml_key::<T>(split.front, split.front_offset, source, file)
            }
            Format::Yaml => super::schema::unknown_yaml_key::<T>(split.front, source, file),
        };
        unknown.unwrap_or(error)
    })
}

/// Deserialises a whole TOML file such as `config.toml`.
pub(crate) fn parse_toml_document<T: DeserializeOwned>(
    source: &str,
    file: impl AsRef<Path>,
) -> Result<T, Diagnostic> {
    parse_toml_block(source, 0, source, file.as_ref()).map_err(|error| {
        super::schema::unknown_toml_key::<T>(source, 0, source, file.as_ref()).unwrap_or(error)
    })
}

/// Deserialises TOML `block`, which starts at byte `offset` of `source`.
fn parse_toml_block<T: DeserializeOwned>(
    block: &str,
    offset: usize,
    source: &str,
    file: &Path,
) -> Result<T, Diagnostic> {
    toml::from_str(block).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let (line, column) = line_col(source, offset + span.start);
        let place = Place {
            line,
            column,
            width: span.len().clamp(1, 60),
            // The whole block's span means the top-level table.
            nested: span.start > 0,
        };
        key_error(file, err.message().trim(), source, place)
    })
}

/// "config.toml", or "the front matter" of a content file.
fn what_holds_keys(file: &Path) -> String {
    let is_config = file.extension().is_some_and(|ext| ext == "toml");
    if is_config {
        file.display().to_string()
    } else {
        "the front matter".to_string()
    }
}

fn parse_yaml_block<T: DeserializeOwned>(
    split: &Split,
    source: &str,
    file: &Path,
) -> Result<T, Diagnostic> {
    // An empty YAML block deserialises as unit, not as an empty map.
    let front = if split.front.trim().is_empty() {
        "{}"
    } else {
        split.front
    };
    serde_yaml_ng::from_str(front).map_err(|err| {
        let text = err.to_string();
        // A syntax error found at the end of the block is better shown where
        // the unclosed construct began: "..., while parsing a flow sequence at line 2 column 7".
        let (block_line, column) = yaml_context_position(&text)
            .or_else(|| {
                err.location()
                    .map(|location| (location.line(), location.column()))
            })
            .unwrap_or((1, 1));
        let (first_line, _) = line_col(source, split.front_offset);
        let place = Place {
            line: first_line + block_line - 1,
            column,
            width: 1,
            nested: false,
        };
        key_error(file, &yaml_message(&err), source, place)
    })
}

fn yaml_context_position(text: &str) -> Option<(usize, usize)> {
    let context = &text[text.find(", while parsing")?..];
    let rest = &context[context.find(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

fn yaml_message(err: &serde_yaml_ng::Error) -> String {
    let text = err.to_string();
    // serde_yaml appends " at line L column C"; the diagnostic shows that itself.
    match text.find(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// Where in the file a deserialisation error happened.
struct Place {
    line: usize,
    column: usize,
    width: usize,
    /// In a table inside the front matter (a session, a speaker).
    nested: bool,
}

/// Builds the diagnostic for a deserialisation `message` at `place` in
/// `source`. Unknown keys and values get a suggestion; missing keys point at
/// line 1, where the key would go.
fn key_error(file: &Path, message: &str, source: &str, place: Place) -> Diagnostic {
    if let Some(field) = between(message, "missing field `", "`") {
        if place.nested {
            return Diagnostic::error(
                file,
                format!("missing required key `{field}` in this table"),
            )
            .at(source, place.line, place.column)
            .width(place.width)
            .help(format!("add `{field} = ...` to it"));
        }
        return Diagnostic::error(file, format!("missing required key `{field}`"))
            .at(source, 1, 1)
            .help(format!("add `{field} = ...` to {}", what_holds_keys(file)));
    }
    let diagnostic = if let Some(variant) = between(message, "unknown variant `", "`") {
        let valid = expected_names(message);
        let mut help = format!("valid values: {}", valid.join(", "));
        if let Some(near) = suggest(variant, valid.iter().map(String::as_str)) {
            help = format!("did you mean `{near}`? {help}");
        }
        Diagnostic::error(file, format!("unknown value `{variant}`")).help(help)
    } else {
        match message.split_once(", expected ") {
            Some((what, expected)) => {
                Diagnostic::error(file, what).help(format!("expected {expected}"))
            }
            None => Diagnostic::error(file, message),
        }
    };
    diagnostic
        .at(source, place.line, place.column)
        .width(place.width)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// The names in serde's "expected one of `a`, `b`" (or "expected `a`").
fn expected_names(message: &str) -> Vec<String> {
    let Some(index) = message.find("expected") else {
        return Vec::new();
    };
    message[index..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    fn parse_file(source: &str) -> Result<Front, Diagnostic> {
        let path = Path::new("post.md");
        let split = split(source, path)?;
        parse(&split, source, path)
    }

    #[test]
    fn splits_toml_and_finds_body_line() {
        let source = "+++\ntitle = \"a\"\n+++\nbody\n";
        let split = split(source, Path::new("x.md")).unwrap();
        assert_eq!(split.format, Format::Toml);
        assert_eq!(split.front, "title = \"a\"\n");
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn unknown_key_points_at_file_line_with_suggestion() {
        let err = parse_file("+++\ntitle = \"a\"\ntagz = []\n+++\n").unwrap_err();
        assert_eq!(err.message, "unknown key `tagz`");
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.help.unwrap().contains("did you mean `tags`?"));
    }

    #[test]
    fn yaml_errors_are_placed_in_the_file() {
        let err = parse_file("---\ntitle: a\ntagz: []\n---\n").unwrap_err();
        assert_eq!(err.message, "unknown key `tagz`");
        assert_eq!(err.line, 3);
    }

    #[test]
    fn wrong_type_names_what_was_expected() {
        let err = parse_file("+++\ntitle = \"a\"\ntags = 3\n+++\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.help.as_deref().unwrap().contains("sequence"), "{err}");
    }

    #[test]
    fn missing_key_points_at_line_one() {
        let err = parse_file("+++\ntags = []\n+++\n").unwrap_err();
        assert_eq!(err.message, "missing required key `title`");
        assert_eq!(err.line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = parse_file("+++\ntitle = \"a\"\nbody\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        assert_eq!(err.line, 1);
    }

    proptest::proptest! {
        #[test]
        fn splitting_never_panics_and_counts_lines(
            front in "[a-z =\"+\\-\r\n]{0,40}",
            body in "[a-z+\\-\r\n]{0,40}",
            fence in "(\\+\\+\\+|---)",
            bom in proptest::bool::ANY,
            crlf in proptest::bool::ANY,
            closed in proptest::bool::ANY,
        ) {
            let newline = if crlf { "\r\n" } else { "\n" };
            let closing = if closed { format!("{fence}{newline}") } else { String::new() };
            let source = format!(
                "{}{fence}{newline}{front}{newline}{closing}{body}",
                if bom { "\u{feff}" } else { "" }
            );
            if let Ok(split) = split(&source, Path::new("x.md")) {
                let before_body = &source[..source.len() - split.body.len()];
                proptest::prop_assert_eq!(split.body_line, before_body.matches('\n').count() + 1);
                proptest::prop_assert!(source.ends_with(split.body));
            }
        }
    }
}
