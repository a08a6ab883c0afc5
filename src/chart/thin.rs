//! Thinning: the points of a series that its pixels can show, so that a chart of a run with a
//! million offers is as small and fast as one of a hundred.
//!
//! A series against rounds keeps, in each pixel column, its first, last, lowest and highest
//! point (in their order): the line through them covers the same pixels as the line
//! through all points, every change of direction wider than a pixel stays, and so do the
//! first and the last point. Points at rounds the caller marks (events) are always kept. A
//! trace in two dimensions (utility space) keeps a point only where it reaches a pixel cell
//! it has not visited from the same cell before. Both are deterministic: they depend on the
//! points and the pixel mapping only.

use std::collections::BTreeSet;

/// At most this many points per series are drawn with markers; a denser series is drawn
/// as a line alone (markers would merge into a smear).
pub(crate) const MAX_MARKERS: usize = 400;

/// Thins a series whose x values never decrease (rounds), given each x's pixel column.
/// `keep(x)` marks x values whose points are always kept.
pub(crate) fn by_column(
    points: impl IntoIterator<Item = (f64, f64)>,
    column: impl Fn(f64) -> i32,
    keep: impl Fn(f64) -> bool,
) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    // The current column's picks: (index, point) of first, last, lowest, highest, and any
    // kept points, flushed in index order when the column changes.
    let mut current: Option<i32> = None;
    let mut picks: Vec<(usize, (f64, f64))> = Vec::new();
    let mut lowest: Option<(usize, (f64, f64))> = None;
    let mut highest: Option<(usize, (f64, f64))> = None;
    let mut last: Option<(usize, (f64, f64))> = None;
    let flush = |picks: &mut Vec<(usize, (f64, f64))>,
                 extra: [Option<(usize, (f64, f64))>; 3],
                 out: &mut Vec<(f64, f64)>| {
        picks.extend(extra.into_iter().flatten());
        picks.sort_by_key(|(idx, _)| *idx);
        picks.dedup_by_key(|(idx, _)| *idx);
        out.extend(picks.drain(..).map(|(_, p)| p));
    };
    for (idx, point) in points.into_iter().enumerate() {
        let col = column(point.0);
        if current != Some(col) {
            flush(&mut picks, [lowest, highest, last], &mut out);
            (lowest, highest) = (None, None);
            current = Some(col);
            picks.push((idx, point));
        } else if keep(point.0) {
            picks.push((idx, point));
        }
        if lowest.is_none_or(|(_, p)| point.1 < p.1) {
            lowest = Some((idx, point));
        }
        if highest.is_none_or(|(_, p)| point.1 > p.1) {
            highest = Some((idx, point));
        }
        last = Some((idx, point));
    }
    flush(&mut picks, [lowest, highest, last], &mut out);
    out
}

/// Thins a trace in two dimensions, given each point's pixel: keeps the first and last
/// point, and a point when the step from the last kept point's pixel cell to its own was
/// not taken before (cells are `cell` pixels wide). Returns the kept points in order.
pub(crate) fn by_cell(
    points: impl IntoIterator<Item = (f64, f64)>,
    pixel: impl Fn((f64, f64)) -> (i32, i32),
    cell: i32,
) -> Vec<(f64, f64)> {
    let cell = cell.max(1);
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut steps: BTreeSet<((i32, i32), (i32, i32))> = BTreeSet::new();
    let mut at: Option<(i32, i32)> = None;
    let mut last_dropped: Option<(f64, f64)> = None;
    for point in points {
        let (px, py) = pixel(point);
        let here = (px.div_euclid(cell), py.div_euclid(cell));
        match at {
            None => {
                out.push(point);
                at = Some(here);
                last_dropped = None;
            }
            Some(from) if from == here => last_dropped = Some(point),
            Some(from) => {
                if steps.insert((from, here)) {
                    out.push(point);
                    last_dropped = None;
                } else {
                    last_dropped = Some(point);
                }
                at = Some(here);
            }
        }
    }
    // The last point always shows, where the trace ends.
    if let Some(point) = last_dropped {
        out.push(point);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(width: f64) -> impl Fn(f64) -> i32 {
        move |x| (x / width).floor() as i32
    }

    #[test]
    fn a_flat_series_keeps_its_ends_and_one_point_per_column() {
        let points = (0..1_000_000).map(|r| (f64::from(r), 0.5));
        let thin = by_column(points, columns(1000.0), |_| false);
        assert!(thin.len() <= 2 * 1000, "{}", thin.len());
        assert_eq!(thin.first(), Some(&(0.0, 0.5)));
        assert_eq!(thin.last(), Some(&(999_999.0, 0.5)));
    }

    #[test]
    fn each_column_keeps_first_last_lowest_and_highest_in_order() {
        let points = vec![(0.0, 0.5), (1.0, 0.9), (2.0, 0.1), (3.0, 0.4), (4.0, 0.6), (10.0, 0.3)];
        let thin = by_column(points, columns(10.0), |_| false);
        assert_eq!(thin, [(0.0, 0.5), (1.0, 0.9), (2.0, 0.1), (4.0, 0.6), (10.0, 0.3)]);
    }

    #[test]
    fn points_at_marked_rounds_are_kept() {
        let points = (0..100).map(|r| (f64::from(r), 0.5));
        let thin = by_column(points, columns(100.0), |x| x == 42.0);
        assert_eq!(thin, [(0.0, 0.5), (42.0, 0.5), (99.0, 0.5)]);
    }

    #[test]
    fn sparse_series_are_kept_whole() {
        let points: Vec<(f64, f64)> = (0..50).map(|r| (f64::from(r), f64::from(r % 7))).collect();
        assert_eq!(by_column(points.clone(), columns(1.0), |_| false), points);
    }

    #[test]
    fn a_trace_that_repeats_itself_is_drawn_once() {
        // A hardliner pair: the same two points a million times.
        let points = (0..1_000_000).map(|r| if r % 2 == 0 { (0.0, 1.0) } else { (1.0, 0.0) });
        let pixel = |(x, y): (f64, f64)| ((x * 500.0) as i32, (y * 500.0) as i32);
        let thin = by_cell(points, pixel, 2);
        assert_eq!(thin, [(0.0, 1.0), (1.0, 0.0), (0.0, 1.0), (1.0, 0.0)]);
    }

    #[test]
    fn a_trace_keeps_its_first_and_last_point() {
        let points = (0..=1000).map(|r| (f64::from(r) / 1000.0, 0.5));
        let pixel = |(x, y): (f64, f64)| ((x * 100.0) as i32, (y * 100.0) as i32);
        let thin = by_cell(points, pixel, 1);
        assert_eq!(thin.first(), Some(&(0.0, 0.5)));
        assert_eq!(thin.last(), Some(&(1.0, 0.5)));
        assert!(thin.len() <= 102, "{}", thin.len());
    }
}
