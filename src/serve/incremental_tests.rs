//! A rebuild under `recap serve` must serve what a clean build of the same
//! files serves: after every kind of edit, each file of the site, kept
//! from before or rendered anew, is compared byte for byte with a build
//! from scratch.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::memory::LiveSite;
use crate::pipeline::{self, Mode, Phases, RebuildCache, Request};

fn request(root: &Path, cache: Arc<RebuildCache>) -> Request {
    Request {
        root: root.to_path_buf(),
        drafts: true,
        progress: false,
        future: true,
        base_url: Some("http://127.0.0.1:1111".into()),
        mode: Mode::Serve(cache),
    }
}

fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn post(title: &str, tags: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ntags = [{tags}]\nevent = \"kubecon\"\nauthors = [\"ana\"]\n+++\n{body}\n"
    )
}

/// Every file of `site`, rendered (or as kept), by path.
fn every_file(site: &LiveSite) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<String> = site.paths().map(str::to_string).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = site.get(&path).unwrap().unwrap().file.bytes.to_vec();
            (path, bytes)
        })
        .collect()
}

fn clean_build(root: &Path) -> Vec<(String, Vec<u8>)> {
    let request = request(root, Arc::default());
    let prepared = pipeline::prepare(&request, None, &mut Phases::new()).unwrap();
    every_file(&LiveSite::new(prepared, None))
}

/// An edit: what it does to the site, and the paths it touched.
type Edit = fn(&Path) -> Vec<PathBuf>;

#[test]
fn every_kind_of_edit_serves_what_a_clean_build_serves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(
        &root,
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org\"\nposts_per_page = 2\nfeed_limit = 3\n",
    );
    for day in 1..=7 {
        write(
            &root,
            &format!("content/posts/2024-03-0{day}-post-{day}.md"),
            &post(
                &format!("Post {day}"),
                "\"a\", \"b\"",
                &format!("Body {day}."),
            ),
        );
    }
    write(
        &root,
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2024-03-01\n+++\nThe event.\n",
    );
    write(
        &root,
        "content/authors/ana.md",
        "+++\nname = \"Ana\"\n+++\nBio.\n",
    );
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nAbout us.\n",
    );

    let edits: Vec<(&str, Edit)> = vec![
        ("a post's body", |root| {
            vec![write(
                root,
                "content/posts/2024-03-04-post-4.md",
                &post("Post 4", "\"a\", \"b\"", "Edited body."),
            )]
        }),
        ("the newest post's body", |root| {
            vec![write(
                root,
                "content/posts/2024-03-07-post-7.md",
                &post("Post 7", "\"a\", \"b\"", "Newest, edited."),
            )]
        }),
        ("an old post's body (past the feed)", |root| {
            vec![write(
                root,
                "content/posts/2024-03-01-post-1.md",
                &post("Post 1", "\"a\", \"b\"", "Oldest, edited."),
            )]
        }),
        ("a post's title", |root| {
            vec![write(
                root,
                "content/posts/2024-03-05-post-5.md",
                &post("Post Five", "\"a\", \"b\"", "Body 5."),
            )]
        }),
        ("a post's tags", |root| {
            vec![write(
                root,
                "content/posts/2024-03-03-post-3.md",
                &post("Post 3", "\"c\"", "Body 3."),
            )]
        }),
        ("a new post", |root| {
            vec![write(
                root,
                "content/posts/2024-03-08-new.md",
                &post("New", "\"a\"", "New body."),
            )]
        }),
        ("a deleted post", |root| {
            let path = root.join("content/posts/2024-03-02-post-2.md");
            std::fs::remove_file(&path).unwrap();
            vec![path]
        }),
        ("a renamed post", |root| {
            let from = root.join("content/posts/2024-03-06-post-6.md");
            let to = root.join("content/posts/2024-03-06-renamed.md");
            std::fs::rename(&from, &to).unwrap();
            vec![from, to]
        }),
        ("the event's file", |root| {
            vec![write(
                root,
                "content/events/kubecon.md",
                "+++\nname = \"KubeCon EU\"\nstart = 2024-03-01\n+++\nEdited.\n",
            )]
        }),
        ("the author's file", |root| {
            vec![write(
                root,
                "content/authors/ana.md",
                "+++\nname = \"Ana B.\"\n+++\nNew bio.\n",
            )]
        }),
        ("a page", |root| {
            vec![write(
                root,
                "content/about.md",
                "+++\ntitle = \"About\"\n+++\nEdited.\n",
            )]
        }),
        ("a template", |root| {
            vec![write(
                root,
                "templates/post.html",
                "{% extends \"base.html\" %}{% block content %}<h1>{{ post.title }}</h1>{{ post.content | safe }}{% endblock %}",
            )]
        }),
        ("a static file", |root| {
            vec![write(root, "static/notes.txt", "notes")]
        }),
        ("a bundle with an asset", |root| {
            vec![
                write(
                    root,
                    "content/posts/2024-03-09-trip/index.md",
                    &post("Trip", "\"a\"", "![stage](stage.svg)"),
                ),
                write(root, "content/posts/2024-03-09-trip/stage.svg", "<svg/>"),
            ]
        }),
        ("a bundle asset alone", |root| {
            vec![write(
                root,
                "content/posts/2024-03-09-trip/stage.svg",
                "<svg id=\"2\"/>",
            )]
        }),
        ("a shortcode template", |root| {
            let template = write(
                root,
                "templates/shortcodes/note.html",
                "<aside>{{ body }}</aside>",
            );
            let post = write(
                root,
                "content/posts/2024-03-04-post-4.md",
                &post("Post 4", "\"a\", \"b\"", "{% note() %}\nA note.\n{% end %}"),
            );
            vec![template, post]
        }),
        ("the shortcode template again", |root| {
            vec![write(
                root,
                "templates/shortcodes/note.html",
                "<aside class=\"n\">{{ body }}</aside>",
            )]
        }),
        ("a heading render hook", |root| {
            vec![write(
                root,
                "templates/hooks/heading.html",
                "<h{{ level }} id=\"{{ id }}\" class=\"mine\">{{ text | safe }}</h{{ level }}>",
            )]
        }),
        ("a site grammar", |root| {
            let grammar = write(
                root,
                "syntaxes/recap-dsl.sublime-syntax",
                include_str!("../../tests/fixtures/highlighting/recap-dsl.sublime-syntax"),
            );
            let post = write(
                root,
                "content/posts/2024-03-04-post-4.md",
                &post("Post 4", "\"a\", \"b\"", "```recapdsl\ntalk \"x\"\n```"),
            );
            vec![grammar, post]
        }),
        ("the site grammar again", |root| {
            let grammar =
                include_str!("../../tests/fixtures/highlighting/recap-dsl.sublime-syntax");
            vec![write(
                root,
                "syntaxes/recap-dsl.sublime-syntax",
                &grammar.replace("keyword.control", "string.quoted"),
            )]
        }),
        ("a session with a speaker", |root| {
            vec![write(
                root,
                "content/posts/2024-03-05-post-5.md",
                "+++\ntitle = \"Post 5\"\ntags = [\"a\"]\n\n[[sessions]]\ntitle = \"Keynote\"\nspeakers = [\"Ada Lovelace @ Analytical\"]\nstart = 2024-03-05T09:00:00\n+++\nBody 5.\n",
            )]
        }),
        ("a speaker file", |root| {
            vec![write(
                root,
                "content/speakers/ada-lovelace.md",
                "+++\nname = \"Ada Lovelace\"\nbio = \"First programmer.\"\n+++\nShe wrote it.\n",
            )]
        }),
        ("the theme stylesheet, overridden", |root| {
            vec![write(root, "static/theme.css", "body { color: red; }")]
        }),
        ("an alias", |root| {
            vec![write(
                root,
                "content/posts/2024-03-05-post-5.md",
                "+++\ntitle = \"Post Five\"\ntags = [\"a\"]\naliases = [\"/old/five.html\"]\n+++\nBody 5.\n",
            )]
        }),
        ("a post made a draft", |root| {
            vec![write(
                root,
                "content/posts/2024-03-03-post-3.md",
                "+++\ntitle = \"Post 3\"\ndraft = true\n+++\nBody 3.\n",
            )]
        }),
        ("a YAML post", |root| {
            vec![write(
                root,
                "content/posts/2024-03-10-yaml.md",
                "---\ntitle: YAML\ntags: [a]\n---\nIn YAML.\n",
            )]
        }),
        ("the YAML post's body", |root| {
            vec![write(
                root,
                "content/posts/2024-03-10-yaml.md",
                "---\ntitle: YAML\ntags: [a]\n---\nEdited YAML.\n",
            )]
        }),
        ("the config", |root| {
            vec![write(
                root,
                "config.toml",
                "title = \"Renamed\"\nbase_url = \"https://example.org\"\nposts_per_page = 3\nfeed_limit = 3\n",
            )]
        }),
        ("content/ deleted", |root| {
            let content = root.join("content");
            std::fs::remove_dir_all(&content).unwrap();
            vec![content]
        }),
    ];

    let cache: Arc<RebuildCache> = Arc::default();
    let first = pipeline::prepare(
        &request(&root, Arc::clone(&cache)),
        None,
        &mut Phases::new(),
    )
    .unwrap();
    let mut live = LiveSite::new(first, None);
    assert_eq!(every_file(&live), clean_build(&root));
    for (what, edit) in edits {
        let changed = edit(&root);
        let prepared = pipeline::prepare(
            &request(&root, Arc::clone(&cache)),
            Some(&changed),
            &mut Phases::new(),
        )
        .unwrap_or_else(|failure| panic!("{what}: {:?}", failure.diagnostics));
        live = LiveSite::new(prepared, Some(&live));
        let served = every_file(&live);
        let clean = clean_build(&root);
        let paths =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            paths(&served),
            paths(&clean),
            "after editing {what}: the file lists differ"
        );
        for ((path, bytes), (_, expected)) in served.iter().zip(&clean) {
            assert!(
                bytes == expected,
                "after editing {what}: {path} differs from a clean build"
            );
        }
    }
}
