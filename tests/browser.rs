//! What a reader sees, in headless Chromium. A test target of its own,
//! behind the `browser-tests` feature, so that a plain `cargo test` does
//! not compile the browser driver; `.ci/run` runs it. The browser is
//! `RECAP_CHROMIUM`, or `chromium` on the PATH.

#[allow(dead_code)]
#[path = "it/support.rs"]
mod support;

#[allow(dead_code)]
#[path = "it/server.rs"]
mod server;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions};

use crate::support::{build_example, external_tool};

fn browser() -> Browser {
    let chromium = external_tool("chromium", "RECAP_CHROMIUM", &["/usr/bin/chromium-browser"]);
    let profile = tempfile::tempdir().unwrap();
    let args: Vec<&std::ffi::OsStr> = [
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.keep()))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    Browser::new(options).expect("chromium starts")
}

#[test]
fn search_filters_as_the_reader_types() {
    let browser = browser();
    let out = build_example("http://127.0.0.1/team");
    // Serve the output under /team so the sub-path URLs resolve.
    let root = tempfile::tempdir().unwrap();
    std::fs::rename(out.path().join("site"), root.path().join("team")).unwrap();
    let server = StaticServer::start(root.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://127.0.0.1:{}/team/search/", server.port))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let input = tab.wait_for_element("#search-input").unwrap();
    input.click().unwrap();
    tab.type_str("hackathon").unwrap();
    let first = tab
        .wait_for_element_with_custom_timeout("#search-results li a", Duration::from_secs(10))
        .unwrap();
    let href = first.get_attribute_value("href").unwrap().unwrap();
    assert!(href.starts_with("/team/"), "{href}");
    let status = tab
        .find_element("#search-status")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(status.contains("result"), "{status}");
    let first_text = tab
        .find_element("#search-results li")
        .unwrap()
        .get_inner_text()
        .unwrap()
        .to_lowercase();
    assert!(first_text.contains("hackathon"), "{first_text}");

    // Sessions and speakers are found by name, each labelled with its kind.
    let set_query = |query: &str| {
        tab.evaluate(
            &format!(
                "(() => {{ const i = document.getElementById('search-input'); i.value = {query:?}; i.dispatchEvent(new Event('input')); }})()"
            ),
            false,
        )
        .unwrap();
    };
    set_query("saanvi");
    std::thread::sleep(Duration::from_millis(300));
    let kinds: Vec<String> = tab
        .find_elements("#search-results .search-result-kind")
        .unwrap()
        .iter()
        .map(|kind| kind.get_inner_text().unwrap())
        .collect();
    assert!(kinds.contains(&"Speaker".to_string()), "{kinds:?}");
    assert!(kinds.contains(&"Session".to_string()), "{kinds:?}");
    // A word only in a recap's body is found once the body text has loaded.
    set_query("kilometres");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let body_hit = loop {
        let found = tab
            .find_elements("#search-results li")
            .map(|items| items.len())
            .unwrap_or(0);
        if found > 0 || std::time::Instant::now() > deadline {
            break found;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(body_hit > 0, "the body text was searched");

    // A query nothing matches says so.
    tab.find_element("#search-input").unwrap().click().unwrap();
    tab.press_key("End").unwrap();
    tab.type_str(" zzzzqqq").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let status = tab
        .find_element("#search-status")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(status.starts_with("Nothing matches"), "{status}");
    assert!(tab.find_elements("#search-results li").is_err());
}

#[test]
fn serve_shows_an_edit_without_touching_the_browser() {
    let browser = browser();
    let site = support::TestSite::new();
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "Before the edit.\n",
    );
    let server = server::Server::start(&site);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://127.0.0.1:{}/2024/kubecon/", server.port))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    assert!(
        tab.find_element(".prose")
            .unwrap()
            .get_inner_text()
            .unwrap()
            .contains("Before the edit.")
    );
    // Give the page a moment to open its live-reload channel, then edit.
    std::thread::sleep(Duration::from_millis(500));
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "After the edit.\n",
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let text = tab
            .find_element(".prose")
            .and_then(|el| el.get_inner_text())
            .unwrap_or_default();
        if text.contains("After the edit.") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page never showed the edit: {text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A static file server on a free loopback port, stopped on drop.
pub struct StaticServer {
    child: std::process::Child,
    pub port: u16,
}

impl StaticServer {
    /// Serves `dir` at `http://127.0.0.1:PORT/` with Python's http.server.
    pub fn start(dir: &Path) -> StaticServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .arg(port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticServer { child, port }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// axe-core (npm, installed by `.ci/run`; `RECAP_AXE` names the file) on
/// pages with every Markdown feature of the example site, in light and
/// dark: no violation of WCAG 2 A/AA rules.
#[test]
fn pages_pass_axe_core_in_light_and_dark() {
    let axe = external_tool(
        "axe.min.js",
        "RECAP_AXE",
        &["target/tools/node_modules/axe-core/axe.min.js"],
    );
    let axe = std::fs::read_to_string(axe).unwrap();
    let out = build_example("http://127.0.0.1/team");
    let root = tempfile::tempdir().unwrap();
    std::fs::rename(out.path().join("site"), root.path().join("team")).unwrap();
    let server = StaticServer::start(root.path());
    let browser = browser();
    for page in [
        "2025/cloudnative-summit-day-one/",
        "2024/observability-day-online/",
        "events/",
        "talks/",
    ] {
        for scheme in ["light", "dark"] {
            let tab = browser.new_tab().unwrap();
            tab.call_method(
                headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
                    media: None,
                    features: Some(vec![
                        headless_chrome::protocol::cdp::Emulation::MediaFeature {
                            name: "prefers-color-scheme".into(),
                            value: scheme.into(),
                        },
                    ]),
                },
            )
            .unwrap();
            tab.navigate_to(&format!("http://127.0.0.1:{}/team/{page}", server.port))
                .unwrap()
                .wait_until_navigated()
                .unwrap();
            tab.evaluate(&axe, false).unwrap();
            let result = tab
                .evaluate(
                    "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}).then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
                    true,
                )
                .unwrap();
            let violations = result.value.unwrap().as_str().unwrap().to_string();
            assert_eq!(violations, "[]", "{page} ({scheme})");
        }
    }
}
