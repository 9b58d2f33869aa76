//! A site's own grammars (`syntaxes/*.sublime-syntax`) and colour themes
//! (`themes/*.tmTheme`): used like the built-in ones, listed by
//! `recap languages`, and errors in them pointed at.

use crate::support::TestSite;

const GRAMMAR: &str = include_str!("../fixtures/highlighting/recap-dsl.sublime-syntax");
const THEME: &str = include_str!("../fixtures/highlighting/harbour.tmTheme");

const BODY: &str = "```recapdsl\ntalk \"Keynote\" # day one\n```\n";

fn site(config_extra: &str) -> TestSite {
    let site = TestSite::with_config(&format!(
        "title = \"T\"\nbase_url = \"https://example.org\"\n{config_extra}"
    ));
    site.write("syntaxes/recap-dsl.sublime-syntax", GRAMMAR);
    site.write("themes/harbour.tmTheme", THEME);
    site.post("2025-04-02-kubecon.md", "title = \"KubeCon\"", BODY);
    site
}

#[test]
fn a_site_grammar_and_theme_highlight_code() {
    let site = site("highlight_theme = \"harbour\"\n");
    let run = site.build();
    assert!(
        !run.stderr().contains("unknown language"),
        "{}",
        run.stderr()
    );
    let page = site.html("2025/kubecon/index.html");
    let keyword = page
        .select("pre.hl-code code span")
        .into_iter()
        .find(|span| span.text().collect::<String>() == "talk");
    let keyword = keyword.expect("the keyword has a span of its own");
    let classes = keyword.value().attr("class").unwrap();
    // Harbour colours keywords #0B5394, bold; no adjustment needed on white.
    assert!(
        classes.contains("lc-0b5394") && classes.contains("lb"),
        "{classes}"
    );
    let stylesheet = std::fs::read_dir(site.public(""))
        .unwrap()
        .flatten()
        .find(|entry| entry.file_name().to_string_lossy().starts_with("highlight"))
        .expect("a highlight stylesheet");
    let css = std::fs::read_to_string(stylesheet.path()).unwrap();
    assert!(css.contains("Syntax highlighting: harbour"), "{css}");
    assert!(css.contains(".lc-0b5394{color:#0b5394}"), "{css}");
}

#[test]
fn a_site_grammar_may_embed_a_built_in_one() {
    let site = site("");
    site.write(
        "syntaxes/talk-notes.sublime-syntax",
        include_str!("../fixtures/highlighting/talk-notes.sublime-syntax"),
    );
    site.post(
        "2025-04-03-notes.md",
        "title = \"Notes\"",
        "```talknotes\n---\nspeaker: Ada\n---\n# Keynote\n```\n\n```recapdsl\ntalk \"x\"\n```\n",
    );
    let run = site.build();
    assert!(
        !run.stderr().contains("unknown language"),
        "{}",
        run.stderr()
    );
    let page = site.html("2025/notes/index.html");
    let blocks = page.select("pre.hl-code code");
    assert_eq!(blocks.len(), 2);
    let spans = |block: &scraper::ElementRef| {
        block
            .select(&scraper::Selector::parse("span").unwrap())
            .map(|span| span.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    let notes = spans(&blocks[0]);
    assert!(
        notes.iter().any(|text| text == "speaker"),
        "the embedded YAML is highlighted: {notes:?}"
    );
    assert!(spans(&blocks[1]).iter().any(|text| text == "talk"));
}

#[test]
fn recap_languages_lists_the_sites_grammars() {
    let site = site("");
    let run = site.run(&["languages"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stdout().contains("Recap DSL: recapdsl"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("Rust: rs"), "{}", run.stdout());
}

#[test]
fn a_broken_grammar_is_an_error_at_its_line() {
    let site = site("");
    site.write(
        "syntaxes/recap-dsl.sublime-syntax",
        &GRAMMAR.replace(r"'\b(talk|track|room)\b'", r"'\b(talk|track'"),
    );
    site.run(&["build"]).fails_with(&[
        "syntaxes/recap-dsl.sublime-syntax:9:",
        "cannot use this grammar",
        "talk|track",
    ]);
    site.write("syntaxes/recap-dsl.sublime-syntax", "name: [unclosed\n");
    site.run(&["build"])
        .fails_with(&["syntaxes/recap-dsl.sublime-syntax:2:", "YAML"]);
}

#[test]
fn a_broken_theme_is_an_error_naming_its_file() {
    let site = site("highlight_theme = \"harbour\"\n");
    site.write(
        "themes/harbour.tmTheme",
        &THEME.replace("</dict>\n</plist>", ""),
    );
    site.run(&["build"])
        .fails_with(&["themes/harbour.tmTheme", "cannot read this colour theme"]);
}

#[test]
fn an_unknown_theme_lists_the_sites_themes() {
    let site = site("highlight_theme = \"harbor\"\n");
    site.run(&["build"]).fails_with(&[
        "config.toml:3:1",
        "unknown highlight theme `harbor`",
        "harbour",
        "InspiredGitHub",
    ]);
}
