//! Outputs: result records and their renderings (JSON, CSV, text), written atomically.
//!
//! Everything here is rendered from a [`record::RunRecord`]; nothing reads the engine
//! directly. Files are written to a temporary name in the target folder and renamed into
//! place, so an interrupted command never leaves a half-written file that looks whole.

pub mod compare;
pub mod csv;
pub mod record;
pub mod transcript;

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::export::record::RunRecord;

/// `run.json`: the record as pretty-printed JSON, with a trailing newline.
pub fn to_json(record: &RunRecord) -> String {
    let mut text = serde_json::to_string_pretty(record).expect("records serialize");
    text.push('\n');
    text
}

/// Reads a `run.json` back into a record.
pub fn from_json(text: &str) -> serde_json::Result<RunRecord> {
    serde_json::from_str(text)
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{AnalysisLevel, RunConfig, simulate};

    #[test]
    fn run_json_reads_back_to_the_same_bytes() {
        let checked = crate::scenario::check_str(
            "t.toml",
            include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
        );
        let scenario = checked.scenario.expect("valid");
        let record = simulate(
            &scenario,
            &RunConfig { seed: 3, file: "t.toml".into(), analysis: AnalysisLevel::Solutions },
        );
        let json = to_json(&record);
        let back = from_json(&json).expect("reads back");
        assert_eq!(to_json(&back), json);
    }
}
