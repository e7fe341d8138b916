//! Flag placement: numbered statement flags in stacked rows above the plot, guaranteed not to overlap.
//!
//! Flags are placed left to right (by anchor x). Each goes, centred on its anchor, into the lowest row
//! whose last flag ends at least `gap` pixels before it; if no row is free it may slide right by up to
//! `max_shift` pixels in the row that frees up first (a leader line then joins it to its anchor). A flag
//! that still does not fit joins an overflow flag (`+N`) in an extra top row, which merges neighbouring
//! overflow into one counter. Every statement remains listed in the key below the chart.
//!
//! Invariants (tested): no two returned rectangles intersect; all lie within `[left, right]` and the band;
//! every input index appears exactly once (as a flag or inside one overflow flag).

/// An axis-aligned rectangle in pixels; `x0 <= x1`, `y0 <= y1`, edges exclusive at `x1`/`y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x0: i32,
    /// Top edge.
    pub y0: i32,
    /// Right edge (exclusive).
    pub x1: i32,
    /// Bottom edge (exclusive).
    pub y1: i32,
}

impl Rect {
    /// True when the two rectangles share any pixel.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Where the band of flag rows is and how flags may move.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    /// Leftmost pixel a flag may use.
    pub left: i32,
    /// Rightmost pixel (exclusive) a flag may use.
    pub right: i32,
    /// Bottom of row 0 (rows stack upwards from here).
    pub bottom: i32,
    /// Height of a row including its vertical gap.
    pub row_height: i32,
    /// Number of rows for numbered flags (the overflow row comes on top of them).
    pub rows: usize,
    /// Minimum horizontal gap between flags in a row.
    pub gap: i32,
    /// How far right a flag may slide from its centred position.
    pub max_shift: i32,
    /// Width of an overflow (`+N`) flag.
    pub overflow_width: i32,
}

impl Band {
    /// Total height of the band: numbered rows plus the overflow row.
    pub fn height(&self) -> i32 {
        self.row_height * (self.rows as i32 + 1)
    }

    fn rect(&self, row: usize, x0: i32, width: i32) -> Rect {
        let y1 = self.bottom - self.row_height * row as i32;
        Rect {
            x0,
            y0: y1 - (self.row_height - 3).max(1),
            x1: x0 + width,
            y1,
        }
    }

    fn centred(&self, anchor: i32, width: i32) -> i32 {
        (anchor - width / 2).clamp(self.left, (self.right - width).max(self.left))
    }
}

/// A placed flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// A numbered flag for one input.
    Flag {
        /// Index into the input.
        index: usize,
        /// Its rectangle.
        rect: Rect,
        /// The x its marker points at.
        anchor: i32,
    },
    /// A `+N` flag standing for several inputs that did not fit.
    Overflow {
        /// Indices into the input.
        members: Vec<usize>,
        /// Its rectangle.
        rect: Rect,
        /// The x of its first member's marker.
        anchor: i32,
    },
}

impl Placed {
    /// The rectangle of this flag.
    pub fn rect(&self) -> Rect {
        match self {
            Placed::Flag { rect, .. } | Placed::Overflow { rect, .. } => *rect,
        }
    }
}

/// Place flags of `widths[i]` pixels anchored at `anchors[i]` inside `band`.
pub fn place(anchors: &[i32], widths: &[i32], band: &Band) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| (anchors[i], i));
    let mut row_end = vec![i32::MIN / 2; band.rows];
    let mut out: Vec<Placed> = Vec::new();
    let mut overflow_end = i32::MIN / 2;
    let mut last_overflow: Option<usize> = None;
    for i in order {
        let (a, w) = (anchors[i], widths[i]);
        if let Some(rect) = place_numbered(a, w, band, &mut row_end) {
            out.push(Placed::Flag {
                index: i,
                rect,
                anchor: a,
            });
            continue;
        }
        let ow = band.overflow_width;
        let ideal = band.centred(a, ow);
        let x0 = if overflow_end + band.gap <= ideal {
            Some(ideal)
        } else {
            shifted(overflow_end, ideal, ow, band)
        };
        match (x0, last_overflow) {
            (None, Some(k)) => {
                if let Placed::Overflow { members, .. } = &mut out[k] {
                    members.push(i);
                }
            }
            (x0, _) => {
                let x0 = x0.unwrap_or(ideal);
                overflow_end = x0 + ow;
                last_overflow = Some(out.len());
                out.push(Placed::Overflow {
                    members: vec![i],
                    rect: band.rect(band.rows, x0, ow),
                    anchor: a,
                });
            }
        }
    }
    out
}

fn place_numbered(anchor: i32, w: i32, band: &Band, row_end: &mut [i32]) -> Option<Rect> {
    let ideal = band.centred(anchor, w);
    if let Some(r) = (0..band.rows).find(|&r| row_end[r] + band.gap <= ideal) {
        row_end[r] = ideal + w;
        return Some(band.rect(r, ideal, w));
    }
    let r = (0..band.rows).min_by_key(|&r| row_end[r])?;
    let x0 = shifted(row_end[r], ideal, w, band)?;
    row_end[r] = x0 + w;
    Some(band.rect(r, x0, w))
}

fn shifted(end: i32, ideal: i32, w: i32, band: &Band) -> Option<i32> {
    let x0 = end + band.gap;
    (x0 + w <= band.right && x0 - ideal <= band.max_shift).then_some(x0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(rows: usize) -> Band {
        Band {
            left: 100,
            right: 1500,
            bottom: 200,
            row_height: 24,
            rows,
            gap: 3,
            max_shift: 40,
            overflow_width: 44,
        }
    }

    #[track_caller]
    fn check(anchors: &[i32], widths: &[i32], b: &Band) -> Vec<Placed> {
        let placed = place(anchors, widths, b);
        let rects: Vec<Rect> = placed.iter().map(Placed::rect).collect();
        for (i, r) in rects.iter().enumerate() {
            assert!(r.x0 >= b.left && r.x1 <= b.right, "{r:?} outside horizontally");
            assert!(
                r.y0 >= b.bottom - b.height() && r.y1 <= b.bottom,
                "{r:?} outside vertically"
            );
            for s in &rects[i + 1..] {
                assert!(!r.intersects(s), "{r:?} intersects {s:?}");
            }
        }
        let mut seen: Vec<usize> = placed
            .iter()
            .flat_map(|p| match p {
                Placed::Flag { index, .. } => vec![*index],
                Placed::Overflow { members, .. } => members.clone(),
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..anchors.len()).collect::<Vec<_>>());
        placed
    }

    #[test]
    fn spread_out_flags_sit_on_their_anchor_in_row_zero() {
        let placed = check(&[200, 400, 600], &[30, 30, 30], &band(3));
        for p in placed {
            let Placed::Flag { rect, anchor, .. } = p else {
                panic!("unexpected overflow")
            };
            assert_eq!(rect.x0 + 15, anchor);
            assert_eq!(rect.y1, 200);
        }
    }

    #[test]
    fn five_statements_in_two_days_stack_without_overlap() {
        // April 2020 on a 3-month axis: 2 and 3 April are ~15 px apart.
        let placed = check(&[700, 700, 700, 715, 715], &[26, 26, 26, 26, 26], &band(4));
        assert!(placed.iter().all(|p| matches!(p, Placed::Flag { .. })));
    }

    #[test]
    fn dense_cluster_overflows_into_a_counter() {
        let anchors = vec![800; 60];
        let widths = vec![30; 60];
        let placed = check(&anchors, &widths, &band(3));
        let overflow: usize = placed
            .iter()
            .map(|p| {
                if let Placed::Overflow { members, .. } = p {
                    members.len()
                } else {
                    0
                }
            })
            .sum();
        assert!(overflow > 0);
    }

    #[test]
    fn random_dense_layouts_never_overlap() {
        // A small deterministic LCG instead of a random crate: reproducible synthetic clusters.
        let mut seed: u64 = 42;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..200 {
            let n = 1 + next(120) as usize;
            let anchors: Vec<i32> = (0..n).map(|_| 100 + next(1400) as i32).collect();
            let widths: Vec<i32> = (0..n).map(|_| 20 + next(30) as i32).collect();
            check(&anchors, &widths, &band(1 + next(5) as usize));
        }
    }

    #[test]
    fn two_statements_on_the_same_minute_get_two_flags() {
        // Regression: Trump's tweets of 2020-04-13 13:31:19 and 13:31:20 share a day and a pixel.
        let placed = check(&[640, 640], &[26, 26], &band(4));
        let flags: Vec<Rect> = placed
            .iter()
            .filter_map(|p| {
                if let Placed::Flag { rect, .. } = p {
                    Some(*rect)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(flags.len(), 2, "both numbered, none folded into +N");
        assert_eq!(flags[0].x0, flags[1].x0, "stacked above each other");
        assert_ne!(flags[0].y0, flags[1].y0);
    }

    #[test]
    fn flags_at_the_edges_stay_inside() {
        check(&[0, 100, 1500, 2000], &[40, 40, 40, 40], &band(2));
    }
}
