//! A theme's token styles as short classes, and the CSS that defines them.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html_body_text;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};

/// One theme, with the prefix its classes carry (`l` light, `d` dark).
pub(super) struct ThemeStyle {
    name: String,
    theme: &'static Theme,
    highlighter: Highlighter<'static>,
    default: Style,
    prefix: char,
}

impl ThemeStyle {
    pub(super) fn new(name: &str, theme: &'static Theme, prefix: char) -> ThemeStyle {
        let highlighter = Highlighter::new(theme);
        ThemeStyle {
            name: name.to_string(),
            theme,
            default: highlighter.get_default(),
            highlighter,
            prefix,
        }
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn highlighter(&self) -> &Highlighter<'static> {
        &self.highlighter
    }

    /// Appends the classes of `style` (nothing for the theme's plain text).
    pub(super) fn classes(&self, style: Style, out: &mut String) {
        let mut add = |class: std::fmt::Arguments| {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = out.write_fmt(class);
        };
        let prefix = self.prefix;
        if style.foreground != self.default.foreground {
            add(format_args!("{prefix}c-{}", hex(style.foreground)));
        }
        if style.background != self.default.background {
            add(format_args!("{prefix}bg-{}", hex(style.background)));
        }
        for (flag, letter) in FONT_STYLES {
            if style.font_style.contains(flag) {
                add(format_args!("{prefix}{letter}"));
            }
        }
    }

    /// Rules for the code block and every class this theme can produce.
    pub(super) fn css(&self) -> String {
        let prefix = self.prefix;
        let mut css = format!(
            ".hl-code{{color:#{};background-color:#{}}}\n",
            hex(self.default.foreground),
            hex(self.default.background)
        );
        let items = self.theme.scopes.iter().map(|item| &item.style);
        let foregrounds: BTreeSet<String> = items
            .clone()
            .filter_map(|s| s.foreground)
            .map(hex)
            .collect();
        let backgrounds: BTreeSet<String> = items.filter_map(|s| s.background).map(hex).collect();
        for color in foregrounds {
            let _ = writeln!(css, ".{prefix}c-{color}{{color:#{color}}}");
        }
        for color in backgrounds {
            let _ = writeln!(css, ".{prefix}bg-{color}{{background-color:#{color}}}");
        }
        for (declaration, (_, letter)) in FONT_DECLARATIONS.iter().zip(FONT_STYLES) {
            let _ = writeln!(css, ".{prefix}{letter}{{{declaration}}}");
        }
        css
    }
}

const FONT_STYLES: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

const FONT_DECLARATIONS: [&str; 3] = [
    "font-weight:bold",
    "font-style:italic",
    "text-decoration:underline",
];

/// "a71d5d", or "a71d5d80" when the colour is not opaque.
fn hex(color: Color) -> String {
    let Color { r, g, b, a } = color;
    if a == u8::MAX {
        format!("{r:02x}{g:02x}{b:02x}")
    } else {
        format!("{r:02x}{g:02x}{b:02x}{a:02x}")
    }
}

/// Writes tokens as spans, one span for a run of tokens with the same
/// classes and none for plain text. Every span is closed at the end, so a
/// line's HTML stands on its own.
pub(super) struct SpanWriter<'a> {
    out: &'a mut String,
    /// The classes of the open span; empty when none is open.
    open: String,
}

impl<'a> SpanWriter<'a> {
    pub(super) fn new(out: &'a mut String) -> SpanWriter<'a> {
        SpanWriter {
            out,
            open: String::new(),
        }
    }

    pub(super) fn push(&mut self, classes: &str, text: &str) {
        if classes != self.open {
            self.close();
            if !classes.is_empty() {
                self.out.push_str("<span class=\"");
                self.out.push_str(classes);
                self.out.push_str("\">");
                self.open.push_str(classes);
            }
        }
        let _ = escape_html_body_text(&mut *self.out, text);
    }

    fn close(&mut self) {
        if !self.open.is_empty() {
            self.out.push_str("</span>");
            self.open.clear();
        }
    }

    pub(super) fn finish(mut self) {
        self.close();
    }
}
