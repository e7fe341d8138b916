//! Integration tests: the `oilcorr` binary against an in-process loopback server serving fixture
//! bodies (no network beyond 127.0.0.1).

mod bounded;
mod cache;
mod faults;
mod fixtures;
mod formats;
mod futures;
mod hostile;
mod import;
mod interrupt;
mod intraday;
mod matrix;
mod named;
mod outputs;
mod pipeline;
mod reference;
mod report;
mod server;
mod sources;
mod statistics;
mod util;
