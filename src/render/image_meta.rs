//! Template functions for the site's images. `image_meta(path=...)` gives
//! the size and format of one, read from the file's header;
//! `resize_image(path=..., width=..., height=..., op=...)` a smaller copy.
//! A site path (`/img/x.png`) names a file of `static/`; any other path, a
//! file under `content/` (a page bundle's `posts/kubecon/stage.jpg`).
//! Paths that leave those folders are refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::images::{Format, Op, Variants};

/// Finds the files template functions name.
#[derive(Debug, Clone)]
pub(crate) struct SiteImages {
    pub root: PathBuf,
    /// The site's base path ("/team"): a shortcode's `/img/x.png` argument
    /// arrives with it.
    pub base_path: String,
}

pub(crate) struct ImageMeta {
    pub files: SiteImages,
}

impl tera::Function for ImageMeta {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or("image_meta() needs a path, e.g. image_meta(path=\"/img/stage.jpg\")")?;
        let file = self.files.file_of(path).ok_or_else(|| {
            format!("image_meta(): `{path}` is not a file of static/ or content/")
        })?;
        let size = crate::images::probe_file(&file)
            .map_err(|problem| format!("image_meta(): `{path}`: {problem}"))?;
        let format = file
            .extension()
            .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let format = if format == "jpeg" {
            "jpg".to_string()
        } else {
            format
        };
        let mime = match format.as_str() {
            "jpg" => "image/jpeg",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "avif" => "image/avif",
            _ => "application/octet-stream",
        };
        Ok(json!({
            "width": size.width,
            "height": size.height,
            "format": format,
            "mime": mime,
        }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

pub(crate) struct ResizeImage {
    pub files: SiteImages,
    pub variants: Arc<Variants>,
}

impl tera::Function for ResizeImage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).ok_or(
            "resize_image() needs a path, e.g. resize_image(path=\"/img/stage.jpg\", width=800, op=\"fit_width\")",
        )?;
        // Remote images are shown as they are.
        if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") {
            return Ok(json!({ "url": path, "width": null, "height": null }));
        }
        let file = self.files.file_of(path).ok_or_else(|| {
            format!("resize_image(): `{path}` is not a file of static/ or content/")
        })?;
        let number = |name: &str| -> tera::Result<Option<u32>> {
            match args.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| {
                        format!("resize_image(): {name} must be a whole number of pixels").into()
                    }),
            }
        };
        let op_name = args.get("op").and_then(Value::as_str).unwrap_or("fill");
        let op = Op::named(op_name)
            .ok_or_else(|| format!("resize_image(): unknown op `{op_name}`; use {}", Op::NAMES))?;
        let format = match args.get("format").and_then(Value::as_str) {
            None | Some("auto") => None,
            Some(name) => Some(Format::named(name).ok_or_else(|| {
                format!("resize_image(): unknown format `{name}`; use \"auto\", \"jpg\", \"png\" or \"webp\"")
            })?),
        };
        let quality = number("quality")?
            .map(|q| u8::try_from(q).ok().filter(|q| (1..=100).contains(q)))
            .map(|q| q.ok_or("resize_image(): quality must be from 1 to 100"))
            .transpose()?;
        let resized = self
            .variants
            .resize(
                &file,
                (number("width")?, number("height")?),
                op,
                format,
                quality,
            )
            .map_err(|problem| format!("resize_image(): `{path}`: {problem}"))?;
        Ok(serde_json::to_value(resized).unwrap_or_default())
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `responsive_image(path=...)`: the image with its size and smaller
/// copies, as the image render hook gets them (url, width, height, srcset,
/// sources); null for a remote image or a path that names no file of the
/// site (shown as written; `recap check` reports it).
pub(crate) struct ResponsiveImage {
    pub files: SiteImages,
    pub variants: Arc<Variants>,
}

impl tera::Function for ResponsiveImage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).ok_or(
            "responsive_image() needs a path, e.g. responsive_image(path=\"/img/stage.jpg\")",
        )?;
        let Some(file) = self.files.file_of(path) else {
            return Ok(Value::Null);
        };
        let probe = crate::images::probe_file(&file)
            .map_err(|problem| format!("responsive_image(): `{path}`: {problem}"))?;
        let responsive = self
            .variants
            .responsive(&file, path)
            .map_err(|problem| format!("responsive_image(): `{path}`: {problem}"))?;
        Ok(json!({
            "url": path,
            "width": (probe.width > 0).then_some(probe.width),
            "height": (probe.height > 0).then_some(probe.height),
            "srcset": responsive.as_ref().map(|r| r.srcset.clone()),
            "sources": responsive.map(|r| r.sources).unwrap_or_default(),
        }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl SiteImages {
    /// The file `path` names, when it stays inside `static/` or `content/`.
    fn file_of(&self, path: &str) -> Option<PathBuf> {
        let path = match path.strip_prefix(self.base_path.as_str()) {
            Some(rest) if !self.base_path.is_empty() && rest.starts_with('/') => rest,
            _ => path,
        };
        let (folder, relative) = match path.strip_prefix('/') {
            Some(rest) => ("static", rest),
            None => (crate::content::CONTENT_DIR, path),
        };
        let relative = Path::new(relative);
        if !relative
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
        {
            return None;
        }
        let base = self.root.join(folder).canonicalize().ok()?;
        let file = base.join(relative).canonicalize().ok()?;
        let found = file.starts_with(&base) && file.is_file();
        if found {
            crate::images::note_file(&file);
        }
        found.then_some(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Function;

    fn call(meta: &ImageMeta, path: &str) -> tera::Result<Value> {
        meta.call(&HashMap::from([("path".to_string(), json!(path))]))
    }

    #[test]
    fn reads_sizes_and_refuses_paths_out_of_the_site() {
        let root = tempfile::tempdir().unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        std::fs::create_dir_all(root.path().join("static/img")).unwrap();
        std::fs::create_dir_all(root.path().join("content/posts/k")).unwrap();
        std::fs::write(root.path().join("static/img/a.png"), &png).unwrap();
        std::fs::write(root.path().join("content/posts/k/b.png"), &png).unwrap();
        std::fs::write(root.path().join("secret.png"), &png).unwrap();
        let meta = ImageMeta {
            files: SiteImages {
                root: root.path().to_path_buf(),
                base_path: "/team".into(),
            },
        };
        let a = call(&meta, "/img/a.png").unwrap();
        assert_eq!(a["width"], 640);
        assert_eq!(a["height"], 480);
        assert_eq!(a["mime"], "image/png");
        assert_eq!(call(&meta, "/team/img/a.png").unwrap()["width"], 640);
        assert_eq!(call(&meta, "posts/k/b.png").unwrap()["width"], 640);
        for outside in ["/../secret.png", "../secret.png", "/img/missing.png"] {
            assert!(call(&meta, outside).is_err(), "{outside}");
        }
    }
}
