//! Shortcodes rendered by templates: `templates/shortcodes/NAME.html`,
//! built-in (`youtube`, `figure`, `session`) or the site's own.

use serde_json::{Map, Value};

use super::Templates;
use crate::config::Config;
use crate::markdown::Shortcodes;

const DIR: &str = "shortcodes/";

pub(crate) struct ShortcodeTemplates<'a> {
    templates: &'a Templates,
    config: &'a Config,
}

impl<'a> ShortcodeTemplates<'a> {
    pub(crate) fn new(templates: &'a Templates, config: &'a Config) -> ShortcodeTemplates<'a> {
        ShortcodeTemplates { templates, config }
    }
}

impl Shortcodes for ShortcodeTemplates<'_> {
    fn is_known(&self, name: &str) -> bool {
        self.templates.sources.has(&format!("{DIR}{name}.html"))
    }

    fn render(
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
        let template = format!("{DIR}{name}.html");
        self.templates
            .tera
            .render(&template, &context)
            .map_err(|err| {
                let chain: Vec<String> =
                    std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
                        .map(ToString::to_string)
                        .collect();
                let detail = chain.last().cloned().unwrap_or_default();
                format!("{detail} (in templates/{template})")
            })
    }

    fn fingerprint(&self) -> u64 {
        self.templates.sources.fingerprint_of(DIR)
    }
}
