//! Charts of shipped scenarios and of hand-trimmed records: which files, their bytes and sizes.

use crate::chart::{
    Chart, ChartFormat, charts_for, charts_of, distinct, readability_warnings, render,
};
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
            let (width, height) = png_size(bytes);
            assert_eq!(width, 1200, "{name}");
            assert!((375..=2000).contains(&height), "{name} is {height} high");
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
            offer.proposer = proposers[round as usize % 2].clone().into();
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

mod damaged_records {
    //! Damaged run.json files: a real one with one value replaced, removed or added. Every
    //! file either reads back and draws sane charts, or is refused with located problems.

    use std::sync::OnceLock;

    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::chart::read_record;

    fn original() -> &'static Value {
        static RECORD: OnceLock<Value> = OnceLock::new();
        RECORD.get_or_init(|| serde_json::to_value(minerals()).unwrap())
    }

    /// Values an editor or an attacker might put anywhere.
    fn hostile(k: usize) -> Value {
        let all = [
            serde_json::json!("a string"),
            serde_json::json!("3"),
            serde_json::json!(1e308),
            serde_json::json!(-1e308),
            serde_json::json!(-1),
            serde_json::json!(0),
            serde_json::json!(2),
            serde_json::json!(4294967296u64),
            serde_json::json!(null),
            serde_json::json!(true),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([1.0, 0.0]),
            serde_json::json!("zz"),
            serde_json::json!(""),
        ];
        all[k % all.len()].clone()
    }

    /// How many values the tree holds (depth first).
    fn count(value: &Value) -> usize {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(map) => map.values().map(count).sum(),
            _ => 0,
        }
    }

    /// Applies `edit` to the `n`th value (depth first); true once applied.
    fn edit_nth(value: &mut Value, n: &mut usize, edit: &dyn Fn(&mut Value)) -> bool {
        if *n == 0 {
            edit(value);
            return true;
        }
        *n -= 1;
        match value {
            Value::Array(items) => items.iter_mut().any(|v| edit_nth(v, n, edit)),
            Value::Object(map) => map.values_mut().any(|v| edit_nth(v, n, edit)),
            _ => false,
        }
    }

    fn damaged(at: usize, how: usize, what: usize) -> String {
        let mut value = original().clone();
        let mut n = at % count(&value);
        let edit = move |v: &mut Value| match how % 4 {
            // Replace the value.
            0 | 1 => *v = hostile(what),
            // Drop an element or a field.
            2 => match v {
                Value::Array(items) if !items.is_empty() => {
                    items.remove(what % items.len());
                }
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(what % map.len()).unwrap().clone();
                    map.remove(&key);
                }
                other => *other = hostile(what),
            },
            // Repeat an element, or add a field.
            _ => match v {
                Value::Array(items) if !items.is_empty() => {
                    let item = items[what % items.len()].clone();
                    items.push(item);
                }
                Value::Object(map) => {
                    map.insert("zz".into(), hostile(what));
                }
                other => *other = hostile(what + 1),
            },
        };
        edit_nth(&mut value, &mut n, &edit);
        serde_json::to_string_pretty(&value).unwrap()
    }

    /// Every number in an SVG's coordinates lies on the canvas.
    fn coordinates_on_canvas(svg: &str, (width, height): (u32, u32)) -> Result<(), String> {
        for attr in [" x=\"", " y=\"", " cx=\"", " cy=\"", " x1=\"", " y1=\"", " x2=\"", " y2=\""] {
            let limit = if attr.contains('x') { width } else { height };
            for rest in svg.split(attr).skip(1) {
                let number = rest.split('"').next().unwrap_or("");
                let v: f64 = number.parse().map_err(|_| format!("{attr}{number}"))?;
                if !(-2.0..=f64::from(limit) + 2.0).contains(&v) {
                    return Err(format!("{attr}{number}\" is off the canvas"));
                }
            }
        }
        if svg.contains("NaN") || svg.contains("inf") {
            return Err("NaN or inf in the SVG".into());
        }
        Ok(())
    }

    fn cases() -> u32 {
        std::env::var("ACCORD_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn a_damaged_run_json_draws_sanely_or_is_refused_with_places(
            at in 0usize..100_000, how in 0usize..4, what in 0usize..64,
        ) {
            let text = damaged(at, how, what);
            let n_lines = text.lines().count();
            match read_record(&text) {
                Ok(record) => {
                    for chart in charts_of(&record) {
                        let svg = render(&record, &chart, ChartFormat::Svg).unwrap();
                        let svg = String::from_utf8(svg).unwrap();
                        prop_assert!(coordinates_on_canvas(&svg, (1200, 750)).is_ok(),
                            "{}: {:?}", chart.stem(), coordinates_on_canvas(&svg, (1200, 750)));
                    }
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    for p in &problems {
                        prop_assert!(p.line >= 1 && p.line <= n_lines + 1 && p.column >= 1, "{p}");
                        if !p.path.is_empty() {
                            prop_assert!((p.line, p.column) != (1, 1), "not located: {p}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_damage_classes_of_issue_7_are_refused_with_their_places() {
        let text = crate::export::to_json(&minerals());
        let cases: [(&str, &str, &str); 7] = [
            (
                "\"us\": 0.8285714285714285",
                "\"us\": 1e308",
                "a utility must be in [0, 1], found 1e308",
            ),
            ("\"proposer\": \"us\"", "\"proposer\": \"zz\"", "].proposer: unknown party `zz`"),
            (
                "\"range\": [\n          0.0,\n          100.0\n        ]",
                "\"range\": [100.0, 0.0]",
                "scenario.issues[0].range: must be [min, max]",
            ),
            (
                "\"order\": [\n      \"us\",\n      \"ukraine\"\n    ]",
                "\"order\": [\"us\", \"ukraine\", \"eu\"]",
                "scenario.order: must name each of the 2 parties",
            ),
            ("\"round\": 0,", "\"round\": \"0\",", "invalid type: string \"0\""),
            (
                "\"utilities\": {\n        \"us\": ",
                "\"utilities\": {\n        \"us\": 1e308, \"zz\": ",
                ".utilities: must give the parties",
            ),
            (
                "\"parties\": [",
                "\"parties\": [], \"zz\": [",
                "parties: a run has at least one party",
            ),
        ];
        for (from, to, expected) in cases {
            assert!(text.contains(from), "fixture lacks {from}");
            let damaged = text.replacen(from, to, 1);
            let problems = read_record(&damaged).unwrap_err();
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            assert!(all.iter().any(|p| p.contains(expected)), "{expected} not in {all:#?}");
            let first = &problems[0];
            let line = damaged.lines().nth(first.line - 1).expect("the line exists");
            assert!(first.column <= line.chars().count() + 1, "{first} beyond {line:?}");
        }
    }
}

#[test]
fn charts_grow_with_their_events_and_issues() {
    let mut record = minerals();
    let height = |record: &RunRecord, k: usize| {
        let chart = &charts_of(record)[k];
        let png = render(record, chart, ChartFormat::Png).unwrap();
        png_size(&png).1
    };
    let (offers, concessions) = (height(&record, 0), height(&record, 1));
    let event = record.events[0].clone();
    record.events = (0..25).map(|_| event.clone()).collect();
    assert!(height(&record, 1) >= concessions + 19 * 20, "a caption line per event");
    assert!(height(&record, 0) >= offers + 19 * 20);
    // One issue gets the height several would share, so its panel is no strip.
    let mut one = minerals();
    one.scenario.issues.truncate(1);
    for offer in &mut one.offers {
        offer.terms.0.truncate(1);
    }
    assert!(height(&one, 0) >= 600, "{}", height(&one, 0));
}

#[test]
fn validate_is_told_where_charts_split_or_leave_things_out() {
    assert!(readability_warnings(6, 12, 40).is_empty());
    let warnings = readability_warnings(100, 40, 41);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("split into 4 pages"), "{}", warnings[0]);
    assert!(warnings[1].contains("only 84 get a colour and marker"), "{}", warnings[1]);
    assert!(warnings[2].contains("caption the first 40"), "{}", warnings[2]);
}
