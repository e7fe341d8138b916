//! The chart colours stay distinguishable under simulated colour blindness: every pair that can meet
//! on one chart (the two main series lines, the stance flags, the white background) keeps a CIELAB
//! distance ΔE*ab of at least 20 for normal vision, deuteranopia and protanopia. Simulation: Machado,
//! Oliveira & Fernandes (2009), severity 1, applied in linear sRGB; CIELAB with the D65 white.

use super::{DOWN, NEUTRAL, SERIES_COLOURS, UP};
use plotters::style::RGBColor;

const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
const DEUTAN: [[f64; 3]; 3] = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
const PROTAN: [[f64; 3]; 3] = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];

fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB of `c` as seen through `m`.
fn lab(c: RGBColor, m: &[[f64; 3]; 3]) -> [f64; 3] {
    let l = [linear(c.0), linear(c.1), linear(c.2)];
    let s: Vec<f64> = m
        .iter()
        .map(|row| (0..3).map(|j| row[j] * l[j]).sum::<f64>().clamp(0.0, 1.0))
        .collect();
    let x = (0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2]) / 0.95047;
    let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
    let z = (0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2]) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
}

fn delta_e(a: RGBColor, b: RGBColor, m: &[[f64; 3]; 3]) -> f64 {
    let (p, q) = (lab(a, m), lab(b, m));
    (0..3).map(|i| (p[i] - q[i]).powi(2)).sum::<f64>().sqrt()
}

#[test]
fn the_simulation_reproduces_known_values() {
    // White stays white (L* = 100) under every matrix; pure red and green, far apart for normal vision,
    // come close for a deuteranope.
    for m in [&NORMAL, &DEUTAN, &PROTAN] {
        assert!((lab(RGBColor(255, 255, 255), m)[0] - 100.0).abs() < 0.5);
    }
    let (red, green) = (RGBColor(255, 0, 0), RGBColor(0, 255, 0));
    assert!(delta_e(red, green, &NORMAL) > 150.0);
    assert!(delta_e(red, green, &DEUTAN) < 0.4 * delta_e(red, green, &NORMAL));
}

#[test]
fn colours_that_meet_on_a_chart_stay_apart_for_colour_blind_readers() {
    let named = [
        ("Brent line", SERIES_COLOURS[0]),
        ("WTI line", SERIES_COLOURS[1]),
        ("up flag", UP),
        ("down flag", DOWN),
        ("no-stance flag", NEUTRAL),
        ("background", RGBColor(255, 255, 255)),
    ];
    for (vision, m) in [
        ("normal", &NORMAL),
        ("deuteranopia", &DEUTAN),
        ("protanopia", &PROTAN),
    ] {
        for (i, (a, ca)) in named.iter().enumerate() {
            for (b, cb) in &named[i + 1..] {
                let d = delta_e(*ca, *cb, m);
                assert!(d >= 20.0, "{vision}: {a} and {b} are ΔE {d:.1} apart");
            }
        }
    }
}
