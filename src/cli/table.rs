//! What `oilcorr run` prints on stdout: the short table (one line per statement × series) and the
//! stance answer. A reader that closes stdout early (`| head`) ends the printing, not the run.

use oilcorr::analysis::groups::{GroupKey, SummaryRow};
use oilcorr::analysis::window::Window;
use oilcorr::analysis::{EventRow, Study};
use oilcorr::statements::Statement;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{:+.2}%", v * 100.0))
}

fn t(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:+.2}"))
}

/// Rows printed in full; above this, the table shows the [`SHOWN`] rows with the largest |CAR t|.
pub const FULL_TABLE: usize = 200;
/// Rows shown when the table is cut.
pub const SHOWN: usize = 50;

/// The short table, gathered one batch of rows at a time: every row's line while there are at most
/// [`FULL_TABLE`] rows, and always the [`SHOWN`] rows with the largest |CAR t| (ties to the earlier
/// row), so a million-statement run formats ~50 lines, not two million (a terminal is no place for
/// 120,000 lines; joined.csv has every row).
pub struct TableAcc {
    car: String,
    rows: usize,
    all: Vec<String>,
    top: BinaryHeap<Reverse<Candidate>>,
}

/// A row that may be shown: |CAR t|, its place, its line.
struct Candidate {
    t: f64,
    at: usize,
    line: String,
}

impl Candidate {
    /// Larger |t| first, then the earlier row.
    fn rank(&self, other: &Self) -> std::cmp::Ordering {
        self.t.total_cmp(&other.t).then(other.at.cmp(&self.at))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other).is_eq()
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank(other)
    }
}

impl TableAcc {
    /// An empty table whose CAR column is `window`.
    pub fn new(window: Window) -> Self {
        TableAcc {
            car: format!("CAR{window}"),
            rows: 0,
            all: Vec::new(),
            top: BinaryHeap::new(),
        }
    }

    /// Add the rows of `batch`, statement-major.
    pub fn add(&mut self, batch: &Study) {
        for r in batch.rows() {
            self.add_row(&batch.statements[r.statement], r);
        }
    }

    /// Add the row `r` of statement `s` after those added before.
    fn add_row(&mut self, s: &Statement, r: &EventRow) {
        let at = self.rows;
        self.rows += 1;
        if self.rows <= FULL_TABLE {
            self.all.push(line(s, r));
        } else if !self.all.is_empty() {
            self.all = Vec::new();
        }
        let Some(t) = r.stats.car().map(|c| c.t.abs()) else {
            return;
        };
        let candidate = Candidate {
            t,
            at,
            line: String::new(),
        };
        let full = self.top.len() == SHOWN;
        if full && self.top.peek().is_some_and(|w| w.0.rank(&candidate).is_ge()) {
            return;
        }
        self.top.push(Reverse(Candidate {
            line: line(s, r),
            ..candidate
        }));
        if full {
            self.top.pop();
        }
    }

    /// The table as text.
    pub fn text(self) -> String {
        let car = &self.car;
        let mut out = format!(
            "{:<22} {:<6} {:<10} {:>9} {:>9} {:>7} {:>9} {:>7}\n",
            "statement", "series", "day 0", "return", "AR", "t", car, "t"
        );
        let lines = match self.rows <= FULL_TABLE {
            true => self.all,
            false => {
                let mut top: Vec<Candidate> = self.top.into_iter().map(|c| c.0).collect();
                top.sort_by_key(|c| c.at);
                out = format!(
                    "{} of {} rows, those with the largest |{car} t| (every row is in joined.csv):\n{out}",
                    top.len(),
                    self.rows
                );
                top.into_iter().map(|c| c.line).collect()
            }
        };
        lines.iter().for_each(|l| out.push_str(l));
        out
    }
}

/// One row's line.
fn line(s: &Statement, r: &EventRow) -> String {
    let id: String = s.id.chars().take(22).collect();
    format!(
        "{:<22} {:<6} {:<10} {:>9} {:>9} {:>7} {:>9} {:>7}\n",
        id,
        r.series.key(),
        r.event_date.map_or("-".to_string(), |d| d.to_string()),
        pct(r.simple_return),
        pct(r.stats.ar0.map(|a| a.value)),
        t(r.stats.ar0.map(|a| a.t)),
        pct(r.stats.car().map(|c| c.value)),
        t(r.stats.car().map(|c| c.t)),
    )
}

/// Format the table of `study` as text.
pub fn table(study: &Study) -> String {
    let mut acc = TableAcc::new(study.params.car());
    acc.add(study);
    acc.text()
}

/// Print the table of `study` to stdout, or to stderr when stdout carries a JSON result.
pub fn print(study: &Study, to_stderr: bool) -> std::io::Result<()> {
    if to_stderr {
        eprint!("{}", table(study));
        return Ok(());
    }
    print_text(&table(study))
}

/// Print `text` to stdout; a closed stdout (`| head`) is not an error: the run goes on to write its
/// files.
pub fn print_text(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `p=0.012`, or `p<0.001` below the last digit shown (`digits` decimals): no `p=0.000`.
fn p_text(p: f64, digits: usize) -> String {
    let floor = 10f64.powi(-(digits as i32));
    if p < floor {
        format!("p<{floor:.digits$}")
    } else {
        format!("p={p:.digits$}")
    }
}

/// One line per series: the "all" group's stance answer for the headline window.
pub fn stance_lines(summary: &[SummaryRow], window: Window) -> String {
    let mut out = String::new();
    for r in summary
        .iter()
        .filter(|r| r.group == GroupKey::All && r.window == window)
    {
        let st = &r.stance;
        if st.n == 0 {
            continue;
        }
        let corr = |name: &str, c: Option<oilcorr::analysis::correlation::Interval>| {
            c.map_or(format!("{name} n/a"), |c| {
                format!(
                    "{name} {:+.2} [{:+.2}, {:+.2}], {}",
                    c.r,
                    c.lo,
                    c.hi,
                    p_text(c.p, 3)
                )
            })
        };
        let split = match r.split_days.len() {
            0 => String::new(),
            k => format!(", {k} left out: statements push both ways"),
        };
        let placebo = r
            .placebo
            .hits
            .map_or(String::new(), |p| format!(", placebo {}", p_text(p, 3)));
        out.push_str(&format!(
            "{} CAR{window}: {} of {} event days with a stance ({} statements{split}) moved the way they pushed ({:.0}%, exact binomial {}{placebo}); {}; {}\n",
            r.series.label(),
            st.hits,
            st.n,
            r.stance_statements,
            100.0 * st.hits as f64 / st.n as f64,
            p_text(st.hit_p.unwrap_or(1.0), 4),
            corr("Pearson r", st.pearson),
            corr("Spearman rho", st.spearman),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oilcorr::analysis::stats::{EventStats, Tested, WindowStats};
    use oilcorr::prices::series::SeriesId;

    fn row(statement: usize, t: f64) -> EventRow {
        let car = Tested {
            value: 0.01,
            t,
            p: 0.5,
        };
        let mut r = EventRow::empty(statement, SeriesId::Brent, 1);
        r.day0 = Some(statement + 1);
        r.stats = std::sync::Arc::new(EventStats {
            windows: vec![Some(WindowStats {
                window: Window::new(0, 1),
                plain: car,
                adjusted: car,
                p_boot: None,
                pctl: None,
            })],
            ..Default::default()
        });
        r
    }

    #[test]
    fn p_values_never_print_as_zero() {
        assert_eq!(p_text(0.0004, 3), "p<0.001");
        assert_eq!(p_text(0.0123, 3), "p=0.012");
        assert_eq!(p_text(0.00001, 4), "p<0.0001");
        assert_eq!(p_text(1.0, 4), "p=1.0000");
    }

    /// The statement numbers in `table`'s lines (ids `s0`, `s1`, ...).
    fn numbers(table: &str) -> Vec<usize> {
        table
            .lines()
            .filter_map(|l| l.strip_prefix('s')?.split(' ').next()?.parse().ok())
            .collect()
    }

    fn table_of(rows: &[EventRow]) -> String {
        let mut acc = TableAcc::new(Window::new(0, 1));
        for r in rows {
            let s = Statement::new(
                format!("s{}", r.statement),
                oilcorr::statements::StatementTime::Date(chrono::NaiveDate::MIN),
                "x",
                "t",
            );
            acc.add_row(&s, r);
        }
        acc.text()
    }

    #[test]
    fn small_runs_print_every_row() {
        let rows: Vec<EventRow> = (0..FULL_TABLE).map(|i| row(i, 1.0)).collect();
        let table = table_of(&rows);
        assert_eq!(numbers(&table), (0..FULL_TABLE).collect::<Vec<_>>());
        assert!(!table.contains("rows, those with"));
    }

    #[test]
    fn large_runs_print_the_largest_car_t_in_their_order() {
        // |t| = 0, 1, ..., 299 with alternating signs: the 50 largest are statements 250..299.
        let rows: Vec<EventRow> = (0..300)
            .map(|i| row(i, if i % 2 == 0 { i as f64 } else { -(i as f64) }))
            .collect();
        let table = table_of(&rows);
        assert_eq!(numbers(&table), (250..300).collect::<Vec<_>>());
        assert!(table.starts_with("50 of 300 rows, those with the largest |CAR[0,1] t|"));
        // Reversed order: the same 50, still printed in row order.
        let mut rev = rows.clone();
        rev.reverse();
        rev.iter_mut().enumerate().for_each(|(i, r)| r.statement = i);
        assert_eq!(numbers(&table_of(&rev)), (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn ties_in_car_t_go_to_the_earlier_row() {
        // 260 rows with |t| = 2 but for four at 1: the first 50 of the |t| = 2 rows.
        let rows: Vec<EventRow> = (0..260)
            .map(|i| row(i, if [3, 7, 11, 100].contains(&i) { 1.0 } else { -2.0 }))
            .collect();
        let want: Vec<usize> = (0..260).filter(|i| ![3, 7, 11].contains(i)).take(50).collect();
        assert_eq!(numbers(&table_of(&rows)), want);
    }
}
