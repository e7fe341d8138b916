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
pub mod drawn;
pub mod fetch;
pub mod import;
pub mod intraday;
pub mod intraday_load;
pub mod manifest;
pub mod named;
pub mod result;
pub mod run;
pub mod settings;
pub mod streamed;
pub mod table;

use anyhow::{Context, Result};

/// A command line that cannot run as given (conflicting or out-of-range options): exit code 2, like
/// clap's own usage errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Return early with a [`UsageError`].
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::cli::UsageError(format!($($arg)*)).into())
    };
}
pub(crate) use usage;

use oilcorr::prices::error::FetchError;

/// Bad input from a local file (not a download).
fn local(i: &oilcorr::input_error::InputError) -> bool {
    !i.origin.contains("://")
}

/// A fetch that failed on a local file's content.
fn fetch_input(e: Option<&FetchError>) -> bool {
    matches!(e, Some(FetchError::Parse(i)) if local(i))
}

/// The exit code of a failed run: 2 when the input was at fault (the command line, a config, a
/// statements or archive file, a local price file), 1 for everything else (network, disk, a source
/// sending bad data).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    let input = err.chain().any(|e| {
        e.is::<UsageError>()
            || e.is::<config::ConfigError>()
            || e.downcast_ref::<oilcorr::statements::StatementsError>()
                .is_some_and(|s| !matches!(s, oilcorr::statements::StatementsError::Spill { .. }))
            || e.is::<oilcorr::statements::import::ImportError>()
            || e.downcast_ref::<oilcorr::input_error::InputError>()
                .is_some_and(local)
            || fetch_input(e.downcast_ref::<FetchError>())
            || fetch_input(e.downcast_ref::<Box<FetchError>>().map(AsRef::as_ref))
    });
    if input {
        2
    } else {
        1
    }
}
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
        Command::Intraday(a) => intraday::run(*a),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "oilcorr",
                &mut out,
            );
            table::print_text(&String::from_utf8_lossy(&out)).context("writing to stdout")
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .context("rendering the manual page")?;
            table::print_text(&String::from_utf8_lossy(&out)).context("writing to stdout")
        }
    }
}
