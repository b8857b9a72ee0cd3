//! `kubeforge::testing::validate` against a CRD generated from Rust types: each table row is
//! an object and what kube-apiserver v1.33 answers for it, word for word (`kubectl create`
//! output). Set `KUBEFORGE_TEST_KUBECONFIG` to a cluster's kubeconfig to replay the same
//! tables against its apiserver (`live_apiserver_agrees`).

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeforge::prelude::*;
use kubeforge::testing::{self, Error};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

/// Probe exercises every check the apiserver makes.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "validate.kubeforge.test",
    version = "v1",
    kind = "Probe",
    namespaced,
    status = "ProbeStatus"
)]
#[crd(
    validation(
        rule = "self.minReplicas <= self.maxReplicas",
        message = "minReplicas must not exceed maxReplicas"
    ),
    validation(
        rule = "!has(self.name) || self.name != 'admin'",
        message_expression = "'name ' + self.name + ' is reserved'"
    ),
    validation(
        rule = "!has(self.tier) || self.tier != 'large' || self.size >= 3",
        field_path = ".size",
        message = "a large tier needs size >= 3"
    )
)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSpec {
    #[crd(minimum = 1, maximum = 10)]
    pub size: i32,
    #[crd(minimum = 0, maximum = 100, exclusive_minimum, exclusive_maximum)]
    pub percent: Option<i32>,
    #[crd(multiple_of = 3)]
    pub step: Option<i64>,
    #[crd(maximum = 1.5)]
    pub ratio: Option<f64>,
    #[crd(min_length = 2, max_length = 8, pattern = "^[a-z]+$")]
    pub name: Option<String>,
    #[crd(enum_values = ["small", "large"])]
    pub tier: Option<String>,
    #[crd(default = 0)]
    #[serde(default)]
    pub min_replicas: i32,
    #[crd(default = 5)]
    #[serde(default)]
    pub max_replicas: i32,
    #[crd(format = "date-time")]
    pub since: Option<String>,
    #[crd(list_type = "set", min_items = 1, max_items = 3)]
    pub tags: Option<Vec<String>>,
    #[crd(list_type = "map", list_map_keys = ["name"])]
    pub ports: Option<Vec<Port>>,
    #[crd(max_properties = 2)]
    pub labels: Option<BTreeMap<String, String>>,
    pub target: Option<IntOrString>,
    #[crd(validation(rule = "self == oldSelf", message = "mode is immutable"))]
    pub mode: Option<String>,
    #[crd(validation(
        rule = "!self.startsWith('x')",
        reason = "FieldValueForbidden",
        message = "must not start with x"
    ))]
    pub prefix: Option<String>,
    #[crd(validation(rule = "size(self) <= 2"))]
    pub aliases: Option<Vec<String>>,
    #[crd(validation(
        rule = "oldSelf.hasValue() || self != 'locked'",
        optional_old_self,
        message = "cannot be created locked"
    ))]
    pub lock: Option<String>,
    #[crd(embedded_resource, preserve_unknown_fields)]
    pub template: Option<serde_json::Value>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[crd(validation(
    rule = "self.name != 'admin' || self.port > 1024",
    message = "admin ports are above 1024"
))]
pub struct Port {
    pub name: String,
    #[crd(
        minimum = 1,
        maximum = 65535,
        validation(rule = "self == oldSelf", message = "port is immutable")
    )]
    pub port: Option<i32>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct ProbeStatus {
    pub ready: Option<bool>,
}

fn crd() -> CustomResourceDefinition {
    kubeforge::crds()
        .expect("CRDs generate")
        .into_iter()
        .find(|c| c.spec.names.kind == "Probe")
        .expect("the Probe CRD")
}

fn probe(spec: Value) -> Value {
    json!({
        "apiVersion": "validate.kubeforge.test/v1",
        "kind": "Probe",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": spec,
    })
}

const NOT_CHECKED: &str = "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// Create: the spec, and the apiserver's errors (none: accepted).
const CREATE: &[(&str, &str, &[&str])] = &[
    ("minimal", r#"{"size": 3}"#, &[]),
    (
        "maximum",
        r#"{"size": 11}"#,
        &["spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"],
    ),
    (
        "minimum",
        r#"{"size": 0}"#,
        &["spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1"],
    ),
    (
        "exclusive maximum",
        r#"{"size": 1, "percent": 100}"#,
        &["spec.percent: Invalid value: 100: spec.percent in body should be less than 100"],
    ),
    (
        "exclusive minimum",
        r#"{"size": 1, "percent": 0}"#,
        &["spec.percent: Invalid value: 0: spec.percent in body should be greater than 0"],
    ),
    (
        "multiple of",
        r#"{"size": 1, "step": 4}"#,
        &["spec.step: Invalid value: 4: spec.step in body should be a multiple of 3"],
    ),
    (
        "required",
        r#"{"name": "ok"}"#,
        &["spec.size: Required value", NOT_CHECKED],
    ),
    (
        "wrong type",
        r#"{"size": "3"}"#,
        &[
            "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"",
            NOT_CHECKED,
        ],
    ),
    (
        "fraction for integer",
        r#"{"size": 1.5}"#,
        &[
            "spec.size: Invalid value: \"number\": spec.size in body must be of type integer: \"number\"",
            NOT_CHECKED,
        ],
    ),
    ("integer for number", r#"{"size": 1, "ratio": 1}"#, &[]),
    (
        "integer value, fractional bound",
        r#"{"size": 1, "ratio": 2}"#,
        &["spec.ratio: Invalid value: 2: spec.ratio in body should be less than or equal to 1"],
    ),
    (
        "fractional value, fractional bound",
        r#"{"size": 1, "ratio": 1.75}"#,
        &[
            "spec.ratio: Invalid value: 1.75: spec.ratio in body should be less than or equal to 1.5",
        ],
    ),
    (
        "rule on list item",
        r#"{"size": 1, "ports": [{"name": "admin", "port": 80}]}"#,
        &["spec.ports[0]: Invalid value: \"object\": admin ports are above 1024"],
    ),
    (
        "rule runtime error",
        r#"{"size": 1, "ports": [{"name": "admin"}]}"#,
        &[
            "spec.ports[0]: Invalid value: \"object\": no such key: port evaluating rule: admin ports are above 1024",
        ],
    ),
    (
        "optional old self on create",
        r#"{"size": 1, "lock": "locked"}"#,
        &["spec.lock: Invalid value: \"string\": cannot be created locked"],
    ),
    (
        "too long",
        r#"{"size": 1, "name": "abcdefghi"}"#,
        &[
            "spec.name: Too long: may not be more than 8 bytes",
            NOT_CHECKED,
        ],
    ),
    (
        "too short",
        r#"{"size": 1, "name": "a"}"#,
        &["spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long"],
    ),
    (
        "pattern",
        r#"{"size": 1, "name": "ab1"}"#,
        &["spec.name: Invalid value: \"ab1\": spec.name in body should match '^[a-z]+$'"],
    ),
    (
        "enum",
        r#"{"size": 3, "tier": "medium"}"#,
        &[
            "spec.tier: Unsupported value: \"medium\": supported values: \"small\", \"large\"",
            NOT_CHECKED,
        ],
    ),
    (
        "format date-time",
        r#"{"size": 1, "since": "yesterday"}"#,
        &[
            "spec.since: Invalid value: \"yesterday\": spec.since in body must be of type date-time: \"yesterday\"",
            NOT_CHECKED,
        ],
    ),
    (
        "format date-time ok",
        r#"{"size": 1, "since": "2024-05-06T07:08:09Z"}"#,
        &[],
    ),
    (
        "max items",
        r#"{"size": 1, "tags": ["a", "b", "c", "d"]}"#,
        &[
            "spec.tags: Too many: 4: must have at most 3 items",
            NOT_CHECKED,
        ],
    ),
    (
        "min items",
        r#"{"size": 1, "tags": []}"#,
        &["spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"],
    ),
    (
        "set duplicate",
        r#"{"size": 1, "tags": ["a", "b", "a"]}"#,
        &["spec.tags[2]: Duplicate value: \"a\""],
    ),
    (
        "map duplicate",
        r#"{"size": 1, "ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]}"#,
        &["spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}"],
    ),
    (
        "item required",
        r#"{"size": 1, "ports": [{"port": 80}]}"#,
        &["spec.ports[0].name: Required value", NOT_CHECKED],
    ),
    (
        "item bound",
        r#"{"size": 1, "ports": [{"name": "a", "port": 70000}]}"#,
        &[
            "spec.ports[0].port: Invalid value: 70000: spec.ports[0].port in body should be less than or equal to 65535",
        ],
    ),
    (
        "max properties",
        r#"{"size": 1, "labels": {"a": "1", "b": "2", "c": "3"}}"#,
        &[
            "spec.labels: Too many: 3: must have at most 2 items",
            NOT_CHECKED,
        ],
    ),
    (
        "map value type",
        r#"{"size": 1, "labels": {"a": 1}}"#,
        &[
            "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\"",
            NOT_CHECKED,
        ],
    ),
    ("int or string int", r#"{"size": 1, "target": 8080}"#, &[]),
    (
        "int or string string",
        r#"{"size": 1, "target": "http"}"#,
        &[],
    ),
    (
        "int or string bool",
        r#"{"size": 1, "target": true}"#,
        &[
            "spec.target: Invalid value: \"boolean\": spec.target in body must be of type integer,string: \"boolean\"",
            "<nil>: Invalid value: \"\": \"spec.target\" must validate at least one schema (anyOf)",
            "spec.target: Invalid value: \"boolean\": spec.target in body must be of type integer: \"boolean\"",
            NOT_CHECKED,
        ],
    ),
    ("null pruned", r#"{"size": 1, "name": null}"#, &[]),
    (
        "unknown field pruned",
        r#"{"size": 1, "color": "red"}"#,
        &[],
    ),
    (
        "rule message",
        r#"{"size": 1, "minReplicas": 7}"#,
        &["spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas"],
    ),
    (
        "rule message expression",
        r#"{"size": 1, "name": "admin"}"#,
        &["spec: Invalid value: \"object\": name admin is reserved"],
    ),
    (
        "rule field path",
        r#"{"size": 1, "tier": "large"}"#,
        &["spec.size: Invalid value: \"object\": a large tier needs size >= 3"],
    ),
    (
        "rule reason forbidden",
        r#"{"size": 1, "prefix": "xy"}"#,
        &["spec.prefix: Forbidden: must not start with x"],
    ),
    (
        "rule default message",
        r#"{"size": 1, "aliases": ["a", "b", "c"]}"#,
        &["spec.aliases: Invalid value: \"array\": failed rule: size(self) <= 2"],
    ),
    (
        "transition rule skipped on create",
        r#"{"size": 1, "mode": "fast"}"#,
        &[],
    ),
    (
        "rules run beside bounds",
        r#"{"size": 11, "minReplicas": 7}"#,
        &[
            "spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10",
            "spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas",
        ],
    ),
    (
        "embedded needs kind",
        r#"{"size": 1, "template": {"apiVersion": "v1", "spec": {}}}"#,
        &[
            "spec.template.kind: Required value: must not be empty",
            NOT_CHECKED,
        ],
    ),
    (
        "embedded ok",
        r#"{"size": 1, "template": {"apiVersion": "v1", "kind": "Pod", "spec": {"x": 1}}}"#,
        &[],
    ),
];

/// Update: the old spec, the new spec, and the apiserver's errors.
const UPDATE: &[(&str, &str, &str, &[&str])] = &[
    (
        "immutable kept",
        r#"{"size": 1, "mode": "fast"}"#,
        r#"{"size": 2, "mode": "fast"}"#,
        &[],
    ),
    (
        "immutable changed",
        r#"{"size": 1, "mode": "fast"}"#,
        r#"{"size": 1, "mode": "slow"}"#,
        &["spec.mode: Invalid value: \"string\": mode is immutable"],
    ),
    (
        "list-map item changed",
        r#"{"size": 1, "ports": [{"name": "a", "port": 80}]}"#,
        r#"{"size": 1, "ports": [{"name": "a", "port": 81}]}"#,
        &["spec.ports[0].port: Invalid value: \"integer\": port is immutable"],
    ),
    (
        "list-map items reordered and added",
        r#"{"size": 1, "ports": [{"name": "a", "port": 80}, {"name": "b", "port": 90}]}"#,
        r#"{"size": 1, "ports": [{"name": "c", "port": 70}, {"name": "b", "port": 90}, {"name": "a", "port": 80}]}"#,
        &[],
    ),
    (
        "optional old self on update",
        r#"{"size": 1, "lock": "open"}"#,
        r#"{"size": 1, "lock": "locked"}"#,
        &[],
    ),
    (
        "immutable set later",
        r#"{"size": 1}"#,
        r#"{"size": 1, "mode": "slow"}"#,
        &[],
    ),
];

fn messages(result: Result<Value, Error>) -> Vec<String> {
    match result {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(invalid)) => invalid.messages(),
        Err(other) => vec![format!("not checked: {other}")],
    }
}

fn spec(text: &str) -> Value {
    serde_json::from_str(text).expect("table specs are JSON")
}

#[test]
fn create_table_matches_the_apiserver() {
    let crd = crd();
    for (name, object, expected) in CREATE {
        let got = messages(testing::validate(&crd, "v1", &probe(spec(object))));
        assert_eq!(got, *expected, "case {name:?}");
    }
}

#[test]
fn update_table_matches_the_apiserver() {
    let crd = crd();
    for (name, old, new, expected) in UPDATE {
        let result = testing::validate_update(&crd, "v1", &probe(spec(new)), &probe(spec(old)));
        assert_eq!(messages(result), *expected, "case {name:?}");
    }
}

#[test]
fn accepted_objects_come_back_pruned_and_defaulted_without_status() {
    let mut object = probe(json!({"size": 2, "color": "red", "name": null}));
    object["status"] = json!({"ready": true});
    let stored = testing::validate(&crd(), "v1", &object).expect("valid");
    assert_eq!(
        stored["spec"],
        json!({"size": 2, "minReplicas": 0, "maxReplicas": 5})
    );
    assert_eq!(stored.get("status"), None);
}

#[test]
fn the_whole_refusal_prints_like_kubectl() {
    let one = testing::validate(&crd(), "v1", &probe(json!({"size": 11}))).unwrap_err();
    assert_eq!(
        one.to_string(),
        r#"The Probe "p" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"#
    );
    let two = testing::validate(&crd(), "v1", &probe(json!({}))).unwrap_err();
    assert_eq!(
        two.to_string(),
        format!("The Probe \"p\" is invalid: \n* spec.size: Required value\n* {NOT_CHECKED}")
    );
}

#[test]
fn validate_object_picks_the_crd_of_the_object() {
    let crds = kubeforge::crds().unwrap();
    let error = testing::validate_object(&crds, &probe(json!({"size": 11}))).unwrap_err();
    assert_eq!(
        error.invalid().map(|i| i.messages()),
        Some(vec![
            "spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"
                .to_owned()
        ])
    );
    let mut unknown = probe(json!({}));
    unknown["apiVersion"] = json!("other.test/v1");
    assert!(matches!(
        testing::validate_object(&crds, &unknown),
        Err(Error::WrongObject { .. })
    ));
}

#[test]
fn objects_of_another_kind_or_version_are_not_checked() {
    let crd = crd();
    let mut other = probe(json!({"size": 1}));
    other["kind"] = json!("Other");
    assert!(matches!(
        testing::validate(&crd, "v1", &other),
        Err(Error::WrongObject { .. })
    ));
    let error = testing::validate(&crd, "v2", &probe(json!({"size": 1}))).unwrap_err();
    assert_eq!(
        error.to_string(),
        "CRD probes.validate.kubeforge.test has no version v2 (it has v1)"
    );
}

/// Scaled has a scale subresource and no rules, as a kubebuilder deploy-image kind.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "validate.kubeforge.test",
    version = "v1",
    kind = "Scaled",
    namespaced,
    status = "ProbeStatus"
)]
#[crd(scale(spec_path = ".spec.size", status_path = ".status.replicas"))]
pub struct ScaledSpec {
    #[crd(maximum = 10)]
    pub size: i32,
}

/// What kube-apiserver v1.33 answers for a kind like `Scaled` (checked on the memcached
/// example's CRD, which has the same shape).
#[test]
fn without_rules_nothing_is_unchecked_and_scale_reads_replicas() {
    let crd = kubeforge::crds()
        .unwrap()
        .into_iter()
        .find(|c| c.spec.names.kind == "Scaled")
        .unwrap();
    let scaled = |spec: Value| {
        let object = json!({
            "apiVersion": "validate.kubeforge.test/v1",
            "kind": "Scaled",
            "metadata": {"name": "s"},
            "spec": spec,
        });
        messages(testing::validate(&crd, "v1", &object))
    };
    assert_eq!(scaled(json!({})), ["spec.size: Required value"]);
    assert_eq!(
        scaled(json!({"size": "three"})),
        [
            "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"",
            ".spec.size: Invalid value: 0: .spec.size accessor error: three is of the type string, expected int64",
        ]
    );
    assert_eq!(
        scaled(json!({"size": -1})),
        [".spec.size: Invalid value: -1: should be a non-negative integer"]
    );
}

/// Sorted uses a Kubernetes CEL library function the `cel` crate lacks.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "validate.kubeforge.test",
    version = "v1",
    kind = "Sorted",
    namespaced
)]
pub struct SortedSpec {
    #[crd(validation(rule = "self.isSorted()"))]
    pub tags: Vec<String>,
}

#[test]
fn kubernetes_only_cel_functions_are_reported_not_passed() {
    let crd = kubeforge::crds()
        .unwrap()
        .into_iter()
        .find(|c| c.spec.names.kind == "Sorted")
        .unwrap();
    let object = json!({
        "apiVersion": "validate.kubeforge.test/v1",
        "kind": "Sorted",
        "metadata": {"name": "s"},
        "spec": {"tags": ["a", "b"]},
    });
    assert_eq!(
        messages(testing::validate(&crd, "v1", &object)),
        [
            "spec.tags: Internal error: rule \"self.isSorted()\" calls isSorted(), which offline validation does not support (the apiserver does)"
        ]
    );
}

/// Replays both tables against a real apiserver when `KUBEFORGE_TEST_KUBECONFIG` names a
/// kubeconfig (it needs `kubectl` on the PATH); skipped otherwise. Errors are compared as
/// sets: the apiserver walks properties in Go map order.
#[test]
fn live_apiserver_agrees() {
    let Ok(kubeconfig) = std::env::var("KUBEFORGE_TEST_KUBECONFIG") else {
        eprintln!(
            "skipped: set KUBEFORGE_TEST_KUBECONFIG to replay the tables against an apiserver"
        );
        return;
    };
    let kubectl = |args: &[&str], input: &Value| -> (bool, String) {
        use std::io::Write;
        let mut child = std::process::Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", &kubeconfig)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("kubectl runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.to_string().as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let crd = serde_json::to_value(crd()).unwrap();
    assert!(kubectl(&["apply", "-f", "-"], &crd).0, "the CRD applies");
    let (ok, err) = kubectl(
        &[
            "wait",
            "--for",
            "condition=established",
            "crd/probes.validate.kubeforge.test",
        ],
        &Value::Null,
    );
    assert!(ok, "{err}");
    let answer = |ok: bool, stderr: &str| -> Vec<String> {
        if ok {
            return Vec::new();
        }
        let rest = stderr
            .trim_end()
            .split_once(" is invalid: ")
            .map_or(stderr, |(_, r)| r);
        let mut lines: Vec<String> = match rest.strip_prefix('\n') {
            Some(list) => list
                .lines()
                .map(|l| l.trim_start_matches("* ").to_owned())
                .collect(),
            None => vec![rest.trim().to_owned()],
        };
        lines.sort();
        lines
    };
    let sorted = |expected: &[&str]| {
        let mut v: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    let delete = || {
        kubectl(
            &[
                "delete",
                "probes.validate.kubeforge.test",
                "p",
                "-n",
                "default",
                "--ignore-not-found",
            ],
            &Value::Null,
        )
    };
    let (ok, err) = delete();
    assert!(ok, "{err}");
    let mut differ = Vec::new();
    for (name, object, expected) in CREATE {
        let (ok, stderr) = kubectl(
            &["create", "--validate=false", "-f", "-"],
            &probe(spec(object)),
        );
        delete();
        if answer(ok, &stderr) != sorted(expected) {
            differ.push(format!("{name}: apiserver said {stderr:?}"));
        }
    }
    for (name, old, new, expected) in UPDATE {
        let (created, stderr) = kubectl(
            &["create", "--validate=false", "-f", "-"],
            &probe(spec(old)),
        );
        assert!(created, "{name}: old object: {stderr}");
        let (ok, stderr) = kubectl(
            &["replace", "--validate=false", "-f", "-"],
            &probe(spec(new)),
        );
        delete();
        if answer(ok, &stderr) != sorted(expected) {
            differ.push(format!("{name}: apiserver said {stderr:?}"));
        }
    }
    kubectl(&["delete", "-f", "-"], &crd);
    let total = CREATE.len() + UPDATE.len();
    eprintln!(
        "{} of {total} cases match the apiserver",
        total - differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
