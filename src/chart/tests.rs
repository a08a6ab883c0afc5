//! Charts of shipped scenarios and of hand-trimmed records: which files, their bytes and sizes.

use crate::chart::{Chart, ChartFormat, charts_for, charts_of, distinct, render};
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

/// Every chart of a record in both formats: (file name, bytes).
fn render_all(record: &RunRecord) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for chart in charts_of(record) {
        for format in [ChartFormat::Svg, ChartFormat::Png] {
            out.push((chart.file_name(format), render(record, &chart, format).unwrap()));
        }
    }
    out
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

/// Width and height from a PNG's signature and IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "IHDR first");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

#[test]
fn renders_every_chart_in_every_format_for_two_parties() {
    let files = render_all(&minerals());
    assert_eq!(
        names(&files),
        [
            "offers.svg",
            "offers.png",
            "concessions.svg",
            "concessions.png",
            "utility-space.svg",
            "utility-space.png"
        ]
    );
    for (name, bytes) in &files {
        if name.ends_with("png") {
            assert_eq!(png_size(bytes), (1200, 750), "{name}");
        } else {
            let svg = std::str::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg"), "{name}");
            assert!(svg.matches("<text").count() > 10, "text in {name}");
        }
    }
}

#[test]
fn draws_no_utility_space_without_exactly_two_parties() {
    let names: Vec<String> = charts_of(&three_parties()).iter().map(Chart::stem).collect();
    assert_eq!(names, ["offers", "concessions"]);
}

#[test]
fn long_offers_charts_split_into_balanced_pages() {
    let pages: Vec<(String, std::ops::Range<usize>)> =
        charts_for(3, 40).into_iter().map(|c| (c.stem(), c.issues)).collect();
    assert_eq!(
        pages,
        [
            ("offers".to_string(), 0..10),
            ("offers-2".to_string(), 10..20),
            ("offers-3".to_string(), 20..30),
            ("offers-4".to_string(), 30..40),
            ("concessions".to_string(), 0..40),
        ]
    );
    assert_eq!(charts_for(2, 12).len(), 3, "12 issues fit one page");
    assert_eq!(charts_for(2, 0)[0].issues, 0..0);
}

#[test]
fn formats_are_kept_in_order_once_each() {
    let formats = [ChartFormat::Png, ChartFormat::Svg, ChartFormat::Png];
    assert_eq!(distinct(&formats), [ChartFormat::Png, ChartFormat::Svg]);
}

#[test]
fn the_same_record_gives_the_same_bytes() {
    let record = minerals();
    assert_eq!(render_all(&record), render_all(&record));
}

#[test]
fn a_record_read_back_from_json_gives_the_same_charts() {
    let record = minerals();
    let back = crate::export::from_json(&crate::export::to_json(&record)).unwrap();
    for chart in charts_of(&record) {
        let a = render(&record, &chart, ChartFormat::Svg).unwrap();
        let b = render(&back, &chart, ChartFormat::Svg).unwrap();
        assert!(a == b, "{}", chart.stem());
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
    assert_eq!(render_all(&record).len(), 6);
}

#[test]
fn a_single_offer_at_round_zero_draws() {
    let record = record_of(include_str!("../../scenarios/textbook-rubinstein.toml"));
    assert_eq!(record.offers.len(), 1);
    assert_eq!(render_all(&record).len(), 6);
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

#[test]
fn charts_of_a_very_long_run_stay_small() {
    // Two hundred thousand offers that zigzag: thinning keeps what the pixels show.
    let mut record = minerals();
    let template = record.offers[0].clone();
    let proposers: Vec<String> = record.parties.iter().map(|p| p.id.clone()).collect();
    record.offers = (0..200_000u32)
        .map(|round| {
            let mut offer = template.clone();
            offer.round = round;
            offer.proposer = proposers[round as usize % 2].clone();
            let wave = f64::from(round % 97) / 97.0;
            for (_, u) in &mut offer.utilities.0 {
                *u = wave;
            }
            offer
        })
        .collect();
    record.outcome.round = 200_000;
    for chart in charts_of(&record) {
        let svg = render(&record, &chart, ChartFormat::Svg).unwrap();
        assert!(svg.len() < 400_000, "{} is {} bytes", chart.stem(), svg.len());
    }
}
