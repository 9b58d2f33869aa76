//! Builds that reuse the last build's work (kept Markdown, highlighted
//! code, image copies, social cards, unchanged output files, the no-op
//! check) give exactly what a clean build gives: random sequences of edits
//! of every kind, each followed by a build in place and a clean build of a
//! copy of the site, whose outputs must be byte for byte the same.
//! `RECAP_INCREMENTAL_SEEDS=40` runs more sequences.

use std::path::Path;

use crate::support::{TestSite, jpeg, recap_in, snapshot};

/// A small random number generator, so a failing sequence can be replayed
/// from its seed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const TAGS: [&str; 4] = ["rust", "kubernetes", "talks", "hiring"];

fn post_text(dice: &mut Dice, title: &str) -> (String, String) {
    let tags: Vec<String> = TAGS
        .iter()
        .filter(|_| dice.below(2) == 0)
        .map(|tag| format!("\"{tag}\""))
        .collect();
    let mut front = format!("title = \"{title}\"\ntags = [{}]", tags.join(", "));
    // Events (one upcoming, with a file of its own), authors, speakers and
    // descriptions come and go with rewrites, so front matter edits move
    // posts between the pages of tags, events, authors and speakers.
    let event = ["", "Conf A", "Conf B", "Future Fest"][dice.below(4)];
    if !event.is_empty() {
        front.push_str(&format!("\nevent = \"{event}\""));
    }
    let author = ["", "Ana", "Bo"][dice.below(3)];
    if !author.is_empty() {
        front.push_str(&format!("\nauthors = [\"{author}\"]"));
    }
    if dice.below(3) == 0 {
        front.push_str(&format!(
            "\ndescription = \"About {title}, {}\"",
            dice.below(9)
        ));
    }
    if dice.below(3) == 0 {
        let speaker = ["Ines Duarte", "Kai Ito"][dice.below(2)];
        front.push_str(&format!(
            "\n[[sessions]]\ntitle = \"Talk {}\"\nspeakers = [\"{speaker}\"]",
            dice.below(9)
        ));
    }
    let mut body = format!("Notes on {title}, take {}.\n\n", dice.below(1000));
    if dice.below(2) == 0 {
        body.push_str("```rust\nfn main() { println!(\"hi\"); }\n```\n\n");
    }
    if dice.below(2) == 0 {
        body.push_str("![The hall](/img/hall.jpg)\n\n");
    }
    if dice.below(3) == 0 {
        body.push_str("{{ note(text=\"remember\") }}\n\n");
    }
    if dice.below(2) == 0 {
        body.push_str("## Details\n\nMore to say.\n\n");
    }
    if dice.below(3) == 0 {
        body.push_str("See [the first post](@/posts/2025-01-01-post-0.md).\n");
    }
    (front, body)
}

fn copy_sources(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(from).unwrap();
        let top = relative.components().next();
        let skipped = top.is_some_and(|part| {
            let part = part.as_os_str();
            part == "public"
                || part == ".recap-cache"
                || part.to_string_lossy().starts_with(".public")
        });
        if skipped {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn one_edit(site: &TestSite, dice: &mut Dice, posts: &mut Vec<usize>, next: &mut usize) -> String {
    let pick = |dice: &mut Dice, posts: &[usize]| posts[dice.below(posts.len())];
    match dice.below(9) {
        0 | 1 => {
            let n = pick(dice, posts);
            let (front, body) = post_text(dice, &format!("Post {n}"));
            site.post(
                &format!("2025-01-0{}-post-{n}.md", 1 + n % 9),
                &front,
                &body,
            );
            format!("post {n} rewritten")
        }
        2 => {
            let n = *next;
            *next += 1;
            posts.push(n);
            let (front, body) = post_text(dice, &format!("Post {n}"));
            site.post(
                &format!("2025-01-0{}-post-{n}.md", 1 + n % 9),
                &front,
                &body,
            );
            format!("post {n} added")
        }
        3 if posts.len() > 2 => {
            let at = 1 + dice.below(posts.len() - 1);
            let n = posts.remove(at);
            std::fs::remove_file(
                site.root()
                    .join(format!("content/posts/2025-01-0{}-post-{n}.md", 1 + n % 9)),
            )
            .unwrap();
            format!("post {n} deleted")
        }
        4 => {
            let word = ["Note", "Remember", "Careful"][dice.below(3)];
            site.write(
                "templates/shortcodes/note.html",
                &format!("<aside class=\"note\">{word}: {{{{ text }}}}</aside>"),
            );
            format!("shortcode says {word}")
        }
        5 => {
            let per_page = 1 + dice.below(3);
            let language = ["en", "de"][dice.below(2)];
            let widths = ["[300, 600]", "[400]"][dice.below(2)];
            site.write(
                "config.toml",
                &format!(
                    "title = \"T\"\nbase_url = \"https://example.org\"\nposts_per_page = {per_page}\nlanguage = \"{language}\"\n[images]\nwidths = {widths}\n"
                ),
            );
            format!("config {per_page} {language} {widths}")
        }
        6 => {
            let width = [500, 700, 900][dice.below(3)];
            site.write_bytes("static/img/hall.jpg", &jpeg(width, 400));
            format!("hall.jpg {width} wide")
        }
        7 => {
            site.write(
                "templates/hooks/heading.html",
                "<h{{ level }} id=\"{{ id }}\">{{ text | safe }}</h{{ level }}>",
            );
            "heading hook".into()
        }
        _ => {
            // The same bytes written again: new times, nothing new.
            let n = pick(dice, posts);
            let path = site
                .root()
                .join(format!("content/posts/2025-01-0{}-post-{n}.md", 1 + n % 9));
            let text = std::fs::read(&path).unwrap();
            std::fs::write(&path, text).unwrap();
            format!("post {n} touched")
        }
    }
}

#[test]
fn builds_that_reuse_work_equal_clean_builds() {
    let seeds: u64 = std::env::var("RECAP_INCREMENTAL_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    for seed in 1..=seeds {
        let mut dice = Dice(0x9E37_79B9 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let site = TestSite::new();
        site.write_bytes("static/img/hall.jpg", &jpeg(800, 400));
        site.write(
            "templates/shortcodes/note.html",
            "<aside class=\"note\">{{ text }}</aside>",
        );
        site.write(
            "content/events/future-fest.md",
            "+++\nname = \"Future Fest\"\nstart = 2099-05-01\nend = 2099-05-02\n+++\nLater.\n",
        );
        let mut posts = Vec::new();
        let mut next = 0;
        for n in 0..4 {
            let (front, body) = post_text(&mut dice, &format!("Post {n}"));
            site.post(
                &format!("2025-01-0{}-post-{n}.md", 1 + n % 9),
                &front,
                &body,
            );
            posts.push(n);
            next = n + 1;
        }
        site.build();
        let mut done = Vec::new();
        for _ in 0..6 {
            done.push(one_edit(&site, &mut dice, &mut posts, &mut next));
            let run = site.run(&["build"]);
            assert!(run.ok(), "seed {seed} after {done:?}: {}", run.stderr());
            assert_same_as_clean_build(&site, &format!("seed {seed} after {done:?}"));
        }
    }
}

/// The site's output equals a clean build of a copy of its sources.
fn assert_same_as_clean_build(site: &TestSite, after: &str) {
    let clean = tempfile::tempdir().unwrap();
    copy_sources(site.root(), clean.path());
    let fresh = recap_in(clean.path(), &["build"]);
    assert!(fresh.ok(), "{}", fresh.stderr());
    let kept = snapshot(&site.public(""));
    let clean = snapshot(&clean.path().join("public"));
    let kept_names: Vec<&String> = kept.keys().collect();
    let clean_names: Vec<&String> = clean.keys().collect();
    assert_eq!(kept_names, clean_names, "{after}");
    for (name, bytes) in &kept {
        assert!(
            clean[name] == *bytes,
            "{after}: {name} differs from a clean build"
        );
    }
}

/// How many pages the build rendered again, from its summary.
fn rendered_again(run: &crate::support::Run) -> usize {
    let out = run.stdout();
    let line = out
        .lines()
        .find(|line| line.starts_with("rendered "))
        .unwrap_or_else(|| panic!("no kept pages: {out}"));
    line.split(' ').nth(1).unwrap().parse().unwrap()
}

#[test]
fn front_matter_edits_render_only_the_pages_that_show_them() {
    let site = TestSite::new();
    for n in 0..30 {
        site.post(
            &format!("2025-02-{:02}-post-{n}.md", n % 28 + 1),
            &format!(
                "title = \"Post {n}\"\ntags = [\"t{}\"]\nevent = \"Conf {}\"\nauthors = [\"Ana\"]",
                n % 5,
                n % 3
            ),
            &format!("Text of post {n}.\n"),
        );
    }
    site.build();
    // (What, the front matter, and the most files rendered again, in
    // tenths: a post's summary shows its event whole, with its counts and
    // authors, so moving a post between events, or changing the author of
    // a post of an event, renders every post of the event again.)
    let edits = [
        (
            "a new tag",
            "tags = [\"t1\", \"brand-new\"]\nevent = \"Conf 1\"\nauthors = [\"Ana\"]",
            5,
        ),
        (
            "another event",
            "tags = [\"t1\"]\nevent = \"Conf 2\"\nauthors = [\"Ana\"]",
            8,
        ),
        (
            "another author",
            "tags = [\"t1\"]\nevent = \"Conf 2\"\nauthors = [\"Bo\"]",
            8,
        ),
        (
            "a talk",
            "tags = [\"t1\"]\nevent = \"Conf 2\"\nauthors = [\"Bo\"]\n[[sessions]]\ntitle = \"Keynote\"\nspeakers = [\"Kai Ito\"]",
            8,
        ),
    ];
    let pages = snapshot(&site.public("")).len();
    for (what, front, tenths) in edits {
        site.post(
            "2025-02-17-post-16.md",
            &format!("title = \"Post 16, edited\"\n{front}"),
            "Text of post 16.\n",
        );
        let run = site.run(&["build"]);
        assert!(run.ok(), "{what}: {}", run.stderr());
        let rendered = rendered_again(&run);
        assert!(
            rendered * 10 <= pages * tenths,
            "{what}: rendered {rendered} of {pages} files again"
        );
        assert_same_as_clean_build(&site, what);
    }
}

/// A warning (here an unknown code language, common in real blogs) does
/// not stop the next build keeping pages, and it shows on every build.
#[test]
fn a_site_with_warnings_still_keeps_pages() {
    let site = TestSite::new();
    for n in 0..12 {
        site.post(
            &format!("2025-03-{:02}-post-{n}.md", n + 1),
            &format!("title = \"Post {n}\"\ntags = [\"t{}\"]", n % 3),
            &format!("Text of post {n}.\n\n```gherkin\nGiven a post {n}\n```\n"),
        );
    }
    let first = site.build();
    assert!(first.stderr().contains("unknown language `gherkin`"));
    site.post(
        "2025-03-05-post-4.md",
        "title = \"Post 4\"\ntags = [\"t1\"]",
        "Text of post 4, edited.\n\n```gherkin\nGiven a post 4\n```\n",
    );
    let run = site.build();
    assert!(
        run.stderr().contains("unknown language `gherkin`"),
        "{}",
        run.stderr()
    );
    let pages = snapshot(&site.public("")).len();
    let rendered = rendered_again(&run);
    assert!(rendered * 3 < pages, "rendered {rendered} of {pages} files");
    assert_same_as_clean_build(&site, "a body edit");
}
