//! Ctrl-C end to end: SIGINT delivered to a real run while it is writing its exports leaves no
//! temporary file anywhere, exits 130, and every export on disk is a whole file.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, Env};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `n` statements from June 2019 to mid-June 2020, at varied times of day.
fn many_statements(n: usize) -> String {
    let mut body = String::from("id,time,speaker,text,stance\n");
    let start = chrono::NaiveDate::from_ymd_opt(2019, 6, 3).unwrap();
    for i in 0..n {
        let day = start + chrono::Duration::days((i % 340) as i64);
        let (h, m) = (i % 24, (i * 7) % 60);
        let stance = ["up", "down", ""][i % 3];
        body.push_str(&format!(
            "s{i},{day}T{h:02}:{m:02}:00Z,Speaker {},words,{stance}\n",
            i % 50
        ));
    }
    body
}

/// Every path under `dir` whose file name starts with `.oilcorr-` (oilcorr's temporary files).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            found.extend(temporaries(&p));
        } else if entry.file_name().to_string_lossy().starts_with(".oilcorr-") {
            found.push(p);
        }
    }
    found
}

#[test]
fn ctrl_c_while_writing_leaves_whole_files_and_no_temporaries() {
    interrupt_while_writing(&[]);
}

#[test]
fn ctrl_c_in_a_bounded_run_also_removes_the_sorted_statements() {
    interrupt_while_writing(&["--memory", "bounded"]);
}

/// Run once to completion, then again with `extra` options, interrupted once its first temporary
/// export exists: exit 130, no temporary file or folder left (the bounded run's sorted statements go
/// to `TMPDIR`, here inside the test's folder), the earlier exports whole.
fn interrupt_while_writing(extra: &[&str]) {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("many.csv", &many_statements(120_000));
    let tmp = env.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut args = vec![
        "run",
        "--statements",
        "many.csv",
        "--from",
        "2019-06-01",
        "--to",
        "2020-05-15",
        "--no-charts",
    ];
    args.extend(extra);
    ok(env.cmd(&server.url, &args).env("TMPDIR", &tmp));
    let exports = env.path("data/exports");
    let names = ["joined.csv", "events.csv", "summary.csv"];
    let whole: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(exports.join(n)).unwrap())
        .collect();

    let mut offline: Vec<&str> = args.to_vec();
    offline.push("--offline");
    let mut child = env
        .local(&offline)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while temporaries(&exports).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no temporary file appeared"
        );
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("the run ended ({status}) before writing: {err}");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "interrupted, not finished: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(temporaries(env.dir.path()), Vec::<PathBuf>::new());
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(left, Vec::<PathBuf>::new(), "left in TMPDIR");
    for (name, bytes) in names.iter().zip(&whole) {
        let now = std::fs::read(exports.join(name)).unwrap();
        assert!(now == *bytes, "{name} is not the whole file it was");
    }
}
