//! Test harness: a temporary working directory and the `oilcorr` binary run inside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A loopback address where nothing listens (port 9, discard): connections are refused at once.
const CLOSED: &str = "http://127.0.0.1:9";

/// A scratch directory the binary runs in.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, body: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, body).unwrap();
        p
    }

    /// `oilcorr ARGS` in the scratch directory, with the FRED base URL set to `url` (a test server).
    pub fn cmd(&self, url: &str, args: &[&str]) -> Command {
        let mut c = self.local(args);
        c.env("OILCORR_FRED_URL", url);
        c
    }

    /// `oilcorr ARGS` in the scratch directory for a command that needs no server (imports, offline
    /// runs, usage errors). Every source's base URL points at a closed loopback port, so a command
    /// that fetches by mistake fails at once instead of reaching a public host.
    pub fn local(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_oilcorr"));
        c.current_dir(self.dir.path())
            .env_remove("OILCORR_CONFIG")
            // Charts from the embedded font and the fixtures' only: the same on any machine.
            .env_remove("OILCORR_FONTS")
            .env("OILCORR_NO_SYSTEM_FONTS", "1")
            .args(args);
        for var in [
            "OILCORR_FRED_URL",
            "OILCORR_FRED_API_URL",
            "OILCORR_EIA_URL",
            "OILCORR_DATAHUB_URL",
            "OILCORR_YAHOO_URL",
        ] {
            c.env(var, CLOSED);
        }
        c
    }
}

/// Run `cmd`, asserting success; shows stderr when it fails.
#[track_caller]
pub fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("spawn oilcorr");
    assert!(
        out.status.success(),
        "oilcorr failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Bytes of every file under `dir`, sorted by path, to compare a cache before and after a failure.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(snapshot(&p));
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Rows of a CSV file as maps from column name to cell.
pub fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// PNG width and height read from the IHDR chunk.
pub fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[1..4], b"PNG", "{} is not a PNG", path.display());
    let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
    (w, h)
}

/// A PNG that is the given size and is not blank: a blank chart of this size compresses to a few
/// kilobytes, any drawn chart (text, lines, fills) to tens of kilobytes.
#[track_caller]
pub fn assert_chart(path: &Path, size: (u32, u32)) {
    assert_eq!(png_size(path), size, "{}", path.display());
    let bytes = std::fs::metadata(path).unwrap().len();
    assert!(bytes > 20_000, "{} looks blank ({bytes} bytes)", path.display());
}
