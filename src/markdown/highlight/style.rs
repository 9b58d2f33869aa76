//! A theme's token styles as short classes, and the CSS that defines them.

use std::collections::{BTreeMap, BTreeSet};
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
        let background = self.default.background;
        let mut css = format!(
            ".hl-code{{color:#{};background-color:#{}}}\n",
            hex(readable(
                readable(self.default.foreground, background),
                if self.prefix == 'd' {
                    BUILT_IN_CODE_BACKGROUND_DARK
                } else {
                    BUILT_IN_CODE_BACKGROUND_LIGHT
                }
            )),
            hex(background)
        );
        let items = self.theme.scopes.iter().map(|item| &item.style);
        let foregrounds: BTreeMap<String, Color> = items
            .clone()
            .filter_map(|s| s.foreground)
            .map(|color| (hex(color), color))
            .collect();
        let backgrounds: BTreeSet<String> = items.filter_map(|s| s.background).map(hex).collect();
        // Classes keep the theme's colour in their name; the rule gives the
        // nearest colour that reads at WCAG AA (4.5:1) on the block, whether
        // the block shows the syntax theme's background or the built-in
        // theme's code background.
        let site_background = if self.prefix == 'd' {
            BUILT_IN_CODE_BACKGROUND_DARK
        } else {
            BUILT_IN_CODE_BACKGROUND_LIGHT
        };
        for (name, color) in foregrounds {
            let shown = hex(readable(readable(color, background), site_background));
            let _ = writeln!(css, ".{prefix}c-{name}{{color:#{shown}}}");
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

/// `--code-bg` of the built-in theme (static/theme.css), light and dark:
/// `pre.code` shows it behind highlighted code too.
pub(super) const BUILT_IN_CODE_BACKGROUND_LIGHT: Color = Color {
    r: 0xf4,
    g: 0xf1,
    b: 0xec,
    a: 0xff,
};
pub(super) const BUILT_IN_CODE_BACKGROUND_DARK: Color = Color {
    r: 0x23,
    g: 0x27,
    b: 0x2d,
    a: 0xff,
};

/// The contrast WCAG asks of body text (level AA).
pub(super) const MIN_CONTRAST: f64 = 4.5;

/// `color` (blended over `background` if translucent), moved toward black
/// on a light background or white on a dark one just until it reaches
/// `MIN_CONTRAST`.
pub(super) fn readable(color: Color, background: Color) -> Color {
    let color = blend(color, background);
    let dark_background = luminance(background) < 0.5;
    let target = if dark_background { 255.0 } else { 0.0 };
    let mix = |channel: u8, amount: f64| {
        (f64::from(channel) + (target - f64::from(channel)) * amount).round() as u8
    };
    (0..=20)
        .map(|step| {
            let amount = f64::from(step) / 20.0;
            Color {
                r: mix(color.r, amount),
                g: mix(color.g, amount),
                b: mix(color.b, amount),
                a: u8::MAX,
            }
        })
        .find(|candidate| contrast(*candidate, background) >= MIN_CONTRAST)
        .unwrap_or(color)
}

fn blend(color: Color, background: Color) -> Color {
    let alpha = f64::from(color.a) / 255.0;
    let channel = |fore: u8, back: u8| {
        (f64::from(fore) * alpha + f64::from(back) * (1.0 - alpha)).round() as u8
    };
    Color {
        r: channel(color.r, background.r),
        g: channel(color.g, background.g),
        b: channel(color.b, background.b),
        a: u8::MAX,
    }
}

/// WCAG 2 relative luminance.
fn luminance(color: Color) -> f64 {
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
pub(super) fn contrast(one: Color, other: Color) -> f64 {
    let (a, b) = (luminance(one), luminance(other));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

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
