//! Across-event charts, one set per series:
//! - `caar-SERIES.png`: CAAR over event time, cumulated from day −1, for all event days (dark grey,
//!   with the 95 % band `CAAR_t ± 1.96·sd_t/√N_t`, sd_t the cross-sectional s.d. of the events'
//!   cumulative ARs) and for each stance (lines only: overlapping bands turned to mud);
//! - `cars-SERIES.png`: each event day's headline CAR (statements sharing a day 0 share it: one bar,
//!   labelled with all their flag numbers), sorted, coloured by the day's stance (grey with "±" when its
//!   statements push both ways), with whiskers `±1.96·S·√L` (its plain standard error);
//! - `stance-SERIES.png`: each event day's CAR against its stance (down, none, up) with each group's
//!   mean, days pushed both ways left out as in the statistics, with the hit rate and correlations in
//!   the caption.

use super::text::{self, font};
use super::{stance_colour, DrawError, PlotError, DOWN, NEUTRAL, NOTE, UP};
use crate::analysis::caar::Path95;
use crate::analysis::stats::z975;
use plotters::prelude::*;
use std::path::Path;

/// One event day as the across-event charts see it.
#[derive(Debug, Clone)]
pub struct EventPoint {
    /// The flag numbers of its statements on the timeline, e.g. "5" or "5,6".
    pub label: String,
    /// The day's stance (its statements agree, or only some have one).
    pub stance: Option<crate::statements::Stance>,
    /// The day's statements push both ways (left out of the stance chart).
    pub split: bool,
    /// Headline CAR.
    pub car: f64,
    /// The standard error its t used (`S·√L`, or the GARCH one).
    pub se: f64,
}

const SIZE: (u32, u32) = (1200, 700);

/// Draw the CAAR chart of the groups `(label, colour, path)`.
pub fn render_caar(
    path: &Path,
    title: &str,
    groups: &[(String, RGBColor, Path95)],
    source: &str,
    out: &super::Output,
) -> Result<(), PlotError> {
    let size = out.size_or(SIZE);
    super::render(path, size, out, |root| {
        super::title(root, title, 22.0)?;
        caar_legend(root, groups, 44)?;
        // The range of what is drawn: the first group's band, every group's line.
        let pts = groups.iter().enumerate().flat_map(|(i, g)| {
            g.2.iter().map(move |p| {
                if i == 0 {
                    (p.1 - p.2, p.1 + p.2)
                } else {
                    (p.1, p.1)
                }
            })
        });
        let (lo, hi) = pts.fold((0.0f64, 0.0f64), |(a, b), (l, h)| (a.min(l), b.max(h)));
        let (t0, t1) = groups
            .iter()
            .flat_map(|g| g.2.iter().map(|p| p.0))
            .fold((0, 1), |(a, b), t| (a.min(t), b.max(t)));
        let (_, area) = root.split_vertically(66);
        let (area, _) = area.split_vertically(size.1 as i32 - 66 - 48);
        let pad = ((hi - lo) * 0.08).max(0.005);
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(
                t0 as f64 - 0.5..t1 as f64 + 0.5,
                (lo - pad) * 100.0..(hi + pad) * 100.0,
            )?;
        super::house_mesh(
            chart
                .configure_mesh()
                .x_desc("trading days relative to day 0")
                .y_desc("CAAR, % (mean cumulative abnormal log return)")
                .x_label_formatter(&|v| text::minus(format!("{}", v.round() as i64)))
                .y_label_formatter(&|v| text::minus(format!("{v:.0}"))),
            14.0,
        )
        .draw()?;
        chart.draw_series(LineSeries::new(
            vec![(0.0, (lo - pad) * 100.0), (0.0, (hi + pad) * 100.0)],
            BLACK.mix(0.4),
        ))?;
        caar_lines(&mut chart, groups)?;
        let note = "Cumulated from day −1 (0 there). Shaded: 95% confidence band of all event days.";
        super::footer_with_note(root, note, source.to_string(), 24)
    })
}

/// Each group's band and CAAR line (in %), and the legend naming them.
fn caar_lines<'a, 'b: 'a>(
    chart: &mut super::XyChart<'a, 'b>,
    groups: &[(String, RGBColor, Path95)],
) -> Result<(), DrawError> {
    // One band only, the first group's (all event days): three overlapping bands turned to mud.
    if let Some((_, colour, p)) = groups.first() {
        let upper = p.iter().map(|q| (q.0 as f64, (q.1 + q.2) * 100.0));
        let lower: Vec<(f64, f64)> = p
            .iter()
            .rev()
            .map(|q| (q.0 as f64, (q.1 - q.2) * 100.0))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            colour.mix(0.15),
        )))?;
    }
    for (_, colour, p) in groups {
        chart.draw_series(LineSeries::new(
            p.iter().map(|q| (q.0 as f64, q.1 * 100.0)),
            colour.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// The legend above the plot, one entry per group (never over the data).
fn caar_legend(
    root: &super::Area<'_>,
    groups: &[(String, RGBColor, Path95)],
    y: i32,
) -> Result<(), DrawError> {
    let f = font(15.0);
    let mut x = 20;
    for (label, colour, _) in groups {
        root.draw(&PathElement::new(
            vec![(x, y + 9), (x + 26, y + 9)],
            colour.stroke_width(3),
        ))?;
        root.draw(&Text::new(label.clone(), (x + 32, y), f.clone()))?;
        x += 32 + super::text::width(label, &f) as i32 + 26;
    }
    Ok(())
}

/// Draw each event's CAR, sorted, with ±1.96·SE whiskers.
pub fn render_cars(
    path: &Path,
    (title, note): (&str, &str),
    events: &[EventPoint],
    source: &str,
    out: &super::Output,
) -> Result<(), PlotError> {
    let mut ev: Vec<&EventPoint> = events.iter().collect();
    ev.sort_by(|a, b| a.car.total_cmp(&b.car));
    let size = out.size_or(SIZE);
    super::render(path, size, out, |root| {
        super::title(root, title, 22.0)?;
        stance_key(root, 44)?;
        let (lo, hi) = ev.iter().fold((0.0f64, 0.0f64), |(a, b), e| {
            (a.min(e.car - z975() * e.se), b.max(e.car + z975() * e.se))
        });
        let pad = ((hi - lo) * 0.06).max(0.005);
        let (_, area) = root.split_vertically(70);
        let (area, _) = area.split_vertically(size.1 as i32 - 70 - 48);
        let n = ev.len().max(1);
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, (lo - pad) * 100.0..(hi + pad) * 100.0)?;
        let labels: Vec<String> = ev.iter().map(|e| bar_label(&e.label, e.split)).collect();
        // Every `step`-th bar labelled, so that the widest label fits its share of the axis.
        let widest = labels
            .iter()
            .map(|l| text::width(l, &font(14.0)))
            .max()
            .unwrap_or(0);
        let pitch = f64::from(size.0.saturating_sub(130)) / n as f64;
        let step = ((f64::from(widest) + 12.0) / pitch).ceil().max(1.0) as usize;
        super::house_mesh(
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n.min(60))
                .x_label_formatter(&|v| {
                    let i = v.round() as usize;
                    if (v - v.round()).abs() < 1e-6 && i < labels.len() && i.is_multiple_of(step) {
                        labels[i].clone()
                    } else {
                        String::new()
                    }
                })
                .x_desc(
                    "event day (flag numbers on the timeline, a…b: a to b; ± = pushed both ways), sorted by CAR",
                )
                .y_desc("CAR, %")
                .y_label_formatter(&|v| text::minus(format!("{v:.0}"))),
            14.0,
        )
        .draw()?;
        chart.draw_series(LineSeries::new(
            vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
            BLACK.mix(0.5),
        ))?;
        car_bars(&mut chart, &ev)?;
        let note = format!("{note} Whiskers: ±1.96 standard errors.");
        super::footer_with_note(root, &note, source.to_string(), 24)
    })
}

/// A bar's label: its flag numbers (`4,5,6`), or the first and last of more than three (`135…141`),
/// with `±` when the day's statements push both ways.
fn bar_label(numbers: &str, split: bool) -> String {
    let parts: Vec<&str> = numbers.split(',').collect();
    let short = match parts.as_slice() {
        [first, .., last] if parts.len() > 3 => format!("{first}…{last}"),
        _ => numbers.to_string(),
    };
    if split {
        short + "±"
    } else {
        short
    }
}

/// One bar per event (its CAR in %, coloured by stance) with its ±z·SE whisker.
fn car_bars(chart: &mut super::XyChart<'_, '_>, ev: &[&EventPoint]) -> Result<(), DrawError> {
    for (i, e) in ev.iter().enumerate() {
        let x = i as f64;
        let c = stance_colour(e.stance);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, e.car * 100.0)],
            c.filled(),
        )))?;
        let (a, b) = ((e.car - z975() * e.se) * 100.0, (e.car + z975() * e.se) * 100.0);
        chart.draw_series(LineSeries::new(vec![(x, a), (x, b)], BLACK.stroke_width(1)))?;
        for y in [a, b] {
            chart.draw_series(LineSeries::new(
                vec![(x - 0.15, y), (x + 0.15, y)],
                BLACK.stroke_width(1),
            ))?;
        }
    }
    Ok(())
}

/// Draw CAR against stance with the caption.
pub fn render_stance(
    path: &Path,
    (title, note): (&str, &str),
    caption: &str,
    events: &[EventPoint],
    source: &str,
    out: &super::Output,
) -> Result<(), PlotError> {
    let size = out.size_or(SIZE);
    super::render(path, size, out, |root| {
        super::title(root, title, 22.0)?;
        let (line, f) = text::fit(caption, 16.0, size.0.saturating_sub(40), font);
        root.draw(&Text::new(line, (20, 46), f))?;
        // The range of the drawn points (days pushed both ways are not drawn).
        let (lo, hi) = events
            .iter()
            .filter(|e| !e.split)
            .fold((0.0f64, 0.0f64), |(a, b), e| (a.min(e.car), b.max(e.car)));
        let pad = ((hi - lo) * 0.08).max(0.005);
        let (_, area) = root.split_vertically(76);
        let (area, _) = area.split_vertically(size.1 as i32 - 76 - 48);
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.6..2.6, (lo - pad) * 100.0..(hi + pad) * 100.0)?;
        let names = ["pushes down", "no stance", "pushes up"];
        super::house_mesh(
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(3)
                .x_label_formatter(&|v: &f64| {
                    let i = v.round() as i64;
                    if (v - v.round()).abs() < 1e-6 && (0..3).contains(&i) {
                        names[i as usize].to_string()
                    } else {
                        String::new()
                    }
                })
                .y_desc("CAR, %")
                .y_label_formatter(&|v| text::minus(format!("{v:.0}"))),
            16.0,
        )
        .draw()?;
        moved_as_pushed(root, &mut chart, events, ((lo - pad) * 100.0, (hi + pad) * 100.0))?;
        chart.draw_series(LineSeries::new(vec![(-0.6, 0.0), (2.6, 0.0)], BLACK.mix(0.5)))?;
        stance_points(&mut chart, events)?;
        stance_means(root, &mut chart, events)?;
        super::footer_with_note(root, note, source.to_string(), 24)
    })
}

/// The "moved as pushed" cue: a light tint over the half of each stance's column where a price that
/// moved the way the statement pushed lands (above zero for "pushes up", below for "pushes down"),
/// labelled where there is room for the words; not for a stance without events.
fn moved_as_pushed(
    root: &super::Area<'_>,
    chart: &mut super::XyChart<'_, '_>,
    events: &[EventPoint],
    (bottom, top): (f64, f64),
) -> Result<(), DrawError> {
    use crate::statements::Stance;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let label = "moved as pushed";
    let cues = [
        (Stance::Up, 2.0, UP, (0.0, top), VPos::Top),
        (Stance::Down, 0.0, DOWN, (bottom, 0.0), VPos::Bottom),
    ];
    for (stance, x, c, (a, b), v) in cues {
        if b <= a || !events.iter().any(|e| !e.split && e.stance == Some(stance)) {
            continue;
        }
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.45, a), (x + 0.45, b)],
            c.mix(0.08).filled(),
        )))?;
        let (px, pa) = chart.backend_coord(&(x - 0.43, a));
        let pb = chart.backend_coord(&(x, b)).1;
        if (pa - pb).abs() < 28 {
            continue;
        }
        let y = if matches!(v, VPos::Top) { pb + 4 } else { pa - 4 };
        let style = font(13.0)
            .color(&NOTE)
            .into_text_style(root)
            .pos(Pos::new(HPos::Left, v));
        root.draw(&Text::new(label, (px, y), style))?;
    }
    Ok(())
}

/// One dot per event at its stance's column (down, none, up), jittered.
fn stance_points(chart: &mut super::XyChart<'_, '_>, events: &[EventPoint]) -> Result<(), DrawError> {
    for (i, e) in events.iter().filter(|e| !e.split).enumerate() {
        let (x, c) = match e.stance {
            Some(crate::statements::Stance::Down) => (0.0, DOWN),
            None => (1.0, NEUTRAL),
            Some(crate::statements::Stance::Up) => (2.0, UP),
        };
        // Deterministic jitter so points on the same stance do not hide each other.
        let jitter = ((i * 37 % 41) as f64 / 41.0 - 0.5) * 0.5;
        chart.draw_series(std::iter::once(Circle::new(
            (x + jitter, e.car * 100.0),
            6,
            c.filled(),
        )))?;
    }
    Ok(())
}

/// A black bar at each stance's mean CAR, labelled with it (the group means behind the hit rate).
fn stance_means(
    root: &super::Area<'_>,
    chart: &mut super::XyChart<'_, '_>,
    events: &[EventPoint],
) -> Result<(), DrawError> {
    use crate::statements::Stance;
    for (x, stance) in [(0.0, Some(Stance::Down)), (1.0, None), (2.0, Some(Stance::Up))] {
        let cars: Vec<f64> = events
            .iter()
            .filter(|e| !e.split && e.stance == stance)
            .map(|e| e.car * 100.0)
            .collect();
        if cars.is_empty() {
            continue;
        }
        let mean = cars.iter().sum::<f64>() / cars.len() as f64;
        chart.draw_series(LineSeries::new(
            vec![(x - 0.3, mean), (x + 0.3, mean)],
            BLACK.stroke_width(3),
        ))?;
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let label = text::minus(format!("mean {mean:+.1}%"));
        // Right of the bar, or left of it when it would run past the image's right edge.
        let (px, py) = chart.backend_coord(&(x + 0.32, mean));
        let fits = px + text::width(&label, &font(14.0)) as i32 + 20 <= root.dim_in_pixel().0 as i32;
        let (px, h) = if fits {
            (px, HPos::Left)
        } else {
            (chart.backend_coord(&(x - 0.32, mean)).0, HPos::Right)
        };
        let style = font(14.0).into_text_style(root).pos(Pos::new(h, VPos::Center));
        root.draw(&Text::new(label, (px, py), style))?;
    }
    Ok(())
}

fn stance_key(root: &super::Area<'_>, y: i32) -> Result<(), DrawError> {
    let mut x = 20;
    for (label, c) in [("pushes up", UP), ("pushes down", DOWN), ("no stance", NEUTRAL)] {
        root.draw(&Rectangle::new([(x, y), (x + 16, y + 16)], c.filled()))?;
        root.draw(&Text::new(label, (x + 22, y), font(16.0)))?;
        x += 22 + super::text::width(label, &font(16.0)) as i32 + 24;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::bar_label;

    #[test]
    fn bar_labels_stay_short() {
        assert_eq!(bar_label("7", false), "7");
        assert_eq!(bar_label("4,5,6", true), "4,5,6±");
        assert_eq!(bar_label("135,136,137,138,139,140,141", false), "135…141");
        assert_eq!(bar_label("9,10,11,12", true), "9…12±");
    }
}
