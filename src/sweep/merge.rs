//! `accord merge`: joining the shards of a sweep into the sweep.
//!
//! The shards must be one sweep's (their sidecars agree on everything but the shard: the
//! scenario's text, axes, design, seed, replicates, columns, accord version), complete, and
//! together hold every run exactly once. Their rows are concatenated in run order, so the
//! merged `sweep.csv` is byte-identical to the unsharded sweep's, and `summary.csv` is
//! computed from it as a sweep does.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::export::publish;

use super::SweepError;
use super::output::{Hashing, SIDECAR, SUMMARY_CSV, SWEEP_CSV, Sidecar, Status, read_sidecar};
use super::summary::write_summary;

/// What a merge wrote.
#[derive(Debug, PartialEq)]
pub struct Merged {
    /// The folder: `OUT/<stem>/`.
    pub dir: PathBuf,
    /// Runs in the merged sweep.
    pub runs: u64,
    /// Shards joined.
    pub shards: usize,
}

/// Merges shard folders (or their `sweep.csv` / `sweep.json`) into `out/<stem>/`.
pub fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<Merged, SweepError> {
    let problem = |problem: String, help: &str| SweepError::Merge { problem, help: help.into() };
    if shards.is_empty() {
        return Err(problem("no shards given".into(), "name the shard folders to merge"));
    }
    let mut parts: Vec<(PathBuf, Sidecar)> = Vec::new();
    for given in shards {
        let dir = if given.is_file() {
            given.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            given.clone()
        };
        let sidecar = read_sidecar(&dir)
            .map_err(|e| match e {
                SweepError::Folder { dir, problem: what, .. } => problem(
                    format!("{}: {what}", dir.display()),
                    "rerun that shard (`accord sweep ... --shard K/N --force`), then merge again",
                ),
                other => other,
            })?
            .ok_or_else(|| {
            problem(
                format!("{} holds no {SIDECAR}: it is not a sweep's folder", dir.display()),
                "give the folders that `accord sweep --shard K/N` wrote (OUT/<stem>.shard-K-of-N)",
            )
        })?;
        parts.push((dir, sidecar));
    }
    // One sweep: everything but the shard agrees with the first.
    let (first_dir, first) = parts[0].clone();
    for (dir, sidecar) in &parts[1..] {
        let mut same_shard = sidecar.clone();
        same_shard.shard = first.shard.clone();
        if let Some(what) = first.difference(&same_shard) {
            return Err(problem(
                format!(
                    "{} and {} are not shards of one sweep: they differ in {what}",
                    first_dir.display(),
                    dir.display()
                ),
                "merge only the shards of one `accord sweep` command (same scenario file, \
                 --vary, --design, --replicates, --seed and accord version)",
            ));
        }
    }
    parts.sort_by_key(|(_, s)| (s.shard.first_run, s.shard.end_run, s.shard.index));
    // Every run exactly once.
    let total = first.runs;
    let mut next = 0u64;
    let mut missing: Vec<(u64, u64)> = Vec::new();
    for (dir, s) in &parts {
        if s.status != Status::Complete {
            return Err(problem(
                format!(
                    "{} holds shard {}/{} unfinished",
                    dir.display(),
                    s.shard.index,
                    s.shard.count
                ),
                "finish it with the same `accord sweep` command and --resume, then merge",
            ));
        }
        if s.shard.first_run < next {
            let (first, last) = (s.shard.first_run, next.min(s.shard.end_run) - 1);
            let (runs, them) = if first == last {
                (format!("run {first} is given twice"), "it")
            } else {
                (format!("runs {first}-{last} are given twice"), "them")
            };
            return Err(problem(
                format!("{runs} ({} repeats {them})", dir.display()),
                "give each shard once",
            ));
        }
        if s.shard.first_run > next {
            missing.push((next, s.shard.first_run));
        }
        next = s.shard.end_run;
    }
    if next < total {
        missing.push((next, total));
    }
    if !missing.is_empty() {
        let ranges: Vec<String> = missing
            .iter()
            .map(|(a, b)| if b - a == 1 { format!("{a}") } else { format!("{a}-{}", b - 1) })
            .collect();
        let count: u64 = missing.iter().map(|(a, b)| b - a).sum();
        return Err(problem(
            format!("{count} of {total} runs are missing: run indices {}", ranges.join(", ")),
            "run the missing shards (`accord sweep ... --shard K/N`) and merge them all",
        ));
    }

    let first = &first;
    let dir = publish::prepare_folder(out, &first.stem, &[SWEEP_CSV, SIDECAR, SUMMARY_CSV])?;
    if let Some(old) = read_sidecar(&dir)? {
        let mut merged_like = first.clone();
        merged_like.shard = old.shard.clone();
        if !force && first.difference(&merged_like).is_some() {
            return Err(SweepError::Folder {
                dir,
                problem: "it holds another sweep".into(),
                help: "use --force to replace it, or give another --out".into(),
            });
        }
    }
    let mut merged = first.clone();
    merged.status = Status::Complete;
    merged.commands = parts.iter().flat_map(|(_, s)| s.commands.clone()).collect();
    merged.shard.index = 1;
    merged.shard.count = 1;
    merged.shard.first_run = 0;
    merged.shard.end_run = total;
    merged.completed_runs = total;
    merged.scenario.file = first.scenario.file.clone();

    // sweep.csv: the header, then each shard's rows, checked run by run.
    let tmp = publish::temp_path(&dir, SWEEP_CSV);
    let written = (|| -> Result<(), SweepError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| SweepError::io("write", &dir.join(SWEEP_CSV), e))?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        let header = merged.header();
        let fail = |e| SweepError::io("write", &dir.join(SWEEP_CSV), e);
        w.write_all(header.as_bytes()).map_err(fail)?;
        for (shard_dir, s) in &parts {
            copy_rows(shard_dir, s, &header, &mut w)?;
        }
        let file = w.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let mut summary = Vec::new();
    let read = File::open(&tmp).map_err(|e| SweepError::io("read", &tmp, e))?;
    let mut rows = Hashing::new(BufReader::with_capacity(1 << 16, read));
    write_summary(&merged, &mut rows, &mut summary)
        .and_then(|()| io::copy(&mut rows, &mut io::sink()))
        .map_err(|e| SweepError::io("read", &tmp, e))?;
    merged.rows_sha256 = Some(rows.hex());
    let published = publish::with_lock(&dir, |d| -> io::Result<()> {
        publish::replace_file(d, SUMMARY_CSV, &summary)?;
        fs::rename(&tmp, d.join(SWEEP_CSV))?;
        publish::replace_file(d, SIDECAR, merged.to_json().as_bytes())?;
        publish::sync_dir(d)
    })?;
    if let Err(e) = published {
        let _ = fs::remove_file(&tmp);
        return Err(SweepError::io("write", &dir, e));
    }
    Ok(Merged { dir, runs: total, shards: parts.len() })
}

/// Appends a shard's rows (its `sweep.csv` without the header) to `w`, checking that the
/// header is the sweep's and that the rows are the shard's runs in order.
fn copy_rows(
    dir: &Path,
    shard: &Sidecar,
    header: &str,
    w: &mut impl Write,
) -> Result<(), SweepError> {
    let path = dir.join(SWEEP_CSV);
    let damaged = |what: String| SweepError::Merge {
        problem: format!("{}: {what}", path.display()),
        help: "rerun that shard with --force".into(),
    };
    let file = File::open(&path).map_err(|e| SweepError::io("read", &path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, Hashing::new(file));
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).map_err(|e| SweepError::io("read", &path, e))?;
    if line != header.as_bytes() {
        return Err(damaged("its header is not the sweep's".into()));
    }
    let mut next = shard.shard.first_run;
    loop {
        line.clear();
        let n =
            reader.read_until(b'\n', &mut line).map_err(|e| SweepError::io("read", &path, e))?;
        if n == 0 {
            break;
        }
        let run = line.split(|b| *b == b',').next().unwrap_or_default();
        let run: Option<u64> = std::str::from_utf8(run).ok().and_then(|s| s.parse().ok());
        if run != Some(next) || !line.ends_with(b"\n") || next >= shard.shard.end_run {
            return Err(damaged(format!(
                "line {} should hold run {next}",
                next - shard.shard.first_run + 2
            )));
        }
        w.write_all(&line).map_err(|e| SweepError::io("write", &path, e))?;
        next += 1;
    }
    if next == shard.shard.end_run
        && let Some(recorded) = &shard.rows_sha256
        && *recorded != reader.into_inner().hex()
    {
        return Err(damaged(format!(
            "its rows are not the ones its {SIDECAR} recorded when the shard finished (sha256 \
             differs): the file was changed or damaged since"
        )));
    }
    if next != shard.shard.end_run {
        return Err(damaged(if next == shard.shard.first_run {
            format!("it holds no rows; the shard's runs are {}-{}", next, shard.shard.end_run - 1)
        } else {
            format!(
                "it ends at run {}, short of its last run {}",
                next - 1,
                shard.shard.end_run - 1
            )
        }));
    }
    Ok(())
}
