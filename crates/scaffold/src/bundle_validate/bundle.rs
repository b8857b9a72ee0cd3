//! An OLM bundle directory as operator-sdk writes it: `manifests/` (one object per file: the CSV,
//! CRDs and a few supporting kinds), `metadata/annotations.yaml`, optionally `tests/scorecard/`,
//! and `bundle.Dockerfile` at the project root (operator-sdk's place) or in the bundle itself.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::validate::Finding;
use crate::yaml;

pub const MANIFESTS: &str = "manifests";
pub const ANNOTATIONS: &str = "metadata/annotations.yaml";
pub const DOCKERFILE: &str = "bundle.Dockerfile";
pub const CSV_KIND: &str = "ClusterServiceVersion";
pub const CRD_KIND: &str = "CustomResourceDefinition";

/// One object of `manifests/`.
pub struct Manifest {
    /// The path shown to users (the bundle directory as given, joined with the file).
    pub file: String,
    /// The file name inside `manifests/`.
    pub name: String,
    /// The original text, copied verbatim where a package needs the file as is.
    pub text: String,
    pub value: Value,
}

impl Manifest {
    pub fn kind(&self) -> &str {
        yaml::str_at(&self.value, "kind").unwrap_or_default()
    }

    pub fn object_name(&self) -> &str {
        yaml::str_at(&self.value, "metadata.name").unwrap_or_default()
    }
}

/// A text file of the bundle with the path shown to users.
pub struct TextFile {
    pub file: String,
    pub value: Value,
}

/// What could be read of a bundle; what could not is reported as findings by [`load`].
pub struct Bundle {
    pub dir: PathBuf,
    /// The objects of `manifests/`, sorted by file name.
    pub manifests: Vec<Manifest>,
    pub annotations: Option<TextFile>,
    /// `bundle.Dockerfile` (path shown, text), when there is one.
    pub dockerfile: Option<(String, String)>,
}

impl Bundle {
    pub fn csvs(&self) -> impl Iterator<Item = &Manifest> {
        self.manifests.iter().filter(|m| m.kind() == CSV_KIND)
    }

    pub fn crds(&self) -> impl Iterator<Item = &Manifest> {
        self.manifests.iter().filter(|m| m.kind() == CRD_KIND)
    }

    /// The value of an annotation of `metadata/annotations.yaml`.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .as_ref()?
            .value
            .get("annotations")?
            .get(key)?
            .as_str()
    }
}

/// The path users see for `rel` inside `dir`.
pub fn shown(dir: &Path, rel: &str) -> String {
    dir.join(rel).display().to_string()
}

/// Where `bundle.Dockerfile` is looked for: beside the bundle directory first (operator-sdk writes
/// it at the project root, next to `bundle/`), then inside it.
fn dockerfile_candidates(dir: &Path) -> [PathBuf; 2] {
    let parent = match dir.file_name() {
        Some(_) => dir.parent().map(Path::to_owned).unwrap_or_default(),
        // `.` or `..`: its parent is only reachable through `..`.
        None => dir.join(".."),
    };
    [parent.join(DOCKERFILE), dir.join(DOCKERFILE)]
}

/// Reads the bundle in `dir`; files that cannot be read or parsed become error findings and are
/// left out, so the checks still run on the rest and report everything in one go.
pub fn load(dir: &Path) -> (Bundle, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut bundle = Bundle {
        dir: dir.to_owned(),
        manifests: Vec::new(),
        annotations: None,
        dockerfile: None,
    };
    if !dir.is_dir() {
        findings.push(Finding::error(
            dir.display().to_string(),
            "",
            "is not a directory (a bundle directory holds manifests/ and metadata/)",
        ));
        return (bundle, findings);
    }
    let manifests_dir = dir.join(MANIFESTS);
    match sorted_files(&manifests_dir) {
        Err(_) => findings.push(Finding::error(
            shown(dir, MANIFESTS),
            "",
            "missing: a bundle holds its CSV and CRDs in manifests/",
        )),
        Ok(names) => {
            for name in names {
                let file = shown(dir, &format!("{MANIFESTS}/{name}"));
                match read_object(&manifests_dir.join(&name)) {
                    Ok((text, value)) => bundle.manifests.push(Manifest {
                        file,
                        name,
                        text,
                        value,
                    }),
                    Err(message) => findings.push(Finding::error(file, "", message)),
                }
            }
        }
    }
    let annotations = shown(dir, ANNOTATIONS);
    match std::fs::read_to_string(dir.join(ANNOTATIONS)) {
        Err(_) => findings.push(Finding::error(
            annotations,
            "",
            "missing: a bundle describes its package and channels in metadata/annotations.yaml",
        )),
        Ok(text) => match yaml::documents(&text) {
            Ok(mut docs) if docs.len() == 1 => {
                bundle.annotations = Some(TextFile {
                    file: annotations,
                    value: docs.remove(0),
                })
            }
            Ok(docs) => findings.push(Finding::error(
                annotations,
                "",
                format!("holds {} YAML documents; it must hold one", docs.len()),
            )),
            Err(e) => findings.push(Finding::error(
                annotations,
                "",
                format!("is not valid YAML: {e}"),
            )),
        },
    }
    for path in dockerfile_candidates(dir) {
        if let Ok(text) = std::fs::read_to_string(&path) {
            bundle.dockerfile = Some((path.display().to_string(), text));
            break;
        }
    }
    // The scorecard config is not checked by OLM, but a file there that does not parse would
    // only fail later, at `operator-sdk scorecard`.
    for rel in crate::plan::files_under(dir, "tests") {
        if rel.ends_with(".yaml") || rel.ends_with(".yml") {
            let file = shown(dir, &rel);
            match std::fs::read_to_string(dir.join(&rel)) {
                Ok(text) => {
                    if let Err(e) = yaml::documents(&text) {
                        findings.push(Finding::error(file, "", format!("is not valid YAML: {e}")));
                    }
                }
                Err(e) => findings.push(Finding::error(file, "", e.to_string())),
            }
        }
    }
    (bundle, findings)
}

/// A manifest: one YAML document with `apiVersion` and `kind`.
fn read_object(path: &Path) -> Result<(String, Value), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut docs = yaml::documents(&text).map_err(|e| format!("is not valid YAML: {e}"))?;
    if docs.len() != 1 {
        return Err(format!(
            "holds {} YAML documents; a bundle file holds exactly one object",
            docs.len()
        ));
    }
    let value = docs.remove(0);
    for key in ["apiVersion", "kind"] {
        if value
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!(
                "{key}: missing; every bundle manifest is a Kubernetes object with apiVersion and kind"
            ));
        }
    }
    Ok((text, value))
}

/// The names of the regular files directly in `dir`, sorted; an error when `dir` is not there.
fn sorted_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}
