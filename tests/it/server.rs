//! A running `recap serve` for tests: start it on a free port, send raw
//! HTTP requests, and follow its live-reload channel.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::TestSite;

/// A running `recap serve`, stopped on drop.
pub(crate) struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub(crate) fn start(site: &TestSite) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_recap"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (found, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("Serving ") {
                    let _ = found.send(line);
                }
            }
        });
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("serve starts");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or(port);
        Server { child, port }
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    pub(crate) fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    }

    /// Opens the live-reload channel and returns its lines as they come.
    pub(crate) fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .write_all(b"GET /__recap/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        receiver
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub(crate) fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap_or("")
            .split(' ')
            .nth(1)
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server on `site` and its live-reload channel, past the first `ok`.
pub(crate) fn started(site: &TestSite) -> (Server, mpsc::Receiver<String>) {
    let server = Server::start(site);
    let events = server.events();
    wait_for_event(&events, "ok");
    (server, events)
}

/// Waits for an `event: NAME` line; returns the data lines that follow it.
pub(crate) fn wait_for_event(events: &mpsc::Receiver<String>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut in_event = false;
    let mut data = String::new();
    while Instant::now() < deadline {
        let Ok(line) = events.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if line == format!("event: {name}") {
            in_event = true;
        } else if in_event && line.starts_with("data:") {
            data.push_str(line.trim_start_matches("data:").trim_start());
            data.push('\n');
        } else if in_event && line.is_empty() {
            return data;
        }
    }
    panic!("no `{name}` event within 20 s");
}

pub(crate) fn blog() -> TestSite {
    let site = TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "The first version.\n",
    );
    site.post(
        "2024-03-20-draft.md",
        "title = \"Unfinished\"\ndraft = true",
        "Not yet.\n",
    );
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}
