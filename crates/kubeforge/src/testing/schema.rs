//! Read access to one node of a CRD version's `openAPIV3Schema`, as JSON.

use serde_json::Value;

use crate::structural::{EMBEDDED, INT_OR_STRING, LIST_MAP_KEYS, LIST_TYPE, PRESERVE, VALIDATIONS};

/// One schema node; every accessor reads the keyword of the same name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a>(pub(crate) &'a Value);

impl<'a> Node<'a> {
    fn get(self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    fn flag(self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    pub(crate) fn type_name(self) -> &'a str {
        self.get("type").and_then(Value::as_str).unwrap_or("")
    }

    pub(crate) fn int_or_string(self) -> bool {
        self.flag(INT_OR_STRING)
    }

    pub(crate) fn nullable(self) -> bool {
        self.flag("nullable")
    }

    pub(crate) fn preserve_unknown_fields(self) -> bool {
        self.flag(PRESERVE)
    }

    pub(crate) fn embedded_resource(self) -> bool {
        self.flag(EMBEDDED)
    }

    pub(crate) fn default(self) -> Option<&'a Value> {
        self.get("default")
    }

    pub(crate) fn format(self) -> &'a str {
        self.get("format").and_then(Value::as_str).unwrap_or("")
    }

    pub(crate) fn string(self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    pub(crate) fn number(self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }

    pub(crate) fn count(self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    pub(crate) fn list(self, key: &str) -> &'a [Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn subschemas(self, key: &str) -> impl Iterator<Item = Node<'a>> {
        self.list(key).iter().map(Node)
    }

    pub(crate) fn properties(self) -> impl Iterator<Item = (&'a str, Node<'a>)> {
        self.get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), Node(v)))
    }

    pub(crate) fn has_properties(self) -> bool {
        self.get("properties").is_some()
    }

    pub(crate) fn property(self, name: &str) -> Option<Node<'a>> {
        self.get("properties")?.get(name).map(Node)
    }

    /// The schema of the values of a map (`additionalProperties: {schema}`).
    pub(crate) fn additional_properties(self) -> Option<Node<'a>> {
        self.get("additionalProperties")
            .filter(|v| v.is_object())
            .map(Node)
    }

    /// `additionalProperties: true`, which keeps unknown fields as they are.
    pub(crate) fn additional_properties_allowed(self) -> bool {
        self.get("additionalProperties") == Some(&Value::Bool(true))
    }

    pub(crate) fn items(self) -> Option<Node<'a>> {
        self.get("items").map(Node)
    }

    pub(crate) fn list_type(self) -> &'a str {
        self.string(LIST_TYPE).unwrap_or("")
    }

    pub(crate) fn list_map_keys(self) -> impl Iterator<Item = &'a str> {
        self.list(LIST_MAP_KEYS).iter().filter_map(Value::as_str)
    }

    pub(crate) fn rules(self) -> &'a [Value] {
        self.list(VALIDATIONS)
    }
}
