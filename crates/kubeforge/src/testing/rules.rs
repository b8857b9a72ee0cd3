//! `x-kubernetes-validations` evaluated with the `cel` crate, the way apiextensions-apiserver's
//! `schema/cel.Validator` does: top-down, `self` bound to the value at the node, `oldSelf` to
//! the correlated old value on update, and its messages.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use cel::objects::{Key, Map, OptionalValue};
use cel::{Context, Env, ExecutionError, Value as Cel};
use serde_json::Value;

use super::field_error::{ErrorKind, FieldError, go_quote};
use super::schema::Node;
use crate::cel::escape;
use crate::structural::child as child_field;

/// The standard library plus the cel-go extensions Kubernetes enables that the crate has.
static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| {
    let mut env = Env::stdlib();
    for extension in [
        cel::extensions::strings as fn(&mut Env) -> _,
        cel::extensions::lists,
        cel::extensions::math,
    ] {
        env.add_extension(extension)
            .expect("the cel crate's extensions do not overlap its standard library");
    }
    Arc::new(env)
});

/// Functions of the Kubernetes CEL libraries (lists, regex, URLs, IPs, CIDRs, quantities,
/// semver, format, sets, authorizer) that the `cel` crate does not have: a rule reaching one
/// is reported as not checkable offline, never passed or failed.
const KUBERNETES_ONLY: &[&str] = &[
    "isSorted",
    "sum",
    "min",
    "max",
    "indexOf",
    "lastIndexOf",
    "find",
    "findAll",
    "url",
    "isURL",
    "getScheme",
    "getHost",
    "getHostname",
    "getPort",
    "getEscapedPath",
    "getQuery",
    "ip",
    "isIP",
    "cidr",
    "isCIDR",
    "family",
    "isUnspecified",
    "isLoopback",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isGlobalUnicast",
    "containsIP",
    "containsCIDR",
    "masked",
    "prefixLength",
    "isCanonical",
    "quantity",
    "isQuantity",
    "isInteger",
    "asInteger",
    "asApproximateFloat",
    "sign",
    "add",
    "sub",
    "compareTo",
    "isGreaterThan",
    "isLessThan",
    "semver",
    "isSemver",
    "major",
    "minor",
    "patch",
    "format.named",
    "validate",
    "format.dns1123Label",
    "format.dns1123Subdomain",
    "format.dns1035Label",
    "format.qualifiedName",
    "format.dns1123LabelPrefix",
    "format.dns1123SubdomainPrefix",
    "format.dns1035LabelPrefix",
    "format.labelValue",
    "format.uri",
    "format.uuid",
    "format.byte",
    "format.date",
    "format.datetime",
    "sets.contains",
    "sets.equivalent",
    "sets.intersects",
    "authorizer",
    "path",
    "group",
    "resource",
    "namespace",
    "name",
    "subresource",
    "check",
    "allowed",
    "reason",
    "errored",
    "serviceAccount",
];

/// Evaluates every rule below `node`; `old` is the correlated old value (update only).
pub(crate) fn check(
    value: &Value,
    old: Option<&Value>,
    node: Node<'_>,
    path: &str,
    is_root: bool,
    errors: &mut Vec<FieldError>,
) {
    if value.is_null() {
        return;
    }
    let old = old.filter(|o| !o.is_null());
    for rule in node.rules() {
        evaluate(rule, value, old, node, path, is_root, errors);
    }
    match value {
        Value::Object(map) => {
            let old_map = old.and_then(Value::as_object);
            for (key, child) in map {
                let old_child = old_map.and_then(|m| m.get(key));
                if let Some(property) = node.property(key) {
                    check(
                        child,
                        old_child,
                        property,
                        &child_field(path, key),
                        false,
                        errors,
                    );
                } else if let Some(values) = node.additional_properties() {
                    check(
                        child,
                        old_child,
                        values,
                        &format!("{path}[{key}]"),
                        false,
                        errors,
                    );
                }
            }
        }
        Value::Array(items) => {
            let Some(item_node) = node.items() else {
                return;
            };
            let old_items = old.and_then(Value::as_array);
            let keys: Vec<&str> = node.list_map_keys().collect();
            for (i, item) in items.iter().enumerate() {
                // Only list-type=map items correlate with an old item (by their keys).
                let old_item = (node.list_type() == "map")
                    .then(|| old_items?.iter().find(|o| same_key(o, item, &keys)))
                    .flatten();
                check(
                    item,
                    old_item,
                    item_node,
                    &format!("{path}[{i}]"),
                    false,
                    errors,
                );
            }
        }
        _ => {}
    }
}

fn same_key(a: &Value, b: &Value, keys: &[&str]) -> bool {
    keys.iter().all(|k| a.get(*k) == b.get(*k))
}

fn evaluate(
    rule: &Value,
    value: &Value,
    old: Option<&Value>,
    node: Node<'_>,
    path: &str,
    is_root: bool,
    errors: &mut Vec<FieldError>,
) {
    let rule = Node(rule);
    let source = rule.string("rule").unwrap_or("").trim();
    let message = rule.string("message").unwrap_or("").trim();
    let rule_text = if message.is_empty() { source } else { message };
    let type_name = if is_root { "object" } else { node.type_name() };
    let invalid = |detail: String| {
        FieldError::new(path, ErrorKind::Invalid, Some(go_quote(type_name)), detail)
    };
    let program = match ENV.compile(source) {
        Ok(program) => program,
        Err(error) => {
            errors.push(invalid(format!("rule compile error: {error}")));
            return;
        }
    };
    let uses_old_self = program.references().has_variable("oldSelf");
    let optional_old_self = rule.0.get("optionalOldSelf") == Some(&Value::Bool(true));
    if uses_old_self && old.is_none() && !optional_old_self {
        return;
    }
    let self_value = to_cel(value, node, is_root);
    let old_value = old.map(|o| to_cel(o, node, is_root));
    let mut context = Context::with_env(ENV.clone());
    context.add_variable_from_value("self", self_value.clone());
    if let Some(old_value) = &old_value {
        context.add_variable_from_value("oldSelf", old_value.clone());
    }
    let mut rule_context = Context::with_env(ENV.clone());
    rule_context.add_variable_from_value("self", self_value);
    if optional_old_self {
        let optional = match old_value {
            Some(v) => OptionalValue::of(v),
            None => OptionalValue::none(),
        };
        rule_context.add_variable_from_value("oldSelf", Cel::Opaque(Arc::new(optional)));
    } else if let Some(old_value) = old_value {
        rule_context.add_variable_from_value("oldSelf", old_value);
    }
    match program.execute(&rule_context) {
        Ok(Cel::Bool(true)) => {}
        Ok(Cel::Bool(false)) => {
            let field = match rule.string("fieldPath") {
                Some(field_path) => format!("{path}{}", field_path_suffix(field_path, path)),
                None => path.to_owned(),
            };
            let detail = rule
                .string("messageExpression")
                .and_then(|expression| message_expression(expression, &context))
                .unwrap_or_else(|| {
                    if message.is_empty() {
                        format!("failed rule: {source}")
                    } else {
                        message.to_owned()
                    }
                });
            let error = match rule.string("reason") {
                Some("FieldValueForbidden") => {
                    FieldError::new(&field, ErrorKind::Forbidden, None, detail)
                }
                Some("FieldValueRequired") => {
                    FieldError::new(&field, ErrorKind::Required, None, detail)
                }
                Some("FieldValueDuplicate") => FieldError::new(
                    &field,
                    ErrorKind::Duplicate,
                    Some(go_quote(type_name)),
                    String::new(),
                ),
                _ => FieldError::new(&field, ErrorKind::Invalid, Some(go_quote(type_name)), detail),
            };
            errors.push(error);
        }
        Ok(other) => errors.push(invalid(format!(
            "rule evaluated to {other:?}, not a bool, for rule: {rule_text}"
        ))),
        Err(error) => match unsupported(&error, &program) {
            Some(function) => errors.push(FieldError::internal(
                path,
                format!(
                    "rule {source:?} calls {function}, which offline validation does not support (the apiserver does)"
                ),
            )),
            None => errors.push(invalid(format!(
                "{} evaluating rule: {rule_text}",
                go_execution_error(&error)
            ))),
        },
    }
}

/// `fieldPath` (`.spec.replicas`, `['a.b']`) as a suffix of the rule's field path.
fn field_path_suffix(field_path: &str, base: &str) -> String {
    let mut suffix = String::new();
    let mut rest = field_path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("['")
            && let Some(end) = after.find("']")
        {
            let name = &after[..end];
            suffix.push_str(&format!(".{name}"));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            suffix.push('.');
            suffix.push_str(&after[..end]);
            rest = &after[end..];
        } else {
            // Not a path the apiserver accepts: it refuses such a CRD; name it as written.
            return format!(".{rest}");
        }
    }
    if base.is_empty() {
        suffix.trim_start_matches('.').to_owned()
    } else {
        suffix
    }
}

/// The message expression's string, or `None` where the apiserver falls back to `message`.
fn message_expression(expression: &str, context: &Context<'_, '_>) -> Option<String> {
    let program = ENV.compile(expression).ok()?;
    match program.execute(context) {
        Ok(Cel::String(s)) => {
            let s = s.trim();
            (!s.is_empty() && !s.contains('\n')).then(|| s.to_owned())
        }
        _ => None,
    }
}

/// The function the rule needs that only the Kubernetes libraries have.
fn unsupported(error: &ExecutionError, program: &cel::Program) -> Option<String> {
    let name = match error {
        ExecutionError::UndeclaredReference(name) => name.as_str(),
        ExecutionError::NoSuchOverload(overload) => overload.function(),
        ExecutionError::NotSupportedAsMethod { method, .. } => method.as_str(),
        _ => return None,
    };
    // An undeclared function, or a Kubernetes library function the crate has no overload of.
    let kubernetes_only =
        matches!(error, ExecutionError::UndeclaredReference(_)) || KUBERNETES_ONLY.contains(&name);
    (kubernetes_only && program.references().has_function(name)).then(|| format!("{name}()"))
}

/// cel-go's wording of the runtime errors a rule can hit.
fn go_execution_error(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => format!("no such key: {key}"),
        ExecutionError::DivisionByZero(_) => "division by zero".to_owned(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".to_owned(),
        ExecutionError::Overflow(..) => "integer overflow".to_owned(),
        ExecutionError::IndexOutOfBounds(index) => match index {
            Cel::Int(i) => format!("index out of bounds: {i}"),
            other => format!("index out of bounds: {other:?}"),
        },
        ExecutionError::NoSuchOverload(_) => format!(
            "'no such overload': call arguments did not match a supported operator, function or macro signature ({error})"
        ),
        other => other.to_string(),
    }
}

/// A JSON value as the CEL value the apiserver binds for it (`UnstructuredToVal`): typed by
/// the schema, property names escaped, formatted strings as timestamps, durations or bytes.
fn to_cel(value: &Value, node: Node<'_>, is_root: bool) -> Cel {
    match value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => match (node.type_name(), n.as_i64()) {
            ("number", _) | (_, None) => Cel::Float(n.as_f64().unwrap_or(f64::NAN)),
            (_, Some(i)) => Cel::Int(i),
        },
        Value::String(s) => formatted_string(s, node.format()),
        Value::Array(items) => {
            let item_node = node.items().unwrap_or(Node(&Value::Null));
            Cel::List(Arc::new(
                items.iter().map(|i| to_cel(i, item_node, false)).collect(),
            ))
        }
        Value::Object(map) => {
            let mut fields: HashMap<Key, Cel> = HashMap::new();
            let is_resource = is_root || node.embedded_resource();
            for (key, child) in map {
                if is_resource && matches!(key.as_str(), "apiVersion" | "kind") {
                    fields.insert(
                        Key::from(key.as_str()),
                        to_cel(child, Node(&Value::Null), false),
                    );
                } else if is_resource && key == "metadata" {
                    fields.insert(Key::from("metadata"), object_meta(child));
                } else if let Some(property) = node.property(key) {
                    if let Some(escaped) = escape(key) {
                        fields.insert(Key::from(escaped), to_cel(child, property, false));
                    }
                } else if let Some(values) = node.additional_properties() {
                    fields.insert(Key::from(key.as_str()), to_cel(child, values, false));
                } else if !node.has_properties() {
                    // preserve-unknown-fields without properties: untyped JSON.
                    fields.insert(
                        Key::from(key.as_str()),
                        to_cel(child, Node(&Value::Null), false),
                    );
                }
            }
            Cel::Map(Map {
                map: Arc::new(fields),
            })
        }
    }
}

/// Rules see only `name` and `generateName` of an object's metadata.
fn object_meta(metadata: &Value) -> Cel {
    let mut fields: HashMap<Key, Cel> = HashMap::new();
    for key in ["name", "generateName"] {
        if let Some(Value::String(s)) = metadata.get(key) {
            fields.insert(Key::from(key), Cel::String(Arc::new(s.clone())));
        }
    }
    Cel::Map(Map {
        map: Arc::new(fields),
    })
}

fn formatted_string(s: &str, format: &str) -> Cel {
    let string = || Cel::String(Arc::new(s.to_owned()));
    match format {
        "date-time" => chrono::DateTime::parse_from_rfc3339(s)
            .map(Cel::Timestamp)
            .unwrap_or_else(|_| string()),
        "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| Cel::Timestamp(d.and_utc().fixed_offset()))
            .unwrap_or_else(string),
        "duration" => go_duration(s).map(Cel::Duration).unwrap_or_else(string),
        _ => string(),
    }
}

/// Go's `time.ParseDuration` (`1h30m`, `1.5s`, `-2ms`).
fn go_duration(s: &str) -> Option<chrono::Duration> {
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(chrono::Duration::zero());
    }
    let mut nanos = 0f64;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += number * scale;
        rest = &rest[unit_end..];
    }
    let nanos = if negative { -nanos } else { nanos };
    Some(chrono::Duration::nanoseconds(nanos as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse() {
        assert_eq!(go_duration("1h30m"), Some(chrono::Duration::minutes(90)));
        assert_eq!(
            go_duration("-1.5s"),
            Some(chrono::Duration::milliseconds(-1500))
        );
        assert_eq!(go_duration("soon"), None);
    }

    #[test]
    fn field_paths_extend_the_rule_path() {
        assert_eq!(field_path_suffix(".a.b", "spec"), ".a.b");
        assert_eq!(field_path_suffix("['x.y']", ""), "x.y");
    }
}
