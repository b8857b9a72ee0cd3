//! Doc comments: descriptions, and verbatim controller-gen markers (`/// +kubebuilder:...`)
//! translated into the same entries `#[crd(...)]` produces, so Go APIs port by copy-paste.

use proc_macro2::Span;
use serde_json::{Map, Value};
use syn::spanned::Spanned;

use crate::attr::Entry;
use crate::ctxt::Ctxt;
use crate::marker_value::{self, MarkerArgs};
use crate::symbol::*;

/// The description and marker entries of one item's doc comment.
pub(crate) struct Doc {
    pub description: Option<String>,
    pub entries: Vec<(Entry, Span)>,
}

pub(crate) fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Doc {
    let mut text_lines = Vec::new();
    let mut entries = Vec::new();
    let mut cut = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            continue;
        };
        let span = attr.span();
        let value = s.value();
        // An empty `///` line is a paragraph break; `"".lines()` would yield nothing.
        let lines: Vec<&str> = if value.is_empty() {
            vec![""]
        } else {
            value.lines().collect()
        };
        for raw in lines {
            let line = raw.strip_prefix(' ').unwrap_or(raw).trim_end();
            let trimmed = line.trim_start();
            if let Some(marker) = trimmed.strip_prefix('+') {
                if let Some(entry) = marker_entry(cx, marker, span) {
                    entries.push(entry);
                }
                continue;
            }
            // controller-gen drops everything after a `---` line and every TODO line.
            if trimmed == "---" {
                cut = true;
            }
            if cut || trimmed.starts_with("TODO") {
                continue;
            }
            text_lines.push(line.to_owned());
        }
    }
    Doc {
        description: join_description(&text_lines),
        entries,
    }
}

/// Joins doc lines as Go's `CommentGroup.Text` does: runs of blank lines become one, and
/// leading and trailing blank lines go.
fn join_description(lines: &[String]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    (!out.is_empty()).then(|| out.join("\n"))
}

/// Markers owned by other tools (or with no schema effect) that are accepted and ignored.
const IGNORED: &[&str] = &[
    "kubebuilder:object:root",
    "kubebuilder:object:generate",
    "kubebuilder:subresource:status",
    "kubebuilder:skip",
    "kubebuilder:rbac",
    "kubebuilder:webhook",
    "kubebuilder:scaffold",
    "kubebuilder:ac:generate",
    "k8s:enum",
    "groupName",
    "versionName",
    "genclient",
];

fn marker_entry(cx: &Ctxt, marker: &str, span: Span) -> Option<(Entry, Span)> {
    let line = match marker_value::parse_marker_line(marker) {
        Ok(line) => line,
        Err(e) => {
            cx.error_at(span, format!("malformed marker `+{marker}`: {e}"));
            return None;
        }
    };
    let ours = line.name.starts_with("kubebuilder:") || line.name.starts_with("k8s:");
    if IGNORED
        .iter()
        .any(|p| line.name == *p || line.name.starts_with(&format!("{p}:")))
    {
        return None;
    }
    match translate(&line.name, &line.args, span) {
        Ok(Some(entry)) => Some((entry, span)),
        Ok(None) if ours || is_bare_known(&line.name) => {
            cx.error_at(span, format!("unknown marker `+{}`", line.name));
            None
        }
        // Markers of other tools (`+operator-sdk:...`, `+genclient`) are not ours to judge.
        Ok(None) => None,
        Err(e) => {
            cx.error_at(span, format!("marker `+{marker}`: {e}"));
            None
        }
    }
}

fn is_bare_known(name: &str) -> bool {
    // `+listType:map` is a typo of `+listType=map`, not another tool's marker.
    let name = name.split(':').next().unwrap_or(name);
    matches!(
        name,
        "optional"
            | "required"
            | "nullable"
            | "default"
            | "listType"
            | "listMapKey"
            | "mapType"
            | "structType"
    )
}

type Translated = Result<Option<Entry>, String>;

fn translate(name: &str, args: &MarkerArgs, span: Span) -> Translated {
    if let Some(rest) = name.strip_prefix("kubebuilder:validation:items:") {
        return Ok(
            translate(&format!("kubebuilder:validation:{rest}"), args, span)?
                .map(|e| Entry::Items(vec![(e, span)])),
        );
    }
    if let Some(entry) = translate_exact(name, args)? {
        return Ok(Some(entry));
    }
    // `+kubebuilder:selectablefield:JSONPath=.x` may arrive as a single argument of a longer
    // name; retry with the last segment as the argument name.
    if let (MarkerArgs::Single(raw), Some((head, arg))) = (args, name.rsplit_once(':')) {
        let named = MarkerArgs::Named(vec![(arg.to_owned(), raw.clone())]);
        return translate_exact(head, &named);
    }
    Ok(None)
}

fn value(key: &'static str, v: Value) -> Translated {
    Ok(Some(Entry::Value { key, value: v }))
}

fn single<'a>(args: &'a MarkerArgs, name: &str) -> Result<&'a str, String> {
    match args {
        MarkerArgs::Single(raw) => Ok(raw),
        _ => Err(format!("`+{name}` needs a value: `+{name}=...`")),
    }
}

fn flag(args: &MarkerArgs) -> Result<Value, String> {
    match args {
        MarkerArgs::None => Ok(Value::Bool(true)),
        MarkerArgs::Single(raw) => marker_value::parse_bool(raw).map(Value::Bool),
        MarkerArgs::Named(_) => Err("expected no arguments or `=true`/`=false`".into()),
    }
}

fn named(args: &MarkerArgs, table: &[(&str, &str, bool)]) -> Result<Value, String> {
    let pairs: &[(String, String)] = match args {
        MarkerArgs::Named(pairs) => pairs,
        MarkerArgs::None => &[],
        MarkerArgs::Single(_) => return Err("expected named arguments `key=value,...`".into()),
    };
    let mut obj = Map::new();
    for (k, raw) in pairs {
        let Some((_, ours, is_count)) = table.iter().find(|(go, _, _)| go.eq_ignore_ascii_case(k))
        else {
            let known: Vec<_> = table.iter().map(|(g, _, _)| *g).collect();
            return Err(format!(
                "unknown argument `{k}`; expected one of {}",
                known.join(", ")
            ));
        };
        let v = match (*ours, is_count) {
            ("optional_old_self", _) => Value::Bool(marker_value::parse_bool(raw)?),
            ("annotations" | "labels", _) => Value::Array(
                marker_value::parse_list(raw)?
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => Value::String(s),
                        other => Value::String(other.to_string()),
                    })
                    .collect(),
            ),
            (_, true) => Value::Number(marker_value::parse_number(raw)?),
            _ => Value::String(marker_value::parse_string(raw)?),
        };
        obj.insert((*ours).to_owned(), v);
    }
    Ok(Value::Object(obj))
}

fn str_list(raw: &str) -> Result<Value, String> {
    marker_value::parse_list(raw)?
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(Value::String(s)),
            other => Err(format!("expected names, found `{other}`")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn translate_exact(name: &str, args: &MarkerArgs) -> Translated {
    let v = |n: &str| name == n;
    let validation = name.strip_prefix("kubebuilder:validation:").unwrap_or("");
    match validation {
        "Minimum" => {
            return value(
                MINIMUM,
                Value::Number(marker_value::parse_number(single(args, name)?)?),
            );
        }
        "Maximum" => {
            return value(
                MAXIMUM,
                Value::Number(marker_value::parse_number(single(args, name)?)?),
            );
        }
        "MultipleOf" => {
            return value(
                MULTIPLE_OF,
                Value::Number(marker_value::parse_number(single(args, name)?)?),
            );
        }
        "ExclusiveMinimum" => return value(EXCLUSIVE_MINIMUM, flag(args)?),
        "ExclusiveMaximum" => return value(EXCLUSIVE_MAXIMUM, flag(args)?),
        "MinLength" | "MaxLength" | "MinItems" | "MaxItems" | "MinProperties" | "MaxProperties" => {
            let key = match validation {
                "MinLength" => MIN_LENGTH,
                "MaxLength" => MAX_LENGTH,
                "MinItems" => MIN_ITEMS,
                "MaxItems" => MAX_ITEMS,
                "MinProperties" => MIN_PROPERTIES,
                _ => MAX_PROPERTIES,
            };
            let n = marker_value::parse_number(single(args, name)?)?;
            return match n.as_u64() {
                Some(n) => value(key, Value::Number(n.into())),
                None => Err(format!("expected a non-negative integer, found `{n}`")),
            };
        }
        "Pattern" => {
            return value(
                PATTERN,
                Value::String(marker_value::parse_string(single(args, name)?)?),
            );
        }
        "Format" => {
            return value(
                FORMAT,
                Value::String(marker_value::parse_string(single(args, name)?)?),
            );
        }
        "Type" => {
            return value(
                TYPE,
                Value::String(marker_value::parse_string(single(args, name)?)?),
            );
        }
        "Enum" => {
            return value(
                ENUM_VALUES,
                Value::Array(marker_value::parse_list(single(args, name)?)?),
            );
        }
        "UniqueItems" => return value(UNIQUE_ITEMS, flag(args)?),
        "XPreserveUnknownFields" => return value(PRESERVE_UNKNOWN_FIELDS, flag(args)?),
        "XEmbeddedResource" | "EmbeddedResource" => return value(EMBEDDED_RESOURCE, flag(args)?),
        "XIntOrString" => return value(INT_OR_STRING, flag(args)?),
        "Schemaless" => return value(SCHEMALESS, flag(args)?),
        "Required" => return value(REQUIRED, flag(args)?),
        "Optional" => return value(OPTIONAL, flag(args)?),
        "XValidation" => {
            let table = [
                ("rule", "rule", false),
                ("message", "message", false),
                ("messageExpression", "message_expression", false),
                ("reason", "reason", false),
                ("fieldPath", "field_path", false),
                ("optionalOldSelf", "optional_old_self", false),
            ];
            return value(VALIDATION, named(args, &table)?);
        }
        "AtMostOneOf" => return value(AT_MOST_ONE_OF, str_list(single(args, name)?)?),
        "ExactlyOneOf" => return value(EXACTLY_ONE_OF, str_list(single(args, name)?)?),
        "AtLeastOneOf" => return value(AT_LEAST_ONE_OF, str_list(single(args, name)?)?),
        _ => {}
    }
    if v("required") || v("k8s:required") {
        return value(REQUIRED, flag(args)?);
    }
    if v("optional") || v("k8s:optional") {
        return value(OPTIONAL, flag(args)?);
    }
    if v("nullable") {
        return value(NULLABLE, flag(args)?);
    }
    if v("kubebuilder:default") {
        return value(DEFAULT, marker_value::parse_any(single(args, name)?)?);
    }
    if v("default") {
        let raw = single(args, name)?;
        // controller-gen ignores `+default=ref(...)`: a reference to a Go constant.
        if raw.starts_with("ref(") {
            return Ok(Some(Entry::Ignored));
        }
        let json = serde_json::from_str(raw).map_err(|e| format!("`+default` takes JSON: {e}"))?;
        return value(DEFAULT, json);
    }
    if v("kubebuilder:example") {
        return value(EXAMPLE, marker_value::parse_any(single(args, name)?)?);
    }
    if v("k8s:immutable") {
        return value(IMMUTABLE, flag(args)?);
    }
    if v("kubebuilder:title") {
        return value(
            TITLE,
            Value::String(marker_value::parse_string(single(args, name)?)?),
        );
    }
    if v("kubebuilder:pruning:PreserveUnknownFields") {
        return value(PRESERVE_UNKNOWN_FIELDS, flag(args)?);
    }
    if v("kubebuilder:externalDocs") {
        return value(
            EXTERNAL_DOCS,
            named(
                args,
                &[("url", "url", false), ("description", "description", false)],
            )?,
        );
    }
    if v("listType") || v("k8s:listType") {
        return value(
            LIST_TYPE,
            Value::String(marker_value::parse_string(single(args, name)?)?),
        );
    }
    if v("listMapKey") || v("k8s:listMapKey") {
        let key = marker_value::parse_string(single(args, name)?)?;
        return value(LIST_MAP_KEYS, Value::Array(vec![Value::String(key)]));
    }
    if v("mapType") {
        return value(
            MAP_TYPE,
            Value::String(marker_value::parse_string(single(args, name)?)?),
        );
    }
    if v("structType") {
        return value(
            STRUCT_TYPE,
            Value::String(marker_value::parse_string(single(args, name)?)?),
        );
    }
    if v("kubebuilder:storageversion") {
        return value(STORAGE_VERSION, flag(args)?);
    }
    if v("kubebuilder:unservedversion") {
        return value(UNSERVED, flag(args)?);
    }
    if v("kubebuilder:skipversion") {
        return value(SKIP, flag(args)?);
    }
    if v("kubebuilder:deprecatedversion") {
        return value(DEPRECATED, named(args, &[("warning", "warning", false)])?);
    }
    if v("kubebuilder:printcolumn") {
        let table = [
            ("name", "name", false),
            ("type", "type", false),
            ("JSONPath", "json_path", false),
            ("description", "description", false),
            ("format", "format", false),
            ("priority", "priority", true),
        ];
        return value(PRINTCOLUMN, named(args, &table)?);
    }
    if v("kubebuilder:selectablefield") {
        return value(
            SELECTABLE_FIELD,
            named(args, &[("JSONPath", "json_path", false)])?,
        );
    }
    if v("kubebuilder:subresource:scale") {
        let table = [
            ("specpath", "spec_path", false),
            ("statuspath", "status_path", false),
            ("selectorpath", "selector_path", false),
        ];
        return value(SCALE, named(args, &table)?);
    }
    if v("kubebuilder:metadata") {
        let table = [
            ("annotations", "annotations", false),
            ("labels", "labels", false),
        ];
        return value(METADATA, named(args, &table)?);
    }
    if v("kubebuilder:resource") {
        return resource_marker(args);
    }
    Ok(None)
}

/// `+kubebuilder:resource` mostly restates `#[kube(...)]`; only `categories` has no kube form
/// we read, so the rest is refused with the kube spelling.
fn resource_marker(args: &MarkerArgs) -> Translated {
    let MarkerArgs::Named(pairs) = args else {
        return Err("expected `+kubebuilder:resource:categories=a;b`".into());
    };
    let mut categories = None;
    for (k, raw) in pairs {
        match k.as_str() {
            "categories" => categories = Some(str_list(raw)?),
            "path" => return Err("write the plural in `#[kube(plural = \"...\")]`".into()),
            "scope" => {
                return Err(
                    "write the scope in `#[kube(namespaced)]` (omit it for Cluster)".into(),
                );
            }
            "shortName" => return Err("write short names in `#[kube(shortname = \"...\")]`".into()),
            "singular" => return Err("write the singular in `#[kube(singular = \"...\")]`".into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match categories {
        Some(c) => value(CATEGORIES, c),
        None => Ok(None),
    }
}
