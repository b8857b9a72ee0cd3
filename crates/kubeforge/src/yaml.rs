//! YAML emission in controller-gen's style, and reading YAML back.
//!
//! # Why serde-saphyr
//!
//! `serde_yaml` is deprecated, and it writes strings such as `on`, `off`, `yes`, `no`,
//! `y` and `n` unquoted. Kubernetes reads manifests with YAML 1.1 rules, where those
//! words are booleans, so an enum value `"on"` would silently become `true`.
//! serde-saphyr (with its default `yaml_12: false`) quotes every string that a YAML 1.1
//! or YAML 1.2 reader would resolve to something other than a string: `"True"`,
//! `"yes"`, `"n"`, `"null"`, `"~"`, `"1"`, `"1.5"`, `"0x1f"`, `"1_000"`, `"12:30"`,
//! `"2001-12-14"`, `""` and so on, keys included. It quotes with double quotes, like
//! controller-gen does for such strings.
//!
//! # Options chosen
//!
//! - `indent_step: 2` and `compact_list_indent: true` (both defaults): sequence items
//!   sit at their parent key's indent (`versions:\n- name: v1`), as in controller-gen.
//! - `empty_as_braces` left at its default (`true`): empty maps are `{}`, empty lists
//!   `[]`.
//! - `prefer_block_scalars: false`: serde-saphyr's automatic mode folds single-line
//!   strings longer than `folded_wrap_chars` into `>` blocks, whereas controller-gen
//!   writes a long single-line string on one line however long it is. With the
//!   automatic mode off, the block style of multi-line strings is chosen here instead
//!   (see below), and single-line strings are always plain or double-quoted scalars.
//!   `folded_wrap_chars` is also set to its maximum so that nothing is ever folded.
//! - `quote_all: false`, `yaml_12: false` (defaults): quote only what needs it, and
//!   judge "needs it" by YAML 1.1 as well as 1.2 rules.
//!
//! # Pre-processing of the value
//!
//! The value is serialised through a small wrapper ([`Node`]) that walks the
//! `serde_json::Value` and, for each string value:
//!
//! - with a newline, and no line ending in a space or tab: wraps it in serde-saphyr's
//!   [`LitStr`], which writes a literal block: `|-` when the string does not end with a
//!   newline, `|` when it ends with exactly one, `|+` when it ends with several (and
//!   `|2-` style indentation indicators when the first line starts with a space);
//! - with a newline and a line ending in whitespace: wraps it in [`DoubleQuoted`], so
//!   that the output never has trailing spaces (the same fallback as the Go YAML
//!   emitter used by controller-gen, which refuses block scalars with trailing
//!   whitespace); strings serde-saphyr cannot put in a block (`\r`, control
//!   characters) are double-quoted by serde-saphyr itself;
//! - otherwise: a plain string, which serde-saphyr writes plain when safe and
//!   double-quoted when not.
//!
//! Map keys are written in the order the `serde_json::Map` iterates them: sorted when
//! `serde_json`'s `preserve_order` feature is off (controller-gen's order), insertion
//! order when it is on.
//!
//! # Known differences from controller-gen
//!
//! - Strings that need quoting only because of their syntax (`*a`, `a: b`, `- x`,
//!   `a #b`, a trailing space) are double-quoted here; the Go emitter single-quotes
//!   them (`'*a'`). Both read back as the same string. The one-character strings `-`,
//!   `.` and `#` are single-quoted by serde-saphyr.
//! - A float with no fractional part (`1.0` in a `serde_json::Value`) is written `1.0`,
//!   keeping its JSON type on a round trip; controller-gen writes such values `1`.
//!
//! # Reading
//!
//! [`from_str_multi`] reads with serde-saphyr's default (YAML 1.1
//! compatible) scalar resolution, as Kubernetes does, with larger resource budgets
//! than the defaults so that big CRD bundles and deeply nested schemas are accepted.
//! Empty documents (and documents that are only `null`) are skipped.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use serde_saphyr::{DoubleQuoted, LitStr, SerializerOptions};

/// Errors from writing or reading YAML.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    /// A value could not be written as YAML.
    #[error("cannot write {what} as YAML: {source}")]
    Serialize {
        /// Which document failed, e.g. `document 2 of 3`.
        what: String,
        /// The underlying serde-saphyr error.
        #[source]
        source: serde_saphyr::SerializeError,
    },
    /// YAML text could not be read.
    #[error("cannot read YAML: {source}")]
    Parse {
        /// The underlying serde-saphyr error, with the location of the problem.
        #[source]
        source: serde_saphyr::Error,
    },
}

/// Serialises one document controller-gen style: keys as given by the Value
/// (serde_json::Map without preserve_order is sorted), 2-space indent, sequence items at
/// their parent key's indent, multi-line strings as `|-` literal blocks (or `|` when
/// they end with a newline), long single-line strings not folded, empty maps `{}` and
/// empty lists `[]`, strings that YAML 1.1 would read as something else quoted, no
/// trailing spaces. The result ends with a newline and has no leading `---`.
pub fn to_yaml(value: &Value) -> Result<String, YamlError> {
    serialize_one(value, "document")
}

/// `---\n` + [`to_yaml`], the shape of one file written by controller-gen.
pub fn to_document(value: &Value) -> Result<String, YamlError> {
    let body = serialize_one(value, "document")?;
    let mut out = String::with_capacity(body.len() + 4);
    out.push_str("---\n");
    out.push_str(&body);
    Ok(out)
}

/// Several documents in one file, each led by `---\n`.
pub fn to_documents(values: &[Value]) -> Result<String, YamlError> {
    let mut out = String::new();
    for (index, value) in values.iter().enumerate() {
        let what = format!("document {} of {}", index + 1, values.len());
        out.push_str("---\n");
        out.push_str(&serialize_one(value, &what)?);
    }
    Ok(out)
}

/// Parses YAML (one or more documents) into JSON values, for tests and for reading
/// manifests back. Empty documents and documents holding only `null` are skipped.
pub fn from_str_multi(text: &str) -> Result<Vec<Value>, YamlError> {
    // The parser recurses once per nesting level; run it on a thread with a stack large
    // enough for `MAX_READ_DEPTH` levels even in unoptimised builds, so that deep input
    // gets a depth error rather than a stack overflow.
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("kubeforge-yaml-read".to_owned())
            .stack_size(READ_STACK_BYTES)
            .spawn_scoped(scope, || parse_multi(text))
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: parse here, within this thread's stack.
            Err(_) => parse_multi(text),
        }
    })
}

/// Deepest nesting of collections [`from_str_multi`] accepts.
const MAX_READ_DEPTH: usize = 1024;
/// Stack for the reading thread: about 22 KiB a level in debug builds, with a margin.
const READ_STACK_BYTES: usize = 64 << 20;

fn parse_multi(text: &str) -> Result<Vec<Value>, YamlError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_READ_DEPTH,
            max_documents: 1 << 20,
            max_nodes: 50_000_000,
            max_events: 100_000_000,
        },
    };
    serde_saphyr::from_multiple_with_options::<Value>(text, options)
        .map_err(|source| YamlError::Parse { source })
}

/// The serializer options used for every document (see the module documentation).
fn options() -> SerializerOptions {
    serde_saphyr::ser_options! {
        indent_step: 2,
        compact_list_indent: true,
        prefer_block_scalars: false,
        folded_wrap_chars: usize::MAX,
        quote_all: false,
        yaml_12: false,
    }
}

fn serialize_one(value: &Value, what: &str) -> Result<String, YamlError> {
    serde_saphyr::to_string_with_options(&Node(value), options()).map_err(|source| {
        YamlError::Serialize {
            what: what.to_owned(),
            source,
        }
    })
}

/// A `serde_json::Value` seen through the style choices of this module: multi-line
/// strings become literal blocks, or double-quoted scalars when a line ends in
/// whitespace.
struct Node<'a>(&'a Value);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::String(s) => serialize_string(s, serializer),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, item) in map {
                    out.serialize_entry(key.as_str(), &Node(item))?;
                }
                out.end()
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => self.0.serialize(serializer),
        }
    }
}

fn serialize_string<S: Serializer>(s: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if !s.contains('\n') {
        return serializer.serialize_str(s);
    }
    let trailing_whitespace = s.split('\n').any(|line| line.ends_with([' ', '\t']));
    if trailing_whitespace {
        DoubleQuoted(s).serialize(serializer)
    } else {
        LitStr(s).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LONG: &str = "This is a very long single-line description that controller-gen writes on one line, however long it is, because the Go YAML emitter it uses no longer wraps lines at eighty columns.";

    fn crd_like() -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {
                "annotations": {"kubeforge/version": "v0.1.0"},
                "name": "sailors.crew.testproject.org",
            },
            "spec": {
                "group": "crew.testproject.org",
                "names": {"kind": "Sailor", "listKind": "SailorList", "shortNames": []},
                "versions": [{
                    "name": "v1",
                    "schema": {"openAPIV3Schema": {
                        "description": "Sailor is the Schema for the sailors API.\nSecond line, with: a colon # and a hash.",
                        "properties": {
                            "count": {"default": 1, "maximum": 1.5, "type": "integer"},
                            "long": {"description": LONG, "type": "string"},
                            "mode": {"enum": ["True", "False", "on", "off", "yes", "no", "y", "n", "null", "~", "1", "1.5", "0x1f", "2001-12-14", "Unknown"], "type": "string"},
                            "opaque": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                            "tricky": {"example": ["a: b # c", "*star", "&amp", "!bang", "-dash", "[bracket", "{brace", "'single", "\"double", "trail  ", "ünïcødé ✓", "with\ttab", "ends with newline\n"]},
                        },
                        "required": ["mode"],
                        "type": "object",
                    }},
                    "served": true,
                    "storage": false,
                    "subresources": {"status": {}},
                    "deprecationWarning": null,
                }],
            },
        })
    }

    const CRD_LIKE_YAML: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    kubeforge/version: v0.1.0
  name: sailors.crew.testproject.org
spec:
  group: crew.testproject.org
  names:
    kind: Sailor
    listKind: SailorList
    shortNames: []
  versions:
  - deprecationWarning: null
    name: v1
    schema:
      openAPIV3Schema:
        description: |-
          Sailor is the Schema for the sailors API.
          Second line, with: a colon # and a hash.
        properties:
          count:
            default: 1
            maximum: 1.5
            type: integer
          long:
            description: This is a very long single-line description that controller-gen writes on one line, however long it is, because the Go YAML emitter it uses no longer wraps lines at eighty columns.
            type: string
          mode:
            enum:
            - "True"
            - "False"
            - "on"
            - "off"
            - "yes"
            - "no"
            - "y"
            - "n"
            - "null"
            - "~"
            - "1"
            - "1.5"
            - "0x1f"
            - "2001-12-14"
            - Unknown
            type: string
          opaque:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          tricky:
            example:
            - "a: b # c"
            - "*star"
            - "&amp"
            - "!bang"
            - -dash
            - "[bracket"
            - "{brace"
            - "'single"
            - "\"double"
            - "trail  "
            - ünïcødé ✓
            - "with\ttab"
            - |
              ends with newline
        required:
        - mode
        type: object
    served: true
    storage: false
    subresources:
      status: {}
"#;

    /// Every value the tests feed through the emitter, for the round-trip property.
    fn samples() -> Vec<Value> {
        let mut out = vec![
            crd_like(),
            controller_gen_excerpt(),
            json!({}),
            json!([]),
            json!({"a": {}, "b": [], "c": [{}], "d": [[]], "e": [[1, 2], []]}),
            json!({"i": 1, "neg": -7, "big": u64::MAX, "small": i64::MIN, "f": 1.5, "whole": 1.0, "tiny": 1e-7, "huge": 1e300}),
            json!({"t": true, "f": false, "n": null}),
            json!("top-level string"),
            json!(42),
            json!({"multi": "a\nb", "multi-nl": "a\nb\n", "multi-nls": "a\nb\n\n", "blank-middle": "a\n\nb"}),
            json!({"indented": "  lead\nnext", "trailing-ws-line": "a  \nb", "trailing-tab": "a\t\nb", "crlf": "a\r\nb", "only-nl": "\n", "two-nl": "\n\n"}),
            json!({"key: colon": 1, "yes": 2, "1": 3, "": 4, "-": 5, "#": 6, "trail ": 7, "multi\nline key": 8}),
            json!({"ctrl": "bell\u{7}", "nul": "a\u{0}b", "bom": "\u{FEFF}x", "ls": "a\u{2028}b"}),
            json!({"timestamp": "2001-12-14t21:59:43.10-05:00", "sexagesimal": "1:20", "underscore": "1_000", "dot-inf": ".inf", "nan": ".NaN", "octal": "0o17", "exp": "1e3", "plus": "+1"}),
            json!({"doc-start": "--- x", "doc-end": "...", "merge": "<<", "pct": "%x", "at": "@x", "backtick": "`x", "pipe": "|x", "gt": ">x", "question": "? x", "comma": ",x", "colon-end": "x:", "colon-start": ":x"}),
            json!({"long": LONG, "long-with-colon": format!("{LONG}: {LONG}"), "long-no-space": "x".repeat(300)}),
        ];
        for word in TRICKY_WORDS {
            out.push(json!({ "v": word, "list": [word], *word: word }));
        }
        out
    }

    const TRICKY_WORDS: &[&str] = &[
        "True",
        "False",
        "true",
        "TRUE",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "on",
        "On",
        "off",
        "OFF",
        "y",
        "Y",
        "n",
        "N",
        "null",
        "Null",
        "NULL",
        "~",
        "1",
        "-1",
        "+1",
        "1.5",
        ".5",
        "1e10",
        "0x1f",
        "0o17",
        "017",
        "0b101",
        "1_000",
        "2001-12-14",
        "2001-12-14 21:59:43",
        "12:30:00",
        ".inf",
        "-.inf",
        ".nan",
        "nan",
        "inf",
        "=",
        "<<",
        "",
    ];

    fn controller_gen_excerpt() -> Value {
        json!({"spec": {
            "group": "crew.testproject.org",
            "names": {"kind": "Sailor", "listKind": "SailorList"},
            "versions": [{
                "name": "v1",
                "schema": {"openAPIV3Schema": {
                    "description": "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and",
                    "properties": {"status": {"enum": ["True", "False", "Unknown"], "type": "string"}},
                    "type": "object",
                }},
                "served": true,
                "subresources": {"status": {}},
            }],
        }})
    }

    const CONTROLLER_GEN_EXCERPT: &str = r#"spec:
  group: crew.testproject.org
  names:
    kind: Sailor
    listKind: SailorList
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        description: |-
          APIVersion defines the versioned schema of this representation of an object.
          Servers should convert recognized schemas to the latest internal value, and
        properties:
          status:
            enum:
            - "True"
            - "False"
            - Unknown
            type: string
        type: object
    served: true
    subresources:
      status: {}
"#;

    #[test]
    fn golden_crd_like() {
        assert_eq!(to_yaml(&crd_like()).unwrap(), CRD_LIKE_YAML);
    }

    #[test]
    fn golden_controller_gen_excerpt_is_byte_identical() {
        assert_eq!(
            to_yaml(&controller_gen_excerpt()).unwrap(),
            CONTROLLER_GEN_EXCERPT
        );
    }

    #[test]
    fn golden_scalars() {
        let value = json!({
            "b": true, "bf": false, "f": 1.5, "i": 1, "n": null, "neg": -3, "s": "plain text",
        });
        assert_eq!(
            to_yaml(&value).unwrap(),
            "b: true\nbf: false\nf: 1.5\ni: 1\n\"n\": null\nneg: -3\ns: plain text\n"
        );
    }

    #[test]
    fn golden_empty_collections() {
        assert_eq!(to_yaml(&json!({})).unwrap(), "{}\n");
        assert_eq!(to_yaml(&json!([])).unwrap(), "[]\n");
        assert_eq!(
            to_yaml(&json!({"a": {}, "b": [], "c": [{}, []]})).unwrap(),
            "a: {}\nb: []\nc:\n- {}\n- []\n"
        );
    }

    #[test]
    fn golden_lists_of_maps_and_nested_lists() {
        let value =
            json!({"items": [{"a": 1, "b": {"c": [1, 2]}}, {"d": "x"}], "nested": [[1, 2], ["a"]]});
        assert_eq!(
            to_yaml(&value).unwrap(),
            "items:\n- a: 1\n  b:\n    c:\n    - 1\n    - 2\n- d: x\nnested:\n- - 1\n  - 2\n- - a\n"
        );
    }

    #[test]
    fn golden_multiline_strings() {
        let value = json!({
            "clip": "a\nb\n",
            "keep": "a\nb\n\n",
            "strip": "a\n\nb",
            "indented": "  a\nb",
            "trailing": "a \nb",
            "cr": "a\r\nb",
        });
        assert_eq!(
            to_yaml(&value).unwrap(),
            concat!(
                "clip: |\n  a\n  b\n",
                "cr: \"a\\r\\nb\"\n",
                "indented: |2-\n    a\n  b\n",
                "keep: |+\n  a\n  b\n\n",
                "strip: |-\n  a\n\n  b\n",
                "trailing: \"a \\nb\"\n",
            )
        );
        // In a list item's map, the block is indented relative to the key.
        assert_eq!(
            to_yaml(&json!([{"d": "x\ny"}])).unwrap(),
            "- d: |-\n    x\n    y\n"
        );
    }

    #[test]
    fn golden_long_line_is_not_folded() {
        let long = "word ".repeat(40).trim_end().to_owned();
        assert_eq!(long.len(), 199);
        let long = format!("{long}!");
        assert_eq!(long.len(), 200);
        assert_eq!(
            to_yaml(&json!({"description": long})).unwrap(),
            format!("description: {long}\n")
        );
    }

    #[test]
    fn golden_tricky_strings_are_quoted() {
        for word in TRICKY_WORDS {
            let out = to_yaml(&json!([word])).unwrap();
            assert_eq!(out, format!("- \"{word}\"\n"), "{word:?}");
        }
    }

    #[test]
    fn golden_indicator_strings() {
        let cases = [
            ("*a", "\"*a\""),
            ("&a", "\"&a\""),
            ("!a", "\"!a\""),
            ("-a", "-a"),
            ("- a", "\"- a\""),
            ("-", "'-'"),
            ("[a]", "\"[a]\""),
            ("{a}", "\"{a}\""),
            ("'a'", "\"'a'\""),
            ("\"a\"", "\"\\\"a\\\"\""),
            ("a: b", "\"a: b\""),
            ("a:b", "a:b"),
            ("a #b", "\"a #b\""),
            ("a#b", "a#b"),
            ("trailing ", "\"trailing \""),
            (" leading", "\" leading\""),
            ("ünïcødé ✓ 日本", "ünïcødé ✓ 日本"),
            ("^[a-z]+$", "^[a-z]+$"),
            ("self.a == 'x'", "self.a == 'x'"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                to_yaml(&json!({ "k": input })).unwrap(),
                format!("k: {expected}\n"),
                "{input:?}"
            );
        }
    }

    #[test]
    fn no_trailing_spaces_anywhere() {
        for value in samples() {
            let out = to_yaml(&value).unwrap();
            for line in out.lines() {
                assert!(
                    !line.ends_with([' ', '\t']),
                    "trailing whitespace in {line:?} of\n{out}"
                );
            }
            assert!(out.ends_with('\n'));
        }
    }

    #[test]
    fn round_trip() {
        for value in samples() {
            let text = to_yaml(&value).unwrap();
            let back = from_str_multi(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back, vec![value.clone()], "\n{text}");

            let doc = to_document(&value).unwrap();
            assert_eq!(from_str_multi(&doc).unwrap(), vec![value]);
        }
    }

    #[test]
    fn round_trip_of_null_document_is_empty() {
        // A document holding only `null` is skipped when reading, like an empty one.
        assert_eq!(to_yaml(&Value::Null).unwrap(), "null\n");
        assert_eq!(from_str_multi("null\n").unwrap(), Vec::<Value>::new());
    }

    #[test]
    fn deterministic() {
        for value in samples() {
            let first = to_yaml(&value).unwrap();
            let second = to_yaml(&value.clone()).unwrap();
            assert_eq!(first.as_bytes(), second.as_bytes());
        }
        let all = samples();
        assert_eq!(to_documents(&all).unwrap(), to_documents(&all).unwrap());
    }

    #[test]
    fn document_shapes() {
        let value = json!({"a": 1});
        assert_eq!(to_document(&value).unwrap(), "---\na: 1\n");
        assert_eq!(
            to_documents(&[json!({"a": 1}), json!({"b": [true]})]).unwrap(),
            "---\na: 1\n---\nb:\n- true\n"
        );
        assert_eq!(to_documents(&[]).unwrap(), "");
    }

    #[test]
    fn many_documents_round_trip() {
        let all: Vec<Value> = samples()
            .into_iter()
            .filter(|v| v.is_object() || v.is_array())
            .collect();
        let text = to_documents(&all).unwrap();
        assert_eq!(from_str_multi(&text).unwrap(), all);
    }

    #[test]
    fn reads_kubernetes_style_yaml() {
        let text = "---\n# comment\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"1\"\n  b: yes\n---\n---\nkind: Second\nlist:\n  - x\n  - y\n";
        assert_eq!(
            from_str_multi(text).unwrap(),
            vec![
                json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "1", "b": true}}),
                // YAML 1.1, as Kubernetes reads it: a plain `y` is a boolean.
                json!({"kind": "Second", "list": ["x", true]}),
            ]
        );
    }

    #[test]
    fn deep_nesting_round_trips() {
        let mut value = json!("leaf");
        for i in 0..200 {
            value = if i % 2 == 0 {
                json!({ "properties": value })
            } else {
                json!([value])
            };
        }
        let text = to_yaml(&value).unwrap();
        assert_eq!(from_str_multi(&text).unwrap(), vec![value]);
    }

    #[test]
    fn too_deep_input_is_an_error_not_a_crash() {
        let mut text = String::new();
        for level in 0..MAX_READ_DEPTH + 10 {
            text.push_str(&"  ".repeat(level));
            text.push_str("a:\n");
        }
        text.push_str(&"  ".repeat(MAX_READ_DEPTH + 10));
        text.push_str("leaf\n");
        assert!(matches!(
            from_str_multi(&text),
            Err(YamlError::Parse { .. })
        ));
    }

    #[test]
    fn parse_errors_are_reported() {
        for bad in [
            "a: [1, 2\n",
            "a: b\n c: d\n  - e\n",
            "\"unterminated\n",
            "a: 1\na: 2\n",
        ] {
            let err = from_str_multi(bad).unwrap_err();
            assert!(matches!(err, YamlError::Parse { .. }), "{bad:?}");
            assert!(err.to_string().starts_with("cannot read YAML: "), "{err}");
        }
    }
}
