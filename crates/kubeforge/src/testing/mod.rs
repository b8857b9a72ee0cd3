//! Check a custom resource against its CRD offline, the way kube-apiserver does on create and
//! update, so samples and rules can be unit-tested without a cluster.
//!
//! [`validate`] (create) and [`validate_update`] (update, with the old object) run the same
//! steps as the apiserver, in its order:
//!
//! 1. prune the fields the schema does not know (silently), drop nulls of non-nullable fields
//!    without a default, apply `default`s; with a status subresource, `status` is dropped on
//!    create and kept from the old object on update;
//! 2. the OpenAPI v3 schema: `type`, int-or-string, `nullable`, bounds (`minimum`, `maximum`,
//!    exclusive, `multipleOf`, `min/maxLength`, `min/maxItems`, `min/maxProperties`),
//!    `pattern`, `enum`, `format`, `required`, `allOf`/`anyOf`/`oneOf`/`not`, embedded
//!    resources' `apiVersion` and `kind`;
//! 3. `x-kubernetes-list-type` `set` and `map` uniqueness;
//! 4. the `x-kubernetes-validations` CEL rules, unless step 2 found a type, required, enum or
//!    size error (the apiserver then says some rules were not checked). Transition rules (those
//!    using `oldSelf`) run only on update where an old value correlates, or with
//!    `optionalOldSelf`.
//!
//! The result is the object as the apiserver would store it (defaults applied), or
//! [`Error::Invalid`], whose errors print exactly as the apiserver's:
//!
//! ```text
//! The Memcached "sample" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10
//! ```
//!
//! Not reproduced: validation ratcheting on update (unchanged invalid values are reported),
//! `metadata` checks beyond `name`, CEL cost limits, order-insensitive equality of set and map
//! lists in rules; the Kubernetes CEL libraries' `isSorted`, `sum`, `indexOf` on lists, `url`,
//! `ip`, `cidr`, `quantity`, `semver`, `format`, `sets` and `authorizer` functions, and the
//! `isbn`, `creditcard`, `ssn` and `bsonobjectid` formats are reported as errors saying they
//! cannot be checked offline (never passed); `email` and `uri` are approximations of Go's
//! parsers and patterns use Rust's `regex`, which is close to Go's RE2.

mod field_error;
mod formats;
mod list_types;
mod openapi;
mod prune;
mod rules;
mod schema;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde_json::Value;

pub use field_error::{ErrorKind, FieldError, Invalid};
use schema::Node;

/// Why an object was refused, or why the CRD cannot check it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The apiserver would refuse the object with these field errors.
    #[error("{0}")]
    Invalid(Invalid),
    /// The CRD has no such version.
    #[error("CRD {crd} has no version {version} (it has {known})")]
    UnknownVersion {
        crd: String,
        version: String,
        known: String,
    },
    /// The version has no `openAPIV3Schema` to check against.
    #[error("CRD {crd} version {version} has no openAPIV3Schema")]
    NoSchema { crd: String, version: String },
    /// The object is not for this CRD version (`apiVersion` or `kind` differ) or not an object.
    #[error("the object is not a {expected}: {found}")]
    WrongObject { expected: String, found: String },
}

impl Error {
    /// The field errors, when the object was refused.
    pub fn invalid(&self) -> Option<&Invalid> {
        match self {
            Error::Invalid(invalid) => Some(invalid),
            _ => None,
        }
    }
}

/// Checks `object` against the CRD among `crds` (as [`crds()`](crate::crds) returns them) that
/// serves its `apiVersion` and `kind`, as [`validate`] does: what a project's test of its
/// config/samples calls.
pub fn validate_object(crds: &[CustomResourceDefinition], object: &Value) -> Result<Value, Error> {
    let found = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
    let (group, version) = match found("apiVersion").rsplit_once('/') {
        Some((group, version)) => (group, version),
        None => ("", found("apiVersion")),
    };
    let crd = crds
        .iter()
        .find(|c| c.spec.group == group && c.spec.names.kind == found("kind"))
        .ok_or_else(|| Error::WrongObject {
            expected: "an object of one of the CRDs".to_owned(),
            found: format!(
                "apiVersion {:?}, kind {:?}",
                found("apiVersion"),
                found("kind")
            ),
        })?;
    validate(crd, version, object)
}

/// Checks `object` as `kubectl create` would have the apiserver check it against `version`
/// of `crd`; returns the object with unknown fields pruned and defaults applied.
pub fn validate(
    crd: &CustomResourceDefinition,
    version: &str,
    object: &Value,
) -> Result<Value, Error> {
    run(crd, version, object, None)
}

/// Checks `new` as an update of `old` (both as sent, `old` already valid): transition rules
/// see `oldSelf`.
pub fn validate_update(
    crd: &CustomResourceDefinition,
    version: &str,
    new: &Value,
    old: &Value,
) -> Result<Value, Error> {
    run(crd, version, new, Some(old))
}

fn run(
    crd: &CustomResourceDefinition,
    version: &str,
    object: &Value,
    old: Option<&Value>,
) -> Result<Value, Error> {
    let crd_name = crd.metadata.name.clone().unwrap_or_default();
    let served = crd
        .spec
        .versions
        .iter()
        .find(|v| v.name == version)
        .ok_or_else(|| Error::UnknownVersion {
            crd: crd_name.clone(),
            version: version.to_owned(),
            known: crd
                .spec
                .versions
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let schema = served
        .schema
        .as_ref()
        .and_then(|s| s.open_api_v3_schema.as_ref())
        .map(serde_json::to_value)
        .and_then(Result::ok)
        .ok_or_else(|| Error::NoSchema {
            crd: crd_name.clone(),
            version: version.to_owned(),
        })?;
    let kind = crd.spec.names.kind.clone();
    let api_version = format!("{}/{version}", crd.spec.group);
    check_identity(object, &api_version, &kind)?;
    let root = Node(&schema);
    let has_status = served
        .subresources
        .as_ref()
        .is_some_and(|s| s.status.is_some());
    let prepare = |value: &Value| {
        let mut value = value.clone();
        prune::prune(&mut value, root, true);
        prune::apply_defaults(&mut value, root);
        value
    };
    let mut object = prepare(object);
    let old = old.map(prepare);
    if has_status && let Some(map) = object.as_object_mut() {
        match old.as_ref().and_then(|o| o.get("status")) {
            Some(status) => map.insert("status".to_owned(), status.clone()),
            None => map.remove("status"),
        };
    }

    let mut errors = Vec::new();
    check_name(&object, &mut errors);
    openapi::check(&object, root, "", &mut errors);
    if let Some(path) = served
        .subresources
        .as_ref()
        .and_then(|s| s.scale.as_ref())
        .map(|scale| scale.spec_replicas_path.as_str())
    {
        check_spec_replicas(&object, path, &mut errors);
    }
    list_types::check(&object, root, "", &mut errors);
    if !has_rules(root) {
        // Without rules the apiserver has no CEL validator, and so no "not checked" error.
    } else if errors.iter().any(|e| e.kind.blocks_rules()) {
        errors.push(FieldError::new(
            "",
            ErrorKind::Invalid,
            Some("\"null\"".to_owned()),
            "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation".to_owned(),
        ));
    } else {
        rules::check(&object, old.as_ref(), root, "", true, &mut errors);
    }
    if errors.is_empty() {
        return Ok(object);
    }
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Err(Error::Invalid(Invalid { kind, name, errors }))
}

fn has_rules(node: Node<'_>) -> bool {
    !node.rules().is_empty()
        || node.properties().any(|(_, p)| has_rules(p))
        || node.additional_properties().is_some_and(has_rules)
        || node.items().is_some_and(has_rules)
        || ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| node.subschemas(k).any(has_rules))
}

/// The scale subresource reads the spec replicas path as an int64, and says so when it is not
/// one.
fn check_spec_replicas(object: &Value, json_path: &str, errors: &mut Vec<FieldError>) {
    let pointer = json_path.replace('.', "/");
    let Some(value) = object.pointer(&pointer) else {
        return;
    };
    let detail = match value.as_i64() {
        Some(n) if n < 0 => "should be a non-negative integer".to_owned(),
        Some(n) if n > i64::from(i32::MAX) => {
            format!("should be less than or equal to {}", i32::MAX)
        }
        Some(_) => return,
        None => {
            let go_type = match value {
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                Value::Number(_) => "float64",
                Value::Array(_) => "[]interface {}",
                Value::Object(_) => "map[string]interface {}",
                Value::Null => return,
            };
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{json_path} accessor error: {shown} is of the type {go_type}, expected int64")
        }
    };
    let replicas = value.as_i64().unwrap_or(0);
    errors.push(FieldError::invalid(
        json_path,
        &Value::from(replicas),
        detail,
    ));
}

fn check_identity(object: &Value, api_version: &str, kind: &str) -> Result<(), Error> {
    let found = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
    if !object.is_object() || found("apiVersion") != api_version || found("kind") != kind {
        return Err(Error::WrongObject {
            expected: format!("{api_version} {kind}"),
            found: format!(
                "apiVersion {:?}, kind {:?}",
                found("apiVersion"),
                found("kind")
            ),
        });
    }
    Ok(())
}

fn check_name(object: &Value, errors: &mut Vec<FieldError>) {
    let has = |key: &str| {
        object
            .pointer(&format!("/metadata/{key}"))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if !has("name") && !has("generateName") {
        errors.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    }
}
