//! The theme in the site's language: the built-in words of German, French,
//! Dutch and Spanish, month names, a site's own words, and English for
//! what a language lacks.

use crate::support::TestSite;

fn site(language: &str) -> TestSite {
    let site = TestSite::with_config(&format!(
        "title = \"T\"\nbase_url = \"https://example.org\"\nlanguage = \"{language}\"\n"
    ));
    site.write(
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2025-03-19\nend = 2025-03-21\n+++\n",
    );
    site.post(
        "2025-03-20-kubecon.md",
        "title = \"KubeCon\"\nevent = \"kubecon\"\nauthors = [\"Ada\"]\n\n[[sessions]]\ntitle = \"Keynote\"\nstart = 2025-03-20T09:00:00\nkind = \"keynote\"",
        "Kurz.\n\n<!-- more -->\n\nMehr.\n",
    );
    site
}

#[test]
fn a_german_site_gets_german_words_and_month_names() {
    let site = site("de");
    site.build();
    let home = site.html("index.html");
    assert_eq!(home.text(".site-nav a[href='/events/']"), "Events");
    assert_eq!(home.text(".site-nav a[href='/tags/']"), "Schlagwörter");
    assert!(
        home.text(".post-card .byline").contains("20. Mär 2025"),
        "{}",
        home.text(".post-card .byline")
    );
    assert!(
        home.text(".post-card .byline")
            .contains("1 Minute Lesezeit")
    );
    assert_eq!(home.text(".read-more").trim(), "Weiterlesen zu „KubeCon“");
    let event = site.html("events/kubecon/index.html");
    assert!(
        event.text(".facts").contains("19–21 Mär 2025"),
        "{}",
        event.text(".facts")
    );
    assert_eq!(event.text(".agenda-day"), "Donnerstag, 20. März 2025");
    assert!(
        event
            .text(".session-card time")
            .starts_with("Do 20 Mär, 09:00")
    );
    assert_eq!(event.text(".badge-kind"), "Keynote");
    assert_eq!(event.text("#who-title"), "Wer dabei war");
    let search = site.read("search/index.html");
    assert!(
        search.contains("data-results-other=\"{n} Treffer.\""),
        "{search}"
    );
    assert!(
        site.read("tags/index.html")
            .contains("<title>Schlagwörter · T</title>")
    );
}

#[test]
fn french_dutch_and_spanish_are_built_in() {
    for (language, word) in [
        ("fr", "Lire la suite"),
        ("nl", "Lees verder"),
        ("es", "Seguir leyendo"),
    ] {
        let site = site(language);
        site.build();
        let home = site.html("index.html");
        assert!(home.text(".read-more").starts_with(word), "{language}");
        assert_eq!(home.attr("html", "lang"), language);
    }
}

#[test]
fn a_site_overrides_words_and_adds_a_language() {
    let site = site("de");
    site.write("i18n/de.toml", "read_more = \"Mehr davon\"\n");
    site.build();
    assert!(
        site.html("index.html")
            .text(".read-more")
            .starts_with("Mehr davon")
    );

    let site = self::site("it");
    site.write("i18n/it.toml", "read_more = \"Continua a leggere\"\n");
    site.build();
    let home = site.html("index.html");
    assert!(home.text(".read-more").starts_with("Continua a leggere"));
    assert_eq!(
        home.text(".site-nav a[href='/tags/']"),
        "Tags",
        "English for the rest"
    );
    assert!(
        home.text(".post-card .byline").contains("20 mar 2025"),
        "Italian month names"
    );
    let check = site.run(&["check"]);
    assert!(check.ok(), "{}", check.stderr());
    assert!(
        check
            .stderr()
            .contains("the language `it` has no words for"),
        "{}",
        check.stderr()
    );
    site.write("i18n/it.toml", "read_more = [\"not\", \"text\"]\n");
    site.run(&["build"]).fails_with(&["i18n/it.toml:1"]);
}
