//! Outputs: result records, their renderings (JSON, CSV, text), and publishing them.
//!
//! Everything here is rendered from a [`record::RunRecord`]; nothing reads the engine
//! directly. A command's files are published together as one set (`publish`): written into
//! a private staging folder and swapped into place, so an interrupted or concurrent command
//! never leaves a half-written file, nor a folder mixing two runs.

pub mod compare;
pub mod csv;
pub mod publish;
pub mod record;
pub mod row;
pub mod transcript;

use std::io::{self, Write};

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

/// Writes `run.json` (the bytes of [`to_json`]) to `writer` without building the text in
/// memory first: for records with very many offers.
pub fn write_json(record: &RunRecord, writer: impl Write) -> io::Result<()> {
    let mut writer = io::BufWriter::new(writer);
    serde_json::to_writer_pretty(&mut writer, record).map_err(io::Error::from)?;
    writer.write_all(b"\n")?;
    writer.flush()
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
        let mut streamed = Vec::new();
        write_json(&record, &mut streamed).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), json, "streamed and whole agree");
    }
}
