//! A site's own grammars (`syntaxes/*.sublime-syntax`) and colour themes
//! (`themes/*.tmTheme`), added to the built-in ones. Each file is read
//! once; a file that cannot be used is an error with its file and, where
//! the parser says, its line.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::syntax_definition::{ContextReference, MatchOperation, Pattern};
use syntect::parsing::{ParseSyntaxError, Scope, SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};

use crate::diagnostics::Diagnostic;

pub(crate) const SYNTAXES_DIR: &str = "syntaxes";
pub(crate) const THEMES_DIR: &str = "themes";
const SYNTAX_EXTENSION: &str = "sublime-syntax";
const THEME_EXTENSION: &str = "tmTheme";

/// The site's grammars, linked.
#[derive(Default, Clone)]
pub(crate) enum SiteGrammars {
    #[default]
    None,
    /// Grammars that name no other grammar: linked on their own (at almost
    /// no cost) and looked up before the built-in ones.
    Alone(Arc<SyntaxSet>),
    /// Grammars that include or embed a built-in one (`scope:source.js`):
    /// linked together with all the built-in grammars, which takes a
    /// third of a second.
    WithBuiltIn(Arc<SyntaxSet>),
}

/// The site's grammar and theme files, read but not parsed yet.
#[derive(Default)]
pub(crate) struct SiteSyntaxFiles {
    /// (file shown to the user, its text), sorted by file.
    syntaxes: Vec<(PathBuf, String)>,
    themes: Vec<(PathBuf, Vec<u8>)>,
}

/// The site's grammars and themes, parsed.
#[derive(Default)]
pub(crate) struct SiteSyntaxes {
    pub grammars: SiteGrammars,
    /// By name: the file's name without `.tmTheme`.
    pub themes: BTreeMap<String, &'static Theme>,
    /// Changes whenever a file does.
    pub fingerprint: u64,
}

impl SiteSyntaxFiles {
    /// Reads `syntaxes/` and `themes/` under `root` (either may be missing).
    pub(crate) fn read(root: &Path) -> Result<SiteSyntaxFiles, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let syntaxes = files_with_extension(root, SYNTAXES_DIR, SYNTAX_EXTENSION, &mut errors)
            .into_iter()
            .filter_map(|(shown, path)| match std::fs::read_to_string(&path) {
                Ok(text) => Some((shown, text)),
                Err(err) => {
                    errors.push(Diagnostic::error(
                        shown,
                        format!("cannot read grammar: {err}"),
                    ));
                    None
                }
            })
            .collect();
        let themes = files_with_extension(root, THEMES_DIR, THEME_EXTENSION, &mut errors)
            .into_iter()
            .filter_map(|(shown, path)| match std::fs::read(&path) {
                Ok(bytes) => Some((shown, bytes)),
                Err(err) => {
                    errors.push(Diagnostic::error(
                        shown,
                        format!("cannot read theme: {err}"),
                    ));
                    None
                }
            })
            .collect();
        if errors.is_empty() {
            Ok(SiteSyntaxFiles { syntaxes, themes })
        } else {
            Err(errors)
        }
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        self.syntaxes.hash(&mut hasher);
        self.themes.hash(&mut hasher);
        hasher.finish()
    }

    /// Parses every file; the grammars are linked with the built-in ones,
    /// so a site grammar may include or embed them (`scope:source.js`).
    /// `built_in` gives the built-in grammars, loaded only when a site
    /// grammar names one of them.
    pub(crate) fn parse(
        &self,
        built_in: fn() -> &'static SyntaxSet,
    ) -> Result<SiteSyntaxes, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut definitions = Vec::new();
        for (shown, text) in &self.syntaxes {
            let fallback_name = shown.file_stem().and_then(|stem| stem.to_str());
            match SyntaxDefinition::load_from_str(text, true, fallback_name) {
                Ok(definition) => definitions.push(definition),
                Err(err) => errors.push(syntax_error(shown, text, &err)),
            }
        }
        let mut themes = BTreeMap::new();
        for (shown, bytes) in &self.themes {
            let name = shown
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            match interned_theme(bytes) {
                Ok(theme) => {
                    themes.insert(name, theme);
                }
                Err(err) => errors.push(
                    Diagnostic::error(shown, format!("cannot read this colour theme: {}", chain(&err)))
                        .help("a theme is a TextMate/Sublime .tmTheme file: an XML property list with a `settings` array"),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let grammars = if definitions.is_empty() {
            SiteGrammars::None
        } else if reach_outside(&definitions) {
            let mut builder = built_in().clone().into_builder();
            definitions.into_iter().for_each(|d| builder.add(d));
            SiteGrammars::WithBuiltIn(Arc::new(builder.build()))
        } else {
            let mut builder = SyntaxSetBuilder::new();
            definitions.into_iter().for_each(|d| builder.add(d));
            SiteGrammars::Alone(Arc::new(builder.build()))
        };
        Ok(SiteSyntaxes {
            grammars,
            themes,
            fingerprint: self.fingerprint(),
        })
    }
}

/// Whether `definitions` name a grammar outside themselves, by scope
/// (`scope:source.js`) or by file (`Packages/JavaScript/JavaScript.sublime-syntax`).
fn reach_outside(definitions: &[SyntaxDefinition]) -> bool {
    let scopes: HashSet<Scope> = definitions.iter().map(|d| d.scope).collect();
    let names: HashSet<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
    let outside = |reference: &ContextReference| match reference {
        ContextReference::ByScope { scope, .. } => !scopes.contains(scope),
        ContextReference::File { name, .. } => !names.contains(name.as_str()),
        _ => false,
    };
    definitions
        .iter()
        .flat_map(|definition| definition.contexts.values())
        .flat_map(|context| &context.patterns)
        .any(|pattern| match pattern {
            Pattern::Include(reference) => outside(reference),
            Pattern::Match(pattern) => {
                pattern.with_prototype.as_ref().is_some_and(outside)
                    || match &pattern.operation {
                        MatchOperation::Push(references) | MatchOperation::Set(references) => {
                            references.iter().any(outside)
                        }
                        _ => false,
                    }
            }
        })
}

/// The theme in `bytes`, parsed once per process. Highlighting borrows its
/// theme for as long as the highlighter lives, so themes live as long as
/// the built-in ones do; one copy of each distinct file, however often
/// `recap serve` rebuilds.
fn interned_theme(bytes: &[u8]) -> Result<&'static Theme, syntect::LoadingError> {
    static THEMES: Mutex<BTreeMap<u64, &'static Theme>> = Mutex::new(BTreeMap::new());
    let mut hasher = rustc_hash::FxHasher::default();
    bytes.hash(&mut hasher);
    let key = hasher.finish();
    let mut themes = THEMES.lock().expect("no panics while holding the lock");
    if let Some(theme) = themes.get(&key) {
        return Ok(theme);
    }
    let theme = ThemeSet::load_from_reader(&mut std::io::Cursor::new(bytes))?;
    let theme: &'static Theme = Box::leak(Box::new(theme));
    themes.insert(key, theme);
    Ok(theme)
}

/// Files under `root/folder` whose name ends in `.extension`, as (shown,
/// path); a missing folder has none.
fn files_with_extension(
    root: &Path,
    folder: &str,
    extension: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, PathBuf)> {
    match crate::content::files_under(&root.join(folder)) {
        Ok(files) => files
            .into_iter()
            .filter(|(name, _)| {
                Path::new(name)
                    .extension()
                    .is_some_and(|ext| ext == extension)
            })
            .map(|(name, path)| (Path::new(folder).join(name), path))
            .collect(),
        Err(err) => {
            errors.push(err);
            Vec::new()
        }
    }
}

/// A grammar that cannot be used, at the line the parser names or, for a
/// bad regex or scope, the first line holding it.
fn syntax_error(shown: &Path, text: &str, err: &ParseSyntaxError) -> Diagnostic {
    let help = "a grammar is a Sublime Text .sublime-syntax file (YAML with `name`, `scope`, `file_extensions` and a `main` context); see https://www.sublimetext.com/docs/syntax.html";
    let message = format!("cannot use this grammar: {}", chain(err));
    let diagnostic = Diagnostic::error(shown, message).help(help);
    let quoted = |needle: &str| {
        text.lines().enumerate().find_map(|(index, line)| {
            line.find(needle)
                .map(|at| (index + 1, line[..at].chars().count() + 1))
        })
    };
    let place = match err {
        ParseSyntaxError::InvalidYaml(scan) => {
            let marker = scan.marker();
            Some((marker.line(), marker.col() + 1))
        }
        ParseSyntaxError::RegexCompileError(regex, _) => quoted(regex),
        ParseSyntaxError::MissingMandatoryKey(_)
        | ParseSyntaxError::MainMissing
        | ParseSyntaxError::EmptyFile => Some((1, 1)),
        _ => None,
    };
    match place {
        Some((line, column)) => diagnostic.at(text, line, column),
        None => diagnostic,
    }
}

/// An error with the errors beneath it, one line; a cause its parent
/// already quotes is not repeated.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    for cause in std::iter::successors(err.source(), |err| err.source()) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}
