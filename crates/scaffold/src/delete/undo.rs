//! The inverse of each [`Plan`] operation `create` uses, checked against what the templates
//! render now: a removal plan that records every user edit it meets instead of failing at the
//! first, so the refusal names them all.

use std::path::Path;

use serde_json::Value;

use crate::commands::print_report;
use crate::error::CliError;
use crate::plan::Plan;
use crate::render::Renderer;

pub struct Undo {
    pub plan: Plan,
    renderer: Renderer,
    force: bool,
    /// `path: why`, for every file that is not what scaffold wrote.
    edited: Vec<String>,
}

impl Undo {
    pub fn new(root: &Path, force: bool) -> Undo {
        Undo {
            plan: Plan::new(root, force),
            renderer: Renderer::new(),
            force,
            edited: Vec::new(),
        }
    }

    /// Records that `rel` is not what scaffold wrote: refused unless `--force`.
    pub fn edited(&mut self, rel: &str, why: impl std::fmt::Display) {
        self.edited.push(format!("{rel} ({why})"));
    }

    /// Removes the file `template` renders to, when it is what the template renders now.
    pub fn remove_rendered(&mut self, template: &str, ctx: &Value) -> anyhow::Result<()> {
        let file = self.renderer.render(template, ctx)?;
        self.remove_if_unchanged(&file.path, &file.contents)?;
        Ok(())
    }

    /// Removes `rel` when its text (after the removals planned so far) is `expected`; a missing
    /// file is nothing to remove.
    pub fn remove_if_unchanged(&mut self, rel: &str, expected: &str) -> Result<(), CliError> {
        match self.plan.text(rel)? {
            None => {}
            Some(text) if text == expected => self.plan.remove(rel),
            Some(_) => {
                self.edited(rel, "differs from what scaffold wrote");
                if self.force {
                    self.plan.remove(rel);
                }
            }
        }
        Ok(())
    }

    /// Removes a generated output (a CRD, the webhook manifests) whatever its text: nothing
    /// regenerates it once its source is gone.
    pub fn remove_generated(&mut self, rel: &str) {
        self.plan.remove(rel);
    }

    /// Takes out the lines `create` inserted before `marker` in `rel` for the fragment `name`.
    pub fn remove_fragment(
        &mut self,
        rel: &str,
        marker: &str,
        name: &str,
        ctx: &Value,
    ) -> anyhow::Result<()> {
        let fragment = self.renderer.fragment(name, ctx)?;
        let first = fragment
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        match self.plan.text(rel)? {
            None => self.edited(
                rel,
                format!("missing; scaffold inserted `{}` there", first.trim()),
            ),
            Some(text) => match without_fragment(&text, marker, &fragment) {
                Some(out) => self.plan.replace_whole(rel, out)?,
                None => self.edited(
                    rel,
                    format!(
                        "the lines scaffold inserted before `{marker}`, from `{}`, are not there",
                        first.trim()
                    ),
                ),
            },
        }
        Ok(())
    }

    /// Puts back the line `original` that `create` replaced with `current`.
    pub fn revert_line(&mut self, rel: &str, current: &str, original: &str) -> anyhow::Result<()> {
        let Some(text) = self.plan.text(rel)? else {
            self.edited(rel, format!("missing; it held `{current}`"));
            return Ok(());
        };
        let has = |line: &str| text.lines().any(|l| l.trim() == line.trim());
        if has(current) {
            self.plan.replace_line(rel, current, original)?;
        } else if !has(original) {
            self.edited(rel, format!("has neither `{current}` nor `{original}`"));
        }
        Ok(())
    }

    /// Comments out again the block `create` uncommented; `start` is its first line as the
    /// template writes it (commented).
    pub fn comment_block(&mut self, rel: &str, start: &str) -> anyhow::Result<()> {
        let Some(text) = self.plan.text(rel)? else {
            self.edited(rel, format!("missing; it held `{start}`"));
            return Ok(());
        };
        match commented_block(&text, start) {
            Some(out) => self.plan.replace_whole(rel, out)?,
            None if text.lines().any(|l| l.trim() == start.trim()) => {}
            None => self.edited(rel, format!("the block `{start}` is not there")),
        }
        Ok(())
    }

    pub fn templates(&self, group: &str) -> Vec<String> {
        self.renderer.templates(group)
    }

    /// Refuses when a file was edited (unless `--force`), else removes and rewrites everything,
    /// then the directories the removals left empty.
    /// `what` says what the command does, after "will not" (`delete cache/v1 Memcached`).
    pub fn execute(self, root: &Path, what: &str, dry_run: bool, next: &str) -> anyhow::Result<()> {
        if !self.edited.is_empty() {
            if !self.force {
                return Err(CliError::Conflict(format!(
                    "these files are not what scaffold wrote, so scaffold will not {what}: {}; nothing was changed; use --force to go on anyway (the edited files are removed too, and inserted lines that are gone are skipped)",
                    self.edited.join(", ")
                ))
                .into());
            }
            eprintln!(
                "scaffold: --force: going on to {what}, although these files were edited: {}",
                self.edited.join(", ")
            );
        }
        let report = self.plan.execute(dry_run)?;
        if !dry_run {
            for line in &report.written {
                if let Some(rel) = line.strip_prefix("remove ") {
                    prune_empty_dirs(root, rel);
                }
            }
        }
        print_report(&report, root, dry_run, next);
        Ok(())
    }
}

/// Removes the directories above `rel` that are empty now, up to `root`.
fn prune_empty_dirs(root: &Path, rel: &str) {
    let mut dir = Path::new(rel).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        // Fails, and stops, at the first directory that is not empty.
        if std::fs::remove_dir(root.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// `text` without the lines [`Plan::insert`] put before `marker` for `fragment` (indented like
/// the marker); the occurrence nearest the marker goes. `None` when they are not there.
pub fn without_fragment(text: &str, marker: &str, fragment: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = lines.iter().position(|l| l.trim() == marker)?;
    let indent: String = lines[at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let wanted: Vec<String> = fragment
        .trim_end_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("{indent}{l}\n")
            }
        })
        .collect();
    let start = (0..=at.checked_sub(wanted.len())?).rev().find(|&s| {
        lines[s..s + wanted.len()]
            .iter()
            .zip(&wanted)
            .all(|(a, b)| a == b)
    })?;
    Some(lines[..start].concat() + &lines[start + wanted.len()..].concat())
}

/// The inverse of the uncommenting `create webhook` does: from the line that was `start`
/// (commented) up to the next blank line, every line gets its `#` back; scaffold markers stayed
/// comments and are left. `None` when the uncommented block is not there.
pub fn commented_block(text: &str, start: &str) -> Option<String> {
    let uncommented = start.strip_prefix('#')?.trim();
    let mut out = String::with_capacity(text.len() + 64);
    let (mut inside, mut found) = (false, false);
    for line in text.split_inclusive('\n') {
        if !found && line.trim() == uncommented {
            inside = true;
            found = true;
        } else if inside && line.trim().is_empty() {
            inside = false;
        }
        if inside && !line.starts_with("# +kubeforge:") {
            out.push('#');
        }
        out.push_str(line);
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_comes_out_as_it_went_in() {
        let text = "fn f() {\n    a();\n    b();\n    // +marker\n}\n";
        assert_eq!(
            without_fragment(text, "// +marker", "a();\n").as_deref(),
            Some("fn f() {\n    b();\n    // +marker\n}\n")
        );
        // Indented like the marker, so an unindented copy is not the inserted one.
        assert_eq!(
            without_fragment("a();\n    // +marker\n", "// +marker", "a();"),
            None
        );
        assert_eq!(without_fragment(text, "// +other", "a();"), None);
        assert_eq!(without_fragment(text, "// +marker", "c();"), None);
    }

    #[test]
    fn blank_lines_of_a_fragment_are_matched_too() {
        let text = "x\n\n/// doc\nfn t() {}\n// +m\n";
        assert_eq!(
            without_fragment(text, "// +m", "\n/// doc\nfn t() {}\n").as_deref(),
            Some("x\n// +m\n")
        );
    }

    #[test]
    fn commenting_undoes_uncommenting() {
        let original = "#- path: p.yaml\n#  target:\n# +kubeforge:scaffold:x\n\n#- other\n";
        let uncommented = "- path: p.yaml\n  target:\n# +kubeforge:scaffold:x\n\n#- other\n";
        assert_eq!(
            commented_block(uncommented, "#- path: p.yaml").as_deref(),
            Some(original)
        );
        assert_eq!(commented_block(original, "#- path: p.yaml"), None);
    }
}
