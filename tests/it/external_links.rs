//! `recap check --external` against HTTP servers of the test's own on
//! 127.0.0.1: links that answer, are gone, refuse HEAD, ask to wait (429)
//! or never answer; skipped prefixes; the cache of good answers; and
//! `--deny-external`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::TestSite;

/// A server that answers by path, and remembers every request
/// ("HEAD /ok").
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Server { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self, request: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| *seen == request)
            .count()
    }
}

fn answer(mut stream: std::net::TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap_or(0);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let request = format!("{method} {path}");
    let earlier = {
        let mut log = log.lock().unwrap();
        let earlier = log.iter().filter(|seen| **seen == request).count();
        log.push(request);
        earlier
    };
    let (status, extra) = match (method, path) {
        (_, "/ok" | "/caf%C3%A9" | "/q?a=1&b=2") => ("200 OK", ""),
        (_, "/gone") => ("404 Not Found", ""),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", ""),
        (_, "/no-head") => ("200 OK", ""),
        (_, "/busy") if earlier == 0 => ("429 Too Many Requests", "Retry-After: 0\r\n"),
        (_, "/busy") => ("200 OK", ""),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", "")
        }
        _ => ("500 Internal Server Error", ""),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

fn site(server: &Server) -> TestSite {
    let site = TestSite::with_config(&format!(
        "title = \"T\"\nbase_url = \"https://example.org\"\n\n[check]\ntimeout = 1\nskip_prefixes = [\"{}\"]\n",
        server.url("/skipped")
    ));
    site.post(
        "2024-03-22-links.md",
        "title = \"Links\"",
        &format!(
            "Intro.\n\n- [café]({cafe})\n- <a href=\"{query}\">query</a>\n- [fine]({ok})\n- [gone]({gone})\n- [no head]({no_head})\n- [busy]({busy})\n- [slow]({slow})\n- [skipped]({skipped})\n- <a href=\"{gone}#part\">again</a>\n",
            ok = server.url("/ok"),
            cafe = server.url("/café"),
            query = server.url("/q?a=1&amp;b=2"),
            gone = server.url("/gone"),
            no_head = server.url("/no-head"),
            busy = server.url("/busy"),
            slow = server.url("/slow"),
            skipped = server.url("/skipped/page"),
        ),
    );
    site
}

#[test]
fn links_to_other_sites_are_asked_and_reported_by_place() {
    let server = Server::start();
    let site = site(&server);
    let plain = site.run(&["check"]);
    assert!(plain.ok(), "{}", plain.stderr());
    assert!(
        server.seen.lock().unwrap().is_empty(),
        "plain check asks nobody"
    );

    let run = site.run(&["check", "--external"]);
    assert!(run.ok(), "{}", run.stderr());
    let stderr = run.stderr();
    let gone = format!(
        "the external link `{}` answered 404 Not Found",
        server.url("/gone")
    );
    assert_eq!(stderr.matches(&gone).count(), 2, "{stderr}");
    assert!(
        stderr.contains("content/posts/2024-03-22-links.md:9:10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/posts/2024-03-22-links.md:14:12"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "`{}` did not answer within 1 s",
            server.url("/slow")
        )),
        "{stderr}"
    );
    for fine in ["/ok", "/no-head", "/busy"] {
        assert!(
            !stderr.contains(&format!("`{}`", server.url(fine))),
            "{fine}: {stderr}"
        );
    }
    assert!(
        run.stdout().contains("External links: 7 checked (0 known good from the cache): 1 gone (404), 5 ok, 1 timed out."),
        "{}",
        run.stdout()
    );
    // HEAD first, GET where HEAD is refused, 429 tried again; the skipped
    // prefix never asked; one request per link, not per place.
    assert_eq!(server.seen("HEAD /ok"), 1);
    assert_eq!(server.seen("GET /ok"), 0);
    assert_eq!(server.seen("GET /no-head"), 1);
    assert_eq!(server.seen("HEAD /busy"), 2);
    assert_eq!(server.seen("HEAD /gone"), 1);
    assert_eq!(server.seen("HEAD /skipped/page"), 0);

    // The good answers are remembered: a second check asks only the rest.
    let again = site.run(&["check", "--external"]);
    assert!(
        again.stdout().contains("(5 known good from the cache)"),
        "{}",
        again.stdout()
    );
    assert_eq!(server.seen("HEAD /ok"), 1);
    assert_eq!(server.seen("HEAD /gone"), 2);
}

#[test]
fn deny_external_makes_a_dead_link_fail_the_check() {
    let server = Server::start();
    let site = site(&server);
    let run = site.run(&["check", "--external", "--deny-external"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("error: the external link"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("Check failed: 3 errors"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_damaged_cache_is_started_again() {
    let server = Server::start();
    let site = site(&server);
    site.write(".recap-cache/external-links.json", "{ not json");
    let run = site.run(&["check", "--external"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("the cache of link answers was damaged"),
        "{}",
        run.stderr()
    );
    let cache =
        std::fs::read_to_string(site.root().join(".recap-cache/external-links.json")).unwrap();
    assert!(cache.contains(&server.url("/ok")), "{cache}");
}
