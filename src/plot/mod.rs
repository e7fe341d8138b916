//! Charts (PNG, or SVG with `--chart-format svg`) drawn with plotters, with the DejaVu Sans font
//! embedded (no system fonts needed).
//!
//! [`draw`] turns a [`crate::analysis::Study`] into chart inputs and writes every chart;
//! [`timeline`] draws the prices over the requested range with a numbered flag per statement and a key
//! below; [`across`] draws CAAR paths, sorted CARs and CAR by stance across statements; [`event`] draws
//! each statement's window of trading days around day 0. [`layout`] is the pure geometry that keeps
//! flags from overlapping; [`text`] measures and wraps text; [`canvas`] is the one backend every chart
//! draws on (PNG, or [`svg`] with [`glyphs`] as outlines). Owns the charts; uses [`crate::analysis`]
//! (values, never computing a statistic), [`crate::statements`] and [`crate::prices`] (series ids).

pub mod across;
pub mod canvas;
pub mod draw;
pub mod event;
pub mod fonts;
pub mod glyphs;
pub mod intraday;
pub mod layout;
#[cfg(test)]
mod palette_tests;
pub mod svg;
pub mod text;
pub mod ticks;
pub mod timeline;
mod timeline_key;
pub(crate) mod timeline_shade;

pub use canvas::Canvas;
use plotters::style::{FontStyle, RGBColor};
use std::sync::Once;

/// Font family name registered for every chart.
pub const FONT: &str = "sans-serif";

/// Series lines: Okabe–Ito blue, then IBM's colour-blind-safe violet (#785EF0) rather than Okabe–Ito
/// orange, which sat next to the "down" vermillion for deuteranopes (ΔE 18 under simulation), then
/// Okabe–Ito sky blue and reddish purple. `palette_tests` checks the distances under simulated
/// deuteranopia and protanopia.
pub const SERIES_COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(120, 94, 240),
    RGBColor(86, 180, 233),
    RGBColor(204, 121, 167),
];
/// Flag colour of a statement pushing prices up (Okabe–Ito bluish green).
pub const UP: RGBColor = RGBColor(0, 158, 115);
/// Flag colour of a statement pushing prices down (Okabe–Ito vermillion).
pub const DOWN: RGBColor = RGBColor(213, 94, 0);
/// Flag colour of a statement without stance: dark enough to stay apart from the "up" green for
/// deuteranopes (a mid grey was ΔE 13 from it under simulation).
pub const NEUTRAL: RGBColor = RGBColor(50, 50, 50);
/// Light grey for grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Dark grey for notes and the source line.
pub const NOTE: RGBColor = RGBColor(90, 90, 90);

/// Error drawing or saving a chart.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// plotters failed to draw.
    #[error("drawing {path}: {message}")]
    Draw {
        /// Output file.
        path: String,
        /// The backend's message.
        message: String,
    },
    /// The file could not be written.
    #[error("writing {path}")]
    Io {
        /// Output file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

static FONTS: Once = Once::new();

/// Register the embedded DejaVu Sans (regular and bold) under [`FONT`]; idempotent.
pub fn init_fonts() {
    FONTS.call_once(|| {
        // The embedded fonts are valid TrueType files; a failure here is a build defect.
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("embedded DejaVu Sans is a valid font"));
        plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold())
            .unwrap_or_else(|_| panic!("embedded DejaVu Sans Bold is a valid font"));
    });
}

/// What drawing on a chart's area can fail with (both formats draw on one backend type, [`Canvas`]).
pub type DrawError = plotters::drawing::DrawingAreaErrorKind<canvas::CanvasError>;

/// Draw a chart's title in bold at the top left, at `size` pixels or smaller (down to 60 %) so it
/// fits the chart's width with 20-pixel margins; a title still too long is cut with `…`.
pub(crate) fn title(root: &Area<'_>, text: &str, size: f64) -> Result<(), DrawError> {
    use plotters::prelude::{Text, BLACK};
    let room = root.dim_in_pixel().0.saturating_sub(40);
    let (line, font) = text::fitted(text, size, room);
    root.draw(&Text::new(line, (20, 14), font.color(&BLACK)))
}

/// The house style of every chart's mesh: no minor grid, light major grid, embedded font with tick
/// labels of `label_size` pixels and 16-pixel axis titles; call `.draw()` on the result.
pub(crate) fn house_mesh<'m, 'a, 'b, X, Y, DB>(
    m: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    label_size: f64,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged<ValueType: std::fmt::Debug>,
    Y: plotters::coord::ranged1d::Ranged<ValueType: std::fmt::Debug>,
    DB: plotters::prelude::DrawingBackend,
{
    m.light_line_style(plotters::style::colors::TRANSPARENT)
        .bold_line_style(GRID)
        .label_style(text::font(label_size))
        .axis_desc_style(text::font(16.0))
}

/// The source line at the foot of a chart, `from_bottom` pixels above its lower edge, in 14-pixel text
/// or smaller so it fits the chart's width (a source line must not lose its end at 960 px).
pub(crate) fn footer(root: &Area<'_>, line: String, from_bottom: i32) -> Result<(), DrawError> {
    use plotters::prelude::*;
    let y = root.dim_in_pixel().1 as i32 - from_bottom;
    let room = root.dim_in_pixel().0.saturating_sub(40);
    let (line, font) = text::fit(&line, 14.0, room, text::font);
    root.draw(&Text::new(line, (20, y), font.color(&NOTE)))
}

/// A note line above the source line at the foot of a chart (the source line `from_bottom` pixels
/// above the lower edge, the note 18 pixels higher), each in 14-pixel text or smaller to fit.
pub(crate) fn footer_with_note(
    root: &Area<'_>,
    note: &str,
    source: String,
    from_bottom: i32,
) -> Result<(), DrawError> {
    footer(root, note.to_string(), from_bottom + 18)?;
    footer(root, source, from_bottom)
}

/// Flag colour of a stance.
pub fn stance_colour(stance: Option<crate::statements::Stance>) -> RGBColor {
    match stance {
        Some(crate::statements::Stance::Up) => UP,
        Some(crate::statements::Stance::Down) => DOWN,
        None => NEUTRAL,
    }
}

/// Significance stars for a two-sided p-value: `***` < 0.01, `**` < 0.05, `*` < 0.1.
pub fn stars(p: f64) -> &'static str {
    if p < 0.01 {
        "***"
    } else if p < 0.05 {
        "**"
    } else if p < 0.1 {
        "*"
    } else {
        ""
    }
}

/// Chart file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartFormat {
    /// PNG bitmaps.
    #[default]
    Png,
    /// SVG with text as glyph outlines (identical on any machine, no fonts needed).
    Svg,
}

impl ChartFormat {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// How charts are written: format, logical size (None = each chart's default) and scale factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Output {
    /// File format.
    pub format: ChartFormat,
    /// Logical size in pixels for every chart (the timeline moves a key that does not fit to its own image).
    pub size: Option<(u32, u32)>,
    /// Scale factor (2 = twice the pixels, for high-DPI screens and print).
    pub scale: f64,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            format: ChartFormat::Png,
            size: None,
            scale: 1.0,
        }
    }
}

impl Output {
    /// The size to draw at: `--size` or the chart's `default`.
    pub fn size_or(&self, default: (u32, u32)) -> (u32, u32) {
        self.size.unwrap_or(default)
    }
}

/// A chart with numeric x and y axes on the drawing area.
pub(crate) type XyChart<'a, 'b> = plotters::chart::ChartContext<
    'a,
    Canvas<'b>,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// The drawing area every chart draws on.
pub type Area<'a> = plotters::drawing::DrawingArea<Canvas<'a>, plotters::coord::Shift>;

/// Render a chart of logical `size` into a temporary file beside `path`, then rename it over `path`
/// (never a half-written chart).
pub fn render<F>(path: &std::path::Path, size: (u32, u32), out: &Output, draw: F) -> Result<(), PlotError>
where
    F: FnOnce(&Area<'_>) -> Result<(), DrawError>,
{
    use plotters::prelude::*;
    init_fonts();
    let shown = path.display().to_string();
    let io = |source| PlotError::Io {
        path: shown.clone(),
        source,
    };
    let fail = |message: String| PlotError::Draw {
        path: shown.clone(),
        message,
    };
    let tmp = crate::fsutil::temp_beside(path, &format!(".{}", out.format.ext())).map_err(io)?;
    {
        let k = out.scale;
        let canvas = match out.format {
            ChartFormat::Png => {
                let px = |v: u32| (f64::from(v) * k).round() as u32;
                Canvas::Png {
                    inner: BitMapBackend::new(tmp.path(), (px(size.0), px(size.1))),
                    k,
                    logical: size,
                }
            }
            ChartFormat::Svg => Canvas::Svg(svg::SvgBackend::new(tmp.path().to_path_buf(), size, k)),
        };
        let root = canvas.into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        draw(&root).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    crate::fsutil::persist(tmp, path).map_err(io)?;
    Ok(())
}
