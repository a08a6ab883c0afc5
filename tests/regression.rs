//! Regression tests, named after the issue that found them.

use crate::util::accord;

/// Issue 2: a field present with the wrong type is reported once, not also as missing.
#[test]
fn issue_2_mistyped_field_is_not_also_reported_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.toml");
    std::fs::write(
        &path,
        "[scenario]\nname = \"x\"\nmax_rounds = \"ten\"\n\n[[issues]]\nid = \"a\"\nrange = [0, 1]\n",
    )
    .unwrap();
    let assert = accord().arg("validate").arg(&path).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("scenario.max_rounds: expected a whole number, found the string \"ten\"")
    );
    assert!(!stderr.contains("max_rounds: missing"), "{stderr}");
}
