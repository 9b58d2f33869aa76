//! The Tera instance: built-in templates, overridden file by file from the
//! site's `templates/`, and errors mapped to the template's file and line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostics::Diagnostic;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

pub(crate) use builtin::STATIC_FILES as BUILTIN_STATIC;

pub(crate) const TEMPLATES_DIR: &str = "templates";

/// The internal template that renders one post card from `macros.html`.
pub(crate) const POST_CARD: &str = "__recap_post_card.html";
const POST_CARD_SOURCE: &str = "{% import \"macros.html\" as m %}{{ m::post_card(post=post) }}";

/// Where each loaded template came from, to point errors at it.
pub(crate) struct TemplateSources {
    /// Template name → (file shown to the user, its text).
    sources: HashMap<String, (PathBuf, String)>,
}

/// Loads built-in and site templates into one Tera instance.
pub(crate) fn load(root: &Path) -> Result<(Tera, TemplateSources), Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, (PathBuf, String)> = builtin::TEMPLATES
        .iter()
        .map(|(name, text)| {
            let shown = PathBuf::from(format!("(built-in) templates/{name}"));
            (name.to_string(), (shown, text.to_string()))
        })
        .collect();
    let mut errors = Vec::new();
    for (name, path) in
        crate::content::files_under(&root.join(TEMPLATES_DIR)).map_err(|err| vec![err])?
    {
        let shown = Path::new(TEMPLATES_DIR).join(&name);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                templates.insert(name, (shown, text));
            }
            Err(err) => errors.push(Diagnostic::error(
                shown,
                format!("cannot read template: {err}"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let sources = TemplateSources {
        sources: templates.into_iter().collect(),
    };
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_markup);
    let raw: Vec<(&str, &str)> = sources
        .sources
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()))
        .chain(std::iter::once((POST_CARD, POST_CARD_SOURCE)))
        .collect();
    tera.add_raw_templates(raw)
        .map_err(|err| vec![sources.diagnostic(&err)])?;
    Ok((tera, sources))
}

/// Renders `name` into a buffer of `capacity` bytes to start with: pages
/// are tens of kilobytes, and Tera's own buffer starts at 2 KB and is
/// copied each time it doubles.
pub(crate) fn render_sized(
    tera: &Tera,
    name: &str,
    context: &tera::Context,
    capacity: usize,
) -> tera::Result<String> {
    let mut out = Vec::with_capacity(capacity);
    tera.render_to(name, context, &mut out)?;
    String::from_utf8(out).map_err(|err| tera::Error::msg(err.to_string()))
}

/// Escapes what HTML and XML need escaped. Tera's default also escapes `/`
/// (as `&#x2F;`), which bloats every URL and feed without making anything safer.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    escape_markup_into(&mut escaped, text);
    escaped
}

/// [`escape_markup`], appending to `out`.
pub(crate) fn escape_markup_into(out: &mut String, text: &str) {
    const fn special_bytes() -> [bool; 256] {
        let mut table = [false; 256];
        table[b'&' as usize] = true;
        table[b'<' as usize] = true;
        table[b'>' as usize] = true;
        table[b'"' as usize] = true;
        table[b'\'' as usize] = true;
        table
    }
    const SPECIAL: [bool; 256] = special_bytes();
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    while let Some(offset) = bytes[plain_from..]
        .iter()
        .position(|&byte| SPECIAL[byte as usize])
    {
        let index = plain_from + offset;
        out.push_str(&text[plain_from..index]);
        out.push_str(match bytes[index] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        plain_from = index + 1;
    }
    out.push_str(&text[plain_from..]);
}

impl TemplateSources {
    pub(crate) fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// A hash of every template whose name starts with `prefix`.
    pub(crate) fn fingerprint_of(&self, prefix: &str) -> u64 {
        let mut names: Vec<&String> = self
            .sources
            .keys()
            .filter(|name| name.starts_with(prefix))
            .collect();
        names.sort();
        let text: String = names
            .iter()
            .map(|name| format!("{name}\n{}\n", self.sources[*name].1))
            .collect();
        crate::output::content_hash(text.as_bytes())
    }

    /// A Tera error as a diagnostic on the template's file and line.
    pub(crate) fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let chain = error_chain(err);
        let name = chain
            .iter()
            .rev()
            .find_map(|message| quoted_template_name(message, self))
            .unwrap_or_default();
        let detail = chain.last().cloned().unwrap_or_default();
        let (mut file, mut text) = self
            .sources
            .get(&name)
            .map(|(file, text)| (file.clone(), text.as_str()))
            .unwrap_or_else(|| (PathBuf::from(TEMPLATES_DIR), ""));
        let mut position = parse_position(&detail).or_else(|| guess_position(&detail, text));
        if position.is_none() {
            // The culprit may sit in a macro file or an include.
            if let Some((other, (line, column))) =
                self.sources.iter().find_map(|(_, (other, other_text))| {
                    guess_position(&detail, other_text)
                        .map(|position| ((other, other_text), position))
                })
            {
                (file, text) = (other.0.clone(), other.1.as_str());
                position = Some((line, column));
            }
        }
        let (line, column) = position.unwrap_or((1, 1));
        let summary = first_line(&detail);
        let is_syntax = chain.iter().any(|m| m.starts_with("Failed to parse"));
        let message = if is_syntax {
            format!("template syntax error in `{name}`: {summary}")
        } else {
            format!("template `{name}` failed to render: {summary}")
        };
        let help = if is_syntax {
            "check the Tera syntax at this line: every {% tag %} needs its {% end... %} and every {{ }} must close"
        } else {
            "see docs/templates.md for the variables each template receives"
        };
        Diagnostic::error(file, message)
            .at(text, line, column)
            .help(help)
    }
}

fn error_chain(err: &tera::Error) -> Vec<String> {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        chain.push(inner.to_string());
        source = inner.source();
    }
    chain
}

fn quoted_template_name(message: &str, sources: &TemplateSources) -> Option<String> {
    message
        .split(['\'', '"', '`'])
        .skip(1)
        .step_by(2)
        .find(|candidate| sources.has(candidate))
        .map(str::to_string)
}

/// Pest's " --> 3:5" marker in a syntax error.
fn parse_position(detail: &str) -> Option<(usize, usize)> {
    let rest = &detail[detail.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Tera's render errors carry no position: find the first line of the
/// template that mentions the variable or filter the message names.
fn guess_position(detail: &str, text: &str) -> Option<(usize, usize)> {
    let named = named_in(detail)?;
    let root = named.split(['.', '[']).next().filter(|n| !n.is_empty())?;
    find_in(text, named).or_else(|| find_in(text, root))
}

/// The name quoted in a Tera message: `post.title` or 'date'.
fn named_in(detail: &str) -> Option<&str> {
    detail
        .split('`')
        .nth(1)
        .or_else(|| detail.split('\'').nth(1))
        .filter(|name| !name.is_empty())
}

fn find_in(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(index, line)| {
        line.find(needle)
            .map(|column| (index + 1, line[..column].chars().count() + 1))
    })
}

/// The informative line of an error: pest's "= expected ..." note, or the first line.
fn first_line(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let note = text
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("= "));
    note.or_else(|| lines.next()).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pest_positions() {
        assert_eq!(parse_position("  --> 12:7\n   |"), Some((12, 7)));
        assert_eq!(parse_position("no position"), None);
    }

    #[test]
    fn guesses_render_error_lines() {
        let text = "<h1>\n{{ post.nope }}\n";
        let detail = "Variable `post.nope` not found in context while rendering 'post.html'";
        assert_eq!(guess_position(detail, text), Some((2, 4)));
    }
}
