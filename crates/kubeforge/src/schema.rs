//! Run-time half of `#[derive(CrdSchema)]`: the generated `JsonSchema` impls call these helpers
//! with each field's schema and the markers the macro checked, as a static [`Patch`].
//! Everything here works on `serde_json::Value` schemas.

use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::known_types;
use crate::registry::{Keyword, Literal, OneOf, OneOfKind, Patch, Rule, TypeClass};

/// Key under which a marker problem found at run time is recorded in a schema node, to be
/// reported with its path by [`crate::crds`].
pub(crate) const ERROR_KEY: &str = "x-kubeforge-error";

pub fn to_schema(value: Value) -> schemars::Schema {
    schemars::Schema::try_from(value).unwrap_or_default()
}

/// The schema of one field's (innermost) type, with k8s-openapi types given controller-gen's schemas.
pub fn field_schema<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    if let Some(known) = known_types::by_name(&T::schema_name(), generator) {
        return known;
    }
    generator.subschema_for::<T>().to_value()
}

/// Marks a schema as accepting `null` (kept through normalisation, which drops schemars' own).
pub fn nullable(mut schema: Value) -> Value {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("x-kubeforge-nullable".into(), Value::Bool(true));
    }
    schema
}

pub fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// Sets are lists whose items are unique: `x-kubernetes-list-type: set`, never `uniqueItems`,
/// which the apiserver rejects.
pub fn set(items: Value) -> Value {
    json!({ "type": "array", "items": items, "x-kubernetes-list-type": "set" })
}

pub fn map(values: Value) -> Value {
    json!({ "type": "object", "additionalProperties": values })
}

/// Tuples are arrays of fixed length; a structural schema has one `items` schema, so differing
/// element types are let through unpruned.
pub fn tuple(items: Vec<Value>) -> Value {
    let n = items.len();
    let item = match items.split_first() {
        Some((first, rest)) if rest.iter().all(|i| i == first) => first.clone(),
        _ => json!({ "x-kubernetes-preserve-unknown-fields": true }),
    };
    json!({ "type": "array", "items": item, "minItems": n, "maxItems": n })
}

pub fn describe(schema: &mut Value, description: Option<&str>) {
    if let (Some(d), Some(obj)) = (description, schema.as_object_mut()) {
        obj.insert("description".into(), Value::String(d.to_owned()));
    }
}

/// An object schema assembled field by field.
#[derive(Default)]
pub struct ObjectBuilder {
    properties: Map<String, Value>,
    required: Vec<String>,
    preserve_unknown: bool,
    /// Rules the parent carries for its optional immutable fields.
    parent_rules: Vec<Value>,
    errors: Vec<String>,
}

impl ObjectBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn property(
        &mut self,
        name: &str,
        required: bool,
        mut schema: Value,
        patch: Option<&'static Patch>,
    ) {
        let immutable = apply_patch(&mut schema, patch);
        if immutable && !required {
            // controller-gen: an optional immutable field may not be removed once set.
            self.parent_rules.push(json!({
                "message": format!("field {name} is immutable once set"),
                "rule": format!("!has(oldSelf.{name}) || has(self.{name})"),
            }));
        }
        if required {
            self.required.push(name.to_owned());
        }
        self.properties.insert(name.to_owned(), schema);
    }

    /// `#[serde(flatten)]`: a struct's properties join this object; a map or free-form value
    /// means unknown keys are kept (a structural schema cannot mix properties with
    /// additionalProperties).
    pub fn flatten(&mut self, schema: Value, optional: bool) {
        let Value::Object(mut obj) = schema else {
            self.preserve_unknown = true;
            return;
        };
        match obj.remove("properties") {
            Some(Value::Object(props)) => {
                for (k, v) in props {
                    if self.properties.contains_key(&k) {
                        self.errors
                            .push(format!("flattened property `{k}` is defined twice"));
                    }
                    self.properties.insert(k, v);
                }
                if !optional && let Some(Value::Array(req)) = obj.remove("required") {
                    self.required.extend(
                        req.into_iter()
                            .filter_map(|r| r.as_str().map(str::to_owned)),
                    );
                }
                if obj.contains_key("additionalProperties")
                    || obj.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true))
                {
                    self.preserve_unknown = true;
                }
            }
            _ => self.preserve_unknown = true,
        }
    }

    pub fn finish(mut self, description: Option<&str>, patch: Option<&'static Patch>) -> Value {
        let mut obj = Map::new();
        if let Some(d) = description {
            obj.insert("description".into(), Value::String(d.to_owned()));
        }
        obj.insert("type".into(), Value::String("object".into()));
        // controller-gen leaves `properties` out of an object without fields.
        if !self.properties.is_empty() {
            obj.insert("properties".into(), Value::Object(self.properties));
        }
        if !self.required.is_empty() {
            self.required.sort();
            self.required.dedup();
            obj.insert("required".into(), json!(self.required));
        }
        if self.preserve_unknown {
            obj.insert(
                "x-kubernetes-preserve-unknown-fields".into(),
                Value::Bool(true),
            );
        }
        if !self.errors.is_empty() {
            obj.insert(ERROR_KEY.into(), Value::String(self.errors.join("; ")));
        }
        let mut schema = Value::Object(obj);
        apply_patch(&mut schema, patch);
        if !self.parent_rules.is_empty() {
            validations(&mut schema).extend(self.parent_rules);
        }
        schema
    }
}

fn validations(schema: &mut Value) -> &mut Vec<Value> {
    let obj = schema.as_object_mut().expect("schema nodes are objects");
    let list = obj
        .entry("x-kubernetes-validations")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    list.as_array_mut().expect("just made an array")
}

/// Applies the markers the macro checked; returns whether the field is immutable.
pub fn apply_patch(schema: &mut Value, patch: Option<&'static Patch>) -> bool {
    match patch {
        Some(patch) => apply(schema, patch),
        None => false,
    }
}

fn mark_error(schema: &mut Value, message: String) {
    if !schema.is_object() {
        *schema = Value::Object(Map::new());
    }
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(ERROR_KEY.into(), Value::String(message));
    }
}

fn apply(schema: &mut Value, patch: &Patch) -> bool {
    if !schema.is_object() {
        // `true` (anything) as produced by schemars for free-form values.
        *schema = json!({ "x-kubernetes-preserve-unknown-fields": true });
    }
    if patch.schemaless {
        *schema = Value::Object(Map::new());
    }
    let obj = schema.as_object_mut().expect("made an object above");
    if patch.int_or_string {
        // The marker replaces the schema of the Rust type (a free-form `Value`, say) with
        // controller-gen's int-or-string form.
        for k in [
            "type",
            "format",
            "properties",
            "additionalProperties",
            "items",
            "x-kubernetes-preserve-unknown-fields",
        ] {
            obj.remove(k);
        }
        obj.insert("x-kubernetes-int-or-string".into(), Value::Bool(true));
        obj.entry("anyOf")
            .or_insert_with(|| json!([{ "type": "integer" }, { "type": "string" }]));
    }
    if !patch.set.is_empty() {
        if let Some(new_type) = patch.set.iter().find(|k| k.name == "type")
            && let Literal::Str(new_type) = new_type.value
        {
            retype(obj, new_type);
        }
        for k in patch.set {
            obj.insert(k.name.to_owned(), k.value.to_value());
        }
        // controller-gen's marker syntax has no empty list: `+kubebuilder:default={}` on a list
        // is written `[]` (validation.go, Default.ApplyToSchema).
        if obj.get("type") == Some(&json!("array")) && obj.get("default") == Some(&json!({})) {
            obj.insert("default".into(), json!([]));
        }
        // An embedded resource is an object (the apiserver requires the type), also when the
        // Rust type is a free-form `Value`.
        if patch
            .set
            .iter()
            .any(|k| k.name == "x-kubernetes-embedded-resource" && k.value == Literal::Bool(true))
        {
            obj.entry("type").or_insert_with(|| json!("object"));
        }
        if let Some(problem) = applicability(obj, patch.set) {
            obj.insert(ERROR_KEY.into(), Value::String(problem));
        }
    }
    if !patch.validations.is_empty() {
        // controller-gen lists a field's own rules before the rules of its type.
        let existing = std::mem::take(validations(schema));
        let list = validations(schema);
        list.extend(patch.validations.iter().map(rule_value));
        list.extend(existing);
    }
    if patch.immutable {
        validations(schema)
            .push(json!({ "message": "field is immutable", "rule": "self == oldSelf" }));
    }
    for group in patch.one_of {
        validations(schema).push(one_of_rule(group));
    }
    if let Some(items_patch) = patch.items {
        match schema.get_mut("items") {
            Some(items) => {
                apply(items, items_patch);
            }
            None => mark_error(
                schema,
                "`items(...)` used on a type that is not a list".into(),
            ),
        }
    }
    patch.immutable
}

fn rule_value(rule: &Rule) -> Value {
    let mut obj = Map::new();
    obj.insert("rule".into(), json!(rule.rule));
    for (key, value) in [
        ("message", rule.message),
        ("messageExpression", rule.message_expression),
        ("reason", rule.reason),
        ("fieldPath", rule.field_path),
    ] {
        if let Some(v) = value {
            obj.insert(key.into(), json!(v));
        }
    }
    if let Some(v) = rule.optional_old_self {
        obj.insert("optionalOldSelf".into(), json!(v));
    }
    Value::Object(obj)
}

/// `type = "..."` replaces the schema's type; what belonged to the old type goes with it.
fn retype(obj: &mut Map<String, Value>, new_type: &str) {
    if obj.get("type").and_then(Value::as_str) == Some(new_type) {
        return;
    }
    for k in [
        "properties",
        "required",
        "additionalProperties",
        "items",
        "format",
        "enum",
        "anyOf",
        "oneOf",
        "allOf",
        "x-kubernetes-int-or-string",
    ] {
        obj.remove(k);
    }
    // A free-form value given a scalar or list type has no unknown fields to keep.
    if new_type != "object" {
        obj.remove("x-kubernetes-preserve-unknown-fields");
    }
}

/// Checks markers against a schema type the macro could not see (user types, aliases).
fn applicability(obj: &Map<String, Value>, set: &[Keyword]) -> Option<String> {
    let ty = obj.get("type").and_then(Value::as_str);
    let int_or_string = obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true));
    for k in set {
        let Some(class) = k.unchecked else { continue };
        let needs: &[&str] = match class {
            TypeClass::Numeric => &["integer", "number"],
            TypeClass::String => &["string"],
            TypeClass::Array => &["array"],
            TypeClass::Object => &["object"],
        };
        let name = k.name;
        match ty {
            Some(t) if needs.contains(&t) => {}
            None if int_or_string && (needs.contains(&"string") || needs.contains(&"integer")) => {}
            None if obj.contains_key("x-kubernetes-preserve-unknown-fields") => {}
            Some(t) => return Some(format!("marker `{name}` does not apply to type `{t}`")),
            None => return Some(format!("marker `{name}` needs a schema with a type")),
        }
    }
    None
}

/// controller-gen's CEL for `AtMostOneOf`, `ExactlyOneOf` and `AtLeastOneOf`.
fn one_of_rule(group: &OneOf) -> Value {
    let fields = group.fields;
    let listed = fields.join(" ");
    let count = fields
        .iter()
        .map(|f| format!("(has(self.{f})?1:0)"))
        .collect::<Vec<_>>()
        .join("+");
    let (rule, message) = match group.kind {
        OneOfKind::AtMostOne => (
            format!("{count} <= 1"),
            format!("at most one of the fields in [{listed}] may be set"),
        ),
        OneOfKind::ExactlyOne => (
            format!("{count} == 1"),
            format!("exactly one of the fields in [{listed}] must be set"),
        ),
        OneOfKind::AtLeastOne => (
            fields
                .iter()
                .map(|f| format!("has(self.{f})"))
                .collect::<Vec<_>>()
                .join("||"),
            format!("at least one of the fields in [{listed}] must be set"),
        ),
    };
    json!({ "message": message, "rule": rule })
}

/// How serde writes an enum.
pub enum Tagging {
    External,
    Internal {
        tag: &'static str,
    },
    Adjacent {
        tag: &'static str,
        content: &'static str,
    },
    Untagged,
}

/// The schema of an enum, one that round-trips what serde writes (see the derive's docs).
pub fn enum_schema(tagging: Tagging, variants: Vec<(&'static str, Option<Value>)>) -> Value {
    let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
    let contents: Vec<Value> = variants.iter().filter_map(|(_, c)| c.clone()).collect();
    match tagging {
        Tagging::External if contents.is_empty() => json!({ "type": "string", "enum": names }),
        Tagging::External => {
            let properties: Map<String, Value> = variants
                .into_iter()
                .map(|(n, c)| {
                    (
                        n.to_owned(),
                        c.unwrap_or_else(|| json!({ "type": "object" })),
                    )
                })
                .collect();
            json!({ "type": "object", "properties": properties, "maxProperties": 1, "minProperties": 1 })
        }
        Tagging::Internal { tag } => {
            let mut merged = union_of(contents, "properties of internally tagged variants");
            let obj = merged.as_object_mut().expect("union_of returns an object");
            obj.insert("type".into(), json!("object"));
            let props = obj.entry("properties").or_insert_with(|| json!({}));
            if let Some(props) = props.as_object_mut() {
                props.insert(tag.to_owned(), json!({ "type": "string", "enum": names }));
            }
            obj.insert("required".into(), json!([tag]));
            merged
        }
        Tagging::Adjacent { tag, content } => {
            let mut properties = Map::new();
            properties.insert(tag.to_owned(), json!({ "type": "string", "enum": names }));
            if !contents.is_empty() {
                properties.insert(content.to_owned(), union_of(contents, "variant contents"));
            }
            json!({ "type": "object", "properties": properties, "required": [tag] })
        }
        Tagging::Untagged => union_of(contents, "untagged variants"),
    }
}

/// One schema accepting each of `schemas`: objects merge their properties (all optional),
/// integer and string make int-or-string, equal schemas stay, anything else is kept unpruned.
fn union_of(schemas: Vec<Value>, what: &str) -> Value {
    let type_of = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
    if schemas.is_empty() {
        return json!({ "type": "object", "properties": {} });
    }
    if schemas
        .iter()
        .all(|s| type_of(s).as_deref() == Some("object"))
    {
        let mut properties = Map::new();
        let mut errors = Vec::new();
        let mut preserve = false;
        for s in &schemas {
            match s.get("properties").and_then(Value::as_object) {
                Some(props) => {
                    for (k, v) in props {
                        match properties.get(k) {
                            Some(have) if type_of(have) != type_of(v) => {
                                errors.push(format!(
                                    "property `{k}` has different types among {what}"
                                ));
                            }
                            Some(_) => {}
                            None => {
                                properties.insert(k.clone(), v.clone());
                            }
                        }
                    }
                }
                None => preserve = true,
            }
        }
        let mut out = json!({ "type": "object", "properties": properties });
        if preserve {
            out["x-kubernetes-preserve-unknown-fields"] = Value::Bool(true);
        }
        if !errors.is_empty() {
            out[ERROR_KEY] = Value::String(errors.join("; "));
        }
        return out;
    }
    let first = &schemas[0];
    if schemas.iter().all(|s| s == first) {
        return first.clone();
    }
    let mut types: Vec<String> = schemas.iter().filter_map(type_of).collect();
    types.sort();
    types.dedup();
    if types == ["integer", "string"] && schemas.iter().all(|s| type_of(s).is_some()) {
        return json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true });
    }
    if types.len() == 1 && schemas.iter().all(|s| type_of(s).is_some()) && types[0] != "array" {
        return json!({ "type": types[0] });
    }
    json!({ "x-kubernetes-preserve-unknown-fields": true })
}
