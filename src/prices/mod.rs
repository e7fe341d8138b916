//! Prices: which series oilcorr knows ([`series`]), where they come from ([`source`]: FRED's CSV, the
//! FRED API, EIA's API v2, the datahub mirror, Yahoo's chart endpoint or local files, behind one [`source::PriceSource`]
//! trait, built once by [`build()`], over one [`http`] client), and the cache under `<data-dir>/prices/` ([`cache`]) that
//! [`obtain()`] fills following a [`plan`].
//!
//! Owns everything about getting prices; uses only [`crate::input_error`] and [`crate::fsutil`]. It
//! prints nothing: what happened is returned ([`Obtained`]) for the caller to report.

pub mod attribution;
pub mod bars;
pub mod build;
pub mod cache;
pub mod datahub;
pub mod eia;
pub mod error;
pub mod expiry;
pub mod file;
pub mod fred;
pub mod fred_api;
pub mod http;
pub mod intraday;
pub mod obtain;
pub mod plan;
pub mod retry;
pub mod roll;
pub mod series;
pub mod source;
pub mod yahoo;
pub mod yahoo_intraday;

pub use build::{build, SourceSettings};
pub use obtain::{obtain, Acquire, Obtained, PricesError};
pub use series::{CloseTime, PriceSeries, SeriesId};

/// Default public host of FRED's keyless CSV endpoint.
pub const FRED_DEFAULT_URL: &str = "https://fred.stlouisfed.org";
/// Default public host of the FRED API.
pub const FRED_API_DEFAULT_URL: &str = "https://api.stlouisfed.org";
/// Default public host of EIA's API v2.
pub const EIA_DEFAULT_URL: &str = "https://api.eia.gov";
/// Default public host of the datahub mirror of EIA's spot prices.
pub const DATAHUB_DEFAULT_URL: &str = "https://datahub.io";
/// Default public host of Yahoo's chart endpoint (unofficial; the host yfinance uses).
pub const YAHOO_DEFAULT_URL: &str = "https://query2.finance.yahoo.com";
