//! From statements and price series to a [`Study`]: one result row per statement × series and the
//! tests across statements.
//!
//! [`align`] finds day 0 with a polars forward as-of join, [`returns`] computes log and simple returns,
//! [`model`] and [`stats`] the event-study statistics of one event ([`row`]), [`study`] runs them for
//! every statement and series (whole, or a batch at a time for inputs larger than memory);
//! [`events`] collapses statements sharing a day 0 into event days, the unit that [`tally`] gathers
//! and [`groups`], [`cross`], [`exact`], [`correlation`] and [`multitest`] test across statements
//! ([`day_ranks`] gives the rank test each event day's ranks), and [`caar`] gives the average path
//! around day 0. Uses [`crate::prices`] and
//! [`crate::statements`]; knows nothing of files, charts or the command line.

pub mod align;
pub mod caar;
pub mod calibrate;
pub mod conditional;
pub mod context;
pub mod correlation;
pub mod cross;
pub mod day_ranks;
pub mod events;
pub mod exact;
pub mod garch;
pub mod groups;
pub mod intraday;
pub mod intraday_cross;
pub mod intraday_path;
pub mod model;
pub mod multitest;
pub mod permutation;
pub mod placebo;
#[cfg(test)]
mod properties;
pub mod returns;
pub mod row;
#[cfg(test)]
mod scaling_tests;
pub mod stats;
pub mod study;
pub mod tally;
pub mod window;

use crate::prices::{CloseTime, PriceSeries};
use returns::Returns;

pub use align::AlignError;
pub use row::EventRow;
pub use study::{SeriesStudy, Study, StudyBatches};

/// A price series prepared for the study: prices, returns and its close time.
#[derive(Debug, Clone)]
pub struct PreparedSeries {
    /// The prices.
    pub prices: PriceSeries,
    /// Returns over consecutive trading days.
    pub returns: Returns,
    /// The daily close used for alignment.
    pub close: CloseTime,
}

impl PreparedSeries {
    /// Precompute returns of `prices`.
    pub fn new(prices: PriceSeries, close: CloseTime) -> Self {
        let returns = Returns::of_series(&prices);
        PreparedSeries {
            prices,
            returns,
            close,
        }
    }
}
