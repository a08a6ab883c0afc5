//! `accord chart OUT/<stem>/sweep.csv`: the charts of a sweep for each shape of axes, the
//! same bytes every time, and located refusals of files accord did not write (issue 6 item 9).

use std::path::Path;

use crate::util::accord;

const RUBINSTEIN: &str = "scenarios/textbook-rubinstein.toml";

/// Runs a small sweep of `scenario` into `out` and draws its charts; returns the folder.
fn sweep_and_chart(
    scenario: &str,
    out: &Path,
    axes: &[&str],
    replicates: &str,
) -> std::path::PathBuf {
    let mut cmd = accord();
    cmd.args(["sweep", scenario, "--quiet", "--replicates", replicates, "--out"]).arg(out);
    for axis in axes {
        cmd.args(["--vary", axis]);
    }
    cmd.assert().success();
    let stem = Path::new(scenario).file_stem().expect("a stem");
    let dir = out.join(stem);
    accord().arg("chart").arg(dir.join("sweep.csv")).assert().success();
    dir
}

fn svg(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{name}.svg")))
        .unwrap_or_else(|e| panic!("{name}.svg: {e}"))
}

fn assert_png(dir: &Path, name: &str) {
    let bytes = std::fs::read(dir.join(format!("{name}.png"))).expect("a PNG");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}.png is a PNG");
    assert!(bytes.len() > 10_000, "{name}.png has content");
}

fn chart_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sweep-"))
        .collect();
    names.sort();
    names
}

#[test]
fn one_numeric_axis_gives_lines_with_bands_named_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep_and_chart(RUBINSTEIN, tmp.path(), &["scenario.breakdown_risk=0..0.2:5"], "6");
    let files = chart_files(&dir);
    for name in ["sweep-agreement", "sweep-gain", "sweep-round", "sweep-terms-share"] {
        assert!(files.contains(&format!("{name}.svg")), "{name}.svg in {files:?}");
        assert_png(&dir, name);
    }
    let gain = svg(&dir, "sweep-gain");
    assert!(gain.contains("Breakdown risk per round (probability)"), "axis title in words");
    assert!(gain.contains("runs at each value"), "the subtitle says what each point is");
    assert!(gain.contains("Bob"), "each party in the legend");
    let agreement = svg(&dir, "sweep-agreement");
    assert!(agreement.contains("100%"), "agreement as a percentage");

    // A heatmap for the two axes, one per party's gain.
    let tmp2 = tempfile::tempdir().unwrap();
    let dir2 = sweep_and_chart(
        RUBINSTEIN,
        tmp2.path(),
        &["parties.alice.reservation=0..0.4:3", "scenario.breakdown_risk=0,0.2"],
        "4",
    );
    let files = chart_files(&dir2);
    for name in ["sweep-agreement", "sweep-gain-alice", "sweep-gain-bob", "sweep-round"] {
        assert!(files.contains(&format!("{name}.svg")), "{name}.svg in {files:?}");
        assert_png(&dir2, name);
    }
    let heat = svg(&dir2, "sweep-gain-bob");
    assert!(heat.contains("Breakdown risk per round (probability)"), "second axis titled");
    assert!(heat.contains("Alice&apos;s reservation value (utility)"), "first axis titled");
    assert!(heat.contains("(colour: median)"), "a labelled colour scale");
}

#[test]
fn charts_are_the_same_bytes_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep_and_chart(RUBINSTEIN, tmp.path(), &["parties.bob.discount=0.5..0.9:3"], "1");
    let first: Vec<Vec<u8>> =
        chart_files(&dir).iter().map(|f| std::fs::read(dir.join(f)).unwrap()).collect();
    accord().arg("chart").arg(dir.join("sweep.csv")).assert().success();
    let second: Vec<Vec<u8>> =
        chart_files(&dir).iter().map(|f| std::fs::read(dir.join(f)).unwrap()).collect();
    assert_eq!(first, second);
    assert!(!first.is_empty());
}

#[test]
fn strategy_kinds_give_box_plots_and_more_than_two_axes_are_pooled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir =
        sweep_and_chart(RUBINSTEIN, tmp.path(), &["parties.alice.strategy=boulware,conceder"], "2");
    let gain = svg(&dir, "sweep-gain");
    assert!(gain.contains("boulware") && gain.contains("conceder"), "categories on the axis");
    assert_png(&dir, "sweep-gain");

    let tmp2 = tempfile::tempdir().unwrap();
    let dir2 = sweep_and_chart(
        RUBINSTEIN,
        tmp2.path(),
        &[
            "parties.alice.reservation=0,0.2",
            "parties.bob.reservation=0,0.2",
            "parties.bob.discount=0.7,0.8",
        ],
        "1",
    );
    let agreement = svg(&dir2, "sweep-agreement");
    // (The subtitle wraps, so look for words, not the sentence.)
    assert!(agreement.contains("two are") && agreement.contains("pooled"), "pooled axes named");

    // An axis with one value is a setting: the two that vary make the heatmap, and the
    // subtitle names the fixed one with its value, whatever its column.
    let tmp3 = tempfile::tempdir().unwrap();
    let dir3 = sweep_and_chart(
        RUBINSTEIN,
        tmp3.path(),
        &[
            "parties.alice.reservation=0,0.2",
            "scenario.breakdown_risk=0.01",
            "parties.bob.reservation=0,0.2",
        ],
        "3",
    );
    let agreement = svg(&dir3, "sweep-agreement");
    assert!(agreement.contains("Fixed:") && agreement.contains("at 0.01."), "fixed axis named");
    assert!(!agreement.contains("pooled"), "nothing pooled");
    assert!(dir3.join("sweep-gain-bob.svg").exists(), "two varying axes give heatmaps");
    assert!(!dir3.join("sweep-gain.svg").exists());
}

#[test]
fn bad_sweep_files_are_refused_with_their_place_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep_and_chart(RUBINSTEIN, tmp.path(), &["parties.alice.reservation=0..0.4:3"], "1");
    let csv = std::fs::read_to_string(dir.join("sweep.csv")).unwrap();
    let json = std::fs::read_to_string(dir.join("sweep.json")).unwrap();

    // A number in an axis column replaced by a word: line 3, that column.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let mut fields: Vec<String> = lines[2].split(',').map(String::from).collect();
    fields[4] = "lots".into();
    lines[2] = fields.join(",");
    std::fs::write(dir.join("sweep.csv"), lines.join("\n") + "\n").unwrap();
    let out = accord().arg("chart").arg(dir.join("sweep.csv")).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let column = fields[..4].iter().map(|f| f.len() + 1).sum::<usize>() + 1;
    assert!(err.contains(&format!("sweep.csv:3:{column}:")), "{err}");
    assert!(err.contains("`lots`") && err.contains("= help:"), "{err}");

    // A missing row.
    lines.truncate(2);
    std::fs::write(dir.join("sweep.csv"), lines.join("\n") + "\n").unwrap();
    let out = accord().arg("chart").arg(dir.join("sweep.csv")).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("1 rows; sweep.json says this folder holds 3 runs"), "{err}");

    // A damaged sidecar: its line and column.
    std::fs::write(dir.join("sweep.csv"), &csv).unwrap();
    std::fs::write(dir.join("sweep.json"), json.replacen("\"status\"", "\"status\" 1", 1)).unwrap();
    let out = accord().arg("chart").arg(dir.join("sweep.csv")).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("sweep.json:4:"), "{err}");

    // An unfinished sweep, and no sidecar at all.
    std::fs::write(dir.join("sweep.json"), json.replace("\"complete\"", "\"running\"")).unwrap();
    let out = accord().arg("chart").arg(dir.join("sweep.csv")).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("not complete") && err.contains("--resume"), "{err}");
    std::fs::remove_file(dir.join("sweep.json")).unwrap();
    accord().arg("chart").arg(dir.join("sweep.csv")).assert().code(2);
}

#[test]
fn three_parties_get_a_line_each() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep_and_chart(
        "scenarios/us-ukraine-eu-lng-2025.toml",
        tmp.path(),
        &["parties.eu.reservation=0.1,0.3"],
        "1",
    );
    let gain = svg(&dir, "sweep-gain");
    for name in ["United States", "Ukraine", "European Union"] {
        assert!(gain.contains(name), "{name} in the legend");
    }
}

/// Rubinstein's share for the first proposer: (1 - d_b) / (1 - d_a d_b).
fn rubinstein_share(d_alice: f64, d_bob: f64) -> f64 {
    (1.0 - d_bob) / (1.0 - d_alice * d_bob)
}

#[test]
fn reports_run_the_scenarios_sweeps_and_read_sentences_off_them() {
    let tmp = tempfile::tempdir().unwrap();
    accord().args(["report", RUBINSTEIN, "--out"]).arg(tmp.path()).assert().success();
    let dir = tmp.path().join("textbook-rubinstein");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Sweeps") && md.contains("### Patience pays"), "{md}");
    // The sentence is read off the runs: it must agree with the equilibrium formula at both
    // ends of the sweep (Alice's discount from 0.5 to 0.95, Bob's 0.8).
    let (lo, hi) = (rubinstein_share(0.5, 0.8), rubinstein_share(0.95, 0.8));
    let sentence = format!("Alice's gain rises from {lo:.3} to {hi:.3}");
    assert!(md.contains(&sentence), "{sentence} in {md}");
    assert!(md.contains("![report-sweep1-gain chart](report-sweep1-gain.png)"), "{md}");
    assert_png(&dir, "report-sweep1-gain");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Alice&apos;s discount factor per round"), "the chart is inline");
    // The round does not move in this sweep: no chart for it, and a sentence saying so.
    assert!(!dir.join("report-sweep1-round.png").exists());
    assert!(md.contains("Unchanged across the sweep: the round of the deal (round 0)"), "{md}");
}

#[test]
fn without_sweeps_a_report_sweeps_each_reservation_value() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::util::root().join(RUBINSTEIN)).unwrap();
    let cut = text.find("[[sweeps]]").expect("the shipped file has sweeps");
    let file = tmp.path().join("plain.toml");
    std::fs::write(&file, &text[..cut]).unwrap();
    accord().arg("report").arg(&file).arg("--out").arg(tmp.path()).assert().success();
    let md = std::fs::read_to_string(tmp.path().join("plain/report.md")).unwrap();
    for party in ["Alice", "Bob"] {
        assert!(md.contains(&format!("### {party}'s reservation value")), "{md}");
        assert!(
            md.contains(&format!("Varied: {party}'s reservation value (9 values from 0 to 0.2)")),
            "{md}"
        );
    }
    assert!(md.contains("Bob's gain falls from 0.286 to 0.086"), "{md}");
}

#[test]
fn sweeps_in_a_scenario_are_checked_like_the_sweep_command() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::util::root().join(RUBINSTEIN)).unwrap();
    let cut = text.find("[[sweeps]]").expect("the shipped file has sweeps");
    let cases = [
        (
            "vary = [\"parties.carol.reservation=0..1:3\"]",
            "sweeps[0].vary[0]: unknown party `carol`",
        ),
        ("vary = [\"parties.bob.discount=0.5..1.5:3\"]", "sweeps[0].vary[0]: `1.5` is not allowed"),
        ("vary = [\"parties.bob.discount=0.5..0.9\"]", "a grid needs the number of values"),
        ("vary = []", "sweeps[0].vary: no axes"),
        ("vary = [\"scenario.max_rounds=1..50:3\"]\nreplicates = 0", "sweeps[0].replicates"),
        ("vary = [\"scenario.max_rounds=1..100:100\"]\nreplicates = 100", "a report runs at most"),
        ("name = \"x\"", "sweeps[0].vary: missing"),
    ];
    for (body, expected) in cases {
        let file = tmp.path().join("t.toml");
        std::fs::write(&file, format!("{}[[sweeps]]\n{body}\n", &text[..cut])).unwrap();
        let out = accord().arg("validate").arg(&file).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let line = text[..cut].lines().count() + 2;
        assert!(err.contains(expected), "{body}: {err}");
        // At the offending value, or at the table for a missing field.
        let line = if body.starts_with("name") { line - 1 } else { line };
        assert!(err.contains(&format!("t.toml:{line}:")), "{body}: located: {err}");
        assert!(err.contains("help"), "{body}: a fix: {err}");
    }
}

#[test]
fn charts_of_an_earlier_sweep_do_not_outlive_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep_and_chart(RUBINSTEIN, tmp.path(), &["parties.bob.discount=0.5..0.9:3"], "1");
    assert!(dir.join("sweep-gain.svg").exists());
    // A new sweep in the folder removes the charts of the old one...
    accord()
        .args(["sweep", RUBINSTEIN, "--quiet", "--force", "--out"])
        .arg(tmp.path())
        .args([
            "--vary",
            "parties.bob.discount=0.5,0.9",
            "--vary",
            "parties.alice.discount=0.5,0.9",
        ])
        .assert()
        .success();
    assert!(chart_files(&dir).is_empty(), "{:?}", chart_files(&dir));
    // ...and charting it leaves only its own charts, even beside others' leftovers.
    std::fs::write(dir.join("sweep-gain.svg"), "<svg/>").unwrap();
    accord().arg("chart").arg(dir.join("sweep.csv")).assert().success();
    let files = chart_files(&dir);
    assert!(files.contains(&"sweep-gain-alice.svg".to_string()), "{files:?}");
    assert!(!files.contains(&"sweep-gain.svg".to_string()), "{files:?}");
}
