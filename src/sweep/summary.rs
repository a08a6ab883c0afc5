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
    loop {
        let more = reader.read_record(&mut record).map_err(io::Error::other)?;
        let point: Option<u64> = if more {
            Some(record.get(1).and_then(|p| p.parse().ok()).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "a row of sweep.csv has no point")
            })?)
        } else {
            None
        };
        if let Some(done) = current.take_if(|c| Some(c.index) != point) {
            out.write_all(done.render(&columns).as_bytes())?;
        }
        let Some(point) = point else { break };
        let acc = current.get_or_insert_with(|| Point {
            index: point,
            axes: (0..axes).map(|a| record.get(4 + a).unwrap_or_default().to_string()).collect(),
            runs: 0,
            agreements: 0,
            values: vec![Vec::new(); columns.len()],
        });
        acc.runs += 1;
        if agreement.and_then(|i| record.get(i)) == Some("1") {
            acc.agreements += 1;
        }
        for (values, column) in acc.values.iter_mut().zip(&columns) {
            let x = match column {
                Column::Number(i) => record.get(*i).and_then(|s| s.parse::<f64>().ok()),
                Column::Level(i, levels) => record
                    .get(*i)
                    .and_then(|s| levels.iter().position(|l| l == s))
                    .map(|p| p as f64),
            };
            if let Some(x) = x {
                values.push(x);
            }
        }
    }
    Ok(())
}

struct Point {
    index: u64,
    axes: Vec<String>,
    runs: u64,
    agreements: u64,
    values: Vec<Vec<f64>>,
}

impl Point {
    fn render(mut self, columns: &[Column]) -> String {
        let mut line = self.index.to_string();
        for axis in &self.axes {
            line.push(',');
            push_field(&mut line, axis);
        }
        line.push_str(&format!(",{},{},", self.runs, self.agreements));
        push_number(&mut line, self.agreements as f64 / self.runs as f64);
        for (values, column) in self.values.iter_mut().zip(columns) {
            values.sort_by(f64::total_cmp);
            let n = values.len();
            line.push(',');
            line.push_str(&n.to_string());
            match column {
                Column::Number(_) => {
                    let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
                    let sd = mean.filter(|_| n > 1).map(|m| {
                        (values.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64)
                            .sqrt()
                    });
                    for stat in [mean, sd] {
                        line.push(',');
                        if let Some(x) = stat {
                            push_number(&mut line, x);
                        }
                    }
                    for q in [0.05, 0.5, 0.95] {
                        line.push(',');
                        if let Some(x) = quantile(values, q) {
                            push_number(&mut line, x);
                        }
                    }
                }
                Column::Level(_, levels) => {
                    for q in [0.05, 0.5, 0.95] {
                        line.push(',');
                        if n > 0 {
                            let at = (q * (n - 1) as f64).floor() as usize;
                            push_field(&mut line, &levels[values[at] as usize]);
                        }
                    }
                }
            }
        }
        line.push('\n');
        line
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
