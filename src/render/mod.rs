//! Rendering: the Tera templates, the variables each page receives, and the
//! pages themselves.

pub(crate) mod calendar;
pub(crate) mod context;
pub(crate) mod feeds;
pub(crate) mod files;
pub(crate) mod i18n;
mod image_meta;
mod kinds;
pub(crate) mod markdown_templates;
pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod seo;
pub(crate) mod sitemap;
pub(crate) mod social;
pub(crate) mod templates;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::{PostId, Site};
use templates::TemplateSources;

/// Renders the pages of one site. Events are serialised once and shared by
/// every page that shows them; post summaries are made for each page (a
/// copy of a stored one would cost as much, and storing them all cost
/// ~9 KB a post), but each post's card is rendered once.
pub(crate) struct Renderer {
    site: Arc<Site>,
    templates: Arc<Templates>,
    globals: Context,
    /// Per post, its card (see [`Renderer::card`]); made on first use.
    cards: Vec<std::sync::OnceLock<Option<String>>>,
    events: Vec<Value>,
    /// Where drawn social cards are kept between builds, and the site
    /// folder it is in (None: no cache, as for check and serve).
    card_cache: Option<std::path::PathBuf>,
    card_cache_root: Option<std::path::PathBuf>,
}

/// How many upcoming events `nav.upcoming_events` holds.
const NAV_UPCOMING: usize = 3;

/// The site's templates, loaded before the Markdown (shortcodes need them).
pub(crate) struct Templates {
    pub tera: Tera,
    pub sources: TemplateSources,
    /// The theme's words in the site's language.
    pub words: Arc<i18n::Words>,
    /// The image variants pages and templates ask for.
    pub images: Arc<crate::images::Variants>,
}

impl Templates {
    /// Loads built-in and site templates. `assets` maps theme file names to
    /// the names they are written under, for `get_url`.
    /// Builds keep image variants in `image_cache`.
    pub(crate) fn load(
        root: &Path,
        config: &Config,
        assets: HashMap<String, String>,
        image_cache: Option<std::path::PathBuf>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let (mut tera, sources) = templates::load(root)?;
        tera.register_function(
            "get_url",
            GetUrl {
                base_path: config.base_path().to_string(),
                base_url: config.base_url.clone(),
                assets,
            },
        );
        tera.register_filter(
            "markdown",
            MarkdownFilter {
                raw_html: config.raw_html,
            },
        );
        tera.register_filter("cdata", cdata_filter);
        let site_images = image_meta::SiteImages {
            root: root.to_path_buf(),
            base_path: config.base_path().to_string(),
        };
        let images = Arc::new(crate::images::Variants::new(
            &config.images,
            config.base_path(),
            image_cache.map(|folder| (root.to_path_buf(), folder)),
        ));
        tera.register_function(
            "image_meta",
            image_meta::ImageMeta {
                files: site_images.clone(),
            },
        );
        tera.register_function(
            "resize_image",
            image_meta::ResizeImage {
                files: site_images.clone(),
                variants: Arc::clone(&images),
            },
        );
        tera.register_function(
            "responsive_image",
            image_meta::ResponsiveImage {
                files: site_images,
                variants: Arc::clone(&images),
            },
        );
        let words = Arc::new(i18n::Words::load(root, &config.language).map_err(|err| vec![err])?);
        tera.register_function(
            "t",
            i18n::Translate {
                words: Arc::clone(&words),
            },
        );
        Ok(Templates {
            tera,
            sources,
            words,
            images,
        })
    }

    pub(crate) fn for_markdown<'a>(
        &'a self,
        config: &'a Config,
    ) -> markdown_templates::SiteMarkdownTemplates<'a> {
        markdown_templates::SiteMarkdownTemplates::new(self, config)
    }
}

impl Renderer {
    pub(crate) fn new(site: Arc<Site>, templates: Arc<Templates>, serving: bool) -> Renderer {
        let mut renderer = Renderer {
            site,
            templates,
            globals: Context::new(),
            cards: Vec::new(),
            events: Vec::new(),
            card_cache: None,
            card_cache_root: None,
        };
        renderer.serialise_lists();
        renderer.globals = renderer.global_context(serving);
        renderer
    }

    /// Keeps drawn social cards in `folder`, inside the site at `root`.
    pub(crate) fn with_card_cache(mut self, root: &Path, folder: std::path::PathBuf) -> Renderer {
        self.card_cache = Some(folder);
        self.card_cache_root = Some(root.to_path_buf());
        self
    }

    fn serialise_lists(&mut self) {
        let site = &*self.site;
        let urls = context::Urls {
            base_path: site.config.base_path(),
            base_url: &site.config.base_url,
        };
        self.cards = site
            .posts
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        self.events = site
            .events
            .iter()
            .map(|event| {
                serde_json::to_value(context::event_view(site, event, &urls)).unwrap_or_default()
            })
            .collect();
    }

    fn global_context(&self, serving: bool) -> Context {
        let config = &self.site.config;
        let mut globals = Context::new();
        globals.insert("config", config);
        globals.insert("base_path", config.base_path());
        globals.insert("serving", &serving);
        let upcoming: Vec<&Value> = self
            .upcoming_events()
            .into_iter()
            .take(NAV_UPCOMING)
            .collect();
        // Checked when the site was prepared; an error here renders no menu.
        let mut links = self.site.nav_links(Path::new(".")).unwrap_or_default();
        for link in links.iter_mut().filter(|link| link.built_in) {
            link.label = self.templates.words.word(&link.label);
        }
        globals.insert(
            "nav",
            &serde_json::json!({ "upcoming_events": upcoming, "links": links }),
        );
        globals
    }

    /// The variables every page shares.
    pub(crate) fn shared_variables(&self) -> Value {
        self.globals.clone().into_json()
    }

    /// The summary of post `id` as template data, with its card.
    fn summary(&self, id: PostId) -> Value {
        let mut value = self.bare_summary(id);
        if let Some(card) = self.card(id) {
            value["card"] = Value::String(card.to_string());
        }
        value
    }

    /// The summary without the card. Its `event` is a copy of the event's
    /// value made for this build, cheaper than formatting the event again.
    fn bare_summary(&self, id: PostId) -> Value {
        let site = &*self.site;
        let post = &site.posts[id];
        let summary = context::post_summary(site, post, &self.urls());
        let mut value = serde_json::to_value(summary).unwrap_or_default();
        value["event"] = post
            .event
            .map_or(Value::Null, |event| self.events[event.index()].clone());
        value
    }

    /// The post's card from the `post_card` macro, rendered once and printed
    /// by every listing as `post.card`. None when it cannot be rendered on
    /// its own (a site's macro may want page variables): listings then call
    /// the macro themselves.
    fn card(&self, id: PostId) -> Option<&str> {
        self.cards[id.index()]
            .get_or_init(|| {
                let mut context = self.globals.clone();
                pages::insert_owned(&mut context, "post", self.bare_summary(id));
                self.templates
                    .tera
                    .render(templates::POST_CARD, &context)
                    .ok()
            })
            .as_deref()
    }

    pub(crate) fn site(&self) -> &Site {
        &self.site
    }

    /// The image variants the site's pages ask for.
    pub(crate) fn images(&self) -> &crate::images::Variants {
        &self.templates.images
    }

    pub(crate) fn site_arc(&self) -> Arc<Site> {
        Arc::clone(&self.site)
    }

    pub(crate) fn templates(&self) -> Arc<Templates> {
        Arc::clone(&self.templates)
    }

    /// A template error as a diagnostic pointing at the template.
    pub(crate) fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        self.templates.sources.diagnostic(err)
    }
}

/// `{{ body | markdown | safe }}`: Markdown text as HTML, raw HTML kept
/// only where the site's `raw_html` keeps it.
struct MarkdownFilter {
    raw_html: bool,
}

impl tera::Filter for MarkdownFilter {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("the markdown filter takes a string"))?;
        Ok(Value::String(crate::markdown::to_html(text, self.raw_html)))
    }
}

/// `{{ entry.content | cdata | safe }}`: text as an XML CDATA section, so a
/// feed carries HTML as it is instead of escaping every `<`, `>` and `"`.
fn cdata_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the cdata filter takes a string"))?;
    let mut section = String::with_capacity(text.len() + 12);
    section.push_str("<![CDATA[");
    // `]]>` would end the section: end it after `]]` and open a new one.
    // (memmem: feed entries are whole posts, and str::replace scans them
    // several times slower.)
    let mut copied = 0;
    for end in memchr::memmem::find_iter(text.as_bytes(), "]]>") {
        section.push_str(&text[copied..end]);
        section.push_str("]]]]><![CDATA[>");
        copied = end + 3;
    }
    section.push_str(&text[copied..]);
    section.push_str("]]>");
    Ok(Value::String(section))
}

/// Tera's `get_url(path=..., absolute=false)`.
struct GetUrl {
    base_path: String,
    base_url: String,
    assets: HashMap<String, String>,
}

impl tera::Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("get_url needs a `path` argument, e.g. get_url(path=\"img/x.png\")")
        })?;
        let absolute = args
            .get("absolute")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if context::is_full_url(path) {
            return Ok(Value::String(path.to_string()));
        }
        let relative = path.trim_start_matches('/');
        let relative = self.assets.get(relative).map_or(relative, String::as_str);
        let prefix = if absolute {
            &self.base_url
        } else {
            &self.base_path
        };
        Ok(Value::String(format!("{prefix}/{relative}")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_splits_every_section_end() {
        let section = cdata_filter(&Value::from("a]]>b]]>c"), &HashMap::new()).unwrap();
        assert_eq!(
            section,
            Value::from("<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]>")
        );
        let plain = cdata_filter(&Value::from("<p>x</p>"), &HashMap::new()).unwrap();
        assert_eq!(plain, Value::from("<![CDATA[<p>x</p>]]>"));
    }
}
