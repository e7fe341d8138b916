//! # oilcorr
//!
//! Measures how crude-oil spot prices reacted to what politicians said.
//!
//! Data flow: [`statements`] (validated, dated statements) and [`prices`] (EIA daily spot prices via
//! FRED, cached by [`cache`]) meet in [`analysis`]: day 0 per statement and series by a forward as-of
//! join on each series' own trading calendar and close time, returns, and mean-adjusted event-study
//! statistics. [`export`] writes `joined.csv`; [`charts`] draws the timeline and event charts with
//! [`plot`]. [`app`] wires the commands of [`cli`] together.

pub mod analysis;
pub mod app;
pub mod cache;
pub mod charts;
pub mod cli;
pub mod export;
pub mod fetch;
pub mod fsutil;
pub mod import_cmd;
pub mod input_error;
pub mod plot;
pub mod prices;
pub mod series;
pub mod statements;
pub mod summary;
