//! A sweep's folder: the sidecar `sweep.json`, the streamed `sweep.csv`, resume, publishing.
//!
//! # Files and states
//! `OUT/<name>/` holds, while the sweep runs, `sweep.json` with `"status": "running"` and
//! `sweep.csv.partial`, the header and one line per finished run, appended in run order
//! and flushed after every block of runs. When every run is written, `summary.csv` is
//! computed from it, `sweep.csv.partial` is renamed `sweep.csv`, and `sweep.json` is
//! rewritten with `"status": "complete"` and the run count: a sweep is complete when its
//! sidecar says so. Each step is a rename, made holding the folder's set lock, so that an
//! `accord run` or `accord report` publishing into the same folder keeps the sweep's files
//! (`export::publish` carries them over).
//!
//! # Interruptions
//! A killed sweep leaves `sweep.json` running and `sweep.csv.partial` with whole lines and
//! perhaps one partial last line. `--resume` checks that the sidecar describes the same
//! sweep (scenario text, axes, design, seed, replicates, shard, version), discards the
//! partial line, checks that the lines are the runs from the shard's first in order, and
//! continues at the next run. Rows depend on the run index alone, so the result is
//! byte-identical to an uninterrupted sweep. Without `--resume` or `--force`, a folder that
//! holds a sweep is refused: a finished sweep is never silently overwritten. Two sweeps
//! never write one folder at once: the partial file is locked while a sweep writes it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::export::publish;
use crate::export::row::{self, Metric, MetricKind, RUN_COLUMNS, SWEEP_SCHEMA_VERSION};
use crate::model::Scenario;

use super::runner::Plan;
use super::seed::SEED_RULE;
use super::{SweepConfig, SweepError, summary};

/// The finished rows.
pub const SWEEP_CSV: &str = "sweep.csv";
/// The rows while the sweep runs.
pub const PARTIAL_CSV: &str = "sweep.csv.partial";
/// The sidecar.
pub const SIDECAR: &str = "sweep.json";
/// The per-point summary.
pub const SUMMARY_CSV: &str = "summary.csv";

/// Whether a sweep has finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Runs are being written (or the sweep was interrupted).
    Running,
    /// Every run is in `sweep.csv` and `summary.csv` is written.
    Complete,
}

/// The scenario a sweep ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioId {
    /// The file as given on the command line.
    pub file: String,
    /// The scenario's `name`.
    pub name: String,
    /// sha256 of the file's text, in hex.
    pub sha256: String,
}

/// The design, as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesignRecord {
    /// `grid`, `random` or `lhs`.
    pub kind: String,
    /// How points are drawn, in one sentence.
    pub rule: String,
    /// `--samples` (random and lhs).
    pub samples: Option<u64>,
    /// Number of design points.
    pub points: u64,
}

/// One axis, as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisRecord {
    /// The path (the column name).
    pub path: String,
    /// The SPEC as given.
    pub spec: String,
    /// Its number of grid values (none for a range sampled by random and lhs designs).
    pub values: Option<usize>,
}

/// Which runs a shard holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// Which shard, from 1.
    pub index: u64,
    /// How many shards.
    pub count: u64,
    /// Its first run index.
    pub first_run: u64,
    /// One past its last run index.
    pub end_run: u64,
}

/// One column of `sweep.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnRecord {
    /// The header name.
    pub name: String,
    /// `run` (the four run columns), `axis`, `number`, `level` or `text`.
    pub kind: String,
    /// For a `level` column: the issue's levels, lowest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
}

/// `sweep.json`: everything needed to reproduce a sweep, and whether it is complete.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    /// The layout version of the sweep files.
    pub schema_version: u32,
    /// The accord version that ran the sweep.
    pub accord_version: String,
    /// `running` or `complete`.
    pub status: Status,
    /// The folder name of the whole sweep (the scenario's stem), where `merge` writes.
    pub stem: String,
    /// The scenario.
    pub scenario: ScenarioId,
    /// The command lines that made these files (one per shard after a merge).
    pub commands: Vec<Vec<String>>,
    /// The base seed.
    pub seed: u64,
    /// How each run's seed derives from the base seed.
    pub seed_rule: String,
    /// The design.
    pub design: DesignRecord,
    /// The axes, in column order.
    pub axes: Vec<AxisRecord>,
    /// Runs per design point.
    pub replicates: u64,
    /// The analysis level of every run (`solutions`: no frontier).
    pub analysis: String,
    /// Runs in the whole sweep.
    pub runs: u64,
    /// The runs this folder holds.
    pub shard: ShardRecord,
    /// The columns of `sweep.csv`.
    pub columns: Vec<ColumnRecord>,
    /// Rows in `sweep.csv` (set when complete).
    pub completed_runs: u64,
    /// sha256 of `sweep.csv`, in hex (set when complete; absent in sidecars of older
    /// accords): `accord merge` checks each shard's rows against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_sha256: Option<String>,
    /// Names and units for readers (charts, reports); absent in sidecars of older accords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
}

/// What a reader of the sweep needs to name things in words: the parties' names, the
/// issues' labels and units, and each axis's value in the scenario as written. Nothing in
/// it changes what runs; charts and reports read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    /// The parties, in scenario order.
    pub parties: Vec<PartyLabel>,
    /// The issues, in scenario order.
    pub issues: Vec<IssueLabel>,
    /// For each axis (in axis order): its value in the scenario as written, as `sweep.csv`
    /// would print it (a number or a strategy kind); none where the scenario has no value.
    pub scenario_values: Vec<Option<String>>,
}

/// A party's id and name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyLabel {
    /// The id (as in column names).
    pub id: String,
    /// The name for readers.
    pub name: String,
}

/// An issue's id, label, unit and range or levels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueLabel {
    /// The id (as in column names).
    pub id: String,
    /// The label for readers.
    pub label: String,
    /// The unit of a numeric issue (may be empty).
    pub unit: String,
    /// The range of a numeric issue; none for an ordinal one.
    pub range: Option<[f64; 2]>,
    /// The levels of an ordinal issue, lowest first; empty for a numeric one.
    pub levels: Vec<String>,
}

impl Labels {
    /// The labels of a scenario swept along `axes`.
    pub fn new(scenario: &Scenario, axes: &[super::Axis]) -> Labels {
        let params = scenario.params();
        Labels {
            parties: scenario
                .parties()
                .iter()
                .map(|p| PartyLabel { id: p.id().to_string(), name: p.name().to_string() })
                .collect(),
            issues: scenario
                .issues()
                .iter()
                .map(|i| IssueLabel {
                    id: i.id().to_string(),
                    label: i.label().to_string(),
                    unit: i.unit().to_string(),
                    range: (!i.is_ordinal()).then(|| [i.lower(), i.upper()]),
                    levels: if i.is_ordinal() { i.levels().to_vec() } else { Vec::new() },
                })
                .collect(),
            scenario_values: axes
                .iter()
                .map(|a| params.get(&a.path).map(|v| v.to_string()))
                .collect(),
        }
    }
}

impl Sidecar {
    /// The sidecar of a sweep about to run.
    pub fn new(scenario: &Scenario, config: &SweepConfig, metrics: &[Metric]) -> Sidecar {
        let design = &config.design;
        let total = design.points().saturating_mul(config.replicates);
        let runs = config.shard.runs(total);
        let mut columns: Vec<ColumnRecord> = RUN_COLUMNS
            .iter()
            .map(|c| ColumnRecord { name: c.to_string(), kind: "run".into(), levels: None })
            .collect();
        columns.extend(design.axes.iter().map(|a| ColumnRecord {
            name: a.name.clone(),
            kind: "axis".into(),
            levels: None,
        }));
        columns.extend(metrics.iter().map(|m| {
            let (kind, levels) = match m.kind {
                MetricKind::Number => ("number", None),
                MetricKind::Text => ("text", None),
                MetricKind::Level(i) => ("level", Some(scenario.issues()[i].levels().to_vec())),
            };
            ColumnRecord { name: m.name.clone(), kind: kind.into(), levels }
        }));
        Sidecar {
            schema_version: SWEEP_SCHEMA_VERSION,
            accord_version: env!("CARGO_PKG_VERSION").to_string(),
            status: Status::Running,
            stem: config.stem.clone(),
            scenario: ScenarioId {
                file: config.scenario_file.clone(),
                name: scenario.name().to_string(),
                sha256: config.scenario_sha256.clone(),
            },
            commands: vec![config.command.clone()],
            seed: config.seed,
            seed_rule: SEED_RULE.to_string(),
            design: DesignRecord {
                kind: design.kind.as_str().to_string(),
                rule: design.rule(),
                samples: design.samples,
                points: design.points(),
            },
            axes: design
                .axes
                .iter()
                .map(|a| AxisRecord {
                    path: a.name.clone(),
                    spec: a.spec_text.clone(),
                    values: (!a.is_empty()).then_some(a.len()),
                })
                .collect(),
            replicates: config.replicates,
            analysis: "solutions".to_string(),
            runs: total,
            shard: ShardRecord {
                index: config.shard.index,
                count: config.shard.count,
                first_run: runs.start,
                end_run: runs.end,
            },
            columns,
            completed_runs: 0,
            rows_sha256: None,
            labels: Some(Labels::new(scenario, &design.axes)),
        }
    }

    /// The sidecar as written: pretty JSON with a final line break.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("sidecars serialize");
        text.push('\n');
        text
    }

    /// What must agree for two sidecars to describe the same sweep (or shard): everything
    /// but the status, the command lines, the file name as typed and the run count.
    fn identity(&self) -> Sidecar {
        let mut id = self.clone();
        id.status = Status::Running;
        id.commands.clear();
        id.scenario.file.clear();
        id.completed_runs = 0;
        id.rows_sha256 = None;
        id
    }

    /// The first field in which two sidecars describe different sweeps, if any.
    pub fn difference(&self, other: &Sidecar) -> Option<String> {
        let (a, b) = (self.identity(), other.identity());
        let checks: [(&str, bool); 10] = [
            (
                "the accord version",
                a.accord_version == b.accord_version && a.schema_version == b.schema_version,
            ),
            ("the scenario file's text (sha256)", a.scenario.sha256 == b.scenario.sha256),
            ("the base seed", a.seed == b.seed),
            ("the axes", a.axes == b.axes),
            ("the design", a.design == b.design),
            ("the replicates", a.replicates == b.replicates),
            ("the shard", a.shard == b.shard),
            ("the columns", a.columns == b.columns),
            ("the run count", a.runs == b.runs),
            ("the output name", a.stem == b.stem),
        ];
        checks
            .iter()
            .find(|(_, same)| !same)
            .map(|(what, _)| what.to_string())
            .or_else(|| (a != b).then(|| "the recorded settings".to_string()))
    }

    /// The header of `sweep.csv`.
    pub fn header(&self) -> String {
        let mut line = String::new();
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            row::push_field(&mut line, &c.name);
        }
        line.push('\n');
        line
    }
}

/// Reads a sidecar; `None` if the folder has none.
pub fn read_sidecar(dir: &Path) -> Result<Option<Sidecar>, SweepError> {
    let path = dir.join(SIDECAR);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SweepError::io("read", &path, e)),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| SweepError::Folder {
        dir: dir.to_path_buf(),
        problem: format!("{SIDECAR} is not a sweep sidecar this accord can read ({e})"),
        help: "use --force to replace what is there, or another --out".into(),
    })
}

/// What the caller is told as runs finish, and how it asks the sweep to stop.
pub struct Progress<'a> {
    /// Called with (runs done in this shard, runs in this shard) after every block.
    pub on_runs: &'a (dyn Fn(u64, u64) + Sync),
    /// Set (by a Ctrl-C handler) to stop after the current block, keeping what is written.
    pub stop: &'a AtomicBool,
}

/// How a sweep ended.
#[derive(Debug, PartialEq)]
pub enum SweepOutcome {
    /// Every run is written; the files, in the order written.
    Complete {
        /// The folder.
        dir: PathBuf,
        /// Runs computed by this process (the others were resumed from disk).
        ran: u64,
        /// Runs in the folder.
        runs: u64,
    },
    /// The folder already held this sweep, complete (`--resume` on a finished sweep).
    AlreadyComplete {
        /// The folder.
        dir: PathBuf,
    },
    /// Stopped on request; `--resume` continues.
    Interrupted {
        /// The folder.
        dir: PathBuf,
        /// Runs written.
        done: u64,
        /// Runs in this shard.
        total: u64,
    },
}

/// Runs a sweep (or one shard of it) into `config.out/config.name/`.
pub fn run_sweep(
    scenario: &Scenario,
    config: &SweepConfig,
    max_runs: u64,
    progress: &Progress<'_>,
) -> Result<SweepOutcome, SweepError> {
    super::check_size(config.design.points(), config.replicates, max_runs)?;
    config.design.check(scenario)?;
    let metrics = row::metrics(scenario);
    let sidecar = Sidecar::new(scenario, config, &metrics);
    let runs = config.shard.runs(sidecar.runs);
    let dir = publish::prepare_folder(
        &config.out,
        &config.name,
        &[SWEEP_CSV, PARTIAL_CSV, SIDECAR, SUMMARY_CSV],
    )?;

    // The partial file is the sweep's lock: create it if missing (never truncate yet). A file
    // locked after another sweep removed it (an empty one, or a finished sweep's) is not the
    // folder's any more: open the path again.
    let partial_path = dir.join(PARTIAL_CSV);
    let mut attempts = 0;
    let mut partial = loop {
        let partial = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&partial_path)
            .map_err(|e| SweepError::io("open", &partial_path, e))?;
        match partial.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(SweepError::Folder {
                    dir,
                    problem: "another accord sweep is writing into this folder".into(),
                    help: "wait for it to finish, or give this sweep another --out".into(),
                });
            }
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {}
            Err(fs::TryLockError::Error(e)) => {
                return Err(SweepError::io("lock", &partial_path, e));
            }
        }
        attempts += 1;
        if attempts >= 10 || is_same_file(&partial, &partial_path) {
            break partial;
        }
    };
    // Dropped before `partial` (so while the lock is held): a sweep refused before it wrote
    // its header leaves no empty partial file behind.
    let _empty_partial = RemoveIfEmpty(&partial_path);

    let existing = read_sidecar(&dir)?;
    let start = match (&existing, config.force) {
        (Some(old), false) => {
            let done = old.status == Status::Complete;
            if let Some(what) = old.difference(&sidecar) {
                return Err(SweepError::Folder {
                    dir,
                    problem: format!(
                        "it holds {} sweep made with different settings (they differ in {what})",
                        if done { "a complete" } else { "an unfinished" }
                    ),
                    help: "use --force to replace it, or give another --out".into(),
                });
            }
            if !config.resume {
                return Err(SweepError::Folder {
                    dir,
                    problem: if done {
                        "it already holds this sweep, complete".into()
                    } else {
                        "it holds this sweep, unfinished".into()
                    },
                    help: if done {
                        "use --force to run it again, or another --out".into()
                    } else {
                        "rerun with --resume to finish it, or --force to start over".into()
                    },
                });
            }
            if done && dir.join(SWEEP_CSV).exists() && dir.join(SUMMARY_CSV).exists() {
                // Removed while still locked: a sweep waiting for the lock opens the path anew.
                let _ = fs::remove_file(&partial_path);
                drop(partial);
                return Ok(SweepOutcome::AlreadyComplete { dir });
            }
            // Killed between renaming the rows and rewriting the sidecar: take them back.
            let finished = dir.join(SWEEP_CSV);
            if finished.exists() && fs::metadata(&partial_path).is_ok_and(|m| m.len() == 0) {
                publish::with_lock(&dir, |d| fs::rename(d.join(SWEEP_CSV), &partial_path))?
                    .map_err(|e| SweepError::io("rename", &finished, e))?;
                partial = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(&partial_path)
                    .map_err(|e| SweepError::io("open", &partial_path, e))?;
                let _ = partial.try_lock();
            }
            recover(&mut partial, &partial_path, &sidecar, runs.clone())?
        }
        (None, _) | (Some(_), true) => {
            // Nothing to resume (or --force): a fresh sweep.
            publish::with_lock(&dir, |d| -> io::Result<()> {
                for file in [SWEEP_CSV, SUMMARY_CSV] {
                    match fs::remove_file(d.join(file)) {
                        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                        _ => {}
                    }
                }
                // Charts of the sweep this one replaces would describe other data.
                remove_sweep_charts(d, |_| true);
                publish::replace_file(d, SIDECAR, sidecar.to_json().as_bytes())
            })?
            .map_err(|e| SweepError::io("write", &dir.join(SIDECAR), e))?;
            partial.set_len(0).map_err(|e| SweepError::io("write", &partial_path, e))?;
            partial
                .write_all(sidecar.header().as_bytes())
                .map_err(|e| SweepError::io("write", &partial_path, e))?;
            runs.start
        }
    };

    // Run what is left, block by block, appending in run order.
    partial.seek(SeekFrom::End(0)).map_err(|e| SweepError::io("write", &partial_path, e))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.max(1))
        .build()
        .map_err(|e| SweepError::io("start threads for", &dir, io::Error::other(e)))?;
    let plan = Plan::new(
        scenario,
        &config.design,
        config.replicates,
        config.seed,
        &metrics,
        config.threads.max(1),
    );
    let shard_total = runs.end - runs.start;
    let mut next = start;
    let mut block = 16u64.max(config.threads as u64 * 4);
    (progress.on_runs)(next - runs.start, shard_total);
    let write_error = |e: io::Error| SweepError::Io {
        action: "write",
        path: partial_path.clone(),
        error: e,
        resumable: true,
    };
    while next < runs.end {
        if progress.stop.load(Ordering::SeqCst) {
            partial.sync_all().map_err(write_error)?;
            return Ok(SweepOutcome::Interrupted {
                dir,
                done: next - runs.start,
                total: shard_total,
            });
        }
        let end = runs.end.min(next + block);
        let began = Instant::now();
        let rows = pool.install(|| plan.rows(next..end))?;
        let mut bytes = Vec::with_capacity(rows.iter().map(String::len).sum());
        for row in &rows {
            bytes.extend_from_slice(row.as_bytes());
        }
        partial.write_all(&bytes).map_err(write_error)?;
        next = end;
        (progress.on_runs)(next - runs.start, shard_total);
        // Blocks of a tenth to half a second: Ctrl-C answers fast, the pool stays busy. A
        // short block grows towards a tenth of a second at once (up to 16 times larger), so
        // that a fast sweep does not pay a handful of pauses between small first blocks:
        // between blocks the pool's threads sleep, and on a loaded machine waking them
        // costs a time slice each.
        let took = began.elapsed();
        if took < Duration::from_millis(100) && block < 1 << 16 {
            let factor = Duration::from_millis(100).as_secs_f64() / took.as_secs_f64().max(1e-9);
            block = (block * factor.clamp(2.0, 16.0) as u64).min(1 << 16);
        } else if took > Duration::from_millis(500) && block > 16 {
            block /= 2;
        }
    }
    partial.sync_all().map_err(write_error)?;
    finish(&dir, &mut partial, &partial_path, &sidecar, shard_total)?;
    Ok(SweepOutcome::Complete { dir, ran: runs.end - start, runs: shard_total })
}

/// A reader that hashes (sha256) everything read through it.
pub(crate) struct Hashing<R> {
    inner: R,
    hasher: sha2::Sha256,
}

impl<R> Hashing<R> {
    pub(crate) fn new(inner: R) -> Hashing<R> {
        use sha2::Digest;
        Hashing { inner, hasher: sha2::Sha256::new() }
    }

    /// The hash of what was read so far, in lowercase hex.
    pub(crate) fn hex(self) -> String {
        use sha2::Digest;
        self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// True if `path` names the file `file` is open on (always true off Unix).
fn is_same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Removes the file at its path when dropped, if it is empty (an empty `sweep.csv.partial`
/// holds nothing to resume).
struct RemoveIfEmpty<'a>(&'a Path);

impl Drop for RemoveIfEmpty<'_> {
    fn drop(&mut self) {
        if fs::metadata(self.0).is_ok_and(|m| m.is_file() && m.len() == 0) {
            let _ = fs::remove_file(self.0);
        }
    }
}

/// Checks the rows of an interrupted sweep, drops a partial last line, and returns the next
/// run to compute.
fn recover(
    partial: &mut File,
    path: &Path,
    sidecar: &Sidecar,
    runs: std::ops::Range<u64>,
) -> Result<u64, SweepError> {
    let damaged = |what: String| SweepError::Folder {
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        problem: format!("{PARTIAL_CSV} cannot be resumed: {what}"),
        help: "use --force to start the sweep over".into(),
    };
    partial.seek(SeekFrom::Start(0)).map_err(|e| SweepError::io("read", path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, &*partial);
    let header = sidecar.header();
    let mut line = Vec::new();
    let mut keep: u64 = 0;
    let n = reader.read_until(b'\n', &mut line).map_err(|e| SweepError::io("read", path, e))?;
    if n == 0 || !line.ends_with(b"\n") {
        // Killed before the header was whole: start over.
        drop(reader);
        partial.set_len(0).map_err(|e| SweepError::io("write", path, e))?;
        partial.seek(SeekFrom::Start(0)).map_err(|e| SweepError::io("write", path, e))?;
        partial.write_all(header.as_bytes()).map_err(|e| SweepError::io("write", path, e))?;
        return Ok(runs.start);
    }
    if line != header.as_bytes() {
        return Err(damaged("its header is not this sweep's".into()));
    }
    keep += n as u64;
    let mut next = runs.start;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(|e| SweepError::io("read", path, e))?;
        if n == 0 || !line.ends_with(b"\n") {
            break; // end, or a partial last line: dropped.
        }
        let run = line.split(|b| *b == b',').next().unwrap_or_default();
        let run: Option<u64> = std::str::from_utf8(run).ok().and_then(|s| s.parse().ok());
        if run != Some(next) || next >= runs.end {
            return Err(damaged(format!("line {} should hold run {next}", next - runs.start + 2)));
        }
        keep += n as u64;
        next += 1;
    }
    drop(reader);
    partial.set_len(keep).map_err(|e| SweepError::io("write", path, e))?;
    Ok(next)
}

/// Publishes a finished sweep: `summary.csv`, `sweep.csv`, then the complete sidecar.
fn finish(
    dir: &Path,
    partial: &mut File,
    partial_path: &Path,
    sidecar: &Sidecar,
    runs: u64,
) -> Result<(), SweepError> {
    partial.seek(SeekFrom::Start(0)).map_err(|e| SweepError::io("read", partial_path, e))?;
    let mut summary_bytes = Vec::new();
    let mut rows = Hashing::new(BufReader::with_capacity(1 << 16, &*partial));
    summary::write_summary(sidecar, &mut rows, &mut summary_bytes)
        .and_then(|()| io::copy(&mut rows, &mut io::sink()))
        .map_err(|e| SweepError::io("read", partial_path, e))?;
    let mut done = sidecar.clone();
    done.status = Status::Complete;
    done.completed_runs = runs;
    done.rows_sha256 = Some(rows.hex());
    publish::with_lock(dir, |d| -> io::Result<()> {
        publish::replace_file(d, SUMMARY_CSV, &summary_bytes)?;
        fs::rename(partial_path, d.join(SWEEP_CSV))?;
        publish::replace_file(d, SIDECAR, done.to_json().as_bytes())?;
        publish::sync_dir(d)
    })?
    .map_err(|e| SweepError::Io {
        action: "publish the sweep in",
        path: dir.to_path_buf(),
        error: e,
        resumable: true,
    })?;
    Ok(())
}

/// Removes the sweep charts (`sweep-*.svg`, `sweep-*.png`) in `dir` whose stem `stale`
/// says to (call it holding the set's lock). Best effort: a chart that cannot be removed
/// stays.
pub fn remove_sweep_charts(dir: &Path, stale: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, ext)) = name.rsplit_once('.') else { continue };
        if stem.starts_with("sweep-") && matches!(ext, "svg" | "png") && stale(stem) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The folder name of a sweep: the scenario's stem, or `<stem>.shard-K-of-N` for a shard.
pub fn folder_name(stem: &str, shard: super::Shard) -> String {
    if shard.is_whole() {
        stem.to_string()
    } else {
        format!("{stem}.shard-{}-of-{}", shard.index, shard.count)
    }
}
