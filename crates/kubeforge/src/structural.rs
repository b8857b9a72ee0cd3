//! Offline checks that a CustomResourceDefinition would be accepted by kube-apiserver.
//!
//! The rules mirror Kubernetes apiextensions-apiserver:
//!
//! - `pkg/apiserver/schema/validation.go` (`ValidateStructural`): the structural invariants
//!   (non-empty types, junctor restrictions, int-or-string and embedded-resource shapes, root
//!   metadata restrictions);
//! - `pkg/apiserver/schema/complete.go` (`validateStructuralCompleteness`): whatever a junctor
//!   names must also be specified outside of it;
//! - `pkg/apiserver/schema/convert.go` (`NewStructural`): keywords that cannot be converted;
//! - `pkg/apis/apiextensions/validation/validation.go`: CRD spec, names, versions,
//!   subresources, printer columns, selectable fields, list/map types, defaults and
//!   `x-kubernetes-validations`;
//! - the "Specifying a structural schema" section of the Kubernetes CRD documentation.
//!
//! A few checks are deliberately stricter than the apiserver because what they catch is always
//! a generator bug (an undeclared `required` entry, an enum value of the wrong type); their
//! comments say so. CEL expressions are not compiled and `pattern` regexes are not parsed.
//!
//! Input is only ever read through `get`/`as_*`, so malformed input produces violations and
//! never panics; recursion is bounded by [`MAX_DEPTH`].

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

type Obj = Map<String, Value>;

/// One rule broken, with the JSON path of the schema node (e.g.
/// `spec.versions[v1].schema.openAPIV3Schema.properties.spec.properties.size`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl Violation {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Whole-object violations (e.g. the size limit) have no path; print the message alone
        // rather than a dangling ": ".
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const PRESERVE: &str = "x-kubernetes-preserve-unknown-fields";
const EMBEDDED: &str = "x-kubernetes-embedded-resource";
const INT_OR_STRING: &str = "x-kubernetes-int-or-string";
const LIST_TYPE: &str = "x-kubernetes-list-type";
const LIST_MAP_KEYS: &str = "x-kubernetes-list-map-keys";
const MAP_TYPE: &str = "x-kubernetes-map-type";
const VALIDATIONS: &str = "x-kubernetes-validations";

/// Schema nesting deeper than this is reported instead of walked, so hostile input cannot
/// overflow the stack. Real CRDs (even ones embedding a whole PodSpec) stay far below it.
const MAX_DEPTH: usize = 128;

/// etcd's default request limit (`--max-request-bytes`, 1.5 MiB); a larger CRD cannot be stored.
const MAX_CRD_BYTES: usize = 1_572_864;

/// validation.go `MaxSelectableFields`.
const MAX_SELECTABLE_FIELDS: usize = 8;

/// `openapiV3Types` in validation.go.
const SCHEMA_TYPES: &[&str] = &["object", "array", "string", "integer", "number", "boolean"];

const SCALAR_TYPES: &[&str] = &["string", "integer", "number", "boolean"];

/// Every JSON field of the apiextensions `JSONSchemaProps` type. Anything else is an unknown
/// field, which the apiserver's strict field validation rejects.
const KNOWN_KEYS: &[&str] = &[
    "id",
    "$schema",
    "$ref",
    "description",
    "type",
    "format",
    "title",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "enum",
    "maxProperties",
    "minProperties",
    "required",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
    "additionalProperties",
    "patternProperties",
    "dependencies",
    "additionalItems",
    "definitions",
    "externalDocs",
    "example",
    "nullable",
    PRESERVE,
    EMBEDDED,
    INT_OR_STRING,
    LIST_MAP_KEYS,
    LIST_TYPE,
    MAP_TYPE,
    VALIDATIONS,
];

/// Fields of `JSONSchemaProps` that the apiserver nevertheless rejects
/// (validation.go `specStandardValidatorV3.validate`, convert.go `validateUnsupportedFields`).
const UNSUPPORTED_KEYS: &[(&str, &str)] = &[
    ("id", "schema ids are not supported"),
    (
        "$schema",
        "the meta-schema cannot be chosen; CRDs always use OpenAPI v3.0",
    ),
    (
        "$ref",
        "references are not supported; inline the referenced schema",
    ),
    ("definitions", "definitions are not supported; inline them"),
    ("patternProperties", "use additionalProperties for maps"),
    ("dependencies", "dependencies are not supported"),
    ("additionalItems", "additionalItems is not supported"),
];

/// Common JSON-Schema (draft 2019+/2020-12) keywords that schema generators emit but that are
/// not fields of `JSONSchemaProps` at all; the hint says what to do instead.
const FOREIGN_KEYS: &[(&str, &str)] = &[
    ("$defs", "definitions are not supported; inline them"),
    ("readOnly", "not supported; drop it"),
    ("writeOnly", "not supported; drop it"),
    ("const", "not supported; use a single-value enum"),
    (
        "prefixItems",
        "tuples are not supported; use a single items schema",
    ),
    ("examples", "not supported; use the singular example"),
];

/// Keys allowed at the root when the status subresource is enabled
/// (validation.go `allowedFieldsAtRootSchema`, spelled as JSON fields).
const STATUS_ROOT_KEYS: &[&str] = &[
    "description",
    "type",
    "format",
    "title",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "required",
    "items",
    "properties",
    "externalDocs",
    "example",
    PRESERVE,
    VALIDATIONS,
];

/// Fields of a `ValidationRule`.
const RULE_KEYS: &[&str] = &[
    "rule",
    "message",
    "messageExpression",
    "reason",
    "fieldPath",
    "optionalOldSelf",
];

/// validation.go `supportedValidationReason`.
const RULE_REASONS: &[&str] = &[
    "FieldValueInvalid",
    "FieldValueForbidden",
    "FieldValueRequired",
    "FieldValueDuplicate",
];

/// validation.go `printerColumnDatatypes`.
const PRINTER_TYPES: &[&str] = &["integer", "number", "string", "boolean", "date"];

/// validation.go `customResourceColumnDefinitionFormats`.
const PRINTER_FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "date",
    "date-time",
    "password",
];

/// Properties that make up the resource envelope of the root or an embedded resource.
const META_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn push(out: &mut Vec<Violation>, path: &str, message: impl Into<String>) {
    out.push(Violation::new(path, message));
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `path.properties.name`, or `path.properties[name]` when the name would make the dotted form
/// ambiguous (dots, brackets, spaces, ...).
fn prop_path(path: &str, name: &str) -> String {
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if simple {
        format!("{path}.properties.{name}")
    } else {
        format!("{path}.properties[{name}]")
    }
}

/// The node's `type`, if it is a non-empty string.
fn type_of(node: &Obj) -> Option<&str> {
    node.get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
}

fn is_true(node: &Obj, key: &str) -> bool {
    matches!(node.get(key), Some(Value::Bool(true)))
}

/// Whether a value differs from Go's zero value for its field (false, "", empty list/map and
/// null all count as "not set", like the apiserver's `reflect.DeepEqual` against zero).
fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

fn property<'a>(node: &'a Obj, name: &str) -> Option<&'a Value> {
    node.get("properties")?.as_object()?.get(name)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON has one number type; an OpenAPI integer is any number without a fraction
/// (go-openapi accepts `2.0` for `type: integer`).
fn is_integer(value: &Value) -> bool {
    value.is_i64()
        || value.is_u64()
        || value
            .as_f64()
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

fn value_has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => is_integer(value),
        // Unknown types are reported by the type rule; don't pile on.
        _ => true,
    }
}

fn has_newline(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

/// `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters (apimachinery `IsDNS1035Label`).
fn is_dns1035_label(s: &str) -> bool {
    s.len() <= 63
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
fn is_dns1123_label(s: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    s.len() <= 63
        && s.bytes().next().is_some_and(alnum)
        && s.bytes().last().is_some_and(alnum)
        && s.bytes().all(|b| alnum(b) || b == b'-')
}

/// Dot-separated DNS-1123 labels, at most 253 characters (apimachinery `IsDNS1123Subdomain`).
fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// The exact `anyOf: [{type: integer}, {type: string}]` shape that validation.go
/// (`intOrStringAnyOf`) lets keep `type` inside a junctor.
fn is_int_or_string_any_of(value: Option<&Value>) -> bool {
    let Some(Value::Array(list)) = value else {
        return false;
    };
    let only_type = |v: &Value, ty: &str| {
        v.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("type").and_then(Value::as_str) == Some(ty))
    };
    matches!(list.as_slice(), [int, string] if only_type(int, "integer") && only_type(string, "string"))
}

/// validation.go `isIntOrStringAllOfPattern`: `allOf[0]` holds the int-or-string `anyOf`.
fn all_of_starts_with_int_or_string(node: &Obj) -> bool {
    node.get("allOf")
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(Value::as_object)
        .is_some_and(|first| is_int_or_string_any_of(first.get("anyOf")))
}

// ---------------------------------------------------------------------------------------------
// Schema walk
// ---------------------------------------------------------------------------------------------

/// Where a structural node sits; validation.go's `level` (messages and root-only rules differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Root,
    Items,
    Field,
}

/// State inherited down the structural walk, like validation.go's `specStandardValidator`.
#[derive(Clone, Copy, Debug)]
struct Ctx {
    level: Level,
    depth: usize,
    /// Why `default` may not appear here (`withForbiddenDefaults`), if it may not.
    no_default: Option<&'static str>,
    /// Inside apiVersion/kind/metadata of the root or of an embedded resource
    /// (`withInsideResourceMeta`).
    in_resource_meta: bool,
}

impl Ctx {
    fn root() -> Self {
        Self {
            level: Level::Root,
            depth: 0,
            no_default: None,
            in_resource_meta: false,
        }
    }

    fn descend(self, level: Level) -> Self {
        Self {
            level,
            depth: self.depth + 1,
            ..self
        }
    }
}

/// Checks one `openAPIV3Schema` (the root of a version's schema). `path` prefixes every
/// violation, e.g. `spec.versions[v1].schema.openAPIV3Schema`.
pub fn check_schema(schema: &Value, path: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    check_structural(schema, path, Ctx::root(), &mut out);
    out
}

fn too_deep(depth: usize, path: &str, out: &mut Vec<Violation>) -> bool {
    if depth > MAX_DEPTH {
        push(
            out,
            path,
            format!("schema nests deeper than {MAX_DEPTH} levels; not checked further"),
        );
        return true;
    }
    false
}

/// Every schema node must be an object: `JSONSchemaProps` has no boolean-schema form.
fn schema_object<'a>(node: &'a Value, path: &str, out: &mut Vec<Violation>) -> Option<&'a Obj> {
    match node {
        Value::Object(obj) => Some(obj),
        Value::Bool(b) => {
            push(
                out,
                path,
                format!("schema must be an object; the boolean schema `{b}` is not supported"),
            );
            None
        }
        other => {
            push(
                out,
                path,
                format!("schema must be an object, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// A node of the structural skeleton (outside any junctor).
fn check_structural(node: &Value, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    if too_deep(ctx.depth, path, out) {
        return;
    }
    let Some(obj) = schema_object(node, path, out) else {
        return;
    };
    check_keywords(obj, path, out);
    check_type(obj, path, ctx.level, out);
    check_int_or_string(obj, path, out);
    check_object_shape(obj, path, ctx.level, out);
    check_array_shape(obj, path, out);
    check_required(obj, Some(obj), path, out);
    check_enum(obj, Some(obj), path, out);
    check_default(obj, path, ctx, out);
    check_list_type(obj, path, out);
    check_map_type(obj, path, out);
    check_embedded_resource(obj, path, ctx, out);
    check_x_validations(obj, path, out);
    if ctx.level == Level::Root {
        check_root(obj, path, out);
    }
    if ctx.level == Level::Root || is_true(obj, EMBEDDED) {
        check_resource_fields(obj, path, ctx.level == Level::Root, out);
    }
    // validation.go: the int-or-string `anyOf` (directly, or as `allOf[0].anyOf`) is exempt.
    let skip_any_of = is_int_or_string_any_of(obj.get("anyOf"));
    let skip_first_all_of = all_of_starts_with_int_or_string(obj);
    let junctors = Junctors {
        counterpart: Some(obj),
        skip_any_of,
        skip_first_all_of,
    };
    check_junctors(obj, path, junctors, ctx.depth, out);
    recurse_structural(obj, path, ctx, out);
}

fn recurse_structural(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    let is_resource = ctx.level == Level::Root || is_true(obj, EMBEDDED);
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let mut sub_ctx = ctx.descend(Level::Field);
            if is_resource && META_FIELDS.contains(&name.as_str()) {
                sub_ctx.in_resource_meta = true;
                // validation.go: `withForbiddenDefaults("in top-level <field>")`.
                if ctx.level == Level::Root {
                    sub_ctx.no_default = Some(match name.as_str() {
                        "metadata" => "inside top-level metadata",
                        "kind" => "inside top-level kind",
                        _ => "inside top-level apiVersion",
                    });
                }
            }
            check_structural(sub, &prop_path(path, name), sub_ctx, out);
        }
    }
    if let Some(extra) = obj.get("additionalProperties")
        && extra.is_object()
    {
        let mut sub_ctx = ctx.descend(Level::Field);
        // validation.go: pruning a default without an actual key is ambiguous for metadata maps.
        if ctx.in_resource_meta {
            sub_ctx.no_default = Some("inside additionalProperties applying to object metadata");
        }
        check_structural(extra, &child(path, "additionalProperties"), sub_ctx, out);
    }
    if let Some(items) = obj.get("items")
        && !items.is_array()
    {
        check_structural(items, &child(path, "items"), ctx.descend(Level::Items), out);
    }
}

// ----- keywords shared by structural and junctor nodes ---------------------------------------

fn check_keywords(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    check_unknown_keys(obj, path, out);
    check_value_kinds(obj, path, out);
    check_numeric_bounds(obj, path, out);
    check_count_bounds(obj, path, out);
}

/// Unsupported (validation.go `validate`) and unknown (strict field validation) keywords.
fn check_unknown_keys(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    for key in obj.keys() {
        if let Some((_, why)) = UNSUPPORTED_KEYS.iter().find(|(k, _)| k == key) {
            push(out, path, format!("`{key}` is not supported: {why}"));
        } else if !KNOWN_KEYS.contains(&key.as_str()) {
            let hint = FOREIGN_KEYS.iter().find(|(k, _)| k == key).map_or(
                "not a field of the Kubernetes JSONSchemaProps type",
                |(_, h)| h,
            );
            push(out, path, format!("unknown keyword `{key}`: {hint}"));
        }
    }
    // validation.go: "uniqueItems cannot be set to true since the runtime complexity becomes
    // quadratic".
    match obj.get("uniqueItems") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => push(
            out,
            path,
            "`uniqueItems: true` is forbidden (quadratic to validate); use x-kubernetes-list-type: set",
        ),
        Some(other) => push(
            out,
            path,
            format!("`uniqueItems` must be a boolean, got {}", kind_of(other)),
        ),
    }
}

/// JSON kinds of the simple keywords, as the `JSONSchemaProps` Go type would decode them.
fn check_value_kinds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    for key in ["description", "title", "format", "pattern"] {
        if let Some(v) = obj.get(key)
            && !v.is_string()
        {
            push(
                out,
                path,
                format!("`{key}` must be a string, got {}", kind_of(v)),
            );
        }
    }
    for key in ["nullable", PRESERVE, EMBEDDED, INT_OR_STRING] {
        if let Some(v) = obj.get(key)
            && !v.is_boolean()
        {
            push(
                out,
                path,
                format!("`{key}` must be a boolean, got {}", kind_of(v)),
            );
        }
    }
    // validation.go / convert.go: "must be true or undefined".
    if obj.get(PRESERVE) == Some(&Value::Bool(false)) {
        push(out, path, format!("`{PRESERVE}` must be true or undefined"));
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        if let Some(v) = obj.get(key)
            && !v.is_boolean()
        {
            push(
                out,
                path,
                format!(
                    "`{key}` must be a boolean (OpenAPI v3.0); the numeric JSON-Schema 2019+ form is not supported"
                ),
            );
        }
    }
    if let Some(v) = obj.get("externalDocs")
        && !v.is_object()
    {
        push(out, path, "`externalDocs` must be an object");
    }
}

fn number_keyword(obj: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> Option<f64> {
    let value = obj.get(key)?;
    let number = value.as_f64();
    if number.is_none() {
        push(
            out,
            path,
            format!("`{key}` must be a number, got {}", kind_of(value)),
        );
    }
    number
}

/// `minimum`/`maximum`/`multipleOf` are float64 fields; a zero or negative `multipleOf` makes
/// every value invalid (or divides by zero), and `minimum > maximum` admits nothing.
fn check_numeric_bounds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let minimum = number_keyword(obj, "minimum", path, out);
    let maximum = number_keyword(obj, "maximum", path, out);
    if let Some(m) = number_keyword(obj, "multipleOf", path, out)
        && m <= 0.0
    {
        push(
            out,
            path,
            format!("`multipleOf` must be greater than 0, got {m}"),
        );
    }
    if let (Some(lo), Some(hi)) = (minimum, maximum)
        && lo > hi
    {
        push(
            out,
            path,
            format!("`minimum` ({lo}) is greater than `maximum` ({hi})"),
        );
    }
}

fn count_keyword(obj: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> Option<u64> {
    let value = obj.get(key)?;
    let count = value.as_u64();
    if count.is_none() {
        push(
            out,
            path,
            format!("`{key}` must be a non-negative integer, got {value}"),
        );
    }
    count
}

/// The length/count keywords are int64 fields; negative values and `min > max` pairs are
/// nonsense a generator should never emit.
fn check_count_bounds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let pairs = [
        ("minLength", "maxLength"),
        ("minItems", "maxItems"),
        ("minProperties", "maxProperties"),
    ];
    for (min_key, max_key) in pairs {
        let lo = count_keyword(obj, min_key, path, out);
        let hi = count_keyword(obj, max_key, path, out);
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            push(
                out,
                path,
                format!("`{min_key}` ({lo}) is greater than `{max_key}` ({hi})"),
            );
        }
    }
}

// ----- structural-only rules -----------------------------------------------------------------

/// validation.go `validateStructuralInvariants`: every specified node has a non-empty type,
/// except int-or-string and preserve-unknown-fields nodes; the root is an object.
fn check_type(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let ios = is_true(obj, INT_OR_STRING);
    match obj.get("type") {
        Some(Value::String(t)) if !t.is_empty() => {
            if t == "null" {
                push(
                    out,
                    path,
                    "`type: null` is not supported; use `nullable: true`",
                );
            } else if !SCHEMA_TYPES.contains(&t.as_str()) {
                push(
                    out,
                    path,
                    format!(
                        "unsupported type `{t}`; must be one of {}",
                        SCHEMA_TYPES.join(", ")
                    ),
                );
            }
            if ios {
                push(
                    out,
                    path,
                    format!("`type` must not be set when `{INT_OR_STRING}` is true"),
                );
            }
            if level == Level::Root && t != "object" {
                push(
                    out,
                    path,
                    format!("type must be object at the root, not {t}"),
                );
            }
        }
        Some(Value::String(_)) | None => check_missing_type(obj, path, level, out),
        Some(other) => {
            let hint = if other.is_array() {
                " (type arrays such as [\"string\", \"null\"] are not supported; use `nullable: true`)"
            } else {
                ""
            };
            push(
                out,
                path,
                format!("`type` must be a string, got {}{hint}", kind_of(other)),
            );
        }
    }
}

fn check_missing_type(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let exempt = is_true(obj, INT_OR_STRING) || is_true(obj, PRESERVE);
    // An embedded resource without a type gets the more specific embedded-resource message.
    let embedded = is_true(obj, EMBEDDED);
    match level {
        // Stricter than the apiserver (which lets a preserve-unknown-fields root omit it):
        // every CRD root must be `type: object` for status/scale extraction to make sense.
        Level::Root => push(out, path, "type must be object at the root"),
        _ if exempt || embedded => {}
        Level::Items => push(out, path, "type must not be empty for array items"),
        Level::Field => push(
            out,
            path,
            format!(
                "type must not be empty for object fields (unless `{INT_OR_STRING}` or `{PRESERVE}` is true)"
            ),
        ),
    }
}

/// validation.go `validateExtensions` and the int-or-string exception: such a node carries no
/// `type`, and any junctor must be the `[{type: integer}, {type: string}]` shape.
fn check_int_or_string(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    if !is_true(obj, INT_OR_STRING) {
        return;
    }
    if is_true(obj, PRESERVE) {
        push(
            out,
            path,
            format!("`{PRESERVE}` must be false if `{INT_OR_STRING}` is true"),
        );
    }
    if is_true(obj, EMBEDDED) {
        push(
            out,
            path,
            format!("`{EMBEDDED}` must be false if `{INT_OR_STRING}` is true"),
        );
    }
    let shape = "[{type: integer}, {type: string}]";
    if obj.contains_key("anyOf") {
        if !is_int_or_string_any_of(obj.get("anyOf")) {
            push(
                out,
                path,
                format!("`anyOf` of an `{INT_OR_STRING}` node must be exactly {shape}"),
            );
        }
    } else if obj.contains_key("allOf") && !all_of_starts_with_int_or_string(obj) {
        push(
            out,
            path,
            format!("`allOf[0].anyOf` of an `{INT_OR_STRING}` node must be exactly {shape}"),
        );
    }
}

/// validation.go: properties are for structs, additionalProperties for maps; both only make
/// sense on objects and additionalProperties is forbidden at the root and on embedded resources.
fn check_object_shape(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let props = obj.get("properties");
    let extra = obj.get("additionalProperties");
    if let Some(p) = props
        && !p.is_object()
    {
        push(
            out,
            path,
            "`properties` must be an object mapping names to schemas",
        );
    }
    match extra {
        None | Some(Value::Bool(true)) | Some(Value::Object(_)) => {}
        // Not a structural-schema rule in the apiserver on its own (there it is only rejected
        // next to `properties` or at the root), but it never means anything in a CRD: unknown
        // fields are pruned anyway. Generators must omit it.
        Some(Value::Bool(false)) => push(
            out,
            path,
            "`additionalProperties: false` is not allowed in a structural schema; omit it (unknown fields are pruned)",
        ),
        Some(other) => push(
            out,
            path,
            format!(
                "`additionalProperties` must be a schema or a boolean, got {}",
                kind_of(other)
            ),
        ),
    }
    if props.is_some() && matches!(extra, Some(Value::Object(_))) {
        push(
            out,
            path,
            "`properties` and `additionalProperties` are mutually exclusive",
        );
    }
    if let Some(t) = type_of(obj)
        && t != "object"
    {
        for key in ["properties", "additionalProperties"] {
            if obj.contains_key(key) {
                push(
                    out,
                    path,
                    format!("`{key}` is only allowed on type object, not {t}"),
                );
            }
        }
    }
    if extra.is_some() && level == Level::Root {
        push(
            out,
            path,
            "`additionalProperties` must not be used at the root",
        );
    }
    if extra.is_some() && is_true(obj, EMBEDDED) {
        push(
            out,
            path,
            format!("`additionalProperties` must not be used if `{EMBEDDED}` is true"),
        );
    }
}

/// validation.go: arrays need a single `items` schema; `items` only applies to arrays.
fn check_array_shape(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let items = obj.get("items");
    let ty = type_of(obj);
    if ty == Some("array") && items.is_none() {
        push(out, path, "`items` must be specified for type array");
    }
    if let Some(Value::Array(_)) = items {
        push(
            out,
            path,
            "`items` must be a single schema, not an array of schemas",
        );
    }
    if items.is_some()
        && let Some(t) = ty
        && t != "array"
    {
        push(
            out,
            path,
            format!("`items` is only allowed on type array, not {t}"),
        );
    }
}

/// `required` is a list of unique names. Stricter than the apiserver: each name must be a
/// declared property of `counterpart` (the node itself, or for a junctor its structural
/// sibling) unless that node accepts arbitrary keys — an undeclared name can never be satisfied
/// once unknown fields are pruned.
fn check_required(obj: &Obj, counterpart: Option<&Obj>, path: &str, out: &mut Vec<Violation>) {
    let Some(required) = obj.get("required") else {
        return;
    };
    let Some(list) = required.as_array() else {
        push(out, path, "`required` must be an array of property names");
        return;
    };
    let open = counterpart.is_none_or(|c| {
        is_true(c, PRESERVE)
            || matches!(
                c.get("additionalProperties"),
                Some(Value::Object(_) | Value::Bool(true))
            )
    });
    let mut seen = BTreeSet::new();
    for (i, entry) in list.iter().enumerate() {
        let Some(name) = entry.as_str() else {
            push(out, path, format!("`required[{i}]` must be a string"));
            continue;
        };
        if !seen.insert(name) {
            push(
                out,
                path,
                format!("`required` lists `{name}` more than once"),
            );
            continue;
        }
        let declared = counterpart.is_some_and(|c| property(c, name).is_some());
        if !open && !declared {
            push(
                out,
                path,
                format!("`required` names `{name}`, which is not a declared property"),
            );
        }
    }
}

/// Why `value` cannot be an instance of `schema`'s type, if it cannot.
fn type_mismatch(value: &Value, schema: &Obj) -> Option<String> {
    if value.is_null() {
        return (!is_true(schema, "nullable"))
            .then(|| "is null, which requires `nullable: true`".to_owned());
    }
    if is_true(schema, INT_OR_STRING) {
        return (!(is_integer(value) || value.is_string()))
            .then(|| format!("must be an integer or a string, got {}", kind_of(value)));
    }
    let ty = type_of(schema)?;
    (!value_has_type(value, ty)).then(|| format!("must be of type {ty}, got {}", kind_of(value)))
}

/// `enum` must list at least one value. Stricter than the apiserver: every value must fit the
/// type of `type_source` (the node, or a junctor's structural sibling), since a mistyped value
/// can never match.
fn check_enum(obj: &Obj, type_source: Option<&Obj>, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = obj.get("enum") else {
        return;
    };
    let Some(values) = value.as_array() else {
        push(out, path, "`enum` must be an array");
        return;
    };
    if values.is_empty() {
        push(out, path, "`enum` must not be empty");
        return;
    }
    let Some(source) = type_source else {
        return;
    };
    for (i, v) in values.iter().enumerate() {
        if let Some(why) = type_mismatch(v, source) {
            push(out, path, format!("`enum[{i}]` {why}"));
        }
    }
}

/// validation.go `withForbiddenDefaults` plus defaulting/validation.go `ValidateDefaults`
/// (simplified: type, enum, required and nested properties/items; no pruning check).
fn check_default(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    let Some(default) = obj.get("default") else {
        return;
    };
    if ctx.level == Level::Root {
        push(out, path, "`default` must not be set at the root");
        return;
    }
    if let Some(reason) = ctx.no_default {
        push(out, path, format!("`default` must not be set {reason}"));
        return;
    }
    if let Some((at, why)) = default_mismatch(default, obj, 0) {
        push(out, path, format!("`default{at}` {why}"));
    }
}

/// Where inside `value` (e.g. `.spec.size`, `[0]`) and why it does not fit `schema`.
fn default_mismatch(value: &Value, schema: &Obj, depth: usize) -> Option<(String, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(why) = type_mismatch(value, schema) {
        return Some((String::new(), why));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.is_empty()
        && !allowed.contains(value)
    {
        return Some((String::new(), "is not one of the enum values".to_owned()));
    }
    match value {
        Value::Object(map) => object_default_mismatch(map, schema, depth),
        Value::Array(list) => {
            let item_schema = schema.get("items")?.as_object()?;
            list.iter().enumerate().find_map(|(i, item)| {
                default_mismatch(item, item_schema, depth + 1)
                    .map(|(at, why)| (format!("[{i}]{at}"), why))
            })
        }
        _ => None,
    }
}

fn object_default_mismatch(map: &Obj, schema: &Obj, depth: usize) -> Option<(String, String)> {
    if let Some(Value::Array(required)) = schema.get("required") {
        let missing = required
            .iter()
            .filter_map(Value::as_str)
            .find(|name| !map.contains_key(*name));
        if let Some(name) = missing {
            return Some((
                String::new(),
                format!("is missing required property `{name}`"),
            ));
        }
    }
    let props = schema.get("properties").and_then(Value::as_object);
    let extra = schema
        .get("additionalProperties")
        .and_then(Value::as_object);
    map.iter().find_map(|(key, item)| {
        let sub = props
            .and_then(|p| p.get(key))
            .and_then(Value::as_object)
            .or(extra)?;
        default_mismatch(item, sub, depth + 1).map(|(at, why)| (format!(".{key}{at}"), why))
    })
}

/// validation.go: list types only on arrays, values atomic|set|map, map keys, and
/// `validateMapListKeysMapSet` / `requireAtomicSetType`.
fn check_list_type(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let list_type = match obj.get(LIST_TYPE) {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            push(
                out,
                path,
                format!("`{LIST_TYPE}` must be a string, got {}", kind_of(other)),
            );
            None
        }
    };
    let keys = list_map_keys(obj, path, out);
    if let Some(lt) = list_type {
        if !["atomic", "set", "map"].contains(&lt) {
            push(
                out,
                path,
                format!("unsupported `{LIST_TYPE}` `{lt}`; must be atomic, set or map"),
            );
        }
        if type_of(obj) != Some("array") {
            push(
                out,
                path,
                format!("`{LIST_TYPE}` is only allowed on type array"),
            );
        }
    }
    if keys.as_ref().is_some_and(|k| !k.is_empty()) && list_type != Some("map") {
        push(
            out,
            path,
            format!("`{LIST_MAP_KEYS}` requires `{LIST_TYPE}: map`"),
        );
    }
    let items = obj.get("items").and_then(Value::as_object);
    match list_type {
        Some("map") => check_map_list(keys.as_deref().unwrap_or_default(), items, path, out),
        Some("set") => {
            if let Some(items) = items {
                check_set_items(items, path, out);
            }
        }
        _ => {}
    }
}

fn list_map_keys<'a>(obj: &'a Obj, path: &str, out: &mut Vec<Violation>) -> Option<Vec<&'a str>> {
    let value = obj.get(LIST_MAP_KEYS)?;
    let Some(list) = value.as_array() else {
        push(
            out,
            path,
            format!("`{LIST_MAP_KEYS}` must be an array of strings"),
        );
        return None;
    };
    let mut keys = Vec::with_capacity(list.len());
    for (i, key) in list.iter().enumerate() {
        match key.as_str() {
            Some(k) => keys.push(k),
            None => push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}[{i}]` must be a string"),
            ),
        }
    }
    Some(keys)
}

/// A map list is keyed by scalar item properties that are always present (required or
/// defaulted) and never null, so server-side apply can merge entries by key.
fn check_map_list(keys: &[&str], items: Option<&Obj>, path: &str, out: &mut Vec<Violation>) {
    if keys.is_empty() {
        push(
            out,
            path,
            format!("`{LIST_TYPE}: map` requires a non-empty `{LIST_MAP_KEYS}`"),
        );
    }
    // A missing/array-form `items` is reported by the array rules.
    let Some(items) = items else {
        return;
    };
    let items_path = child(path, "items");
    if type_of(items) != Some("object") {
        push(
            out,
            &items_path,
            format!("items must be type object when the parent's `{LIST_TYPE}` is map"),
        );
        return;
    }
    if is_true(items, "nullable") {
        push(
            out,
            &items_path,
            format!("items must not be nullable when `{LIST_TYPE}` is map"),
        );
    }
    let required: BTreeSet<&str> = items
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for &key in keys {
        if !seen.insert(key) {
            push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}` lists `{key}` more than once"),
            );
            continue;
        }
        let Some(prop) = property(items, key).and_then(Value::as_object) else {
            push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}` entry `{key}` is not a property of items"),
            );
            continue;
        };
        check_map_key_property(
            prop,
            key,
            required.contains(key),
            &prop_path(&items_path, key),
            out,
        );
    }
}

fn check_map_key_property(
    prop: &Obj,
    key: &str,
    required: bool,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let scalar = match type_of(prop) {
        Some(t) => SCALAR_TYPES.contains(&t),
        None => is_true(prop, INT_OR_STRING),
    };
    if !scalar {
        push(
            out,
            path,
            format!("list map key `{key}` must be a scalar (string, integer, number or boolean)"),
        );
    }
    if !required && !prop.contains_key("default") {
        push(
            out,
            path,
            format!("list map key `{key}` must be required or have a default"),
        );
    }
    if is_true(prop, "nullable") {
        push(
            out,
            path,
            format!("list map key `{key}` must not be nullable"),
        );
    }
}

/// validation.go `requireAtomicSetType`: set elements are compared whole, so they must be
/// scalars or atomic objects/lists; and never null.
fn check_set_items(items: &Obj, path: &str, out: &mut Vec<Violation>) {
    let items_path = child(path, "items");
    if is_true(items, "nullable") {
        push(
            out,
            &items_path,
            format!("items must not be nullable when `{LIST_TYPE}` is set"),
        );
    }
    match type_of(items) {
        Some("object") if items.get(MAP_TYPE).and_then(Value::as_str) != Some("atomic") => push(
            out,
            &items_path,
            format!("object items of a set must have `{MAP_TYPE}: atomic`"),
        ),
        Some("array")
            if items
                .get(LIST_TYPE)
                .and_then(Value::as_str)
                .is_some_and(|lt| lt != "atomic") =>
        {
            push(
                out,
                &items_path,
                format!("array items of a set must have `{LIST_TYPE}` unset or atomic"),
            );
        }
        _ => {}
    }
}

/// validation.go: `x-kubernetes-map-type` is granular|atomic and only on objects.
fn check_map_type(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = obj.get(MAP_TYPE) else {
        return;
    };
    match value.as_str() {
        Some("granular" | "atomic") => {}
        Some(other) => push(
            out,
            path,
            format!("unsupported `{MAP_TYPE}` `{other}`; must be granular or atomic"),
        ),
        None => push(out, path, format!("`{MAP_TYPE}` must be a string")),
    }
    if type_of(obj) != Some("object") {
        push(
            out,
            path,
            format!("`{MAP_TYPE}` is only allowed on type object"),
        );
    }
}

/// validation.go: an embedded resource is an object with properties or preserved fields, and
/// cannot itself live inside resource metadata.
fn check_embedded_resource(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    if !is_true(obj, EMBEDDED) {
        return;
    }
    if type_of(obj) != Some("object") {
        push(
            out,
            path,
            format!("`{EMBEDDED}: true` requires type object"),
        );
    }
    let has_props = obj
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if !has_props && !is_true(obj, PRESERVE) {
        push(
            out,
            path,
            format!("`{EMBEDDED}: true` requires properties unless `{PRESERVE}` is true"),
        );
    }
    if ctx.in_resource_meta {
        push(
            out,
            path,
            format!("`{EMBEDDED}` must not be used inside apiVersion, kind or metadata"),
        );
    }
}

/// validation.go: shape of each `x-kubernetes-validations` rule (CEL is not compiled here).
fn check_x_validations(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = obj.get(VALIDATIONS) else {
        return;
    };
    let Some(rules) = value.as_array() else {
        push(
            out,
            path,
            format!("`{VALIDATIONS}` must be an array of rules"),
        );
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        check_rule(rule, &format!("{VALIDATIONS}[{i}]"), path, out);
    }
}

fn check_rule(rule: &Value, at: &str, path: &str, out: &mut Vec<Violation>) {
    let Some(r) = rule.as_object() else {
        push(out, path, format!("`{at}` must be an object"));
        return;
    };
    for key in r.keys() {
        if !RULE_KEYS.contains(&key.as_str()) {
            push(out, path, format!("`{at}` has unknown field `{key}`"));
        }
    }
    let text = match r.get("rule") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
        _ => {
            push(
                out,
                path,
                format!("`{at}.rule` must be a non-empty CEL expression"),
            );
            None
        }
    };
    let message = optional_string(r, "message", at, path, out);
    if message.is_some_and(has_newline) {
        push(
            out,
            path,
            format!("`{at}.message` must not contain line breaks"),
        );
    }
    if text.is_some_and(has_newline) && message.is_none() {
        push(
            out,
            path,
            format!("`{at}.message` must be specified when the rule contains line breaks"),
        );
    }
    optional_string(r, "messageExpression", at, path, out);
    if let Some(reason) = r.get("reason")
        && !reason.as_str().is_some_and(|s| RULE_REASONS.contains(&s))
    {
        push(
            out,
            path,
            format!("`{at}.reason` must be one of {}", RULE_REASONS.join(", ")),
        );
    }
    if let Some(fp) = optional_string(r, "fieldPath", at, path, out) {
        if !fp.starts_with('.') {
            push(out, path, format!("`{at}.fieldPath` must start with `.`"));
        }
        if has_newline(fp) {
            push(
                out,
                path,
                format!("`{at}.fieldPath` must not contain line breaks"),
            );
        }
    }
    if let Some(v) = r.get("optionalOldSelf")
        && !v.is_boolean()
    {
        push(
            out,
            path,
            format!("`{at}.optionalOldSelf` must be a boolean"),
        );
    }
}

/// An optional string field that must be non-blank when given; returns it only if valid.
fn optional_string<'a>(
    obj: &'a Obj,
    key: &str,
    at: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.as_str()),
        Value::String(_) => {
            push(
                out,
                path,
                format!("`{at}.{key}` must be non-empty if specified"),
            );
            None
        }
        other => {
            push(
                out,
                path,
                format!("`{at}.{key}` must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// Root-only rules: validation.go ("nullable cannot be true at the root") and
/// `validateExtensions`/embedded-resource semantics (the root already is a resource).
fn check_root(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    if is_true(obj, "nullable") {
        push(out, path, "`nullable` cannot be true at the root");
    }
    for key in [EMBEDDED, INT_OR_STRING] {
        if is_true(obj, key) {
            push(out, path, format!("`{key}` must not be set at the root"));
        }
    }
}

/// validation.go: at the root and in embedded resources, apiVersion/kind are strings and
/// metadata an object; at the root, metadata may only restrict name and generateName.
fn check_resource_fields(obj: &Obj, path: &str, is_root: bool, out: &mut Vec<Violation>) {
    let Some(props) = obj.get("properties").and_then(Value::as_object) else {
        return;
    };
    for key in ["apiVersion", "kind"] {
        if let Some(p) = props.get(key).and_then(Value::as_object)
            && type_of(p) != Some("string")
        {
            push(
                out,
                &prop_path(path, key),
                format!("{key} must be type string"),
            );
        }
    }
    if let Some(meta) = props.get("metadata").and_then(Value::as_object) {
        let meta_path = prop_path(path, "metadata");
        if type_of(meta) != Some("object") {
            push(out, &meta_path, "metadata must be type object");
        }
        if is_root {
            check_root_metadata(meta, &meta_path, out);
        }
    }
}

/// validation.go `validateStructuralMetadataInvariants`: the apiserver owns ObjectMeta; a CRD
/// may only add restrictions to name and generateName.
fn check_root_metadata(meta: &Obj, path: &str, out: &mut Vec<Violation>) {
    for (key, value) in meta {
        match key.as_str() {
            // type is checked by the caller; default by the defaults rule.
            "type" | "default" => {}
            "properties" => {
                for name in value.as_object().into_iter().flat_map(Map::keys) {
                    if name != "name" && name != "generateName" {
                        push(
                            out,
                            path,
                            format!(
                                "metadata at the root may only restrict name and generateName, not `{name}`"
                            ),
                        );
                    }
                }
            }
            _ if is_set(value) => push(
                out,
                path,
                format!(
                    "metadata at the root may only restrict name and generateName; remove `{key}`"
                ),
            ),
            _ => {}
        }
    }
}

// ----- value-validation junctors (allOf/anyOf/oneOf/not) -------------------------------------

/// How to walk the junctors of one node.
#[derive(Clone, Copy)]
struct Junctors<'a> {
    /// The structural node the junctor applies to (validation.go's `s` in complete.go);
    /// `None` once the skeleton has no matching node (already reported).
    counterpart: Option<&'a Obj>,
    /// The int-or-string `anyOf` shape is exempt from the junctor rules.
    skip_any_of: bool,
    /// Same for `allOf[0].anyOf`.
    skip_first_all_of: bool,
}

fn check_junctors(obj: &Obj, path: &str, j: Junctors<'_>, depth: usize, out: &mut Vec<Violation>) {
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(value) = obj.get(key) else {
            continue;
        };
        let Some(list) = value.as_array() else {
            push(out, path, format!("`{key}` must be an array of schemas"));
            continue;
        };
        if key == "anyOf" && j.skip_any_of {
            continue;
        }
        for (i, sub) in list.iter().enumerate() {
            let skip = key == "allOf" && i == 0 && j.skip_first_all_of;
            let sub_path = format!("{path}.{key}[{i}]");
            check_nested(sub, &sub_path, j.counterpart, skip, depth + 1, out);
        }
    }
    if let Some(not) = obj.get("not") {
        check_nested(
            not,
            &child(path, "not"),
            j.counterpart,
            false,
            depth + 1,
            out,
        );
    }
}

/// A node inside a junctor (validation.go `validateNestedValueValidation` + complete.go).
fn check_nested(
    node: &Value,
    path: &str,
    counterpart: Option<&Obj>,
    skip_any_of: bool,
    depth: usize,
    out: &mut Vec<Violation>,
) {
    if too_deep(depth, path, out) {
        return;
    }
    let Some(obj) = schema_object(node, path, out) else {
        return;
    };
    check_keywords(obj, path, out);
    if let Some(Value::Array(_)) = obj.get("items") {
        push(
            out,
            path,
            "`items` must be a single schema, not an array of schemas",
        );
    }
    check_nested_forbidden(obj, path, out);
    check_completeness(obj, counterpart, path, out);
    check_required(obj, counterpart, path, out);
    check_enum(obj, counterpart, path, out);
    let junctors = Junctors {
        counterpart,
        skip_any_of,
        // validation.go only exempts `allOf[0].anyOf` on structural nodes.
        skip_first_all_of: false,
    };
    check_junctors(obj, path, junctors, depth, out);
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let cp = counterpart
                .and_then(|c| property(c, name))
                .and_then(Value::as_object);
            check_nested(sub, &prop_path(path, name), cp, false, depth + 1, out);
        }
    }
    if let Some(items) = obj.get("items")
        && !items.is_array()
    {
        let cp = counterpart
            .and_then(|c| c.get("items"))
            .and_then(Value::as_object);
        check_nested(items, &child(path, "items"), cp, false, depth + 1, out);
    }
}

/// validation.go `validateNestedValueValidation`: junctors may only carry value validations;
/// everything that shapes the object (type, defaults, extensions, docs) stays outside.
fn check_nested_forbidden(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    // Forbidden as soon as they are present (Go: non-nil pointer).
    let by_presence = [
        "additionalProperties",
        "default",
        "externalDocs",
        LIST_TYPE,
        MAP_TYPE,
    ];
    // Forbidden when non-zero (Go: non-empty string/list, true).
    let by_value = [
        "type",
        "description",
        "title",
        "nullable",
        PRESERVE,
        EMBEDDED,
        INT_OR_STRING,
        LIST_MAP_KEYS,
        VALIDATIONS,
    ];
    for key in by_presence {
        if obj.contains_key(key) {
            push(out, path, junctor_message(key));
        }
    }
    for key in by_value {
        if obj.get(key).is_some_and(is_set) {
            push(out, path, junctor_message(key));
        }
    }
    if property(obj, "metadata").is_some() {
        push(
            out,
            &prop_path(path, "metadata"),
            "metadata must not be specified inside allOf/anyOf/oneOf/not",
        );
    }
}

fn junctor_message(key: &str) -> String {
    format!("`{key}` must not be set inside allOf/anyOf/oneOf/not in a structural schema")
}

/// complete.go: every property and `items` a junctor talks about must also exist in the
/// structural schema beside it, otherwise it would be pruned before being validated.
fn check_completeness(obj: &Obj, counterpart: Option<&Obj>, path: &str, out: &mut Vec<Violation>) {
    let Some(cp) = counterpart else {
        return;
    };
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for name in props.keys() {
            if property(cp, name).is_none() {
                push(
                    out,
                    &prop_path(path, name),
                    format!(
                        "`{name}` is specified inside a junctor but not in the structural schema's properties beside it"
                    ),
                );
            }
        }
    }
    if obj.get("items").is_some_and(|i| !i.is_array()) && !cp.contains_key("items") {
        push(
            out,
            &child(path, "items"),
            "`items` is specified inside a junctor but not in the structural schema beside it",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CRD-level checks
// ---------------------------------------------------------------------------------------------

/// Checks a whole CustomResourceDefinition object: type meta, name, spec (group, scope,
/// names, conversion, versions) and every version's schema, plus the etcd size limit.
pub fn check_crd(crd: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(obj) = crd.as_object() else {
        push(
            &mut out,
            "",
            "a CustomResourceDefinition must be a JSON object",
        );
        return out;
    };
    check_type_meta(obj, &mut out);
    check_size(crd, &mut out);
    let Some(spec) = obj.get("spec").and_then(Value::as_object) else {
        push(&mut out, "spec", "spec is required and must be an object");
        return out;
    };
    check_group(spec, &mut out);
    check_scope(spec, &mut out);
    check_names(spec, &mut out);
    check_metadata_name(obj, spec, &mut out);
    check_preserve_unknown_fields(spec, &mut out);
    check_conversion(spec, &mut out);
    check_versions(spec, &mut out);
    out.extend(crate::cel::check_rules(crd));
    out
}

/// Only `apiextensions.k8s.io/v1` is served since Kubernetes 1.22.
fn check_type_meta(obj: &Obj, out: &mut Vec<Violation>) {
    match obj.get("apiVersion").and_then(Value::as_str) {
        Some("apiextensions.k8s.io/v1") => {}
        Some("apiextensions.k8s.io/v1beta1") => push(
            out,
            "apiVersion",
            "apiextensions.k8s.io/v1beta1 is no longer served (removed in Kubernetes 1.22); use apiextensions.k8s.io/v1",
        ),
        _ => push(out, "apiVersion", "must be apiextensions.k8s.io/v1"),
    }
    if obj.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
        push(out, "kind", "must be CustomResourceDefinition");
    }
}

/// etcd rejects requests over `--max-request-bytes` (1.5 MiB by default).
fn check_size(crd: &Value, out: &mut Vec<Violation>) {
    if let Ok(bytes) = serde_json::to_vec(crd)
        && bytes.len() > MAX_CRD_BYTES
    {
        push(
            out,
            "",
            format!(
                "the serialized CRD is {} bytes, over the {MAX_CRD_BYTES}-byte (1.5 MiB) etcd request limit",
                bytes.len()
            ),
        );
    }
}

/// A required, non-empty string field; reports and returns `None` otherwise.
fn required_str<'a>(
    obj: &'a Obj,
    key: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            push(out, path, "is required");
            None
        }
        Some(other) => {
            push(
                out,
                path,
                format!("must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// An optional string field (empty counts as absent, like Go's zero value).
fn optional_str<'a>(
    obj: &'a Obj,
    key: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.as_str()),
        Value::String(_) | Value::Null => None,
        other => {
            push(
                out,
                path,
                format!("must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// validation.go: group is a DNS-1123 subdomain with at least one dot.
fn check_group(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(group) = required_str(spec, "group", "spec.group", out) else {
        return;
    };
    if !is_dns1123_subdomain(group) {
        push(
            out,
            "spec.group",
            format!("`{group}` must be a lowercase DNS-1123 subdomain"),
        );
    } else if !group.contains('.') {
        push(
            out,
            "spec.group",
            format!("`{group}` should be a domain with at least one dot"),
        );
    }
}

fn check_scope(spec: &Obj, out: &mut Vec<Violation>) {
    if let Some(scope) = required_str(spec, "scope", "spec.scope", out)
        && scope != "Namespaced"
        && scope != "Cluster"
    {
        push(
            out,
            "spec.scope",
            format!("`{scope}` must be Namespaced or Cluster"),
        );
    }
}

/// validation.go `ValidateCustomResourceDefinitionNames` and the required names. The v1 API
/// defaults singular (lowercased kind) and listKind (kind + "List"), so those two are only
/// validated when given.
fn check_names(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(names) = spec.get("names").and_then(Value::as_object) else {
        push(
            out,
            "spec.names",
            "spec.names is required and must be an object",
        );
        return;
    };
    for (key, lowercase) in [
        ("plural", false),
        ("singular", false),
        ("kind", true),
        ("listKind", true),
    ] {
        let path = format!("spec.names.{key}");
        let value = if matches!(key, "plural" | "kind") {
            required_str(names, key, &path, out)
        } else {
            optional_str(names, key, &path, out)
        };
        if let Some(v) = value {
            check_name_label(v, lowercase, &path, out);
        }
    }
    let kind = names
        .get("kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    let list_kind = names
        .get("listKind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    if let (Some(kind), Some(list_kind)) = (kind, list_kind)
        && kind == list_kind
    {
        push(
            out,
            "spec.names.listKind",
            "kind and listKind may not be the same",
        );
    }
    for key in ["shortNames", "categories"] {
        check_label_list(names.get(key), &format!("spec.names.{key}"), out);
    }
}

/// Kinds may be mixed case but must otherwise be DNS-1035 labels.
fn check_name_label(value: &str, lowercase_first: bool, path: &str, out: &mut Vec<Violation>) {
    let candidate = if lowercase_first {
        value.to_ascii_lowercase()
    } else {
        value.to_owned()
    };
    if !is_dns1035_label(&candidate) {
        let case = if lowercase_first {
            " (mixed case allowed)"
        } else {
            ""
        };
        push(
            out,
            path,
            format!("`{value}` must be a DNS-1035 label{case}"),
        );
    }
}

fn check_label_list(value: Option<&Value>, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = value else {
        return;
    };
    let Some(list) = value.as_array() else {
        push(out, path, "must be an array of strings");
        return;
    };
    for (i, entry) in list.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        match entry.as_str() {
            Some(s) => check_name_label(s, false, &item_path, out),
            None => push(out, &item_path, "must be a string"),
        }
    }
}

/// validation.go `ValidateCustomResourceDefinition`: the object name is `<plural>.<group>`.
fn check_metadata_name(obj: &Obj, spec: &Obj, out: &mut Vec<Violation>) {
    let name = obj
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let Some(name) = name else {
        push(out, "metadata.name", "is required");
        return;
    };
    if !is_dns1123_subdomain(name) {
        push(
            out,
            "metadata.name",
            format!("`{name}` must be a lowercase DNS-1123 subdomain"),
        );
    }
    let plural = spec
        .get("names")
        .and_then(|n| n.get("plural"))
        .and_then(Value::as_str);
    let group = spec.get("group").and_then(Value::as_str);
    if let (Some(plural), Some(group)) = (plural, group) {
        let expected = format!("{plural}.{group}");
        if name != expected {
            push(
                out,
                "metadata.name",
                format!("`{name}` must be spec.names.plural + \".\" + spec.group (`{expected}`)"),
            );
        }
    }
}

/// v1 rejects `preserveUnknownFields: true` on create; pruning needs structural schemas.
fn check_preserve_unknown_fields(spec: &Obj, out: &mut Vec<Violation>) {
    match spec.get("preserveUnknownFields") {
        None | Some(Value::Bool(false)) => {}
        Some(_) => push(
            out,
            "spec.preserveUnknownFields",
            format!("must be false; set `{PRESERVE}: true` inside the schema instead"),
        ),
    }
}

/// validation.go `validateCustomResourceConversion` (v1 field layout).
fn check_conversion(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(value) = spec.get("conversion") else {
        return;
    };
    let Some(conv) = value.as_object() else {
        push(out, "spec.conversion", "must be an object");
        return;
    };
    // The v1 API defaults the strategy to None.
    let strategy =
        optional_str(conv, "strategy", "spec.conversion.strategy", out).unwrap_or("None");
    match strategy {
        "None" => {
            if conv.contains_key("webhook") {
                push(
                    out,
                    "spec.conversion.webhook",
                    "must not be set unless strategy is Webhook",
                );
            }
        }
        "Webhook" => check_conversion_webhook(conv.get("webhook"), out),
        other => push(
            out,
            "spec.conversion.strategy",
            format!("`{other}` must be None or Webhook"),
        ),
    }
}

fn check_conversion_webhook(webhook: Option<&Value>, out: &mut Vec<Violation>) {
    let path = "spec.conversion.webhook";
    let Some(webhook) = webhook.and_then(Value::as_object) else {
        push(out, path, "is required when strategy is Webhook");
        return;
    };
    let config = webhook.get("clientConfig").and_then(Value::as_object);
    let has = |key: &str| config.is_some_and(|c| c.contains_key(key));
    if has("url") == has("service") {
        push(
            out,
            &child(path, "clientConfig"),
            "exactly one of url or service is required",
        );
    }
    let versions: Vec<&str> = webhook
        .get("conversionReviewVersions")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !versions.iter().any(|v| *v == "v1" || *v == "v1beta1") {
        push(
            out,
            &child(path, "conversionReviewVersions"),
            "must include at least one of v1, v1beta1",
        );
    }
}

/// `spec.versions[<name>]`, falling back to the index when the name is unusable.
fn version_path(version: &Value, index: usize) -> String {
    match version.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => format!("spec.versions[{name}]"),
        _ => format!("spec.versions[{index}]"),
    }
}

/// validation.go `validateCustomResourceDefinitionSpec`: unique DNS-1035 version names,
/// exactly one storage version, a schema for every version; plus at least one served version.
fn check_versions(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(versions) = spec.get("versions").and_then(Value::as_array) else {
        push(
            out,
            "spec.versions",
            "spec.versions is required and must be an array",
        );
        return;
    };
    if versions.is_empty() {
        push(out, "spec.versions", "must list at least one version");
        return;
    }
    // v1beta1-style top-level schema/subresources, honoured as a fallback for every version.
    let top_schema = spec
        .get("validation")
        .and_then(|v| v.get("openAPIV3Schema"));
    if let Some(schema) = top_schema {
        out.extend(check_schema(schema, "spec.validation.openAPIV3Schema"));
    }
    let top_subresources = spec.get("subresources");
    if let Some(sub) = top_subresources {
        check_subresources(sub, "spec.subresources", out);
    }
    let mut names = BTreeSet::new();
    let (mut storage, mut served) = (0, 0);
    for (i, version) in versions.iter().enumerate() {
        let path = version_path(version, i);
        let Some(v) = version.as_object() else {
            push(out, &path, "each version must be an object");
            continue;
        };
        check_version_name(v, &path, &mut names, out);
        storage += usize::from(required_bool(v, "storage", &path, out));
        served += usize::from(required_bool(v, "served", &path, out));
        let defaults = VersionDefaults {
            schema: top_schema,
            subresources: top_subresources,
        };
        check_version(v, &path, defaults, out);
    }
    if storage != 1 {
        push(
            out,
            "spec.versions",
            format!("exactly one version must have storage: true (found {storage})"),
        );
    }
    if served == 0 {
        push(
            out,
            "spec.versions",
            "at least one version must have served: true",
        );
    }
}

fn check_version_name<'a>(
    v: &'a Obj,
    path: &str,
    names: &mut BTreeSet<&'a str>,
    out: &mut Vec<Violation>,
) {
    let name_path = child(path, "name");
    let Some(name) = required_str(v, "name", &name_path, out) else {
        return;
    };
    if !is_dns1035_label(name) {
        push(
            out,
            &name_path,
            format!("`{name}` must be a DNS-1035 label (e.g. v1, v2beta1)"),
        );
    }
    if !names.insert(name) {
        push(
            out,
            &name_path,
            format!("version `{name}` is listed more than once"),
        );
    }
}

/// `served` and `storage` are required booleans in v1; returns the value (false if invalid).
fn required_bool(v: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        None => {
            push(out, &child(path, key), "is required");
            false
        }
        Some(other) => {
            push(
                out,
                &child(path, key),
                format!("must be a boolean, got {}", kind_of(other)),
            );
            false
        }
    }
}

/// Top-level fallbacks a version inherits when it has none of its own.
#[derive(Clone, Copy)]
struct VersionDefaults<'a> {
    schema: Option<&'a Value>,
    subresources: Option<&'a Value>,
}

fn check_version(v: &Obj, path: &str, defaults: VersionDefaults<'_>, out: &mut Vec<Violation>) {
    let schema_path = format!("{path}.schema.openAPIV3Schema");
    let own_schema = v.get("schema").and_then(|s| s.get("openAPIV3Schema"));
    match own_schema {
        Some(schema) => out.extend(check_schema(schema, &schema_path)),
        // validation.go `requireOpenAPISchema`: on create, every version needs a schema.
        None if defaults.schema.is_none() => {
            push(out, &schema_path, "a schema is required for every version")
        }
        None => {}
    }
    let subresources = v.get("subresources");
    if let Some(sub) = subresources {
        check_subresources(sub, &child(path, "subresources"), out);
    }
    let status_enabled = subresources
        .or(defaults.subresources)
        .and_then(|s| s.get("status"))
        .is_some();
    if status_enabled && let Some(schema) = own_schema.and_then(Value::as_object) {
        check_status_root(schema, &schema_path, out);
    }
    if let Some(columns) = v.get("additionalPrinterColumns") {
        check_printer_columns(columns, &child(path, "additionalPrinterColumns"), out);
    }
    if let Some(fields) = v.get("selectableFields") {
        let schema = own_schema.or(defaults.schema);
        check_selectable_fields(fields, schema, &child(path, "selectableFields"), out);
    }
    check_deprecation_warning(v, path, out);
}

/// validation.go: with the status subresource, the root may only hold fields that survive
/// extracting `properties.status` (`allowedFieldsAtRootSchema`). Keys already forbidden at the
/// root by the schema rules are not repeated here.
fn check_status_root(schema: &Obj, path: &str, out: &mut Vec<Violation>) {
    let reported_elsewhere = [
        "nullable",
        "default",
        "additionalProperties",
        EMBEDDED,
        INT_OR_STRING,
    ];
    for (key, value) in schema {
        let k = key.as_str();
        let allowed = STATUS_ROOT_KEYS.contains(&k)
            || reported_elsewhere.contains(&k)
            || !KNOWN_KEYS.contains(&k)
            || UNSUPPORTED_KEYS.iter().any(|(u, _)| *u == k);
        if !allowed && is_set(value) {
            push(
                out,
                path,
                format!(
                    "`{key}` is not allowed at the root of the schema when the status subresource is enabled"
                ),
            );
        }
    }
}

/// validation.go `ValidateCustomResourceDefinitionSubresources`.
fn check_subresources(value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(sub) = value.as_object() else {
        push(out, path, "must be an object");
        return;
    };
    if let Some(status) = sub.get("status")
        && !status.is_object()
    {
        push(out, &child(path, "status"), "must be an empty object");
    }
    let Some(scale) = sub.get("scale") else {
        return;
    };
    let scale_path = child(path, "scale");
    let Some(scale) = scale.as_object() else {
        push(out, &scale_path, "must be an object");
        return;
    };
    scale_json_path(
        scale,
        "specReplicasPath",
        &[".spec."],
        true,
        &scale_path,
        out,
    );
    scale_json_path(
        scale,
        "statusReplicasPath",
        &[".status."],
        true,
        &scale_path,
        out,
    );
    scale_json_path(
        scale,
        "labelSelectorPath",
        &[".spec.", ".status."],
        false,
        &scale_path,
        out,
    );
}

fn scale_json_path(
    scale: &Obj,
    key: &str,
    prefixes: &[&str],
    required: bool,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let field_path = child(path, key);
    let value = if required {
        required_str(scale, key, &field_path, out)
    } else {
        optional_str(scale, key, &field_path, out)
    };
    if let Some(v) = value
        && !prefixes.iter().any(|p| v.starts_with(p))
    {
        push(
            out,
            &field_path,
            format!("`{v}` must be a JSON path under {}", prefixes.join(" or ")),
        );
    }
}

/// validation.go `ValidateCustomResourceColumnDefinition`.
fn check_printer_columns(value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(columns) = value.as_array() else {
        push(out, path, "must be an array");
        return;
    };
    for (i, column) in columns.iter().enumerate() {
        let col_path = format!("{path}[{i}]");
        let Some(col) = column.as_object() else {
            push(out, &col_path, "must be an object");
            continue;
        };
        required_str(col, "name", &child(&col_path, "name"), out);
        let type_path = child(&col_path, "type");
        if let Some(t) = required_str(col, "type", &type_path, out)
            && !PRINTER_TYPES.contains(&t)
        {
            push(
                out,
                &type_path,
                format!("`{t}` must be one of {}", PRINTER_TYPES.join(", ")),
            );
        }
        let format_path = child(&col_path, "format");
        if let Some(f) = optional_str(col, "format", &format_path, out)
            && !PRINTER_FORMATS.contains(&f)
        {
            push(
                out,
                &format_path,
                format!("`{f}` must be one of {}", PRINTER_FORMATS.join(", ")),
            );
        }
        let json_path = child(&col_path, "jsonPath");
        if let Some(p) = required_str(col, "jsonPath", &json_path, out)
            && !p.starts_with('.')
        {
            push(
                out,
                &json_path,
                format!("`{p}` must be a simple JSON path starting with `.`"),
            );
        }
        if let Some(priority) = col.get("priority")
            && priority
                .as_u64()
                .is_none_or(|p| p > u64::from(i32::MAX.unsigned_abs()))
        {
            push(
                out,
                &child(&col_path, "priority"),
                "must be a non-negative int32",
            );
        }
    }
}

/// validation.go `ValidateCustomResourceSelectableFields`: at most 8 unique paths, each
/// pointing outside metadata at a string, boolean or integer field.
fn check_selectable_fields(
    value: &Value,
    schema: Option<&Value>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(fields) = value.as_array() else {
        push(out, path, "must be an array");
        return;
    };
    let mut seen = BTreeSet::new();
    for (i, field) in fields.iter().enumerate() {
        let json_path = format!("{path}[{i}].jsonPath");
        let Some(p) = field
            .as_object()
            .and_then(|f| required_str(f, "jsonPath", &json_path, out))
        else {
            continue;
        };
        if !p.starts_with('.') {
            push(out, &json_path, format!("`{p}` must start with `.`"));
            continue;
        }
        if p == ".metadata" || p.starts_with(".metadata.") {
            push(
                out,
                &json_path,
                format!("`{p}` must not point to fields in metadata"),
            );
        }
        if !seen.insert(p) {
            push(out, &json_path, format!("`{p}` is listed more than once"));
        }
        if let Some(schema) = schema {
            check_selectable_target(schema, p, &json_path, out);
        }
    }
    if seen.len() > MAX_SELECTABLE_FIELDS {
        push(
            out,
            path,
            format!(
                "at most {MAX_SELECTABLE_FIELDS} selectable fields are allowed, found {}",
                seen.len()
            ),
        );
    }
}

fn check_selectable_target(schema: &Value, json_path: &str, path: &str, out: &mut Vec<Violation>) {
    match resolve_path(schema, json_path) {
        None => push(
            out,
            path,
            format!("`{json_path}` does not resolve to a property of the schema"),
        ),
        Some(target) if !matches!(type_of(target), Some("string" | "boolean" | "integer")) => push(
            out,
            path,
            format!("`{json_path}` must point to a field of type string, boolean or integer"),
        ),
        Some(_) => {}
    }
}

/// Follows a simple `.a.b.c` path through nested `properties`.
fn resolve_path<'a>(schema: &'a Value, json_path: &str) -> Option<&'a Obj> {
    let mut node = schema.as_object()?;
    for segment in json_path.strip_prefix('.')?.split('.') {
        if segment.is_empty() {
            return None;
        }
        node = property(node, segment)?.as_object()?;
    }
    Some(node)
}

/// validation.go `validateDeprecationWarning`.
fn check_deprecation_warning(v: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(warning) = v.get("deprecationWarning") else {
        return;
    };
    let warning_path = child(path, "deprecationWarning");
    if !is_true(v, "deprecated") {
        push(
            out,
            &warning_path,
            "can only be set for deprecated versions",
        );
    }
    match warning.as_str() {
        Some("") => push(out, &warning_path, "must not be an empty string"),
        Some(w) if w.len() > 256 => push(out, &warning_path, "must be at most 256 characters"),
        Some(w) if w.chars().any(char::is_control) => {
            push(out, &warning_path, "must only contain printable characters")
        }
        Some(_) => {}
        None => push(out, &warning_path, "must be a string"),
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Path of the field `f` placed by [`field`].
    const F: &str = "s.properties.f";

    /// Checks `schema` as the only property `f` of an otherwise valid root.
    fn field(schema: Value) -> Vec<Violation> {
        check_schema(&json!({"type": "object", "properties": {"f": schema}}), "s")
    }

    fn root(schema: Value) -> Vec<Violation> {
        check_schema(&schema, "s")
    }

    #[track_caller]
    fn assert_clean(violations: &[Violation]) {
        assert!(
            violations.is_empty(),
            "expected no violations, got {violations:#?}"
        );
    }

    #[track_caller]
    fn assert_has(violations: &[Violation], path: &str, needle: &str) {
        assert!(
            violations
                .iter()
                .any(|v| v.path == path && v.message.contains(needle)),
            "expected a violation at `{path}` containing `{needle}`, got {violations:#?}"
        );
    }

    fn valid_schema() -> Value {
        json!({
            "type": "object",
            "description": "A widget.",
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {
                    "type": "object",
                    "required": ["replicas"],
                    "x-kubernetes-validations": [
                        {"rule": "self.replicas <= 10", "message": "too many", "reason": "FieldValueInvalid", "fieldPath": ".replicas"}
                    ],
                    "properties": {
                        "replicas": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10, "default": 1},
                        "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
                        "size": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}, "x-kubernetes-map-type": "granular"},
                        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
                        "ports": {
                            "type": "array",
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}
                            }
                        },
                        "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true},
                        "mode": {
                            "type": "object",
                            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                            "oneOf": [{"required": ["a"]}, {"required": ["b"]}]
                        }
                    }
                },
                "status": {
                    "type": "object",
                    "properties": {"replicas": {"type": "integer"}},
                    "x-kubernetes-preserve-unknown-fields": true
                }
            }
        })
    }

    fn valid_crd() -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.kubeforge.test"},
            "spec": {
                "group": "kubeforge.test",
                "scope": "Namespaced",
                "names": {
                    "plural": "widgets",
                    "singular": "widget",
                    "kind": "Widget",
                    "listKind": "WidgetList",
                    "shortNames": ["wd"],
                    "categories": ["all"]
                },
                "versions": [{
                    "name": "v1",
                    "served": true,
                    "storage": true,
                    "schema": {"openAPIV3Schema": valid_schema()},
                    "subresources": {
                        "status": {},
                        "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}
                    },
                    "additionalPrinterColumns": [
                        {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"}
                    ],
                    "selectableFields": [{"jsonPath": ".spec.color"}]
                }]
            }
        })
    }

    /// Mutable access to a nested JSON location in test fixtures.
    fn at<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Value {
        value
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("fixture has no {pointer}"))
    }

    // ----- baseline -----------------------------------------------------------------------

    #[test]
    fn valid_schema_is_clean() {
        assert_clean(&root(valid_schema()));
    }

    #[test]
    fn valid_crd_is_clean() {
        assert_clean(&check_crd(&valid_crd()));
    }

    #[test]
    fn display_is_path_colon_message() {
        let v = Violation::new("a.b", "broken");
        assert_eq!(v.to_string(), "a.b: broken");
        assert_eq!(Violation::new("", "whole").to_string(), "whole");
    }

    // ----- types --------------------------------------------------------------------------

    #[test]
    fn field_without_type_is_rejected() {
        assert_has(
            &field(json!({"description": "x"})),
            F,
            "type must not be empty",
        );
    }

    #[test]
    fn empty_type_string_is_rejected() {
        assert_has(&field(json!({"type": ""})), F, "type must not be empty");
    }

    #[test]
    fn items_without_type_is_rejected() {
        let v = field(json!({"type": "array", "items": {}}));
        assert_has(&v, &format!("{F}.items"), "array items");
    }

    #[test]
    fn preserve_unknown_fields_exempts_type() {
        assert_clean(&field(
            json!({"x-kubernetes-preserve-unknown-fields": true}),
        ));
    }

    #[test]
    fn unsupported_types_are_rejected() {
        assert_has(&field(json!({"type": "null"})), F, "nullable");
        assert_has(&field(json!({"type": "float"})), F, "unsupported type");
        assert_has(
            &field(json!({"type": ["string", "null"]})),
            F,
            "type arrays",
        );
    }

    // ----- int-or-string ------------------------------------------------------------------

    #[test]
    fn int_or_string_plain_and_shapes_are_accepted() {
        assert_clean(&field(json!({"x-kubernetes-int-or-string": true})));
        assert_clean(&field(json!({
            "x-kubernetes-int-or-string": true,
            "anyOf": [{"type": "integer"}, {"type": "string"}]
        })));
        assert_clean(&field(json!({
            "x-kubernetes-int-or-string": true,
            "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}, {"pattern": "^[0-9]+%?$"}]
        })));
    }

    #[test]
    fn int_or_string_with_type_is_rejected() {
        let v = field(json!({"x-kubernetes-int-or-string": true, "type": "string"}));
        assert_has(&v, F, "must not be set when");
    }

    #[test]
    fn int_or_string_with_wrong_any_of_is_rejected() {
        let v = field(json!({
            "x-kubernetes-int-or-string": true,
            "anyOf": [{"type": "string"}, {"type": "integer"}]
        }));
        assert_has(&v, F, "must be exactly");
        // The entries are then ordinary junctors, whose `type` is forbidden.
        assert_has(
            &v,
            &format!("{F}.anyOf[0]"),
            "`type` must not be set inside",
        );
    }

    #[test]
    fn int_or_string_with_wrong_all_of_is_rejected() {
        let v = field(json!({"x-kubernetes-int-or-string": true, "allOf": [{"pattern": "x"}]}));
        assert_has(&v, F, "allOf[0].anyOf");
    }

    #[test]
    fn int_or_string_with_preserve_is_rejected() {
        let v = field(
            json!({"x-kubernetes-int-or-string": true, "x-kubernetes-preserve-unknown-fields": true}),
        );
        assert_has(&v, F, "must be false if");
    }

    // ----- object / array shape -----------------------------------------------------------

    #[test]
    fn properties_and_additional_properties_are_exclusive() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": {"type": "string"}
        }));
        assert_has(&v, F, "mutually exclusive");
    }

    #[test]
    fn additional_properties_false_is_rejected() {
        let v = field(json!({"type": "object", "additionalProperties": false}));
        assert_has(&v, F, "additionalProperties: false");
    }

    #[test]
    fn additional_properties_map_is_accepted() {
        assert_clean(&field(
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        ));
    }

    #[test]
    fn additional_properties_at_root_is_rejected() {
        let v = root(json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert_has(&v, "s", "at the root");
    }

    #[test]
    fn object_keywords_only_on_objects() {
        let v = field(json!({"type": "string", "properties": {"a": {"type": "string"}}}));
        assert_has(&v, F, "`properties` is only allowed on type object");
        let v = field(json!({"type": "string", "additionalProperties": {"type": "string"}}));
        assert_has(
            &v,
            F,
            "`additionalProperties` is only allowed on type object",
        );
    }

    #[test]
    fn array_needs_items() {
        assert_has(
            &field(json!({"type": "array"})),
            F,
            "`items` must be specified",
        );
        assert_clean(&field(
            json!({"type": "array", "items": {"type": "integer"}}),
        ));
    }

    #[test]
    fn items_must_be_one_schema() {
        let v = field(json!({"type": "array", "items": [{"type": "string"}]}));
        assert_has(&v, F, "not an array of schemas");
    }

    #[test]
    fn items_only_on_arrays() {
        let v = field(json!({"type": "string", "items": {"type": "string"}}));
        assert_has(&v, F, "`items` is only allowed on type array");
    }

    // ----- junctors -----------------------------------------------------------------------

    #[test]
    fn junctor_with_value_validations_only_is_accepted() {
        assert_clean(&field(json!({
            "type": "string",
            "anyOf": [{"pattern": "^a"}, {"maxLength": 3}],
            "not": {"enum": ["forbidden"]}
        })));
    }

    #[test]
    fn junctor_forbidden_keywords_are_rejected() {
        let cases = [
            ("allOf", json!([{"type": "string"}]), "`type`"),
            ("oneOf", json!([{"description": "d"}]), "`description`"),
            ("anyOf", json!([{"title": "t"}]), "`title`"),
            ("allOf", json!([{"default": "x"}]), "`default`"),
            ("allOf", json!([{"nullable": true}]), "`nullable`"),
            (
                "allOf",
                json!([{"additionalProperties": {"type": "string"}}]),
                "`additionalProperties`",
            ),
            (
                "allOf",
                json!([{"x-kubernetes-preserve-unknown-fields": true}]),
                PRESERVE,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-int-or-string": true}]),
                INT_OR_STRING,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-list-type": "set"}]),
                LIST_TYPE,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-validations": [{"rule": "true"}]}]),
                VALIDATIONS,
            ),
        ];
        for (key, junctor, needle) in cases {
            let mut schema = json!({"type": "string"});
            schema[key] = junctor;
            assert_has(&field(schema), &format!("{F}.{key}[0]"), needle);
        }
        let v = field(json!({"type": "string", "not": {"type": "integer"}}));
        assert_has(&v, &format!("{F}.not"), "`type`");
    }

    #[test]
    fn junctor_properties_must_exist_outside() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"properties": {"b": {"minLength": 1}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.oneOf[0].properties.b"),
            "not in the structural schema",
        );
        assert_clean(&field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"properties": {"a": {"minLength": 1}}}]
        })));
    }

    #[test]
    fn junctor_nested_deeply_is_checked() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}},
            "anyOf": [{"properties": {"a": {"allOf": [{"properties": {"b": {"type": "string"}}}]}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.anyOf[0].properties.a.allOf[0].properties.b"),
            "`type` must not be set inside",
        );
    }

    #[test]
    fn junctor_items_must_exist_outside() {
        let v = field(
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true, "allOf": [{"items": {"minLength": 1}}]}),
        );
        assert_has(
            &v,
            &format!("{F}.allOf[0].items"),
            "not in the structural schema",
        );
    }

    #[test]
    fn junctor_metadata_is_rejected() {
        let v = root(json!({
            "type": "object",
            "properties": {"metadata": {"type": "object"}},
            "allOf": [{"properties": {"metadata": {"required": ["name"]}}}]
        }));
        assert_has(
            &v,
            "s.allOf[0].properties.metadata",
            "must not be specified inside",
        );
    }

    #[test]
    fn junctor_required_names_sibling_properties() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"required": ["a"]}, {"required": ["zzz"]}]
        }));
        assert_has(&v, &format!("{F}.oneOf[1]"), "`zzz`");
        assert!(!v.iter().any(|x| x.path.ends_with("oneOf[0]")), "{v:#?}");
    }

    #[test]
    fn junctor_enum_is_typed_by_sibling() {
        let v = field(json!({
            "type": "object",
            "properties": {"on": {"type": "boolean"}},
            "oneOf": [{"properties": {"on": {"enum": [true]}}}, {"properties": {"on": {"enum": ["yes"]}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.oneOf[1].properties.on"),
            "must be of type boolean",
        );
        assert!(!v.iter().any(|x| x.path.contains("oneOf[0]")), "{v:#?}");
    }

    // ----- forbidden / unknown keywords ----------------------------------------------------

    #[test]
    fn forbidden_keywords_are_rejected() {
        let cases = [
            ("$ref", json!("#/definitions/x")),
            ("definitions", json!({"x": {"type": "string"}})),
            ("$defs", json!({"x": {"type": "string"}})),
            ("$schema", json!("draft-04")),
            ("id", json!("x")),
            ("dependencies", json!({"a": ["b"]})),
            ("additionalItems", json!(false)),
            ("patternProperties", json!({"^a": {"type": "string"}})),
            ("readOnly", json!(true)),
            ("writeOnly", json!(true)),
            ("const", json!("x")),
            ("prefixItems", json!([{"type": "string"}])),
            ("examples", json!(["x"])),
            ("frobnicate", json!(1)),
        ];
        for (key, value) in cases {
            let mut schema = json!({"type": "string"});
            schema[key] = value;
            assert_has(&field(schema), F, &format!("`{key}`"));
        }
    }

    #[test]
    fn singular_example_is_accepted() {
        assert_clean(&field(
            json!({"type": "string", "example": "x", "externalDocs": {"url": "u"}}),
        ));
    }

    #[test]
    fn unique_items_true_is_rejected() {
        let ok = json!({"type": "array", "items": {"type": "string"}, "uniqueItems": false});
        assert_clean(&field(ok));
        let bad = json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true});
        assert_has(&field(bad), F, "uniqueItems");
    }

    #[test]
    fn boolean_schema_nodes_are_rejected() {
        assert_has(&field(json!(true)), F, "boolean schema");
        let v = field(
            json!({"type": "object", "additionalProperties": {"type": "array", "items": false}}),
        );
        assert_has(
            &v,
            &format!("{F}.additionalProperties.items"),
            "boolean schema",
        );
        assert_has(&root(json!(42)), "s", "got number");
    }

    // ----- root ---------------------------------------------------------------------------

    #[test]
    fn root_must_be_object() {
        assert_has(
            &root(json!({"type": "string"})),
            "s",
            "must be object at the root",
        );
        assert_has(
            &root(json!({"properties": {}})),
            "s",
            "must be object at the root",
        );
        assert_clean(&root(json!({"type": "object"})));
    }

    #[test]
    fn root_metadata_may_restrict_name_only() {
        assert_clean(&root(
            json!({"type": "object", "properties": {"metadata": {"type": "object"}}}),
        ));
        assert_clean(&root(json!({"type": "object", "properties": {"metadata": {
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 63}, "generateName": {"type": "string"}}
        }}})));
        let v = root(json!({"type": "object", "properties": {"metadata": {
            "type": "object", "properties": {"labels": {"type": "object"}}
        }}}));
        assert_has(&v, "s.properties.metadata", "`labels`");
        let v = root(
            json!({"type": "object", "properties": {"metadata": {"type": "object", "description": "meta"}}}),
        );
        assert_has(&v, "s.properties.metadata", "remove `description`");
        let v = root(json!({"type": "object", "properties": {"metadata": {"type": "string"}}}));
        assert_has(&v, "s.properties.metadata", "must be type object");
    }

    #[test]
    fn root_flags_are_rejected() {
        assert_has(
            &root(json!({"type": "object", "nullable": true})),
            "s",
            "nullable",
        );
        let v = root(
            json!({"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}),
        );
        assert_has(&v, "s", EMBEDDED);
        let v = root(json!({"type": "object", "x-kubernetes-int-or-string": true}));
        assert_has(&v, "s", "must not be set at the root");
    }

    #[test]
    fn root_api_version_and_kind_are_strings() {
        let v = root(
            json!({"type": "object", "properties": {"apiVersion": {"type": "integer"}, "kind": {"type": "string"}}}),
        );
        assert_has(&v, "s.properties.apiVersion", "must be type string");
        assert!(!v.iter().any(|x| x.path == "s.properties.kind"), "{v:#?}");
    }

    #[test]
    fn root_and_metadata_defaults_are_rejected() {
        assert_has(
            &root(json!({"type": "object", "default": {}})),
            "s",
            "at the root",
        );
        let v = root(
            json!({"type": "object", "properties": {"metadata": {"type": "object", "default": {}}}}),
        );
        assert_has(&v, "s.properties.metadata", "inside top-level metadata");
        let v = root(
            json!({"type": "object", "properties": {"kind": {"type": "string", "default": "W"}}}),
        );
        assert_has(&v, "s.properties.kind", "inside top-level kind");
    }

    // ----- embedded resources -------------------------------------------------------------

    #[test]
    fn embedded_resource_shapes() {
        assert_clean(&field(json!({
            "type": "object",
            "x-kubernetes-embedded-resource": true,
            "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object", "properties": {"labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}
        })));
        assert_has(
            &field(
                json!({"x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}),
            ),
            F,
            "requires type object",
        );
        assert_has(
            &field(json!({"type": "object", "x-kubernetes-embedded-resource": true})),
            F,
            "requires properties",
        );
        let v = field(
            json!({"type": "object", "x-kubernetes-embedded-resource": true, "properties": {"kind": {"type": "integer"}}}),
        );
        assert_has(&v, &format!("{F}.properties.kind"), "must be type string");
    }

    #[test]
    fn embedded_resource_inside_metadata_is_rejected() {
        let v = root(json!({"type": "object", "properties": {"kind": {
            "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true
        }}}));
        assert_has(
            &v,
            "s.properties.kind",
            "inside apiVersion, kind or metadata",
        );
    }

    // ----- list / map types ---------------------------------------------------------------

    fn map_list(items: Value) -> Value {
        json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], "items": items})
    }

    #[test]
    fn list_type_only_on_arrays_with_known_values() {
        assert_has(
            &field(json!({"type": "string", "x-kubernetes-list-type": "atomic"})),
            F,
            "only allowed on type array",
        );
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}),
        );
        assert_has(&v, F, "unsupported");
        assert_clean(&field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"}),
        ));
    }

    #[test]
    fn map_list_rules() {
        let keyed = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
        assert_clean(&field(map_list(keyed)));
        let defaulted = json!({"type": "object", "properties": {"name": {"type": "string", "default": "main"}}});
        assert_clean(&field(map_list(defaulted)));

        let v = field(
            json!({"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object"}}),
        );
        assert_has(&v, F, "non-empty `x-kubernetes-list-map-keys`");
        assert_has(
            &field(map_list(json!({"type": "string"}))),
            &format!("{F}.items"),
            "must be type object",
        );
        let missing = json!({"type": "object", "properties": {"other": {"type": "string"}}});
        assert_has(&field(map_list(missing)), F, "not a property of items");
        let object_key = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "object"}}});
        assert_has(
            &field(map_list(object_key)),
            &format!("{F}.items.properties.name"),
            "must be a scalar",
        );
        let optional = json!({"type": "object", "properties": {"name": {"type": "string"}}});
        assert_has(
            &field(map_list(optional)),
            &format!("{F}.items.properties.name"),
            "required or have a default",
        );
        let nullable = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "nullable": true}}});
        assert_has(
            &field(map_list(nullable)),
            &format!("{F}.items.properties.name"),
            "must not be nullable",
        );
    }

    #[test]
    fn list_map_keys_require_map_list() {
        let v = field(json!({
            "type": "array",
            "x-kubernetes-list-map-keys": ["name"],
            "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        }));
        assert_has(&v, F, "requires `x-kubernetes-list-type: map`");
    }

    #[test]
    fn set_items_must_be_scalar_or_atomic() {
        let set = |items: Value| json!({"type": "array", "x-kubernetes-list-type": "set", "items": items});
        assert_clean(&field(set(json!({"type": "integer"}))));
        assert_clean(&field(set(
            json!({"type": "object", "x-kubernetes-map-type": "atomic", "properties": {"a": {"type": "string"}}}),
        )));
        let v = field(set(
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        ));
        assert_has(&v, &format!("{F}.items"), "map-type: atomic");
        let v = field(set(
            json!({"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}),
        ));
        assert_has(&v, &format!("{F}.items"), "unset or atomic");
        let v = field(set(json!({"type": "string", "nullable": true})));
        assert_has(&v, &format!("{F}.items"), "must not be nullable");
    }

    #[test]
    fn map_type_rules() {
        assert_clean(&field(
            json!({"type": "object", "x-kubernetes-map-type": "atomic"}),
        ));
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-map-type": "atomic"}),
        );
        assert_has(&v, F, "only allowed on type object");
        assert_has(
            &field(json!({"type": "object", "x-kubernetes-map-type": "merge"})),
            F,
            "unsupported",
        );
    }

    // ----- required -----------------------------------------------------------------------

    #[test]
    fn required_rules() {
        let props = json!({"a": {"type": "string"}});
        assert_clean(&field(
            json!({"type": "object", "properties": props, "required": ["a"]}),
        ));
        let v = field(json!({"type": "object", "properties": props, "required": ["a", "a"]}));
        assert_has(&v, F, "more than once");
        let v = field(json!({"type": "object", "properties": props, "required": ["b"]}));
        assert_has(&v, F, "not a declared property");
        assert_has(
            &field(json!({"type": "object", "properties": props, "required": "a"})),
            F,
            "must be an array",
        );
    }

    #[test]
    fn required_is_open_on_preserving_or_map_nodes() {
        assert_clean(&field(
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true, "required": ["x"]}),
        ));
        assert_clean(&field(
            json!({"type": "object", "additionalProperties": {"type": "string"}, "required": ["x"]}),
        ));
    }

    // ----- enum ---------------------------------------------------------------------------

    #[test]
    fn enum_rules() {
        assert_has(
            &field(json!({"type": "string", "enum": []})),
            F,
            "must not be empty",
        );
        assert_has(
            &field(json!({"type": "string", "enum": ["a", 1]})),
            F,
            "`enum[1]` must be of type string",
        );
        assert_clean(&field(
            json!({"type": "string", "nullable": true, "enum": ["a", null]}),
        ));
        assert_has(
            &field(json!({"type": "string", "enum": ["a", null]})),
            F,
            "nullable",
        );
        assert_clean(&field(
            json!({"x-kubernetes-int-or-string": true, "enum": [1, "2"]}),
        ));
        assert_has(
            &field(json!({"x-kubernetes-int-or-string": true, "enum": [true]})),
            F,
            "integer or a string",
        );
        assert_clean(&field(json!({"type": "integer", "enum": [1, 2.0]})));
        assert_has(
            &field(json!({"type": "integer", "enum": [1.5]})),
            F,
            "must be of type integer",
        );
    }

    // ----- numeric / count bounds ---------------------------------------------------------

    #[test]
    fn numeric_keywords() {
        assert_clean(&field(
            json!({"type": "number", "minimum": -1.5, "maximum": 2, "multipleOf": 0.5}),
        ));
        assert_has(
            &field(json!({"type": "integer", "minimum": "0"})),
            F,
            "`minimum` must be a number",
        );
        assert_has(
            &field(json!({"type": "integer", "multipleOf": 0})),
            F,
            "greater than 0",
        );
        assert_has(
            &field(json!({"type": "integer", "minimum": 5, "maximum": 1})),
            F,
            "greater than `maximum`",
        );
        assert_has(
            &field(json!({"type": "integer", "exclusiveMinimum": 3})),
            F,
            "must be a boolean",
        );
        assert_clean(&field(
            json!({"type": "integer", "minimum": 3, "exclusiveMinimum": true}),
        ));
    }

    #[test]
    fn count_keywords() {
        assert_clean(&field(
            json!({"type": "string", "minLength": 1, "maxLength": 5}),
        ));
        assert_has(
            &field(json!({"type": "string", "minLength": -1})),
            F,
            "non-negative integer",
        );
        assert_has(
            &field(json!({"type": "string", "maxLength": 1.5})),
            F,
            "non-negative integer",
        );
        assert_has(
            &field(json!({"type": "string", "minLength": 3, "maxLength": 2})),
            F,
            "greater than `maxLength`",
        );
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 1}),
        );
        assert_has(&v, F, "`minItems`");
        let v = field(
            json!({"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 2, "maxProperties": 1}),
        );
        assert_has(&v, F, "`minProperties`");
    }

    #[test]
    fn string_keywords_must_be_strings() {
        assert_has(
            &field(json!({"type": "string", "pattern": 5})),
            F,
            "`pattern` must be a string",
        );
        assert_has(
            &field(json!({"type": "string", "description": ["x"]})),
            F,
            "`description` must be a string",
        );
        assert_has(
            &field(json!({"type": "string", "nullable": "yes"})),
            F,
            "`nullable` must be a boolean",
        );
        let v = field(json!({"type": "object", "x-kubernetes-preserve-unknown-fields": false}));
        assert_has(&v, F, "must be true or undefined");
    }

    // ----- defaults -----------------------------------------------------------------------

    #[test]
    fn default_must_fit_its_node() {
        assert_has(
            &field(json!({"type": "integer", "default": "1"})),
            F,
            "`default` must be of type integer",
        );
        assert_has(
            &field(json!({"type": "string", "enum": ["a"], "default": "b"})),
            F,
            "enum",
        );
        assert_has(
            &field(json!({"type": "string", "default": null})),
            F,
            "nullable",
        );
        assert_clean(&field(
            json!({"type": "string", "nullable": true, "default": null}),
        ));
        assert_clean(&field(
            json!({"x-kubernetes-int-or-string": true, "default": "50%"}),
        ));
    }

    #[test]
    fn default_is_checked_recursively() {
        let schema = json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer"}, "b": {"type": "array", "items": {"type": "string"}}}
        });
        let mut ok = schema.clone();
        ok["default"] = json!({"a": 1, "b": ["x"]});
        assert_clean(&field(ok));
        let mut missing = schema.clone();
        missing["default"] = json!({"b": []});
        assert_has(&field(missing), F, "missing required property `a`");
        let mut nested = schema.clone();
        nested["default"] = json!({"a": 1, "b": ["x", 2]});
        assert_has(&field(nested), F, "`default.b[1]` must be of type string");
    }

    #[test]
    fn default_in_junctor_is_rejected() {
        let v = field(json!({"type": "string", "allOf": [{"default": "x"}]}));
        assert_has(&v, &format!("{F}.allOf[0]"), "`default`");
    }

    // ----- x-kubernetes-validations -------------------------------------------------------

    fn rules(list: Value) -> Vec<Violation> {
        field(json!({"type": "string", "x-kubernetes-validations": list}))
    }

    #[test]
    fn validation_rules() {
        assert_clean(&rules(json!([{
            "rule": "self.size() > 0",
            "message": "empty",
            "messageExpression": "'bad: ' + self",
            "reason": "FieldValueForbidden",
            "fieldPath": ".x",
            "optionalOldSelf": true
        }])));
        assert_has(&rules(json!([{"rule": "  "}])), F, "non-empty CEL");
        assert_has(&rules(json!([{"message": "m"}])), F, "non-empty CEL");
        assert_has(
            &rules(json!([{"rule": "true", "reason": "Nope"}])),
            F,
            "reason",
        );
        assert_has(
            &rules(json!([{"rule": "true", "fieldPath": "x"}])),
            F,
            "start with `.`",
        );
        assert_has(
            &rules(json!([{"rule": "true", "optionalOldSelf": "yes"}])),
            F,
            "optionalOldSelf",
        );
        assert_has(
            &rules(json!([{"rule": "true", "message": 3}])),
            F,
            "`x-kubernetes-validations[0].message` must be a string",
        );
        assert_has(
            &rules(json!([{"rule": "true", "messageExpression": ""}])),
            F,
            "non-empty if specified",
        );
        assert_has(&rules(json!([{"rule": "a &&\nb"}])), F, "line breaks");
        assert_has(
            &rules(json!([{"rule": "true", "severity": "x"}])),
            F,
            "unknown field `severity`",
        );
        assert_has(&rules(json!({"rule": "true"})), F, "must be an array");
        assert_has(&rules(json!(["true"])), F, "must be an object");
    }

    // ----- CRD level ----------------------------------------------------------------------

    /// Checks [`valid_crd`] with the value at `pointer` replaced (or added).
    fn crd_with(pointer: &str, value: Value) -> Vec<Violation> {
        let mut crd = valid_crd();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
        match at(&mut crd, parent) {
            Value::Object(map) => {
                map.insert(key.to_owned(), value);
            }
            Value::Array(list) => list[key.parse::<usize>().expect("array index")] = value,
            other => panic!("cannot set {key} in {other}"),
        }
        check_crd(&crd)
    }

    #[test]
    fn crd_type_meta() {
        assert_has(
            &crd_with("/apiVersion", json!("apiextensions.k8s.io/v1beta1")),
            "apiVersion",
            "no longer served",
        );
        assert_has(
            &crd_with("/kind", json!("Thing")),
            "kind",
            "CustomResourceDefinition",
        );
    }

    #[test]
    fn crd_group() {
        assert_has(
            &crd_with("/spec/group", json!("")),
            "spec.group",
            "required",
        );
        assert_has(
            &crd_with("/spec/group", json!("example")),
            "spec.group",
            "at least one dot",
        );
        assert_has(
            &crd_with("/spec/group", json!("Kubeforge.test")),
            "spec.group",
            "DNS-1123",
        );
    }

    #[test]
    fn crd_scope() {
        assert_has(
            &crd_with("/spec/scope", json!("Global")),
            "spec.scope",
            "Namespaced or Cluster",
        );
        let mut crd = valid_crd();
        *at(&mut crd, "/spec/scope") = json!("Cluster");
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_names() {
        assert_has(
            &crd_with("/spec/names/plural", json!("")),
            "spec.names.plural",
            "required",
        );
        assert_has(
            &crd_with("/spec/names/plural", json!("Widgets")),
            "spec.names.plural",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/kind", json!(null)),
            "spec.names.kind",
            "required",
        );
        assert_has(
            &crd_with("/spec/names/kind", json!("Wid_get")),
            "spec.names.kind",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/listKind", json!("Widget")),
            "spec.names.listKind",
            "may not be the same",
        );
        assert_has(
            &crd_with("/spec/names/singular", json!("Widget")),
            "spec.names.singular",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/shortNames", json!(["ok", "No"])),
            "spec.names.shortNames[1]",
            "DNS-1035",
        );
        // singular and listKind are defaulted by the v1 API.
        let mut crd = valid_crd();
        let names = at(&mut crd, "/spec/names");
        *names = json!({"plural": "widgets", "kind": "Widget"});
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_metadata_name() {
        assert_has(
            &crd_with("/metadata/name", json!("widget.kubeforge.test")),
            "metadata.name",
            "widgets.kubeforge.test",
        );
        assert_has(
            &crd_with("/metadata", json!({})),
            "metadata.name",
            "required",
        );
    }

    #[test]
    fn crd_versions_required() {
        assert_has(
            &crd_with("/spec/versions", json!([])),
            "spec.versions",
            "at least one version",
        );
        assert_has(
            &crd_with("/spec/versions", json!(null)),
            "spec.versions",
            "required",
        );
    }

    #[test]
    fn crd_version_names() {
        assert_has(
            &crd_with("/spec/versions/0/name", json!("V1")),
            "spec.versions[V1].name",
            "DNS-1035",
        );
        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["storage"] = json!(false);
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(&check_crd(&crd), "spec.versions[v1].name", "more than once");
    }

    #[test]
    fn crd_storage_and_served() {
        assert_has(
            &crd_with("/spec/versions/0/storage", json!(false)),
            "spec.versions",
            "exactly one version",
        );
        assert_has(
            &crd_with("/spec/versions/0/served", json!(false)),
            "spec.versions",
            "served: true",
        );

        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2");
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(&check_crd(&crd), "spec.versions", "found 2");

        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2beta1");
        second["storage"] = json!(false);
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_every_version_needs_a_schema() {
        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2");
        second["storage"] = json!(false);
        second.as_object_mut().map(|v| v.remove("schema"));
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(
            &check_crd(&crd),
            "spec.versions[v2].schema.openAPIV3Schema",
            "schema is required",
        );
        // A top-level schema covers versions without their own.
        crd["spec"]["validation"] = json!({"openAPIV3Schema": valid_schema()});
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_schema_violations_carry_version_path() {
        let v = crd_with(
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size",
            json!({"type": "object", "additionalProperties": false}),
        );
        assert_has(
            &v,
            "spec.versions[v1].schema.openAPIV3Schema.properties.spec.properties.size",
            "additionalProperties: false",
        );
    }

    #[test]
    fn crd_status_subresource_restricts_root() {
        let mut crd = valid_crd();
        at(&mut crd, "/spec/versions/0/schema/openAPIV3Schema")["anyOf"] =
            json!([{"required": ["spec"]}]);
        assert_has(
            &check_crd(&crd),
            "spec.versions[v1].schema.openAPIV3Schema",
            "status subresource",
        );
        // Without the status subresource the same root is fine.
        crd["spec"]["versions"][0]
            .as_object_mut()
            .map(|v| v.remove("subresources"));
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_scale_paths() {
        let scale = "/spec/versions/0/subresources/scale";
        let v = crd_with(
            &format!("{scale}/specReplicasPath"),
            json!(".status.replicas"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.specReplicasPath",
            ".spec.",
        );
        let v = crd_with(
            &format!("{scale}/statusReplicasPath"),
            json!("status.replicas"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.statusReplicasPath",
            ".status.",
        );
        let v = crd_with(scale, json!({"statusReplicasPath": ".status.replicas"}));
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.specReplicasPath",
            "required",
        );
        let v = crd_with(
            &format!("{scale}/labelSelectorPath"),
            json!(".metadata.labels"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.labelSelectorPath",
            ".spec. or .status.",
        );
    }

    #[test]
    fn crd_printer_columns() {
        let p = "spec.versions[v1].additionalPrinterColumns[0]";
        let col = "/spec/versions/0/additionalPrinterColumns/0";
        assert_has(
            &crd_with(&format!("{col}/type"), json!("int")),
            &format!("{p}.type"),
            "must be one of",
        );
        assert_has(
            &crd_with(&format!("{col}/jsonPath"), json!("spec.replicas")),
            &format!("{p}.jsonPath"),
            "starting with `.`",
        );
        assert_has(
            &crd_with(&format!("{col}/name"), json!("")),
            &format!("{p}.name"),
            "required",
        );
        assert_has(
            &crd_with(&format!("{col}/format"), json!("uuid")),
            &format!("{p}.format"),
            "must be one of",
        );
        let ok = json!({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp", "priority": 1});
        let mut crd = valid_crd();
        *at(&mut crd, col) = ok;
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_selectable_fields() {
        let p = "spec.versions[v1].selectableFields[0].jsonPath";
        let f = "/spec/versions/0/selectableFields/0/jsonPath";
        assert_has(&crd_with(f, json!("spec.color")), p, "must start with `.`");
        assert_has(&crd_with(f, json!(".metadata.name")), p, "metadata");
        assert_has(
            &crd_with(f, json!(".spec.labels")),
            p,
            "string, boolean or integer",
        );
        assert_has(&crd_with(f, json!(".spec.nope")), p, "does not resolve");
        let many: Vec<Value> = (0..9)
            .map(|i| json!({"jsonPath": format!(".spec.f{i}")}))
            .collect();
        let v = crd_with("/spec/versions/0/selectableFields", json!(many));
        assert_has(&v, "spec.versions[v1].selectableFields", "at most 8");
    }

    #[test]
    fn crd_size_limit() {
        let mut crd = valid_crd();
        let big = "x".repeat(MAX_CRD_BYTES);
        at(&mut crd, "/spec/versions/0/schema/openAPIV3Schema")["description"] = json!(big);
        assert_has(&check_crd(&crd), "", "1.5 MiB");
    }

    #[test]
    fn crd_preserve_unknown_fields_and_conversion() {
        assert_has(
            &crd_with("/spec/preserveUnknownFields", json!(true)),
            "spec.preserveUnknownFields",
            "must be false",
        );
        assert_clean(&crd_with("/spec/preserveUnknownFields", json!(false)));
        let v = crd_with("/spec/conversion", json!({"strategy": "Webhook"}));
        assert_has(&v, "spec.conversion.webhook", "required");
        let v = crd_with(
            "/spec/conversion",
            json!({"strategy": "Webhook", "webhook": {"clientConfig": {"service": {"name": "s", "namespace": "n"}}, "conversionReviewVersions": ["v1"]}}),
        );
        assert_clean(&v);
        let v = crd_with("/spec/conversion", json!({"strategy": "Magic"}));
        assert_has(&v, "spec.conversion.strategy", "None or Webhook");
    }

    #[test]
    fn crd_deprecation_warning() {
        let v = crd_with("/spec/versions/0/deprecationWarning", json!("old"));
        assert_has(
            &v,
            "spec.versions[v1].deprecationWarning",
            "deprecated versions",
        );
        let mut crd = valid_crd();
        crd["spec"]["versions"][0]["deprecated"] = json!(true);
        crd["spec"]["versions"][0]["deprecationWarning"] = json!("use v2");
        assert_clean(&check_crd(&crd));
    }

    // ----- robustness ---------------------------------------------------------------------

    #[test]
    fn malformed_input_never_panics() {
        let inputs = [
            json!(null),
            json!([1, 2, 3]),
            json!("crd"),
            json!({"spec": null}),
            json!({"spec": {"versions": [null, 1, {"name": 5, "schema": {"openAPIV3Schema": [true]}}]}}),
            json!({"spec": {"names": [], "group": 1, "scope": {}, "versions": "v1", "conversion": []}}),
            json!({"spec": {"versions": [{"name": "v1", "subresources": [], "additionalPrinterColumns": {}, "selectableFields": [1, {"jsonPath": ""}]}]}}),
        ];
        for input in &inputs {
            let _ = check_crd(input);
            let _ = check_schema(input, "x");
        }
        let weird = json!({
            "type": "object",
            "properties": [],
            "required": [1, null],
            "enum": {},
            "allOf": {},
            "anyOf": [null, 1],
            "not": "x",
            "x-kubernetes-list-type": 1,
            "x-kubernetes-list-map-keys": "a",
            "x-kubernetes-map-type": [],
            "x-kubernetes-validations": [{"rule": 1, "fieldPath": 2, "reason": null}],
            "items": {"type": "array", "x-kubernetes-list-type": "map", "items": "x"}
        });
        assert!(!check_schema(&weird, "w").is_empty());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut schema = json!({"type": "string"});
        for _ in 0..(MAX_DEPTH * 3) {
            schema = json!({"type": "object", "properties": {"n": schema}, "allOf": [{"not": {"minProperties": 0}}]});
        }
        let v = field(schema);
        assert!(
            v.iter().any(|x| x.message.contains("nests deeper")),
            "no depth violation"
        );
    }
}
