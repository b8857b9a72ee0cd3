//! operator-sdk's built-in scorecard tests (`scorecard-test <name>`), run here on the bundle
//! directory instead of in a pod: the same checks, messages and pass/fail rules.

use std::path::Path;

use serde_json::{Map, Value};

use crate::bundle_validate::bundle::{self, Bundle, Manifest};
use crate::bundle_validate::validate;
use crate::yaml::{at, str_at};

pub const BASIC_CHECK_SPEC: &str = "basic-check-spec";
pub const OLM_BUNDLE_VALIDATION: &str = "olm-bundle-validation";
pub const OLM_CRDS_HAVE_VALIDATION: &str = "olm-crds-have-validation";
pub const OLM_CRDS_HAVE_RESOURCES: &str = "olm-crds-have-resources";
pub const OLM_SPEC_DESCRIPTORS: &str = "olm-spec-descriptors";
pub const OLM_STATUS_DESCRIPTORS: &str = "olm-status-descriptors";

/// The tests `scorecard-test` knows.
pub const BUILT_IN: &[&str] = &[
    BASIC_CHECK_SPEC,
    OLM_BUNDLE_VALIDATION,
    OLM_CRDS_HAVE_VALIDATION,
    OLM_CRDS_HAVE_RESOURCES,
    OLM_SPEC_DESCRIPTORS,
    OLM_STATUS_DESCRIPTORS,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pass,
    Fail,
    Error,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::Error => "error",
        }
    }
}

/// scorecard's `TestResult`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TestResult {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub log: String,
    pub state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

impl TestResult {
    pub fn new(name: &str) -> TestResult {
        TestResult {
            name: name.to_owned(),
            log: String::new(),
            state: State::Pass,
            errors: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    pub fn fail(&mut self, error: impl Into<String>) {
        self.state = State::Fail;
        self.errors.push(error.into());
    }

    fn error(mut self, error: impl Into<String>) -> TestResult {
        self.state = State::Error;
        self.errors.push(error.into());
        self
    }
}

/// The bundle as the tests see it: its CSV and CRDs (operator-sdk's `apimanifests.Bundle`).
pub struct Loaded {
    pub bundle: Bundle,
    /// What could not be read (olm-bundle-validation reports it).
    unreadable: Vec<validate::Finding>,
}

impl Loaded {
    pub fn new(dir: &Path) -> Loaded {
        let (bundle, unreadable) = bundle::load(dir);
        Loaded { bundle, unreadable }
    }

    fn csv(&self) -> Option<&Manifest> {
        self.bundle.csvs().next()
    }

    fn csv_name(&self) -> &str {
        self.csv().map(Manifest::object_name).unwrap_or_default()
    }

    fn owned(&self) -> Vec<&Value> {
        self.csv()
            .and_then(|csv| at(&csv.value, "spec.customresourcedefinitions.owned"))
            .and_then(Value::as_array)
            .map(|owned| owned.iter().collect())
            .unwrap_or_default()
    }

    /// The CSV's owned CRD description of `cr`'s kind and version.
    fn owned_for(&self, cr: &Value) -> Option<&Value> {
        let (kind, version) = (str_at(cr, "kind")?, cr_version(cr));
        self.owned()
            .into_iter()
            .find(|o| str_at(o, "kind") == Some(kind) && str_at(o, "version") == Some(version))
    }

    /// The custom resources of the CSV's `alm-examples` annotation (operator-sdk's `GetCRs`).
    pub fn crs(&self) -> Result<Vec<Value>, String> {
        let Some(csv) = self.csv() else {
            return Err("the bundle has no ClusterServiceVersion in manifests/".into());
        };
        let Some(examples) = at(&csv.value, "metadata.annotations")
            .and_then(|a| a.get("alm-examples"))
            .and_then(Value::as_str)
        else {
            return Ok(Vec::new());
        };
        let crs: Vec<Value> = serde_json::from_str(examples).map_err(|e| {
            format!(
                "metadata.annotations.alm-examples of {} is not a JSON list of objects: {e}",
                csv.file
            )
        })?;
        match crs.iter().position(|cr| !cr.is_object()) {
            Some(i) => Err(format!(
                "alm-examples[{i}] of {} is not an object",
                csv.file
            )),
            None => Ok(crs),
        }
    }
}

fn cr_version(cr: &Value) -> &str {
    let api_version = str_at(cr, "apiVersion").unwrap_or_default();
    api_version.rsplit('/').next().unwrap_or_default()
}

fn cr_name(cr: &Value) -> &str {
    str_at(cr, "metadata.name").unwrap_or_default()
}

fn object<'a>(cr: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    cr.get(key).and_then(Value::as_object)
}

/// The sorted keys of `cr.<key>` (operator-sdk walks a Go map, in random order).
fn keys(cr: &Value, key: &str) -> Vec<String> {
    let mut keys: Vec<String> = object(cr, key)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

pub fn run(name: &str, loaded: &Loaded) -> TestResult {
    match name {
        BASIC_CHECK_SPEC => basic_check_spec(loaded),
        OLM_BUNDLE_VALIDATION => bundle_validation(loaded),
        OLM_CRDS_HAVE_VALIDATION => crds_have_validation(loaded),
        OLM_CRDS_HAVE_RESOURCES => crds_have_resources(loaded),
        OLM_SPEC_DESCRIPTORS => descriptors(loaded, OLM_SPEC_DESCRIPTORS, false),
        OLM_STATUS_DESCRIPTORS => descriptors(loaded, OLM_STATUS_DESCRIPTORS, true),
        other => TestResult::new(other).error(format!(
            "unknown test {other}: scorecard-test runs {}",
            BUILT_IN.join(", ")
        )),
    }
}

/// Every CR of alm-examples has a spec. As in operator-sdk, a CR without one is a suggestion,
/// not a failure (CRs of kinds without spec, such as configuration singletons, are valid).
fn basic_check_spec(loaded: &Loaded) -> TestResult {
    let mut r = TestResult::new(BASIC_CHECK_SPEC);
    match loaded.crs() {
        Err(e) => r.fail(format!("error getting custom resources: {e}")),
        Ok(crs) => {
            if let Some(cr) = crs
                .iter()
                .find(|cr| cr.get("spec").is_none_or(Value::is_null))
            {
                r.suggestions
                    .push(format!("spec missing from [{}]", cr_name(cr)));
            }
        }
    }
    r
}

/// `operator-sdk bundle validate`'s checks: errors fail, warnings are suggestions.
fn bundle_validation(loaded: &Loaded) -> TestResult {
    let mut r = TestResult::new(OLM_BUNDLE_VALIDATION);
    let checked = validate::check(&loaded.bundle);
    for finding in loaded.unreadable.iter().chain(&checked) {
        if finding.is_error() {
            r.fail(finding.to_string());
        } else {
            r.suggestions.push(finding.to_string());
        }
    }
    r.log = format!(
        "validated bundle {} ({} manifests)\n",
        loaded.bundle.dir.display(),
        loaded.bundle.manifests.len()
    );
    r
}

/// Every spec and status field of each alm-examples CR is in its CRD's schema.
fn crds_have_validation(loaded: &Loaded) -> TestResult {
    let r = TestResult::new(OLM_CRDS_HAVE_VALIDATION);
    let crs = match loaded.crs() {
        Ok(crs) => crs,
        Err(e) => return r.error(e),
    };
    let mut r = r;
    r.log = format!("Loaded {} Custom Resources from alm-examples\n", crs.len());
    let crds: Vec<&Manifest> = loaded.bundle.crds().collect();
    let names: Vec<&str> = crds.iter().map(|c| c.object_name()).collect();
    r.log += &format!("Loaded CustomResourceDefinitions: [{}]\n", names.join(" "));
    for cr in &crs {
        let kind = str_at(cr, "kind").unwrap_or_default();
        let version = cr_version(cr);
        for crd in &crds {
            let crd_kind = str_at(&crd.value, "spec.names.kind").unwrap_or_default();
            if !crd_kind.eq_ignore_ascii_case(kind) {
                continue;
            }
            let versions = at(&crd.value, "spec.versions").and_then(Value::as_array);
            for v in versions.into_iter().flatten() {
                let name = str_at(v, "name").unwrap_or_default();
                if !name.eq_ignore_ascii_case(version) {
                    continue;
                }
                let Some(schema) = at(v, "schema.openAPIV3Schema") else {
                    r.suggestions
                        .push(format!("Add CRD validation for {crd_kind}/{name}"));
                    continue;
                };
                let mut failed = false;
                for part in ["spec", "status"] {
                    let properties = schema
                        .get("properties")
                        .and_then(|p| p.get(part))
                        .and_then(|p| p.get("properties"));
                    for key in keys(cr, part) {
                        if properties.and_then(|p| p.get(&key)).is_none() {
                            failed = true;
                            r.suggestions.push(format!(
                                "Add CRD validation for {part} field `{key}` in {kind}/{version}"
                            ));
                        }
                    }
                }
                if failed {
                    r.state = State::Fail;
                    return r;
                }
            }
        }
    }
    r
}

/// Every owned CRD of the CSV lists the resources it creates (`resources`).
fn crds_have_resources(loaded: &Loaded) -> TestResult {
    let mut r = TestResult::new(OLM_CRDS_HAVE_RESOURCES);
    r.log = format!("Loaded ClusterServiceVersion: {}\n", loaded.csv_name());
    let missing = loaded.owned().into_iter().any(|o| {
        o.get("resources")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
    });
    if missing {
        r.fail("Owned CRDs do not have resources specified");
    }
    r
}

/// Spec: every top-level spec field of each alm-examples CR has a spec descriptor of that path.
/// Status: a CR with a status has an owned CRD with status descriptors.
fn descriptors(loaded: &Loaded, name: &str, status: bool) -> TestResult {
    let mut r = TestResult::new(name);
    r.log = format!("Loaded ClusterServiceVersion: {}\n", loaded.csv_name());
    let crs = match loaded.crs() {
        Ok(crs) => crs,
        Err(e) => return r.error(e),
    };
    r.log += &format!("Loaded {} Custom Resources from alm-examples\n", crs.len());
    for cr in &crs {
        if !status && object(cr, "spec").is_none() {
            // operator-sdk fails such a CR without a message; say which.
            r.fail(format!("{} has no spec", cr_name(cr)));
            continue;
        }
        let Some(owned) = loaded.owned_for(cr) else {
            r.fail(format!(
                "Failed to find an owned CRD for CR {} with GVK {}, Kind={}",
                cr_name(cr),
                str_at(cr, "apiVersion").unwrap_or_default(),
                str_at(cr, "kind").unwrap_or_default()
            ));
            continue;
        };
        let crd_name = str_at(owned, "name").unwrap_or_default();
        if status {
            check_status(cr, owned, crd_name, &mut r);
        } else {
            let paths: Vec<&str> = owned
                .get("specDescriptors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|d| str_at(d, "path"))
                .collect();
            for key in keys(cr, "spec") {
                if !paths.contains(&key.as_str()) {
                    r.fail(format!("{key} does not have a spec descriptor"));
                    r.suggestions
                        .push(format!("Add a spec descriptor for {key}"));
                }
            }
        }
    }
    r
}

fn check_status(cr: &Value, owned: &Value, crd_name: &str, r: &mut TestResult) {
    let has_status = object(cr, "status").is_some_and(|s| !s.is_empty());
    if !has_status {
        r.suggestions.push(format!(
            "{crd_name} does not have status spec. Note that all objects that represent a physical resource whose state may vary from the user's desired intent SHOULD have a spec and a status (Kubernetes API conventions, \"Spec and Status\")"
        ));
        return;
    }
    let descriptors = owned
        .get("statusDescriptors")
        .and_then(Value::as_array)
        .is_some_and(|d| !d.is_empty());
    if !descriptors {
        r.fail(format!("{crd_name} does not have a status descriptor"));
        r.suggestions.push(format!(
            "add status descriptor for the crd {crd_name}: a `#[csv(display_name = ...)]` attribute on a field of its status type, or a `+operator-sdk:csv:customresourcedefinitions:type=status` doc marker"
        ));
    }
}
