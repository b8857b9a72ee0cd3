//! CRD assembly: every registered version becomes a `versions[]` entry with a controller-gen
//! shaped schema; versions of one group and kind merge into one CustomResourceDefinition with
//! exactly one storage version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::normalize;
use crate::registry::{self, PrintColumn, VersionMarkers, VersionRegistration};
use crate::structural;

/// The annotation recording which kubeforge wrote a CRD (controller-gen writes its own version).
pub const VERSION_ANNOTATION: &str = "kubeforge.io/version";

const API_VERSION_DESCRIPTION: &str = "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DESCRIPTION: &str = "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/// Generation options, as controller-gen's `crd:` options.
#[derive(Clone, Debug, Default)]
pub struct GenerateOptions {
    max_desc_len: Option<usize>,
}

impl GenerateOptions {
    /// controller-gen's `crd:maxDescLen`: truncate descriptions (0 drops them), for CRDs that
    /// embed large core types and would pass the 256 KiB annotation limit of client-side apply.
    pub fn max_desc_len(mut self, max: usize) -> Self {
        self.max_desc_len = Some(max);
        self
    }
}

/// Every registered CRD, merged and checked, sorted by name.
pub fn crds() -> Result<Vec<CustomResourceDefinition>, Error> {
    crds_with(&GenerateOptions::default())
}

pub fn crds_with(options: &GenerateOptions) -> Result<Vec<CustomResourceDefinition>, Error> {
    let (crds, failed) = crds_per_kind(options);
    match Error::of_kinds(failed) {
        Some(error) => Err(error),
        None => Ok(crds),
    }
}

/// Every CRD that generates, and the errors of the kinds that do not: one bad kind does not
/// hide the others.
pub fn crds_per_kind(options: &GenerateOptions) -> (Vec<CustomResourceDefinition>, Vec<Error>) {
    let (values, mut failed) = crd_values(options);
    let mut crds = Vec::new();
    for v in values {
        let name = v["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        match serde_json::from_value(v) {
            Ok(crd) => crds.push(crd),
            Err(source) => failed.push(Error::Convert { name, source }),
        }
    }
    (crds, failed)
}

/// A CRD as JSON, the way controller-gen serialises it: k8s-openapi keeps schema bounds as
/// `f64` (`1.0`), Go writes whole numbers without a fraction (`1`).
pub fn crd_to_value(crd: &CustomResourceDefinition) -> Result<Value, Error> {
    let mut value = serde_json::to_value(crd).map_err(|source| Error::Convert {
        name: crd.metadata.name.clone().unwrap_or_default(),
        source,
    })?;
    normalize::integral_numbers(&mut value);
    Ok(value)
}

/// The CRD files controller-gen would write: `<group>_<plural>.yaml` and its contents.
pub fn crd_files(options: &GenerateOptions) -> Result<Vec<(String, String)>, Error> {
    crds_with(options)?.iter().map(crd_file).collect()
}

fn crd_file(crd: &CustomResourceDefinition) -> Result<(String, String), Error> {
    let value = crd_to_value(crd)?;
    let file = format!("{}_{}.yaml", crd.spec.group, crd.spec.names.plural);
    Ok((file, crate::yaml::to_document(&value)?))
}

/// Writes every CRD into `dir` (created if missing), one file each, atomically; returns the paths.
pub fn write_crds(dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
    write_crds_with(dir, &GenerateOptions::default())
}

pub fn write_crds_with(
    dir: impl AsRef<Path>,
    options: &GenerateOptions,
) -> Result<Vec<PathBuf>, Error> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    // The kinds that generate are written even when another fails; the error names the others.
    let (crds, mut failed) = crds_per_kind(options);
    let mut written = Vec::new();
    for crd in &crds {
        match crd_file(crd) {
            Ok((name, contents)) => {
                let path = dir.join(name);
                crate::fs::write_atomic(&path, contents.as_bytes())?;
                written.push(path);
            }
            Err(error) => failed.push(error),
        }
    }
    match Error::of_kinds(failed) {
        Some(error) => Err(error),
        None => Ok(written),
    }
}

/// One registered version, built.
struct Built {
    source: &'static str,
    group: String,
    kind: String,
    names: Value,
    scope: Value,
    version: Map<String, Value>,
    storage: bool,
    skip: bool,
    categories: Vec<Value>,
    annotations: Vec<(String, String)>,
    labels: Vec<(String, String)>,
}

fn crd_values(options: &GenerateOptions) -> (Vec<Value>, Vec<Error>) {
    let mut groups: BTreeMap<(String, String), Vec<Built>> = BTreeMap::new();
    let mut failed = Vec::new();
    for reg in registry::registrations() {
        match build_version(reg, options) {
            Ok(built) => groups
                .entry((built.group.clone(), built.kind.clone()))
                .or_default()
                .push(built),
            Err(error) => failed.push(error),
        }
    }
    let mut out = Vec::new();
    for ((group, kind), versions) in groups {
        let crd = match merge(group, kind, versions) {
            Ok(crd) => crd,
            Err(error) => {
                failed.push(error);
                continue;
            }
        };
        let name = crd["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let violations = structural::check_crd(&crd);
        if !violations.is_empty() {
            let violations = violations
                .iter()
                .map(|v| format!("  - {v}"))
                .collect::<Vec<_>>()
                .join("\n");
            failed.push(Error::NotStructural { name, violations });
            continue;
        }
        out.push(crd);
    }
    out.sort_by(|a, b| {
        a["metadata"]["name"]
            .as_str()
            .cmp(&b["metadata"]["name"].as_str())
    });
    (out, failed)
}

fn generator() -> schemars::SchemaGenerator {
    SchemaSettings::openapi3()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator()
}

fn invalid(reg: &VersionRegistration, message: impl Into<String>) -> Error {
    Error::InvalidRegistration {
        source_type: reg.source.to_owned(),
        message: message.into(),
    }
}

fn build_version(reg: &VersionRegistration, options: &GenerateOptions) -> Result<Built, Error> {
    // kube's own schema generation panics on some shapes kubeforge handles; its names, scope and
    // columns are all that is used from it, so a panic there becomes an error naming the type.
    let kube_crd = std::panic::catch_unwind(reg.crd).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        invalid(
            reg,
            format!("kube-derive's CustomResourceExt::crd() failed: {message}"),
        )
    })?;
    let kube_crd = serde_json::to_value(kube_crd)
        .map_err(|e| invalid(reg, format!("kube's CRD does not serialise: {e}")))?;
    let markers = &reg.markers;
    let spec = &kube_crd["spec"];
    let kube_version = spec["versions"][0].as_object().cloned().unwrap_or_default();

    let mut generator = generator();
    let mut spec_schema = (reg.spec_schema)(&mut generator);
    match (reg.spec_description, spec_schema.as_object_mut()) {
        (Some(d), Some(o)) => {
            o.insert("description".into(), json!(d));
        }
        (None, Some(o)) => {
            o.remove("description");
        }
        _ => {}
    }
    let mut properties = Map::new();
    properties.insert(
        "apiVersion".into(),
        json!({ "description": API_VERSION_DESCRIPTION, "type": "string" }),
    );
    properties.insert(
        "kind".into(),
        json!({ "description": KIND_DESCRIPTION, "type": "string" }),
    );
    properties.insert("metadata".into(), json!({ "type": "object" }));
    let mut required = Vec::new();
    if reg.no_spec {
        if let Some(Value::Object(props)) = spec_schema.get("properties") {
            properties.extend(props.clone());
        }
        if let Some(Value::Array(req)) = spec_schema.get("required") {
            required.extend(req.iter().cloned());
        }
    } else {
        properties.insert("spec".into(), spec_schema);
        if !markers.spec_optional {
            required.push(json!("spec"));
        }
    }
    if let Some(mut status) = (reg.status_schema)(&mut generator) {
        if let (Some(d), Some(o)) = (markers.status_description, status.as_object_mut()) {
            o.insert("description".into(), json!(d));
        }
        properties.insert("status".into(), status);
    }
    let mut root = Map::new();
    if let Some(d) = reg.root_description {
        root.insert("description".into(), json!(d));
    }
    root.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        root.insert("required".into(), Value::Array(required));
    }
    root.insert("type".into(), json!("object"));
    let mut root = Value::Object(root);
    let problems = normalize::normalize(&mut root);
    if let Some((path, message)) = problems.into_iter().next() {
        return Err(Error::InvalidMarker {
            source_type: reg.source.to_owned(),
            path,
            message,
        });
    }
    if let Some(max) = options.max_desc_len {
        normalize::truncate_descriptions(&mut root, max);
    }

    let mut version = Map::new();
    for key in [
        "name",
        "served",
        "deprecated",
        "deprecationWarning",
        "subresources",
        "additionalPrinterColumns",
        "selectableFields",
    ] {
        if let Some(v) = kube_version.get(key) {
            version.insert(key.into(), v.clone());
        }
    }
    apply_version_markers(&mut version, markers);
    version.insert("schema".into(), json!({ "openAPIV3Schema": root }));
    if version.get("deprecated") == Some(&Value::Bool(false)) {
        version.remove("deprecated");
    }

    let pairs = |entries: &[(&str, &str)]| -> Vec<(String, String)> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    Ok(Built {
        source: reg.source,
        group: spec["group"].as_str().unwrap_or_default().to_owned(),
        kind: spec["names"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        names: spec["names"].clone(),
        scope: spec["scope"].clone(),
        version,
        storage: markers.storage_version,
        skip: markers.skip,
        categories: markers.categories.iter().map(|c| json!(c)).collect(),
        annotations: pairs(markers.annotations),
        labels: pairs(markers.labels),
    })
}

fn apply_version_markers(version: &mut Map<String, Value>, markers: &VersionMarkers) {
    if markers.unserved {
        version.insert("served".into(), json!(false));
    }
    if let Some(dep) = markers.deprecated {
        version.insert("deprecated".into(), json!(true));
        if let Some(w) = dep.warning {
            version.insert("deprecationWarning".into(), json!(w));
        }
    }
    if !markers.printcolumns.is_empty() {
        let list = version
            .entry("additionalPrinterColumns")
            .or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.extend(markers.printcolumns.iter().map(printer_column));
        }
    }
    if !markers.selectable_fields.is_empty() {
        let list = version
            .entry("selectableFields")
            .or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.extend(
                markers
                    .selectable_fields
                    .iter()
                    .map(|p| json!({ "jsonPath": p })),
            );
        }
    }
    if let Some(scale) = markers.scale {
        let sub = version.entry("subresources").or_insert_with(|| json!({}));
        let mut s = Map::new();
        s.insert("specReplicasPath".into(), json!(scale.spec_path));
        s.insert("statusReplicasPath".into(), json!(scale.status_path));
        if let Some(p) = scale.selector_path {
            s.insert("labelSelectorPath".into(), json!(p));
        }
        sub["scale"] = Value::Object(s);
    }
}

fn printer_column(c: &PrintColumn) -> Value {
    let mut col = Map::new();
    col.insert("name".into(), json!(c.name));
    col.insert("type".into(), json!(c.r#type));
    col.insert("jsonPath".into(), json!(c.json_path));
    if let Some(d) = c.description {
        col.insert("description".into(), json!(d));
    }
    if let Some(f) = c.format {
        col.insert("format".into(), json!(f));
    }
    // controller-gen leaves out the default priority.
    if let Some(p) = c.priority.filter(|p| *p != 0) {
        col.insert("priority".into(), json!(p));
    }
    Value::Object(col)
}

/// Merges the names `version` gives its kind into `names`, as controller-gen merges the
/// `+kubebuilder:resource` markers of versions: a name one version leaves out (Go APIs often put
/// `shortName` on one version only) comes from another, and categories add up. Two versions
/// giving different values (plurals, short names, ...) are a conflict: the key, the version that
/// said it first, and both values. `named_by` remembers which version gave each key.
fn merge_names(
    names: &mut Value,
    version: &Built,
    named_by: &mut BTreeMap<String, &'static str>,
) -> Option<(String, &'static str, Value, Value)> {
    let empty = |v: &Value| v.is_null() || v == &json!("") || v == &json!([]);
    let theirs = version.names.as_object()?;
    for (key, value) in theirs {
        if empty(value) {
            continue;
        }
        let ours = &mut names[key.as_str()];
        if empty(ours) {
            *ours = value.clone();
        } else if key == "categories" {
            let list = ours.as_array_mut()?;
            for c in value.as_array().into_iter().flatten() {
                if !list.contains(c) {
                    list.push(c.clone());
                }
            }
        } else if ours != value {
            let earlier = named_by.get(key).copied().unwrap_or(version.source);
            return Some((format!("names.{key}"), earlier, ours.clone(), value.clone()));
        }
        named_by.entry(key.clone()).or_insert(version.source);
    }
    None
}

fn merge(group: String, kind: String, mut versions: Vec<Built>) -> Result<Value, Error> {
    versions.sort_by(|a, b| a.version["name"].as_str().cmp(&b.version["name"].as_str()));
    for pair in versions.windows(2) {
        if pair[0].version["name"] == pair[1].version["name"] {
            return Err(Error::DuplicateVersion {
                group,
                kind,
                version: pair[0].version["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                first: pair[0].source.to_owned(),
                second: pair[1].source.to_owned(),
            });
        }
    }
    let first = &versions[0];
    let mut names = first.names.clone();
    let mut named_by: BTreeMap<String, &'static str> = BTreeMap::new();
    for other in &versions {
        let conflict = if first.scope != other.scope {
            Some((
                "scope".to_owned(),
                first.source,
                first.scope.clone(),
                other.scope.clone(),
            ))
        } else {
            merge_names(&mut names, other, &mut named_by)
        };
        if let Some((key, earlier, a, b)) = conflict {
            return Err(Error::Inconsistent {
                group,
                kind,
                what: format!("{key} ({a} vs {b})"),
                first: earlier.to_owned(),
                second: other.source.to_owned(),
            });
        }
    }
    let live: Vec<&Built> = versions.iter().filter(|v| !v.skip).collect();
    if live.is_empty() {
        return Err(Error::AllSkipped { group, kind });
    }
    let name_of = |v: &Built| v.version["name"].as_str().unwrap_or_default().to_owned();
    let marked: Vec<String> = live
        .iter()
        .filter(|v| v.storage)
        .map(|v| name_of(v))
        .collect();
    let storage = match (live.len(), marked.len()) {
        (1, _) => name_of(live[0]),
        (_, 1) => marked[0].clone(),
        (_, 0) => {
            let versions = live
                .iter()
                .map(|v| name_of(v))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::NoStorageVersion {
                group,
                kind,
                versions,
            });
        }
        _ => {
            return Err(Error::ManyStorageVersions {
                group,
                kind,
                marked: marked.join(", "),
            });
        }
    };
    if !live
        .iter()
        .any(|v| v.version.get("served") != Some(&Value::Bool(false)))
    {
        return Err(Error::NoneServed { group, kind });
    }

    if names.get("listKind").is_none() {
        names["listKind"] = json!(format!("{kind}List"));
    }
    let mut categories: Vec<Value> = names["categories"].as_array().cloned().unwrap_or_default();
    let mut annotations = BTreeMap::new();
    let mut labels = BTreeMap::new();
    for v in &live {
        for c in &v.categories {
            if !categories.contains(c) {
                categories.push(c.clone());
            }
        }
        annotations.extend(v.annotations.iter().cloned());
        labels.extend(v.labels.iter().cloned());
    }
    if !categories.is_empty() {
        names["categories"] = Value::Array(categories);
    }
    let plural = names["plural"].as_str().unwrap_or_default().to_owned();
    annotations.insert(
        VERSION_ANNOTATION.to_owned(),
        env!("CARGO_PKG_VERSION").to_owned(),
    );
    let mut metadata = json!({ "name": format!("{plural}.{group}"), "annotations": annotations });
    if !labels.is_empty() {
        metadata["labels"] = json!(labels);
    }
    let versions: Vec<Value> = live
        .iter()
        .map(|v| {
            let mut version = v.version.clone();
            version.insert("storage".into(), json!(name_of(v) == storage));
            version.entry("served").or_insert(json!(true));
            Value::Object(version)
        })
        .collect();
    Ok(json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": metadata,
        "spec": { "group": group, "names": names, "scope": first.scope, "versions": versions },
    }))
}
