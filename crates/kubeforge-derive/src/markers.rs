//! The one table of markers, after controller-tools' marker registry: each entry says how a
//! marker is written (the `#[crd(...)]` key and its value, the controller-gen names), where it may
//! sit, which types it applies to, what it does to the schema, and its help text. The attribute
//! parser, the doc-comment translator, the checks, "did you mean" and the marker reference in
//! `kubeforge/docs/crd_schema.md` all read this table; a marker is added here and nowhere else.

use crate::shape::Class;

/// How the value of a `#[crd(...)]` key is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// `key = 1`, `key = -0.5`
    Number,
    /// `key = 3` (non-negative integer)
    Count,
    /// `key` or `key = true`
    Flag,
    /// `key = "text"`
    Str,
    /// `key = ["a", "b"]`
    StrList,
    /// `key = <literal>` or `key = json!(...)`
    Json,
    /// `key = [<literal>, ...]`
    JsonList,
    /// `key(sub = ..., ...)`
    Nested(&'static [Arg]),
    /// `key` or `key(sub = ...)`
    FlagOrNested(&'static [Arg]),
    /// `items(<schema markers>)`
    Items,
}

/// One argument of a nested marker, in both spellings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Arg {
    pub key: &'static str,
    /// The controller-gen argument name (matched ignoring case, as controller-gen does).
    pub go: &'static str,
    pub kind: Kind,
}

const fn arg(key: &'static str, go: &'static str, kind: Kind) -> Arg {
    Arg { key, go, kind }
}

/// How the argument of a controller-gen marker is read, when it is not implied by [`Kind`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum GoArg {
    /// As the `#[crd(...)]` value kind says.
    Same,
    /// controller-gen's "any" value (`+kubebuilder:default`, `+kubebuilder:example`).
    Any,
    /// `+default`: JSON, and `ref(...)` (a Go constant) accepted without effect.
    JsonOrRef,
    /// `+listMapKey=name`: one name per marker, repeatable.
    OneName,
    /// `+kubebuilder:resource:categories=a;b`; the other arguments belong in `#[kube(...)]`.
    Resource,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct GoName {
    pub name: &'static str,
    pub arg: GoArg,
}

/// Where a marker may sit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Sits {
    /// A field, or a type (applying to the type's own schema).
    Schema,
    /// A field only.
    Field,
    /// A struct or enum only.
    Type,
    /// The spec struct of a version (the one carrying `#[kube(...)]`).
    Version,
}

/// What a marker does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Effect {
    /// Sets one schema keyword to the value.
    Keyword(&'static str),
    /// Appends the (list) value to a schema keyword; repeatable.
    AppendKeyword(&'static str),
    /// Adds an `x-kubernetes-validations` rule; repeatable.
    Validation,
    /// Overrides whether the field is required.
    Required(bool),
    /// A flag the runtime applies as a whole-schema change; what it writes, for the docs.
    Flag(&'static str),
    /// A CEL rule over the named fields; the runtime's `OneOfKind` variant.
    OneOf(&'static str),
    /// The markers of the list's items.
    Items,
    /// A setting of the CRD version.
    Version,
    /// A repeatable setting of the CRD version.
    VersionList,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Marker {
    pub key: &'static str,
    pub kind: Kind,
    /// The `#[crd(...)]` example shown in the docs.
    #[cfg_attr(not(test), allow(dead_code))]
    pub example: &'static str,
    pub go: &'static [GoName],
    pub sits: Sits,
    pub effect: Effect,
    /// The type class the marker needs, checked where the type is visible.
    pub applies_to: Option<Class>,
    /// Values a string marker may take.
    pub allowed: &'static [&'static str],
    /// For an upper bound: the lower bound it may not be below.
    pub upper_of: Option<&'static str>,
    /// A marker that must accompany this one when it is `true`.
    pub needs: Option<&'static str>,
    /// Whether the marker may sit inside `items(...)`.
    pub in_items: bool,
    /// The help text of the docs.
    #[cfg_attr(not(test), allow(dead_code))]
    pub help: &'static str,
}

const fn go(name: &'static str) -> GoName {
    GoName {
        name,
        arg: GoArg::Same,
    }
}

const fn go_arg(name: &'static str, arg: GoArg) -> GoName {
    GoName { name, arg }
}

impl Marker {
    const fn new(
        key: &'static str,
        kind: Kind,
        example: &'static str,
        go: &'static [GoName],
        sits: Sits,
        effect: Effect,
        help: &'static str,
    ) -> Marker {
        Marker {
            key,
            kind,
            example,
            go,
            sits,
            effect,
            applies_to: None,
            allowed: &[],
            upper_of: None,
            needs: None,
            in_items: matches!(sits, Sits::Schema),
            help,
        }
    }

    const fn applies_to(mut self, class: Class) -> Marker {
        self.applies_to = Some(class);
        self
    }

    const fn allowed(mut self, values: &'static [&'static str]) -> Marker {
        self.allowed = values;
        self
    }

    const fn upper_of(mut self, lower: &'static str) -> Marker {
        self.upper_of = Some(lower);
        self
    }

    const fn needs(mut self, other: &'static str) -> Marker {
        self.needs = Some(other);
        self
    }

    const fn not_in_items(mut self) -> Marker {
        self.in_items = false;
        self
    }

    /// What the marker writes, for the docs.
    #[cfg(test)]
    fn sets(&self) -> String {
        match self.effect {
            Effect::Keyword(k) | Effect::AppendKeyword(k) if k.starts_with("x-kubeforge-") => {
                match k {
                    "x-kubeforge-nullable" => "`nullable`".to_owned(),
                    _ => "`description`".to_owned(),
                }
            }
            Effect::Keyword(k) | Effect::AppendKeyword(k) => format!("`{k}`"),
            Effect::Flag(what) => what.to_owned(),
            Effect::Validation | Effect::OneOf(_) => "`x-kubernetes-validations`".to_owned(),
            Effect::Required(_) => "the parent's `required`".to_owned(),
            Effect::Items => "`items`".to_owned(),
            Effect::Version | Effect::VersionList => "the CRD version".to_owned(),
        }
    }
}

const VALIDATION_ARGS: &[Arg] = &[
    arg("rule", "rule", Kind::Str),
    arg("message", "message", Kind::Str),
    arg("message_expression", "messageExpression", Kind::Str),
    arg("reason", "reason", Kind::Str),
    arg("field_path", "fieldPath", Kind::Str),
    arg("optional_old_self", "optionalOldSelf", Kind::Flag),
];
const EXTERNAL_DOCS_ARGS: &[Arg] = &[
    arg("url", "url", Kind::Str),
    arg("description", "description", Kind::Str),
];
const PRINTCOLUMN_ARGS: &[Arg] = &[
    arg("name", "name", Kind::Str),
    arg("type", "type", Kind::Str),
    arg("json_path", "JSONPath", Kind::Str),
    arg("description", "description", Kind::Str),
    arg("format", "format", Kind::Str),
    arg("priority", "priority", Kind::Count),
];
const SELECTABLE_ARGS: &[Arg] = &[arg("json_path", "JSONPath", Kind::Str)];
const SCALE_ARGS: &[Arg] = &[
    arg("spec_path", "specpath", Kind::Str),
    arg("status_path", "statuspath", Kind::Str),
    arg("selector_path", "selectorpath", Kind::Str),
];
const METADATA_ARGS: &[Arg] = &[
    arg("annotations", "annotations", Kind::StrList),
    arg("labels", "labels", Kind::StrList),
];
const DEPRECATED_ARGS: &[Arg] = &[arg("warning", "warning", Kind::Str)];

use Effect as E;
use Kind as K;
use Sits as S;

/// Every marker. The order is the order of the docs table.
pub(crate) const MARKERS: &[Marker] = &[
    Marker::new(
        "minimum",
        K::Number,
        "minimum = 1",
        &[go("kubebuilder:validation:Minimum"), go("k8s:minimum")],
        S::Schema,
        E::Keyword("minimum"),
        "The least value a number may take (negatives and decimals allowed; whole on an integer).",
    )
    .applies_to(Class::Numeric),
    Marker::new(
        "maximum",
        K::Number,
        "maximum = 5",
        &[go("kubebuilder:validation:Maximum"), go("k8s:maximum")],
        S::Schema,
        E::Keyword("maximum"),
        "The greatest value a number may take.",
    )
    .applies_to(Class::Numeric)
    .upper_of("minimum"),
    Marker::new(
        "exclusive_minimum",
        K::Flag,
        "exclusive_minimum",
        &[go("kubebuilder:validation:ExclusiveMinimum")],
        S::Schema,
        E::Keyword("exclusiveMinimum"),
        "`minimum` itself is not allowed.",
    )
    .applies_to(Class::Numeric)
    .needs("minimum"),
    Marker::new(
        "exclusive_maximum",
        K::Flag,
        "exclusive_maximum",
        &[go("kubebuilder:validation:ExclusiveMaximum")],
        S::Schema,
        E::Keyword("exclusiveMaximum"),
        "`maximum` itself is not allowed.",
    )
    .applies_to(Class::Numeric)
    .needs("maximum"),
    Marker::new(
        "multiple_of",
        K::Number,
        "multiple_of = 2",
        &[go("kubebuilder:validation:MultipleOf")],
        S::Schema,
        E::Keyword("multipleOf"),
        "The number must be a multiple of this (greater than 0).",
    )
    .applies_to(Class::Numeric),
    Marker::new(
        "min_length",
        K::Count,
        "min_length = 1",
        &[go("kubebuilder:validation:MinLength")],
        S::Schema,
        E::Keyword("minLength"),
        "The least length of a string.",
    )
    .applies_to(Class::String),
    Marker::new(
        "max_length",
        K::Count,
        "max_length = 10",
        &[go("kubebuilder:validation:MaxLength")],
        S::Schema,
        E::Keyword("maxLength"),
        "The greatest length of a string.",
    )
    .applies_to(Class::String)
    .upper_of("min_length"),
    Marker::new(
        "pattern",
        K::Str,
        "pattern = \"^[a-z]+$\"",
        &[go("kubebuilder:validation:Pattern")],
        S::Schema,
        E::Keyword("pattern"),
        "A regular expression the string must match (checked at compile time).",
    )
    .applies_to(Class::String),
    Marker::new(
        "enum_values",
        K::JsonList,
        "enum_values = [\"a\", \"b\", 1]",
        &[go("kubebuilder:validation:Enum")],
        S::Schema,
        E::Keyword("enum"),
        "The values allowed.",
    ),
    Marker::new(
        "format",
        K::Str,
        "format = \"date-time\"",
        &[go("kubebuilder:validation:Format")],
        S::Schema,
        E::Keyword("format"),
        "The OpenAPI format (`date-time`, `uuid`, `int32`, ...).",
    ),
    Marker::new(
        "min_items",
        K::Count,
        "min_items = 1",
        &[go("kubebuilder:validation:MinItems")],
        S::Schema,
        E::Keyword("minItems"),
        "The least length of a list.",
    )
    .applies_to(Class::Array),
    Marker::new(
        "max_items",
        K::Count,
        "max_items = 10",
        &[go("kubebuilder:validation:MaxItems"), go("k8s:maxItems")],
        S::Schema,
        E::Keyword("maxItems"),
        "The greatest length of a list.",
    )
    .applies_to(Class::Array)
    .upper_of("min_items"),
    Marker::new(
        "unique_items",
        K::Flag,
        "unique_items",
        &[go("kubebuilder:validation:UniqueItems")],
        S::Schema,
        E::Flag("—"),
        "Refused: the apiserver rejects `uniqueItems`; write `list_type = \"set\"`.",
    ),
    Marker::new(
        "min_properties",
        K::Count,
        "min_properties = 1",
        &[go("kubebuilder:validation:MinProperties")],
        S::Schema,
        E::Keyword("minProperties"),
        "The least number of keys of a map or struct.",
    )
    .applies_to(Class::Object),
    Marker::new(
        "max_properties",
        K::Count,
        "max_properties = 10",
        &[go("kubebuilder:validation:MaxProperties")],
        S::Schema,
        E::Keyword("maxProperties"),
        "The greatest number of keys of a map or struct.",
    )
    .applies_to(Class::Object)
    .upper_of("min_properties"),
    Marker::new(
        "type",
        K::Str,
        "type = \"string\"",
        &[go("kubebuilder:validation:Type")],
        S::Schema,
        E::Keyword("type"),
        "Replaces the schema's type (what belonged to the old type goes).",
    )
    .allowed(&["string", "integer", "number", "boolean", "array", "object"]),
    Marker::new(
        "nullable",
        K::Flag,
        "nullable",
        &[go("nullable")],
        S::Schema,
        E::Keyword("x-kubeforge-nullable"),
        "The value may be `null`.",
    ),
    Marker::new(
        "required",
        K::Flag,
        "required",
        &[
            go("kubebuilder:validation:Required"),
            go("required"),
            go("k8s:required"),
        ],
        S::Field,
        E::Required(true),
        "The field is required, whatever its type says.",
    ),
    Marker::new(
        "optional",
        K::Flag,
        "optional",
        &[
            go("kubebuilder:validation:Optional"),
            go("optional"),
            go("k8s:optional"),
        ],
        S::Field,
        E::Required(false),
        "The field is optional, whatever its type says.",
    ),
    Marker::new(
        "default",
        K::Json,
        "default = json!({\"a\": 1})",
        &[
            go_arg("kubebuilder:default", GoArg::Any),
            go_arg("default", GoArg::JsonOrRef),
        ],
        S::Schema,
        E::Keyword("default"),
        "The value the apiserver fills in when the field is absent (`1`, `\"x\"`, `json!(...)`).",
    ),
    Marker::new(
        "example",
        K::Json,
        "example = \"x\"",
        &[go_arg("kubebuilder:example", GoArg::Any)],
        S::Schema,
        E::Keyword("example"),
        "An example value, for documentation.",
    ),
    Marker::new(
        "embedded_resource",
        K::Flag,
        "embedded_resource",
        &[
            go("kubebuilder:validation:XEmbeddedResource"),
            go("kubebuilder:validation:EmbeddedResource"),
        ],
        S::Schema,
        E::Keyword("x-kubernetes-embedded-resource"),
        "The value is a Kubernetes object (apiVersion, kind, metadata).",
    ),
    Marker::new(
        "int_or_string",
        K::Flag,
        "int_or_string",
        &[go("kubebuilder:validation:XIntOrString")],
        S::Schema,
        E::Flag("`x-kubernetes-int-or-string`, `anyOf`"),
        "The value is an integer or a string.",
    ),
    Marker::new(
        "preserve_unknown_fields",
        K::Flag,
        "preserve_unknown_fields",
        &[
            go("kubebuilder:pruning:PreserveUnknownFields"),
            go("kubebuilder:validation:XPreserveUnknownFields"),
        ],
        S::Schema,
        E::Keyword("x-kubernetes-preserve-unknown-fields"),
        "Fields the schema does not list are kept, not pruned.",
    ),
    Marker::new(
        "schemaless",
        K::Flag,
        "schemaless",
        &[go("kubebuilder:validation:Schemaless")],
        S::Schema,
        E::Flag("an empty schema"),
        "The field has no schema at all.",
    ),
    Marker::new(
        "list_type",
        K::Str,
        "list_type = \"map\"",
        &[go("listType"), go("k8s:listType")],
        S::Schema,
        E::Keyword("x-kubernetes-list-type"),
        "How server-side apply merges the list: `atomic`, `set` or `map`.",
    )
    .applies_to(Class::Array)
    .allowed(&["atomic", "set", "map"]),
    Marker::new(
        "list_map_keys",
        K::StrList,
        "list_map_keys = [\"name\"]",
        &[
            go_arg("listMapKey", GoArg::OneName),
            go_arg("k8s:listMapKey", GoArg::OneName),
        ],
        S::Schema,
        E::AppendKeyword("x-kubernetes-list-map-keys"),
        "The keys of a `list_type = \"map\"` list (the doc form names one per line).",
    )
    .applies_to(Class::Array),
    Marker::new(
        "map_type",
        K::Str,
        "map_type = \"atomic\"",
        &[go("mapType")],
        S::Schema,
        E::Keyword("x-kubernetes-map-type"),
        "How server-side apply merges the map: `granular` or `atomic`.",
    )
    .applies_to(Class::Object)
    .allowed(&["granular", "atomic"]),
    Marker::new(
        "struct_type",
        K::Str,
        "struct_type = \"atomic\"",
        &[go("structType")],
        S::Schema,
        E::Keyword("x-kubernetes-map-type"),
        "How server-side apply merges the struct: `granular` or `atomic`.",
    )
    .applies_to(Class::Object)
    .allowed(&["granular", "atomic"]),
    Marker::new(
        "validation",
        K::Nested(VALIDATION_ARGS),
        "validation(rule = \"self.a < self.b\", message = \"...\", message_expression = \"...\", reason = \"FieldValueInvalid\", field_path = \".a\", optional_old_self)",
        &[go("kubebuilder:validation:XValidation")],
        S::Schema,
        E::Validation,
        "A CEL rule (repeatable).",
    ),
    Marker::new(
        "items",
        K::Items,
        "items(min_length = 1, pattern = \"...\")",
        &[],
        S::Schema,
        E::Items,
        "Markers of the list's items; the doc form is `+kubebuilder:validation:items:<Marker>`.",
    )
    .not_in_items(),
    Marker::new(
        "title",
        K::Str,
        "title = \"...\"",
        &[go("kubebuilder:title")],
        S::Schema,
        E::Keyword("x-kubeforge-title"),
        "A title, written into the description as controller-gen does.",
    ),
    Marker::new(
        "description",
        K::Str,
        "description = \"...\"",
        &[],
        S::Schema,
        E::Keyword("description"),
        "Replaces the description the doc comment gives.",
    ),
    Marker::new(
        "immutable",
        K::Flag,
        "immutable",
        &[go("k8s:immutable")],
        S::Field,
        E::Flag("`x-kubernetes-validations`"),
        "The field may not change once set (a CEL rule on the field, and on its parent when optional).",
    ),
    Marker::new(
        "external_docs",
        K::Nested(EXTERNAL_DOCS_ARGS),
        "external_docs(url = \"...\", description = \"...\")",
        &[go("kubebuilder:externalDocs")],
        S::Schema,
        E::Keyword("externalDocs"),
        "A link to more documentation.",
    ),
    Marker::new(
        "at_most_one_of",
        K::StrList,
        "at_most_one_of = [\"a\", \"b\"]",
        &[go("kubebuilder:validation:AtMostOneOf")],
        S::Type,
        E::OneOf("AtMostOne"),
        "At most one of the named optional fields may be set (repeatable).",
    ),
    Marker::new(
        "exactly_one_of",
        K::StrList,
        "exactly_one_of = [\"a\", \"b\"]",
        &[go("kubebuilder:validation:ExactlyOneOf")],
        S::Type,
        E::OneOf("ExactlyOne"),
        "Exactly one of the named optional fields must be set (repeatable).",
    ),
    Marker::new(
        "at_least_one_of",
        K::StrList,
        "at_least_one_of = [\"a\", \"b\"]",
        &[go("kubebuilder:validation:AtLeastOneOf")],
        S::Type,
        E::OneOf("AtLeastOne"),
        "At least one of the named optional fields must be set (repeatable).",
    ),
    Marker::new(
        "storage_version",
        K::Flag,
        "storage_version",
        &[go("kubebuilder:storageversion")],
        S::Version,
        E::Version,
        "This version is the one stored in etcd.",
    ),
    Marker::new(
        "unserved",
        K::Flag,
        "unserved",
        &[go("kubebuilder:unservedversion")],
        S::Version,
        E::Version,
        "The apiserver does not serve this version.",
    ),
    Marker::new(
        "deprecated",
        K::FlagOrNested(DEPRECATED_ARGS),
        "deprecated(warning = \"...\")",
        &[go("kubebuilder:deprecatedversion")],
        S::Version,
        E::Version,
        "The version is deprecated, with an optional warning for clients.",
    ),
    Marker::new(
        "skip",
        K::Flag,
        "skip",
        &[go("kubebuilder:skipversion")],
        S::Version,
        E::Version,
        "The version is left out of the CRD.",
    ),
    Marker::new(
        "printcolumn",
        K::Nested(PRINTCOLUMN_ARGS),
        "printcolumn(name = \"Age\", type = \"date\", json_path = \".metadata.creationTimestamp\", description = \"...\", format = \"...\", priority = 1)",
        &[go("kubebuilder:printcolumn")],
        S::Version,
        E::VersionList,
        "A column of `kubectl get` (repeatable).",
    ),
    Marker::new(
        "selectable_field",
        K::Nested(SELECTABLE_ARGS),
        "selectable_field(json_path = \".spec.x\")",
        &[go("kubebuilder:selectablefield")],
        S::Version,
        E::VersionList,
        "A field usable in field selectors (repeatable).",
    ),
    Marker::new(
        "categories",
        K::StrList,
        "categories = [\"all\"]",
        &[go_arg("kubebuilder:resource", GoArg::Resource)],
        S::Version,
        E::Version,
        "The categories the kind belongs to (`kubectl get all`).",
    ),
    Marker::new(
        "scale",
        K::Nested(SCALE_ARGS),
        "scale(spec_path = \".spec.replicas\", status_path = \".status.replicas\", selector_path = \".status.selector\")",
        &[go("kubebuilder:subresource:scale")],
        S::Version,
        E::Version,
        "The scale subresource.",
    ),
    Marker::new(
        "metadata",
        K::Nested(METADATA_ARGS),
        "metadata(annotations = [\"k=v\"], labels = [\"k=v\"])",
        &[go("kubebuilder:metadata")],
        S::Version,
        E::Version,
        "Annotations and labels of the CRD object.",
    ),
    Marker::new(
        "spec_description",
        K::Str,
        "spec_description = \"...\"",
        &[],
        S::Version,
        E::Version,
        "The description of the root's `spec` property (Go's doc comment on the `Spec` field).",
    ),
    Marker::new(
        "status_description",
        K::Str,
        "status_description = \"...\"",
        &[],
        S::Version,
        E::Version,
        "The description of the root's `status` property.",
    ),
    Marker::new(
        "spec_optional",
        K::Flag,
        "spec_optional",
        &[],
        S::Version,
        E::Version,
        "The root's `required` does not list `spec` (Go's `json:\"spec,omitempty\"`).",
    ),
];

/// The controller-gen prefix whose markers also have a form for a list's items.
pub(crate) const VALIDATION_PREFIX: &str = "kubebuilder:validation:";
/// `+kubebuilder:validation:items:<Marker>` applies `<Marker>` to the list's items.
pub(crate) const ITEMS_PREFIX: &str = "kubebuilder:validation:items:";

pub(crate) fn by_key(key: &str) -> Option<&'static Marker> {
    MARKERS.iter().find(|m| m.key == key)
}

/// The marker a controller-gen name stands for, with how its argument is read.
pub(crate) fn by_go_name(name: &str) -> Option<(&'static Marker, GoArg)> {
    MARKERS
        .iter()
        .find_map(|m| m.go.iter().find(|g| g.name == name).map(|g| (m, g.arg)))
}

/// Whether a controller-gen marker takes named arguments (`name:key=value,...`), which the
/// marker-line parser needs to know to split a one-argument marker correctly.
pub(crate) fn has_named_args(name: &str) -> bool {
    let name = match name.strip_prefix(ITEMS_PREFIX) {
        Some(rest) => format!("{VALIDATION_PREFIX}{rest}"),
        None => name.to_owned(),
    };
    by_go_name(&name).is_some_and(|(m, arg)| {
        arg == GoArg::Resource || matches!(m.kind, Kind::Nested(_) | Kind::FlagOrNested(_))
    })
}

/// The controller-gen name closest to a misspelt one, items forms included.
pub(crate) fn closest_go_name(name: &str) -> Option<String> {
    let names: Vec<String> = MARKERS
        .iter()
        .flat_map(|m| m.go)
        .flat_map(|g| {
            let items = g
                .name
                .strip_prefix(VALIDATION_PREFIX)
                .map(|rest| format!("{ITEMS_PREFIX}{rest}"));
            std::iter::once(g.name.to_owned()).chain(items)
        })
        .collect();
    crate::suggest::closest(name, names.iter().map(String::as_str)).map(str::to_owned)
}

pub(crate) fn unknown_key_message(key: &str, context: &str) -> String {
    match crate::suggest::closest(key, MARKERS.iter().map(|m| m.key)) {
        Some(k) => format!("unknown key `{key}` in {context}; did you mean `{k}`?"),
        None => format!("unknown key `{key}` in {context}"),
    }
}

/// The marker reference in `kubeforge/docs/crd_schema.md`, between [`DOCS_BEGIN`] and
/// [`DOCS_END`].
#[cfg(test)]
pub(crate) const DOCS_BEGIN: &str =
    "<!-- markers: generated from kubeforge-derive/src/markers.rs; see its docs_table test -->";
#[cfg(test)]
pub(crate) const DOCS_END: &str = "<!-- end of markers -->";

#[cfg(test)]
pub(crate) fn docs_table() -> String {
    let mut out = String::new();
    for (sits, heading) in [
        (
            Sits::Schema,
            "Field markers (also usable on a struct or enum, applying to its own schema)",
        ),
        (Sits::Field, "Field-only markers"),
        (Sits::Type, "Type-only markers (on a struct)"),
        (
            Sits::Version,
            "Version markers (on the spec struct, the one carrying `#[kube(...)]`)",
        ),
    ] {
        out.push_str(&format!(
            "\n### {heading}\n| `#[crd(...)]` | controller-gen | applies to | sets | |\n|---|---|---|---|---|\n"
        ));
        for m in MARKERS.iter().filter(|m| m.sits == sits) {
            let go_names: Vec<String> =
                m.go.iter()
                    .map(|g| match g.arg {
                        GoArg::Resource => format!("`+{}:categories`", g.name),
                        _ => format!("`+{}`", g.name),
                    })
                    .collect();
            let go_names = match (go_names.is_empty(), m.kind) {
                (true, Kind::Items) => format!("`+{ITEMS_PREFIX}*`"),
                (true, _) => "—".to_owned(),
                (false, _) => go_names.join(", "),
            };
            let applies = match (m.applies_to, m.sits) {
                (Some(c), _) => crate::check::class_name(c),
                (None, Sits::Version) => "—",
                (None, _) => "any",
            };
            let mut help = m.help.to_owned();
            if !m.allowed.is_empty() {
                help.push_str(&format!(" One of {}.", m.allowed.join(", ")));
            }
            let validation_name =
                m.go.iter()
                    .find_map(|g| g.name.strip_prefix(VALIDATION_PREFIX));
            if let (Some(name), true) = (validation_name, m.in_items) {
                help.push_str(&format!(" Items form: `+{ITEMS_PREFIX}{name}`."));
            }
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                m.example.replace('|', "\\|"),
                go_names,
                applies,
                m.sets(),
                help.replace('|', "\\|")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_controller_gen_names_are_unique() {
        let mut keys: Vec<_> = MARKERS.iter().map(|m| m.key).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a `#[crd(...)]` key is defined twice");
        let mut names: Vec<_> = MARKERS.iter().flat_map(|m| m.go).map(|g| g.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a controller-gen name is defined twice");
    }

    #[test]
    fn references_between_markers_name_markers() {
        for m in MARKERS {
            for other in m.upper_of.iter().chain(&m.needs) {
                assert!(
                    by_key(other).is_some(),
                    "`{}` names unknown `{other}`",
                    m.key
                );
            }
        }
    }

    #[test]
    fn named_argument_markers_come_from_the_table() {
        assert!(has_named_args("kubebuilder:printcolumn"));
        assert!(has_named_args("kubebuilder:validation:items:XValidation"));
        assert!(has_named_args("kubebuilder:resource"));
        assert!(!has_named_args("kubebuilder:validation:Minimum"));
    }

    #[test]
    fn misspelt_controller_gen_names_get_a_suggestion() {
        assert_eq!(
            closest_go_name("kubebuilder:validation:Minimun").as_deref(),
            Some("kubebuilder:validation:Minimum")
        );
        assert_eq!(
            closest_go_name("kubebuilder:validation:items:MaxLenght").as_deref(),
            Some("kubebuilder:validation:items:MaxLength")
        );
        assert_eq!(closest_go_name("kubebuilder:frobnicate"), None);
    }

    /// The marker reference in the docs is this table; regenerate it after a change with
    /// `KUBEFORGE_BLESS=1 cargo test -p kubeforge-derive docs_table`.
    #[test]
    fn docs_table_matches_the_committed_docs() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../kubeforge/docs/crd_schema.md");
        let docs = std::fs::read_to_string(&path).expect("read crd_schema.md");
        let (Some(begin), Some(end)) = (docs.find(DOCS_BEGIN), docs.find(DOCS_END)) else {
            panic!("crd_schema.md lacks the `{DOCS_BEGIN}` ... `{DOCS_END}` section");
        };
        let start = begin + DOCS_BEGIN.len();
        let table = docs_table();
        if std::env::var_os("KUBEFORGE_BLESS").is_some() {
            let updated = format!("{}{table}{}", &docs[..start], &docs[end..]);
            std::fs::write(&path, updated).expect("write crd_schema.md");
            return;
        }
        assert!(
            docs[start..end] == table,
            "crd_schema.md's marker reference is out of date; run `KUBEFORGE_BLESS=1 cargo test -p kubeforge-derive docs_table`"
        );
    }

    /// controller_gen_markers.md says, row by row, which controller-gen markers work; the rows
    /// of the CRD tables that say so must name markers and `#[crd(...)]` keys this table has.
    #[test]
    fn the_controller_gen_parity_table_names_markers_the_table_has() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../kubeforge/docs/controller_gen_markers.md");
        let docs = std::fs::read_to_string(&path).expect("read controller_gen_markers.md");
        let crd_tables = &docs[..docs.find("## RBAC").expect("an RBAC section")];
        let mut checked = 0;
        for row in crd_tables.lines().filter(|l| l.starts_with("| `+")) {
            let cells: Vec<&str> = row.split(" | ").collect();
            let form = cells[cells.len() - 2];
            let status = cells[cells.len() - 1];
            if !(status.contains('✅') || status.contains('⚠')) || !form.contains("doc yes") {
                continue;
            }
            for name in cells[0]
                .split('`')
                .filter(|part| part.starts_with('+'))
                .map(|part| &part[1..])
            {
                assert!(
                    by_go_name(name).is_some(),
                    "controller_gen_markers.md says `+{name}` works in doc comments; the table has no such marker"
                );
                checked += 1;
            }
            for key in form.split("#[crd(").skip(1).map(|rest| {
                rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()
            }) {
                assert!(
                    by_key(key).is_some(),
                    "controller_gen_markers.md names `#[crd({key} ...)]`, which the table does not have"
                );
            }
        }
        assert!(
            checked >= 40,
            "only {checked} supported markers found in the docs"
        );
    }
}
