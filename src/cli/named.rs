//! Which runs `oilcorr run` stands for once the config file is applied: plain, `--analysis NAME` or
//! `--all`, each with the file's settings under the flags the user typed.
//!
//! The file's settings become arguments (see [`super::config`]); options the user set on the command
//! line or through an environment variable are left out of them, and the user's own arguments follow,
//! so clap parses one command line per analysis exactly as if it had been typed.
//!
//! With a config file, `data-dir` and `charts-dir` default to `data/` and `charts/` beside the file;
//! a named analysis writes its charts to `charts/NAME/` and its exports to `DATA_DIR/exports/NAME/` unless
//! the file or the command line says otherwise, so analyses never overwrite each other's results.

use super::args::{Cli, Command, RunArgs};
use super::config::{Config, DEFAULT_FILE};
use anyhow::{Context, Result};
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One run to carry out.
#[derive(Debug)]
pub struct Job {
    /// The analysis' name, or `None` for a plain run.
    pub name: Option<String>,
    /// Its options.
    pub args: RunArgs,
}

/// The runs for `oilcorr run` given its parsed options `a`, its matches `m` and the whole command
/// line `argv` (program name first).
pub fn resolve(a: RunArgs, m: &ArgMatches, argv: &[OsString]) -> Result<Vec<Job>> {
    let path = match &a.config {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
    };
    let Some(path) = path else {
        if a.all || a.analysis.is_some() {
            super::usage!("--analysis and --all need a config file: there is no ./{DEFAULT_FILE} (or give --config FILE)");
        }
        return Ok(vec![Job { name: None, args: a }]);
    };
    let run = run_command();
    let config = Config::load(&path, &run)?;
    let names: Vec<Option<String>> = if a.all {
        config.names().into_iter().map(|n| Some(n.to_string())).collect()
    } else {
        vec![a.analysis.clone()]
    };
    if names.is_empty() {
        super::usage!("{}: --all found no [analysis.NAME] tables", path.display());
    }
    let explicit = |id: &str| {
        matches!(
            m.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    let user = user_args(argv);
    names
        .into_iter()
        .map(|name| {
            let args = config.args_for(name.as_deref(), &explicit)?;
            let job = job(&config, name, args, user)
                .with_context(|| format!("applying {} to the command line", path.display()))?;
            Ok(job)
        })
        .collect()
}

/// The `oilcorr run` command definition.
pub fn run_command() -> clap::Command {
    Cli::command()
        .find_subcommand("run")
        .expect("the CLI defines `run`")
        .clone()
}

/// The user's arguments after `run`.
fn user_args(argv: &[OsString]) -> &[OsString] {
    let at = argv
        .iter()
        .skip(1)
        .position(|a| a == "run")
        .map_or(argv.len(), |i| i + 2);
    argv.get(at..).unwrap_or(&[])
}

fn job(config: &Config, name: Option<String>, from_file: Vec<OsString>, user: &[OsString]) -> Result<Job> {
    let argv: Vec<OsString> = ["oilcorr", "run"]
        .into_iter()
        .map(OsString::from)
        .chain(from_file)
        .chain(user.iter().cloned())
        .collect();
    let matches = Cli::command().try_get_matches_from(argv)?;
    let Command::Run(args) = Cli::from_arg_matches(&matches)?.command else {
        unreachable!("the command line starts with `run`")
    };
    let mut args = *args;
    let m = matches.subcommand_matches("run").expect("run matches");
    let defaulted = |id: &str| m.value_source(id) == Some(ValueSource::DefaultValue);
    if defaulted("data_dir") {
        args.prices.data_dir = config.base.join("data");
    }
    if defaulted("charts_dir") {
        args.charts_dir = named_dir(&config.base.join("charts"), name.as_deref());
    }
    args.analysis.clone_from(&name);
    if let (Some(n), None) = (&name, &args.exports_dir) {
        args.exports_dir = Some(args.prices.data_dir.join("exports").join(n));
    }
    Ok(Job { name, args })
}

fn named_dir(dir: &Path, name: Option<&str>) -> PathBuf {
    name.map_or_else(|| dir.to_path_buf(), |n| dir.join(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_args_are_those_after_run() {
        let argv: Vec<OsString> = ["oilcorr", "run", "--all", "--offline"]
            .map(OsString::from)
            .to_vec();
        assert_eq!(user_args(&argv), &argv[2..]);
        let none: Vec<OsString> = ["oilcorr", "run"].map(OsString::from).to_vec();
        assert!(user_args(&none).is_empty());
    }
}
