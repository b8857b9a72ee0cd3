//! YAML in and out as `serde_json::Value`, so bundle checks, packaging and the rendered
//! kustomize output work on one data model.

use serde_json::Value;

/// The non-empty documents of `text` (a file holding only `---` or comments has none).
pub fn documents(text: &str) -> Result<Vec<Value>, String> {
    serde_saphyr::from_multiple::<Value>(text)
        .map(|docs| docs.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(|e| e.to_string())
}

/// One document, written with 2-space indents and sequences under their key, as controller-gen
/// and operator-sdk write theirs. Map keys come out in `Value`'s order (sorted), so the text is
/// the same on every run.
pub fn to_string(value: &Value) -> Result<String, String> {
    let options = serde_saphyr::ser_options! {
        indent_step: 2,
        compact_list_indent: true,
        folded_wrap_chars: usize::MAX,
        yaml_12: false,
    };
    serde_saphyr::to_string_with_options(value, options).map_err(|e| e.to_string())
}

/// The writer settings of every manifest scaffold writes from objects (bundle, Helm chart): the
/// `kubeforge` library's choices, repeated so the CLI does not depend on kube. Two-space indent,
/// sequence items at their key's indent (controller-gen's layout), long strings never folded,
/// YAML 1.1 look-alikes (`on`, `yes`) quoted; multi-line strings are left to the caller.
pub fn manifest_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! {
        indent_step: 2,
        compact_list_indent: true,
        prefer_block_scalars: false,
        folded_wrap_chars: usize::MAX,
        quote_all: false,
        yaml_12: false,
    }
}

/// The value at a dot path of map keys (`spec.install.strategy`).
pub fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// The string at a dot path, if it is a string.
pub fn str_at<'a>(value: &'a Value, path: &str) -> Option<&'a str> {
    at(value, path).and_then(Value::as_str)
}
