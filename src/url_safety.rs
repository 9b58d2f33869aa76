//! Which URLs recap writes into `href` and `src`: relative URLs, `@/`
//! links, and the schemes `http`, `https`, `mailto` and `tel`. Anything
//! else (`javascript:`, `vbscript:`, `data:`, ...) could run script in a
//! reader's browser, so it is refused wherever it comes from.

const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of `url` when it is not one recap writes, as browsers read it
/// (leading spaces and control characters skipped, tabs and newlines
/// removed, case ignored); None for a safe URL.
pub(crate) fn unsafe_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// The message for a refused URL.
pub(crate) fn refusal(url: &str, scheme: &str) -> String {
    format!(
        "the URL `{}` uses the `{scheme}:` scheme, which could run script in a reader's browser",
        url.escape_debug()
    )
}

pub(crate) const HELP: &str =
    "use an http://, https://, mailto: or tel: URL, a path on this site, or an @/ link";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_script_schemes_however_spelled() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " JavaScript:alert(1)",
            "\u{1}javascript:x",
            "java\tscript:x",
            "vbscript:msgbox",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert!(unsafe_scheme(url).is_some(), "{url:?} was accepted");
        }
    }

    #[test]
    fn accepts_web_and_relative_urls() {
        for url in [
            "https://example.org/a:b",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+331234",
            "/2024/kubecon/",
            "../img/a.png",
            "img/a:b.png",
            "#section",
            "?q=a:b",
            "@/posts/a.md",
            "",
        ] {
            assert_eq!(unsafe_scheme(url), None, "{url:?} was refused");
        }
    }
}
