//! Everything a command will write, assembled in memory and checked before one byte is written
//! (kubebuilder's `Scaffold.Execute`): files to create, markers to insert at, and the final write,
//! atomic per file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// What to do when a file to create exists (kubebuilder's `IfExistsAction`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IfExists {
    /// Refuse, unless `--force`.
    Error,
    /// Keep the existing file (shared files such as a version's `mod.rs`).
    Skip,
}

#[derive(Debug)]
enum Change {
    Create,
    Overwrite,
    Update,
    Remove,
}

impl Change {
    fn verb(&self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Overwrite => "overwrite",
            Change::Update => "update",
            Change::Remove => "remove",
        }
    }
}

pub struct Plan {
    root: PathBuf,
    force: bool,
    files: BTreeMap<String, (String, Change)>,
    refused: Vec<String>,
}

pub struct Report {
    pub written: Vec<String>,
}

impl Plan {
    pub fn new(root: &Path, force: bool) -> Plan {
        Plan {
            root: root.to_owned(),
            force,
            files: BTreeMap::new(),
            refused: Vec::new(),
        }
    }

    fn on_disk(&self, rel: &str) -> Result<Option<String>, CliError> {
        let path = self.root.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CliError::Io { path, source }),
        }
    }

    /// The file as it will be after this plan: planned contents, else what is on disk.
    fn current(&self, rel: &str) -> Result<Option<String>, CliError> {
        match self.files.get(rel) {
            Some((text, _)) => Ok(Some(text.clone())),
            None => self.on_disk(rel),
        }
    }

    pub fn create(
        &mut self,
        rel: &str,
        contents: String,
        if_exists: IfExists,
    ) -> Result<(), CliError> {
        let exists = self.files.contains_key(rel) || self.root.join(rel).exists();
        let change = match (exists, if_exists) {
            (false, _) => Change::Create,
            (true, IfExists::Skip) => return Ok(()),
            (true, IfExists::Error) if self.force => Change::Overwrite,
            (true, IfExists::Error) => {
                self.refused.push(rel.to_owned());
                return Ok(());
            }
        };
        self.files.insert(rel.to_owned(), (contents, change));
        Ok(())
    }

    /// A generated output file (a bundle's): written when missing, nothing when identical, and
    /// when it would change, overwritten when the plan may (`--force`; the bundle's
    /// `--overwrite`, its default) or refused.
    pub fn generated(&mut self, rel: &str, contents: String) -> Result<(), CliError> {
        match self.on_disk(rel)? {
            None => {
                self.files
                    .insert(rel.to_owned(), (contents, Change::Create));
            }
            Some(old) if old == contents => {}
            Some(_) if self.force => {
                self.files
                    .insert(rel.to_owned(), (contents, Change::Overwrite));
            }
            Some(_) => self.refused.push(rel.to_owned()),
        }
        Ok(())
    }

    /// Removes a stale generated file; refused without `--force`/`--overwrite`.
    pub fn remove_or_refuse(&mut self, rel: &str) {
        if self.force {
            self.files
                .insert(rel.to_owned(), (String::new(), Change::Remove));
        } else {
            self.refused
                .push(format!("{rel} (stale: would be removed)"));
        }
    }

    /// Inserts `fragment` on the lines before `marker` in `rel`, indented like the marker; a
    /// fragment already present is not inserted again.
    pub fn insert(&mut self, rel: &str, marker: &str, fragment: &str) -> Result<(), CliError> {
        let text = self.current(rel)?.ok_or_else(|| CliError::MissingMarker {
            path: rel.to_owned(),
            marker: marker.to_owned(),
        })?;
        let fragment = fragment.trim_end_matches('\n');
        let lines: Vec<&str> = fragment.lines().collect();
        let present = lines
            .iter()
            .all(|l| l.trim().is_empty() || text.lines().any(|t| t.trim() == l.trim()));
        if present {
            return Ok(());
        }
        let mut out = String::with_capacity(text.len() + fragment.len() + 16);
        let mut found = false;
        for line in text.split_inclusive('\n') {
            if !found && line.trim() == marker {
                let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
                for l in &lines {
                    if l.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(&indent);
                        out.push_str(l);
                        out.push('\n');
                    }
                }
                found = true;
            }
            out.push_str(line);
        }
        if !found {
            return Err(CliError::MissingMarker {
                path: rel.to_owned(),
                marker: marker.to_owned(),
            });
        }
        self.update(rel, out);
        Ok(())
    }

    /// Replaces the first line equal to `from` (trimmed) with `to`; nothing if `to` is there already.
    pub fn replace_line(&mut self, rel: &str, from: &str, to: &str) -> Result<(), CliError> {
        let Some(text) = self.current(rel)? else {
            return Ok(());
        };
        if text.lines().any(|l| l.trim() == to.trim()) {
            return Ok(());
        }
        let mut done = false;
        let out: String = text
            .split_inclusive('\n')
            .map(|line| {
                if !done && line.trim() == from.trim() {
                    done = true;
                    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
                    format!("{indent}{}\n", to.trim())
                } else {
                    line.to_owned()
                }
            })
            .collect();
        if done {
            self.update(rel, out);
        }
        Ok(())
    }

    /// Replaces a file the scaffold owns (PROJECT) whatever its state.
    pub fn replace_whole(&mut self, rel: &str, contents: String) -> Result<(), CliError> {
        if self.current(rel)?.as_deref() != Some(contents.as_str()) {
            self.update(rel, contents);
        }
        Ok(())
    }

    /// Rewrites `rel` (as it will be after this plan) with `f`; nothing when it is missing.
    pub fn edit(&mut self, rel: &str, f: impl FnOnce(&str) -> String) -> Result<(), CliError> {
        let Some(text) = self.current(rel)? else {
            return Ok(());
        };
        let out = f(&text);
        if out != text {
            self.update(rel, out);
        }
        Ok(())
    }

    /// The text of `rel` as it will be after this plan (`None`: missing or to be removed).
    pub fn text(&self, rel: &str) -> Result<Option<String>, CliError> {
        match self.files.get(rel) {
            Some((_, Change::Remove)) => Ok(None),
            _ => self.current(rel),
        }
    }

    /// Deletes `rel` (a generated file that nothing generates any more), when it exists.
    pub fn remove(&mut self, rel: &str) {
        if self.root.join(rel).is_file() {
            self.files
                .insert(rel.to_owned(), (String::new(), Change::Remove));
        }
    }

    fn update(&mut self, rel: &str, contents: String) {
        match self.files.get_mut(rel) {
            Some((text, _)) => *text = contents,
            None => {
                let change = if self.root.join(rel).exists() {
                    Change::Update
                } else {
                    Change::Create
                };
                self.files.insert(rel.to_owned(), (contents, change));
            }
        }
    }

    /// Refuses a file outside the plan's root that the command would overwrite (the OSC zip),
    /// so `execute` names it with the plan's own refusals.
    pub fn refuse(&mut self, name: String) {
        self.refused.push(name);
    }

    /// Every file the plan would write, overwrite or remove, as `verb path`, sorted by path.
    pub fn changes(&self) -> Vec<String> {
        let mut changes: Vec<(&str, &str)> = self
            .refused
            .iter()
            .map(|rel| (rel.as_str(), "overwrite"))
            .chain(
                self.files
                    .iter()
                    .map(|(rel, (_, change))| (rel.as_str(), change.verb())),
            )
            .collect();
        changes.sort();
        changes
            .into_iter()
            .map(|(rel, verb)| format!("{verb} {rel}"))
            .collect()
    }

    /// `--check`: writes nothing, and fails naming every file the plan would write, overwrite or
    /// remove, so CI catches output that was not regenerated.
    pub fn check(self) -> Result<(), CliError> {
        let changes = self.changes();
        if changes.is_empty() {
            Ok(())
        } else {
            Err(CliError::OutOfDate(changes))
        }
    }

    /// Writes everything, or nothing when a file would be overwritten without `--force`.
    pub fn execute(self, dry_run: bool) -> Result<Report, CliError> {
        if !self.refused.is_empty() {
            return Err(CliError::WouldOverwrite(self.refused));
        }
        let mut written = Vec::new();
        for (rel, (contents, change)) in &self.files {
            written.push(format!("{} {rel}", change.verb()));
            if dry_run {
                continue;
            }
            if let Change::Remove = change {
                let path = self.root.join(rel);
                std::fs::remove_file(&path).map_err(|source| CliError::Io { path, source })?;
            } else {
                write_atomic(&self.root.join(rel), contents.as_bytes())?;
            }
        }
        Ok(Report { written })
    }
}

/// Every regular file under `dir/sub`, as `/`-separated paths relative to `dir`, sorted; none
/// when `dir/sub` is missing.
pub fn files_under(dir: &Path, sub: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![sub.to_owned()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let child = format!("{rel}/{}", entry.file_name().to_string_lossy());
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(child),
                Ok(t) if t.is_file() => out.push(child),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let io = |source| CliError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.scaffold-tmp"));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        // Rename makes the write atomic for readers and against a crash of this process; an
        // fsync per file would cost more than the whole scaffold and buys only power-loss safety.
        file.write_all(contents)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
