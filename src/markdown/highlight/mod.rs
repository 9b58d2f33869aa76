//! Syntax highlighting with syntect into compact CSS classes, plus the one
//! stylesheet that colours them.
//!
//! Each token's style is resolved by syntect's own theme matching, for the
//! light and the dark theme, and written as short classes that name the
//! result: `lc-d73a49` (light foreground), `dbg-2b303b` (dark background),
//! `lb`/`li`/`lu` (light bold, italic, underline) and the `d` ones for dark.
//! The stylesheet defines every colour the two themes use, the dark ones
//! under `prefers-color-scheme: dark`. Code looks exactly as syntect's
//! inline-style output would, in a fraction of the bytes of one class per
//! scope name.
//!
//! Highlighting a line depends only on the parser state before it and the
//! line itself, so lines are memoised on that pair ([`memo`]): repeated
//! lines (closing braces, imports, a snippet quoted in many recaps) are
//! parsed once per process.

mod disk;
mod fence;
mod memo;
mod site;

pub(crate) use fence::{Fence, FenceOptions, fence, parse_info, prompt};
use site::SiteGrammars;
pub(crate) use site::{SYNTAXES_DIR, SiteSyntaxFiles, SiteSyntaxes, THEMES_DIR};
mod style;

use std::sync::OnceLock;

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use memo::{Memo, State, StateId};
use style::{SpanWriter, ThemeStyle};

pub(crate) struct Highlighter {
    grammars: SiteGrammars,
    /// Of the site's grammar and theme files.
    site_fingerprint: u64,
    light: ThemeStyle,
    dark: ThemeStyle,
    memo: Memo,
    /// The memo of grammars linked alone: their parser states are
    /// numbered within their own set, so they must not meet the others'.
    site_memo: Memo,
    /// The classes of each scope stack met so far.
    classes: Mutex<HashMap<Vec<Scope>, Arc<str>>>,
    /// Blocks highlighted by earlier builds.
    disk: disk::DiskCache,
}

/// syntect's syntaxes and bat's, loaded on first use and shared by the
/// whole process.
pub(crate) fn built_in_syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// syntect's themes, loaded on first use and shared by the whole process.
fn themes() -> &'static ThemeSet {
    static THEMES: OnceLock<ThemeSet> = OnceLock::new();
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// Where the highlighting of a code block has got to: a memoised parser
/// state, or (once the memo is full) a state of its own.
enum Cursor {
    Memoised(StateId),
    Own(Box<State>),
}

impl Highlighter {
    /// A highlighter for the named light and dark themes, with the
    /// built-in grammars and themes only.
    #[cfg(test)]
    pub(crate) fn new(light_theme: &str, dark_theme: &str) -> Result<Highlighter, String> {
        Highlighter::with_site(light_theme, dark_theme, &SiteSyntaxes::default())
    }

    /// A highlighter for the named light and dark themes, the site's own
    /// or built-in, with the site's grammars added to the built-in ones.
    pub(crate) fn with_site(
        light_theme: &str,
        dark_theme: &str,
        site: &SiteSyntaxes,
    ) -> Result<Highlighter, String> {
        fn find(site: &SiteSyntaxes, name: &str) -> Result<&'static Theme, String> {
            site.themes
                .get(name)
                .copied()
                .or_else(|| themes().themes.get(name))
                .ok_or_else(|| {
                    format!(
                        "unknown highlight theme `{name}`; valid themes: {}",
                        Highlighter::theme_names(site).join(", ")
                    )
                })
        }
        Ok(Highlighter {
            grammars: site.grammars.clone(),
            site_fingerprint: site.fingerprint,
            light: ThemeStyle::new(light_theme, find(site, light_theme)?, 'l'),
            dark: ThemeStyle::new(dark_theme, find(site, dark_theme)?, 'd'),
            memo: Memo::default(),
            site_memo: Memo::default(),
            disk: disk::DiskCache::default(),
            classes: Mutex::default(),
        })
    }

    /// Keeps highlighted blocks between builds in `folder` (the cache
    /// folder of the site at `root`).
    pub(crate) fn use_disk_cache(&mut self, root: &std::path::Path, folder: &std::path::Path) {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        (env!("CARGO_PKG_VERSION"), self.identity()).hash(&mut hasher);
        self.disk = disk::DiskCache::open(root, folder, hasher.finish());
    }

    /// Saves what this build highlighted for the next; warnings about a
    /// cache file that could not be read or written.
    pub(crate) fn save_disk_cache(&self) -> Vec<String> {
        // Saving may read the file (to keep its older entries): its
        // warning comes after.
        let saved = self.disk.save();
        self.disk
            .warning()
            .cloned()
            .into_iter()
            .chain(saved)
            .collect()
    }

    /// What decides the highlighted HTML: the light and dark themes'
    /// names and the site's grammar and theme files. For cache keys.
    pub(crate) fn identity(&self) -> (&str, &str, u64) {
        (self.light.name(), self.dark.name(), self.site_fingerprint)
    }

    /// The grammar a fence's language names, with the set it belongs to:
    /// the site's own first.
    fn grammar(&self, language: &str) -> Option<(&SyntaxSet, &SyntaxReference)> {
        fn in_set<'a>(
            set: &'a SyntaxSet,
            language: &str,
        ) -> Option<(&'a SyntaxSet, &'a SyntaxReference)> {
            set.find_syntax_by_token(language)
                .map(|syntax| (set, syntax))
        }
        match &self.grammars {
            SiteGrammars::None => in_set(built_in_syntaxes(), language),
            SiteGrammars::Alone(site) => {
                in_set(site, language).or_else(|| in_set(built_in_syntaxes(), language))
            }
            SiteGrammars::WithBuiltIn(all) => in_set(all, language),
        }
    }

    /// Appends the highlighted HTML (spans with classes) of `code` to `out`.
    /// False, with nothing appended, when no syntax knows `language`.
    pub(crate) fn highlight_into(&self, language: &str, code: &str, out: &mut String) -> bool {
        self.highlight_lines_into(language, code, out, &mut Vec::new())
    }

    /// Like `highlight_into`, and records in `line_ends` where in `out`
    /// each line's HTML ends: each line's HTML is whole (its spans closed),
    /// so it can be wrapped on its own (line numbers, marked lines).
    pub(crate) fn highlight_lines_into(
        &self,
        language: &str,
        code: &str,
        out: &mut String,
        line_ends: &mut Vec<usize>,
    ) -> bool {
        let Some((set, syntax)) = self.grammar(language) else {
            return false;
        };
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = rustc_hash::FxHasher::default();
            (&syntax.name, syntax.scope.build_string(), code).hash(&mut hasher);
            hasher.finish()
        };
        let start = out.len();
        if let Some(block) = self.disk.get(key) {
            out.push_str(&block.html);
            line_ends.extend(block.line_ends.iter().map(|end| start + *end as usize));
            return true;
        }
        let first_line = line_ends.len();
        if self
            .highlight_lines(set, syntax, code, out, line_ends)
            .is_none()
        {
            out.truncate(start);
            line_ends.clear();
            return false;
        }
        self.disk.put(
            key,
            &disk::Block {
                html: out[start..].to_string(),
                line_ends: line_ends[first_line..]
                    .iter()
                    .map(|end| (end - start) as u32)
                    .collect(),
            },
        );
        true
    }

    fn highlight_lines(
        &self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        code: &str,
        out: &mut String,
        line_ends: &mut Vec<usize>,
    ) -> Option<()> {
        let initial = || State {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        };
        let memo = if std::ptr::eq(set, built_in_syntaxes())
            || matches!(self.grammars, SiteGrammars::WithBuiltIn(_))
        {
            &self.memo
        } else {
            &self.site_memo
        };
        let mut cursor = match memo.initial(&syntax.name, initial) {
            Ok(id) => Cursor::Memoised(id),
            Err(state) => Cursor::Own(Box::new(state)),
        };
        for line in LinesWithEndings::from(code) {
            cursor = match cursor {
                Cursor::Memoised(id) => match memo.replay(id, line, out) {
                    Some(next) => Cursor::Memoised(next),
                    None => {
                        let (html, next) = self.highlight_line(set, &memo.state(id), line)?;
                        out.push_str(&html);
                        match memo.record(id, line, html, &next) {
                            Some(next_id) => Cursor::Memoised(next_id),
                            None => Cursor::Own(Box::new(next)),
                        }
                    }
                },
                Cursor::Own(state) => {
                    let (html, next) = self.highlight_line(set, &state, line)?;
                    out.push_str(&html);
                    Cursor::Own(Box::new(next))
                }
            };
            line_ends.push(out.len());
        }
        Some(())
    }

    /// One line's HTML and the state after it; None when syntect fails
    /// (the block is then shown as plain text).
    fn highlight_line(
        &self,
        set: &SyntaxSet,
        state: &State,
        line: &str,
    ) -> Option<(String, State)> {
        let mut parse = state.parse.clone();
        let ops = parse.parse_line(line, set).ok()?;
        let mut scopes = state.scopes.clone();
        let mut html = String::with_capacity(line.len() * 3);
        let mut spans = SpanWriter::new(&mut html);
        let mut start = 0;
        let line_end = (line.len(), ScopeStackOp::Noop);
        for (end, op) in ops.iter().chain(std::iter::once(&line_end)) {
            if *end > start {
                spans.push(&self.classes_for(scopes.as_slice()), &line[start..*end]);
                start = *end;
            }
            scopes.apply(op).ok()?;
        }
        spans.finish();
        Some((html, State { parse, scopes }))
    }

    /// The classes of text under `scopes`. A style depends on the scope
    /// stack alone, and resolving it against a theme is costly, so each
    /// stack is resolved once.
    fn classes_for(&self, scopes: &[Scope]) -> Arc<str> {
        let mut cache = self
            .classes
            .lock()
            .expect("no panics while holding the lock");
        if let Some(classes) = cache.get(scopes) {
            return Arc::clone(classes);
        }
        let mut classes = String::new();
        self.light.classes(
            self.light.highlighter().style_for_stack(scopes),
            &mut classes,
        );
        self.dark.classes(
            self.dark.highlighter().style_for_stack(scopes),
            &mut classes,
        );
        let classes: Arc<str> = classes.into();
        cache.insert(scopes.to_vec(), Arc::clone(&classes));
        classes
    }

    /// One stylesheet: the light theme's classes, then the dark theme's
    /// inside `@media (prefers-color-scheme: dark)`.
    pub(crate) fn stylesheet(&self) -> String {
        format!(
            "/* Syntax highlighting: {}, and {} in dark mode. Generated by recap. */\n\
             @media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
             @media (prefers-color-scheme: dark) {{\n{}}}\n",
            self.light.name(),
            self.dark.name(),
            self.light.css(),
            self.dark.css()
        )
    }

    /// The site's themes and the built-in ones, sorted.
    pub(crate) fn theme_names(site: &SiteSyntaxes) -> Vec<String> {
        let mut names: Vec<String> = site
            .themes
            .keys()
            .chain(themes().themes.keys())
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Every grammar with the names a fence may give it, one a line, then
    /// the aliases and the names shown plain: what `recap languages` prints.
    pub(crate) fn language_table(site: &SiteSyntaxes) -> String {
        let sets: Vec<&SyntaxSet> = match &site.grammars {
            SiteGrammars::None => vec![built_in_syntaxes()],
            SiteGrammars::Alone(own) => vec![own, built_in_syntaxes()],
            SiteGrammars::WithBuiltIn(all) => vec![all],
        };
        let mut lines: Vec<String> = sets
            .iter()
            .flat_map(|set| set.syntaxes())
            .filter(|syntax| !syntax.hidden && !syntax.file_extensions.is_empty())
            .map(|syntax| format!("{}: {}", syntax.name, syntax.file_extensions.join(", ")))
            .collect();
        lines.sort_by_key(|line| line.to_lowercase());
        lines.dedup();
        let aliases: Vec<String> = fence::ALIASES
            .iter()
            .map(|(alias, token)| format!("{alias} → {token}"))
            .collect();
        format!(
            "{}\n\nAliases: {}\nTerminal sessions (prompt lines highlighted as shell): {}\nShown plain, without a warning: {}\nDrawn by Mermaid: mermaid\n",
            lines.join("\n"),
            aliases.join(", "),
            fence::CONSOLE.join(", "),
            fence::PLAIN.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter() -> Highlighter {
        Highlighter::new("InspiredGitHub", "base16-ocean.dark").unwrap()
    }

    fn highlight(highlighter: &Highlighter, language: &str, code: &str) -> Option<String> {
        let mut out = String::new();
        highlighter
            .highlight_into(language, code, &mut out)
            .then_some(out)
    }

    #[test]
    fn highlights_into_theme_classes() {
        let html = highlight(&highlighter(), "rust", "fn main() {}\n").unwrap();
        // InspiredGitHub colours `fn` #a71d5d, bold; base16-ocean.dark #b48ead.
        assert!(
            html.starts_with(r#"<span class="lc-a71d5d lb dc-b48ead">fn</span>"#),
            "{html}"
        );
        assert!(html.ends_with("\n"), "{html}");
        assert!(highlight(&highlighter(), "no-such-language", "x").is_none());
    }

    #[test]
    fn escapes_code_text() {
        let html = highlight(&highlighter(), "rust", "let x = a < b && c > \"d\";\n").unwrap();
        assert!(
            html.contains("&lt;") && html.contains("&amp;&amp;"),
            "{html}"
        );
        assert!(!html.contains(" < "), "{html}");
    }

    /// The memo must not change the output: the same block twice, and a
    /// line whose meaning depends on the lines before it (inside a comment).
    #[test]
    fn memoised_lines_highlight_as_fresh_ones() {
        let code = "/* a\nlet x = 1;\n*/\nlet x = 1;\n";
        let first = highlight(&highlighter(), "rust", code).unwrap();
        let shared = highlighter();
        let _ = highlight(&shared, "rust", "let x = 1;\n");
        let second = highlight(&shared, "rust", code).unwrap();
        assert_eq!(first, second);
        let lines: Vec<&str> = first.lines().collect();
        assert_ne!(
            lines[1], lines[3],
            "a line in a comment is coloured as a comment"
        );
    }

    #[test]
    fn every_colour_reads_at_wcag_aa_on_its_block() {
        use syntect::highlighting::Color;
        let parse = |hex: &str| Color {
            r: u8::from_str_radix(&hex[0..2], 16).unwrap(),
            g: u8::from_str_radix(&hex[2..4], 16).unwrap(),
            b: u8::from_str_radix(&hex[4..6], 16).unwrap(),
            a: u8::MAX,
        };
        for (light, dark) in [
            ("InspiredGitHub", "base16-ocean.dark"),
            ("Solarized (light)", "Solarized (dark)"),
        ] {
            let css = Highlighter::new(light, dark).unwrap().stylesheet();
            let site_backgrounds = [
                style::BUILT_IN_CODE_BACKGROUND_LIGHT,
                style::BUILT_IN_CODE_BACKGROUND_DARK,
            ];
            for (half, site_background) in css.split("@media").skip(1).zip(site_backgrounds) {
                let background = half.split("background-color:#").nth(1).unwrap();
                let background = parse(&background[..6]);
                let mut checked = 0;
                for rule in half.split("{color:#").skip(1) {
                    let colour = parse(&rule[..6]);
                    for behind in [background, site_background] {
                        let ratio = style::contrast(colour, behind);
                        assert!(
                            ratio >= style::MIN_CONTRAST - 0.01,
                            "{light}/{dark}: #{} at {ratio:.2}:1",
                            &rule[..6]
                        );
                    }
                    checked += 1;
                }
                assert!(checked > 5, "{checked} colours checked");
            }
        }
        // The code backgrounds assumed are the built-in theme's.
        let theme = include_str!("../../../static/theme.css");
        assert!(theme.contains("--code-bg: #f4f1ec;") && theme.contains("--code-bg: #23272d;"));
    }

    #[test]
    fn stylesheet_defines_every_class_it_emits() {
        let highlighter = highlighter();
        let css = highlighter.stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        let html = highlight(
            &highlighter,
            "rust",
            "// note\n#[derive(Debug)]\npub fn f(x: &str) -> u8 { 1 }\n",
        )
        .unwrap();
        for class in html
            .split("class=\"")
            .skip(1)
            .flat_map(|rest| rest[..rest.find('"').unwrap()].split(' '))
        {
            assert!(css.contains(&format!(".{class}{{")), "{class} in {css}");
        }
        let err = Highlighter::new("Monokai", "base16-ocean.dark")
            .err()
            .unwrap();
        assert!(err.contains("InspiredGitHub"), "{err}");
    }
}
