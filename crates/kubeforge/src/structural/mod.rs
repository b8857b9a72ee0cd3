//! Offline checks that a CustomResourceDefinition would be accepted by kube-apiserver.
//!
//! The rules mirror Kubernetes apiextensions-apiserver, one module per part:
//!
//! - `walk`, `shape`, `keywords`, `values`, `lists`, `rules`:
//!   `pkg/apiserver/schema/validation.go` (`ValidateStructural`: non-empty types, int-or-string
//!   and embedded-resource shapes, root metadata restrictions) with the per-node checks of
//!   `pkg/apis/apiextensions/validation/validation.go` (bounds, list/map types, defaults,
//!   `x-kubernetes-validations`) and `pkg/apiserver/schema/convert.go` (`NewStructural`:
//!   keywords that cannot be converted);
//! - `junctors`, `complete`: what may sit inside `allOf`/`anyOf`/`oneOf`/`not`, and
//!   `pkg/apiserver/schema/complete.go` (`validateStructuralCompleteness`): whatever a junctor
//!   names must also be specified outside of it;
//! - `crd`, `names`, `versions`, `subresources`, `columns`:
//!   `pkg/apis/apiextensions/validation/validation.go` for the CRD object: spec, names,
//!   versions, subresources, printer columns and selectable fields;
//! - the "Specifying a structural schema" section of the Kubernetes CRD documentation.
//!
//! A few checks are deliberately stricter than the apiserver because what they catch is always
//! a generator bug (an undeclared `required` entry, an enum value of the wrong type); their
//! comments say so. CEL rules are parsed and checked against their schema node by `crate::cel`
//! (called from [`check_crd`]); `pattern` regexes are not parsed.
//!
//! Input is only ever read through `get`/`as_*`, so malformed input produces violations and
//! never panics; recursion is bounded by `keys::MAX_DEPTH`.

use std::fmt;

use serde_json::{Map, Value};

mod columns;
mod complete;
mod crd;
mod junctors;
mod keys;
mod keywords;
mod lists;
mod names;
mod rules;
mod shape;
mod subresources;
#[cfg(test)]
mod test_support;
mod util;
mod values;
mod versions;
mod walk;

pub use crd::check_crd;
pub use walk::check_schema;

// What the CEL checks walk the same schema with, so both report one path.
pub(crate) use keys::{
    EMBEDDED, INT_OR_STRING, LIST_MAP_KEYS, LIST_TYPE, MAX_DEPTH, PRESERVE, VALIDATIONS,
};
pub(crate) use util::{child, is_true, prop_path};
pub(crate) use versions::version_path;

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
