//! `accord sweep` and `accord merge`: determinism across threads, shards and interruptions,
//! refusals before anything runs, and a folder never silently overwritten (issue 6).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{accord, root};

const SCENARIO: &str = "scenarios/textbook-rubinstein.toml";

/// Axes with randomness (breakdown risk) so that replicates differ.
const AXES: [&str; 4] =
    ["--vary", "parties.alice.reservation=0..0.4:3", "--vary", "scenario.breakdown_risk=0,0.05"];

fn sweep(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    accord()
        .args(["sweep", SCENARIO])
        .args(AXES)
        .args(["--replicates", "4", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn stem() -> &'static str {
    "textbook-rubinstein"
}

#[test]
fn sweep_is_byte_identical_on_one_and_two_threads_and_on_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    sweep(&a, &["--threads", "1"]).success();
    sweep(&b, &["--threads", "2"]).success();
    let (da, db) = (a.join(stem()), b.join(stem()));
    let csv = read(&da, "sweep.csv");
    assert_eq!(csv, read(&db, "sweep.csv"));
    assert_eq!(read(&da, "summary.csv"), read(&db, "summary.csv"));
    // 3 x 2 points x 4 replicates, plus the header.
    assert_eq!(csv.lines().count(), 1 + 24);
    assert!(csv.starts_with(
        "run,point,replicate,seed,parties.alice.reservation,scenario.breakdown_risk,end,"
    ));
    // Replicate r has the same seed at every point.
    let seeds: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].to_string(), f[3].to_string())
        })
        .collect();
    for (r, s) in &seeds {
        assert!(seeds.iter().filter(|(r2, _)| r2 == r).all(|(_, s2)| s2 == s));
    }
    // Rerun with --force: the same bytes.
    sweep(&a, &["--threads", "2", "--force"]).success();
    assert_eq!(read(&da, "sweep.csv"), csv);
    let sidecar = read(&da, "sweep.json");
    assert!(sidecar.contains("\"status\": \"complete\""), "{sidecar}");
    assert!(sidecar.contains("\"sha256\""));
}

#[test]
fn shards_merged_equal_the_unsharded_sweep_and_gaps_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    sweep(&whole, &[]).success();
    let shards = tmp.path().join("shards");
    for k in 1..=3 {
        sweep(&shards, &["--shard", &format!("{k}/3")]).success();
    }
    let shard_dirs: Vec<PathBuf> =
        (1..=3).map(|k| shards.join(format!("{}.shard-{k}-of-3", stem()))).collect();
    // Missing shard 2: the runs it holds are named.
    let merged = tmp.path().join("merged");
    let assert = accord()
        .arg("merge")
        .args([&shard_dirs[0], &shard_dirs[2]])
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("8 of 24 runs are missing: run indices 8-15"), "{err}");
    // Given twice.
    accord()
        .arg("merge")
        .args([&shard_dirs[0], &shard_dirs[0], &shard_dirs[1], &shard_dirs[2]])
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(2);
    // All three, in any order.
    accord()
        .arg("merge")
        .args([&shard_dirs[2], &shard_dirs[0], &shard_dirs[1]])
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    let (w, m) = (whole.join(stem()), merged.join(stem()));
    assert_eq!(read(&w, "sweep.csv"), read(&m, "sweep.csv"));
    assert_eq!(read(&w, "summary.csv"), read(&m, "summary.csv"));
    // Both sidecars record the sha256 of sweep.csv, the same one.
    let rows_sha256 = |dir: &Path| {
        let json: serde_json::Value = serde_json::from_str(&read(dir, "sweep.json")).unwrap();
        json["rows_sha256"].as_str().expect("recorded").to_string()
    };
    let digest = {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(read(&w, "sweep.csv").as_bytes());
        hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_eq!(rows_sha256(&w), digest);
    assert_eq!(rows_sha256(&m), digest);
    // A row edited in place (its run index kept) is caught by the shard's recorded hash.
    let edited = shard_dirs[1].join("sweep.csv");
    let text = read(&shard_dirs[1], "sweep.csv");
    let at = text.match_indices('\n').nth(2).unwrap().0 - 1;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&edited, bytes).unwrap();
    let assert = accord()
        .arg("merge")
        .args(&shard_dirs)
        .arg("--out")
        .arg(tmp.path().join("merged-again"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("sha256 differs"), "{err}");
}

#[test]
fn shards_of_different_sweeps_are_not_merged() {
    let tmp = tempfile::tempdir().unwrap();
    sweep(&tmp.path().join("x"), &["--shard", "1/2"]).success();
    sweep(&tmp.path().join("y"), &["--shard", "2/2", "--seed", "9"]).success();
    let assert = accord()
        .arg("merge")
        .arg(tmp.path().join("x").join(format!("{}.shard-1-of-2", stem())))
        .arg(tmp.path().join("y").join(format!("{}.shard-2-of-2", stem())))
        .arg("--out")
        .arg(tmp.path().join("m"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("they differ in the base seed"), "{err}");
}

#[test]
fn a_complete_sweep_is_never_silently_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    sweep(out, &[]).success();
    let before = read(&out.join(stem()), "sweep.csv");
    let assert = sweep(out, &[]).code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("already holds this sweep") && err.contains("--force"), "{err}");
    // Other settings: refused too, even with --resume.
    let assert = sweep(out, &["--seed", "5", "--resume"]).code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("different settings (they differ in the base seed)"), "{err}");
    // A refused sweep writes nothing: the folder holds what it held.
    assert_eq!(
        crate::util::names_in(&out.join(stem())),
        [".accord-set", "summary.csv", "sweep.csv", "sweep.json"],
        "after two refusals"
    );
    // --resume on the finished sweep: nothing to do.
    let assert = sweep(out, &["--resume"]).success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("already complete"), "{err}");
    assert_eq!(read(&out.join(stem()), "sweep.csv"), before);
    // A run of the same scenario into the same OUT keeps the sweep's files.
    accord().args(["run", SCENARIO, "--out"]).arg(out).assert().success();
    assert_eq!(read(&out.join(stem()), "sweep.csv"), before);
    assert!(out.join(stem()).join("run.json").exists());
    assert!(out.join(stem()).join("summary.csv").exists());
}

#[test]
fn a_partial_last_line_is_dropped_and_resume_finishes_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    sweep(&whole, &[]).success();
    let complete = read(&whole.join(stem()), "sweep.csv");
    // Fake a sweep killed mid-line: the sidecar still running, rows cut inside line 11.
    let cut = tmp.path().join("cut");
    let dir = cut.join(stem());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".accord-set"),
        "sweep.csv\nsweep.csv.partial\nsweep.json\nsummary.csv\n",
    )
    .unwrap();
    let sidecar = read(&whole.join(stem()), "sweep.json")
        .replace("\"status\": \"complete\"", "\"status\": \"running\"");
    std::fs::write(dir.join("sweep.json"), sidecar).unwrap();
    let at = complete.match_indices('\n').nth(10).unwrap().0 + 7;
    std::fs::write(dir.join("sweep.csv.partial"), &complete[..at]).unwrap();
    // Without --resume: refused, and told how to go on.
    let assert = sweep(&cut, &[]).code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("--resume"), "{err}");
    sweep(&cut, &["--resume"]).success();
    assert_eq!(read(&dir, "sweep.csv"), complete);
    assert_eq!(read(&dir, "summary.csv"), read(&whole.join(stem()), "summary.csv"));
    assert!(!dir.join("sweep.csv.partial").exists());
    // The sidecar records the command without --resume: the uninterrupted sweep's, but for
    // the folder given to --out.
    let json_path = |p: &Path| serde_json::to_string(&p.display().to_string()).unwrap();
    assert_eq!(
        read(&dir, "sweep.json").replace(&json_path(&cut), &json_path(&whole)),
        read(&whole.join(stem()), "sweep.json")
    );
}

/// `accord sweep` of a slow scenario (each run plays thousands of rounds) over `n` points,
/// for tests that interrupt it.
fn slow_sweep(out: &Path, n: usize, threads: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("accord"));
    cmd.current_dir(root())
        .args(["sweep", SLOW, "--quiet", "--threads", threads, "--vary"])
        .arg(format!("parties.alice.reservation=0..0.4:{n}"))
        .arg("--out")
        .arg(out)
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

const SLOW: &str = "tests/data/sweep-slow.toml";

/// Waits until the sweep in `dir` has written at least `rows` lines, or finished; true if
/// it is still running.
fn wait_for_rows(dir: &Path, rows: usize) -> bool {
    let began = Instant::now();
    loop {
        if dir.join("sweep.csv").exists() {
            return false;
        }
        let n =
            std::fs::read_to_string(dir.join("sweep.csv.partial")).map_or(0, |t| t.lines().count());
        if n >= rows {
            return true;
        }
        assert!(began.elapsed() < Duration::from_secs(120), "the sweep wrote nothing");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(unix)]
#[test]
fn kill_9_and_ctrl_c_then_resume_give_the_uninterrupted_bytes() {
    // Enough runs that a SIGINT sent after 20 rows arrives long before the last one, even
    // as runs get faster (at 100 a loaded machine sometimes finished first).
    const N: usize = 400;
    let tmp = tempfile::tempdir().unwrap();
    let dir = |name: &str| tmp.path().join(name).join("sweep-slow");

    // kill -9 in the middle.
    let mut child = slow_sweep(&tmp.path().join("killed"), N, "2").spawn().unwrap();
    let killed_mid_way = wait_for_rows(&dir("killed"), 20);
    child.kill().unwrap();
    child.wait().unwrap();

    // Ctrl-C: stops cleanly with exit 130 and says how to resume.
    let child = slow_sweep(&tmp.path().join("stopped"), N, "2").spawn().unwrap();
    let stopped_mid_way = wait_for_rows(&dir("stopped"), 20);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    // The signal may land after the last block on a loaded machine: then the sweep is
    // simply complete. Either way what it says and what it leaves must agree.
    let stopped_mid_way = stopped_mid_way && output.status.code() != Some(0);
    if stopped_mid_way {
        assert_eq!(output.status.code(), Some(130), "{err}");
        assert!(err.contains("interrupted after") && err.contains("--resume"), "{err}");
        assert!(!dir("stopped").join("sweep.csv").exists());
    } else {
        assert!(output.status.success(), "{err}");
        assert!(dir("stopped").join("sweep.csv").exists(), "exit 0 without a complete sweep");
    }
    if !(killed_mid_way && stopped_mid_way) {
        eprintln!("note: a sweep finished before it could be interrupted");
    }

    for name in ["killed", "stopped"] {
        let output = slow_sweep(&tmp.path().join(name), N, "2").arg("--resume").output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    // The reference, uninterrupted, on one thread.
    let status = slow_sweep(&tmp.path().join("whole"), N, "1").status().unwrap();
    assert!(status.success());
    let reference = read(&dir("whole"), "sweep.csv");
    assert_eq!(reference.lines().count(), N + 1);
    assert!(read(&dir("killed"), "sweep.csv") == reference, "kill -9 + resume differs");
    assert!(read(&dir("stopped"), "sweep.csv") == reference, "Ctrl-C + resume differs");
    assert_eq!(read(&dir("killed"), "summary.csv"), read(&dir("whole"), "summary.csv"));
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_stops_the_sweep_with_a_message_and_resume_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("limited");
    let bin = assert_cmd::cargo::cargo_bin!("accord");
    // ulimit -f counts 1024-byte blocks in bash: 16 blocks = 16 kB, about 100 rows.
    let output = std::process::Command::new("bash")
        .current_dir(root())
        .arg("-c")
        .arg(format!(
            "ulimit -f 16 && exec '{}' sweep {SCENARIO} --quiet --vary \
             parties.alice.reservation=0..0.4:600 --out '{}'",
            bin.display(),
            out.display()
        ))
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("larger than this process may write") && err.contains("--resume"),
        "{err}"
    );
    let resume = |out: &Path, extra: &[&str]| {
        accord()
            .args(["sweep", SCENARIO, "--quiet", "--vary", "parties.alice.reservation=0..0.4:600"])
            .arg("--out")
            .arg(out)
            .args(extra)
            .assert()
            .success();
    };
    resume(&out, &["--resume"]);
    let whole = tmp.path().join("whole");
    resume(&whole, &[]);
    assert_eq!(read(&out.join(stem()), "sweep.csv"), read(&whole.join(stem()), "sweep.csv"));
}

#[test]
fn bad_axes_and_oversized_designs_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 12] = [
        (&["--vary", "parties.nobody.reservation=0..1:3"], "unknown party `nobody`"),
        (&["--vary", "parties.alice.reservation=0.3..0.3:3"], "has equal ends"),
        (&["--vary", "parties.alice.reservation=1e-400,0.2"], "too small to tell from 0"),
        (&["--vary", "parties.alice.reservation=1e-400..0.2:3"], "too small to tell from 0"),
        (
            &["--vary", "parties.alice.reservation=0..1:99999999999999999999"],
            "a range needs between 2 and",
        ),
        (
            &["--vary", "parties.alice.reservation=0..1.5:3"],
            "`1.5` is not allowed: expected a utility in [0, 1]",
        ),
        (&["--vary", "parties.alice.reservation=0..1:x"], "is not a whole number of values"),
        (&["--vary", "parties.alice.reservation"], "expected PATH=SPEC"),
        (&["--vary", "scenario.breakdown_risk=0.5..0.1:3"], "runs downwards"),
        (&["--vary", "parties.alice.reservation=0..0.5"], "a grid needs the number of values"),
        (
            &["--vary", "parties.alice.reservation=0..0.5:1000", "--replicates", "20000"],
            "20000000 runs",
        ),
        (
            &["--vary", "parties.alice.reservation=0..0.5:3", "--shard", "4/3"],
            "K must lie in 1..=N",
        ),
    ];
    for (args, expected) in cases {
        let assert = accord()
            .args(["sweep", SCENARIO, "--quiet", "--out"])
            .arg(tmp.path())
            .args(args)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.contains("= help:"), "{args:?}: no fix given: {err}");
    }
    assert!(!tmp.path().join(stem()).exists(), "a refused sweep wrote output");
}

#[test]
fn strategy_match_ups_are_a_categorical_axis_and_bad_combinations_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    accord()
        .args(["sweep", "scenarios/textbook-integrative.toml", "--quiet", "--out"])
        .arg(tmp.path())
        .args(["--vary", "parties.autoland.strategy=boulware,conceder,hardliner"])
        .args(["--vary", "parties.autoland.reservation=0.1,0.3"])
        .assert()
        .success();
    let csv = read(&tmp.path().join("textbook-integrative"), "sweep.csv");
    let kinds: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(4).unwrap()).collect();
    assert_eq!(kinds, ["boulware", "boulware", "conceder", "conceder", "hardliner", "hardliner"]);
    // A conceder's exponent must exceed 1: the combination is refused before any run.
    let assert = accord()
        .args(["sweep", "scenarios/textbook-integrative.toml", "--quiet", "--force", "--out"])
        .arg(tmp.path())
        .args(["--vary", "parties.autoland.strategy=boulware,conceder"])
        .args(["--vary", "parties.autoland.strategy.exponent=0.5"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("design point 1") && err.contains("= help:"), "{err}");
    // Rubinstein players have no exponent: an earlier kind axis that gives one makes the
    // exponent axis valid (the kind is set first, then its exponent).
    accord()
        .args(["sweep", SCENARIO, "--quiet", "--out"])
        .arg(tmp.path())
        .args(["--vary", "parties.alice.strategy=boulware"])
        .args(["--vary", "parties.alice.strategy.exponent=0.3,0.6"])
        .assert()
        .success();
    // Without that axis it is refused, and says why.
    let assert = accord()
        .args(["sweep", SCENARIO, "--quiet", "--force", "--out"])
        .arg(tmp.path())
        .args(["--vary", "parties.alice.strategy.exponent=0.3,0.6"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("rubinstein"), "{err}");
    assert_eq!(read(&tmp.path().join("textbook-integrative"), "sweep.csv"), csv);
}

#[test]
fn random_and_lhs_designs_are_reproducible_and_stay_in_range() {
    let tmp = tempfile::tempdir().unwrap();
    for design in ["random", "lhs"] {
        let run = |out: &Path, threads: &str| {
            accord()
                .args(["sweep", SCENARIO, "--quiet", "--design", design, "--samples", "20"])
                .args(["--vary", "parties.alice.reservation=0.1..0.3", "--threads", threads])
                .arg("--out")
                .arg(out)
                .assert()
                .success();
            read(&out.join(stem()), "sweep.csv")
        };
        let a = run(&tmp.path().join(format!("{design}-1")), "1");
        let b = run(&tmp.path().join(format!("{design}-2")), "2");
        assert_eq!(a, b);
        let values: Vec<f64> =
            a.lines().skip(1).map(|l| l.split(',').nth(4).unwrap().parse().unwrap()).collect();
        assert_eq!(values.len(), 20);
        assert!(values.iter().all(|v| (0.1..=0.3).contains(v)), "{values:?}");
        if design == "lhs" {
            // One value in each of the 20 strata.
            let mut strata: Vec<usize> =
                values.iter().map(|v| (((v - 0.1) / 0.2) * 20.0).floor() as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..20).collect::<Vec<_>>());
        }
    }
}
