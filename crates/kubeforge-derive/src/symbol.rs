//! The `#[crd(...)]` keys the code treats specially, by name. Everything else about a marker is
//! in its entry of the marker table (`markers.rs`); a test checks every name here is a key there.

pub(crate) const CRD: &str = "crd";

pub(crate) const PATTERN: &str = "pattern";
pub(crate) const MULTIPLE_OF: &str = "multiple_of";
pub(crate) const ENUM_VALUES: &str = "enum_values";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const UNIQUE_ITEMS: &str = "unique_items";
pub(crate) const INT_OR_STRING: &str = "int_or_string";
pub(crate) const SCHEMALESS: &str = "schemaless";
pub(crate) const IMMUTABLE: &str = "immutable";
pub(crate) const LIST_TYPE: &str = "list_type";
pub(crate) const LIST_MAP_KEYS: &str = "list_map_keys";
pub(crate) const EXTERNAL_DOCS: &str = "external_docs";
pub(crate) const ITEMS: &str = "items";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_key_is_in_the_marker_table() {
        for key in [
            PATTERN,
            MULTIPLE_OF,
            ENUM_VALUES,
            DEFAULT,
            UNIQUE_ITEMS,
            INT_OR_STRING,
            SCHEMALESS,
            IMMUTABLE,
            LIST_TYPE,
            LIST_MAP_KEYS,
            EXTERNAL_DOCS,
            ITEMS,
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
        ] {
            assert!(crate::markers::by_key(key).is_some(), "`{key}`");
        }
    }
}
