//! The command line's closed choices (`--model`, `--returns`, `--variance`, `--source`, `--chart-format`,
//! `--format` of `statements import`): clap value enums mirroring the library's own enums, which know
//! nothing of clap. Each converts into its library enum with `From`; the variants' docs are the help.

use oilcorr::analysis::conditional::Variance;
use oilcorr::analysis::model::{Model, ReturnKind};
use oilcorr::plot::ChartFormat;
use oilcorr::prices::source::SourceKind;
use oilcorr::statements::import::Format;

/// A clap value enum `$name` with the variants of the library enum `$lib`, and `From<$name> for $lib`.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident => $lib:ident { $($(#[$vdoc:meta])* $v:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vdoc])* $v),+
        }

        impl From<$name> for $lib {
            fn from(c: $name) -> Self {
                match c {
                    $($name::$v => $lib::$v),+
                }
            }
        }
    };
}

choice! {
    /// `--model`: the normal-return model.
    ModelChoice => Model {
        /// Mean-adjusted: expected return = estimation-window mean.
        Mean,
        /// Market model: OLS on a benchmark series (`--benchmark`).
        Market,
        /// Market-adjusted: expected return = benchmark return.
        MarketAdjusted,
        /// Raw returns: expected return = 0.
        Raw,
    }
}

choice! {
    /// `--returns`: which returns are studied.
    ReturnsChoice => ReturnKind {
        /// `ln(P_t / P_{t-1})` (default).
        Log,
        /// `P_t / P_{t-1} − 1`.
        Simple,
    }
}

choice! {
    /// `--variance`: the variance abnormal returns are measured against.
    VarianceChoice => Variance {
        /// One variance per event, the estimation window's (the textbook event study).
        Constant,
        /// GARCH(1,1) conditional variance fitted on the estimation window and forecast through the
        /// event window: how large was the move given the volatility of that moment?
        Garch,
    }
}

choice! {
    /// `--source`: where prices come from.
    SourceChoice => SourceKind {
        /// FRED's keyless graph CSV (default).
        Fred,
        /// The FRED API (JSON; key in FRED_API_KEY).
        FredApi,
        /// EIA's API v2 (JSON; key in EIA_API_KEY).
        Eia,
        /// The keyless datahub mirror of EIA's spreadsheets.
        Datahub,
        /// Local CSV files given with --prices SERIES=PATH.
        File,
        /// Yahoo Finance's chart endpoint: front-month futures brent-fut (NYMEX BZ=F) and wti-fut
        /// (NYMEX CL=F), daily. Unofficial and keyless; Yahoo's terms allow personal use.
        Yahoo,
    }
}

choice! {
    /// `--chart-format`: chart file format.
    ChartFormatChoice => ChartFormat {
        /// PNG bitmaps.
        Png,
        /// SVG with text as glyph outlines (identical on any machine, no fonts needed).
        Svg,
    }
}

choice! {
    /// `statements import --format`: the input format.
    ImportFormatChoice => Format {
        /// Trump Twitter Archive export (CSV, or JSON when the file starts with `[`).
        TrumpArchive,
        /// `tweets.js` from an X/Twitter account archive.
        XArchive,
        /// Generic CSV with a column mapping.
        Csv,
        /// Generic JSON Lines with a field mapping.
        Jsonl,
    }
}
