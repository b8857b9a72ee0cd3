//! Cross-checks run after parsing: placement of each marker, markers against the field's type,
//! contradictions, regular expressions, CEL rules, and enum shapes a structural schema cannot
//! describe. Every problem is reported at the marker's span.

use proc_macro2::Span;
use serde_json::Value;

use crate::attr::{Markers, Set};
use crate::ctxt::Ctxt;
use crate::markers::{self, Kind, Sits};
use crate::model::{Container, Data, Field, Style};
use crate::shape::{self, Class, Scalar, Shape};
use crate::symbol::*;

pub(crate) fn check(cx: &Ctxt, c: &Container) {
    check_type_markers(cx, c);
    match &c.data {
        Data::Struct(style, fields) => {
            if *style == Style::Unit {
                cx.error_spanned_by(
                    &c.input.ident,
                    "a unit struct serialises as `null`, which a CRD schema cannot describe; give it fields",
                );
            }
            for f in fields {
                check_field(cx, f);
            }
            check_one_of(cx, &c.markers, fields, c.serde.default);
        }
        Data::Enum(variants) => {
            check_enum(cx, c);
            for v in variants {
                for f in &v.fields {
                    check_field(cx, f);
                }
            }
        }
    }
}

fn check_type_markers(cx: &Ctxt, c: &Container) {
    for (marker, span) in &c.markers.seen {
        let key = marker.key;
        if marker.sits == Sits::Version && c.kube.is_none() {
            cx.error_at(
                *span,
                format!("`{key}` is a version marker: it applies to the struct that carries `#[kube(...)]`"),
            );
        }
        if marker.sits == Sits::Field {
            cx.error_at(*span, format!("`{key}` applies to fields, not to types"));
        }
    }
    let classes = type_classes(c);
    check_schema_markers(cx, &c.markers, classes.as_deref(), false, "this type");
    if c.markers.version_flag(STORAGE_VERSION) && c.markers.version_flag(SKIP) {
        let span = c.markers.version[SKIP].1;
        cx.error_at(
            span,
            "contradictory markers: `storage_version` and `skip` on one version",
        );
    }
    for (col, span) in c.markers.version_list(PRINTCOLUMN) {
        check_printcolumn(cx, col, *span);
    }
    for (sel, span) in c.markers.version_list(SELECTABLE_FIELD) {
        if !sel
            .get("json_path")
            .and_then(Value::as_str)
            .is_some_and(|p| p.starts_with('.'))
        {
            cx.error_at(
                *span,
                "`selectable_field` needs `json_path = \".spec.field\"` (starting with `.`)",
            );
        }
    }
    if let Some((scale, span)) = c.markers.version.get(SCALE) {
        for key in ["spec_path", "status_path"] {
            if !scale
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|p| p.starts_with('.'))
            {
                cx.error_at(
                    *span,
                    format!("`scale` needs `{key}` (a JSON path starting with `.`)"),
                );
            }
        }
    }
    if let Some((meta, span)) = c.markers.version.get(METADATA) {
        for list in ["annotations", "labels"] {
            for entry in meta
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let well_formed = entry
                    .as_str()
                    .and_then(|s| s.split_once('='))
                    .is_some_and(|(k, _)| !k.is_empty());
                if !well_formed {
                    cx.error_at(
                        *span,
                        format!(
                            "`metadata({list})` entries are written `\"key=value\"`, found {entry}"
                        ),
                    );
                }
            }
        }
    }
}

fn check_printcolumn(cx: &Ctxt, col: &Value, span: Span) {
    for key in ["name", "type", "json_path"] {
        if col
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            cx.error_at(span, format!("`printcolumn` needs `{key} = \"...\"`"));
        }
    }
    if let Some(t) = col.get("type").and_then(Value::as_str)
        && !["integer", "number", "string", "boolean", "date"].contains(&t)
    {
        cx.error_at(
            span,
            format!("printcolumn type `{t}` is not one of integer, number, string, boolean, date"),
        );
    }
    if let Some(p) = col.get("json_path").and_then(Value::as_str)
        && !p.starts_with('.')
    {
        cx.error_at(
            span,
            format!("printcolumn json_path `{p}` must start with `.`"),
        );
    }
}

fn check_field(cx: &Ctxt, f: &Field) {
    for (marker, span) in &f.markers.seen {
        let key = marker.key;
        if marker.sits == Sits::Type {
            cx.error_at(
                *span,
                format!("`{key}` applies to a struct, not to a field"),
            );
        } else if marker.sits == Sits::Version {
            cx.error_at(
                *span,
                format!("`{key}` is a version marker: it applies to the struct that carries `#[kube(...)]`"),
            );
        }
    }
    if f.serde.skip && !f.markers.seen.is_empty() {
        cx.error_at(
            f.markers.seen[0].1,
            "markers have no effect on a `#[serde(skip)]` field: it is not part of the schema",
        );
    }
    if f.serde.flatten && !f.markers.seen.is_empty() {
        cx.error_at(f.markers.seen[0].1, "markers have no effect on a `#[serde(flatten)]` field: put them on the flattened type's fields");
    }
    let classes = field_classes(f);
    check_schema_markers(
        cx,
        &f.markers,
        classes.as_deref(),
        is_integer(f.ty),
        "this field's type",
    );
    if let Some((items, span)) = &f.markers.items {
        match shape::item_type(f.ty) {
            Some(item) => {
                check_schema_markers(
                    cx,
                    items,
                    item_classes(f).as_deref(),
                    is_integer(item),
                    "the list's items",
                );
            }
            None if shape::classes(f.ty).is_some() => {
                cx.error_at(
                    *span,
                    "`items(...)` applies to lists (`Vec<T>`, sets, arrays)",
                );
            }
            None => check_schema_markers(cx, items, None, false, "the list's items"),
        }
        for (marker, span) in &items.seen {
            if !marker.in_items {
                cx.error_at(
                    *span,
                    format!("`{}` cannot be used inside `items(...)`", marker.key),
                );
            }
        }
    }
}

fn is_integer(ty: &syn::Type) -> bool {
    match shape::shape(ty) {
        Shape::Option(t) | Shape::Transparent(t) => is_integer(t),
        Shape::Scalar(Scalar::Integer) => true,
        _ => false,
    }
}

fn declared_classes(m: &Markers) -> Option<Vec<Class>> {
    if m.flag(INT_OR_STRING).is_some() {
        return Some(vec![Class::String, Class::Numeric]);
    }
    let set = m.keywords.get("type")?;
    shape::class_of_type_name(set.value.as_str()?)
}

/// The classes a field's schema can take, when the derive can tell; `None` leaves the
/// applicability check to run time.
pub(crate) fn field_classes(f: &Field) -> Option<Vec<Class>> {
    declared_classes(&f.markers).or_else(|| shape::classes(f.ty))
}

/// The classes of a list field's items, when the derive can tell.
pub(crate) fn item_classes(f: &Field) -> Option<Vec<Class>> {
    let (items, _) = f.markers.items.as_ref()?;
    declared_classes(items).or_else(|| shape::classes(shape::item_type(f.ty)?))
}

/// The classes of a type's own schema, when the derive can tell.
pub(crate) fn type_classes(c: &Container) -> Option<Vec<Class>> {
    match &c.data {
        Data::Struct(Style::Named, _) => Some(vec![Class::Object]),
        Data::Enum(vs) if vs.iter().all(|v| v.style == Style::Unit) => Some(vec![Class::String]),
        _ => None,
    }
}

pub(crate) fn class_name(c: Class) -> &'static str {
    match c {
        Class::Numeric => "numbers",
        Class::String => "strings",
        Class::Array => "lists",
        Class::Object => "maps and structs",
    }
}

fn check_schema_markers(
    cx: &Ctxt,
    m: &Markers,
    classes: Option<&[Class]>,
    integer: bool,
    what: &str,
) {
    for set in m.keywords.values() {
        let marker = set.marker;
        if let (Some(need), Some(have)) = (marker.applies_to, classes)
            && !have.contains(&need)
        {
            cx.error_at(
                set.span,
                format!(
                    "`{}` applies to {}, not to {what}",
                    marker.key,
                    class_name(need)
                ),
            );
        }
        if integer
            && marker.kind == Kind::Number
            && marker.applies_to == Some(Class::Numeric)
            && set.value.as_f64().is_some_and(|v| v.fract() != 0.0)
        {
            cx.error_at(
                set.span,
                format!(
                    "`{}` must be a whole number on an integer field",
                    marker.key
                ),
            );
        }
        check_keyword_value(cx, set);
    }
    if let Some(span) = m.flag(UNIQUE_ITEMS) {
        cx.error_at(
            span,
            "the apiserver rejects `uniqueItems: true`; write `list_type = \"set\"` instead",
        );
    }
    if let Some(span) = m.flag(INT_OR_STRING)
        && m.keywords.contains_key("type")
    {
        cx.error_at(span, "contradictory markers: `int_or_string` and `type`");
    }
    check_pairs(cx, m);
    for (rule, span) in &m.validations {
        check_validation(cx, rule, *span);
    }
}

fn by_key<'a>(m: &'a Markers, key: &str) -> Option<&'a Set> {
    m.keywords.values().find(|s| s.marker.key == key)
}

fn check_pairs(cx: &Ctxt, m: &Markers) {
    let num = |key: &str| by_key(m, key).and_then(|s| s.value.as_f64().map(|f| (f, s.span)));
    for upper in markers::MARKERS {
        let Some(lower) = upper.upper_of else {
            continue;
        };
        if let (Some((a, _)), Some((b, span))) = (num(lower), num(upper.key))
            && a > b
        {
            cx.error_at(
                span,
                format!(
                    "contradictory markers: `{lower}` ({a}) is greater than `{}` ({b})",
                    upper.key
                ),
            );
        }
    }
    for marker in markers::MARKERS {
        let Some(needed) = marker.needs else {
            continue;
        };
        if let Some(set) = by_key(m, marker.key)
            && set.value == Value::Bool(true)
            && by_key(m, needed).is_none()
        {
            cx.error_at(set.span, format!("`{}` needs `{needed}`", marker.key));
        }
    }
    let list_type = by_key(m, LIST_TYPE);
    let list_type_value = list_type.and_then(|s| s.value.as_str());
    if let Some(keys) = by_key(m, LIST_MAP_KEYS)
        && list_type_value != Some("map")
    {
        cx.error_at(keys.span, "`list_map_keys` needs `list_type = \"map\"`");
    }
    if let (Some("map"), Some(list_type)) = (list_type_value, list_type)
        && by_key(m, LIST_MAP_KEYS).is_none()
    {
        cx.error_at(
            list_type.span,
            "`list_type = \"map\"` needs `list_map_keys = [\"...\"]`",
        );
    }
    if let (Some(values), Some(default)) = (by_key(m, ENUM_VALUES), by_key(m, DEFAULT))
        && let Value::Array(values) = &values.value
        && !values.contains(&default.value)
    {
        cx.error_at(
            default.span,
            format!("the default {} is not one of `enum_values`", default.value),
        );
    }
}

fn check_keyword_value(cx: &Ctxt, set: &Set) {
    let (marker, value, span) = (set.marker, &set.value, set.span);
    let key = marker.key;
    if !marker.allowed.is_empty() && !value.as_str().is_some_and(|v| marker.allowed.contains(&v)) {
        cx.error_at(
            span,
            format!(
                "`{key}` must be one of {}, found {value}",
                marker.allowed.join(", ")
            ),
        );
    }
    match key {
        PATTERN => {
            if let Some(re) = value.as_str()
                && let Err(e) = regex_syntax::Parser::new().parse(re)
            {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or_default();
                let msg = last.trim_start_matches("error: ").to_owned();
                cx.error_at(
                    span,
                    format!("invalid regular expression in `pattern`: {msg}"),
                );
            }
        }
        MULTIPLE_OF if value.as_f64().is_some_and(|v| v <= 0.0) => {
            cx.error_at(span, "`multiple_of` must be greater than 0");
        }
        ENUM_VALUES if value.as_array().is_some_and(Vec::is_empty) => {
            cx.error_at(span, "`enum_values` needs at least one value");
        }
        EXTERNAL_DOCS if value.get("url").is_none() && value.get("description").is_none() => {
            cx.error_at(span, "`external_docs` needs `url` or `description`");
        }
        _ => {}
    }
}

const REASONS: &[&str] = &[
    "FieldValueInvalid",
    "FieldValueForbidden",
    "FieldValueRequired",
    "FieldValueDuplicate",
];

fn check_validation(cx: &Ctxt, rule: &Value, span: Span) {
    let Some(text) = rule
        .get("rule")
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
    else {
        cx.error_at(
            span,
            "`validation` needs `rule = \"...\"` (a CEL expression)",
        );
        return;
    };
    if let Err(e) = cel_shape(text) {
        cx.error_at(span, format!("invalid CEL rule `{text}`: {e}"));
    }
    if let Some(reason) = rule.get("reason").and_then(Value::as_str)
        && !REASONS.contains(&reason)
    {
        cx.error_at(
            span,
            format!(
                "`reason` must be one of {}, found `{reason}`",
                REASONS.join(", ")
            ),
        );
    }
    if let Some(path) = rule.get("fieldPath").and_then(Value::as_str)
        && !path.starts_with('.')
    {
        cx.error_at(
            span,
            format!("`field_path` must start with `.`, found `{path}`"),
        );
    }
}

/// What can be checked of a CEL expression without a CEL parser: balanced brackets and closed
/// string literals, in CEL's lexical forms (`'..'`, `".."`, triple-quoted, `r`-prefixed raw).
/// The rule is parsed for real when CRDs are generated (`kubeforge`'s CEL checks).
fn cel_shape(rule: &str) -> Result<(), String> {
    let mut stack = Vec::new();
    let mut i = 0;
    while let Some(c) = rule[i..].chars().next() {
        if c == '\'' || c == '"' {
            let triple: String = std::iter::repeat_n(c, 3).collect();
            let delim = if rule[i..].starts_with(&triple) {
                triple.as_str()
            } else {
                &rule[i..i + 1]
            };
            let start = i + delim.len();
            match string_end(&rule[start..], delim, is_raw(&rule[..i])) {
                Some(len) => i = start + len,
                None => return Err(format!("unterminated string literal starting with {delim}")),
            }
            continue;
        }
        match c {
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(open) {
                    return Err(format!("unbalanced `{c}`"));
                }
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    match stack.pop() {
        Some(open) => Err(format!("unclosed `{open}`")),
        None => Ok(()),
    }
}

/// Whether the literal whose quote follows `before` is raw: CEL's `r`/`R` prefix, alone or
/// with the bytes prefix (`rb`, `br`), where backslashes are not escapes.
fn is_raw(before: &str) -> bool {
    let prefix: Vec<char> = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (1..=2).contains(&prefix.len())
        && prefix.iter().all(|c| "rRbB".contains(*c))
        && prefix.iter().any(|c| "rR".contains(*c))
}

/// The length of a literal's body and closing `delim` in `rest`, if it is closed.
fn string_end(rest: &str, delim: &str, raw: bool) -> Option<usize> {
    let mut j = 0;
    while let Some(c) = rest[j..].chars().next() {
        if rest[j..].starts_with(delim) {
            return Some(j + delim.len());
        }
        j += c.len_utf8();
        if c == '\\' && !raw {
            j += rest[j..].chars().next().map_or(0, char::len_utf8);
        }
    }
    None
}

fn check_one_of(cx: &Ctxt, m: &Markers, fields: &[Field], container_default: bool) {
    for (marker, names, span) in &m.one_of {
        let key = marker.key;
        if names.len() < 2 {
            cx.error_at(*span, format!("`{key}` needs at least two field names"));
        }
        for name in names {
            match fields.iter().find(|f| &f.name == name && !f.serde.skip) {
                None => cx.error_at(
                    *span,
                    format!("`{key}` names `{name}`, which is not a property of this struct"),
                ),
                Some(f) if f.required(container_default) => cx.error_at(
                    *span,
                    format!("`{key}` names `{name}`, which is required; make it an `Option`"),
                ),
                Some(_) => {}
            }
        }
    }
}

fn check_enum(cx: &Ctxt, c: &Container) {
    let Data::Enum(variants) = &c.data else {
        return;
    };
    let variants: Vec<_> = variants.iter().filter(|v| !v.serde.skip).collect();
    if variants.is_empty() {
        cx.error_spanned_by(
            &c.input.ident,
            "an enum without variants has no values to describe",
        );
        return;
    }
    let unit = variants.iter().filter(|v| v.style == Style::Unit).count();
    let tagged = c.serde.tag.is_some();
    if c.serde.untagged && unit > 0 {
        let v = variants
            .iter()
            .find(|v| v.style == Style::Unit)
            .map(|v| &v.original.ident);
        cx.error_spanned_by(v, "a unit variant of an untagged enum serialises as `null`, which a CRD schema cannot describe");
    }
    if !tagged && !c.serde.untagged && unit > 0 && unit < variants.len() {
        let v = variants
            .iter()
            .find(|v| v.style != Style::Unit)
            .map(|v| &v.original.ident);
        cx.error_spanned_by(
            v,
            "this enum mixes unit and data variants, so serde writes it as a string or as an object, which a structural schema cannot describe; add `#[serde(tag = \"type\")]` (internally tagged) or make every variant carry data",
        );
    }
    if tagged && c.serde.content.is_none() {
        for v in &variants {
            if v.style == Style::Tuple && v.fields.len() == 1 {
                if let Shape::Scalar(_) | Shape::Array(_) | Shape::Set(_) =
                    shape::shape(v.fields[0].ty)
                {
                    cx.error_spanned_by(&v.original.ident, "an internally tagged variant must hold a struct or a map; add `#[serde(content = \"value\")]` (adjacently tagged)");
                }
            } else if v.style == Style::Tuple {
                cx.error_spanned_by(
                    &v.original.ident,
                    "serde cannot write tuple variants of an internally tagged enum",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cel_shape;

    #[test]
    fn cel_string_forms_are_skipped_whole() {
        for ok in [
            "self.a != '''it's'''",
            r#"self.b == """say "hi" (""""#,
            r"self.c.matches(r'\d+\')",
            r#"self.d == R"\""#,
            r"self.e == rb'\'",
            r#"self.f == 'a)b' && self.g == "[\"]""#,
        ] {
            assert_eq!(cel_shape(ok), Ok(()), "{ok}");
        }
        for (bad, message) in [
            (
                "self.a == 'abc",
                "unterminated string literal starting with '",
            ),
            (
                "self.a == '''abc''",
                "unterminated string literal starting with '''",
            ),
            (
                r"self.a == 'x\'",
                "unterminated string literal starting with '",
            ),
            ("size(self.a", "unclosed `(`"),
            ("self.a]", "unbalanced `]`"),
        ] {
            assert_eq!(cel_shape(bad), Err(message.to_owned()), "{bad}");
        }
    }
}
