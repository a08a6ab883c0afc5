//! A finished sweep read back for readers (charts, reports): `sweep.json` and `sweep.csv`,
//! checked line by line, and the key metrics summarized per value of the first one or two
//! axes.
//!
//! # What is summarized
//! The runs are grouped by the values of the *drawn* axes: the first axis, and the second
//! if there is one. Further axes are pooled: a group holds every run whose drawn axes have
//! its values, whatever the others are (said in [`SweepTable::pooled`]). For each group:
//! the runs, the deals, and for each key metric ([`MetricId`]: each party's gain, the round
//! of the deal, the terms of each issue) the count, mean and the 5, 25, 50, 75 and 95%
//! quantiles over its runs (linear interpolation at `q (n - 1)`, as in `summary.csv`; an
//! ordinal issue's terms as level indices, lowest level 0). The round and the terms exist
//! only for runs that ended in a deal.
//!
//! # Memory
//! In a grid the drawn axes are the first ones, which vary slowest, so a group's runs are
//! consecutive: each group is summarized as soon as the next begins and its values are
//! dropped, and memory is flat in the number of runs. Random and Latin hypercube designs keep
//! each group's values until the end.
//!
//! # Errors
//! Anything that does not read as the sweep its sidecar describes is refused with the file,
//! line and column, what is wrong and what to do: charts are drawn from files that accord
//! wrote, complete and unedited.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use super::output::{Labels, SIDECAR, Sidecar, Status};
use super::summary::quantile;

/// Why a sweep cannot be read.
#[derive(Debug)]
pub struct TableError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line and column, where known.
    pub place: Option<(u64, u64)>,
    /// What is wrong.
    pub problem: String,
    /// What to do.
    pub help: String,
    /// True if the disk failed rather than the files being wrong.
    pub io: bool,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.place {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}\n  = help: {}", self.problem, self.help)
    }
}

impl std::error::Error for TableError {}

/// How an axis's values are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisKind {
    /// Numbers: drawn on a numeric scale.
    Numeric,
    /// Names (strategy kinds): drawn as categories, in the order first seen.
    Categorical,
}

/// One axis of the sweep.
#[derive(Clone, Debug)]
pub struct AxisInfo {
    /// The path (the column name).
    pub path: String,
    /// Numbers or names.
    pub kind: AxisKind,
    /// Distinct values as `sweep.csv` prints them: ascending for numbers, in order of first
    /// appearance for names. Filled for drawn axes only.
    pub values: Vec<String>,
    /// The values as numbers (numeric axes).
    pub numbers: Vec<f64>,
    /// The value in the scenario as written, if known.
    pub scenario_value: Option<String>,
    /// Its position among the sweep's axes (its column is `4 + column` in `sweep.csv`).
    pub column: usize,
    /// The one value of an axis that `sweep.json` says has a single value (`--vary
    /// scenario.breakdown_risk=0.03`): such an axis is never drawn, only named.
    pub fixed: Option<String>,
}

/// A key metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricId {
    /// The share of runs that ended in a deal (per group, not per run).
    Agreement,
    /// A party's gain over its reservation value (column `gain.<party>`).
    Gain(usize),
    /// The round of the deal (runs with a deal).
    Round,
    /// The agreed terms of an issue (runs with a deal; level indices for an ordinal issue).
    Terms(usize),
}

/// Summary statistics of a metric over a group's runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Runs where the value exists.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Quantiles 5, 25, 50, 75, 95%.
    pub q: [f64; 5],
}

impl Stats {
    /// The median.
    pub fn median(&self) -> f64 {
        self.q[2]
    }

    fn of(values: &mut [f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let q = [0.05, 0.25, 0.5, 0.75, 0.95].map(|q| quantile(values, q).unwrap_or(f64::NAN));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Some(Stats { n: values.len() as u64, mean, q })
    }
}

/// The runs that share the drawn axes' values.
#[derive(Clone, Debug)]
pub struct Group {
    /// Index of the value of each drawn axis in [`AxisInfo::values`].
    pub at: Vec<usize>,
    /// Runs.
    pub runs: u64,
    /// Runs that ended in a deal.
    pub agreements: u64,
    /// Per metric (in [`SweepTable::metrics`] order): statistics, none where no run has a
    /// value (and always none for [`MetricId::Agreement`]: see [`Group::agreement_rate`]).
    pub stats: Vec<Option<Stats>>,
}

impl Group {
    /// The share of runs that ended in a deal.
    pub fn agreement_rate(&self) -> f64 {
        if self.runs == 0 { 0.0 } else { self.agreements as f64 / self.runs as f64 }
    }

    /// The 95% Wilson score interval of the agreement rate: where the chance of a deal lies
    /// given the runs seen (replicates differ by the breakdown draws and any random
    /// strategy). Unlike the normal approximation it stays inside `[0, 1]` and does not
    /// collapse to a point at 0% or 100%. `(0, 1)` without runs.
    pub fn agreement_interval(&self) -> (f64, f64) {
        if self.runs == 0 {
            return (0.0, 1.0);
        }
        const Z: f64 = 1.959_963_984_540_054;
        let n = self.runs as f64;
        let p = self.agreements as f64 / n;
        let z2 = Z * Z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        ((centre - half).max(0.0), (centre + half).min(1.0))
    }
}

/// A sweep read back: its sidecar, axes and per-group summaries.
#[derive(Clone, Debug)]
pub struct SweepTable {
    /// The sidecar.
    pub sidecar: Sidecar,
    /// Names for readers (from the sidecar, or the ids where an older sidecar has none).
    pub labels: Labels,
    /// Every axis, in column order.
    pub axes: Vec<AxisInfo>,
    /// How many axes are drawn (the first one or two).
    pub drawn: usize,
    /// The key metrics.
    pub metrics: Vec<MetricId>,
    /// The groups, ordered by the first drawn axis's values, then the second's.
    pub groups: Vec<Group>,
    /// Rows read.
    pub runs: u64,
}

impl SweepTable {
    /// The axes pooled within each group (those past the drawn ones).
    pub fn pooled(&self) -> &[AxisInfo] {
        &self.axes[self.drawn..]
    }

    /// The position of a metric in [`SweepTable::metrics`].
    pub fn metric_index(&self, metric: MetricId) -> Option<usize> {
        self.metrics.iter().position(|m| *m == metric)
    }

    /// Reads the sweep whose `sweep.csv` is at `csv_path` (its `sweep.json` beside it).
    pub fn read(csv_path: &Path) -> Result<SweepTable, TableError> {
        let dir = csv_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let sidecar_path = dir.join(SIDECAR);
        let sidecar = read_sidecar(&sidecar_path)?;
        let file = open_regular(csv_path)?;
        SweepTable::from_reader(sidecar, csv_path, BufReader::with_capacity(1 << 16, file))
    }

    /// Reads the rows of `sweep.csv` (named `csv_path` in errors) against a sidecar.
    pub fn from_reader(
        sidecar: Sidecar,
        csv_path: &Path,
        reader: impl io::Read,
    ) -> Result<SweepTable, TableError> {
        let bad = |place: Option<(u64, u64)>, problem: String| TableError {
            file: csv_path.to_path_buf(),
            place,
            problem,
            help: "charts are drawn from the sweep.csv that accord sweep (or merge) wrote, \
                   unedited; rerun the sweep with --force to write it again"
                .into(),
            io: false,
        };
        let labels = sidecar.labels.clone().unwrap_or_else(|| fallback_labels(&sidecar));
        let n_axes = sidecar.axes.len();
        let mut axes: Vec<AxisInfo> = sidecar
            .axes
            .iter()
            .enumerate()
            .map(|(a, axis)| AxisInfo {
                path: axis.path.clone(),
                kind: if axis.path.ends_with(".strategy") {
                    AxisKind::Categorical
                } else {
                    AxisKind::Numeric
                },
                values: Vec::new(),
                numbers: Vec::new(),
                scenario_value: labels.scenario_values.get(a).cloned().flatten(),
                column: a,
                fixed: (axis.values == Some(1)).then(|| axis.spec.clone()),
            })
            .collect();
        // Axes that vary come first (in column order), fixed ones after: a fixed axis is not a
        // dimension of the chart. Grid order is kept: a fixed axis never interleaves runs.
        axes.sort_by_key(|axis| axis.fixed.is_some());
        let varying = axes.iter().filter(|axis| axis.fixed.is_none()).count();
        let drawn = varying.clamp(1, 2).min(n_axes);
        let column = |name: &str| sidecar.columns.iter().position(|c| c.name == name);
        let agreement = column("agreement")
            .ok_or_else(|| bad(None, "sweep.json lists no `agreement` column".into()))?;
        let mut metrics = vec![(MetricId::Agreement, agreement, None)];
        for (p, party) in labels.parties.iter().enumerate() {
            if let Some(c) = column(&format!("gain.{}", party.id)) {
                metrics.push((MetricId::Gain(p), c, None));
            }
        }
        if let Some(c) = column("round") {
            metrics.push((MetricId::Round, c, None));
        }
        for (i, issue) in labels.issues.iter().enumerate() {
            if let Some(c) = column(&format!("terms.{}", issue.id)) {
                let levels = sidecar.columns[c].levels.clone();
                metrics.push((MetricId::Terms(i), c, levels));
            }
        }
        let deal_only = |m: MetricId| matches!(m, MetricId::Round | MetricId::Terms(_));

        let mut csv =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
        let mut record = csv::StringRecord::new();
        let header: Vec<&str> = sidecar.columns.iter().map(|c| c.name.as_str()).collect();
        let read = |csv: &mut csv::Reader<_>, record: &mut csv::StringRecord| {
            csv.read_record(record).map_err(|e| {
                let place = e.position().map(|p| (p.line(), 1));
                // The error's words, not its Debug text (issue 7 item 13).
                let text = e.to_string();
                match e.into_kind() {
                    csv::ErrorKind::Io(error) => TableError {
                        file: csv_path.to_path_buf(),
                        place: None,
                        problem: format!(
                            "cannot read it: {}",
                            crate::export::publish::describe(&error)
                        ),
                        help: "check the file and the disk".into(),
                        io: true,
                    },
                    _ => bad(place, format!("not CSV as accord writes it ({text})")),
                }
            })
        };
        if !read(&mut csv, &mut record)? {
            return Err(bad(None, "the file is empty; it should start with the header".into()));
        }
        if record.iter().ne(header.iter().copied()) {
            return Err(bad(
                Some((1, 1)),
                "the header is not the one sweep.json lists for this sweep".into(),
            ));
        }

        struct Acc {
            at: Vec<usize>,
            runs: u64,
            agreements: u64,
            values: Vec<Vec<f64>>,
            done: Option<Group>,
        }
        let finish = |acc: &mut Acc| {
            if acc.done.is_none() {
                let stats = acc
                    .values
                    .iter_mut()
                    .zip(&metrics)
                    .map(|(v, (m, ..))| if *m == MetricId::Agreement { None } else { Stats::of(v) })
                    .collect();
                acc.values = Vec::new();
                acc.done = Some(Group {
                    at: acc.at.clone(),
                    runs: acc.runs,
                    agreements: acc.agreements,
                    stats,
                });
            }
        };
        let grid = sidecar.design.kind == "grid";
        let mut keys: HashMap<Vec<String>, usize> = HashMap::new();
        let mut accs: Vec<Acc> = Vec::new();
        let mut current: Option<usize> = None;
        let replicates = sidecar.replicates.max(1);
        let mut expected = sidecar.shard.first_run;
        let mut runs = 0u64;
        let mut key: Vec<String> = Vec::with_capacity(drawn);
        while read(&mut csv, &mut record)? {
            let line = record.position().map_or(0, |p| p.line());
            let col = |field: usize| {
                1 + (0..field).map(|f| record.get(f).map_or(0, str::len) as u64 + 1).sum::<u64>()
            };
            if record.len() != header.len() {
                return Err(bad(
                    Some((line, 1)),
                    format!("{} fields, the header has {}", record.len(), header.len()),
                ));
            }
            let whole = |field: usize| record.get(field).and_then(|s| s.parse::<u64>().ok());
            if whole(0) != Some(expected) {
                return Err(bad(
                    Some((line, 1)),
                    format!("this line should hold run {expected}, in run order"),
                ));
            }
            if whole(1) != Some(expected / replicates) {
                return Err(bad(
                    Some((line, col(1))),
                    format!("run {expected} is at point {}", expected / replicates),
                ));
            }
            if expected >= sidecar.shard.end_run {
                return Err(bad(
                    Some((line, 1)),
                    format!("more rows than the {} runs sweep.json lists", sidecar.completed_runs),
                ));
            }
            expected += 1;
            runs += 1;
            for axis in axes.iter_mut() {
                let text = &record[4 + axis.column];
                if runs == 1 && axis.fixed.is_some() {
                    // The value as sweep.csv prints it, not the SPEC as typed.
                    axis.fixed = Some(text.to_string());
                }
                if axis.kind == AxisKind::Numeric && !text.parse::<f64>().is_ok_and(f64::is_finite)
                {
                    return Err(bad(
                        Some((line, col(4 + axis.column))),
                        format!("`{text}` in column `{}` is not a number", axis.path),
                    ));
                }
            }
            key.clear();
            key.extend(axes[..drawn].iter().map(|axis| record[4 + axis.column].to_string()));
            let g = match keys.get(&key) {
                Some(&g) => {
                    if accs[g].done.is_some() {
                        return Err(bad(
                            Some((line, col(4))),
                            "the axes' values repeat those of an earlier point out of grid \
                             order"
                                .into(),
                        ));
                    }
                    g
                }
                None => {
                    if grid && let Some(c) = current {
                        finish(&mut accs[c]);
                    }
                    let mut at = Vec::with_capacity(drawn);
                    for (a, value) in key.iter().enumerate() {
                        let values = &mut axes[a].values;
                        at.push(values.iter().position(|v| v == value).unwrap_or_else(|| {
                            values.push(value.clone());
                            values.len() - 1
                        }));
                    }
                    keys.insert(key.clone(), accs.len());
                    accs.push(Acc {
                        at,
                        runs: 0,
                        agreements: 0,
                        values: vec![Vec::new(); metrics.len()],
                        done: None,
                    });
                    accs.len() - 1
                }
            };
            current = Some(g);
            let deal = match &record[agreement] {
                "1" => true,
                "0" => false,
                other => {
                    return Err(bad(
                        Some((line, col(agreement))),
                        format!("`{other}` in column `agreement`: expected 1 or 0"),
                    ));
                }
            };
            let acc = &mut accs[g];
            acc.runs += 1;
            acc.agreements += u64::from(deal);
            for (k, (metric, c, levels)) in metrics.iter().enumerate() {
                if *metric == MetricId::Agreement || (deal_only(*metric) && !deal) {
                    continue;
                }
                let text = &record[*c];
                if text.is_empty() {
                    continue;
                }
                let value = match levels {
                    Some(levels) => levels.iter().position(|l| l == text).map(|p| p as f64),
                    None => text.parse::<f64>().ok().filter(|x| x.is_finite()),
                };
                let Some(value) = value else {
                    return Err(bad(
                        Some((line, col(*c))),
                        format!(
                            "`{text}` in column `{}` is not {}",
                            header[*c],
                            if levels.is_some() { "one of the issue's levels" } else { "a number" }
                        ),
                    ));
                };
                acc.values[k].push(value);
            }
        }
        let want = sidecar.shard.end_run - sidecar.shard.first_run;
        if runs != want {
            return Err(bad(
                None,
                format!("{runs} rows; sweep.json says this folder holds {want} runs"),
            ));
        }
        if runs == 0 {
            return Err(bad(None, "no runs to draw".into()));
        }
        // Numeric values ascending; group positions follow.
        let mut remap: Vec<Vec<usize>> = Vec::new();
        for axis in axes.iter_mut().take(drawn) {
            let mut order: Vec<usize> = (0..axis.values.len()).collect();
            if axis.kind == AxisKind::Numeric {
                axis.numbers = axis.values.iter().map(|v| v.parse().unwrap_or(f64::NAN)).collect();
                order.sort_by(|&a, &b| axis.numbers[a].total_cmp(&axis.numbers[b]));
                axis.values = order.iter().map(|&i| axis.values[i].clone()).collect();
                axis.numbers = order.iter().map(|&i| axis.numbers[i]).collect();
            }
            let mut inverse = vec![0; order.len()];
            for (new, &old) in order.iter().enumerate() {
                inverse[old] = new;
            }
            remap.push(inverse);
        }
        let mut groups: Vec<Group> = accs
            .into_iter()
            .map(|mut acc| {
                finish(&mut acc);
                let mut group = acc.done.expect("finished");
                for (a, at) in group.at.iter_mut().enumerate() {
                    *at = remap[a][*at];
                }
                group
            })
            .collect();
        groups.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(SweepTable {
            sidecar,
            labels,
            axes,
            drawn,
            metrics: metrics.iter().map(|(m, ..)| *m).collect(),
            groups,
            runs,
        })
    }
}

/// Reads and checks `sweep.json`: a sidecar this accord reads, of a complete sweep.
pub fn read_sidecar(path: &Path) -> Result<Sidecar, TableError> {
    let file = path.to_path_buf();
    let text = fs::read_to_string(path).map_err(|e| TableError {
        file: file.clone(),
        place: None,
        problem: format!("cannot read it: {}", crate::export::publish::describe(&e)),
        help: "charts of a sweep need the sweep.json that accord sweep wrote beside sweep.csv"
            .into(),
        io: e.kind() != io::ErrorKind::NotFound && e.kind() != io::ErrorKind::InvalidData,
    })?;
    let sidecar: Sidecar = serde_json::from_str(&text).map_err(|e| TableError {
        file: file.clone(),
        place: Some((e.line() as u64, e.column() as u64)),
        problem: format!("not a sweep sidecar this accord can read: {e}"),
        help: "use the sweep.json that accord sweep wrote, unedited; rerun the sweep with \
               --force to write it again"
            .into(),
        io: false,
    })?;
    if sidecar.status != Status::Complete {
        return Err(TableError {
            file,
            place: None,
            problem: "the sweep is not complete (its status is `running`)".into(),
            help: "finish it first: rerun the same accord sweep command with --resume".into(),
            io: false,
        });
    }
    let first_metric = 4 + sidecar.axes.len();
    if sidecar.columns.len() < first_metric
        || sidecar.columns[4..first_metric].iter().zip(&sidecar.axes).any(|(c, a)| c.name != a.path)
        || sidecar.axes.is_empty()
    {
        return Err(TableError {
            file,
            place: None,
            problem: "its columns do not start with the run columns and the axes".into(),
            help: "use the sweep.json that accord sweep wrote, unedited".into(),
            io: false,
        });
    }
    Ok(sidecar)
}

/// Opens a regular file (a FIFO or a device would block or never end).
fn open_regular(path: &Path) -> Result<fs::File, TableError> {
    let error = |problem: String, io: bool| TableError {
        file: path.to_path_buf(),
        place: None,
        problem,
        help: "give the sweep.csv that accord sweep wrote".into(),
        io,
    };
    let meta = fs::metadata(path).map_err(|e| {
        error(format!("cannot read it: {}", crate::export::publish::describe(&e)), false)
    })?;
    if !meta.is_file() {
        return Err(error("not a regular file".into(), false));
    }
    fs::File::open(path).map_err(|e| {
        error(format!("cannot read it: {}", crate::export::publish::describe(&e)), true)
    })
}

/// Labels from the column names alone (a sidecar written before labels were recorded).
fn fallback_labels(sidecar: &Sidecar) -> Labels {
    use super::output::{IssueLabel, PartyLabel};
    let parties = sidecar
        .columns
        .iter()
        .filter_map(|c| c.name.strip_prefix("gain."))
        .map(|id| PartyLabel { id: id.to_string(), name: id.to_string() })
        .collect();
    let issues = sidecar
        .columns
        .iter()
        .filter_map(|c| Some((c.name.strip_prefix("terms.")?, c)))
        .map(|(id, c)| IssueLabel {
            id: id.to_string(),
            label: id.replace('_', " "),
            unit: String::new(),
            range: None,
            levels: c.levels.clone().unwrap_or_default(),
        })
        .collect();
    Labels { parties, issues, scenario_values: vec![None; sidecar.axes.len()] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::output::{AxisRecord, ColumnRecord, DesignRecord, ScenarioId, ShardRecord};

    fn sidecar(axes: &[&str], replicates: u64, runs: u64) -> Sidecar {
        let mut columns: Vec<ColumnRecord> = ["run", "point", "replicate", "seed"]
            .iter()
            .map(|c| ColumnRecord { name: c.to_string(), kind: "run".into(), levels: None })
            .collect();
        columns.extend(axes.iter().map(|a| ColumnRecord {
            name: a.to_string(),
            kind: "axis".into(),
            levels: None,
        }));
        for (name, levels) in [
            ("agreement", None),
            ("round", None),
            ("terms.x", Some(vec!["low".to_string(), "high".to_string()])),
            ("gain.a", None),
        ] {
            let kind = if levels.is_some() { "level" } else { "number" };
            columns.push(ColumnRecord { name: name.into(), kind: kind.into(), levels });
        }
        Sidecar {
            schema_version: 1,
            accord_version: "test".into(),
            status: Status::Complete,
            stem: "t".into(),
            scenario: ScenarioId { file: "t.toml".into(), name: "T".into(), sha256: String::new() },
            commands: vec![],
            seed: 0,
            seed_rule: String::new(),
            design: DesignRecord {
                kind: "grid".into(),
                rule: String::new(),
                samples: None,
                points: runs / replicates,
            },
            axes: axes
                .iter()
                .map(|a| AxisRecord { path: a.to_string(), spec: String::new(), values: None })
                .collect(),
            replicates,
            analysis: "solutions".into(),
            runs,
            shard: ShardRecord { index: 1, count: 1, first_run: 0, end_run: runs },
            columns,
            completed_runs: runs,
            rows_sha256: None,
            labels: None,
        }
    }

    #[test]
    fn groups_hold_quantiles_over_replicates_and_pool_later_axes() {
        // Two axes (the first drawn... both drawn) plus a third, pooled; two replicates.
        let sc = sidecar(&["p", "q", "parties.a.strategy"], 2, 8);
        let mut csv = sc.header();
        // point = (p, q, r): p in {0.5, 0.1} (descending in the file), q in {1}, r in {a, b}.
        let rows = [
            (0, "0.5", "r1", "1", "10", "low", "0.2"),
            (1, "0.5", "r1", "0", "30", "", "0"),
            (2, "0.5", "r2", "1", "20", "high", "0.4"),
            (3, "0.5", "r2", "1", "40", "high", "0.6"),
            (4, "0.1", "r1", "0", "5", "", "0"),
            (5, "0.1", "r1", "0", "5", "", "0"),
            (6, "0.1", "r2", "0", "5", "", "0"),
            (7, "0.1", "r2", "0", "5", "", "0"),
        ];
        for (run, p, r, deal, round, level, gain) in rows {
            csv.push_str(&format!(
                "{run},{},{},0,{p},1,{r},{deal},{round},{level},{gain}\n",
                run / 2,
                run % 2
            ));
        }
        let table = SweepTable::from_reader(sc, Path::new("sweep.csv"), csv.as_bytes()).unwrap();
        assert_eq!(table.drawn, 2);
        assert_eq!(table.pooled().len(), 1);
        assert_eq!(table.axes[0].values, ["0.1", "0.5"], "numbers ascending");
        assert_eq!(table.groups.len(), 2);
        let (low, high) = (&table.groups[0], &table.groups[1]);
        assert_eq!((low.at.clone(), low.runs, low.agreements), (vec![0, 0], 4, 0));
        assert_eq!((high.at.clone(), high.runs, high.agreements), (vec![1, 0], 4, 3));
        assert_eq!(high.agreement_rate(), 0.75);
        let round = table.metric_index(MetricId::Round).unwrap();
        // Rounds of the deals only: 10, 20, 40.
        let stats = high.stats[round].unwrap();
        assert_eq!((stats.n, stats.median()), (3, 20.0));
        assert!((stats.q[0] - 11.0).abs() < 1e-12 && (stats.q[4] - 38.0).abs() < 1e-12);
        assert!(low.stats[round].is_none(), "no deal, no round");
        let terms = table.metric_index(MetricId::Terms(0)).unwrap();
        assert_eq!(high.stats[terms].unwrap().median(), 1.0, "levels as indices");
        let gain = table.metric_index(MetricId::Gain(0)).unwrap();
        assert_eq!(high.stats[gain].unwrap().n, 4, "gains exist without a deal");
    }

    #[test]
    fn rows_out_of_order_or_malformed_are_located() {
        let sc = sidecar(&["p"], 1, 2);
        let header = sc.header();
        let cases = [
            ("0,0,0,0,0.5,1,3,low,0.1\n2,1,0,0,0.6,1,3,low,0.1\n", "3:1", "run 1"),
            ("0,0,0,0,0.5,1,3,middle,0.1\n1,1,0,0,0.6,1,3,low,0.1\n", "2:", "levels"),
            ("0,0,0,0,0.5,yes,3,low,0.1\n1,1,0,0,0.6,1,3,low,0.1\n", "2:", "expected 1 or 0"),
            ("0,0,0,0,0.5,1,3,low\n", "2:1", "fields"),
        ];
        for (rows, place, what) in cases {
            let text = format!("{header}{rows}");
            let e = SweepTable::from_reader(sc.clone(), Path::new("s.csv"), text.as_bytes())
                .unwrap_err();
            let shown = e.to_string();
            assert!(shown.starts_with(&format!("s.csv:{place}")), "{shown}");
            assert!(shown.contains(what) && shown.contains("= help:"), "{shown}");
        }
    }

    #[test]
    fn the_agreement_interval_is_wilson_s() {
        let group = |runs, agreements| Group { at: vec![0], runs, agreements, stats: Vec::new() };
        // 7 deals in 10 runs: the textbook Wilson interval is 0.3968 to 0.8922.
        let (lo, hi) = group(10, 7).agreement_interval();
        assert!((lo - 0.396_8).abs() < 1e-4 && (hi - 0.892_2).abs() < 1e-4, "{lo} {hi}");
        // No deal in 40 runs still leaves room above 0 (0 to 0.0876).
        let (lo, hi) = group(40, 0).agreement_interval();
        assert!(lo == 0.0 && (hi - 0.087_6).abs() < 1e-4, "{lo} {hi}");
        assert_eq!(group(0, 0).agreement_interval(), (0.0, 1.0));
    }
}
