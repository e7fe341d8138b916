//! `run --report`: one self-contained, escaped HTML file, checked as text and in headless Chromium.
//!
//! The browser part needs Debian's `chromium` (`/usr/bin/chromium`, or `OILCORR_CHROMIUM`). Without it
//! the test says so and checks only the text, unless `OILCORR_REQUIRE_BROWSER=1` (set by `.ci/run`,
//! which installs Chromium), when a missing browser is a failure.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, png_size, Env};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Statement fields that would run script if they reached the page unescaped.
const HOSTILE: &str = "id,time,speaker,text,url,tags,stance\n\
tweet-1,2020-04-02T14:32:00Z,\"\"\" onload=\"\"document.title='pwned-speaker'\",\
\"<script>document.title='pwned-text'</script> and <img src=x onerror=\"\"document.title='pwned-img'\"\">\",\
\"https://example.com/?q=\"\"><script>document.title='pwned-url'</script>\",<b>tag</b>,up\n\
plain,2020-04-09,OPEC+,Agrees a cut & more,https://example.com/opec?a=1&b=2,,down\n";

const TITLE: &str = "oilcorr: statements 2020-04-01 to 2020-04-30";

fn run_report(env: &Env, url: &str) -> String {
    env.write("s.csv", HOSTILE);
    let args = [
        "run",
        "--statements",
        "s.csv",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
        "--report",
    ];
    ok(&mut env.cmd(url, &args));
    std::fs::read_to_string(env.path("data/exports/report.html")).unwrap()
}

#[test]
fn report_is_self_contained_and_escapes_user_text() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let html = run_report(&env, &server.url);
    assert_eq!(html.matches("<script").count(), 1, "only the sorting script");
    assert!(html.contains("&lt;script&gt;document.title='pwned-text'&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=\"document.title='pwned-img'\"&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("<td>&lt;b&gt;tag&lt;/b&gt;</td>"));
    // The hostile URL stays inside its attribute; the plain one is a link with & escaped.
    assert!(html.contains("href=\"https://example.com/?q=&quot;&gt;&lt;script&gt;"));
    assert!(html.contains("href=\"https://example.com/opec?a=1&amp;b=2\""));
    assert!(html.contains("<td>Agrees a cut &amp; more</td>"));
    // Nothing is loaded from anywhere: every image is inline, and the policy forbids the rest. The
    // chart files are PNG; the page embeds the same charts drawn as SVG (sharp at any zoom).
    let imgs = html.matches("<img ").count();
    assert_eq!(
        imgs,
        html.matches("<img src=\"data:image/svg+xml;base64,").count()
    );
    assert!(env.path("charts/timeline.png").is_file() && !env.path("charts/timeline.svg").exists());
    assert!(imgs >= 4, "timeline, summary and event charts embedded ({imgs})");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"));
    for needle in ["src=\"http", "href=\"javascript", "<link", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    // Provenance and version.
    assert!(
        html.contains(&format!("{}/graph/fredgraph.csv", server.url)),
        "fetch URL shown"
    );
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    assert!(
        html.matches("gaps over 10 days</th><td>none").count() == 2,
        "no pause in the fixture"
    );
    assert!(html.contains(&format!("<title>{TITLE}</title>")));
    // Every in-page link resolves (statement numbers link to their event charts).
    let targets: Vec<&str> = html
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|t| !t.starts_with("sort="))
        .collect();
    assert!(targets.iter().any(|t| t.starts_with("event-")), "{targets:?}");
    for t in targets {
        assert!(html.contains(&format!("id=\"{t}\"")), "#{t} leads nowhere");
    }
    browser_check(&env.path("data/exports/report.html"), env.dir.path());
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("OILCORR_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("OILCORR_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "OILCORR_REQUIRE_BROWSER=1 but there is no Chromium at {}",
        path.display()
    );
    eprintln!(
        "skipping the browser check: no Chromium at {} (apt-get install chromium)",
        path.display()
    );
    None
}

/// Headless Chromium with the flags a closed network needs, a fresh profile, and console logging.
fn browser(bin: &Path, profile: &Path) -> Command {
    browser_sized(bin, profile, (1400, 2600))
}

/// [`browser`] with a window of `(width, height)` CSS pixels.
fn browser_sized(bin: &Path, profile: &Path, (w, h): (u32, u32)) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--window-size={w},{h}"))
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn browser_check(report: &Path, scratch: &Path) {
    let Some(bin) = chromium() else { return };
    let url = format!("file://{}", report.display());
    let dom = browser(&bin, &scratch.join("profile-dom"))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let console: Vec<String> = String::from_utf8_lossy(&dom.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let page = String::from_utf8_lossy(&dom.stdout);
    // No injected script ran (each would have renamed the page), and the text is shown as text.
    assert!(
        page.contains(&format!("<title>{TITLE}</title>")),
        "title changed: script ran?"
    );
    assert!(page.contains("&lt;script&gt;document.title='pwned-text'&lt;/script&gt;"));
    assert_eq!(page.matches("id=\"statements-table\"").count(), 1);

    sorting_check(&bin, &url, scratch, &dom.stdout);
    screenshot_check(&bin, &url, scratch);
    width_check(&bin, &url, scratch);
}

/// On a 375 px phone and a 1400 px screen the page never scrolls sideways: the report's script
/// records the first element wider than the page in `data-overflow` ("none" when there is none).
fn width_check(bin: &Path, url: &str, scratch: &Path) {
    for width in [375, 1400] {
        let profile = scratch.join(format!("profile-{width}"));
        let dom = browser_sized(bin, &profile, (width, 900))
            .args(["--dump-dom", url])
            .output()
            .unwrap();
        let page = String::from_utf8_lossy(&dom.stdout);
        let found = page
            .split("data-overflow=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("(no self-check ran)");
        assert_eq!(
            found, "none",
            "at {width} px the page scrolls sideways because of {found}"
        );
    }
}

/// The sorting script, run by the browser: a link that opens the statements sorted by id
/// (ascending) puts "plain" before "tweet-1", the reverse of their time order (`unsorted_dom`).
fn sorting_check(bin: &Path, url: &str, scratch: &Path, unsorted_dom: &[u8]) {
    let sorted = browser(bin, &scratch.join("profile-sort"))
        .args(["--dump-dom", &format!("{url}#sort=statements-table:1:asc")])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&sorted.stdout);
    let table = &page[page.find("id=\"statements-table\"").expect("statements table")..];
    let (plain, tweet) = (table.find("<td>plain</td>"), table.find("<td>tweet-1</td>"));
    assert!(
        plain.zip(tweet).is_some_and(|(p, t)| p < t),
        "not sorted by id: {plain:?} {tweet:?}"
    );
    assert!(table.contains("data-dir=\"asc\""), "sorted header not marked");
    let unsorted = String::from_utf8_lossy(unsorted_dom);
    let table = &unsorted[unsorted
        .find("id=\"statements-table\"")
        .expect("statements table")..];
    assert!(
        table.find("<td>tweet-1</td>") < table.find("<td>plain</td>"),
        "time order by default"
    );
}

/// A screenshot of the top of the page shows the embedded charts.
fn screenshot_check(bin: &Path, url: &str, scratch: &Path) {
    let shot = scratch.join("report.png");
    let out = browser(bin, &scratch.join("profile-shot"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "screenshot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(png_size(&shot), (1400, 2600));
    // A page of text alone compresses to tens of kB; the embedded charts make it far larger.
    let bytes = std::fs::metadata(&shot).unwrap().len();
    assert!(bytes > 150_000, "screenshot looks chart-less ({bytes} bytes)");
    if let Some(keep) = std::env::var_os("OILCORR_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn a_run_with_one_event_day_says_why_there_is_no_chart_across_statements() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write(
        "one.csv",
        "id,time,speaker,text\nonly,2020-04-02T14:32:00Z,Donald Trump,One tweet\n",
    );
    let args = ["run", "--statements", "one.csv", "--report"];
    ok(&mut env.cmd(&server.url, &args));
    let page = std::fs::read_to_string(env.path("data/exports/report.html")).unwrap();
    assert!(page.contains("No chart across statements: they need at least two event days"));
    assert!(!page.contains("--no-charts"), "the run drew charts");
    assert!(page.contains("alt=\"Timeline: daily prices with a numbered flag"));
}
