//! The keys of `#[crd(...)]`, one constant each so the parser, the checks and the messages agree.

pub(crate) const CRD: &str = "crd";

// Field and type value markers.
pub(crate) const MINIMUM: &str = "minimum";
pub(crate) const MAXIMUM: &str = "maximum";
pub(crate) const EXCLUSIVE_MINIMUM: &str = "exclusive_minimum";
pub(crate) const EXCLUSIVE_MAXIMUM: &str = "exclusive_maximum";
pub(crate) const MULTIPLE_OF: &str = "multiple_of";
pub(crate) const MIN_LENGTH: &str = "min_length";
pub(crate) const MAX_LENGTH: &str = "max_length";
pub(crate) const PATTERN: &str = "pattern";
pub(crate) const ENUM_VALUES: &str = "enum_values";
pub(crate) const FORMAT: &str = "format";
pub(crate) const MIN_ITEMS: &str = "min_items";
pub(crate) const MAX_ITEMS: &str = "max_items";
pub(crate) const UNIQUE_ITEMS: &str = "unique_items";
pub(crate) const MIN_PROPERTIES: &str = "min_properties";
pub(crate) const MAX_PROPERTIES: &str = "max_properties";
pub(crate) const TYPE: &str = "type";
pub(crate) const NULLABLE: &str = "nullable";
pub(crate) const REQUIRED: &str = "required";
pub(crate) const OPTIONAL: &str = "optional";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const EXAMPLE: &str = "example";
pub(crate) const EMBEDDED_RESOURCE: &str = "embedded_resource";
pub(crate) const INT_OR_STRING: &str = "int_or_string";
pub(crate) const PRESERVE_UNKNOWN_FIELDS: &str = "preserve_unknown_fields";
pub(crate) const SCHEMALESS: &str = "schemaless";
pub(crate) const LIST_TYPE: &str = "list_type";
pub(crate) const LIST_MAP_KEYS: &str = "list_map_keys";
pub(crate) const MAP_TYPE: &str = "map_type";
pub(crate) const STRUCT_TYPE: &str = "struct_type";
pub(crate) const VALIDATION: &str = "validation";
pub(crate) const ITEMS: &str = "items";
pub(crate) const TITLE: &str = "title";
pub(crate) const DESCRIPTION: &str = "description";
pub(crate) const IMMUTABLE: &str = "immutable";
pub(crate) const EXTERNAL_DOCS: &str = "external_docs";

// Type-only markers.
pub(crate) const AT_MOST_ONE_OF: &str = "at_most_one_of";
pub(crate) const EXACTLY_ONE_OF: &str = "exactly_one_of";
pub(crate) const AT_LEAST_ONE_OF: &str = "at_least_one_of";

// Version markers (spec struct only).
pub(crate) const STORAGE_VERSION: &str = "storage_version";
pub(crate) const UNSERVED: &str = "unserved";
pub(crate) const DEPRECATED: &str = "deprecated";
pub(crate) const SKIP: &str = "skip";
pub(crate) const PRINTCOLUMN: &str = "printcolumn";
pub(crate) const SELECTABLE_FIELD: &str = "selectable_field";
pub(crate) const CATEGORIES: &str = "categories";
pub(crate) const SCALE: &str = "scale";
pub(crate) const METADATA: &str = "metadata";
pub(crate) const SPEC_DESCRIPTION: &str = "spec_description";
pub(crate) const STATUS_DESCRIPTION: &str = "status_description";
pub(crate) const SPEC_OPTIONAL: &str = "spec_optional";

pub(crate) const FIELD_KEYS: &[&str] = &[
    MINIMUM,
    MAXIMUM,
    EXCLUSIVE_MINIMUM,
    EXCLUSIVE_MAXIMUM,
    MULTIPLE_OF,
    MIN_LENGTH,
    MAX_LENGTH,
    PATTERN,
    ENUM_VALUES,
    FORMAT,
    MIN_ITEMS,
    MAX_ITEMS,
    UNIQUE_ITEMS,
    MIN_PROPERTIES,
    MAX_PROPERTIES,
    TYPE,
    NULLABLE,
    REQUIRED,
    OPTIONAL,
    DEFAULT,
    EXAMPLE,
    EMBEDDED_RESOURCE,
    INT_OR_STRING,
    PRESERVE_UNKNOWN_FIELDS,
    SCHEMALESS,
    LIST_TYPE,
    LIST_MAP_KEYS,
    MAP_TYPE,
    STRUCT_TYPE,
    VALIDATION,
    ITEMS,
    TITLE,
    DESCRIPTION,
    IMMUTABLE,
    EXTERNAL_DOCS,
];
pub(crate) const TYPE_ONLY_KEYS: &[&str] = &[AT_MOST_ONE_OF, EXACTLY_ONE_OF, AT_LEAST_ONE_OF];
pub(crate) const VERSION_KEYS: &[&str] = &[
    STORAGE_VERSION,
    UNSERVED,
    DEPRECATED,
    SKIP,
    PRINTCOLUMN,
    SELECTABLE_FIELD,
    CATEGORIES,
    SCALE,
    METADATA,
    SPEC_DESCRIPTION,
    STATUS_DESCRIPTION,
    SPEC_OPTIONAL,
];
