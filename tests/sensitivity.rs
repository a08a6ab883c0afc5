//! `accord sensitivity`: outputs, plain findings, determinism across threads, refusals
//! before anything runs (issue 8).

use std::path::Path;

use crate::util::accord;

const MINERALS: &str = "scenarios/us-ukraine-minerals-2025.toml";

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn one_at_a_time_over_the_declared_assumptions_writes_findings_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = accord()
        .args(["sensitivity", MINERALS, "--method", "oat", "--quiet", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("one-at-a-time analysis of 8 assumptions over 17 runs"), "{stdout}");
    assert!(stdout.contains("When the talks end (the round) swings most with"), "{stdout}");
    let dir = tmp.path().join("us-ukraine-minerals-2025");
    let csv = read(&dir, "sensitivity.csv");
    assert!(csv.starts_with("method,metric,assumption,index,value,ci_low,ci_high\n"));
    assert!(csv.contains("oat,round,parties.us.strategy.exponent,swing,"), "{csv}");
    // The runs are a sweep: 17 rows, the sidecar names the design.
    assert_eq!(read(&dir, "sweep.csv").lines().count(), 18);
    assert!(read(&dir, "sweep.json").contains("\"kind\": \"points\""));
    let md = read(&dir, "sensitivity.md");
    assert!(md.contains("## Findings") && md.contains("Zelenskyy, Munich Security Conference"));
    assert!(read(&dir, "sensitivity.json").contains("\"method\": \"oat\""));
    assert!(md.contains("(sensitivity-round.png)"), "{md}");
    let html = read(&dir, "sensitivity.html");
    assert!(html.contains("<table") && html.contains("<svg"));
    // A tornado per charted metric, largest swing on top, in SVG and PNG.
    let svg = read(&dir, "sensitivity-round.svg");
    assert!(svg.contains("When the talks end (the round)") && svg.contains("at the high end"));
    let first = svg.find("United States&apos; boulware exponent").expect("a row per assumption");
    let last =
        svg.find("Ukraine&apos;s weight on security_guarantee").expect("a row per assumption");
    assert!(first < last, "the largest swing comes first");
    let png = std::fs::read(dir.join("sensitivity-round.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // accord report in the same folder keeps the analysis and shows its findings.
    accord().args(["report", MINERALS, "--out"]).arg(tmp.path()).assert().success();
    let report = read(&dir, "report.md");
    let at = report.find("## Sensitivity").expect("a sensitivity section");
    assert!(report[at..].contains("When the talks end (the round) swings most with"));
    assert!(report[at..].contains("(sensitivity-round.png)"));
    assert!(read(&dir, "report.html").contains("When the talks end (the round)"));
    assert_eq!(read(&dir, "sensitivity.csv"), csv);
}

#[test]
fn sobol_is_byte_identical_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, threads: &str| {
        accord()
            .args(["sensitivity", MINERALS, "--samples", "16", "--quiet", "--threads", threads])
            .args(["--metric", "round", "--metric", "gain.us", "--out"])
            .arg(tmp.path().join(name))
            .assert()
            .success();
        tmp.path().join(name).join("us-ukraine-minerals-2025")
    };
    let (a, b) = (run("a", "1"), run("b", "2"));
    for file in ["sensitivity.csv", "sweep.csv", "sensitivity.md"] {
        assert_eq!(read(&a, file), read(&b, file), "{file}");
    }
    let csv = read(&a, "sensitivity.csv");
    // 2 metrics x 8 assumptions x (S1, ST), each with an interval.
    assert_eq!(csv.lines().count(), 1 + 2 * 8 * 2);
    assert!(csv.lines().skip(1).all(|l| l.split(',').filter(|f| !f.is_empty()).count() == 7));
    // Sobol' with N = 16 runs 16 (8 + 2) points.
    assert_eq!(read(&a, "sweep.csv").lines().count(), 1 + 160);
    // A second run without --resume or --force is refused; with --resume it only re-estimates.
    accord()
        .args(["sensitivity", MINERALS, "--samples", "16", "--quiet"])
        .args(["--metric", "round", "--metric", "gain.us", "--out"])
        .arg(tmp.path().join("a"))
        .assert()
        .code(2);
    accord()
        .args(["sensitivity", MINERALS, "--samples", "16", "--quiet", "--resume"])
        .args(["--metric", "round", "--metric", "gain.us", "--out"])
        .arg(tmp.path().join("a"))
        .assert()
        .success();
    assert_eq!(read(&a, "sensitivity.csv"), csv);
}

#[test]
fn bad_requests_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec![MINERALS, "--metric", "nonsense"], "--metric `nonsense`: no such metric"),
        (vec![MINERALS, "--method", "oat", "--samples", "4"], "--samples does not apply"),
        (vec!["scenarios/textbook-rubinstein.toml"], "declares no [[assumptions]]"),
        (
            vec![MINERALS, "--vary", "parties.us.discount=0.9..0.99:3"],
            "varies a number over a range",
        ),
        (vec![MINERALS, "--vary", "parties.us.discount=0.9..1.5"], "is not allowed"),
    ] {
        let out =
            accord().arg("sensitivity").args(&args).arg("--out").arg(tmp.path()).assert().code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stderr.contains("= help:"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn shards_merged_then_resumed_give_the_unsharded_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let base = ["sensitivity", MINERALS, "--method", "morris", "--samples", "6", "--quiet"];
    let whole = tmp.path().join("whole");
    accord().args(base).arg("--out").arg(&whole).assert().success();
    let parts = tmp.path().join("parts");
    for k in ["1/2", "2/2"] {
        let out = accord().args(base).args(["--shard", k, "--out"]).arg(&parts).assert().success();
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("accord merge"), "{stderr}");
    }
    let merged = tmp.path().join("merged");
    accord()
        .arg("merge")
        .arg(parts.join("us-ukraine-minerals-2025.shard-1-of-2"))
        .arg(parts.join("us-ukraine-minerals-2025.shard-2-of-2"))
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    accord().args(base).arg("--resume").arg("--out").arg(&merged).assert().success();
    let (a, b) = (whole.join("us-ukraine-minerals-2025"), merged.join("us-ukraine-minerals-2025"));
    for file in ["sweep.csv", "sensitivity.csv", "sensitivity.md"] {
        assert_eq!(read(&a, file), read(&b, file), "{file}");
    }
}
