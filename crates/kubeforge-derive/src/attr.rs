//! Parsing of `#[crd(...)]` into [`Entry`] values, and the model ([`Markers`]) both attribute forms
//! fill. The doc-comment form (`/// +kubebuilder:...`) is translated into the same entries in
//! `doc.rs`, so both forms share every check and the emitter.

use std::collections::BTreeMap;

use proc_macro2::Span;
use serde_json::{Map, Value};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, Lit, UnOp};

use crate::ctxt::Ctxt;
use crate::markers::{self, Arg, Effect, Kind, Marker};
use crate::symbol::*;

/// One marker as written, in either form.
pub(crate) enum Entry {
    Value {
        marker: &'static Marker,
        value: Value,
    },
    Items(Vec<(Entry, Span)>),
    /// Accepted and without effect (`+default=ref(...)`, as controller-gen).
    Ignored,
}

/// Parses every `#[crd(...)]` attribute in `attrs`.
pub(crate) fn parse_crd_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Vec<(Entry, Span)> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(CRD)) {
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected `#[crd(...)]` with at least one key");
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            if let Some(entry) = parse_entry(cx, &meta, "#[crd(...)]")? {
                out.push(entry);
            }
            Ok(())
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    out
}

fn key_of(meta: &ParseNestedMeta) -> syn::Result<String> {
    meta.path
        .get_ident()
        .map(|i| i.to_string().trim_start_matches("r#").to_owned())
        .ok_or_else(|| meta.error("expected a key such as `minimum = 1`"))
}

fn parse_entry(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    context: &str,
) -> syn::Result<Option<(Entry, Span)>> {
    let name = key_of(meta)?;
    let span = meta.path.span();
    let Some(marker) = markers::by_key(&name) else {
        cx.error_at(span, markers::unknown_key_message(&name, context));
        skip_value(meta)?;
        return Ok(None);
    };
    if marker.kind == Kind::Items {
        let mut inner = Vec::new();
        meta.parse_nested_meta(|m| {
            if let Some(e) = parse_entry(cx, &m, "items(...)")? {
                inner.push(e);
            }
            Ok(())
        })?;
        return Ok(Some((Entry::Items(inner), span)));
    }
    match parse_value(cx, meta, marker.key, marker.kind)? {
        Some(value) => Ok(Some((Entry::Value { marker, value }, span))),
        None => Ok(None),
    }
}

/// Consumes whatever follows an unknown key, so one mistake does not hide the next.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

fn parse_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
    kind: Kind,
) -> syn::Result<Option<Value>> {
    let nested = |sub: &'static [Arg]| -> syn::Result<Option<Value>> {
        let mut obj = Map::new();
        let mut unknown = false;
        meta.parse_nested_meta(|m| {
            let name = key_of(&m)?;
            let Some(sub_arg) = sub.iter().find(|a| a.key == name) else {
                let known: Vec<_> = sub.iter().map(|a| format!("`{}`", a.key)).collect();
                cx.error_at(
                    m.path.span(),
                    format!(
                        "unknown key `{name}` in `{key}(...)`; expected one of {}",
                        known.join(", ")
                    ),
                );
                unknown = true;
                return skip_value(&m);
            };
            if let Some(v) = parse_value(cx, &m, sub_arg.key, sub_arg.kind)? {
                obj.insert(sub_arg.key.to_owned(), v);
            }
            Ok(())
        })?;
        // One misspelt argument is reported once, not again as a missing one.
        Ok((!unknown).then_some(Value::Object(obj)))
    };
    match kind {
        Kind::Flag => {
            if meta.input.peek(syn::Token![=]) {
                let expr: Expr = meta.value()?.parse()?;
                match &expr {
                    Expr::Lit(l) => match &l.lit {
                        Lit::Bool(b) => Ok(Some(Value::Bool(b.value))),
                        _ => wrong(cx, &expr, key, "`true` or `false`"),
                    },
                    _ => wrong(cx, &expr, key, "`true` or `false`"),
                }
            } else if meta.input.peek(syn::token::Paren) {
                Err(meta.error(format!("`{key}` takes no arguments; write `{key}` alone")))
            } else {
                Ok(Some(Value::Bool(true)))
            }
        }
        Kind::FlagOrNested(sub) => {
            if meta.input.peek(syn::token::Paren) {
                nested(sub)
            } else if meta.input.peek(syn::Token![=]) {
                Err(meta.error(format!(
                    "write `{key}` or `{key}(warning = \"...\")`, not `{key} = ...`"
                )))
            } else {
                Ok(Some(Value::Object(Map::new())))
            }
        }
        Kind::Nested(sub) => {
            if !meta.input.peek(syn::token::Paren) {
                return Err(meta.error(format!("`{key}` takes arguments: `{key}(...)`")));
            }
            nested(sub)
        }
        _ => {
            if !meta.input.peek(syn::Token![=]) {
                return Err(meta.error(format!("`{key}` needs a value: `{key} = ...`")));
            }
            let expr: Expr = meta.value()?.parse()?;
            let result = match kind {
                Kind::Number => expr_number(&expr).map(Value::Number),
                Kind::Count => expr_count(&expr).map(|n| Value::Number(n.into())),
                Kind::Str => expr_str(&expr).map(Value::String),
                Kind::StrList => expr_array(&expr)
                    .and_then(|items| items.iter().map(expr_str).collect::<Result<Vec<_>, _>>())
                    .map(|v| Value::Array(v.into_iter().map(Value::String).collect())),
                Kind::Json => expr_json(&expr),
                Kind::JsonList => expr_array(&expr)
                    .and_then(|items| items.iter().map(expr_json).collect::<Result<Vec<_>, _>>())
                    .map(Value::Array),
                _ => unreachable!("handled above"),
            };
            match result {
                Ok(v) => Ok(Some(v)),
                Err(expected) => wrong(cx, &expr, key, expected),
            }
        }
    }
}

fn wrong(cx: &Ctxt, expr: &Expr, key: &str, expected: &str) -> syn::Result<Option<Value>> {
    cx.error_spanned_by(expr, format!("`{key}` expects {expected}"));
    Ok(None)
}

fn expr_number(expr: &Expr) -> Result<serde_json::Number, &'static str> {
    const EXPECTED: &str = "a number such as `1` or `-0.5`";
    match expr {
        Expr::Lit(l) => lit_number(&l.lit, false).ok_or(EXPECTED),
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(l) => lit_number(&l.lit, true).ok_or(EXPECTED),
            _ => Err(EXPECTED),
        },
        Expr::Group(g) => expr_number(&g.expr),
        _ => Err(EXPECTED),
    }
}

fn lit_number(lit: &Lit, negative: bool) -> Option<serde_json::Number> {
    let sign = if negative { "-" } else { "" };
    match lit {
        Lit::Int(i) => format!("{sign}{}", i.base10_digits())
            .parse::<i64>()
            .ok()
            .map(Into::into),
        Lit::Float(f) => format!("{sign}{}", f.base10_digits())
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64),
        _ => None,
    }
}

fn expr_count(expr: &Expr) -> Result<u64, &'static str> {
    const EXPECTED: &str = "a non-negative integer";
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u64>().map_err(|_| EXPECTED),
            _ => Err(EXPECTED),
        },
        _ => Err(EXPECTED),
    }
}

fn expr_str(expr: &Expr) -> Result<String, &'static str> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Ok(s.value()),
            _ => Err("a string literal"),
        },
        _ => Err("a string literal"),
    }
}

fn expr_array(expr: &Expr) -> Result<Vec<Expr>, &'static str> {
    match expr {
        Expr::Array(a) => Ok(a.elems.iter().cloned().collect()),
        _ => Err("a list such as `[\"a\", \"b\"]`"),
    }
}

const JSON_EXPECTED: &str =
    "a literal (`1`, `\"text\"`, `true`), a list of literals, or `json!(...)`";

fn expr_json(expr: &Expr) -> Result<Value, &'static str> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Ok(Value::String(s.value())),
            Lit::Bool(b) => Ok(Value::Bool(b.value)),
            lit => lit_number(lit, false)
                .map(Value::Number)
                .ok_or(JSON_EXPECTED),
        },
        Expr::Unary(_) => expr_number(expr).map(Value::Number),
        Expr::Array(a) => a
            .elems
            .iter()
            .map(expr_json)
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Expr::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "json") =>
        {
            serde_json::from_str(&m.mac.tokens.to_string())
                .map_err(|_| "plain JSON inside `json!(...)` (no Rust expressions)")
        }
        Expr::Group(g) => expr_json(&g.expr),
        _ => Err(JSON_EXPECTED),
    }
}

/// One schema keyword a marker sets.
pub(crate) struct Set {
    pub marker: &'static Marker,
    pub value: Value,
    pub span: Span,
}

/// What one type, field or variant says through its markers.
#[derive(Default)]
pub(crate) struct Markers {
    /// Schema keywords set verbatim (`minimum`, `pattern`, `x-kubernetes-list-type`, ...).
    pub keywords: BTreeMap<&'static str, Set>,
    pub validations: Vec<(Value, Span)>,
    pub items: Option<(Box<Markers>, Span)>,
    pub flags: BTreeMap<&'static str, Span>,
    pub required: Option<(bool, Span)>,
    pub one_of: Vec<(&'static Marker, Vec<String>, Span)>,
    /// Version keys with their values, checked for placement by the caller.
    pub version: BTreeMap<&'static str, (Value, Span)>,
    /// Repeatable version keys (`printcolumn`, `selectable_field`).
    pub version_lists: BTreeMap<&'static str, Vec<(Value, Span)>>,
    /// Every marker with its span, for placement and applicability checks.
    pub seen: Vec<(&'static Marker, Span)>,
}

impl Markers {
    pub(crate) fn from_entries(cx: &Ctxt, entries: Vec<(Entry, Span)>) -> Markers {
        let mut m = Markers::default();
        for (entry, span) in entries {
            m.add(cx, entry, span);
        }
        m
    }

    pub(crate) fn add(&mut self, cx: &Ctxt, entry: Entry, span: Span) {
        match entry {
            Entry::Items(inner) => {
                if let Some(items) = markers::by_key(ITEMS) {
                    self.seen.push((items, span));
                }
                let items = &mut self.items.get_or_insert_with(|| (Box::default(), span)).0;
                for (e, s) in inner {
                    items.add(cx, e, s);
                }
            }
            Entry::Ignored => {}
            Entry::Value { marker, value } => {
                self.seen.push((marker, span));
                self.add_value(cx, marker, value, span);
            }
        }
    }

    fn add_value(&mut self, cx: &Ctxt, marker: &'static Marker, value: Value, span: Span) {
        let key = marker.key;
        match marker.effect {
            Effect::Keyword(keyword) => {
                let set = Set {
                    marker,
                    value,
                    span,
                };
                if self.keywords.insert(keyword, set).is_some() {
                    cx.error_at(span, format!("duplicate marker `{key}`"));
                }
            }
            Effect::AppendKeyword(keyword) => {
                // `+listMapKey` is repeatable in the doc form; the lists concatenate.
                let entry = self.keywords.entry(keyword).or_insert_with(|| Set {
                    marker,
                    value: Value::Array(Vec::new()),
                    span,
                });
                if let (Value::Array(have), Value::Array(more)) = (&mut entry.value, value) {
                    have.extend(more);
                }
            }
            Effect::Validation => self.validations.push((validation_json(value), span)),
            Effect::Required(required) => {
                let wanted = required == (value == Value::Bool(true));
                if let Some((had, _)) = self.required
                    && had != wanted
                {
                    cx.error_at(
                        span,
                        "contradictory markers: both `required` and `optional`",
                    );
                }
                self.required = Some((wanted, span));
            }
            Effect::Flag(_) => {
                if value == Value::Bool(true) && self.flags.insert(key, span).is_some() {
                    cx.error_at(span, format!("duplicate marker `{key}`"));
                }
            }
            Effect::OneOf(_) => {
                let fields = value
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                self.one_of.push((marker, fields, span));
            }
            Effect::VersionList => self
                .version_lists
                .entry(key)
                .or_default()
                .push((value, span)),
            Effect::Version | Effect::Items => {
                if self.version.insert(key, (value, span)).is_some() {
                    cx.error_at(span, format!("duplicate marker `{key}`"));
                }
            }
        }
    }

    pub(crate) fn flag(&self, key: &str) -> Option<Span> {
        self.flags.get(key).copied()
    }

    pub(crate) fn version_flag(&self, key: &str) -> bool {
        self.version
            .get(key)
            .is_some_and(|(v, _)| v != &Value::Bool(false))
    }

    pub(crate) fn version_str(&self, key: &str) -> Option<String> {
        self.version
            .get(key)
            .and_then(|(v, _)| v.as_str().map(str::to_owned))
    }

    pub(crate) fn version_list(&self, key: &str) -> &[(Value, Span)] {
        self.version_lists.get(key).map_or(&[], Vec::as_slice)
    }
}

/// `validation(rule, message, ...)` in the key spelling of `x-kubernetes-validations`.
fn validation_json(value: Value) -> Value {
    let Value::Object(obj) = value else {
        return value;
    };
    let renamed = obj
        .into_iter()
        .map(|(k, v)| {
            let k = match k.as_str() {
                "message_expression" => "messageExpression".to_owned(),
                "field_path" => "fieldPath".to_owned(),
                "optional_old_self" => "optionalOldSelf".to_owned(),
                _ => k,
            };
            (k, v)
        })
        .collect();
    Value::Object(renamed)
}
