//! Embeds the built-in theme (every file under `templates/`, and the files
//! directly inside `static/`) into the binary, so a site with no
//! `templates/` still builds. Files in subfolders of `static/` belong to the
//! example site only.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo::rerun-if-changed=templates");
    println!("cargo::rerun-if-changed=static");
    let mut code = String::new();
    code.push_str("pub(crate) static TEMPLATES: &[(&str, &str)] = &[\n");
    for (name, path) in files(&root.join("templates"), true) {
        writeln!(code, "    ({name:?}, include_str!({path:?})),").unwrap();
    }
    code.push_str("];\npub(crate) static STATIC_FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in files(&root.join("static"), false) {
        writeln!(code, "    ({name:?}, include_bytes!({path:?})),").unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(out, code).unwrap();
}

/// (name relative to `dir` with `/` separators, absolute path), sorted.
fn files(dir: &Path, recursive: bool) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect(dir, dir, recursive, &mut found);
    found.sort();
    found
}

fn collect(base: &Path, dir: &Path, recursive: bool, found: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if recursive {
                collect(base, &path, recursive, found);
            }
        } else {
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.push((relative, path.to_string_lossy().into_owned()));
        }
    }
}
