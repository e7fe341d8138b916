//! Statements in time order in bounded memory (an external merge sort), for runs too large to hold:
//! [`spill`] reads the files one statement at a time, validating each as [`super::load_with`] does,
//! and writes them in sorted runs of at most `run` statements into a temporary folder; [`Spill::merged`]
//! reads the runs back merged, in the order of [`super::chronological`] (time, then id).
//!
//! What stays in memory per statement is a 128-bit fingerprint of its id (the repeated-id check, ~30
//! bytes per statement with the hash map's overhead); everything else is bounded by `run`. A repeat
//! inside one file is confirmed by reading that file again, so its error is exactly the in-memory
//! reader's (file, both lines); a repeat across files is reported (or, with `--dedupe`, dropped) on the
//! fingerprint alone: two different ids share one with probability ~n²/2¹²⁹ (10⁻²⁶ for a million).

use super::codec::{decode, decode_time, encode, encode_time};
use super::parse::{each_statement, parse_statements, StatementsError};
use super::{chronological, Dropped, Statement, StatementTime, BUILTIN_CSV, BUILTIN_NAME};
use chrono::NaiveDate;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Statements per sorted run (~20 MB of statements in memory at a time).
pub const RUN: usize = 65_536;

/// The statements of a run, sorted into runs on disk.
#[derive(Debug)]
pub struct Spill {
    dir: tempfile::TempDir,
    runs: Vec<PathBuf>,
    /// Statements kept (after `keep` and `--dedupe`).
    pub len: usize,
    /// Dates of the earliest and latest statement read, kept or not.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Statements dropped by `--dedupe`: `(id, file)`.
    pub dropped: Dropped,
}

/// Where a statement id was seen: the first and the latest file (indexes).
type Seen = HashMap<u128, (u32, u32)>;

/// Read `paths` (the built-in corpus when empty), keep the statements for which `keep` holds and sort
/// them into runs of at most `run` statements. Errors are those of [`super::load_with`] on the same
/// input.
pub fn spill(
    paths: &[PathBuf],
    dedupe: bool,
    keep: impl Fn(&Statement) -> bool,
    run: usize,
) -> Result<Spill, StatementsError> {
    let dir = crate::fsutil::temp_folder("oilcorr-statements-").map_err(spill_error)?;
    let mut runs = Runs::new(dir.path())?;
    let mut gather = Gather {
        span: None,
        dropped: Vec::new(),
        buf: Vec::with_capacity(run.min(RUN)),
        run,
        sorter: None,
    };
    // Runs are sorted and written on a second thread while the files are read on this one.
    std::thread::scope(|scope| {
        let (to_runs, full) = std::sync::mpsc::sync_channel::<Vec<Statement>>(1);
        let runs = &mut runs;
        let writer = scope.spawn(move || full.into_iter().try_for_each(|buf| runs.write(buf)));
        gather.sorter = Some(to_runs);
        let read = read_all(paths, dedupe, &keep, &mut gather).and_then(|()| gather.finish());
        gather.sorter = None;
        let written = writer.join().expect("the statements' run writer panicked");
        written.and(read)
    })?;
    let Gather { span, dropped, .. } = gather;
    Ok(Spill {
        dir,
        len: runs.len,
        runs: runs.finish()?,
        span,
        dropped,
    })
}

/// Read every file (or the built-in corpus) into `gather`, checking ids for repeats.
fn read_all(
    paths: &[PathBuf],
    dedupe: bool,
    keep: &impl Fn(&Statement) -> bool,
    gather: &mut Gather,
) -> Result<(), StatementsError> {
    let mut seen = Seen::new();
    if paths.is_empty() {
        read_one(
            BUILTIN_CSV.as_bytes(),
            BUILTIN_NAME,
            0,
            &mut seen,
            &mut |s| match s {
                Sighting::New(s) | Sighting::Before(s, _) => gather.take(s, keep),
            },
        )?;
    }
    let origins: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    for (f, path) in paths.iter().enumerate() {
        let origin = &origins[f];
        let mut across: Option<(String, u32)> = None;
        let repeat = read_one(
            open(path, origin)?,
            origin,
            f as u32,
            &mut seen,
            &mut |s| match s {
                Sighting::New(s) => gather.take(s, keep),
                Sighting::Before(s, _) if dedupe => {
                    gather.dropped.push((s.id, origin.clone()));
                    Ok(())
                }
                Sighting::Before(s, first) => {
                    across.get_or_insert((s.id, first));
                    Ok(())
                }
            },
        )?;
        if repeat {
            // The in-memory reader's exact error (file, line of the first use and of the repeat);
            // `Ok` here means two ids only shared a fingerprint.
            parse_statements(open(path, origin)?, origin)?;
        }
        if let Some((id, first)) = across {
            return Err(StatementsError::DuplicateAcrossFiles {
                id,
                first: origins[first as usize].clone(),
                second: origin.clone(),
            });
        }
    }
    Ok(())
}

/// What reading gathers: the span of the dates, the statements dropped by `--dedupe`, and the kept
/// statements not yet handed to the run writer.
struct Gather {
    span: Option<(NaiveDate, NaiveDate)>,
    dropped: Dropped,
    buf: Vec<Statement>,
    run: usize,
    sorter: Option<std::sync::mpsc::SyncSender<Vec<Statement>>>,
}

impl Gather {
    /// Count `s` in the span and keep it when `keep` holds, handing a full run to the writer.
    fn take(&mut self, s: Statement, keep: &impl Fn(&Statement) -> bool) -> Result<(), StatementsError> {
        let d = s.time.date();
        self.span = Some(self.span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
        if keep(&s) {
            self.buf.push(s);
            if self.buf.len() >= self.run {
                let full = std::mem::replace(&mut self.buf, Vec::with_capacity(self.run.min(RUN)));
                self.send(full)?;
            }
        }
        Ok(())
    }

    /// Hand the last statements to the writer.
    fn finish(&mut self) -> Result<(), StatementsError> {
        let last = std::mem::take(&mut self.buf);
        match last.is_empty() {
            true => Ok(()),
            false => self.send(last),
        }
    }

    /// A closed channel means the writer stopped on an error, which the caller reports.
    fn send(&self, buf: Vec<Statement>) -> Result<(), StatementsError> {
        let sorter = self.sorter.as_ref().expect("a writer while reading");
        sorter
            .send(buf)
            .map_err(|_| spill_error(std::io::Error::other("the run writer stopped")))
    }
}

/// The sorted runs as they are written, and every kept statement's time ([`Spill::times`]).
struct Runs {
    dir: PathBuf,
    paths: Vec<PathBuf>,
    times: BufWriter<std::fs::File>,
    len: usize,
}

impl Runs {
    fn new(dir: &Path) -> Result<Self, StatementsError> {
        let times = std::fs::File::create(dir.join("times")).map_err(spill_error)?;
        Ok(Runs {
            dir: dir.to_path_buf(),
            paths: Vec::new(),
            times: BufWriter::with_capacity(1 << 16, times),
            len: 0,
        })
    }

    /// Sort `buf` and write it as the next run, its times to the times file.
    fn write(&mut self, buf: Vec<Statement>) -> Result<(), StatementsError> {
        let sorted = chronological(buf);
        let path = self.dir.join(format!("run-{}", self.paths.len()));
        let mut w = BufWriter::with_capacity(1 << 16, std::fs::File::create(&path).map_err(spill_error)?);
        let mut bytes = Vec::with_capacity(256);
        for s in &sorted {
            bytes.clear();
            encode(s, &mut bytes);
            w.write_all(&bytes).map_err(spill_error)?;
            bytes.clear();
            encode_time(&s.time, &mut bytes);
            self.times.write_all(&bytes).map_err(spill_error)?;
        }
        w.flush().map_err(spill_error)?;
        self.len += sorted.len();
        self.paths.push(path);
        Ok(())
    }

    /// The runs' paths, the times flushed.
    fn finish(mut self) -> Result<Vec<PathBuf>, StatementsError> {
        self.times.flush().map_err(spill_error)?;
        Ok(self.paths)
    }
}

/// A statement as read: an id not seen in an earlier file, or one first seen in file `.1`.
enum Sighting {
    New(Statement),
    Before(Statement, u32),
}

/// Read one file (index `f`) into `take`; returns whether an id repeats within the file.
fn read_one(
    reader: impl Read,
    origin: &str,
    f: u32,
    seen: &mut Seen,
    take: &mut dyn FnMut(Sighting) -> Result<(), StatementsError>,
) -> Result<bool, StatementsError> {
    let mut repeat = false;
    each_statement(reader, origin, |s, _| {
        let sighting = match seen.entry(fingerprint(&s.id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((f, f));
                Sighting::New(s)
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let (first, latest) = *o.get();
                repeat |= latest == f;
                o.get_mut().1 = f;
                match first == f {
                    true => Sighting::New(s),
                    false => Sighting::Before(s, first),
                }
            }
        };
        take(sighting)
    })?;
    Ok(repeat)
}

fn open(path: &Path, origin: &str) -> Result<BufReader<std::fs::File>, StatementsError> {
    std::fs::File::open(path)
        .map(|f| BufReader::with_capacity(1 << 16, f))
        .map_err(|source| StatementsError::Io {
            path: origin.to_string(),
            source,
        })
}

fn spill_error(source: std::io::Error) -> StatementsError {
    StatementsError::Spill { source }
}

/// A 128-bit fingerprint of an id: two SipHash-1-3 digests under different prefixes.
fn fingerprint(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish() as u128
    };
    half(0) << 64 | half(1)
}

impl Spill {
    /// The kept statements' times, in no particular order (a pass that needs only the times reads 13
    /// bytes per statement instead of the statements).
    pub fn times(&self) -> std::io::Result<impl Iterator<Item = std::io::Result<StatementTime>>> {
        let mut r = BufReader::with_capacity(1 << 16, std::fs::File::open(self.dir.path().join("times"))?);
        Ok(std::iter::from_fn(move || decode_time(&mut r).transpose()))
    }

    /// The kept statements, merged from the runs in time order (then id).
    pub fn merged(&self) -> std::io::Result<Merged> {
        let mut readers = Vec::with_capacity(self.runs.len());
        let mut heap = BinaryHeap::with_capacity(self.runs.len());
        for (k, path) in self.runs.iter().enumerate() {
            let mut r = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
            if let Some(s) = decode(&mut r)? {
                heap.push(Head::new(s, k));
            }
            readers.push(r);
        }
        Ok(Merged { readers, heap })
    }
}

/// The statements of every run in order: a k-way merge holding one statement per run.
pub struct Merged {
    readers: Vec<BufReader<std::fs::File>>,
    heap: BinaryHeap<Head>,
}

impl Iterator for Merged {
    type Item = std::io::Result<Statement>;

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.heap.pop()?;
        match decode(&mut self.readers[head.run]) {
            Ok(Some(s)) => self.heap.push(Head::new(s, head.run)),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        Some(Ok(head.statement))
    }
}

/// The next statement of run `run`, ordered so that the heap pops the earliest (time, then id).
struct Head {
    key: (NaiveDate, Option<chrono::NaiveTime>),
    statement: Statement,
    run: usize,
}

impl Head {
    fn new(statement: Statement, run: usize) -> Self {
        Head {
            key: statement.time.sort_key(),
            statement,
            run,
        }
    }

    fn order(&self, other: &Self) -> std::cmp::Ordering {
        (self.key, &self.statement.id, self.run).cmp(&(other.key, &other.statement.id, other.run))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.order(other).is_eq()
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    /// Reversed: [`BinaryHeap`] pops its greatest element.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.order(self)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::statements::Stance;
    use chrono::TimeZone;

    /// Statements with every field kind: instants with nanoseconds, dates, ties in time broken by id,
    /// tags, links, stances and non-ASCII text.
    pub(in crate::statements) fn sample(n: usize) -> Vec<Statement> {
        (0..n)
            .map(|i| {
                let k = (i * 7919) % n;
                let time = match k % 4 {
                    0 => StatementTime::Date(NaiveDate::from_ymd_opt(2020, 1, 1 + (k % 28) as u32).unwrap()),
                    _ => StatementTime::Instant(
                        chrono::Utc
                            .timestamp_opt(1_580_000_000 + (k as i64 % 50) * 3600, (k % 3) as u32 * 7)
                            .unwrap(),
                    ),
                };
                let mut s = Statement::new(
                    format!("id{k:04}"),
                    time,
                    format!("Спикер {}", k % 3),
                    "text, \"q\"",
                );
                s.tags = (0..k % 3).map(|t| format!("tag{t}")).collect();
                s.url = k.is_multiple_of(2).then(|| format!("https://example.org/{k}"));
                s.stance = [None, Some(Stance::Up), Some(Stance::Down)][k % 3];
                s
            })
            .collect()
    }

    /// `statements` written as a statements file in `dir` and read back (times to the second, as the
    /// file holds them).
    fn file(dir: &Path, statements: &[Statement]) -> (PathBuf, Vec<Statement>) {
        let path = dir.join("s.csv");
        let bytes = super::super::write::to_csv(statements);
        std::fs::write(&path, &bytes).unwrap();
        (path, parse_statements(bytes.as_slice(), "s.csv").unwrap())
    }

    #[test]
    fn runs_merge_back_into_the_chronological_order_with_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let (path, statements) = file(dir.path(), &sample(500));
        for run in [1, 7, 64, 500, 10_000] {
            let spilled = spill(std::slice::from_ref(&path), false, |_| true, run).unwrap();
            assert_eq!(spilled.len, 500);
            let merged: Vec<Statement> = spilled.merged().unwrap().map(Result::unwrap).collect();
            assert_eq!(merged, chronological(statements.clone()), "runs of {run}");
            let mut times: Vec<StatementTime> = spilled.times().unwrap().map(Result::unwrap).collect();
            let mut want: Vec<StatementTime> = statements.iter().map(|s| s.time).collect();
            times.sort_by_key(|t| t.sort_key());
            want.sort_by_key(|t| t.sort_key());
            assert_eq!(times, want);
        }
    }

    #[test]
    fn the_kept_filter_and_the_span_are_those_of_all_statements_read() {
        let dir = tempfile::tempdir().unwrap();
        let (path, statements) = file(dir.path(), &sample(100));
        let keep = |s: &Statement| s.stance == Some(Stance::Up);
        let spilled = spill(std::slice::from_ref(&path), false, keep, 9).unwrap();
        let merged: Vec<Statement> = spilled.merged().unwrap().map(Result::unwrap).collect();
        let want: Vec<Statement> = chronological(statements.iter().filter(|s| keep(s)).cloned().collect());
        assert_eq!(merged, want);
        let dates: Vec<NaiveDate> = statements.iter().map(|s| s.time.date()).collect();
        let span = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
        assert_eq!(spilled.span, Some(span));
    }
}
