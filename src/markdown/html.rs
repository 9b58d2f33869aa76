//! The HTML of a rendered body. A build that keeps a body's rendering from
//! the last build does not read its HTML until a page shows it: after a
//! one-post edit most pages are kept as they are, and reading the HTML of
//! every post would cost more than the rest of the build.

use std::sync::OnceLock;

use crate::cache_files::KeptText;

pub struct Html(Source);

enum Source {
    Made(String),
    Kept {
        text: KeptText,
        read: OnceLock<Option<String>>,
    },
}

impl Html {
    /// HTML kept by the build cache, read when first needed.
    pub(crate) fn kept(text: KeptText) -> Html {
        Html(Source::Kept {
            text,
            read: OnceLock::new(),
        })
    }

    /// The HTML; "" when kept HTML could not be read back whole, which is
    /// recorded (`KeptText::mark_lost`) so the build can start over
    /// without the cache.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Source::Made(html) => html,
            Source::Kept { text, .. } => self.read().unwrap_or_else(|| {
                text.mark_lost();
                ""
            }),
        }
    }

    /// The HTML, read once; None when kept HTML cannot be read back whole.
    fn read(&self) -> Option<&str> {
        match &self.0 {
            Source::Made(html) => Some(html),
            Source::Kept { text, read } => read.get_or_init(|| text.read()).as_deref(),
        }
    }

    /// The HTML for the cache to save, without keeping kept HTML in
    /// memory; None when kept HTML cannot be read back whole.
    pub(crate) fn for_saving(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.0 {
            Source::Made(html) => Some(html.into()),
            Source::Kept { text, read } => match read.get() {
                Some(html) => html.as_deref().map(Into::into),
                None => text.read().map(Into::into),
            },
        }
    }

    /// Its length in bytes, without reading kept HTML.
    pub fn len(&self) -> usize {
        match &self.0 {
            Source::Made(html) => html.len(),
            Source::Kept { text, .. } => text.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for Html {
    fn default() -> Html {
        Html(Source::Made(String::new()))
    }
}

impl From<String> for Html {
    fn from(html: String) -> Html {
        Html(Source::Made(html))
    }
}

impl From<&str> for Html {
    fn from(html: &str) -> Html {
        Html(Source::Made(html.to_string()))
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::Made(html) => html.fmt(f),
            Source::Kept { text, .. } => write!(f, "<{} bytes kept>", text.len()),
        }
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Html {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Html {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
