//! Doc comments: descriptions, and verbatim controller-gen markers (`/// +kubebuilder:...`)
//! translated into the same entries `#[crd(...)]` produces, so Go APIs port by copy-paste.

use proc_macro2::Span;
use serde_json::{Map, Value};
use syn::spanned::Spanned;

use crate::attr::Entry;
use crate::ctxt::Ctxt;
use crate::marker_value::{self, MarkerArgs};
use crate::markers::{self, Arg, GoArg, Kind, Marker};

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
    "kubebuilder:scaffold",
    "kubebuilder:ac:generate",
    "kubebuilder:ac:output",
    "k8s:enum",
    "k8s:deepcopy-gen",
    "k8s:openapi-gen",
    "groupName",
    "versionName",
    "genclient",
];

/// Go markers that are attributes in Rust: a doc line would otherwise be read as nothing,
/// and the rule or webhook silently missing. `kubebuilder:webhookconfiguration` comes before
/// `kubebuilder:webhook`, which it starts with.
const ATTRIBUTES_INSTEAD: &[(&str, &str)] = &[
    (
        "kubebuilder:rbac",
        "is an attribute in Kubeforge: write `#[kubeforge::rbac(groups = .., resources = .., verbs = ..)]` on the controller or any item (see `kubeforge::rbac`)",
    ),
    (
        "kubebuilder:webhookconfiguration",
        "is an attribute in Kubeforge: write `#[kubeforge::webhook(mutating = true, configuration_name = \"...\")]` on any item (see `kubeforge::webhook`)",
    ),
    (
        "kubebuilder:webhook",
        "is an attribute in Kubeforge: write `#[kubeforge::webhook(path = .., mutating = .., ...)]` on the defaulter or validator (see `kubeforge::webhook`)",
    ),
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
    if let Some((name, hint)) = ATTRIBUTES_INSTEAD
        .iter()
        .find(|(name, _)| line.name == *name || line.name.starts_with(&format!("{name}:")))
    {
        cx.error_at(span, format!("`+{name}` {hint}"));
        return None;
    }
    if IGNORED
        .iter()
        .any(|p| line.name == *p || line.name.starts_with(&format!("{p}:")))
    {
        return None;
    }
    match translate(&line.name, &line.args, span) {
        Ok(Some(entry)) => Some((entry, span)),
        Ok(None) if ours || is_bare_known(&line.name) => {
            let message = match markers::closest_go_name(&line.name) {
                Some(name) => format!("unknown marker `+{}`; did you mean `+{name}`?", line.name),
                None => format!("unknown marker `+{}`", line.name),
            };
            cx.error_at(span, message);
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
    markers::MARKERS
        .iter()
        .flat_map(|m| m.go)
        .any(|g| !g.name.contains(':') && g.name == name)
}

type Translated = Result<Option<Entry>, String>;

fn translate(name: &str, args: &MarkerArgs, span: Span) -> Translated {
    if let Some(rest) = name.strip_prefix(markers::ITEMS_PREFIX) {
        return Ok(
            translate(&format!("{}{rest}", markers::VALIDATION_PREFIX), args, span)?
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

fn count(raw: &str) -> Result<Value, String> {
    let n = marker_value::parse_number(raw)?;
    match n.as_u64() {
        Some(n) => Ok(Value::Number(n.into())),
        None => Err(format!("expected a non-negative integer, found `{n}`")),
    }
}

fn named(args: &MarkerArgs, table: &[Arg]) -> Result<Value, String> {
    let pairs: &[(String, String)] = match args {
        MarkerArgs::Named(pairs) => pairs,
        MarkerArgs::None => &[],
        MarkerArgs::Single(_) => return Err("expected named arguments `key=value,...`".into()),
    };
    let mut obj = Map::new();
    for (k, raw) in pairs {
        let Some(arg) = table.iter().find(|a| a.go.eq_ignore_ascii_case(k)) else {
            let known: Vec<_> = table.iter().map(|a| a.go).collect();
            return Err(format!(
                "unknown argument `{k}`; expected one of {}",
                known.join(", ")
            ));
        };
        let v = match arg.kind {
            Kind::Flag => Value::Bool(marker_value::parse_bool(raw)?),
            Kind::StrList => Value::Array(
                marker_value::parse_list(raw)?
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => Value::String(s),
                        other => Value::String(other.to_string()),
                    })
                    .collect(),
            ),
            Kind::Count => count(raw)?,
            _ => Value::String(marker_value::parse_string(raw)?),
        };
        obj.insert(arg.key.to_owned(), v);
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

/// The value of a marker read as its `#[crd(...)]` kind says.
fn value_of_kind(kind: Kind, args: &MarkerArgs, name: &str) -> Result<Value, String> {
    Ok(match kind {
        Kind::Number => Value::Number(marker_value::parse_number(single(args, name)?)?),
        Kind::Count => count(single(args, name)?)?,
        Kind::Flag => flag(args)?,
        Kind::Str => Value::String(marker_value::parse_string(single(args, name)?)?),
        Kind::StrList => str_list(single(args, name)?)?,
        Kind::Json => marker_value::parse_any(single(args, name)?)?,
        Kind::JsonList => Value::Array(marker_value::parse_list(single(args, name)?)?),
        Kind::Nested(sub) | Kind::FlagOrNested(sub) => named(args, sub)?,
        Kind::Items => return Err("`items` has no marker of its own".into()),
    })
}

fn translate_exact(name: &str, args: &MarkerArgs) -> Translated {
    let Some((marker, go_arg)) = markers::by_go_name(name) else {
        return Ok(None);
    };
    let value = match go_arg {
        GoArg::Same => value_of_kind(marker.kind, args, name)?,
        GoArg::Any => marker_value::parse_any(single(args, name)?)?,
        GoArg::JsonOrRef => {
            let raw = single(args, name)?;
            // controller-gen ignores `+default=ref(...)`: a reference to a Go constant.
            if raw.starts_with("ref(") {
                return Ok(Some(Entry::Ignored));
            }
            serde_json::from_str(raw).map_err(|e| format!("`+default` takes JSON: {e}"))?
        }
        GoArg::OneName => Value::Array(vec![Value::String(marker_value::parse_string(single(
            args, name,
        )?)?)]),
        GoArg::Resource => return resource_marker(marker, args),
    };
    Ok(Some(Entry::Value { marker, value }))
}

/// `+kubebuilder:resource` mostly restates `#[kube(...)]`; only `categories` has no kube form
/// we read, so the rest is refused with the kube spelling.
fn resource_marker(marker: &'static Marker, args: &MarkerArgs) -> Translated {
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
    Ok(categories.map(|value| Entry::Value { marker, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(entry: &Entry) -> String {
        match entry {
            Entry::Value { marker, value } => format!("{}={value}", marker.key),
            Entry::Items(inner) => {
                let inner: Vec<_> = inner.iter().map(|(e, _)| show(e)).collect();
                format!("items({})", inner.join(","))
            }
            Entry::Ignored => "ignored".to_owned(),
        }
    }

    fn entries(line: &str) -> Vec<String> {
        let attrs: Vec<syn::Attribute> = vec![syn::parse_quote!(#[doc = #line])];
        let cx = Ctxt::new();
        let doc = parse(&cx, &attrs);
        cx.check().expect("the marker is accepted");
        doc.entries.iter().map(|(e, _)| show(e)).collect()
    }

    #[test]
    fn aliases_are_the_same_marker() {
        for (alias, canonical, expected) in [
            (
                " +k8s:required",
                " +kubebuilder:validation:Required",
                "required=true",
            ),
            (" +k8s:listType=map", " +listType=map", "list_type=\"map\""),
            (
                " +k8s:minimum=-1",
                " +kubebuilder:validation:Minimum=-1",
                "minimum=-1",
            ),
            (
                " +k8s:maximum=2.5",
                " +kubebuilder:validation:Maximum=2.5",
                "maximum=2.5",
            ),
            (
                " +k8s:maxItems=3",
                " +kubebuilder:validation:MaxItems=3",
                "max_items=3",
            ),
            (
                " +kubebuilder:validation:EmbeddedResource",
                " +kubebuilder:validation:XEmbeddedResource",
                "embedded_resource=true",
            ),
        ] {
            assert_eq!(entries(alias), [expected], "{alias}");
            assert_eq!(entries(canonical), [expected], "{canonical}");
        }
    }

    #[test]
    fn items_form_applies_the_marker_to_items() {
        assert_eq!(
            entries(" +kubebuilder:validation:items:MaxLength=3"),
            ["items(max_length=3)"]
        );
        assert_eq!(
            entries(" +kubebuilder:validation:items:Enum=a;b"),
            ["items(enum_values=[\"a\",\"b\"])"]
        );
    }
}
