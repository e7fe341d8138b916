//! What `oilcorr run` prints on stdout: the short table (one line per statement × series) and the
//! stance answer. A reader that closes stdout early (`| head`) ends the printing, not the run.

use oilcorr::analysis::groups::{GroupKey, SummaryRow};
use oilcorr::analysis::window::Window;
use oilcorr::analysis::{EventRow, Study};
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

/// The rows to print, in their original order: all of them, or for a large run the [`SHOWN`] with the
/// largest |CAR t| (a terminal is no place for 120,000 lines; joined.csv has every row).
fn shown<'r>(rows: &[&'r EventRow]) -> Vec<&'r EventRow> {
    if rows.len() <= FULL_TABLE {
        return rows.to_vec();
    }
    let mut by_t: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.stats.car()?.t.abs())))
        .collect();
    by_t.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut keep: Vec<usize> = by_t.into_iter().take(SHOWN).map(|(i, _)| i).collect();
    keep.sort_unstable();
    keep.into_iter().map(|i| rows[i]).collect()
}

/// Format the table of `study` as text.
pub fn table(study: &Study) -> String {
    let car = format!("CAR{}", study.params.car());
    let rows: Vec<&EventRow> = study.rows().collect();
    let mut out = format!(
        "{:<22} {:<6} {:<10} {:>9} {:>9} {:>7} {:>9} {:>7}\n",
        "statement", "series", "day 0", "return", "AR", "t", car, "t"
    );
    let shown = shown(&rows);
    if shown.len() < rows.len() {
        out = format!(
            "{} of {} rows, those with the largest |{car} t| (every row is in joined.csv):\n{out}",
            shown.len(),
            rows.len()
        );
    }
    for r in shown {
        let s = &study.statements[r.statement];
        let id: String = s.id.chars().take(22).collect();
        out.push_str(&format!(
            "{:<22} {:<6} {:<10} {:>9} {:>9} {:>7} {:>9} {:>7}\n",
            id,
            r.series.key(),
            r.event_date.map_or("-".to_string(), |d| d.to_string()),
            pct(r.simple_return),
            pct(r.stats.ar0.map(|a| a.value)),
            t(r.stats.ar0.map(|a| a.t)),
            pct(r.stats.car().map(|c| c.value)),
            t(r.stats.car().map(|c| c.t)),
        ));
    }
    out
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

    #[test]
    fn small_runs_print_every_row() {
        let rows: Vec<EventRow> = (0..FULL_TABLE).map(|i| row(i, 1.0)).collect();
        let refs: Vec<&EventRow> = rows.iter().collect();
        assert_eq!(shown(&refs).len(), FULL_TABLE);
    }

    #[test]
    fn large_runs_print_the_largest_car_t_in_their_order() {
        // |t| = 0, 1, ..., 299 with alternating signs: the 50 largest are statements 250..299.
        let rows: Vec<EventRow> = (0..300)
            .map(|i| row(i, if i % 2 == 0 { i as f64 } else { -(i as f64) }))
            .collect();
        let refs: Vec<&EventRow> = rows.iter().collect();
        let picked: Vec<usize> = shown(&refs).iter().map(|r| r.statement).collect();
        assert_eq!(picked, (250..300).collect::<Vec<_>>());
    }
}
