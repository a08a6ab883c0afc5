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
