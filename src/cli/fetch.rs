//! `oilcorr fetch`: fill the price cache for a date range and its estimation look-back.

use super::acquire::{obtain_all, price_span};
use super::args::FetchArgs;
use anyhow::Result;
use chrono::Utc;

/// Run `oilcorr fetch`.
pub fn run(args: FetchArgs) -> Result<()> {
    let to = args.to.unwrap_or_else(|| Utc::now().date_naive());
    if args.from > to {
        super::usage!("--from {} is after --to {to}", args.from);
    }
    let (from, to) = price_span(args.from, to, args.prices.estimation_window, 20);
    obtain_all(&args.prices, from, to, &[])?;
    Ok(())
}
