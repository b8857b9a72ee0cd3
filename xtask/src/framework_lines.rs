//! `cargo xtask bench framework-lines`: how much framework code a fresh project carries.
//!
//! Scaffolds `init` + `create api` (one kind) and counts the lines of Rust the user is not
//! meant to edit: every `.rs` file except the API types (`*_types.rs`), the controllers
//! (`*_controller.rs`) and webhooks, whose own test harness (the lines of `mod tests` before
//! its first test) counts too. `--scaffold` counts another build's output (an older checkout's
//! binary), for before/after figures.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

pub(crate) fn run(scaffold: Option<PathBuf>) -> anyhow::Result<()> {
    let root = crate::repo_root();
    let bin = match scaffold {
        Some(bin) => bin,
        None => {
            let status = Command::new(env!("CARGO"))
                .current_dir(&root)
                .args(["build", "--quiet", "-p", "scaffold"])
                .status()?;
            if !status.success() {
                bail!("building scaffold failed");
            }
            root.join("target/debug/scaffold")
        }
    };
    let dir = root.join("target/bench-framework-lines/project");
    let _ = std::fs::remove_dir_all(&dir);
    let init = ["init", "--domain", "example.com", "--project-name", "demo"];
    let api = [
        "create",
        "api",
        "--group",
        "cache",
        "--version",
        "v1alpha1",
        "--kind",
        "Memcached",
    ];
    for args in [&init[..], &api[..]] {
        let out = Command::new(&bin).args(args).arg("-o").arg(&dir).output()?;
        if !out.status.success() {
            bail!(
                "scaffold {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let mut files = Vec::new();
    collect_rs(&dir, &mut files)?;
    files.sort();
    let (mut lines, mut code) = (0, 0);
    println!(
        "framework lines of a fresh init + create api project ({}):",
        bin.display()
    );
    for path in &files {
        let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
        let counted = framework_part(path, &text);
        if counted.is_empty() {
            continue;
        }
        let (l, c) = count(&counted);
        lines += l;
        code += c;
        let rel = path.strip_prefix(&dir).unwrap_or(path).display();
        println!("  {l:5} lines ({c:4} code)  {rel}");
    }
    println!("  {lines:5} lines ({code:4} code)  in all");
    Ok(())
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The lines of `text` that are framework: all of a glue file, the test harness of a user file.
fn framework_part<'a>(path: &Path, text: &'a str) -> Vec<&'a str> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let in_webhook = path.components().any(|c| c.as_os_str() == "webhook");
    let user = name.ends_with("_types.rs") || name.ends_with("_controller.rs") || in_webhook;
    if !user {
        return text.lines().collect();
    }
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim() == "mod tests {") else {
        return Vec::new();
    };
    let first_test = lines[start..]
        .iter()
        .position(|l| matches!(l.trim(), "#[test]" | "#[tokio::test]"))
        .map_or(lines.len(), |i| start + i);
    lines[start..first_test].to_vec()
}

/// (lines, code lines: neither blank nor only a comment).
fn count(lines: &[&str]) -> (usize, usize) {
    let code = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count();
    (lines.len(), code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_glue_files_whole_and_the_harness_of_user_files() {
        let glue = framework_part(Path::new("src/main.rs"), "fn main() {}\n\n// why\n");
        assert_eq!(count(&glue), (3, 1));
        let controller = "fn reconcile() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    fn harness() {}\n\n    #[test]\n    fn t() {}\n}\n";
        let harness = framework_part(Path::new("src/controller/a_controller.rs"), controller);
        assert_eq!(
            harness,
            [
                "mod tests {",
                "    use super::*;",
                "",
                "    fn harness() {}",
                ""
            ]
        );
        let types = framework_part(Path::new("api/src/v1/a_types.rs"), "pub struct A;\n");
        assert!(types.is_empty());
    }
}
