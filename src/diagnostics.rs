//! Errors and warnings that point at a line of a user's file.
//!
//! Every problem recap reports about a site is a [`Diagnostic`]: the file, the
//! 1-based line and column in that file, the offending line itself, what went
//! wrong and what would be valid. They are rendered rustc-style with
//! annotate-snippets.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub(crate) struct Diagnostic {
    pub severity: Severity,
    /// Path shown to the user, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no place in a file (e.g. a missing directory).
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Width of the underlined span, in characters (at least 1).
    pub width: usize,
    /// The text of `line`, when known.
    pub source_line: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            width: 1,
            source_line: None,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Places the diagnostic at `line`:`column` of `source` (the whole file's text).
    pub(crate) fn at(mut self, source: &str, line: usize, column: usize) -> Diagnostic {
        self.line = line.max(1);
        self.column = column.max(1);
        self.source_line = source
            .lines()
            .nth(self.line - 1)
            .map(|text| text.trim_end_matches('\r').to_string());
        self
    }

    pub(crate) fn width(mut self, width: usize) -> Diagnostic {
        self.width = width.max(1);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic for a terminal; `color` adds ANSI styles.
    pub(crate) fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let group = match &self.source_line {
            Some(text) => title.element(
                Snippet::source(text.as_str())
                    .line_start(self.line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(byte_span(
                        text,
                        self.column,
                        self.width,
                    ))),
            ),
            // A message that names its file needs no note saying so.
            None if self.message.contains(&path) => Group::with_title(title),
            None => title.element(Level::NOTE.message(format!("in {}", self.location()))),
        };
        let mut groups = vec![group];
        if let Some(help) = &self.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&groups)
    }

    /// `file:line:column`, or just the file when there is no line.
    pub(crate) fn location(&self) -> String {
        if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Byte range in `text` of `width` characters starting at 1-based char `column`.
fn byte_span(text: &str, column: usize, width: usize) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(index, _)| index)
    };
    let start = byte_at(column.saturating_sub(1));
    let end = byte_at(column.saturating_sub(1) + width).max(start);
    start..end
}

/// 1-based (line, column in chars) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).position(text, offset)
}

/// Where each line of a text starts, for many positions in one text: each
/// lookup is a binary search. The one way recap turns byte offsets into
/// the line and column its messages show.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
            .collect();
        LineIndex { starts }
    }

    /// 1-based (line, column in chars) of byte `offset` in `text`.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest of `candidates` to `unknown`, if any is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let similarity = |candidate: &str| {
        let contains =
            !unknown.is_empty() && (candidate.contains(unknown) || unknown.contains(candidate));
        if contains {
            0.9
        } else {
            strsim::jaro_winkler(unknown, candidate)
        }
    };
    candidates
        .into_iter()
        .map(|candidate| (similarity(candidate), candidate))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Display path of `path` relative to the site `root`.
pub(crate) fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// 1-based line and column of `key = ...` (or `key: ...`) at the start of a line, or (1, 1).
pub(crate) fn key_position(source: &str, key: &str) -> (usize, usize) {
    key_position_from(source, key, 1).unwrap_or((1, 1))
}

/// Like `key_position`, preferring line `near` when the key is there.
pub(crate) fn key_position_from(source: &str, key: &str, near: usize) -> Option<(usize, usize)> {
    let key_column = |line: &str| {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let rest = trimmed.strip_prefix(key)?;
        let rest = rest.trim_start_matches(['"', '\'']).trim_start();
        rest.starts_with(['=', ':'])
            .then(|| line.len() - trimmed.len() + 1)
    };
    let lines: Vec<&str> = source.lines().collect();
    if let Some(column) = lines
        .get(near.wrapping_sub(1))
        .and_then(|line| key_column(line))
    {
        return Some((near, column));
    }
    lines
        .iter()
        .enumerate()
        .find_map(|(index, line)| key_column(line).map(|column| (index + 1, column)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "a\nbé c\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        assert_eq!(line_col(text, 6), (2, 4));
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "date", "tags"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("zzzzzz", keys), None);
    }

    #[test]
    fn renders_file_line_and_help() {
        let source = "+++\ntitel = \"x\"\n+++\n";
        let text = Diagnostic::error("content/posts/a.md", "unknown key `titel`")
            .at(source, 2, 1)
            .width(5)
            .help("did you mean `title`?")
            .render(false);
        assert!(text.contains("content/posts/a.md:2:1"), "{text}");
        assert!(text.contains("titel = \"x\""), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
    }
}
