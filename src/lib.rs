//! # oilcorr
//!
//! Measures how crude-oil spot prices reacted to what politicians said.
//!
//! Data flow: [`statements`] (validated, dated statements, and importers for real archives) and
//! [`prices`] (EIA daily spot prices from FRED, the FRED API, EIA's API, the datahub mirror or local files
//! — see [`fetch`] — kept by [`cache`]) meet in [`analysis`]: day 0 per statement and series by a forward
//! as-of join on each series' own trading calendar and close time, returns, the event statistics of each
//! statement and the tests across statements. [`export`] writes `joined.csv`, `events` and `summary`;
//! [`charts`] draws the timeline, event and across-event charts with [`plot`]. [`app`], [`run_cmd`] and
//! [`import_cmd`] wire the commands of [`cli`] together; [`config`] and [`named`] apply `oilcorr.toml`;
//! [`report`] writes the self-contained HTML report.

pub mod analysis;
pub mod app;
pub mod cache;
pub mod charts;
pub mod cli;
pub mod config;
pub mod export;
pub mod fetch;
pub mod fsutil;
pub mod import_cmd;
pub mod input_error;
pub mod named;
pub mod plot;
pub mod prices;
pub mod report;
pub mod run_cmd;
pub mod series;
pub mod statements;
pub mod summary;
