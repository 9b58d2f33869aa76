//! Helpers of the Markdown pass over pulldown-cmark's events: collecting
//! the events inside a tag, their text, and positions in the source.

use pulldown_cmark::{CowStr, Event};

pub(super) type Offset = std::ops::Range<usize>;

/// The text `pick` finds in `events`, concatenated.
pub(super) fn text_of<'s>(
    events: &[(Event<'s>, Offset)],
    pick: impl for<'e> Fn(&'e Event<'s>) -> Option<&'e CowStr<'s>>,
) -> String {
    events
        .iter()
        .filter_map(|(event, _)| pick(event))
        .map(|text| text.as_ref())
        .collect()
}

/// The events up to the end tag matching the start tag just read.
pub(super) fn collect_until_end<'s>(
    parser: &mut impl Iterator<Item = (Event<'s>, Offset)>,
) -> Vec<(Event<'s>, Offset)> {
    let mut depth = 0usize;
    let mut inner = Vec::new();
    for (event, range) in parser.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        inner.push((event, range));
    }
    inner
}
