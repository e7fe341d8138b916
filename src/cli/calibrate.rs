//! `oilcorr calibrate`: prepare the study as `run` would, measure every test's size under each null
//! ([`oilcorr::analysis::calibrate`]) and write the Markdown report.

use super::args::CalibrateArgs;
use anyhow::{Context, Result};
use oilcorr::analysis::calibrate::{calibrate, Null};
use oilcorr::analysis::events::event_days;
use oilcorr::report::calibration::{markdown, Setting};
use std::ffi::OsString;
use std::path::Path;

/// Nominal level of every test in the report.
const LEVEL: f64 = 0.05;

/// Run the calibration and write its report.
pub fn run(args: CalibrateArgs, argv: &[OsString]) -> Result<()> {
    let (reps, output) = (args.reps, args.output.clone());
    let prep = super::run::prepare(args.run)?;
    let study = &prep.study;
    let seed = prep.args.seed;
    let results: Vec<_> = Null::all()
        .into_iter()
        .map(|null| {
            let started = std::time::Instant::now();
            let c = calibrate(study, null, reps, seed, LEVEL);
            eprintln!(
                "{}: {reps} replicates in {:.1} s",
                null.describe(),
                started.elapsed().as_secs_f64()
            );
            c
        })
        .collect();
    let days: Vec<String> = study
        .series
        .iter()
        .map(|s| format!("{} {}", s.id().label(), event_days(s.rows.iter()).len()))
        .collect();
    let p = &study.params;
    let windows: Vec<String> = p.windows.iter().map(ToString::to_string).collect();
    let setting = Setting {
        command: command_line(argv),
        series: study.series.iter().map(|s| s.id().label().to_string()).collect(),
        corpus: format!(
            "{} statements; event days: {}; model `{}`, variance `{}`, estimation window {}, CAR windows {}, seed {seed}. \
             Prices: {}.",
            study.statements.len(),
            days.join(", "),
            p.model.name(),
            p.variance.name(),
            p.estimation,
            windows.join(" "),
            prep.price_lines().join("; ")
        ),
    };
    write(&output, &markdown(&setting, &results))
}

/// The command as typed, program name shortened to `oilcorr`.
fn command_line(argv: &[OsString]) -> String {
    std::iter::once("oilcorr".to_string())
        .chain(argv.iter().skip(1).map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(path: &Path, text: &str) -> Result<()> {
    if path.as_os_str() == "-" {
        return super::table::print_text(text).context("writing the report to stdout");
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    oilcorr::fsutil::write_atomic(path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
