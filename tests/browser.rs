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

/// A page of each kind the example site has: the home page, recaps with
/// code, tables, sessions and a banner, a page, events, talks, tags,
/// authors, speakers, the archive, search and the 404 page.
const PAGE_TYPES: [&str; 16] = [
    "",
    "2025/cloudnative-summit-day-one/",
    "2025/cloudnative-summit-day-three/",
    "2025/cloudnative-summit-hallway/",
    "about/",
    "events/",
    "events/cloudnative-summit-eu-2025/",
    "talks/",
    "tags/",
    "tags/rust/",
    "authors/",
    "authors/priya-raman/",
    "speakers/",
    "archive/",
    "search/",
    "404.html",
];

/// The page types the layout test takes screenshots of.
const SCREENSHOTS: [&str; 5] = [
    "",
    "2025/cloudnative-summit-day-one/",
    "events/",
    "events/cloudnative-summit-eu-2025/",
    "talks/",
];

fn emulate_color_scheme(tab: &headless_chrome::Tab, scheme: &str) {
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
}

/// axe-core (npm, installed by `.ci/run`; `RECAP_AXE` names the file) on
/// every page type of the example site, in light and dark: no violation of
/// WCAG 2 A/AA rules.
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
    for page in PAGE_TYPES {
        for scheme in ["light", "dark"] {
            let tab = browser.new_tab().unwrap();
            emulate_color_scheme(&tab, scheme);
            open_page(
                &tab,
                &format!("http://127.0.0.1:{}/team/{page}", server.port),
            );
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

/// What the layout must hold on every page type, from the DOM: the page
/// never scrolls sideways; the nav stays on one line; a code block is as
/// wide as the text column unless its lines need more, and then it takes
/// all the room there is before it scrolls; code is one step below the
/// body size; no label covers code. Screenshots of each page at each
/// width, light and dark, land in the test's target folder to look at.
#[test]
fn layout_holds_on_desktops_and_phones() {
    let out = build_example("http://127.0.0.1/team");
    let root = tempfile::tempdir().unwrap();
    std::fs::rename(out.path().join("site"), root.path().join("team")).unwrap();
    let server = StaticServer::start(root.path());
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let browser = browser();
    let mut problems = Vec::new();
    for width in [1280, 390, 360] {
        // Colours do not move boxes: one scheme is enough at 360 px.
        let schemes: &[&str] = if width == 360 {
            &["light"]
        } else {
            &["light", "dark"]
        };
        for scheme in schemes {
            let tab = browser.new_tab().unwrap();
            emulate_width(&tab, width);
            emulate_color_scheme(&tab, scheme);
            for page in PAGE_TYPES {
                open_page(
                    &tab,
                    &format!("http://127.0.0.1:{}/team/{page}", server.port),
                );
                let found = tab.evaluate(LAYOUT_FACTS, false).unwrap();
                let found: Vec<String> =
                    serde_json::from_str(found.value.unwrap().as_str().unwrap()).unwrap();
                problems.extend(
                    found
                        .into_iter()
                        .map(|p| format!("/{page} at {width} px: {p}")),
                );
                if width != 360 && SCREENSHOTS.contains(&page) {
                    let png = tab
                        .capture_screenshot(
                            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
                            None,
                            None,
                            true,
                        )
                        .unwrap();
                    assert!(png.starts_with(b"\x89PNG"), "/{page}: a PNG");
                    let name = format!("{}-{width}-{scheme}.png", page_name(page));
                    std::fs::write(shots.join(name), png).unwrap();
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Opens `url` and waits for its load event. Quicker than
/// `wait_until_navigated`, which waits for the network to settle.
fn open_page(tab: &headless_chrome::Tab, url: &str) {
    tab.navigate_to(url).unwrap();
    let loaded = format!("document.readyState === 'complete' && location.href === {url:?}");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while tab.evaluate(&loaded, false).ok().and_then(|r| r.value)
        != Some(serde_json::Value::Bool(true))
    {
        assert!(std::time::Instant::now() < deadline, "{url} never loaded");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn emulate_width(tab: &headless_chrome::Tab, width: u32) {
    tab.call_method(
        headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride {
            width,
            height: 900,
            device_scale_factor: 1.0,
            mobile: width < 500,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        },
    )
    .unwrap();
}

/// "home", "2025-cloudnative-summit-day-one", "404".
fn page_name(page: &str) -> String {
    let name = page
        .trim_end_matches('/')
        .trim_end_matches(".html")
        .replace('/', "-");
    if name.is_empty() { "home".into() } else { name }
}

/// The layout checks, run in the page; a JSON list of what is wrong.
const LAYOUT_FACTS: &str = r#"(() => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) {
    const culprits = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > page.clientWidth + 0.5)
      .slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + el.className);
    problems.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth}): ${culprits}`);
  }
  const navTops = new Set([...document.querySelectorAll('.site-nav li')]
    .map(li => Math.round(li.getBoundingClientRect().top)));
  if (navTops.size > 1) problems.push(`the nav takes ${navTops.size} lines`);
  const column = document.querySelector('main').getBoundingClientRect().width;
  const bodySize = parseFloat(getComputedStyle(document.querySelector('.prose') || document.body).fontSize);
  for (const block of document.querySelectorAll('.prose > .code-block')) {
    const width = block.getBoundingClientRect().width;
    const pre = block.querySelector('pre');
    const code = pre.querySelector('code').getBoundingClientRect();
    const scrolls = pre.scrollWidth > pre.clientWidth;
    const room = Math.min(page.clientWidth - 2 * parseFloat(getComputedStyle(page).getPropertyValue('--gutter')) * 16, 66 * 16);
    if (!scrolls && width > column + 1 && pre.scrollWidth < column - 1) problems.push(`a short code block is ${width} px wide, the column ${column}`);
    if (width < column - 1) problems.push(`a code block is ${width} px wide, narrower than the column (${column})`);
    if (scrolls && width < room - 1) problems.push(`a code block scrolls at ${width} px with ${room} px of room`);
    // The bar holds the name, the language and the copy button.
    const bar = block.querySelector('.code-bar');
    const labels = bar ? [bar, ...bar.children] : [];
    if (!bar || !block.querySelector('.copy-code')) problems.push('a code block has no bar or copy button');
    for (const label of labels) {
      const l = label.getBoundingClientRect();
      if (l.bottom > code.top && l.top < code.bottom && l.right > code.left && l.left < code.right)
        problems.push(`"${label.textContent}" covers code`);
    }
    const ratio = parseFloat(getComputedStyle(pre.querySelector('code')).fontSize) / bodySize;
    if (ratio < 0.85 || ratio > 0.95) problems.push(`code is ${ratio.toFixed(2)} of the body size`);
  }
  return JSON.stringify(problems);
})()"#;
