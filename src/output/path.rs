//! `OutputPath`: the only way to name a file of the built site. Every file
//! recap writes, copies or serves goes through it, so a path that could
//! leave the output folder, or that the manifest could not list, is refused
//! once, here, whatever made it (a slug, an alias, a `static/` file name).

use std::fmt;

/// File names recap keeps for itself at the top of the output folder.
pub(super) const RESERVED: [&str; 2] = [super::MANIFEST, super::STAGING_MARKER];
/// The longest file name Linux, macOS and Windows file systems all take.
const MAX_SEGMENT_BYTES: usize = 255;

/// A file path relative to the output folder: `/`-separated segments, none
/// of them empty, `.` or `..`, none with a backslash or a control
/// character, no longer than a file name may be.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct OutputPath(String);

impl OutputPath {
    /// Checks `relative`; the error says what is wrong with it.
    pub(crate) fn new(relative: &str) -> Result<OutputPath, String> {
        if relative.is_empty() {
            return Err("the output path is empty".into());
        }
        for segment in relative.split('/') {
            check_segment(relative, segment)?;
        }
        let first = relative.split('/').next().unwrap_or_default();
        if RESERVED.contains(&first) {
            return Err(format!(
                "refusing to write `{relative}`: `/{first}` is the name recap keeps for its own bookkeeping in the output folder"
            ));
        }
        Ok(OutputPath(relative.to_string()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The first folder and the rest: `("tags", "rust/index.html")`; None
    /// for a file at the top of the output.
    pub(crate) fn split_first(&self) -> Option<(&str, &str)> {
        self.0.split_once('/')
    }

    /// The folder the file is in, relative to the output; None at the top.
    pub(crate) fn parent(&self) -> Option<&str> {
        self.0.rsplit_once('/').map(|(folder, _)| folder)
    }
}

fn check_segment(relative: &str, segment: &str) -> Result<(), String> {
    let problem = if segment.is_empty() {
        Some("an empty segment (`//`, or a name whose slug is empty)".to_string())
    } else if segment == "." || segment == ".." {
        Some(format!("the segment `{segment}`"))
    } else if segment.contains('\\') {
        Some("a backslash".to_string())
    } else if let Some(control) = segment.chars().find(|c| c.is_control()) {
        Some(format!(
            "the control character U+{:04X}",
            u32::from(control)
        ))
    } else if segment.len() > MAX_SEGMENT_BYTES {
        Some(format!(
            "a name of {} bytes (file systems take {MAX_SEGMENT_BYTES})",
            segment.len()
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!(
            "refusing to write `{}`: it has {problem}, which could place it outside the output folder or break the manifest",
            relative.escape_debug()
        )),
        None => Ok(()),
    }
}

impl std::ops::Deref for OutputPath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for OutputPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_paths() {
        for path in [
            "index.html",
            "tags/rust/index.html",
            "2024/03/x.html",
            "a.b/c",
        ] {
            assert_eq!(OutputPath::new(path).unwrap().as_str(), path);
        }
    }

    #[test]
    fn refuses_every_way_out() {
        let long = "x".repeat(256);
        for path in [
            "",
            "/index.html",
            "tags//index.html",
            "tags/",
            "../x",
            "a/../../x",
            "a/./b",
            ".",
            "a\\..\\b",
            "a\0b",
            "a\nb/index.html",
            "a\rb",
            long.as_str(),
            ".recap-manifest",
            ".recap-staging",
            ".recap-manifest/index.html",
        ] {
            assert!(OutputPath::new(path).is_err(), "{path:?} was accepted");
        }
    }

    proptest::proptest! {
        #[test]
        fn an_accepted_path_stays_inside_its_folder(path in "[a-z./\\\\\u{0}\n]{0,16}") {
            if let Ok(path) = OutputPath::new(&path) {
                let joined = std::path::Path::new("/out").join(path.as_str());
                proptest::prop_assert!(joined.starts_with("/out/"));
                proptest::prop_assert!(std::path::Path::new(path.as_str())
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))));
                proptest::prop_assert!(!path.split('/').any(str::is_empty));
            }
        }
    }

    #[test]
    fn splits_at_the_first_folder() {
        let path = OutputPath::new("tags/rust/index.html").unwrap();
        assert_eq!(path.split_first(), Some(("tags", "rust/index.html")));
        assert_eq!(path.parent(), Some("tags/rust"));
        assert_eq!(OutputPath::new("a.html").unwrap().split_first(), None);
    }
}
