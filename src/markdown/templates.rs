//! What the Markdown renderer asks of the theme: shortcodes, and the render
//! hooks (`templates/hooks/NAME.html`) that write the HTML of headings,
//! code blocks, images and, when a site has the hook, links.

use serde_json::{Map, Value};

pub(crate) trait MarkdownTemplates: Sync {
    fn has_shortcode(&self, name: &str) -> bool;
    /// The HTML of shortcode `name`, or what is wrong with its arguments.
    fn render_shortcode(
        &self,
        name: &str,
        args: &Map<String, Value>,
        body: Option<&str>,
    ) -> Result<String, String>;
    /// Whether render hook `name` ("heading", "codeblock-mermaid") exists.
    fn has_hook(&self, _name: &str) -> bool {
        false
    }
    /// The HTML of render hook `name` for `vars`, or why it failed.
    fn render_hook(&self, name: &str, _vars: Map<String, Value>) -> Result<String, String> {
        Err(format!("no render hook `{name}`"))
    }
    /// Changes whenever a shortcode's or a hook's output could (its
    /// templates changed).
    fn fingerprint(&self) -> u64 {
        0
    }
}

/// The hooks a theme has for the elements every page has; looked up once
/// per text.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hooks {
    pub link: bool,
    pub image: bool,
    pub heading: bool,
}

impl Hooks {
    pub(super) fn of(templates: &dyn MarkdownTemplates) -> Hooks {
        Hooks {
            link: templates.has_hook("link"),
            image: templates.has_hook("image"),
            heading: templates.has_hook("heading"),
        }
    }
}

/// The hook of a code block in `language`: its own variant
/// (`codeblock-mermaid`) when the theme has one, else the general one.
pub(super) fn codeblock_hook(templates: &dyn MarkdownTemplates, language: &str) -> Option<String> {
    let plain_name = !language.is_empty()
        && language
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'+'));
    let variant = format!("codeblock-{}", language.to_ascii_lowercase());
    if plain_name && templates.has_hook(&variant) {
        Some(variant)
    } else {
        templates
            .has_hook("codeblock")
            .then(|| "codeblock".to_string())
    }
}

/// For callers without a theme: no shortcodes and no hooks, so elements get
/// pulldown-cmark's plain HTML.
#[cfg(test)]
pub(crate) struct NoTemplates;

#[cfg(test)]
impl MarkdownTemplates for NoTemplates {
    fn has_shortcode(&self, _: &str) -> bool {
        false
    }

    fn render_shortcode(
        &self,
        _: &str,
        _: &Map<String, Value>,
        _: Option<&str>,
    ) -> Result<String, String> {
        Err("no shortcodes".into())
    }
}
