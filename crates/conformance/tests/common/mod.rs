//! The conformance harness: generated CRD vs the controller-gen fixture, as parsed documents.

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

/// A subtree left out of the comparison, and why exact equality is impossible there.
pub struct Difference {
    /// JSON pointer into the CRD.
    pub pointer: &'static str,
    pub reason: &'static str,
}

pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

pub fn load_fixture(relative: &str) -> Value {
    let path = fixture_path(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs = kubeforge::yaml::from_str_multi(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{relative} holds one CRD");
    docs.remove(0)
}

pub fn assert_matches_fixture(relative: &str, differences: &[Difference]) {
    assert_matches_fixture_with(relative, kubeforge::GenerateOptions::default(), differences);
}

pub fn assert_matches_fixture_with(
    relative: &str,
    options: kubeforge::GenerateOptions,
    differences: &[Difference],
) {
    let mut expected = load_fixture(relative);
    let name = expected["metadata"]["name"]
        .as_str()
        .expect("fixture has a name")
        .to_owned();
    let crds =
        kubeforge::crds_with(&options).unwrap_or_else(|e| panic!("kubeforge::crds() failed: {e}"));
    let crd = crds
        .iter()
        .find(|c| c.metadata.name.as_deref() == Some(name.as_str()))
        .unwrap_or_else(|| panic!("no generated CRD named {name}"));
    let mut actual = kubeforge::crd_to_value(crd).expect("CRD serialises");
    let violations = kubeforge::structural::check_crd(&actual);
    assert!(
        violations.is_empty(),
        "{name} is not structural: {violations:#?}"
    );

    strip_annotation(&mut expected, "controller-gen.kubebuilder.io/version");
    strip_annotation(&mut actual, kubeforge::VERSION_ANNOTATION);
    for d in differences {
        let removed_expected = remove_pointer(&mut expected, d.pointer);
        let removed_actual = remove_pointer(&mut actual, d.pointer);
        assert!(
            removed_expected || removed_actual,
            "difference {} ({}) matches nothing: remove it from the list",
            d.pointer,
            d.reason
        );
    }
    pretty_assertions::assert_eq!(
        kubeforge::yaml::to_yaml(&expected).unwrap(),
        kubeforge::yaml::to_yaml(&actual).unwrap(),
        "generated CRD {name} differs from {relative} (left: fixture, right: kubeforge)"
    );
}

fn strip_annotation(crd: &mut Value, key: &str) {
    if let Some(annotations) = crd
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        annotations.remove(key);
        if annotations.is_empty() {
            crd["metadata"]
                .as_object_mut()
                .map(|m| m.remove("annotations"));
        }
    }
}

fn remove_pointer(value: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&last).is_some(),
        Some(Value::Array(list)) => match last.parse::<usize>() {
            Ok(i) if i < list.len() => {
                list.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}
