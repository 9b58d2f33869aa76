//! The theme's words in the site's `language`: built-in tables for English,
//! German, French, Dutch and Spanish (`i18n/*.toml` in recap's repository),
//! which a site overrides or extends with its own `i18n/<language>.toml`.
//! A word missing in a language is taken from English, and `recap check`
//! says which. Dates are written with the language's month and day names.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;

pub(crate) const I18N_DIR: &str = "i18n";

const BUILT_IN: [(&str, &str); 5] = [
    ("en", include_str!("../../i18n/en.toml")),
    ("de", include_str!("../../i18n/de.toml")),
    ("fr", include_str!("../../i18n/fr.toml")),
    ("nl", include_str!("../../i18n/nl.toml")),
    ("es", include_str!("../../i18n/es.toml")),
];

/// One word or phrase: plain, or a form per count.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Entry {
    Text(String),
    Plural { one: String, other: String },
}

#[derive(Debug)]
pub(crate) struct Words {
    language: String,
    entries: BTreeMap<String, Entry>,
    /// English keys the language has no words for.
    missing: Vec<String>,
}

impl Words {
    /// Of the language and every word, for cache keys.
    pub(crate) fn fingerprint(&self) -> u64 {
        crate::output::content_hash(format!("{}{:?}", self.language, self.entries).as_bytes())
    }

    /// The words for `language` ("de", "de-AT"): English, then the built-in
    /// table of the language, then the site's `i18n/<language>.toml`.
    pub(crate) fn load(root: &Path, language: &str) -> Result<Words, Diagnostic> {
        let primary = primary_subtag(language);
        let parse = |text: &str, file: &Path| {
            crate::content::frontmatter::parse_toml_document::<BTreeMap<String, Entry>>(text, file)
        };
        let mut entries = parse(BUILT_IN[0].1, Path::new("(built-in) i18n/en.toml"))?;
        let english: Vec<String> = entries.keys().cloned().collect();
        let mut own = BTreeMap::new();
        if let Some((_, text)) = BUILT_IN.iter().find(|(code, _)| *code == primary) {
            let shown = format!("(built-in) i18n/{primary}.toml");
            own.extend(parse(text, Path::new(&shown))?);
        }
        let site_file = Path::new(I18N_DIR).join(format!("{primary}.toml"));
        if let Ok(text) = std::fs::read_to_string(root.join(&site_file)) {
            own.extend(parse(&text, &site_file)?);
        }
        let missing = if primary == "en" {
            Vec::new()
        } else {
            english
                .into_iter()
                .filter(|key| !own.contains_key(key))
                .collect()
        };
        entries.extend(own);
        Ok(Words {
            language: primary,
            entries,
            missing,
        })
    }

    /// The words for English alone, for tests.
    #[cfg(test)]
    pub(crate) fn english() -> Words {
        Words::load(Path::new("/nonexistent"), "en").expect("the built-in table parses")
    }

    /// The words of `key`, with `{n}` and the other `{name}`s of `args`
    /// filled in; a key no table has is returned as it is.
    pub(crate) fn text(&self, key: &str, args: &BTreeMap<String, Value>) -> String {
        let count = args.get("n").and_then(Value::as_i64);
        let mut text = match self.entries.get(key) {
            Some(Entry::Text(text)) => text.clone(),
            Some(Entry::Plural { one, other }) => {
                if count == Some(1) { one } else { other }.clone()
            }
            None => key.to_string(),
        };
        for (name, value) in args {
            let value = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        text
    }

    /// A word without arguments.
    pub(crate) fn word(&self, key: &str) -> String {
        self.text(key, &BTreeMap::new())
    }

    /// For `recap check`: the words the language lacks, if any.
    pub(crate) fn missing_warning(&self) -> Option<Diagnostic> {
        if self.missing.is_empty() {
            return None;
        }
        let file = Path::new(I18N_DIR).join(format!("{}.toml", self.language));
        let shown: Vec<&str> = self.missing.iter().take(8).map(String::as_str).collect();
        let more = self.missing.len().saturating_sub(shown.len());
        Some(
            Diagnostic::warning(
                &file,
                format!(
                    "the language `{}` has no words for {} key{} ({}{}); the theme shows them in English",
                    self.language,
                    self.missing.len(),
                    if self.missing.len() == 1 { "" } else { "s" },
                    shown.join(", "),
                    if more > 0 { format!(", and {more} more") } else { String::new() }
                ),
            )
            .help(format!(
                "add them to {}, with the keys of recap's i18n/en.toml",
                file.display()
            )),
        )
    }
}

/// "de" of "de-AT", "pt_BR" or "DE".
fn primary_subtag(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// How a language usually writes a date and a day: "2 Apr 2025" and
/// "Wednesday 2 April 2025" in English, "2. Apr 2025" and "Mittwoch,
/// 2. April 2025" in German.
/// Whether recap ships the theme's words in `language` ("de").
pub(crate) fn is_built_in(language: &str) -> bool {
    BUILT_IN.iter().any(|(code, _)| *code == language)
}

pub(crate) fn date_formats(language: &str) -> (&'static str, &'static str) {
    match primary_subtag(language).as_str() {
        "de" => ("%-d. %b %Y", "%A, %-d. %B %Y"),
        "es" => ("%-d %b %Y", "%A, %-d de %B de %Y"),
        "fr" | "nl" => ("%-d %b %Y", "%A %-d %B %Y"),
        _ => ("%-d %b %Y", "%A %-d %B %Y"),
    }
}

/// `date` in `format` (strftime) with the month and day names of
/// `language`.
pub(crate) fn format_date(date: chrono::NaiveDate, format: &str, language: &str) -> String {
    date.format_localized(format, locale_of(language))
        .to_string()
}

/// The locale for month and day names: the language's own region
/// (`de-AT` → de_AT), else its main one (`de` → de_DE), else English.
/// Every date of every page asks, so the last answer is kept.
pub(crate) fn locale_of(language: &str) -> chrono::Locale {
    static LAST: std::sync::Mutex<Option<(String, chrono::Locale)>> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().expect("no panics while holding the lock");
    if let Some((known, locale)) = last.as_ref()
        && known == language
    {
        return *locale;
    }
    let locale = find_locale(language);
    *last = Some((language.to_string(), locale));
    locale
}

fn find_locale(language: &str) -> chrono::Locale {
    let primary = primary_subtag(language);
    let region = language
        .split(['-', '_'])
        .nth(1)
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| primary.to_ascii_uppercase());
    [
        format!("{primary}_{region}"),
        format!("{primary}_{}", primary.to_ascii_uppercase()),
    ]
    .iter()
    .find_map(|name| chrono::Locale::try_from(name.as_str()).ok())
    .unwrap_or(chrono::Locale::en_US)
}

/// The Tera function `t(key="...", n=3, name="...")`.
pub(crate) struct Translate {
    pub words: std::sync::Arc<Words>,
}

impl tera::Function for Translate {
    fn call(&self, args: &std::collections::HashMap<String, Value>) -> tera::Result<Value> {
        let Some(key) = args.get("key").and_then(Value::as_str) else {
            return Err("t() needs a key, e.g. t(key=\"read_more\")".into());
        };
        let rest: BTreeMap<String, Value> = args
            .iter()
            .filter(|(name, _)| *name != "key")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        Ok(Value::String(self.words.text(key, &rest)))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_english_word() {
        for (code, _) in BUILT_IN {
            let words = Words::load(Path::new("/nonexistent"), code).unwrap();
            assert!(words.missing.is_empty(), "{code} lacks {:?}", words.missing);
        }
    }

    #[test]
    fn plurals_and_arguments() {
        let words = Words::english();
        let args = |n: i64| BTreeMap::from([("n".to_string(), Value::from(n))]);
        assert_eq!(words.text("recap_count", &args(1)), "1 recap");
        assert_eq!(words.text("recap_count", &args(3)), "3 recaps");
        assert_eq!(words.text("no_such_key", &args(3)), "no_such_key");
        assert_eq!(locale_of("de-AT"), chrono::Locale::de_AT);
        assert_eq!(locale_of("fr"), chrono::Locale::fr_FR);
        assert_eq!(locale_of("xx"), chrono::Locale::en_US);
    }
}
