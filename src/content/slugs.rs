//! Slugs: lowercase ASCII, Unicode transliterated, every run of
//! other characters one `-`, trimmed.

use chrono::NaiveDate;

pub(crate) fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Splits "2024-03-22-kubecon-eu" into its date and "kubecon-eu".
pub(crate) fn split_date_prefix(name: &str) -> (Option<NaiveDate>, &str) {
    let Some(prefix) = name.get(..10) else {
        return (None, name);
    };
    let Ok(date) = NaiveDate::parse_from_str(prefix, "%Y-%m-%d") else {
        return (None, name);
    };
    match name[10..].chars().next() {
        None => (Some(date), ""),
        Some('-' | '_') => (Some(date), &name[11..]),
        Some(_) => (None, name),
    }
}

/// An explicit `slug = "..."`: one URL segment, never a path.
pub(crate) fn checked_slug(slug: &str) -> Result<String, String> {
    if slug.contains(['/', '\\']) || slug.contains("..") {
        return Err(format!(
            "slug `{slug}` is a path; it would place the page outside its folder"
        ));
    }
    let slug = slugify(slug);
    if slug.is_empty() {
        return Err("slug is empty after removing punctuation".to_string());
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies_like_spec() {
        assert_eq!(slugify("KubeCon EU 2024: Paris!"), "kubecon-eu-2024-paris");
        assert_eq!(slugify("Zürich  Café_Déjà/vu"), "zurich-cafe-deja-vu");
    }

    #[test]
    fn splits_date_prefixes() {
        let (date, rest) = split_date_prefix("2024-03-22-kubecon-eu");
        assert_eq!(date.unwrap().to_string(), "2024-03-22");
        assert_eq!(rest, "kubecon-eu");
        assert_eq!(split_date_prefix("kubecon").1, "kubecon");
        assert_eq!(split_date_prefix("2024-13-22-x").0, None);
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_one_clean_segment(text in "\\PC{0,40}") {
            let slug = slugify(&text);
            proptest::prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug}");
            proptest::prop_assert_eq!(slugify(&slug), slug.clone());
        }

        #[test]
        fn checked_slugs_are_never_paths(text in "[a-z./\\\\ -]{0,12}") {
            if let Ok(slug) = checked_slug(&text) {
                proptest::prop_assert!(!slug.is_empty() && !slug.contains(['/', '\\', '.']));
            }
        }
    }

    #[test]
    fn refuses_path_slugs() {
        assert!(checked_slug("../etc").is_err());
        assert!(checked_slug("a/b").is_err());
        assert_eq!(checked_slug("My Slug").unwrap(), "my-slug");
    }
}
