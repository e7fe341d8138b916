//! `oilcorr fetch`: fill the price cache for a date range and its estimation look-back.

use super::acquire::{obtain_all, price_span};
use super::args::FetchArgs;
use anyhow::{bail, Result};
use chrono::Utc;

/// Run `oilcorr fetch`.
pub fn run(a: FetchArgs) -> Result<()> {
    let to = a.to.unwrap_or_else(|| Utc::now().date_naive());
    if a.from > to {
        bail!("--from {} is after --to {to}", a.from);
    }
    let (from, to) = price_span(a.from, to, a.prices.estimation_window, 20);
    obtain_all(&a.prices, from, to, &[])?;
    Ok(())
}
