//! What a page shares: Open Graph and article tags, the site's default
//! picture, and a drawn social card (1200 x 630 PNG) for posts and events
//! without an image, kept in the cache between builds.

use crate::support::{TestSite, png};

fn site(config_extra: &str) -> TestSite {
    let site = TestSite::with_config(&format!(
        "title = \"Field Notes\"\nbase_url = \"https://example.org/team\"\n{config_extra}"
    ));
    site.write(
        "content/events/kubecon-eu-2025.md",
        "+++\nname = \"KubeCon EU 2025\"\nstart = 2025-04-01\nend = 2025-04-04\nlocation = \"London\"\n+++\n",
    );
    site.write(
        "content/authors/ada.md",
        "+++\nname = \"Ada Lovelace\"\n+++\n",
    );
    site.post(
        "2025-04-02-day-one.md",
        "title = \"KubeCon EU, day one: the talks that mattered\"\nevent = \"kubecon-eu-2025\"\nauthors = [\"ada\"]\ntags = [\"kubernetes\"]\nupdated = 2025-04-10",
        "Notes.\n",
    );
    site.write_bytes("static/img/stage.png", &png(1600, 900));
    site.post(
        "2025-04-03-day-two.md",
        "title = \"Day two\"\nimage = \"/img/stage.png\"",
        "More.\n",
    );
    site
}

#[test]
fn posts_share_their_title_card_and_article_facts() {
    let site = site("");
    site.build();
    let page = site.html("2025/day-one/index.html");
    let meta = |property: &str| page.attr(&format!("meta[property='{property}']"), "content");
    assert_eq!(
        meta("og:title"),
        "KubeCon EU, day one: the talks that mattered"
    );
    assert_eq!(meta("og:type"), "article");
    assert_eq!(
        meta("og:image"),
        "https://example.org/team/social-cards/2025-day-one.png"
    );
    assert_eq!(meta("og:image:width"), "1200");
    assert_eq!(meta("og:image:height"), "630");
    assert_eq!(
        meta("og:image:alt"),
        "KubeCon EU, day one: the talks that mattered"
    );
    assert_eq!(meta("article:published_time"), "2025-04-02T00:00:00+00:00");
    assert!(meta("article:modified_time").starts_with("2025-04-10"));
    assert_eq!(meta("article:tag"), "kubernetes");
    assert_eq!(meta("article:author"), "Ada Lovelace");
    assert_eq!(
        page.attr("meta[name='twitter:card']", "content"),
        "summary_large_image"
    );
    // The card is a PNG of the Open Graph size.
    let card = std::fs::read(site.public("social-cards/2025-day-one.png")).unwrap();
    let size = imagesize::blob_size(&card).unwrap();
    assert_eq!((size.width, size.height), (1200, 630));
    // A post with a banner shares the banner, sized from its file.
    let two = site.html("2025/day-two/index.html");
    let meta = |property: &str| two.attr(&format!("meta[property='{property}']"), "content");
    assert_eq!(meta("og:image"), "https://example.org/team/img/stage.png");
    assert_eq!(meta("og:image:width"), "1600");
    assert!(!site.public("social-cards/2025-day-two.png").exists());
    // Events share a card too, as websites.
    let event = site.html("events/kubecon-eu-2025/index.html");
    assert_eq!(
        event.attr("meta[property='og:image']", "content"),
        "https://example.org/team/social-cards/event-kubecon-eu-2025.png"
    );
    assert_eq!(event.attr("meta[property='og:type']", "content"), "website");
    assert!(
        site.public("social-cards/event-kubecon-eu-2025.png")
            .is_file()
    );
}

#[test]
fn cards_are_kept_in_the_cache_and_a_damaged_one_is_drawn_again() {
    let site = site("");
    site.build();
    let cache = site.root().join(".recap-cache/social-cards");
    let kept: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(
        kept.len(),
        2,
        "one card per post and event without an image"
    );
    // A kept card is used as it is: plant a stand-in, written as a cache
    // entry is (the bytes, a mark, their hash), and see it published.
    let stand_in = png(12, 34);
    let mut entry_bytes = stand_in.clone();
    entry_bytes.extend(b"recap:1\n");
    let mut hasher = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut hasher, &stand_in);
    std::hash::Hasher::write_usize(&mut hasher, stand_in.len());
    entry_bytes.extend(std::hash::Hasher::finish(&hasher).to_le_bytes());
    for entry in &kept {
        std::fs::write(entry.path(), &entry_bytes).unwrap();
    }
    // (An input written again, the same, so the build has work to do.)
    let stage = std::fs::read(site.root().join("static/img/stage.png")).unwrap();
    site.write_bytes("static/img/stage.png", &stage);
    site.build();
    assert_eq!(
        std::fs::read(site.public("social-cards/2025-day-one.png")).unwrap(),
        stand_in
    );
    // A planted file that is not a whole entry is never trusted.
    for entry in &kept {
        std::fs::write(entry.path(), &stand_in).unwrap();
    }
    site.write_bytes("static/img/stage.png", &stage);
    site.build();
    let card = std::fs::read(site.public("social-cards/2025-day-one.png")).unwrap();
    assert!(card.starts_with(b"\x89PNG"));
    assert_ne!(card, stand_in);
}

#[test]
fn the_cache_drops_the_cards_no_build_uses_beyond_its_size() {
    let site = site("cache_size_mb = 0\n");
    site.build();
    let cache = site.root().join(".recap-cache/social-cards");
    let cards = || {
        let mut cards: Vec<std::path::PathBuf> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        cards.sort();
        cards
    };
    let first = cards();
    assert_eq!(first.len(), 2, "what the build used stays, over the limit");
    // Drawn a while ago, as far as the file times tell.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for card in &first {
        let file = std::fs::File::open(card).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    site.post(
        "2025-04-02-day-one.md",
        "title = \"KubeCon EU, day one, retold\"\nevent = \"kubecon-eu-2025\"",
        "Notes.\n",
    );
    let run = site.build();
    let second = cards();
    assert_eq!(second.len(), 2, "{second:?}");
    let dropped: Vec<_> = first.iter().filter(|card| !second.contains(card)).collect();
    assert_eq!(dropped.len(), 1, "the old title's card goes");
    let output = format!("{}{}", run.stdout(), run.stderr());
    assert!(output.contains("no build used lately"), "{output}");

    // With room for it, nothing goes.
    site.write(
        "config.toml",
        "title = \"Field Notes\"\nbase_url = \"https://example.org/team\"\n",
    );
    site.post(
        "2025-04-02-day-one.md",
        "title = \"KubeCon EU, day one, retold again\"\nevent = \"kubecon-eu-2025\"",
        "Notes.\n",
    );
    site.build();
    assert_eq!(cards().len(), 3);
}

/// A rebuild keeps the last build's cards unless what one shows changed:
/// a body edit leaves them be (not even read from the cache), a new title
/// draws that post's card again.
#[test]
fn a_card_is_drawn_again_only_when_what_it_shows_changes() {
    let site = site("");
    site.build();
    let cache = site.root().join(".recap-cache/social-cards");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let entries = || -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut entries: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let used = std::fs::metadata(&path).unwrap().modified().unwrap();
                (path, used)
            })
            .collect();
        entries.sort();
        entries
    };
    for (entry, _) in entries() {
        let file = std::fs::File::open(&entry).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    let front = "title = \"KubeCon EU, day one: the talks that mattered\"\nevent = \"kubecon-eu-2025\"\nauthors = [\"ada\"]\ntags = [\"kubernetes\"]\nupdated = 2025-04-10";
    site.post("2025-04-02-day-one.md", front, "Notes, and more notes.\n");
    site.build();
    assert!(site.read("2025/day-one/index.html").contains("more notes"));
    let after_body_edit = entries();
    assert!(
        after_body_edit
            .iter()
            .all(|(_, used)| *used < hour_ago + std::time::Duration::from_secs(60)),
        "{after_body_edit:?}"
    );
    let card = std::fs::read(site.public("social-cards/2025-day-one.png")).unwrap();

    site.post(
        "2025-04-02-day-one.md",
        &front.replace("the talks that mattered", "what we learned"),
        "Notes, and more notes.\n",
    );
    site.build();
    assert_eq!(entries().len(), 3, "one card drawn anew");
    let redrawn = std::fs::read(site.public("social-cards/2025-day-one.png")).unwrap();
    assert_ne!(redrawn, card);
}

#[test]
fn without_cards_pages_share_the_sites_picture() {
    let site = site("social_cards = false\nimage = \"/img/stage.png\"\n");
    site.build();
    assert!(!site.public("social-cards").exists());
    let page = site.html("2025/day-one/index.html");
    assert_eq!(
        page.attr("meta[property='og:image']", "content"),
        "https://example.org/team/img/stage.png"
    );
    let home = site.html("index.html");
    assert_eq!(
        home.attr("meta[property='og:title']", "content"),
        "Field Notes"
    );
    assert_eq!(
        home.attr("meta[property='og:image:height']", "content"),
        "900"
    );
}
