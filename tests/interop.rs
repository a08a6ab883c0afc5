//! Shell completions, man pages, `accord new`, and importing/exporting other tools' formats.

use crate::util::accord;

fn stdout_of(args: &[&str]) -> String {
    let out = accord().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("UTF-8 stdout")
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for command in ["run", "validate", "chart", "report", "completions", "man"] {
            assert!(script.contains(command), "{shell} completions lack `{command}`");
        }
    }
    assert!(stdout_of(&["completions", "bash"]).contains("complete -F _accord"));
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    accord().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_prints_a_roff_page_and_writes_one_page_per_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH accord 1"), "{page}");
    assert!(page.contains("accord\\-validate"), "the page lists the commands: {page}");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("man1");
    accord().args(["man", "--out"]).arg(&out).assert().success();
    for name in ["accord.1", "accord-run.1", "accord-validate.1", "accord-man.1"] {
        let text = std::fs::read_to_string(out.join(name)).expect("page written");
        assert!(text.starts_with(".ie"), "{name} is roff");
    }
}

#[test]
fn new_writes_a_template_that_validates_cleanly_and_runs_for_several_sizes() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, m) in [(2, 1), (2, 2), (3, 3), (4, 5), (6, 8)] {
        let name = dir.path().join(format!("talks-{n}-{m}"));
        let file = dir.path().join(format!("talks-{n}-{m}.toml"));
        accord()
            .args(["new", "--parties", &n.to_string(), "--issues", &m.to_string()])
            .arg(&name)
            .assert()
            .success();
        let text = std::fs::read_to_string(&file).expect("NAME.toml written");
        assert!(text.contains("docs/GUIDE.md"));
        assert_eq!(text.matches("[[parties]]").count(), n);
        assert_eq!(text.lines().filter(|l| l.starts_with("[[issues]]")).count(), m);
        // Valid with no warning at all (not even "no zone of agreement").
        let out = accord().arg("validate").arg(&file).assert().success().get_output().clone();
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("ok: {}\n", file.display()));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
        accord().arg("run").arg(&file).arg("--out").arg(dir.path().join("out")).assert().success();
    }
}

#[test]
fn new_refuses_to_overwrite_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, "keep me").expect("written");
    accord()
        .arg("new")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).expect("still there"), "keep me");
}

#[test]
fn new_refuses_sizes_out_of_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [["--parties", "1"], ["--parties", "13"], ["--issues", "0"], ["--issues", "21"]] {
        accord().arg("new").arg(dir.path().join("x")).args(args).assert().code(2);
    }
    assert!(std::fs::read_dir(dir.path()).expect("readable").next().is_none(), "nothing written");
}

const GENIUS: [&str; 3] = [
    "tests/data/genius/laptop-domain.xml",
    "tests/data/genius/buyer.xml",
    "tests/data/genius/seller.xml",
];

/// Imports the test GENIUS domain (or `files`) to DIR/NAME, returning the path.
fn import_genius(dir: &std::path::Path, name: &str, files: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    accord().args(["import", "genius"]).args(files).arg("-o").arg(&out).assert().success();
    out
}

#[test]
fn import_genius_writes_a_commented_scenario_that_validates_and_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = import_genius(dir.path(), "laptop.toml", &GENIUS);
    let text = std::fs::read_to_string(&out).expect("written");
    for said in [
        "# Imported from GENIUS",
        "laptop-domain.xml",
        "weights summed to",
        "GENIUS's default, 0",
        "at the deadline (time-based)",
    ] {
        assert!(text.contains(said), "missing `{said}` in\n{text}");
    }
    let ok = accord().arg("validate").arg(&out).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&ok).starts_with("ok: "));
    accord().arg("run").arg(&out).arg("--out").arg(dir.path().join("o")).assert().success();
}

#[test]
fn import_negmas_writes_a_scenario_that_validates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("laptop.toml");
    accord()
        .args(["import", "negmas", "tests/data/negmas/laptop", "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("# Imported from NegMAS") && text.contains("rescaled"), "{text}");
    accord().arg("validate").arg(&out).assert().success();
}

#[test]
fn import_without_out_prints_the_scenario() {
    let out = stdout_of(&[
        "import",
        "genius",
        GENIUS[0],
        GENIUS[1],
        GENIUS[2],
        "--discount",
        "round",
        "--rounds",
        "40",
    ]);
    assert!(out.contains("max_rounds = 40") && out.contains("discount = 0.8  #"), "{out}");
}

#[test]
fn malformed_xml_and_unknown_issues_are_located_errors_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.xml");
    let text = std::fs::read_to_string(crate::util::root().join(GENIUS[1])).expect("readable");
    std::fs::write(
        &broken,
        text.replace("<weight index=\"2\" value=\"0.3\" />", "<weight index=\"2\" value=0.3 />"),
    )
    .expect("written");
    let out = dir.path().join("x.toml");
    let assert = accord()
        .args(["import", "genius", GENIUS[0]])
        .arg(&broken)
        .arg(GENIUS[2])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("{}:17:3: malformed XML", broken.display())), "{stderr}");
    assert!(stderr.contains("malformed XML"), "{stderr}");
    assert!(!out.exists(), "nothing written");

    std::fs::write(&broken, text.replace("name=\"Brand\"", "name=\"Colour\"")).expect("written");
    accord()
        .args(["import", "genius", GENIUS[0]])
        .arg(&broken)
        .arg(GENIUS[2])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown issue `Colour`"))
        .stderr(predicates::str::contains("= help: the domain's issues are"));
}

#[test]
fn strategies_come_from_the_kinds_table() {
    let out = stdout_of(&[
        "import",
        "genius",
        GENIUS[0],
        GENIUS[1],
        GENIUS[2],
        "--strategy",
        "tit_for_tat",
    ]);
    assert!(
        out.contains(
            "strategy = { kind = \"tit_for_tat\", factor = 1.0, initial_concession = 0.05 }"
        ),
        "{out}"
    );
    accord()
        .args(["import", "genius", GENIUS[0], GENIUS[1], GENIUS[2], "--strategy", "bolware"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("boulware"));
    // rubinstein is for exactly two parties: the normal validation says so for three.
    accord()
        .args([
            "import",
            "genius",
            GENIUS[0],
            GENIUS[1],
            GENIUS[2],
            GENIUS[1],
            "--strategy",
            "rubinstein",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not pass validation"));
}

/// Issues, parties and preferences of a scenario file, numbers to 1e-12.
fn same_scenario(a: &std::path::Path, b: &std::path::Path) {
    let load =
        |p: &std::path::Path| accord::scenario::load(p).expect("readable").scenario.expect("valid");
    let (a, b) = (load(a), load(b));
    assert_eq!(a.name(), b.name());
    assert_eq!(a.max_rounds(), b.max_rounds());
    assert_eq!(a.issues(), b.issues());
    assert_eq!(a.parties().len(), b.parties().len());
    let close = |x: f64, y: f64| assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    for (p, q) in a.parties().iter().zip(b.parties()) {
        assert_eq!((p.id(), p.name(), p.strategy()), (q.id(), q.name(), q.strategy()));
        close(p.reservation(), q.reservation());
        close(p.discount(), q.discount());
        for (w, v) in p.preferences().weights().iter().zip(q.preferences().weights()) {
            close(*w, *v);
        }
        for (f, g) in p.preferences().values().iter().zip(q.preferences().values()) {
            for x in f.breakpoints().into_iter().chain(g.breakpoints()) {
                close(f.value(x), g.value(x));
            }
        }
    }
}

#[test]
fn import_export_import_gives_the_same_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    for discount in ["time", "round"] {
        let first = dir.path().join(format!("first-{discount}.toml"));
        accord()
            .args(["import", "genius"])
            .args(GENIUS)
            .args(["--discount", discount, "-o"])
            .arg(&first)
            .assert()
            .success();
        let exported = dir.path().join(format!("genius-{discount}"));
        accord()
            .args(["export", "genius"])
            .arg(&first)
            .arg("--out")
            .arg(&exported)
            .args(["--discount", discount])
            .assert()
            .success();
        let files: Vec<String> = ["domain.xml", "buyer.xml", "seller.xml"]
            .iter()
            .map(|f| exported.join(f).display().to_string())
            .collect();
        let second = dir.path().join(format!("second-{discount}.toml"));
        accord()
            .args(["import", "genius"])
            .args(&files)
            .args(["--discount", discount, "-o"])
            .arg(&second)
            .assert()
            .success();
        same_scenario(&first, &second);
    }
}

#[test]
fn export_refuses_what_genius_cannot_express() {
    let dir = tempfile::tempdir().expect("temp dir");
    accord()
        .args(["export", "genius", "scenarios/us-ukraine-minerals-2025.toml", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("GENIUS cannot express events"));
    assert!(!dir.path().join("x").exists(), "nothing written");
}

const STEPPED: &str = r#"
[scenario]
name = "Stepped"
max_rounds = 30

[[issues]]
id = "aid"
range = [0, 500]
step = 10
unit = "$bn"

[[issues]]
id = "share"
range = [0.0, 1.0]
step = 0.25

[[parties]]
id = "a"
reservation = 0.2
strategy = { kind = "boulware" }
weights = { aid = 0.6, share = 0.4 }
ideal = { aid = 500, share = 0 }

[[parties]]
id = "b"
reservation = 0.2
strategy = { kind = "conceder" }
weights = { aid = 0.3, share = 0.7 }
ideal = { share = 1.0 }
value.aid = [[0, 1.0], [250, 0.8], [500, 0.0]]
"#;

#[test]
fn stepped_issues_keep_offers_and_deals_on_their_grid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("stepped.toml");
    std::fs::write(&file, STEPPED).expect("written");
    accord().arg("validate").arg(&file).assert().success();
    accord().arg("run").arg(&file).arg("--out").arg(dir.path()).assert().success();
    let csv = std::fs::read_to_string(dir.path().join("stepped/offers.csv")).expect("offers");
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let aid: f64 = cells[2].parse().expect("aid is a number");
        let share: f64 = cells[3].parse().expect("share is a number");
        assert_eq!(aid % 10.0, 0.0, "{line}");
        assert!((0.0..=500.0).contains(&aid), "{line}");
        assert!([0.0, 0.25, 0.5, 0.75, 1.0].contains(&share), "{line}");
        rows += 1;
    }
    assert!(rows > 2, "{csv}");
    let json = std::fs::read_to_string(dir.path().join("stepped/run.json")).expect("run.json");
    let record: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let deal = &record["outcome"]["terms"];
    let aid: f64 = deal["aid"].as_str().expect("a level").parse().expect("a number");
    assert_eq!(aid % 10.0, 0.0, "{deal}");
}

#[test]
fn a_step_that_does_not_divide_the_range_is_a_located_error_with_a_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, STEPPED.replace("range = [0, 500]", "range = [0, 505]"))
        .expect("written");
    accord()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.toml:9:8: error: issues[0].step: the range [0, 505] is not a whole number of steps of 10 (50.5 steps)"))
        .stderr(predicates::str::contains("make the range end at 500 or 510"));
    std::fs::write(&file, STEPPED.replace("ideal = { aid = 500", "ideal = { aid = 495"))
        .expect("written");
    accord().arg("validate").arg(&file).assert().code(2).stderr(predicates::str::contains(
        "495 is not a value of `aid`, which runs from 0 to 500 in steps of 10",
    ));
}
