//! Images get their width and height from the file's header, so the page
//! reserves their space: Markdown images (site paths and bundle files),
//! banners and event images. Remote and unreadable images get none.

use crate::support::{TestSite, png};

/// A GIF of `width` × `height`.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend(width.to_le_bytes());
    bytes.extend(height.to_le_bytes());
    bytes.extend([0, 0, 0]);
    bytes
}

#[test]
fn images_get_width_and_height_from_their_files() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org/team\"\n");
    site.write_bytes("static/img/stage.png", &png(1600, 900));
    site.write_bytes("content/posts/2025-04-02-trip/team.gif", &gif(640, 480));
    site.write_bytes("static/img/broken.png", b"\x89PNG not really");
    site.write_bytes("static/img/banner.png", &png(1200, 400));
    site.write_bytes("static/img/venue.png", &png(800, 600));
    site.write(
        "content/events/kubecon.md",
        "+++\nname = \"KubeCon\"\nstart = 2025-04-01\nimage = \"/img/venue.png\"\n+++\n",
    );
    site.write(
        "content/posts/2025-04-02-trip/index.md",
        "+++\ntitle = \"Trip\"\nimage = \"/img/banner.png\"\nevent = \"kubecon\"\n+++\n![Stage](/img/stage.png)\n\n![Team](team.gif)\n\n![Broken](/img/broken.png)\n\n![Remote](https://cdn.example.org/x.png)\n",
    );
    site.build();
    let page = site.html("2025/trip/index.html");
    let size = |css: &str| (page.attr(css, "width"), page.attr(css, "height"));
    assert_eq!(size(".prose img[alt=Stage]"), ("1600".into(), "900".into()));
    assert_eq!(size(".prose img[alt=Team]"), ("640".into(), "480".into()));
    assert_eq!(
        page.attr(".prose img[alt=Stage]", "src"),
        "/team/img/stage.png"
    );
    assert_eq!(page.attr(".prose img[alt=Stage]", "loading"), "lazy");
    for unknown in [".prose img[alt=Broken]", ".prose img[alt=Remote]"] {
        let img = &page.select(unknown)[0];
        assert!(img.value().attr("width").is_none(), "{unknown}");
    }
    assert_eq!(size("img.banner"), ("1200".into(), "400".into()));
    assert_eq!(page.attr("img.banner", "fetchpriority"), "high");
    let event = site.html("events/kubecon/index.html");
    assert_eq!(event.attr("img.event-image", "width"), "800");
}

/// `recap check` warns about images that are not what they say, and about
/// large ones; a build never fails for them.
#[test]
fn check_warns_about_broken_mislabelled_and_large_images() {
    let site = TestSite::with_config("title = \"T\"\nbase_url = \"https://example.org\"\n");
    site.write_bytes("static/img/ok.png", &png(10, 10));
    site.write_bytes("static/img/cut.png", b"\x89PNG\r\n\x1a\n");
    site.write_bytes("static/img/really-a-gif.png", &gif(4, 4));
    let mut large = png(4000, 3000);
    large.resize(3 << 20, 0);
    site.write_bytes("static/img/huge.png", &large);
    site.post("2025-04-02-x.md", "title = \"X\"", "![ok](/img/ok.png)\n");
    assert!(site.run(&["build"]).ok());
    let run = site.run(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("static/img/cut.png"), "{stderr}");
    assert!(stderr.contains("not a readable PNG image"), "{stderr}");
    assert!(
        stderr.contains("this file is GIF, not the PNG its name says"),
        "{stderr}"
    );
    assert!(stderr.contains("this image is 3.0 MiB"), "{stderr}");
    assert!(!stderr.contains("ok.png"), "{stderr}");
}

/// `image_meta()` in a site's own shortcode gives the size of a file of
/// static/ or of a bundle; a path out of the site fails the build.
#[test]
fn templates_read_image_sizes_with_image_meta() {
    let site = TestSite::new();
    site.write_bytes("static/img/stage.png", &png(1600, 900));
    site.write(
        "templates/shortcodes/photo.html",
        "{% set meta = image_meta(path=src) %}<img src=\"{{ src }}\" width=\"{{ meta.width }}\" height=\"{{ meta.height }}\" data-mime=\"{{ meta.mime }}\" alt=\"\">",
    );
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "{{ photo(src=\"/img/stage.png\") }}\n",
    );
    site.build();
    let page = site.html("2024/kubecon/index.html");
    assert_eq!(page.attr("img[data-mime]", "width"), "1600");
    assert_eq!(page.attr("img[data-mime]", "height"), "900");
    assert_eq!(page.attr("img[data-mime]", "data-mime"), "image/png");

    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "{{ photo(src=\"/../config.toml\") }}\n",
    );
    site.run(&["build"])
        .fails_with(&["image_meta()", "is not a file of static/ or content/"]);
}

/// Raw-HTML images of the site's own files get their size too; one that
/// has a size, or shows a remote file, is left as written.
#[test]
fn raw_html_images_get_their_size() {
    let site = TestSite::new();
    site.write_bytes("static/img/stage.png", &png(1600, 900));
    site.post(
        "2024-03-22-kubecon.md",
        "title = \"KubeCon\"",
        "<img src=\"/img/stage.png\" alt=\"Stage\">\n\nInline <img class=\"icon\" src='/img/stage.png' alt=\"\" /> too.\n\n<img src=\"/img/stage.png\" width=\"320\" alt=\"Small\">\n\n<img src=\"https://cdn.example.org/x.png\" alt=\"Remote\">\n",
    );
    site.build();
    let page = site.html("2024/kubecon/index.html");
    assert_eq!(page.attr("img[alt='Stage']", "width"), "1600");
    assert_eq!(page.attr("img[alt='Stage']", "height"), "900");
    assert_eq!(page.attr("img[alt='Stage']", "loading"), "lazy");
    assert_eq!(page.attr("img.icon", "height"), "900");
    assert_eq!(page.attr("img[alt='Small']", "width"), "320");
    assert!(page.select("img[alt='Small'][height]").is_empty());
    assert!(page.select("img[alt='Remote'][width]").is_empty());
}
