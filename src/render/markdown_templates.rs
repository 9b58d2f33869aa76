//! The templates Markdown calls into: shortcodes
//! (`templates/shortcodes/NAME.html`, built-in or the site's own) and render
//! hooks (`templates/hooks/NAME.html`), which write the HTML of headings,
//! code blocks, images and links.

use serde_json::{Map, Value};

use super::Templates;
use crate::config::Config;
use crate::markdown::MarkdownTemplates;

const SHORTCODES: &str = "shortcodes/";
const HOOKS: &str = "hooks/";

pub(crate) struct SiteMarkdownTemplates<'a> {
    templates: &'a Templates,
    config: &'a Config,
}

impl<'a> SiteMarkdownTemplates<'a> {
    pub(crate) fn new(templates: &'a Templates, config: &'a Config) -> SiteMarkdownTemplates<'a> {
        SiteMarkdownTemplates { templates, config }
    }

    fn render(&self, template: &str, context: &tera::Context) -> Result<String, String> {
        self.templates
            .tera
            .render(template, context)
            .map_err(|err| {
                let chain: Vec<String> =
                    std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
                        .map(ToString::to_string)
                        .collect();
                let detail = chain.last().cloned().unwrap_or_default();
                format!("{detail} (in templates/{template})")
            })
    }
}

impl MarkdownTemplates for SiteMarkdownTemplates<'_> {
    fn has_shortcode(&self, name: &str) -> bool {
        self.templates
            .sources
            .has(&format!("{SHORTCODES}{name}.html"))
    }

    fn render_shortcode(
        &self,
        name: &str,
        args: &Map<String, Value>,
        body: Option<&str>,
    ) -> Result<String, String> {
        let mut context = tera::Context::new();
        context.insert("config", self.config);
        context.insert("base_path", self.config.base_path());
        for (key, value) in args {
            context.insert(key.as_str(), value);
        }
        if let Some(body) = body {
            context.insert("body", body);
        }
        self.render(&format!("{SHORTCODES}{name}.html"), &context)
    }

    fn has_hook(&self, name: &str) -> bool {
        self.templates.sources.has(&format!("{HOOKS}{name}.html"))
    }

    /// Hooks run for every heading and code block, so they get their own
    /// variables and `base_path`, not the whole configuration.
    fn render_hook(&self, name: &str, mut vars: Map<String, Value>) -> Result<String, String> {
        vars.insert("base_path".to_string(), self.config.base_path().into());
        let context =
            tera::Context::from_value(Value::Object(vars)).expect("an object is a valid context");
        self.render(&format!("{HOOKS}{name}.html"), &context)
    }

    /// Everything shortcodes and hooks may read: their templates, the
    /// macros they import, the whole config (shortcodes get it, and
    /// `[images]` decides the copies) and the theme's words.
    fn fingerprint(&self) -> u64 {
        let sources = &self.templates.sources;
        let config = serde_json::to_string(self.config).unwrap_or_default();
        sources.fingerprint_of(SHORTCODES)
            ^ sources.fingerprint_of(HOOKS).rotate_left(1)
            ^ sources.fingerprint_of("macros.html").rotate_left(2)
            ^ crate::output::content_hash(config.as_bytes()).rotate_left(3)
            ^ self.templates.words.fingerprint().rotate_left(4)
    }
}
