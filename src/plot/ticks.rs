//! Calendar-aligned date ticks for any span from a few days to decades.
//!
//! The step is the smallest of 1 day, 2 days, 1 week, 2 weeks, 1, 2, 3 or 6 months, 1, 2, 5, 10 or 20
//! years that gives at most `max_ticks` ticks; ticks fall on calendar boundaries (Mondays, month starts,
//! year starts) and are labelled to match (`2 Apr 2020`, `Apr 2020`, `2020`).

use chrono::{Datelike, Duration, Months, NaiveDate};

#[derive(Debug, Clone, Copy)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(u32),
    Years(i32),
}

const STEPS: [Step; 13] = [
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
];

/// Tick dates within `[from, to]` with their labels.
pub fn date_ticks(from: NaiveDate, to: NaiveDate, max_ticks: usize) -> Vec<(NaiveDate, String)> {
    for step in STEPS {
        let ticks = ticks_for(step, from, to);
        if ticks.len() <= max_ticks.max(2) {
            return ticks.into_iter().map(|d| (d, label(step, d))).collect();
        }
    }
    let ticks = ticks_for(Step::Years(50), from, to);
    ticks.into_iter().map(|d| (d, d.year().to_string())).collect()
}

fn ticks_for(step: Step, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = first(step, from);
    while d <= to {
        if d >= from {
            out.push(d);
        }
        d = match step {
            Step::Days(n) => d + Duration::days(n),
            Step::Weeks(n) => d + Duration::weeks(n),
            Step::Months(n) => d + Months::new(n),
            Step::Years(n) => NaiveDate::from_ymd_opt(d.year() + n, 1, 1).expect("valid year"),
        };
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

fn first(step: Step, from: NaiveDate) -> NaiveDate {
    match step {
        Step::Days(_) => from,
        Step::Weeks(_) => from - Duration::days(from.weekday().num_days_from_monday() as i64),
        Step::Months(n) => {
            let m0 = from.month0() - from.month0() % n;
            NaiveDate::from_ymd_opt(from.year(), m0 + 1, 1).expect("valid month")
        }
        Step::Years(n) => {
            let y = from.year() - from.year().rem_euclid(n);
            NaiveDate::from_ymd_opt(y, 1, 1).expect("valid year")
        }
    }
}

fn label(step: Step, d: NaiveDate) -> String {
    match step {
        Step::Days(_) | Step::Weeks(_) => d.format("%-d %b %Y").to_string(),
        Step::Months(_) => d.format("%b %Y").to_string(),
        Step::Years(_) => d.year().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn three_months_get_month_or_fortnight_ticks() {
        let t = date_ticks(d("2020-03-01"), d("2020-05-31"), 10);
        assert!(t.len() >= 3 && t.len() <= 10, "{t:?}");
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn forty_years_get_year_ticks() {
        let t = date_ticks(d("1986-01-02"), d("2026-08-18"), 10);
        assert_eq!(t[0].1, "1990");
        assert!(t.len() <= 10);
        assert!(t.iter().all(|(d, _)| d.month() == 1 && d.day() == 1));
    }

    #[test]
    fn two_weeks_get_daily_or_two_day_ticks() {
        let t = date_ticks(d("2020-04-01"), d("2020-04-14"), 8);
        assert!(t.len() >= 4 && t.len() <= 8, "{t:?}");
    }
}
