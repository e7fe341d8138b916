//! The short table `oilcorr run` prints: one line per statement × series.

use crate::analysis::stats::StudyParams;
use crate::analysis::EventRow;
use crate::statements::Statement;

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{:+.2}%", v * 100.0))
}

fn t(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:+.2}"))
}

/// Format the table as text.
pub fn table(statements: &[Statement], rows: &[EventRow], params: &StudyParams) -> String {
    let car = format!("CAR{}", params.car());
    let mut out = format!(
        "{:<22} {:<6} {:<10} {:>9} {:>9} {:>7} {:>9} {:>7}\n",
        "statement", "series", "day 0", "return", "AR", "t", car, "t"
    );
    for r in rows {
        let s = &statements[r.statement];
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

/// Print the table to stdout.
pub fn print(statements: &[Statement], rows: &[EventRow], params: &StudyParams) {
    print!("{}", table(statements, rows, params));
}

/// One line per series: the "all" group's stance answer for the headline window.
pub fn stance_lines(
    summary: &[crate::analysis::groups::SummaryRow],
    window: crate::analysis::window::Window,
) -> String {
    let mut out = String::new();
    for r in summary.iter().filter(|r| r.group == "all" && r.window == window) {
        let st = &r.stance;
        if st.n == 0 {
            continue;
        }
        let corr = |name: &str, c: Option<crate::analysis::correlation::Interval>| {
            c.map_or(format!("{name} n/a"), |c| {
                format!("{name} {:+.2} [{:+.2}, {:+.2}], p={:.3}", c.r, c.lo, c.hi, c.p)
            })
        };
        out.push_str(&format!(
            "{} CAR{window}: {} of {} statements with a stance moved the way they pushed ({:.0}%, binomial p={:.4}); {}; {}\n",
            r.series.label(),
            st.hits,
            st.n,
            100.0 * st.hits as f64 / st.n as f64,
            st.hit_p.unwrap_or(1.0),
            corr("Pearson r", st.pearson),
            corr("Spearman rho", st.spearman),
        ));
    }
    out
}
