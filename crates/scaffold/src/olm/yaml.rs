//! YAML in the style operator-sdk writes bundles (Go's sigs.k8s.io/yaml): keys sorted, sequence
//! items at their parent key's indent, multi-line strings as `|-` literal blocks, long strings
//! never folded, YAML 1.1 look-alikes (`on`, `yes`, `1.0`) quoted: `crate::yaml::manifest_options`,
//! plus the sorting and literal blocks Go's writer has.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use serde_saphyr::{DoubleQuoted, LitStr};

/// One document, without a leading `---`, ending with a newline.
pub fn to_yaml(value: &Value) -> Result<String, serde_saphyr::SerializeError> {
    serde_saphyr::to_string_with_options(&Node(value), crate::yaml::manifest_options())
}

struct Node<'a>(&'a Value);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::String(s) if s.contains('\n') => {
                // Go's emitter refuses block scalars with trailing whitespace; so do we.
                if s.split('\n').any(|l| l.ends_with([' ', '\t'])) {
                    DoubleQuoted(s).serialize(serializer)
                } else {
                    LitStr(s).serialize(serializer)
                }
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                // Sorted whatever serde_json's `preserve_order` says: Go writes maps sorted.
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = serializer.serialize_map(Some(entries.len()))?;
                for (key, item) in entries {
                    out.serialize_entry(key.as_str(), &Node(item))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}
