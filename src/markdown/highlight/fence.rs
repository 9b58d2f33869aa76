//! What a fence's language name means: a grammar (by its own name or by an
//! alias people write), plain text on purpose, a terminal session, or a
//! Mermaid diagram. `docs/content.md` lists the table.

/// Names that mean "no highlighting", without a warning. Query languages
/// with no grammar among bat's (`promql`, `cue`) are shown plain on purpose.
pub(crate) const PLAIN: [&str; 10] = [
    "text",
    "plaintext",
    "plain",
    "txt",
    "none",
    "output",
    "nohighlight",
    "log",
    "promql",
    "cue",
];

/// Names of terminal sessions: prompt lines (`$ ` or `# `) are highlighted
/// as shell, output lines left plain.
pub(crate) const CONSOLE: [&str; 5] = [
    "console",
    "shell-session",
    "shellsession",
    "terminal",
    "sh-session",
];

/// Other names for grammars: (what people write, the grammar's token).
pub(crate) const ALIASES: [(&str, &str); 9] = [
    ("sh", "bash"),
    ("shell", "bash"),
    ("zsh", "bash"),
    ("shell-script", "bash"),
    ("yml", "yaml"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("jsonc", "json"),
    ("json5", "json"),
];

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fence<'a> {
    Plain,
    Console,
    Mermaid,
    /// A grammar's token, for syntect.
    Grammar(&'a str),
}

/// What the fence language `name` asks for.
pub(crate) fn fence(name: &str) -> Fence<'_> {
    let lower = name.to_ascii_lowercase();
    if PLAIN.contains(&lower.as_str()) {
        Fence::Plain
    } else if CONSOLE.contains(&lower.as_str()) {
        Fence::Console
    } else if lower == "mermaid" {
        Fence::Mermaid
    } else {
        let alias = ALIASES.iter().find(|(alias, _)| *alias == lower);
        Fence::Grammar(alias.map_or(name, |(_, token)| token))
    }
}

/// The prompt of a terminal line, and the command after it.
pub(crate) fn prompt(line: &str) -> Option<(&str, &str)> {
    ["$ ", "# ", "% ", "> "]
        .iter()
        .find_map(|prompt| line.strip_prefix(prompt).map(|command| (*prompt, command)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_people_write() {
        assert_eq!(fence("text"), Fence::Plain);
        assert_eq!(fence("PlainText"), Fence::Plain);
        assert_eq!(fence("console"), Fence::Console);
        assert_eq!(fence("mermaid"), Fence::Mermaid);
        assert_eq!(fence("sh"), Fence::Grammar("bash"));
        assert_eq!(fence("csharp"), Fence::Grammar("cs"));
        assert_eq!(fence("Dockerfile"), Fence::Grammar("Dockerfile"));
        assert_eq!(
            prompt("$ kubectl get pods"),
            Some(("$ ", "kubectl get pods"))
        );
        assert_eq!(prompt("NAME   READY"), None);
    }
}

/// The options after a fence's language, in Zola's spelling:
/// ```` ```rust,linenos,hl_lines=1 3-5,name="main.rs" ````.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct FenceOptions {
    pub linenos: bool,
    pub linenostart: usize,
    /// Lines to mark, numbered from 1 at the block's first line.
    pub hl_lines: Vec<std::ops::RangeInclusive<usize>>,
    /// Lines to leave out, numbered the same way.
    pub hide_lines: Vec<std::ops::RangeInclusive<usize>>,
    /// A file name shown above the block.
    pub name: Option<String>,
    /// Options recap does not know, for a warning.
    pub unknown: Vec<String>,
}

impl FenceOptions {
    pub(crate) fn is_plain(&self) -> bool {
        !self.linenos && self.hl_lines.is_empty() && self.hide_lines.is_empty()
    }
}

/// The language and the options of a fence's info string.
pub(crate) fn parse_info(info: &str) -> (&str, FenceOptions) {
    let info = info.trim();
    let language_end = info.find([',', ' ', '{']).unwrap_or(info.len());
    let language = &info[..language_end];
    let rest =
        info[language_end..].trim_matches(|c: char| c == ',' || c == ' ' || c == '{' || c == '}');
    let mut options = FenceOptions {
        linenostart: 1,
        ..FenceOptions::default()
    };
    for option in rest
        .split(',')
        .map(str::trim)
        .filter(|option| !option.is_empty())
    {
        let (key, value) = match option.split_once('=') {
            Some((key, value)) => (key.trim(), Some(value.trim().trim_matches('"'))),
            None => (option, None),
        };
        match (key, value) {
            ("linenos", None | Some("true")) => options.linenos = true,
            ("linenostart", Some(start)) if start.parse::<usize>().is_ok() => {
                options.linenostart = start.parse().unwrap_or(1);
                options.linenos = true;
            }
            ("hl_lines", Some(lines)) if line_ranges(lines).is_some() => {
                options.hl_lines = line_ranges(lines).unwrap_or_default();
            }
            ("hide_lines", Some(lines)) if line_ranges(lines).is_some() => {
                options.hide_lines = line_ranges(lines).unwrap_or_default();
            }
            ("name", Some(name)) if !name.is_empty() => options.name = Some(name.to_string()),
            _ => options.unknown.push(option.to_string()),
        }
    }
    (language, options)
}

/// "1 3-5" → [1..=1, 3..=5]; None if any part is not a line or a range.
fn line_ranges(text: &str) -> Option<Vec<std::ops::RangeInclusive<usize>>> {
    text.split_whitespace()
        .map(|part| match part.split_once('-') {
            Some((from, to)) => Some(from.parse().ok()?..=to.parse().ok()?),
            None => {
                let line = part.parse().ok()?;
                Some(line..=line)
            }
        })
        .collect()
}

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn reads_zola_style_options() {
        let (language, options) = parse_info("rust,linenos,hl_lines=1 3-5,name=\"main.rs\"");
        assert_eq!(language, "rust");
        assert!(options.linenos);
        assert_eq!(options.hl_lines, vec![1..=1, 3..=5]);
        assert_eq!(options.name.as_deref(), Some("main.rs"));
        let (language, options) = parse_info("py linenostart=10, hide_lines=2, colour=red");
        assert_eq!(language, "py");
        assert_eq!(options.linenostart, 10);
        assert_eq!(options.hide_lines, vec![2..=2]);
        assert_eq!(options.unknown, ["colour=red"]);
        assert!(parse_info("go").1.is_plain());
    }
}
