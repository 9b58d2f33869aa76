//! `recap serve` over real HTTP: pages and MIME types, the 404 page,
//! traversal attempts, conditional GET, live reload after edits, errors
//! shown and recovered from, renames and deletes, and load during rebuilds.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::server::{Reply, Server, blog, started, wait_for_event};

#[test]
fn serves_pages_with_types_and_the_404_page() {
    let site = blog();
    let server = Server::start(&site);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body.contains("/__recap/live.js"),
        "live reload injected"
    );
    assert!(
        home.body
            .contains(&format!("http://127.0.0.1:{}/", server.port))
            || home.body.contains("href=\"/2024/kubecon/\"")
    );
    let post = server.get("/2024/kubecon/");
    assert!(post.body.contains("The first version."));
    assert_eq!(server.get("/2024/kubecon").status, 301);
    assert_eq!(
        server.get("/img/logo.svg").header("content-type"),
        Some("image/svg+xml")
    );
    assert!(
        server
            .get("/atom.xml")
            .header("content-type")
            .unwrap()
            .contains("xml")
    );
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    // Drafts are shown while serving, with a banner.
    let draft = server.get("/2024/draft/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("draft-banner"));
}

#[test]
fn head_conditional_get_and_methods() {
    let site = blog();
    let server = Server::start(&site);
    let head = server.request("HEAD", "/2024/kubecon/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let etag = server.get("/atom.xml").header("etag").unwrap().to_string();
    let again = server.request("GET", "/atom.xml", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(server.request("POST", "/", &[]).status, 405);
    assert_eq!(server.request("DELETE", "/atom.xml", &[]).status, 405);
}

#[test]
fn traversal_attempts_find_nothing() {
    let site = blog();
    std::fs::write(site.root().join("secret.txt"), "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("static/passwd")).ok();
    let server = Server::start(&site);
    for path in [
        "/../secret.txt",
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E%2Fconfig.toml",
        "/img/..%2f..%2fconfig.toml",
        "/..%5cconfig.toml",
        "/img\\..\\..\\config.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/./config.toml",
        "/content/posts/2024-03-22-kubecon.md",
        "/passwd",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            !reply.body.contains("top secret") && !reply.body.contains("base_url"),
            "{path}"
        );
        assert!(!reply.body.contains("root:"), "{path}");
    }
}

#[test]
fn an_edit_reloads_the_browser_with_the_new_text() {
    let site = blog();
    let (server, events) = started(&site);
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "The second version.\n",
    );
    wait_for_event(&events, "reload");
    assert!(
        server
            .get("/2024/kubecon/")
            .body
            .contains("The second version.")
    );
}

#[test]
fn a_broken_edit_shows_the_error_and_a_fix_recovers() {
    let site = blog();
    let (server, events) = started(&site);
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\ntagz = [\"x\"]",
        "Broken.\n",
    );
    let error = wait_for_event(&events, "failed");
    assert!(
        error.contains("content/posts/2024-03-22-kubecon.md:3:1"),
        "{error}"
    );
    assert!(error.contains("unknown key `tagz`"), "{error}");
    // The last good site is still served.
    assert!(
        server
            .get("/2024/kubecon/")
            .body
            .contains("The first version.")
    );
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\ntags = [\"x\"]",
        "Fixed.\n",
    );
    wait_for_event(&events, "reload");
    assert!(server.get("/2024/kubecon/").body.contains("Fixed."));
    // A browser that connects now is told all is well.
    wait_for_event(&server.events(), "ok");
}

/// A body edit reuses the last site model; a front-matter edit rebuilds it.
/// Either way every page that shows the post shows the edit.
#[test]
fn body_and_front_matter_edits_reach_every_page_that_shows_them() {
    let site = blog();
    let (server, events) = started(&site);
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "A new first paragraph.\n\nMore.\n",
    );
    wait_for_event(&events, "reload");
    assert!(
        server
            .get("/2024/kubecon/")
            .body
            .contains("A new first paragraph.")
    );
    assert!(
        server.get("/").body.contains("A new first paragraph."),
        "summary on the home page"
    );
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon Europe\"\ntags = [\"cloud\"]",
        "A new first paragraph.\n",
    );
    wait_for_event(&events, "reload");
    assert!(server.get("/").body.contains("KubeCon Europe"));
    assert!(server.get("/tags/cloud/").body.contains("KubeCon Europe"));
    assert!(server.get("/atom.xml").body.contains("KubeCon Europe"));
}

/// After an edit to a post's body, the pages that show it are rendered
/// anew and every other page already rendered is kept; a front-matter edit
/// starts over.
#[test]
fn a_body_edit_renders_again_only_the_pages_that_show_the_post() {
    let site = blog();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\ntags = [\"cloud\"]",
        "The first version.\n",
    );
    site.post(
        "2024-01-10-older.md",
        "title = \"Older\"\ntags = [\"rust\"]",
        "Old.\n",
    );
    let (server, events) = started(&site);
    let cache = |path: &str| {
        server
            .get(path)
            .header("x-recap-cache")
            .unwrap_or("")
            .to_string()
    };
    for path in [
        "/tags/rust/",
        "/tags/cloud/",
        "/archive/",
        "/2024/kubecon/",
        "/atom.xml",
    ] {
        assert_eq!(cache(path), "miss", "{path}");
        assert_eq!(cache(path), "hit", "{path}");
    }
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"\ntags = [\"cloud\"]",
        "The second version.\n",
    );
    wait_for_event(&events, "reload");
    assert_eq!(cache("/tags/rust/"), "hit", "lists only the other post");
    assert_eq!(cache("/archive/"), "hit", "shows titles and dates only");
    assert_eq!(cache("/tags/cloud/"), "miss");
    assert_eq!(cache("/atom.xml"), "miss");
    assert_eq!(cache("/2024/kubecon/"), "miss");
    assert!(
        server
            .get("/tags/cloud/")
            .body
            .contains("The second version.")
    );

    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon EU\"\ntags = [\"cloud\"]",
        "The second version.\n",
    );
    wait_for_event(&events, "reload");
    assert_eq!(
        cache("/tags/rust/"),
        "miss",
        "a new site model renders everything anew"
    );
}

/// A rebuild that fails must not become the base of the next one: here one
/// batch renames a post and breaks another; fixing only the broken one
/// must still show the rename.
#[test]
fn a_failed_rebuild_leaves_no_stale_pages_behind() {
    let site = blog();
    site.post("2024-03-23-second.md", "title = \"Second\"", "Two.\n");
    let (server, events) = started(&site);
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon Renamed\"",
        "The first version.\n",
    );
    site.post(
        "2024-03-23-second.md",
        "title = \"Second\"\ntagz = []",
        "Two.\n",
    );
    wait_for_event(&events, "failed");
    site.post(
        "2024-03-23-second.md",
        "title = \"Second\"",
        "Two, fixed.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.get("/2024/second/").body.contains("Two, fixed.") {
        assert!(Instant::now() < deadline, "the fix was not picked up");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.get("/").body.contains("KubeCon Renamed"));
    assert!(
        server
            .get("/2024/kubecon/")
            .body
            .contains("KubeCon Renamed")
    );
}

/// Files added to a bundle, a bundle folder moved in from elsewhere and a
/// bundle folder renamed are all picked up without a restart.
#[test]
fn bundle_files_and_folders_are_picked_up() {
    let site = blog();
    site.write(
        "content/posts/2024-04-01-trip/index.md",
        "+++\ntitle = \"Trip\"\n+++\n![stage](stage.svg)\n",
    );
    site.write(
        "content/posts/2024-04-01-trip/stage.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (server, events) = started(&site);
    site.write(
        "content/posts/2024-04-01-trip/hall.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>",
    );
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/trip/hall.svg").status, 200);

    let outside = tempfile::tempdir_in(site.root()).unwrap();
    let bundle = outside.path().join("2024-05-01-meetup");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"Meetup\"\n+++\nHi.\n",
    )
    .unwrap();
    std::fs::write(
        bundle.join("room.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let posts = site.root().join("content/posts");
    std::fs::rename(&bundle, posts.join("2024-05-01-meetup")).unwrap();
    wait_for_event(&events, "reload");
    assert!(server.get("/2024/meetup/").body.contains("Hi."));
    assert_eq!(server.get("/2024/meetup/room.svg").status, 200);

    std::fs::rename(
        posts.join("2024-04-01-trip"),
        posts.join("2024-04-01-journey"),
    )
    .unwrap();
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/trip/").status, 404);
    assert_eq!(server.get("/2024/trip/hall.svg").status, 404);
    assert!(server.get("/2024/journey/").body.contains("stage.svg"));
    assert_eq!(server.get("/2024/journey/hall.svg").status, 200);
}

#[test]
fn renames_and_deletes_are_picked_up() {
    let site = blog();
    let (server, events) = started(&site);
    let posts = site.root().join("content/posts");
    std::fs::rename(
        posts.join("2024-03-22-kubecon.md"),
        posts.join("2024-03-22-kubecon-eu.md"),
    )
    .unwrap();
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/kubecon-eu/").status, 200);
    assert_eq!(server.get("/2024/kubecon/").status, 404);
    std::fs::remove_file(posts.join("2024-03-22-kubecon-eu.md")).unwrap();
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/kubecon-eu/").status, 404);
}

#[test]
fn editor_temp_files_do_not_trigger_rebuilds() {
    let site = blog();
    let (_server, events) = started(&site);
    site.write("content/posts/.2024-03-22-kubecon.md.swp", "vim swap");
    site.write("content/posts/2024-03-22-kubecon.md~", "backup");
    site.write("content/.DS_Store", "finder");
    std::thread::sleep(Duration::from_millis(600));
    let reload = events.try_iter().any(|line| line == "event: reload");
    assert!(!reload, "temp files caused a rebuild");
}

#[test]
fn a_css_change_swaps_stylesheets_without_a_reload() {
    let site = blog();
    site.write("static/extra.css", "body { color: red; }");
    let (server, events) = started(&site);
    site.write("static/extra.css", "body { color: blue; }");
    wait_for_event(&events, "css");
    assert!(server.get("/extra.css").body.contains("blue"));
}

/// 100 clients fetch pages concurrently while the site rebuilds: every
/// request succeeds. Bounded in count and time; loopback only.
#[test]
fn no_failed_requests_under_load_during_rebuilds() {
    let site = blog();
    let server = Server::start(&site);
    let port = server.port;
    let stop = Instant::now() + Duration::from_secs(4);
    let editor = {
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut version = 0;
            while Instant::now() < stop {
                version += 1;
                let text = format!("+++\ntitle = \"KubeCon\"\n+++\nVersion {version}.\n");
                std::fs::write(root.join("content/posts/2024-03-22-kubecon.md"), text).unwrap();
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };
    let clients: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let mut failures = 0;
                let mut done = 0;
                let paths = [
                    "/",
                    "/2024/kubecon/",
                    "/atom.xml",
                    "/tags/",
                    "/no-such-page/",
                ];
                while Instant::now() < stop && done < 40 {
                    let path = paths[(i + done) % paths.len()];
                    let reply = (|| -> std::io::Result<u16> {
                        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
                        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                        write!(
                            stream,
                            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        )?;
                        let mut raw = Vec::new();
                        stream.read_to_end(&mut raw)?;
                        Ok(Reply::parse(&raw).status)
                    })();
                    let expected = if path == "/no-such-page/" { 404 } else { 200 };
                    if reply.ok() != Some(expected) {
                        failures += 1;
                    }
                    done += 1;
                }
                (done, failures)
            })
        })
        .collect();
    let (mut requests, mut failures) = (0, 0);
    for client in clients {
        let (done, failed) = client.join().unwrap();
        requests += done;
        failures += failed;
    }
    editor.join().unwrap();
    assert!(requests >= 100, "{requests} requests");
    assert_eq!(failures, 0, "{failures} of {requests} requests failed");
}

/// Smaller copies of a photo are made when the browser first asks for
/// one; a name no page gave finds nothing.
#[test]
fn serves_image_variants_made_on_request() {
    let site = blog();
    site.write_bytes("static/img/stage.jpg", &crate::support::jpeg(1200, 800));
    site.post(
        "2024-03-23-photos.md",
        "title = \"Photos\"",
        "![Stage](/img/stage.jpg)\n",
    );
    let server = Server::start(&site);
    let page = crate::support::Page::parse(&server.get("/2024/photos/").body);
    let srcset = page.attr("source[type='image/webp']", "srcset");
    let (first, width) = srcset.split(", ").next().unwrap().rsplit_once(' ').unwrap();
    assert_eq!(width, "480w");
    let reply = server.get(first);
    assert_eq!(reply.status, 200, "{first}");
    assert_eq!(reply.header("content-type"), Some("image/webp"));
    assert!(!reply.body.is_empty());
    assert_eq!(server.get(first).status, 200, "made once, served again");
    let unknown = "/processed-images/stage-480x320-0000000000000000.webp";
    assert_eq!(server.get(unknown).status, 404);
}
