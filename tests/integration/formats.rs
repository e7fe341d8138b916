//! Chart formats and sizes: `--chart-format svg`, `--size WxH`, `--scale K`.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{assert_chart, ok, png_size, Env};
use std::collections::HashSet;

const ARGS: [&str; 5] = ["run", "--from", "2020-04-01", "--to", "2020-04-21"];

fn run(env: &Env, url: &str, extra: &[&str]) {
    let mut args = ARGS.to_vec();
    args.extend(extra);
    ok(&mut env.cmd(url, &args));
}

#[test]
fn size_and_scale_set_every_chart_s_pixels() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    run(&env, &server.url, &["--size", "1000x600", "--scale", "2"]);
    assert_chart(&env.path("charts/events/trump-2020-04-02a.png"), (2000, 1200));
    for kind in ["caar", "cars", "stance"] {
        assert_chart(
            &env.path(&format!("charts/summary/{kind}-brent.png")),
            (2000, 1200),
        );
    }
    // The timeline is exactly the size asked; its key, too long for 600 px, is its own image.
    assert_chart(&env.path("charts/timeline.png"), (2000, 1200));
    let (w, _) = png_size(&env.path("charts/timeline-key.png"));
    assert_eq!(w, 2000);
    // At the default size the key stays under the plot: no second image.
    let plain = Env::new();
    run(&plain, &server.url, &[]);
    assert!(!plain.path("charts/timeline-key.png").exists());

    // A non-integer scale still gives the logical size times k, rounded.
    let env = Env::new();
    run(&env, &server.url, &["--scale", "1.5", "--no-charts"]);
    run(&env, &server.url, &["--scale", "1.5", "--offline"]);
    assert_chart(&env.path("charts/events/trump-2020-04-02a.png"), (1800, 1140));
}

#[test]
fn bad_sizes_and_scales_are_refused() {
    let env = Env::new();
    for bad in [
        ["--size", "800x600"],
        ["--size", "wide"],
        ["--scale", "0"],
        ["--scale", "9"],
    ] {
        let mut args = ARGS.to_vec();
        args.extend(bad);
        let out = env.local(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(bad[1]), "{err}");
    }
}

/// Ids defined by `<path id="...">` and ids referenced by `xlink:href="#..."`.
fn glyph_ids(svg: &str) -> (HashSet<&str>, HashSet<&str>) {
    let grab = |marker: &str| -> HashSet<&str> {
        svg.split(marker)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    };
    (grab("<path id=\""), grab("xlink:href=\"#"))
}

#[test]
fn svg_charts_carry_their_text_as_outlines() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    run(&env, &server.url, &["--chart-format", "svg", "--scale", "2"]);
    assert!(!env.path("charts/timeline.png").exists());
    for rel in [
        "charts/timeline.svg",
        "charts/events/trump-2020-04-02a.svg",
        "charts/summary/caar-wti.svg",
    ] {
        let svg = std::fs::read_to_string(env.path(rel)).unwrap();
        assert!(
            svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"),
            "{rel}"
        );
        // No font needed to view it: no <text>, glyphs are paths defined once and placed with <use>.
        assert!(!svg.contains("<text"), "{rel}");
        let (defined, used) = glyph_ids(&svg);
        assert!(used.len() > 20, "{rel}: {} distinct glyphs", used.len());
        assert_eq!(
            defined, used,
            "{rel}: every glyph used is defined, and only those"
        );
        assert!(svg.contains("<polyline"), "{rel}: series lines");
        if rel.contains("events") {
            // Logical 1200x760 drawn at twice the size.
            assert!(
                svg.contains("width=\"2400\" height=\"1520\" viewBox=\"0 0 1200 760\""),
                "{rel}"
            );
        }
    }
}

#[test]
fn chinese_statements_take_a_fallback_font_or_are_named_and_never_drawn_as_boxes() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write(
        "cjk.csv",
        "id,time,speaker,text,stance\nxi,2020-04-02T14:32:00Z,习近平,石油 減产 oil,up\n",
    );
    let args = [
        "run",
        "--statements",
        "cjk.csv",
        "--from",
        "2020-04-02",
        "--to",
        "2020-04-02",
        "--chart-format",
        "svg",
    ];
    let out = ok(&mut env.cmd(&server.url, &args));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no font has a glyph for '习近平石油減产' in statement xi"),
        "{err}"
    );
    // No empty box (glyph 0, .notdef); the replacement sign instead.
    let notdef = "\"#g0_0\"";
    use ab_glyph::Font as _;
    let fffd = oilcorr::plot::fonts::FontStack::embedded()
        .face(0)
        .glyphs
        .glyph_id('\u{FFFD}')
        .0;
    assert_ne!(fffd, 0, "DejaVu Sans has U+FFFD");
    let chart = std::fs::read_to_string(env.path("charts/events/xi.svg")).unwrap();
    assert!(!chart.contains(notdef), "no .notdef boxes");
    assert!(chart.contains(&format!("\"#g0_{fffd}\"")), "U+FFFD drawn");

    // With a font that has every character but 減 (a traditional form): the fallback is named, the
    // statement warned about for that one character only, and its glyphs come from face 2.
    let font =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts/oilcorr-test-cjk.ttf");
    let mut with_font = args.to_vec();
    with_font.extend(["--font", font.to_str().unwrap()]);
    let out = ok(&mut env.cmd(&server.url, &with_font));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("drawn with ") && err.contains("oilcorr-test-cjk.ttf"),
        "{err}"
    );
    assert!(
        err.contains("no font has a glyph for '減' in statement xi"),
        "{err}"
    );
    let chart = std::fs::read_to_string(env.path("charts/events/xi.svg")).unwrap();
    assert!(chart.contains("\"#g2_"), "fallback glyphs used");
    assert!(!chart.contains(notdef));

    // A font file that is not a font: a one-line error naming it, exit 1.
    let mut bad = args.to_vec();
    bad.extend(["--font", "cjk.csv"]);
    let out = env.cmd(&server.url, &bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("font file cjk.csv: not a TrueType or OpenType font"),
        "{err}"
    );
}
