//! A small builder for temp sites, running the binary, and reading output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub(crate) const CONFIG: &str = "title = \"Test Recaps\"\nbase_url = \"https://example.org\"\n";

pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with a minimal config.toml.
    pub(crate) fn new() -> TestSite {
        TestSite::with_config(CONFIG)
    }

    pub(crate) fn with_config(config: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("a temp dir"),
        };
        site.write("config.toml", config);
        site
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` at `relative`, creating folders.
    pub(crate) fn write(&self, relative: &str, text: &str) -> &TestSite {
        self.write_bytes(relative, text.as_bytes())
    }

    pub(crate) fn write_bytes(&self, relative: &str, bytes: &[u8]) -> &TestSite {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// A post with TOML front matter lines `front` and Markdown `body`.
    pub(crate) fn post(&self, name: &str, front: &str, body: &str) -> &TestSite {
        self.write(
            &format!("content/posts/{name}"),
            &format!("+++\n{front}\n+++\n{body}"),
        )
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        recap_in(self.root(), args)
    }

    /// `recap build`, asserting success and that nothing of the build
    /// (its staging folder, the old output) is left beside the output.
    pub(crate) fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert!(run.ok(), "build failed:\n{}", run.stderr());
        let left = leftovers_beside(self.root());
        assert!(left.is_empty(), "left beside the output: {left:?}");
        run
    }

    pub(crate) fn public(&self, relative: &str) -> PathBuf {
        self.root().join("public").join(relative)
    }

    pub(crate) fn read(&self, relative: &str) -> String {
        let path = self.public(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }

    pub(crate) fn html(&self, relative: &str) -> Page {
        Page::parse(&self.read(relative))
    }
}

pub(crate) struct Run {
    pub output: Output,
}

impl Run {
    pub(crate) fn ok(&self) -> bool {
        self.output.status.success()
    }

    pub(crate) fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the run failed with status 1 and stderr mentions each of `parts`.
    pub(crate) fn fails_with(&self, parts: &[&str]) {
        let stderr = self.stderr();
        assert_eq!(self.code(), Some(1), "expected exit 1, stderr:\n{stderr}");
        for part in parts {
            assert!(stderr.contains(part), "stderr lacks {part:?}:\n{stderr}");
        }
    }
}

/// A parsed HTML page.
pub(crate) struct Page {
    pub doc: Html,
}

impl Page {
    pub(crate) fn parse(text: &str) -> Page {
        Page {
            doc: Html::parse_document(text),
        }
    }

    pub(crate) fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|_| panic!("bad selector {css}"));
        self.doc.select(&selector).collect()
    }

    /// Text of the first element matching `css`.
    pub(crate) fn text(&self, css: &str) -> String {
        self.select(css)
            .first()
            .map(|el| el.text().collect::<String>())
            .unwrap_or_else(|| panic!("no element matches {css}"))
    }

    pub(crate) fn attr(&self, css: &str, name: &str) -> String {
        self.select(css)
            .first()
            .and_then(|el| el.value().attr(name))
            .unwrap_or_else(|| panic!("no {css} with attribute {name}"))
            .to_string()
    }

    /// Every `href` and `src` in the page.
    pub(crate) fn links(&self) -> Vec<String> {
        let mut found = Vec::new();
        for el in self.select("[href], [src]") {
            for name in ["href", "src"] {
                if let Some(value) = el.value().attr(name) {
                    found.push(value.to_string());
                }
            }
        }
        found
    }
}

/// Every internal link of every HTML page under `public`, that does not
/// resolve to a file: (page, link).
pub(crate) fn broken_links(public: &Path, base_path: &str) -> Vec<(String, String)> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        let page = Page::parse(&std::fs::read_to_string(path).unwrap());
        let page_url = path
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for link in page.links() {
            if let Some(target) = resolve(&link, &page_url, base_path) {
                let file = public.join(&target);
                let exists = file.is_file() || file.join("index.html").is_file();
                if !exists {
                    broken.push((page_url.clone(), link));
                }
            }
        }
    }
    broken
}

/// The output-relative file a link points at, or None for external links,
/// fragments, mailto and data URLs.
fn resolve(link: &str, page: &str, base_path: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() || link.contains(':') || link.starts_with("//") {
        return None;
    }
    let path = if let Some(absolute) = link.strip_prefix('/') {
        let absolute = format!("/{absolute}");
        let within = absolute
            .strip_prefix(base_path)
            .unwrap_or_else(|| panic!("{link} in {page} lacks base path {base_path}"));
        within.trim_start_matches('/').to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        normalize(&format!("{dir}/{link}"))
    };
    Some(path)
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// An external tool a test needs: the path in the environment variable
/// `env_var`, else the first of `candidates` that exists, else `name` on
/// the PATH. Panics when there is none: such tests are `#[ignore]`d (or
/// behind a feature) and `.ci/run` installs their tools and runs them, so a
/// missing tool fails; it is never a silent skip.
pub(crate) fn external_tool(name: &str, env_var: &str, candidates: &[&str]) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        return PathBuf::from(path);
    }
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .collect()
        })
        .unwrap_or_default();
    candidates
        .iter()
        .map(PathBuf::from)
        .chain(on_path)
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("{name} not found: set {env_var}, or install it (.ci/run does); looked at {candidates:?} and the PATH")
        })
}

/// The repository's own example site.
pub(crate) fn example_site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example site into a temp folder with `base_url`.
pub(crate) fn build_example(base_url: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_recap"))
        .arg("--root")
        .arg(example_site_root())
        .args(["build", "--base-url", base_url, "-o"])
        .arg(out.path().join("site"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Every file under `dir` with its bytes; empty when `dir` does not exist.
/// The manifest's stamps (sizes, hashes and times of this build's writes)
/// are left out of it: two builds of one site list the same files.
pub(crate) fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let name = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(entry.path()).unwrap();
            let bytes = if name == ".recap-manifest" {
                String::from_utf8(bytes)
                    .unwrap()
                    .lines()
                    .map(|line| line.split('\t').next().unwrap_or_default().to_string() + "\n")
                    .collect::<String>()
                    .into_bytes()
            } else {
                bytes
            };
            (name, bytes)
        })
        .collect()
}

/// Names beside the site's files that a build of `public/` left behind
/// (the cache folder is meant to stay).
pub(crate) fn leftovers_beside(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("recap-") && name != ".recap-cache")
        .collect()
}

/// Runs recap with `args` in `dir`, colours off.
pub(crate) fn recap_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_recap"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("recap runs");
    Run { output }
}

/// Sets the permission bits of `path`.
pub(crate) fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// Opens every file and folder under `dir` to every user, so recap can run
/// there as `nobody` (see `as_nobody`).
pub(crate) fn open_to_everyone(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir) {
        set_mode(entry.unwrap().path(), 0o777);
    }
}

/// Runs recap in `dir` as `nobody` when the tests run as root (root reads
/// and writes any folder, whatever its mode), else as the current user;
/// util-linux's setpriv changes the user.
pub(crate) fn as_nobody(dir: &Path, args: &[&str]) -> Output {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    let mut command = if is_root {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_recap"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_recap"))
    };
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("setpriv (util-linux) runs")
}

/// A real PNG of `width` × `height`: a gradient, so it can be decoded and
/// resized like a photo.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Png)
}

/// A real JPEG of `width` × `height`.
pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Jpeg)
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut bytes, format)
        .unwrap();
    bytes.into_inner()
}

/// Runs `script` (where `recap` is the binary under test) in a user and
/// mount namespace of its own with a 64 MB tmpfs mounted on the site's folder
/// `folder` (made if missing), through util-linux's unshare; the mount
/// ends with the script.
#[cfg(target_os = "linux")]
pub(crate) fn in_mount_namespace(site: &TestSite, folder: &str, script: &str) -> Run {
    let script = format!(
        "mkdir -p {folder} && mount -t tmpfs -o size=64m tmpfs {folder} && {}",
        script.replace("recap ", &format!("{} ", env!("CARGO_BIN_EXE_recap")))
    );
    let output = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("unshare (util-linux) runs");
    Run { output }
}
