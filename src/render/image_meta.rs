//! `image_meta(path="/img/stage.jpg")`: a template function giving the size
//! and format of one of the site's images, read from the file's header. A
//! site path (`/img/x.png`) names a file of `static/`; any other path, a
//! file under `content/` (a page bundle's `posts/kubecon/stage.jpg`).
//! Paths that leave those folders are refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};

pub(crate) struct ImageMeta {
    pub root: PathBuf,
    /// The site's base path ("/team"): a shortcode's `/img/x.png` argument
    /// arrives with it.
    pub base_path: String,
}

impl tera::Function for ImageMeta {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or("image_meta() needs a path, e.g. image_meta(path=\"/img/stage.jpg\")")?;
        let file = self.file_of(path).ok_or_else(|| {
            format!("image_meta(): `{path}` is not a file of static/ or content/")
        })?;
        let size = imagesize::size(&file)
            .map_err(|err| format!("image_meta(): cannot read the size of `{path}`: {err}"))?;
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

impl ImageMeta {
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
        (file.starts_with(&base) && file.is_file()).then_some(file)
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
            root: root.path().to_path_buf(),
            base_path: "/team".into(),
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
