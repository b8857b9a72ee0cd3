//! The scorecard configuration (`scorecard.operatorframework.io/v1alpha3` Configuration, the
//! bundle's `tests/scorecard/config.yaml`) and the label selector that picks its tests.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::CliError;

pub const API_VERSION: &str = "scorecard.operatorframework.io/v1alpha3";
/// The bundle annotation naming the directory of config.yaml, and its default.
pub const CONFIG_DIR_ANNOTATION: &str = "operators.operatorframework.io.test.config.v1";
pub const DEFAULT_CONFIG_DIR: &str = "tests/scorecard/";
pub const CONFIG_FILE: &str = "config.yaml";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub stages: Vec<Stage>,
}

#[derive(Deserialize)]
pub struct Stage {
    #[serde(default)]
    pub tests: Vec<TestConfiguration>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TestConfiguration {
    pub image: String,
    #[serde(default)]
    pub entrypoint: Vec<String>,
    /// Sorted, so the text output is deterministic (operator-sdk prints Go's map order).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

pub fn load(path: &Path) -> Result<Configuration, CliError> {
    let bad = |reason: String| CliError::BadProject {
        path: path.to_owned(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Io {
        path: path.to_owned(),
        source,
    })?;
    let config: Configuration = serde_saphyr::from_str(&text)
        .map_err(|e| bad(format!("not a scorecard Configuration: {e}")))?;
    if config.api_version != API_VERSION || config.kind != "Configuration" {
        return Err(bad(format!(
            "apiVersion/kind {}/{} must be {API_VERSION}/Configuration",
            config.api_version, config.kind
        )));
    }
    Ok(config)
}

/// One requirement of a label selector.
#[derive(Debug, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
}

/// A Kubernetes label selector of equality requirements (`suite=olm,test!=x`, `suite`, `!suite`),
/// the forms operator-sdk's documentation uses with `--selector`.
#[derive(Debug, Default)]
pub struct Selector(Vec<Requirement>);

fn label_key(flag: &str, key: &str) -> Result<String, CliError> {
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if ok {
        Ok(key.to_owned())
    } else {
        Err(CliError::invalid(
            flag,
            key,
            "is not a label key (set-based selectors such as `in (...)` are not supported; use key=value, key!=value, key or !key)",
        ))
    }
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, CliError> {
        let flag = "--selector";
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let requirement = if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(label_key(flag, k.trim())?, v.trim().to_owned())
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Requirement::Equals(label_key(flag, k.trim())?, v.trim().to_owned())
            } else if let Some(k) = part.strip_prefix('!') {
                Requirement::NotExists(label_key(flag, k.trim())?)
            } else {
                Requirement::Exists(label_key(flag, part)?)
            };
            requirements.push(requirement);
        }
        Ok(Selector(requirements))
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selectors_pick_by_label() {
        let olm = labels(&[("suite", "olm"), ("test", "olm-crds-have-resources-test")]);
        let basic = labels(&[("suite", "basic"), ("test", "basic-check-spec-test")]);
        let s = Selector::parse("suite=olm").unwrap();
        assert!(s.matches(&olm) && !s.matches(&basic));
        let s = Selector::parse("suite==olm, test!=olm-crds-have-resources-test").unwrap();
        assert!(!s.matches(&olm) && !s.matches(&basic));
        let s = Selector::parse("!suite").unwrap();
        assert!(!s.matches(&olm));
        let s = Selector::parse("test").unwrap();
        assert!(s.matches(&olm) && s.matches(&basic));
        assert!(Selector::parse("").unwrap().matches(&basic));
        let err = Selector::parse("suite in (olm)").unwrap_err().to_string();
        assert!(
            err.contains("--selector") && err.contains("set-based"),
            "{err}"
        );
    }
}
