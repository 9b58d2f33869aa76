//! The HTTP side of `recap serve` (axum on tokio): files from memory with
//! their MIME types, `index.html` for folders, the site's 404 page, HEAD and
//! conditional GET, and a Server-Sent Events channel for live reload. Only
//! paths the build produced can be served, so no request reaches the disk.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use futures_util::stream;
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast;

use super::memory::{LiveSite, Served};
use super::{LiveEvent, Shared};

const EVENTS_PATH: &str = "/__recap/events";
const SCRIPT_PATH: &str = "/__recap/live.js";
const LIVE_RELOAD_JS: &str = include_str!("live.js");

/// At most this many connections are open at once; more wait to be
/// accepted. Each browser tab holds one for live reload.
const MAX_CONNECTIONS: usize = 256;
/// At most this many of them are live-reload channels; a tab past that
/// gets 503 for its channel (and reloads by hand).
pub(super) const MAX_LIVE_STREAMS: usize = 128;
/// A connection that has not sent a request's headers within this time
/// (a slow client, or one idle between requests) is closed, so idle
/// connections cannot hold every slot.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves until the process is stopped.
pub(super) fn serve(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route(EVENTS_PATH, get(live_events))
            .route(SCRIPT_PATH, get(live_script))
            .fallback(site_file)
            .with_state(shared);
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                return Ok(());
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let service = hyper_util::service::TowerToHyperService::new(app.clone());
            tokio::spawn(async move {
                let _slot = slot;
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

async fn live_script() -> Response {
    let mut response = LIVE_RELOAD_JS.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    response
}

/// The live-reload channel: the current state first, then every change.
async fn live_events(State(shared): State<Arc<Shared>>) -> Response {
    let Ok(slot) = Arc::clone(&shared.streams).try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live-reload channels are open",
        )
            .into_response();
    };
    let first = match shared.error() {
        Some(text) => event_for(&LiveEvent::Failed(text)),
        None => Event::default().event("ok").data("ok"),
    };
    let receiver = shared.events.subscribe();
    // The slot goes with the stream and is freed when the tab goes.
    let updates = stream::unfold((receiver, slot), |(mut receiver, slot)| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    return Some((Ok::<_, Infallible>(event_for(&event)), (receiver, slot)));
                }
                // A slow tab missed some events; the next one still tells it what to do.
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let events = stream::once(async move { Ok(first) }).chain(updates);
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn event_for(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("reload"),
        LiveEvent::Css => Event::default().event("css").data("css"),
        LiveEvent::Failed(text) => Event::default()
            .event("failed")
            .data(text.replace('\r', "")),
    }
}

/// Every other request: a file of the site, or its 404 page.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(site) = shared.site() else {
        let text = shared
            .error()
            .unwrap_or_else(|| "The site is being built.".into());
        return (StatusCode::SERVICE_UNAVAILABLE, text).into_response();
    };
    // hyper sends no body in answer to HEAD, and keeps the body's length.
    match lookup(site.as_ref(), uri.path()) {
        Lookup::Found(key) => served_response(&site, &key, &headers, StatusCode::OK),
        Lookup::Redirect(location) => redirect(&location),
        Lookup::Missing => served_response(&site, "404.html", &headers, StatusCode::NOT_FOUND),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    Found(String),
    Redirect(String),
    Missing,
}

/// Maps a request path to a file of the site. Anything that is not a plain
/// relative path after percent-decoding (`..`, `.`, backslashes, NUL,
/// encoded slashes) finds nothing.
fn lookup(files: &impl Files, raw_path: &str) -> Lookup {
    let mut segments = Vec::new();
    let raw_segments: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
    for raw in &raw_segments {
        let Ok(segment) = percent_decode_str(raw).decode_utf8() else {
            return Lookup::Missing;
        };
        let unsafe_segment = segment == ".."
            || segment == "."
            || segment.contains(['/', '\\', '\0'])
            || segment.contains(':');
        if unsafe_segment {
            return Lookup::Missing;
        }
        segments.push(segment.into_owned());
    }
    let key = segments.join("/");
    let is_folder = raw_path.ends_with('/') || key.is_empty();
    if is_folder {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if files.has(&index) {
            Lookup::Found(index)
        } else {
            Lookup::Missing
        };
    }
    if files.has(&key) {
        Lookup::Found(key)
    } else if files.has(&format!("{key}/index.html")) {
        // Rebuilt from the segments: `//host` must not become a redirect
        // to another host.
        Lookup::Redirect(format!("/{}/", raw_segments.join("/")))
    } else {
        Lookup::Missing
    }
}

/// What `lookup` needs to know of a site.
trait Files {
    fn has(&self, path: &str) -> bool;
}

impl Files for LiveSite {
    fn has(&self, path: &str) -> bool {
        LiveSite::has(self, path)
    }
}

/// A file of the site, rendered on first request; a page whose template
/// fails shows the error instead.
fn served_response(
    site: &LiveSite,
    key: &str,
    headers: &HeaderMap,
    status: StatusCode,
) -> Response {
    match site.get(key) {
        Some(Ok(fetched)) => {
            let mut response = file_response(key, &fetched.file, headers, status);
            // Whether this was rendered before the request: after an edit,
            // pages that show nothing of it are kept, the others made anew.
            let cache = if fetched.cached { "hit" } else { "miss" };
            response
                .headers_mut()
                .insert("x-recap-cache", HeaderValue::from_static(cache));
            response
        }
        Some(Err(err)) => {
            let page = format!(
                "<!doctype html><title>Template error</title><body><pre>{}</pre></body>",
                crate::render::templates::escape_markup(&err.render(false))
            );
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(with_live_reload(page.as_bytes())),
            )
                .into_response()
        }
        None => (status, "Not found").into_response(),
    }
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn file_response(key: &str, file: &Served, headers: &HeaderMap, status: StatusCode) -> Response {
    let not_modified = status == StatusCode::OK
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .any(|tag| tag.trim() == file.etag || tag.trim() == "*")
            });
    let mime = mime_type(key);
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else if mime.starts_with("text/html") {
        (status, with_live_reload(&file.bytes)).into_response()
    } else {
        (status, Body::from(file.bytes.to_vec())).into_response()
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        response_headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&file.etag) {
        response_headers.insert(header::ETAG, value);
    }
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn mime_type(key: &str) -> String {
    let guess = mime_guess::from_path(key).first_or_octet_stream();
    match guess.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", guess.essence_str()),
        _ if key.ends_with(".js") || key.ends_with(".json") || key.ends_with(".xml") => {
            format!("{}; charset=utf-8", guess.essence_str())
        }
        _ => guess.essence_str().to_string(),
    }
}

/// The page with the live-reload script before `</body>`.
fn with_live_reload(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    let mut page = match text.rfind("</body>") {
        Some(index) => format!("{}{tag}{}", &text[..index], &text[index..]),
        None => format!("{text}{tag}"),
    };
    page.shrink_to_fit();
    page.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keys(Vec<&'static str>);

    impl Files for Keys {
        fn has(&self, path: &str) -> bool {
            self.0.contains(&path)
        }
    }

    fn files(keys: &[&'static str]) -> Keys {
        Keys(keys.to_vec())
    }

    #[test]
    fn looks_up_files_and_folders() {
        let files = files(&["index.html", "2024/x/index.html", "atom.xml"]);
        assert_eq!(lookup(&files, "/"), Lookup::Found("index.html".into()));
        assert_eq!(
            lookup(&files, "/2024/x/"),
            Lookup::Found("2024/x/index.html".into())
        );
        assert_eq!(
            lookup(&files, "/2024/x"),
            Lookup::Redirect("/2024/x/".into())
        );
        assert_eq!(
            lookup(&files, "/atom.xml"),
            Lookup::Found("atom.xml".into())
        );
        assert_eq!(lookup(&files, "/nope"), Lookup::Missing);
    }

    #[test]
    fn redirects_stay_on_this_host() {
        let files = files(&["tags/index.html", "evil.example/x/index.html"]);
        assert_eq!(lookup(&files, "//tags"), Lookup::Redirect("/tags/".into()));
        assert_eq!(
            lookup(&files, "//evil.example/x"),
            Lookup::Redirect("/evil.example/x/".into())
        );
    }

    #[test]
    fn refuses_traversal() {
        let files = files(&["index.html", "atom.xml"]);
        for path in [
            "/../atom.xml",
            "/%2e%2e/atom.xml",
            "/x%2f..%2fatom.xml",
            "/..%5catom.xml",
            "/./atom.xml",
            "/C:/x",
        ] {
            assert_eq!(lookup(&files, path), Lookup::Missing, "{path}");
        }
    }

    #[test]
    fn injects_the_script_before_body_end() {
        let page =
            String::from_utf8(with_live_reload(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(
            page.ends_with("<script src=\"/__recap/live.js\" defer></script></body></html>"),
            "{page}"
        );
    }
}
