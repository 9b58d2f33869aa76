//! Link destinations: `@/` internal links, site-absolute paths and external URLs.

use super::MarkdownOptions;

/// What a link or image destination is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Destination<'a> {
    /// `@/posts/x.md#anchor`
    Internal {
        target: &'a str,
        anchor: Option<&'a str>,
    },
    /// `/img/x.png`: gets the base path.
    SiteAbsolute,
    /// `https://elsewhere.org/`
    External,
    /// Relative paths, fragments, mailto:, links to the site's own origin.
    Other,
}

pub(super) fn classify<'a>(url: &'a str, options: &MarkdownOptions) -> Destination<'a> {
    if let Some(rest) = url.strip_prefix("@/") {
        let (target, anchor) = match rest.split_once('#') {
            Some((target, anchor)) => (target, Some(anchor)),
            None => (rest, None),
        };
        return Destination::Internal { target, anchor };
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Destination::SiteAbsolute;
    }
    let is_web = url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//");
    if is_web && !is_same_origin(url, &options.site_origin) {
        return Destination::External;
    }
    Destination::Other
}

fn is_same_origin(url: &str, origin: &str) -> bool {
    let host = |u: &str| {
        let without_scheme = u.split_once("//").map_or(u, |(_, rest)| rest);
        without_scheme
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    !origin.is_empty() && host(url) == host(origin)
}

/// `rel` and `target` attributes for an external link under `options`.
pub(super) fn external_attributes(options: &MarkdownOptions) -> String {
    let mut rel = Vec::new();
    let mut attributes = String::new();
    if options.external_links_target_blank {
        attributes.push_str(" target=\"_blank\"");
        rel.push("noopener");
    }
    if options.external_links_no_referrer {
        rel.push("noreferrer");
    }
    if !rel.is_empty() {
        attributes.push_str(&format!(" rel=\"{}\"", rel.join(" ")));
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> MarkdownOptions {
        MarkdownOptions {
            raw_html: true,
            external_links_target_blank: true,
            external_links_no_referrer: true,
            base_path: "/team".into(),
            site_origin: "https://example.org".into(),
            math: false,
            emoji: false,
        }
    }

    #[test]
    fn classifies_destinations() {
        let o = options();
        assert_eq!(
            classify("@/posts/a.md#x", &o),
            Destination::Internal {
                target: "posts/a.md",
                anchor: Some("x")
            }
        );
        assert_eq!(classify("/img/x.png", &o), Destination::SiteAbsolute);
        assert_eq!(
            classify("//cdn.example.com/x.js", &o),
            Destination::External
        );
        assert_eq!(classify("https://other.org/", &o), Destination::External);
        assert_eq!(
            classify("https://example.org/team/x/", &o),
            Destination::Other
        );
        assert_eq!(classify("stage.png", &o), Destination::Other);
        assert_eq!(classify("#top", &o), Destination::Other);
    }

    #[test]
    fn external_attributes_follow_options() {
        assert_eq!(
            external_attributes(&options()),
            " target=\"_blank\" rel=\"noopener noreferrer\""
        );
    }
}
