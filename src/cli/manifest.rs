//! `manifest.json` in the exports folder: what one run read and wrote, and the cleanup of what an
//! earlier run into the same folder wrote and this one did not.
//!
//! The manifest lists the inputs (statements files with their SHA-256, every price series with its
//! source, cache identity and the span of prices held), the parameters and oilcorr's version, and every
//! file the run wrote (path, bytes). Before writing it, the run removes the files the *previous*
//! manifest of this folder listed that the run did not write again — the chart of a statement no longer
//! analysed, `events.csv` after a switch to `--format json` — and nothing else: a file oilcorr never
//! listed is never touched. So after a run the manifest lists exactly the outputs present.

use super::run::RunInfo;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The manifest's file name in the exports folder.
pub const FILE: &str = "manifest.json";

/// Files the manifest in `dir` lists as written (none when there is no readable manifest).
pub fn previous(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
        return Vec::new();
    };
    let Ok(doc) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    doc["outputs"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|f| f["path"].as_str().map(PathBuf::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Remove the files of `old` that are not in `now` (compared as absolute paths) and lie under one of
/// `folders` (this run's exports and charts folders: a run into another charts folder leaves the
/// earlier run's charts alone); returns how many.
pub fn remove_stale(old: &[PathBuf], now: &[PathBuf], folders: &[&Path]) -> usize {
    let keep: HashSet<PathBuf> = now.iter().map(|p| absolute(p)).collect();
    let roots: Vec<PathBuf> = folders.iter().map(|f| absolute(f)).collect();
    old.iter()
        .filter(|p| !keep.contains(&absolute(p)))
        .filter(|p| roots.iter().any(|r| absolute(p).starts_with(r)))
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The SHA-256 of the file at `path`, read in pieces (a bounded run must not hold its statements).
fn sha256(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    std::fs::File::open(path)
        .and_then(|mut f| std::io::copy(&mut f, &mut hasher))
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// The SHA-256 of a run's statements files, computed on a thread of its own from the start of the
/// run: hashing a million statements' 69 MB takes a tenth of a second, which then overlaps the
/// analysis instead of delaying the end.
pub(super) struct Digests {
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<Result<Vec<String>>>>>,
}

impl Digests {
    /// Start hashing `paths`.
    pub(super) fn start(paths: &[PathBuf]) -> Self {
        let paths = paths.to_vec();
        let handle = std::thread::spawn(move || paths.iter().map(|p| sha256(p)).collect());
        Digests {
            pending: std::sync::Mutex::new(Some(handle)),
        }
    }

    /// The digests, in the order of the paths (waits for them; once only).
    fn wait(&self) -> Result<Vec<String>> {
        let handle = self
            .pending
            .lock()
            .map_err(|_| anyhow::anyhow!("the digest thread's lock was poisoned"))?
            .take()
            .context("the statements' digests were already taken")?;
        handle.join().expect("the digest thread panicked")
    }
}

/// The inputs of `prep`: statements files (or the built-in corpus) with checksums, and the prices.
fn inputs(prep: &RunInfo) -> Result<Value> {
    let digests = prep.digests.wait()?;
    let mut statements: Vec<Value> = prep
        .args
        .statements
        .iter()
        .zip(digests)
        .map(|(p, sha)| json!({ "path": absolute(p), "sha256": sha }))
        .collect();
    if statements.is_empty() {
        use oilcorr::statements::{BUILTIN_CSV, BUILTIN_NAME};
        let digest = format!("{:x}", Sha256::digest(BUILTIN_CSV.as_bytes()));
        statements.push(json!({ "path": BUILTIN_NAME, "sha256": digest }));
    }
    let prices: Vec<Value> = prep
        .cached
        .iter()
        .map(|c| {
            let d = c.prices.dates();
            json!({
                "series": c.prices.id().key(),
                "source": c.meta.source,
                "url": c.meta.url,
                "identity": c.meta.identity,
                "fetched_at": c.meta.fetched_at,
                "first_price": d.first().map(ToString::to_string),
                "last_price": d.last().map(ToString::to_string),
                "prices": d.len(),
            })
        })
        .collect();
    Ok(json!({ "statements": statements, "prices": prices }))
}

/// Write the manifest of `prep` with its `outputs` into `dir`; returns its path.
pub(super) fn write(dir: &Path, prep: &RunInfo, outputs: &[PathBuf]) -> Result<PathBuf> {
    let files: Vec<Value> = outputs
        .iter()
        .map(|p| {
            let bytes = std::fs::metadata(p).map(|m| m.len()).ok();
            json!({ "path": absolute(p), "bytes": bytes })
        })
        .collect();
    let p = prep.params;
    let doc = json!({
        "oilcorr": env!("CARGO_PKG_VERSION"),
        "generated": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "analysis": prep.args.analysis,
        "from": prep.from.to_string(),
        "to": prep.to.to_string(),
        "parameters": {
            "model": p.model.name(),
            "variance": p.variance.name(),
            "estimation_window": p.estimation.to_string(),
            "car_windows": p.windows.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "min_estimation": p.min_estimation,
            "exclude_events": p.exclude_events,
            "exclude_rolls": p.exclude_rolls,
            "bootstrap": p.bootstrap,
            "placebo": prep.args.placebo,
            "seed": prep.args.seed,
        },
        "inputs": inputs(prep)?,
        "outputs": files,
    });
    let path = dir.join(FILE);
    let text = serde_json::to_string_pretty(&doc).context("encoding the manifest")?;
    oilcorr::fsutil::write_atomic(&path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_files_that_were_not_rewritten_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, "x").unwrap();
            p
        };
        let (kept, stale, foreign) = (file("a.png"), file("b.png"), file("mine.txt"));
        let link = dir.path().join("link.png");
        std::os::unix::fs::symlink(&foreign, &link).unwrap();
        let old = vec![
            kept.clone(),
            stale.clone(),
            link.clone(),
            dir.path().join("gone.png"),
        ];
        assert_eq!(remove_stale(&old, std::slice::from_ref(&kept), &[dir.path()]), 1);
        assert!(
            kept.exists() && !stale.exists(),
            "the stale chart goes, the rewritten one stays"
        );
        assert!(
            foreign.exists() && link.exists(),
            "unlisted files and symlinks are never touched"
        );
        // A listed file outside this run's folders (an earlier --charts-dir) is left alone.
        let elsewhere = tempfile::tempdir().unwrap();
        let other = elsewhere.path().join("timeline.png");
        std::fs::write(&other, "x").unwrap();
        assert_eq!(remove_stale(std::slice::from_ref(&other), &[], &[dir.path()]), 0);
        assert!(other.exists());
    }
}
