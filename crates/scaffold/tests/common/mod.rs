//! Helpers the scaffold integration tests share (each test file is its own crate, so not every
//! helper is used by every file).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `scaffold create webhook` for the Memcached kind the tests' projects have; the webhook
/// types follow.
pub const WEBHOOK: &[&str] = &[
    "create",
    "webhook",
    "--group",
    "cache",
    "--version",
    "v1alpha1",
    "--kind",
    "Memcached",
];

/// Every file under `dir`, by `/`-separated relative path, with its text.
pub fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

/// Every file under `dir` with its bytes, plus every directory (`None`), by absolute path: to
/// check that a command left a tree byte-identical.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.insert(p.clone(), None);
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).ok());
            }
        }
    }
    out
}

/// Runs the scaffold binary in `dir`.
pub fn scaffold(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Runs the scaffold binary in `dir`; fails the test, with its stderr, when it fails; its stdout.
pub fn scaffold_ok(dir: &Path, args: &[&str]) -> String {
    let out = scaffold(dir, args);
    assert!(
        out.status.success(),
        "scaffold {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies the tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The root of this repository.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `program` in `dir` with the target dir generated projects and examples share
/// (target/generated-projects/target), so their dependencies build once; returns its stdout
/// and fails the test, with both outputs, when it fails.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let target = repo_root().join("target/generated-projects/target");
    let out = Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("{program} {args:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "`{program} {}` failed in {}:\n{stdout}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `scaffold <args> -o <dir>`, to assert on.
pub fn scaffold_at(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("scaffold")
        .expect("binary built")
        .args(args)
        .arg("-o")
        .arg(dir)
        .assert()
}

/// Fails naming the files that differ between the trees, rather than printing both.
pub fn assert_same_files(actual: &Path, expected: &Path) {
    let (a, e) = (files(actual), files(expected));
    let differing: Vec<&String> = a
        .keys()
        .chain(e.keys())
        .filter(|k| a.get(*k) != e.get(*k))
        .collect();
    assert!(differing.is_empty(), "files differ: {differing:?}");
}
