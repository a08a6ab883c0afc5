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
