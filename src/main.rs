//! The `oilcorr` binary: parse arguments, run, print any error on one line and exit non-zero.

use clap::{CommandFactory, FromArgMatches};

fn main() {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = oilcorr::cli::Cli::command().get_matches_from(&argv);
    let cli = oilcorr::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(err) = oilcorr::app::run(cli, &matches, &argv) {
        if is_broken_pipe(&err) {
            std::process::exit(0);
        }
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
