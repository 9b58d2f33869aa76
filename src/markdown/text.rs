//! Plain text of rendered HTML, for meta descriptions, feed summaries and search.

/// Characters of plain text kept for descriptions.
const DESCRIPTION_LENGTH: usize = 160;

/// Visible text of an HTML fragment, whitespace collapsed, basic entities
/// decoded, shortened for a description.
pub(crate) fn plain_text(html: &str) -> String {
    truncate(&visible_text(html), DESCRIPTION_LENGTH)
}

/// All visible text of an HTML fragment, whitespace collapsed, basic
/// entities decoded.
pub(crate) fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |i| start + i + 1);
        if !is_inline_tag(&rest[start..end]) {
            text.push(' ');
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags inside running text: removing them must not split words.
fn is_inline_tag(tag: &str) -> bool {
    const INLINE: [&str; 14] = [
        "a", "em", "strong", "code", "span", "b", "i", "sup", "sub", "del", "s", "mark", "small",
        "kbd",
    ];
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    INLINE.contains(&name.as_str())
}

/// At most `limit` characters, cut at a word, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.trim().to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}
