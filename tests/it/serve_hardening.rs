//! `recap serve` against careless and hostile clients and file systems:
//! HEAD tells the real length, `//host` paths never redirect off the
//! site, idle connections cannot hold every slot, and the watcher keeps
//! working when a watched folder is removed or moved away and back.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::server::{Server, blog, started, wait_for_event};

#[test]
fn head_reports_the_length_get_sends() {
    let site = blog();
    let server = Server::start(&site);
    for path in [
        "/2024/kubecon/",
        "/atom.xml",
        "/img/logo.svg",
        "/no/such/page/",
    ] {
        let get = server.get(path);
        let head = server.request("HEAD", path, &[]);
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}");
        let length: usize = head.header("content-length").unwrap().parse().unwrap();
        assert_eq!(length, get.body.len(), "{path}");
        assert!(length > 0, "{path}");
    }
}

#[test]
fn redirects_never_leave_the_site() {
    let site = blog();
    let server = Server::start(&site);
    for (path, location) in [
        ("//tags", "/tags/"),
        ("///tags", "/tags/"),
        ("//2024/kubecon", "/2024/kubecon/"),
        ("/2024//kubecon", "/2024/kubecon/"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), Some(location), "{path}");
    }
}

#[test]
fn idle_connections_are_closed_and_cannot_starve_requests() {
    let site = blog();
    let server = Server::start(&site);
    // More idle connections than the server keeps open at once.
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let started = Instant::now();
    let reply = server.get("/2024/kubecon/");
    assert_eq!(reply.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    // The server hung up on an idle connection.
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buffer = [0u8; 16];
    let read = first.read(&mut buffer);
    assert!(matches!(read, Ok(0)), "not closed by the server: {read:?}");
    // A client sending its headers slowly is cut off too.
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut rest = Vec::new();
    slow.read_to_end(&mut rest)
        .expect("the server closes a connection whose headers never end");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
}

#[test]
fn the_watcher_survives_content_being_removed_and_restored() {
    let site = blog();
    let (server, events) = started(&site);
    let content = site.root().join("content");
    let kept = site.root().join("kept-content");
    std::fs::rename(&content, &kept).unwrap();
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/kubecon/").status, 404);
    std::fs::rename(&kept, &content).unwrap();
    wait_for_event(&events, "reload");
    assert_eq!(server.get("/2024/kubecon/").status, 200);
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "Edited after the move.\n",
    );
    wait_for_event(&events, "reload");
    assert!(
        server
            .get("/2024/kubecon/")
            .body
            .contains("Edited after the move.")
    );

    std::fs::remove_dir_all(&content).unwrap();
    wait_for_event(&events, "reload");
    site.post("2024-03-25-again.md", "title = \"Again\"", "Recreated.\n");
    wait_for_event(&events, "reload");
    assert!(server.get("/2024/again/").body.contains("Recreated."));
    site.post(
        "2024-03-25-again.md",
        "title = \"Again\"",
        "Edited in the new folder.\n",
    );
    wait_for_event(&events, "reload");
    assert!(
        server
            .get("/2024/again/")
            .body
            .contains("Edited in the new folder.")
    );
}

#[test]
fn live_reload_channels_cannot_take_every_connection() {
    let site = blog();
    let server = Server::start(&site);
    let open = |_| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .write_all(
                b"GET /__recap/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
            )
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        (stream, String::from_utf8_lossy(&head).into_owned())
    };
    let streams: Vec<(TcpStream, String)> = (0..128).map(open).collect();
    assert!(streams.iter().all(|(_, head)| head.contains("200")));
    let (_, refused) = open(128);
    assert!(refused.contains("503"), "{refused}");
    assert_eq!(server.get("/2024/kubecon/").status, 200);
    drop(streams);
}
