//! The `oilcorr` binary: parse arguments, run, print any error on one line and exit non-zero.

use clap::Parser;

fn main() {
    let cli = oilcorr::cli::Cli::parse();
    if let Err(err) = oilcorr::app::run(cli) {
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
