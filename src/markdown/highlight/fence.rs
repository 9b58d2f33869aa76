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
