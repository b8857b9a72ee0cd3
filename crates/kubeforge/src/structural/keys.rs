//! Schema keywords and the sets of them the apiserver knows, accepts or rejects.

pub(crate) const PRESERVE: &str = "x-kubernetes-preserve-unknown-fields";

pub(crate) const EMBEDDED: &str = "x-kubernetes-embedded-resource";

pub(crate) const INT_OR_STRING: &str = "x-kubernetes-int-or-string";

pub(crate) const LIST_TYPE: &str = "x-kubernetes-list-type";

pub(crate) const LIST_MAP_KEYS: &str = "x-kubernetes-list-map-keys";

pub(super) const MAP_TYPE: &str = "x-kubernetes-map-type";

pub(crate) const VALIDATIONS: &str = "x-kubernetes-validations";

/// Schema nesting deeper than this is reported instead of walked, so hostile input cannot
/// overflow the stack. Real CRDs (even ones embedding a whole PodSpec) stay far below it.
pub(crate) const MAX_DEPTH: usize = 128;

/// `openapiV3Types` in validation.go.
pub(super) const SCHEMA_TYPES: &[&str] =
    &["object", "array", "string", "integer", "number", "boolean"];

pub(super) const SCALAR_TYPES: &[&str] = &["string", "integer", "number", "boolean"];

/// Every JSON field of the apiextensions `JSONSchemaProps` type. Anything else is an unknown
/// field, which the apiserver's strict field validation rejects.
pub(super) const KNOWN_KEYS: &[&str] = &[
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
pub(super) const UNSUPPORTED_KEYS: &[(&str, &str)] = &[
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
pub(super) const FOREIGN_KEYS: &[(&str, &str)] = &[
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

/// Properties that make up the resource envelope of the root or an embedded resource.
pub(super) const META_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];
