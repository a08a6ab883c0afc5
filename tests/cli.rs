//! The command line: commands, flags, exit codes and error output.

use predicates::prelude::*;

use crate::util::{accord, names_in, root, run_to, shipped_scenarios};

#[test]
fn every_shipped_scenario_is_valid() {
    let scenarios = shipped_scenarios();
    assert!(scenarios.len() >= 4, "expected the shipped scenarios, found {scenarios:?}");
    accord().arg("validate").args(&scenarios).assert().success();
}

#[test]
fn every_shipped_scenario_runs_to_an_outcome() {
    let out = tempfile::tempdir().unwrap();
    for scenario in shipped_scenarios() {
        let (stdout, json, _) = run_to(scenario.to_str().unwrap(), out.path(), &[]);
        assert!(stdout.contains("Outcome:"), "{scenario:?}: {stdout}");
        let record: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(record["analysis"]["error"].is_null(), "{scenario:?}: {}", record["analysis"]);
    }
}

#[test]
fn validate_reports_every_problem_with_file_line_and_column() {
    let assert = accord().args(["validate", "tests/data/invalid.toml"]).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    insta::assert_snapshot!(stderr);
}

#[test]
fn validate_reports_syntax_errors_with_their_place() {
    accord()
        .args(["validate", "tests/data/syntax.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tests/data/syntax.toml:2:21: error: invalid TOML"));
}

#[test]
fn validate_checks_all_files_and_fails_if_any_is_bad() {
    accord()
        .args(["validate", "scenarios/textbook-rubinstein.toml", "tests/data/invalid.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ok: scenarios/textbook-rubinstein.toml"))
        .stderr(predicate::str::contains("error: 15 problems in tests/data/invalid.toml"));
}

#[test]
fn validate_warns_when_there_is_no_zone_of_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hopeless.toml");
    let text = std::fs::read_to_string(root().join("scenarios/textbook-rubinstein.toml")).unwrap();
    let text = text.replace("reservation = 0.0", "reservation = 0.9");
    assert!(text.contains("reservation = 0.9"), "fixture edit did not apply");
    std::fs::write(&path, text).unwrap();
    accord()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: scenario: no zone of agreement"));
}

#[test]
fn missing_scenario_file_is_bad_input() {
    accord().args(["run", "scenarios/no-such-file.toml"]).assert().code(2).stderr(
        predicate::str::contains("cannot read the scenario file scenarios/no-such-file.toml"),
    );
}

#[test]
fn invalid_scenario_is_not_run() {
    let out = tempfile::tempdir().unwrap();
    accord()
        .args(["run", "tests/data/invalid.toml", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tests/data/invalid.toml:4:14: error"));
    assert!(!out.path().join("invalid").exists(), "nothing is written for an invalid scenario");
}

/// A folder the system will not create (even for root: /proc takes no new folders) is a
/// failure while working, exit code 1.
#[cfg(target_os = "linux")]
#[test]
fn unwritable_output_folder_is_a_runtime_failure() {
    accord()
        .args(["run", "scenarios/textbook-rubinstein.toml", "--out", "/proc/accord-out"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create the output folder /proc/accord-out"));
}

/// A file where the output folder or one of its parents should be is the user's to move:
/// bad usage, exit code 2, for every command that writes a folder.
#[test]
fn a_file_given_as_the_output_folder_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let scenario = "scenarios/textbook-rubinstein.toml";
    for out in [blocker.clone(), blocker.join("sub")] {
        for args in [
            vec!["run", scenario],
            vec!["report", scenario],
            vec!["sweep", scenario, "--vary", "parties.alice.reservation=0.1", "--quiet"],
        ] {
            accord()
                .args(&args)
                .arg("--out")
                .arg(&out)
                .assert()
                .code(2)
                .stderr(predicate::str::contains("this is a file, so the output folder"))
                .stderr(predicate::str::contains("choose another --out"));
        }
    }
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "not a folder");
}

/// A closed stderr (`accord ... 2>&1 | head -1` once head has exited) loses the messages, not
/// the exit code: bad input still exits 2 and a success 0, never a panic's 101.
#[test]
fn a_closed_stderr_does_not_change_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[scenario]\nname = \"x\"\nbogus = 1\n").unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader); // every write to stderr now fails with EPIPE
        std::process::Command::new(assert_cmd::cargo::cargo_bin!("accord"))
            .current_dir(root())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(writer)
            .status()
            .unwrap()
            .code()
    };
    let out = dir.path().join("out");
    let sweep = [
        "sweep".as_ref(),
        broken.as_os_str(),
        "--vary".as_ref(),
        "parties.a.reservation=0.1".as_ref(),
    ];
    assert_eq!(run(&sweep), Some(2));
    assert_eq!(run(&["validate".as_ref(), broken.as_os_str()]), Some(2));
    let good = ["run".as_ref(), "scenarios/textbook-rubinstein.toml".as_ref(), "--out".as_ref()];
    assert_eq!(run(&[&good[..], &[out.as_os_str()]].concat()), Some(0));
}

#[test]
fn unknown_flags_are_usage_errors() {
    accord().args(["run", "--sed", "3", "x.toml"]).assert().code(2);
    accord().arg("validate").assert().code(2);
}

#[test]
fn help_documents_every_flag() {
    let assert = accord().args(["run", "--help"]).assert().success();
    let help = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for flag in ["--seed", "--out", "--json"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    accord().arg("--help").assert().success().stdout(predicate::str::contains("Exit codes"));
}

#[test]
fn run_writes_the_record_and_the_offers_table() {
    let out = tempfile::tempdir().unwrap();
    let (stdout, json, csv) = run_to("scenarios/us-ukraine-minerals-2025.toml", out.path(), &[]);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["schema_version"], 1);
    assert_eq!(record["scenario"]["file"], "us-ukraine-minerals-2025.toml");
    let n_offers = record["offers"].as_array().unwrap().len();
    assert_eq!(csv.lines().count(), n_offers + 1, "one CSV row per offer plus the header");
    assert_eq!(
        csv.lines().next().unwrap(),
        "round,proposer,mineral_share,aid_repayment,security_guarantee,fund_governance,\
         utility_us,utility_ukraine,response,responder"
    );
    assert!(stdout.contains("Outcome:") && stdout.contains("Analysis"));
    assert!(record["analysis"]["observed"]["terms"]["fund_governance"] == "joint");
}

#[test]
fn json_flag_prints_the_same_record_as_the_file() {
    let out = tempfile::tempdir().unwrap();
    let (stdout, json, _) = run_to("scenarios/textbook-rubinstein.toml", out.path(), &["--json"]);
    assert_eq!(stdout, json);
}

#[test]
fn seed_flag_overrides_the_scenario_seed() {
    let out = tempfile::tempdir().unwrap();
    let (_, json, _) = run_to("scenarios/textbook-rubinstein.toml", out.path(), &["--seed", "77"]);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["seed"], 77);
}

#[test]
fn rubinstein_scenario_matches_the_closed_form() {
    let out = tempfile::tempdir().unwrap();
    let (_, json, _) = run_to("scenarios/textbook-rubinstein.toml", out.path(), &[]);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["outcome"]["kind"], "agreement");
    assert_eq!(record["outcome"]["round"], 0);
    let share = record["parties"][0]["utility"].as_f64().unwrap();
    let closed_form = (1.0 - 0.8) / (1.0 - 0.9 * 0.8);
    assert!((share - closed_form).abs() < 1e-9, "{share} vs {closed_form}");
}

#[test]
fn no_partial_files_are_left_behind() {
    let out = tempfile::tempdir().unwrap();
    run_to("scenarios/textbook-rubinstein.toml", out.path(), &[]);
    let mut names: Vec<String> = std::fs::read_dir(out.path().join("textbook-rubinstein"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".accord-set", "offers.csv", "run.json"]);
    assert_eq!(names_in(out.path()), ["textbook-rubinstein"], "no staging folder is left");
}

#[test]
fn readme_and_ci_run_the_same_test_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let block = readme.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    let commands: Vec<&str> = block.lines().collect();
    assert_eq!(commands.len(), 2, "README opens with two commands: {commands:?}");
    assert!(commands[0].contains("scenarios/"), "the first runs a shipped scenario");
    assert!(
        ci.lines().any(|line| line.trim() == commands[1]),
        "`.ci/run` must run README's test command `{}`",
        commands[1]
    );
}

#[test]
fn report_writes_charts_and_a_self_contained_page() {
    let out = tempfile::tempdir().unwrap();
    accord()
        .args(["report", "scenarios/textbook-integrative.toml", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("report: "));
    let dir = out.path().join("textbook-integrative");
    // The scenario's sweep (Farmland's concession exponent) moves the gains, the round and
    // both tariff cuts; the agreement rate stays at 1, so it gets no chart.
    let sweep_charts: Vec<String> =
        ["gain", "round", "terms-car_tariff_cut", "terms-farm_tariff_cut"]
            .iter()
            .flat_map(|m| ["png", "svg"].map(|f| format!("report-sweep1-{m}.{f}")))
            .collect();
    let names = names_in(&dir);
    let (sweeps, names): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| n.starts_with("report-sweep"));
    let mut sorted = sweep_charts.clone();
    sorted.sort();
    assert_eq!(sweeps, sorted);
    assert_eq!(
        names,
        [
            ".accord-set",
            "concessions.png",
            "concessions.svg",
            "offers.csv",
            "offers.png",
            "offers.svg",
            "report.html",
            "report.md",
            "run.json",
            "utility-space.png",
            "utility-space.svg",
        ]
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 3 + 4, "the three charts and four of the sweep");
    for chart in ["offers", "concessions", "utility-space"] {
        let svg = std::fs::read_to_string(dir.join(format!("{chart}.svg"))).unwrap();
        assert!(html.contains(svg.trim_end()), "report.html inlines {chart}.svg as published");
    }
    assert!(!html.contains(".png") && !html.contains("<link"), "nothing is loaded from outside");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("(utility-space.png)"));
    let png = std::fs::read(dir.join("offers.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn three_party_reports_have_no_utility_space_chart() {
    let out = tempfile::tempdir().unwrap();
    accord()
        .args(["report", "scenarios/us-ukraine-eu-lng-2025.toml", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let names = names_in(&out.path().join("us-ukraine-eu-lng-2025"));
    assert!(names.contains(&"offers.svg".to_string()));
    assert!(!names.iter().any(|n| n.starts_with("utility-space")), "{names:?}");
}

#[test]
fn chart_redraws_from_a_run_json_in_the_formats_asked() {
    let out = tempfile::tempdir().unwrap();
    run_to("scenarios/textbook-rubinstein.toml", out.path(), &[]);
    let dir = out.path().join("textbook-rubinstein");
    accord().arg("chart").arg(dir.join("run.json")).args(["--format", "png"]).assert().success();
    assert_eq!(
        names_in(&dir),
        [
            ".accord-set",
            "concessions.png",
            "offers.csv",
            "offers.png",
            "run.json",
            "utility-space.png"
        ]
    );
}

#[test]
fn chart_refuses_what_is_not_a_run_json() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 1}").unwrap();
    accord()
        .arg("chart")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a run.json this accord can read"));
    accord().args(["chart", "missing.json"]).assert().code(2);
    accord().args(["chart", "x.json", "--format", "gif"]).assert().code(2);
}

/// Issue 5: `accord run` computes no frontier (nothing it prints reads it), records what it
/// did not compute as such, and `accord chart` still draws the frontier from the record.
#[test]
fn run_skips_the_frontier_and_chart_still_draws_it() {
    let out = tempfile::tempdir().unwrap();
    let (_, json, _) = run_to("scenarios/textbook-integrative.toml", out.path(), &[]);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["analysis"]["level"], "solutions");
    assert!(record["analysis"]["frontier"].is_null());
    assert_eq!(record["analysis"]["zone_of_agreement"], true);
    let run_json = out.path().join("textbook-integrative/run.json");
    accord().arg("chart").arg(&run_json).args(["--format", "svg"]).assert().success();
    let svg =
        std::fs::read_to_string(out.path().join("textbook-integrative/utility-space.svg")).unwrap();
    assert!(svg.contains("Pareto frontier"), "the chart has no frontier");

    accord()
        .args(["report", "scenarios/textbook-integrative.toml", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let json = std::fs::read_to_string(&run_json).unwrap();
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["analysis"]["level"], "frontier");
    assert!(record["analysis"]["frontier"].as_array().is_some_and(|f| f.len() > 2));
}
