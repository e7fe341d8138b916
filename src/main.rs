//! The `oilcorr` binary: the front end ([`cli`]) over the library. Parse arguments, run, print any
//! error on one line and exit non-zero.

mod cli;

use clap::{CommandFactory, FromArgMatches};

fn main() {
    // Ctrl-C: remove the temporary files of outputs not yet in place, then stop (128 + SIGINT).
    let _ = ctrlc::set_handler(|| oilcorr::fsutil::remove_pending_and_exit(130));
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = cli::args::Cli::command().get_matches_from(&argv);
    let parsed = cli::args::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(err) = cli::dispatch(parsed, &matches, &argv) {
        if is_broken_pipe(&err) {
            std::process::exit(0);
        }
        eprintln!("error: {err:#}");
        std::process::exit(cli::exit_code(&err));
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
