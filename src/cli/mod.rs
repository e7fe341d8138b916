//! The front end: the only code that knows clap. [`args`] defines the command line, [`settings`]
//! turns it into library values once, [`config`] and [`named`] apply `oilcorr.toml`, and there is one
//! file per command ([`run`], [`fetch`], [`import`], [`calibrate`]), with [`acquire`] getting prices for both `run`
//! and `fetch` and [`table`] printing `run`'s table. It may use the whole library; the library never
//! uses it. Errors get context here (anyhow) and are printed on one line by `main`.

pub mod acquire;
pub mod args;
pub mod calibrate;
pub mod choices;
pub mod config;
pub mod fetch;
pub mod import;
pub mod named;
pub mod run;
pub mod settings;
pub mod table;

use anyhow::{Context, Result};
use args::{Cli, Command, StatementsCommand};

/// Run the command line: `cli` parsed from `matches`, which came from `argv` (program name first).
/// `oilcorr run` may stand for several runs once the config file is applied (see [`named`]).
pub fn dispatch(cli: Cli, matches: &clap::ArgMatches, argv: &[std::ffi::OsString]) -> Result<()> {
    match cli.command {
        Command::Fetch(a) => fetch::run(a),
        Command::Run(a) => {
            let m = matches.subcommand_matches("run").context("run matches")?;
            for job in named::resolve(*a, m, argv)? {
                match &job.name {
                    Some(name) => {
                        eprintln!("== analysis {name}");
                        run::run(job.args).with_context(|| format!("analysis {name}"))?;
                    }
                    None => run::run(job.args)?,
                }
            }
            Ok(())
        }
        Command::Statements(StatementsCommand::Import(a)) => import::run(a),
        Command::Calibrate(a) => calibrate::run(*a, argv),
    }
}
