//! Publishing a command's output files as one set: readers see the old set or the new one,
//! never a mix, and never a temporary file under a final name.
//!
//! Owns how output reaches the disk: the safe folder name of a scenario (`folder_name`),
//! the private staging folder a command writes into, the atomic swap that publishes it as
//! `OUT/<name>/`, the lock and manifest file `.accord-set` inside every set, and the clean-up
//! of staging folders left by killed commands. It does not render anything (callers hand it
//! bytes) and does not decide which files a command writes (callers declare them).
//!
//! # How a set is published
//! [`OutputPlan::new`] checks the folder name and the declared file names, creates `OUT`,
//! removes stale staging folders of killed commands, checks that an existing `OUT/<name>/`
//! is accord's to replace, and creates a fresh staging folder `OUT/.accord-tmp-<pid>-<n>/`
//! holding `.accord-set` (locked for the staging folder's whole life). The command then runs,
//! and [`OutputPlan::write`] puts each file into the staging folder and syncs it.
//! [`OutputPlan::publish`] syncs the folder, locks the current set's `.accord-set` (so that
//! an `accord chart` updating it finishes first), swaps the two folders in one
//! `renameat2(RENAME_EXCHANGE)` (Linux; `renameatx_np(RENAME_SWAP)` on macOS) and deletes
//! the old set, now under the staging name. Where the file system cannot swap, the old set
//! is renamed away and the new one renamed into place: `OUT/<name>` is then missing for the
//! moment between two renames, but never mixed. A plan dropped unpublished (any error)
//! deletes its staging folder.
//!
//! # What a reader sees
//! Before the swap, the old set (or nothing); after it, the new set. A reader that opened a
//! file of the old set keeps reading the old file; one that lists the old folder while it is
//! deleted sees its files disappear, never new ones appear.
//!
//! # Killed commands
//! A `kill -9` leaves a staging folder. The next plan in the same `OUT` deletes every
//! `.accord-tmp-*` folder whose `.accord-set` it can lock: the operating system releases a
//! dead process's locks, so a folder that cannot be locked belongs to a live command and is
//! left alone, whatever its pid says. SIGINT and SIGTERM delete the staging folders of the
//! process before it ends with the signal; SIGXFSZ (a file size limit) is turned into a
//! write error.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

/// The lock and manifest file inside every staging folder and published set.
pub const SET_FILE: &str = ".accord-set";
/// The name prefix of staging folders (and of old sets being deleted) inside `OUT`.
pub const STAGING_PREFIX: &str = ".accord-tmp-";
/// The longest folder name accepted, in bytes: well under the 255 of common file systems.
pub const MAX_NAME_BYTES: usize = 120;

/// Why output could not be prepared or published.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The scenario's file name gives no safe folder name.
    #[error(
        "{file}: cannot name the output folder after this file: {reason}; rename the file \
         (letters, digits, `-`, `_` and inner dots are safe)"
    )]
    FolderName {
        /// The scenario file as given.
        file: String,
        /// What is wrong with its stem.
        reason: String,
    },
    /// A declared file name is not a plain file name (a bug in the caller).
    #[error("`{0}` is not a plain file name for an output set")]
    FileName(String),
    /// The existing output folder holds something accord did not write.
    #[error(
        "{}: {what}; accord replaces its output folder whole, so it will not touch this one: \
         move it away or choose another --out",
        path.display()
    )]
    NotOurs {
        /// The existing folder (or file).
        path: PathBuf,
        /// What is in the way.
        what: String,
    },
    /// A file stands where the output folder (or one of its parents) should be.
    #[error(
        "{}: this is a file, so the output folder {} cannot be made here; move the file away \
         or choose another --out",
        file.display(),
        out.display()
    )]
    FileInTheWay {
        /// The file.
        file: PathBuf,
        /// The output folder as given.
        out: PathBuf,
    },
    /// Reading or writing the disk failed.
    ///
    /// The message already says what the system said (in words for a full disk or a file
    /// size limit), so the error is not chained as a source: it would print twice.
    #[error("cannot {action} {}: {}", path.display(), describe(error))]
    Io {
        /// What was being done (`write`, `create the folder`, ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },
}

impl OutputError {
    /// True if the error is the user's input (exit code 2) rather than a failure while
    /// working (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            OutputError::FolderName { .. }
                | OutputError::NotOurs { .. }
                | OutputError::FileInTheWay { .. }
        )
    }

    fn io(action: &'static str, path: &Path, error: io::Error) -> OutputError {
        OutputError::Io { action, path: path.to_path_buf(), error }
    }
}

/// Creates the output folder `out` and its parents if needed. A file where the folder (or
/// one of its parents) should be is the user's to move: a bad input, not a failure.
fn create_out(out: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(out).map_err(|e| {
        let in_the_way = out.ancestors().find(|p| p.is_file());
        match in_the_way {
            Some(file) => {
                OutputError::FileInTheWay { file: file.to_path_buf(), out: out.to_path_buf() }
            }
            None => OutputError::io("create the output folder", out, e),
        }
    })
}

/// An io error in words a reader can act on: the disk full and the file size limit get a
/// sentence, anything else the system's own message.
pub fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::StorageFull => {
            "the disk is full (no space left on device); free some space and rerun".to_string()
        }
        io::ErrorKind::FileTooLarge => {
            "the file is larger than this process may write (see `ulimit -f`)".to_string()
        }
        io::ErrorKind::QuotaExceeded => "the disk quota is exceeded".to_string(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => format!(
            "{}; choose a folder this user may write (--out), or change its permissions",
            lowercase_first(&err.to_string())
        ),
        _ => lowercase_first(&err.to_string()),
    }
}

/// `text` with its first letter in lower case ("Permission denied" -> "permission denied").
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_string(),
    }
}

/// The output folder name for a scenario file: its stem, if that is a safe name.
///
/// Safe means: valid UTF-8, 1 to [`MAX_NAME_BYTES`] bytes, not starting with a dot (which
/// rules out `.`, `..`, hidden folders and accord's own staging names), no path separator
/// and no control character. Anything else is refused rather than rewritten, so that two
/// different files never share a folder by accident.
pub fn folder_name(scenario: &Path) -> Result<String, OutputError> {
    let file = scenario.display().to_string();
    let refuse = |reason: String| OutputError::FolderName { file: file.clone(), reason };
    let stem = scenario.file_stem().ok_or_else(|| refuse("it has no file name".into()))?;
    let stem = stem.to_str().ok_or_else(|| refuse("its name is not valid UTF-8".into()))?;
    check_name(stem).map_err(refuse)?;
    Ok(stem.to_string())
}

/// Why `name` is not a safe folder or file name, if it is not.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("its stem is empty".into());
    }
    if name == "." || name == ".." {
        return Err(format!("its stem `{name}` names a folder, not a name inside OUT"));
    }
    if name.starts_with('.') {
        return Err(format!("its stem `{}` starts with a dot", name.escape_debug()));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("its stem is {} bytes long, more than {MAX_NAME_BYTES}", name.len()));
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || matches!(c, '/' | '\\')) {
        return Err(format!("its stem contains the character {:?}", c));
    }
    Ok(())
}

/// A set of output files, written into a private staging folder and published together as
/// `OUT/<name>/`.
///
/// Create it before the work starts (so a bad name or an unwritable `OUT` fails at once),
/// [`write`](OutputPlan::write) every declared file, then [`publish`](OutputPlan::publish).
/// Dropping it unpublished deletes everything it wrote.
#[derive(Debug)]
pub struct OutputPlan {
    out: PathBuf,
    target: PathBuf,
    staging: PathBuf,
    files: Vec<String>,
    written: Vec<bool>,
    /// The staging folder's `.accord-set`, locked while the plan lives.
    _lock: File,
    published: bool,
}

impl OutputPlan {
    /// Prepares to publish `files` as `out/<name>/`.
    ///
    /// Checks `name` (as [`folder_name`] does) and that every file name is plain and
    /// distinct, creates `out` if needed, deletes staging folders of killed commands, checks
    /// that an existing `out/<name>` is a set accord wrote, and creates the staging folder.
    pub fn new(out: &Path, name: &str, files: &[&str]) -> Result<OutputPlan, OutputError> {
        install_signal_handlers();
        check_name(name).map_err(|reason| OutputError::FolderName {
            file: name.to_string(),
            reason: reason.replace("its stem", "the name"),
        })?;
        let mut declared: Vec<String> = Vec::new();
        for file in files {
            if check_name(file).is_err() || *file == SET_FILE || declared.iter().any(|d| d == file)
            {
                return Err(OutputError::FileName(file.to_string()));
            }
            declared.push(file.to_string());
        }
        create_out(out)?;
        clean_stale(out);
        let target = out.join(name);
        check_replaceable(&target)?;
        let (staging, lock) = create_staging(out)?;
        let mut manifest = String::new();
        for file in &declared {
            manifest.push_str(file);
            manifest.push('\n');
        }
        let set_file = staging.join(SET_FILE);
        let plan = OutputPlan {
            out: out.to_path_buf(),
            target,
            staging,
            written: vec![false; declared.len()],
            files: declared,
            _lock: lock,
            published: false,
        };
        (&plan._lock)
            .write_all(manifest.as_bytes())
            .and_then(|()| plan._lock.sync_all())
            .map_err(|e| OutputError::io("write", &set_file, e))?;
        Ok(plan)
    }

    /// The folder the set is published as: `OUT/<name>`.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where a declared file will be once published.
    pub fn final_path(&self, file: &str) -> PathBuf {
        self.target.join(file)
    }

    /// Declares one more file, when the work shows what it writes (a report's sweep charts
    /// depend on what the sweeps found). It is listed in the set's manifest at once.
    pub fn declare(&mut self, file: &str) -> Result<(), OutputError> {
        if check_name(file).is_err() || file == SET_FILE || self.files.iter().any(|f| f == file) {
            return Err(OutputError::FileName(file.to_string()));
        }
        let set_file = self.staging.join(SET_FILE);
        (&self._lock)
            .write_all(format!("{file}\n").as_bytes())
            .and_then(|()| self._lock.sync_all())
            .map_err(|e| OutputError::io("write", &set_file, e))?;
        self.files.push(file.to_string());
        self.written.push(false);
        Ok(())
    }

    /// Writes a declared file into the staging folder and syncs it to disk.
    pub fn write(&mut self, file: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut writer = self.writer(file)?;
        writer.write_all(bytes).map_err(|e| OutputError::io("write", &self.final_path(file), e))?;
        writer.finish()
    }

    /// A buffered writer for a declared file in the staging folder, for output too large to
    /// build in memory first; [`StagedFile::finish`] flushes and syncs it.
    pub fn writer(&mut self, file: &str) -> Result<StagedFile, OutputError> {
        let idx = self
            .files
            .iter()
            .position(|f| f == file)
            .ok_or_else(|| OutputError::FileName(file.to_string()))?;
        let path = self.staging.join(file);
        let shown = self.final_path(file);
        let handle = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| OutputError::io("write", &shown, e))?;
        self.written[idx] = true;
        Ok(StagedFile { inner: BufWriter::with_capacity(1 << 16, handle), shown })
    }

    /// Publishes the set: every declared file must have been written. Returns the final
    /// paths, in the declared order.
    pub fn publish(mut self) -> Result<Vec<PathBuf>, OutputError> {
        if let Some(idx) = self.written.iter().position(|w| !w) {
            let never = format!("{} (declared, never written)", self.files[idx]);
            return Err(OutputError::FileName(never));
        }
        sync_dir(&self.staging).map_err(|e| OutputError::io("write", &self.target, e))?;
        swap_into_place(&self.staging, &self.target)?;
        self.published = true;
        // The staging name now holds the old set (or nothing): delete it.
        let _ = remove_tree(&self.staging);
        let _ = sync_dir(&self.out);
        Ok(self.files.iter().map(|f| self.target.join(f)).collect())
    }
}

impl Drop for OutputPlan {
    fn drop(&mut self) {
        // Unpublished: the staging folder is the new set, abandoned. Published: the staging
        // name holds the old set if its deletion failed in `publish`. Either way it goes.
        let _ = remove_tree(&self.staging);
        forget_staging(&self.staging);
    }
}

/// A file being written into a staging folder.
#[derive(Debug)]
pub struct StagedFile {
    inner: BufWriter<File>,
    shown: PathBuf,
}

impl StagedFile {
    /// Flushes the buffer and syncs the file to disk.
    pub fn finish(self) -> Result<(), OutputError> {
        let shown = self.shown;
        let file = self
            .inner
            .into_inner()
            .map_err(|e| OutputError::io("write", &shown, e.into_error()))?;
        file.sync_all().map_err(|e| OutputError::io("write", &shown, e))
    }

    /// The path the file will have once published, for messages.
    pub fn final_path(&self) -> &Path {
        &self.shown
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// An update of some files in an existing folder, in place: what `accord chart` does beside a
/// `run.json`.
///
/// Each file is written to a temporary name in the folder, synced, and renamed into place on
/// [`publish`](FolderUpdate::publish). If the folder is a published set (it has
/// `.accord-set`), the update holds the set's lock from the start, so no command replaces
/// the set meanwhile (the files it draws from stay those it writes beside), and it first
/// deletes temporary files left by killed updates. In any other folder, files are replaced
/// one by one, each atomically. Dropping it unpublished deletes its temporary files.
#[derive(Debug)]
pub struct FolderUpdate {
    dir: PathBuf,
    files: Vec<String>,
    temps: Vec<Option<PathBuf>>,
    /// The set's `.accord-set`, locked, if the folder is a set.
    lock: Option<File>,
}

impl FolderUpdate {
    /// Prepares to replace files in `dir` (which must exist): locks the folder if it is a
    /// set, before the caller reads anything from it.
    pub fn new(dir: &Path) -> Result<FolderUpdate, OutputError> {
        install_signal_handlers();
        let lock = lock_set(dir)?;
        if lock.is_some() {
            // Under the set's lock nobody else writes here: temporary files are stale.
            if let Ok(entries) = fs::read_dir(dir) {
                for entry in entries.flatten() {
                    if entry.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
                        let _ = fs::remove_file(entry.path());
                    }
                }
            }
        }
        Ok(FolderUpdate { dir: dir.to_path_buf(), files: Vec::new(), temps: Vec::new(), lock })
    }

    /// The final path of a file in the folder.
    pub fn final_path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// Writes a file (a plain name, once per update) under a temporary name and syncs it.
    pub fn write(&mut self, file: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if check_name(file).is_err() || file == SET_FILE || self.files.iter().any(|f| f == file) {
            return Err(OutputError::FileName(file.to_string()));
        }
        let shown = self.dir.join(file);
        let tmp =
            self.dir.join(format!("{STAGING_PREFIX}{}-{}-{file}", std::process::id(), next_id()));
        self.files.push(file.to_string());
        self.temps.push(Some(tmp.clone()));
        let result = (|| {
            let mut handle = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            handle.write_all(bytes)?;
            handle.sync_all()
        })();
        result.map_err(|e| OutputError::io("write", &shown, e))
    }

    /// Renames every written file into place (and lists new names in the set's manifest).
    /// Returns the final paths, in the declared order.
    pub fn publish(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let mut done = Vec::new();
        for (file, tmp) in self.files.iter().zip(self.temps.iter_mut()) {
            let Some(path) = tmp.take() else { continue };
            let shown = self.dir.join(file);
            if let Err(e) = fs::rename(&path, &shown) {
                *tmp = Some(path);
                return Err(OutputError::io("write", &shown, e));
            }
            done.push(shown);
        }
        if let Some(lock) = &self.lock {
            let listed = fs::read_to_string(self.dir.join(SET_FILE)).unwrap_or_default();
            let mut new = String::new();
            for file in &self.files {
                if !listed.lines().any(|l| l == file) {
                    new.push_str(file);
                    new.push('\n');
                }
            }
            let set_file = self.dir.join(SET_FILE);
            if !new.is_empty() {
                let mut handle = lock;
                handle
                    .seek(io::SeekFrom::End(0))
                    .and_then(|_| handle.write_all(new.as_bytes()))
                    .and_then(|()| handle.sync_all())
                    .map_err(|e| OutputError::io("write", &set_file, e))?;
            }
        }
        let _ = sync_dir(&self.dir);
        Ok(done)
    }
}

impl Drop for FolderUpdate {
    fn drop(&mut self) {
        for path in self.temps.iter().flatten() {
            let _ = fs::remove_file(path);
        }
    }
}

/// A number unique within this process, for temporary names.
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Opens and locks `dir/.accord-set` if it exists, making sure the locked file is still the
/// one at that path (the folder was not swapped while waiting for the lock). `None` if the
/// folder is not a set.
fn lock_set(dir: &Path) -> Result<Option<File>, OutputError> {
    let path = dir.join(SET_FILE);
    loop {
        let file = match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(OutputError::io("open", &path, e)),
        };
        lock(&file).map_err(|e| OutputError::io("lock", &path, e))?;
        if same_file(&file, &path) {
            return Ok(Some(file));
        }
        // Swapped meanwhile: lock the set that is there now.
    }
}

/// Locks a file exclusively, waiting for other holders. A file system without locks (some
/// network file systems) gets none: publishing still never mixes sets there, but a killed
/// command's staging folder is then left alone rather than risk deleting a live one.
fn lock(file: &File) -> io::Result<()> {
    match file.lock() {
        Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(()),
        other => other,
    }
}

/// Whether the open `file` is the file at `path` now.
fn same_file(file: &File, path: &Path) -> bool {
    let (Ok(open), Ok(now)) = (file.metadata(), fs::metadata(path)) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        open.dev() == now.dev() && open.ino() == now.ino()
    }
    #[cfg(not(unix))]
    {
        open.len() == now.len() && open.modified().ok() == now.modified().ok()
    }
}

/// Deletes staging folders of killed commands in `out`: those whose `.accord-set` can be
/// locked (a live owner holds its lock), and empty ones (a staging folder gets its
/// `.accord-set` right after it is created; one that lost the race retries under a new name).
fn clean_stale(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
            continue;
        }
        let dir = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let set_file = dir.join(SET_FILE);
        match OpenOptions::new().read(true).write(true).open(&set_file) {
            Ok(file) => {
                if file.try_lock().is_ok() && same_file(&file, &set_file) {
                    // Delete while holding the lock, so a creator that opened this file
                    // before we locked it sees it gone and retries.
                    let _ = remove_tree(&dir);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let _ = fs::remove_dir(&dir);
            }
            Err(_) => {}
        }
    }
}

/// Creates a fresh staging folder in `out` with its `.accord-set`, locked.
fn create_staging(out: &Path) -> Result<(PathBuf, File), OutputError> {
    loop {
        let dir = out.join(format!("{STAGING_PREFIX}{}-{}", std::process::id(), next_id()));
        // Created and remembered under one lock: a signal's clean-up (which holds the lock
        // until the process ends) sees every staging folder that exists.
        match create_remembered(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(OutputError::io("create a folder in", out, e)),
        }
        let set_file = dir.join(SET_FILE);
        let file = match OpenOptions::new().read(true).write(true).create_new(true).open(&set_file)
        {
            Ok(file) => file,
            // A clean-up removed the empty folder: try another name.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                forget_staging(&dir);
                continue;
            }
            Err(e) => {
                let _ = remove_tree(&dir);
                forget_staging(&dir);
                return Err(OutputError::io("write", &set_file, e));
            }
        };
        lock(&file).map_err(|e| OutputError::io("lock", &set_file, e))?;
        if same_file(&file, &set_file) {
            return Ok((dir, file));
        }
        forget_staging(&dir);
    }
}

/// Checks that `target` is missing or a folder accord may replace: a set (it has
/// `.accord-set` and nothing its manifest does not list), or a folder written by an accord
/// from before sets, holding only files accord writes.
fn check_replaceable(target: &Path) -> Result<(), OutputError> {
    let not_ours = |what: String| OutputError::NotOurs { path: target.to_path_buf(), what };
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutputError::io("read", target, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(not_ours("it is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(not_ours("it is a file, not a folder".into()));
    }
    let manifest = fs::read_to_string(target.join(SET_FILE)).ok();
    let entries = fs::read_dir(target).map_err(|e| OutputError::io("read", target, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| OutputError::io("read", target, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let ours = is_file
            && match &manifest {
                Some(list) => {
                    name == SET_FILE
                        || name.starts_with(STAGING_PREFIX)
                        || list.lines().any(|l| l == name)
                }
                None => legacy_output(&name),
            };
        if !ours {
            let kind = if is_file { "file" } else { "folder" };
            return Err(not_ours(format!(
                "it holds the {kind} `{}`, which accord did not write",
                name.escape_debug()
            )));
        }
    }
    Ok(())
}

/// A file an accord from before output sets wrote into `OUT/<stem>/`.
fn legacy_output(name: &str) -> bool {
    const FILES: [&str; 4] = ["run.json", "offers.csv", "report.md", "report.html"];
    const CHARTS: [&str; 3] = ["offers", "concessions", "utility-space"];
    FILES.contains(&name)
        || name
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| CHARTS.contains(&stem) && matches!(ext, "svg" | "png"))
        // Temporary files of that accord's per-file writes: `.<file>.<pid>.tmp[.png]`.
        || (name.starts_with('.') && (name.ends_with(".tmp") || name.ends_with(".tmp.png")))
}

/// True for the files of a sweep (`sweep.csv`, its partial form, `sweep.json`,
/// `summary.csv`, sweep charts `sweep-*`, a sensitivity analysis's `sensitivity*`): a set published over a folder keeps them, so that
/// `accord run` or `accord report` never deletes a sweep that shares the scenario's folder.
pub fn is_sweep_file(name: &str) -> bool {
    name == "summary.csv" || name.starts_with("sweep") || name.starts_with("sensitivity")
}

/// Hard-links the sweep files of the current set `target` into `staging` (unless the new
/// set declares a file of the same name), and lists them in the new manifest. Called with
/// the current set locked. A file that cannot be linked is left behind with the old set;
/// the sweep that wrote it says so when it next writes its sidecar.
fn carry(target: &Path, staging: &Path) {
    let Ok(entries) = fs::read_dir(target) else { return };
    let mut listed = String::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_sweep_file(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let to = staging.join(&name);
        if to.exists() {
            continue;
        }
        if fs::hard_link(entry.path(), &to).is_ok() {
            listed.push_str(&name);
            listed.push('\n');
        }
    }
    if !listed.is_empty()
        && let Ok(mut manifest) = OpenOptions::new().append(true).open(staging.join(SET_FILE))
    {
        let _ = manifest.write_all(listed.as_bytes()).and_then(|()| manifest.sync_all());
    }
}

/// Makes `out/<name>/` ready for a command that writes in place (a sweep): creates it as an
/// empty set if missing (atomically, so a concurrent command sees it whole), or checks that
/// the folder there is accord's; then lists `files` in its manifest, so that commands that
/// replace the set recognize them. Returns the folder's path.
pub fn prepare_folder(out: &Path, name: &str, files: &[&str]) -> Result<PathBuf, OutputError> {
    check_name(name).map_err(|reason| OutputError::FolderName {
        file: name.to_string(),
        reason: reason.replace("its stem", "the name"),
    })?;
    create_out(out)?;
    clean_stale(out);
    let target = out.join(name);
    check_replaceable(&target)?;
    if !target.exists() {
        let (staging, lock) = create_staging(out)?;
        drop(lock);
        let renamed = fs::rename(&staging, &target);
        forget_staging(&staging);
        if renamed.is_err() {
            // Another command created it first: use theirs.
            let _ = remove_tree(&staging);
            check_replaceable(&target)?;
        }
    }
    with_lock(&target, |dir| {
        let path = dir.join(SET_FILE);
        let listed = fs::read_to_string(&path).unwrap_or_default();
        let mut new = String::new();
        for file in files {
            if !listed.lines().any(|l| l == *file) {
                new.push_str(file);
                new.push('\n');
            }
        }
        if new.is_empty() {
            return Ok(());
        }
        OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| f.write_all(new.as_bytes()).and_then(|()| f.sync_all()))
            .map_err(|e| OutputError::io("write", &path, e))
    })??;
    let _ = sync_dir(out);
    Ok(target)
}

/// A fresh temporary name for `file` in `dir`, which clean-ups of killed commands recognize.
pub fn temp_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(format!("{STAGING_PREFIX}{}-{}-{file}", std::process::id(), next_id()))
}

/// Runs `f` on `dir` holding its set's lock (no lock if it is not a set), so that no
/// command replaces the set meanwhile: what a command writing in place does around each
/// rename.
pub fn with_lock<T>(dir: &Path, f: impl FnOnce(&Path) -> T) -> Result<T, OutputError> {
    let _held = lock_set(dir)?;
    Ok(f(dir))
}

/// Writes `bytes` to `dir/file` atomically: a temporary file in `dir`, synced, then renamed
/// over the old one. Call it under [`with_lock`] in a set.
pub fn replace_file(dir: &Path, file: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(dir, file);
    let result = (|| {
        let mut handle = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        handle.write_all(bytes)?;
        handle.sync_all()?;
        fs::rename(&tmp, dir.join(file))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Moves the staging folder to `target`, atomically swapping out any set already there.
/// Afterwards `staging` holds the old set, or nothing.
fn swap_into_place(staging: &Path, target: &Path) -> Result<(), OutputError> {
    let fail = |e| OutputError::io("publish", target, e);
    loop {
        match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::rename(staging, target) {
                Ok(()) => return Ok(()),
                // Another command published first: swap with its set instead.
                Err(e) if target.exists() => {
                    let _ = e;
                    continue;
                }
                Err(e) => return Err(fail(e)),
            },
            Err(e) => return Err(fail(e)),
            Ok(_) => {}
        }
        check_replaceable(target)?;
        // Wait for any update of the current set (`accord chart`) to finish.
        let Some(_held) = lock_set(target)? else {
            carry(target, staging);
            // A folder from before sets: swap it without a lock.
            match exchange(staging, target) {
                Ok(true) => return Ok(()),
                Ok(false) if swap_by_renames(staging, target)? => return Ok(()),
                Ok(false) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(fail(e)),
            }
        };
        carry(target, staging);
        match exchange(staging, target) {
            Ok(true) => return Ok(()),
            Ok(false) if swap_by_renames(staging, target)? => return Ok(()),
            Ok(false) => continue,
            // The set vanished between the lock and the swap: start over.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(fail(e)),
        }
    }
}

/// Swaps two folders atomically. `Ok(false)` if this system or file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
        Err(e) if e == rustix::io::Errno::NOTSUP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Swaps two folders atomically. `Ok(false)` if this system or file system cannot.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Where folders cannot be swapped: rename the old set away, then the new one into place.
/// The target is missing between the two renames, never mixed. `Ok(false)` if another
/// command published in between (the caller tries again, against that set).
fn swap_by_renames(staging: &Path, target: &Path) -> Result<bool, OutputError> {
    let fail = |e| OutputError::io("publish", target, e);
    let parent = staging.parent().unwrap_or(Path::new("."));
    let old = parent.join(format!("{STAGING_PREFIX}{}-{}", std::process::id(), next_id()));
    remember_staging(&old);
    let moved = match fs::rename(target, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => {
            forget_staging(&old);
            return Err(fail(e));
        }
    };
    let result = match fs::rename(staging, target) {
        Ok(()) => Ok(true),
        Err(_) if target.exists() => Ok(false),
        Err(e) => {
            // Put the old set back rather than leave nothing.
            if moved {
                let _ = fs::rename(&old, target);
            }
            Err(fail(e))
        }
    };
    let _ = remove_tree(&old);
    forget_staging(&old);
    result
}

/// Syncs a folder's entries to disk (a no-op where folders cannot be opened).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Deletes a folder and everything in it; a missing folder is fine.
fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Staging folders of this process, deleted if a signal ends it.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn staging_list() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember_staging(dir: &Path) {
    staging_list().push(dir.to_path_buf());
}

/// Creates `dir` and remembers it as a staging folder, atomically with respect to a signal's
/// clean-up.
fn create_remembered(dir: &Path) -> io::Result<()> {
    let mut list = staging_list();
    fs::create_dir(dir)?;
    list.push(dir.to_path_buf());
    Ok(())
}

fn forget_staging(dir: &Path) {
    staging_list().retain(|d| d != dir);
}

/// Turns SIGXFSZ into a write error (`EFBIG`) instead of a silent death, and makes SIGINT,
/// SIGTERM and SIGHUP delete this process's staging folders before it ends with the signal.
/// Once per process; a no-op off Unix.
fn install_signal_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};
            use std::sync::Arc;
            use std::sync::atomic::AtomicBool;
            // With any handler installed, the kernel no longer kills the process on SIGXFSZ:
            // the write fails with EFBIG and is reported like any other write error.
            let _ = signal_hook::flag::register(SIGXFSZ, Arc::new(AtomicBool::new(false)));
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // Held until the process ends: no staging folder is created or
                        // forgotten meanwhile. The main thread may still be writing a file
                        // into one, so a removal that finds it not empty is tried again.
                        let dirs = staging_list();
                        for dir in dirs.iter() {
                            for _ in 0..100 {
                                if remove_tree(dir).is_ok() {
                                    break;
                                }
                                std::thread::sleep(std::time::Duration::from_millis(2));
                            }
                        }
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                    }
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names of the entries of a folder, sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn publish(out: &Path, files: &[(&str, &str)]) -> Vec<PathBuf> {
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        let mut plan = OutputPlan::new(out, "set", &names).unwrap();
        for (name, text) in files {
            plan.write(name, text.as_bytes()).unwrap();
        }
        plan.publish().unwrap()
    }

    #[test]
    fn folder_names_are_scenario_stems_when_safe_and_refused_otherwise() {
        assert_eq!(folder_name(Path::new("dir/eu-lng.v2.toml")).unwrap(), "eu-lng.v2");
        assert_eq!(folder_name(Path::new("Ukraine – US.toml")).unwrap(), "Ukraine – US");
        for hostile in [
            "...toml",
            "..toml",
            ".hidden.toml",
            ".accord-tmp-1-0.toml",
            "a\x1b[2Jb.toml",
            "a\\b.toml",
            ".toml",
        ] {
            let err = folder_name(Path::new(hostile)).unwrap_err();
            assert!(err.is_bad_input(), "{hostile}: {err}");
            assert!(err.to_string().contains("rename the file"), "{err}");
        }
        let long = format!("{}.toml", "a".repeat(MAX_NAME_BYTES + 1));
        assert!(folder_name(Path::new(&long)).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bad = std::ffi::OsStr::from_bytes(b"\xff\xfe.toml");
            assert!(folder_name(Path::new(bad)).unwrap_err().to_string().contains("UTF-8"));
        }
    }

    #[test]
    fn a_published_set_holds_exactly_its_files_and_a_manifest() {
        let out = tempfile::tempdir().unwrap();
        let paths = publish(out.path(), &[("a.txt", "1"), ("b.txt", "2")]);
        assert_eq!(paths, [out.path().join("set/a.txt"), out.path().join("set/b.txt")]);
        assert_eq!(entries(out.path()), ["set"], "no staging folder is left");
        assert_eq!(entries(&out.path().join("set")), [SET_FILE, "a.txt", "b.txt"]);
        let manifest = fs::read_to_string(out.path().join("set").join(SET_FILE)).unwrap();
        assert_eq!(manifest, "a.txt\nb.txt\n");
    }

    #[test]
    fn publishing_again_replaces_the_whole_set() {
        let out = tempfile::tempdir().unwrap();
        publish(out.path(), &[("a.txt", "old"), ("b.txt", "old")]);
        publish(out.path(), &[("a.txt", "new")]);
        let set = out.path().join("set");
        assert_eq!(entries(&set), [SET_FILE, "a.txt"], "b.txt of the old set is gone");
        assert_eq!(fs::read_to_string(set.join("a.txt")).unwrap(), "new");
        assert_eq!(entries(out.path()), ["set"]);
    }

    #[test]
    fn a_plan_dropped_unpublished_leaves_the_old_set_and_no_temporary_file() {
        let out = tempfile::tempdir().unwrap();
        publish(out.path(), &[("a.txt", "old")]);
        {
            let mut plan = OutputPlan::new(out.path(), "set", &["a.txt", "b.txt"]).unwrap();
            plan.write("a.txt", b"new").unwrap();
            // b.txt is never written: the command failed.
        }
        assert_eq!(entries(out.path()), ["set"]);
        assert_eq!(fs::read_to_string(out.path().join("set/a.txt")).unwrap(), "old");
    }

    #[test]
    fn publishing_refuses_a_set_with_an_unwritten_file_and_undeclared_names() {
        let out = tempfile::tempdir().unwrap();
        let mut plan = OutputPlan::new(out.path(), "set", &["a.txt", "b.txt"]).unwrap();
        assert!(matches!(plan.write("c.txt", b""), Err(OutputError::FileName(_))));
        plan.write("a.txt", b"").unwrap();
        assert!(matches!(plan.publish(), Err(OutputError::FileName(_))));
        assert_eq!(entries(out.path()), Vec::<String>::new());
        for bad in [&["a", "a"][..], &["../x"], &[SET_FILE], &[""]] {
            assert!(OutputPlan::new(out.path(), "set", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stale_staging_folders_are_deleted_and_live_ones_kept() {
        let out = tempfile::tempdir().unwrap();
        // A killed command's staging folder: its lock is free.
        let dead = out.path().join(format!("{STAGING_PREFIX}999999-0"));
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join(SET_FILE), "a.txt\n").unwrap();
        fs::write(dead.join("a.txt"), "half").unwrap();
        // A live command's: its lock is held (here, by this test).
        let live = out.path().join(format!("{STAGING_PREFIX}999999-1"));
        fs::create_dir(&live).unwrap();
        let held = File::create(live.join(SET_FILE)).unwrap();
        held.lock().unwrap();
        // An empty one: a command killed between creating the folder and its lock file.
        let empty = out.path().join(format!("{STAGING_PREFIX}999999-2"));
        fs::create_dir(&empty).unwrap();
        publish(out.path(), &[("a.txt", "x")]);
        assert!(!dead.exists() && !empty.exists());
        assert!(live.join(SET_FILE).exists(), "a live command's staging folder is kept");
        drop(held);
        publish(out.path(), &[("a.txt", "y")]);
        assert_eq!(entries(out.path()), ["set"]);
    }

    #[test]
    fn folders_accord_did_not_write_are_never_replaced() {
        let out = tempfile::tempdir().unwrap();
        let set = out.path().join("set");
        publish(out.path(), &[("a.txt", "x")]);
        fs::write(set.join("notes.txt"), "mine").unwrap();
        let err = OutputPlan::new(out.path(), "set", &["a.txt"]).unwrap_err();
        assert!(err.is_bad_input() && err.to_string().contains("`notes.txt`"), "{err}");
        fs::remove_file(set.join("notes.txt")).unwrap();
        fs::create_dir(set.join("sub")).unwrap();
        assert!(OutputPlan::new(out.path(), "set", &["a.txt"]).is_err());
        // A folder without a manifest holding a user's file.
        let other = out.path().join("other");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("thesis.tex"), "").unwrap();
        assert!(OutputPlan::new(out.path(), "other", &["a.txt"]).unwrap_err().is_bad_input());
        fs::write(out.path().join("file"), "").unwrap();
        assert!(OutputPlan::new(out.path(), "file", &["a.txt"]).unwrap_err().is_bad_input());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&other, out.path().join("link")).unwrap();
            let err = OutputPlan::new(out.path(), "link", &["a.txt"]).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(fs::read_to_string(other.join("thesis.tex")).unwrap(), "");
    }

    #[test]
    fn a_folder_from_before_sets_is_replaced_if_it_holds_only_accord_files() {
        let out = tempfile::tempdir().unwrap();
        let old = out.path().join("set");
        fs::create_dir(&old).unwrap();
        for name in ["run.json", "offers.csv", "offers.svg", "report.html", ".run.json.42.tmp"] {
            fs::write(old.join(name), "old").unwrap();
        }
        publish(out.path(), &[("run.json", "new")]);
        assert_eq!(entries(&old), [SET_FILE, "run.json"]);
    }

    #[test]
    fn concurrent_publishers_leave_one_complete_set() {
        let out = tempfile::tempdir().unwrap();
        let files = ["a.txt", "b.txt", "c.txt"];
        std::thread::scope(|scope| {
            for writer in 0..6 {
                let out = out.path();
                scope.spawn(move || {
                    for round in 0..5 {
                        let mut plan = OutputPlan::new(out, "set", &files).unwrap();
                        for file in files {
                            plan.write(file, format!("{writer}/{round}").as_bytes()).unwrap();
                        }
                        plan.publish().unwrap();
                    }
                });
            }
        });
        let set = out.path().join("set");
        let contents: Vec<String> =
            files.iter().map(|f| fs::read_to_string(set.join(f)).unwrap()).collect();
        assert!(contents.iter().all(|c| *c == contents[0]), "mixed set: {contents:?}");
        assert_eq!(entries(out.path()), ["set"]);
    }

    #[test]
    fn folder_updates_replace_files_in_place_and_list_them() {
        let out = tempfile::tempdir().unwrap();
        publish(out.path(), &[("run.json", "r")]);
        let set = out.path().join("set");
        // A temporary file of a killed update.
        fs::write(set.join(format!("{STAGING_PREFIX}1-2-x.svg")), "half").unwrap();
        let mut update = FolderUpdate::new(&set).unwrap();
        update.write("x.svg", b"chart").unwrap();
        assert!(update.write("x.svg", b"again").is_err(), "once per update");
        let written = update.publish().unwrap();
        assert_eq!(written, [set.join("x.svg")]);
        assert_eq!(entries(&set), [SET_FILE, "run.json", "x.svg"]);
        assert_eq!(fs::read_to_string(set.join(SET_FILE)).unwrap(), "run.json\nx.svg\n");
        // The set, with the chart added, is still accord's to replace.
        publish(out.path(), &[("run.json", "r2")]);
        // A plain folder: files replaced one by one; nothing left on failure.
        let plain = tempfile::tempdir().unwrap();
        let mut update = FolderUpdate::new(plain.path()).unwrap();
        update.write("x.svg", b"chart").unwrap();
        drop(update);
        assert_eq!(entries(plain.path()), Vec::<String>::new());
    }

    #[test]
    fn io_errors_read_as_sentences_with_the_fix() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let err = OutputError::io("write", Path::new("out/x/report.html"), full);
        assert_eq!(
            err.to_string(),
            "cannot write out/x/report.html: the disk is full (no space left on device); free \
             some space and rerun"
        );
        let denied = io::Error::from_raw_os_error(13);
        let err = OutputError::io("create the output folder", Path::new("/x"), denied);
        assert_eq!(
            err.to_string(),
            "cannot create the output folder /x: permission denied (os error 13); choose a \
             folder this user may write (--out), or change its permissions"
        );
    }

    #[test]
    fn publishing_waits_for_an_update_of_the_set_in_progress() {
        let out = tempfile::tempdir().unwrap();
        publish(out.path(), &[("run.json", "old run")]);
        let set = out.path().join("set");
        let (locked, wait) = std::sync::mpsc::channel();
        let updater = {
            let set = set.clone();
            std::thread::spawn(move || {
                let mut update = FolderUpdate::new(&set).unwrap();
                locked.send(()).unwrap();
                // Read the run, draw a chart from it, slowly.
                let run = fs::read_to_string(set.join("run.json")).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
                update.write("chart.svg", format!("chart of {run}").as_bytes()).unwrap();
                update.publish().unwrap();
            })
        };
        wait.recv().unwrap();
        let mut plan = OutputPlan::new(out.path(), "set", &["run.json"]).unwrap();
        plan.write("run.json", b"new run").unwrap();
        plan.publish().unwrap();
        updater.join().unwrap();
        // The update finished inside the old set (its chart beside the run it drew), and the
        // new set replaced both whole: never a chart of the old run beside the new run.
        assert_eq!(entries(&set), [SET_FILE, "run.json"]);
        assert_eq!(fs::read_to_string(set.join("run.json")).unwrap(), "new run");
        assert_eq!(entries(out.path()), ["set"]);
    }
}
