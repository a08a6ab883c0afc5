//! Charts of shipped scenarios and of hand-trimmed records: which files, their bytes and sizes.

use std::fs;
use std::path::Path;

use crate::chart::{ChartConfig, ChartError, ChartFormat, run_charts};
use crate::export::record::RunRecord;
use crate::run::{AnalysisLevel, RunConfig, simulate};

fn record_of(toml: &str) -> RunRecord {
    let checked = crate::scenario::check_str("t.toml", toml);
    let scenario = checked.scenario.expect("a valid scenario");
    simulate(
        &scenario,
        &RunConfig {
            seed: scenario.seed(),
            file: "t.toml".into(),
            analysis: AnalysisLevel::Frontier,
        },
    )
}

fn minerals() -> RunRecord {
    record_of(include_str!("../../scenarios/us-ukraine-minerals-2025.toml"))
}

fn three_parties() -> RunRecord {
    record_of(include_str!("../../scenarios/us-ukraine-eu-lng-2025.toml"))
}

fn both() -> ChartConfig {
    ChartConfig { formats: vec![ChartFormat::Svg, ChartFormat::Png] }
}

fn names(dir: &Path, paths: &[std::path::PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.strip_prefix(dir).expect("inside dir").to_string_lossy().into_owned())
        .collect()
}

/// Width and height from a PNG's signature and IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "IHDR first");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

#[test]
fn writes_every_chart_in_every_format_for_two_parties() {
    let dir = tempfile::tempdir().unwrap();
    let paths = run_charts(&minerals(), dir.path(), &both()).unwrap();
    assert_eq!(
        names(dir.path(), &paths),
        [
            "offers.svg",
            "offers.png",
            "concessions.svg",
            "concessions.png",
            "utility-space.svg",
            "utility-space.png"
        ]
    );
    for path in &paths {
        let bytes = fs::read(path).unwrap();
        if path.extension().unwrap() == "png" {
            assert_eq!(png_size(&bytes), (1200, 750), "{}", path.display());
        } else {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg"), "{}", path.display());
            assert!(svg.matches("<text").count() > 10, "text in {}", path.display());
        }
    }
    // Nothing else is left in the folder (no temporary files).
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), paths.len());
}

#[test]
fn draws_no_utility_space_without_exactly_two_parties() {
    let dir = tempfile::tempdir().unwrap();
    let config = ChartConfig { formats: vec![ChartFormat::Png] };
    let paths = run_charts(&three_parties(), dir.path(), &config).unwrap();
    assert_eq!(names(dir.path(), &paths), ["offers.png", "concessions.png"]);
}

#[test]
fn writes_the_formats_in_the_configs_order_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let formats = vec![ChartFormat::Png, ChartFormat::Svg, ChartFormat::Png];
    let paths = run_charts(&minerals(), dir.path(), &ChartConfig { formats }).unwrap();
    assert_eq!(names(dir.path(), &paths)[..2], ["offers.png", "offers.svg"]);
    assert_eq!(paths.len(), 6);
}

#[test]
fn the_same_record_gives_the_same_bytes() {
    let record = minerals();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = run_charts(&record, a.path(), &both()).unwrap();
    let second = run_charts(&record, b.path(), &both()).unwrap();
    for (x, y) in first.iter().zip(&second) {
        assert_eq!(fs::read(x).unwrap(), fs::read(y).unwrap(), "{}", x.display());
    }
}

#[test]
fn a_record_read_back_from_json_gives_the_same_charts() {
    let record = minerals();
    let back = crate::export::from_json(&crate::export::to_json(&record)).unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let config = ChartConfig { formats: vec![ChartFormat::Svg] };
    let first = run_charts(&record, a.path(), &config).unwrap();
    let second = run_charts(&back, b.path(), &config).unwrap();
    for (x, y) in first.iter().zip(&second) {
        assert_eq!(fs::read(x).unwrap(), fs::read(y).unwrap(), "{}", x.display());
    }
}

#[test]
fn a_record_with_no_offers_deal_frontier_or_analysis_still_draws() {
    let mut record = minerals();
    record.offers.clear();
    record.events.clear();
    record.outcome.kind = "walk_out".into();
    record.outcome.terms = None;
    record.outcome.summary = "United States walked out at round 0".into();
    for party in &mut record.parties {
        party.utility = None;
        party.discounted_utility = None;
    }
    record.analysis.frontier = None;
    record.analysis.nash = None;
    record.analysis.kalai_smorodinsky = None;
    record.analysis.observed = None;
    record.analysis.error = Some("the outcome space is too large".into());
    let dir = tempfile::tempdir().unwrap();
    let paths = run_charts(&record, dir.path(), &both()).unwrap();
    assert_eq!(paths.len(), 6);
}

#[test]
fn a_single_offer_at_round_zero_draws() {
    let record = record_of(include_str!("../../scenarios/textbook-rubinstein.toml"));
    assert_eq!(record.offers.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_charts(&record, dir.path(), &both()).unwrap().len(), 6);
}

#[test]
fn a_file_in_place_of_the_folder_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    fs::write(&file, "").unwrap();
    let err = run_charts(&minerals(), &file, &both()).unwrap_err();
    assert!(matches!(err, ChartError::Io { .. }), "{err:?}");
    assert!(err.to_string().starts_with("cannot write "), "{err}");
}

#[test]
fn formats_parse_and_print_as_the_command_line_spells_them() {
    assert_eq!("svg".parse::<ChartFormat>(), Ok(ChartFormat::Svg));
    assert_eq!("PNG".parse::<ChartFormat>(), Ok(ChartFormat::Png));
    assert_eq!(ChartFormat::Png.to_string(), "png");
    assert_eq!(
        "pdf".parse::<ChartFormat>(),
        Err("unknown chart format `pdf`; expected `svg` or `png`".to_string())
    );
}
