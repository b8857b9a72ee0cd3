//! Completeness (complete.go `validateStructuralCompleteness`): whatever a junctor names must also
//! be specified outside of it.

use serde_json::Value;

use super::util::{child, prop_path, property, push};
use super::{Obj, Violation};

/// complete.go: every property and `items` a junctor talks about must also exist in the
/// structural schema beside it, otherwise it would be pruned before being validated.
pub(super) fn check_completeness(
    obj: &Obj,
    counterpart: Option<&Obj>,
    path: &str,
    out: &mut Vec<Violation>,
) {
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
