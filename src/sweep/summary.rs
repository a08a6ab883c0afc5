//! `summary.csv`: one row per design point, computed from `sweep.csv` and its sidecar alone.
//!
//! For each point: its axis values, the number of runs, of deals and the agreement rate;
//! then for every number column of `sweep.csv` (terms of continuous issues, utilities,
//! gains, rounds, analysis distances): `n` (runs where it is defined: the terms and
//! utilities exist only for runs that ended in a deal), `mean`, `sd` (sample standard
//! deviation, `n - 1` in the denominator; empty for `n < 2`), and the 5, 50 and 95%
//! quantiles `p05`, `p50`, `p95` (linear interpolation between order statistics, the
//! default of R and NumPy: position `q (n - 1)`). For the level of an ordinal issue: `n` and
//! the quantiles as level names (the lower order statistic at `q (n - 1)`, no
//! interpolation between levels). Words (how the talks ended, the proposer) are skipped.
//!
//! The runs of a point are consecutive in `sweep.csv`, so one point is held in memory at a
//! time: memory is flat in the number of points.
//!
//! A statistic of one value (a point with one run, or one deal) is that value: its text is
//! copied from `sweep.csv`, which writes every number in the shortest form that reads back
//! to it (`push_number`), the form formatting the parsed value would give again. This keeps
//! a sweep of one run per point from formatting every number four more times.

use std::fmt::Write as _;
use std::io::{self, Read, Write};

use crate::export::row::{push_field, push_number};

use super::output::Sidecar;

/// The statistics of a number column, in column order.
pub const NUMBER_STATS: [&str; 6] = ["n", "mean", "sd", "p05", "p50", "p95"];
/// The statistics of a level column.
pub const LEVEL_STATS: [&str; 4] = ["n", "p05", "p50", "p95"];

enum Column {
    Number(usize),
    Level(usize, Vec<String>),
}

/// Reads `sweep.csv` (header included) and writes `summary.csv`.
pub fn write_summary(
    sidecar: &Sidecar,
    sweep_csv: impl Read,
    mut out: impl Write,
) -> io::Result<()> {
    let axes = sidecar.axes.len();
    let first_metric = 4 + axes;
    let mut columns = Vec::new();
    let mut agreement = None;
    for (i, c) in sidecar.columns.iter().enumerate().skip(first_metric) {
        match c.kind.as_str() {
            "number" if c.name == "agreement" => agreement = Some(i),
            "number" => columns.push(Column::Number(i)),
            "level" => columns.push(Column::Level(i, c.levels.clone().unwrap_or_default())),
            _ => {}
        }
    }
    // Header.
    let mut line = String::from("point");
    for axis in &sidecar.axes {
        line.push(',');
        push_field(&mut line, &axis.path);
    }
    line.push_str(",runs,agreements,agreement_rate");
    for column in &columns {
        let (index, stats): (usize, &[&str]) = match column {
            Column::Number(i) => (*i, &NUMBER_STATS),
            Column::Level(i, _) => (*i, &LEVEL_STATS),
        };
        for stat in stats {
            line.push(',');
            push_field(&mut line, &format!("{}.{stat}", sidecar.columns[index].name));
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;

    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(sweep_csv);
    let mut record = csv::StringRecord::new();
    let mut current: Option<Point> = None;
    // The buffers of the point before, reused.
    let mut spare: Option<Point> = None;
    let mut rendered = String::new();
    loop {
        let more = reader.read_record(&mut record).map_err(io::Error::other)?;
        let point: Option<u64> = if more {
            Some(record.get(1).and_then(|p| p.parse().ok()).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "a row of sweep.csv has no point")
            })?)
        } else {
            None
        };
        if let Some(mut done) = current.take_if(|c| Some(c.index) != point) {
            rendered.clear();
            done.render(&columns, &mut rendered);
            out.write_all(rendered.as_bytes())?;
            spare = Some(done);
        }
        let Some(point) = point else { break };
        let acc = current.get_or_insert_with(|| {
            let mut acc = spare.take().unwrap_or_else(|| Point {
                index: 0,
                axes: Vec::new(),
                runs: 0,
                agreements: 0,
                values: vec![Vec::new(); columns.len()],
                first: vec![String::new(); columns.len()],
            });
            acc.index = point;
            acc.axes.clear();
            acc.axes.extend((0..axes).map(|a| record.get(4 + a).unwrap_or_default().to_string()));
            acc.runs = 0;
            acc.agreements = 0;
            acc.values.iter_mut().for_each(Vec::clear);
            acc
        });
        acc.runs += 1;
        if agreement.and_then(|i| record.get(i)) == Some("1") {
            acc.agreements += 1;
        }
        for ((values, first), column) in acc.values.iter_mut().zip(&mut acc.first).zip(&columns) {
            match column {
                Column::Number(i) => {
                    let text = record.get(*i).unwrap_or_default();
                    if let Ok(x) = text.parse::<f64>() {
                        if values.is_empty() {
                            first.clear();
                            first.push_str(text);
                        }
                        values.push(x);
                    }
                }
                Column::Level(i, levels) => {
                    let level = record.get(*i).and_then(|s| levels.iter().position(|l| l == s));
                    if let Some(p) = level {
                        values.push(p as f64);
                    }
                }
            }
        }
    }
    Ok(())
}

/// The runs of one point read so far.
struct Point {
    index: u64,
    axes: Vec<String>,
    runs: u64,
    agreements: u64,
    /// Per column: the values read.
    values: Vec<Vec<f64>>,
    /// Per number column: the text of its first value.
    first: Vec<String>,
}

impl Point {
    /// Appends the point's row of `summary.csv` (with its line break) to `line`.
    fn render(&mut self, columns: &[Column], line: &mut String) {
        let _ = write!(line, "{}", self.index);
        for axis in &self.axes {
            line.push(',');
            push_field(line, axis);
        }
        let _ = write!(line, ",{},{},", self.runs, self.agreements);
        push_number(line, self.agreements as f64 / self.runs as f64);
        for ((values, first), column) in self.values.iter_mut().zip(&self.first).zip(columns) {
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let _ = write!(line, ",{n}");
            match column {
                Column::Number(_) if n == 1 => {
                    // Mean and quantiles of one value are the value (the sum of one number
                    // is the number, divided by 1); no standard deviation.
                    for text in [first.as_str(), "", first, first, first] {
                        line.push(',');
                        line.push_str(text);
                    }
                }
                Column::Number(_) => {
                    let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
                    let sd = mean.filter(|_| n > 1).map(|m| {
                        (values.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64)
                            .sqrt()
                    });
                    for stat in [mean, sd] {
                        line.push(',');
                        if let Some(x) = stat {
                            push_number(line, x);
                        }
                    }
                    for q in [0.05, 0.5, 0.95] {
                        line.push(',');
                        if let Some(x) = quantile(values, q) {
                            push_number(line, x);
                        }
                    }
                }
                Column::Level(_, levels) => {
                    for q in [0.05, 0.5, 0.95] {
                        line.push(',');
                        if n > 0 {
                            let at = (q * (n - 1) as f64).floor() as usize;
                            push_field(line, &levels[values[at] as usize]);
                        }
                    }
                }
            }
        }
        line.push('\n');
    }
}

/// The `q` quantile of sorted values, by linear interpolation at position `q (n - 1)`.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let pos = q * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(if lo == hi { sorted[lo] } else { sorted[lo] + frac * (sorted[hi] - sorted[lo]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert!((quantile(&v, 0.05).unwrap() - 1.15).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.95), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
