//! # oilcorr
//!
//! Measures how crude-oil spot prices reacted to what politicians said.
//!
//! Data flow, one folder per stage; each uses only the stages before it:
//! - [`prices`]: EIA daily spot prices from FRED, the FRED API, EIA's API, the datahub mirror or local
//!   files, behind one source trait, kept in a cache that is filled atomically.
//! - [`statements`]: validated, dated statements, and importers for real archives.
//! - [`analysis`]: day 0 per statement and series (a forward as-of join on each series' own trading
//!   calendar and close time), returns, the statistics of each statement and the tests across
//!   statements, held in one [`analysis::Study`].
//! - [`export`]: `joined.csv`, `events` and `summary`, declared column by column.
//! - [`plot`]: the timeline, event and across-event charts (PNG or SVG, fonts embedded).
//! - [`report`]: the self-contained HTML report.
//!
//! [`input_error`] and [`fsutil`] are shared by all: located one-line errors and atomic writes. The
//! command line lives in the binary (`src/cli/`), which is the only user of clap; the library prints
//! nothing.

pub mod analysis;
pub mod export;
pub mod fsutil;
#[cfg(test)]
mod fuzz_tests;
pub mod input_error;
pub mod plot;
pub mod prices;
pub mod report;
pub mod statements;
