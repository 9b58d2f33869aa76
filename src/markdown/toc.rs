//! Nesting headings into a table of contents.

use super::TocEntry;

/// Nests `headings` (in page order): each heading goes under the nearest
/// earlier heading of a smaller level.
pub(super) fn nest(headings: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for heading in headings {
        insert(&mut roots, heading);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, heading: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < heading.level => insert(&mut last.children, heading),
        _ => siblings.push(heading),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, id: &str) -> TocEntry {
        TocEntry {
            level,
            id: id.into(),
            title: id.into(),
            children: Vec::new(),
        }
    }

    #[test]
    fn nests_by_level() {
        let toc = nest(vec![
            entry(2, "a"),
            entry(3, "a1"),
            entry(3, "a2"),
            entry(2, "b"),
            entry(4, "b1"),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "b1");
    }
}
