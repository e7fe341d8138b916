//! File-system helpers: atomic writes, folder locks and safe file names.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod writeback;
pub use writeback::Writeback;

/// Temporary files this process created; those not yet renamed into place are removed by
/// [`remove_pending_and_exit`] when the run is interrupted (Ctrl-C).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A new temporary file in `dir`, remembered for [`remove_pending_and_exit`]. The file is created while the
/// list is locked, so an interruption can never fall between its creation and its registration.
fn temp_in(dir: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    let tmp = builder(suffix).tempfile_in(dir)?;
    pending.push(tmp.path().to_path_buf());
    Ok(tmp)
}

/// Remove every temporary file of this process that was not renamed into place (renamed ones no
/// longer exist under their temporary name), then end the process with `code` while still holding
/// the list, so no other thread can create a temporary file between the clean-up and the exit.
/// Called on Ctrl-C, so an interrupted run leaves no `.oilcorr-*` file behind.
pub fn remove_pending_and_exit(code: i32) -> ! {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    remove_under(&mut pending, Path::new("/"));
    std::process::exit(code)
}

/// Remove the files of `pending` under `dir` and forget them (the others stay registered).
fn remove_under(pending: &mut Vec<PathBuf>, dir: &Path) {
    let (gone, kept): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(pending)
        .into_iter()
        .partition(|t| t.starts_with(dir));
    *pending = kept;
    for p in gone {
        let _ = match p.is_dir() {
            true => std::fs::remove_dir_all(p),
            false => std::fs::remove_file(p),
        };
    }
}

/// A new temporary folder in the system's (`TMPDIR`), removed when dropped and, like the temporary
/// files, by [`remove_pending_and_exit`] when the run is interrupted.
pub fn temp_folder(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::Builder::new().prefix(prefix).tempdir()?;
    pending.push(dir.path().to_path_buf());
    Ok(dir)
}

/// The clean-up of [`remove_pending_and_exit`] for the temporary files under `dir` only, without
/// exiting (tests run concurrently and each cleans its own folder).
#[cfg(test)]
fn remove_pending_under(dir: &Path) {
    remove_under(&mut PENDING.lock().unwrap_or_else(|p| p.into_inner()), dir);
}

/// Rename `tmp` (from this module) over `path` and forget it (a long run registers thousands of
/// charts).
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    let name = tmp.path().to_path_buf();
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|p| *p != name);
    }
    Ok(())
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, fsynced, then renamed
/// over `path`. A crash or an error at any point leaves the previous `path` (if any) untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir)?;
    let mut tmp = temp_in(&dir, ".tmp")?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    persist(tmp, path)
}

/// The buffered writer [`write_atomic_with`] hands out: a large file goes to disk as it is written.
pub type AtomicWriter<'f> = std::io::BufWriter<Writeback<&'f std::fs::File>>;

/// Like [`write_atomic`], but `fill` streams the content into a buffered writer (no copy of a large
/// file in memory) whose data is synced in the background as it grows ([`Writeback`]).
pub fn write_atomic_with<F>(path: &Path, fill: F) -> std::io::Result<()>
where
    F: FnOnce(&mut AtomicWriter<'_>) -> std::io::Result<()>,
{
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir)?;
    let tmp = temp_in(&dir, ".tmp")?;
    {
        let file = tmp.as_file();
        let mut w = std::io::BufWriter::with_capacity(1 << 16, Writeback::new(file, file.try_clone()?));
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    persist(tmp, path)
}

/// Create a temporary file beside `path` for a writer that renders directly to disk (charts); call
/// `persist(path)` on it once complete. Dropped without persisting, it is deleted.
pub fn temp_beside(path: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir)?;
    temp_in(&dir, suffix)
}

/// Temporary files that become outputs get the usual `rw-r--r--` (less the umask), not tempfile's
/// private 0600: exports, charts and reports are meant to be shared.
fn builder(suffix: &str) -> tempfile::Builder<'_, '_> {
    let mut b = tempfile::Builder::new();
    b.prefix(".oilcorr-").suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o644));
    }
    b
}

/// An exclusive lock on a folder, held until dropped (the OS releases it if the process dies).
#[derive(Debug)]
pub struct DirLock {
    _file: std::fs::File,
}

/// Lock `dir` through its file `name` (created if needed, never through a symlink), waiting while
/// another process holds it; `on_wait` is called once before waiting.
pub fn lock_dir(dir: &Path, name: &str, on_wait: impl FnOnce(&Path)) -> std::io::Result<DirLock> {
    std::fs::create_dir_all(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(dir.join(name))?;
    if file.try_lock().is_err() {
        on_wait(dir);
        file.lock()?;
    }
    Ok(DirLock { _file: file })
}

/// Remove oilcorr's temporary files (`.oilcorr-*`) in `dir` last modified more than `older_than`
/// ago: what a killed run (kill -9, power loss) left behind. A run writing there now keeps its files,
/// which are younger. Returns how many were removed; errors (a read-only folder) are not fatal.
pub fn remove_stale_temps(dir: &Path, older_than: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".oilcorr-"))
        .filter(|e| {
            let modified = e.metadata().and_then(|m| m.modified());
            modified.is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > older_than))
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file-name stem derived from an arbitrary id: ASCII letters, digits, `-` and `_` are kept, anything
/// else (slashes, dots, spaces, `..`) becomes `_`, so the result never names another directory.
/// Empty or all-dot ids become `_`; very long ids are cut to 100 characters.
pub fn safe_file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "_".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_by_others_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomic(&p, b"x\n").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // 0644 less the process umask (Linux reports it in /proc/self/status).
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map_or(0o022, |v| u32::from_str_radix(v.trim(), 8).unwrap());
        assert_eq!(mode, 0o644 & !umask, "mode {mode:o}, umask {umask:o}");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_is_never_opened_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(".lock")).unwrap();
        assert!(lock_dir(dir.path(), ".lock", |_| {}).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert!(lock_dir(dir.path(), ".other", |_| {}).is_ok());
    }

    #[test]
    fn interrupted_temporaries_are_removed_and_finished_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("done.csv");
        write_atomic(&done, b"x").unwrap();
        let open = temp_beside(&dir.path().join("chart.png"), ".png").unwrap();
        let (_file, tmp) = open.keep().unwrap(); // as if the process were stopped mid-write
        assert!(tmp.exists());
        // Only this test's folder: other tests write their own temporaries concurrently.
        remove_pending_under(dir.path());
        assert!(!tmp.exists() && done.exists());
    }

    #[test]
    fn stale_temps_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".oilcorr-abc.tmp");
        let keep = dir.path().join("joined.csv");
        std::fs::write(&stale, "half a file").unwrap();
        std::fs::write(&keep, "x").unwrap();
        // Younger than the limit: kept (a run may be writing it).
        assert_eq!(
            remove_stale_temps(dir.path(), std::time::Duration::from_secs(3600)),
            0
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            remove_stale_temps(dir.path(), std::time::Duration::from_millis(10)),
            1
        );
        assert!(!stale.exists() && keep.exists());
    }

    #[test]
    fn stems_never_escape_the_folder() {
        assert_eq!(safe_file_stem("../../x"), "______x");
        assert_eq!(safe_file_stem("a/b\\c"), "a_b_c");
        assert_eq!(safe_file_stem(""), "_");
        assert_eq!(safe_file_stem("trump-2020-04-02a"), "trump-2020-04-02a");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/f.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
